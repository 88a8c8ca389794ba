package dev.earlywarning.cli.sim;

import dev.earlywarning.cli.sim.JourneyGenerator.Journey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Turns journeys into a paced stream: new journeys start often enough to keep about
 * {@code eventsPerSecond} valid events flowing per wall-clock second, and each event is released
 * once the {@link SimClock} reaches its event time, so the stream is in event-time order. Between
 * events it slips in redeliveries (the previous event again, same eventId) and malformed records
 * at the configured shares of everything emitted.
 *
 * <p>Other parts of the simulation (the responders) {@link #schedule} their own events into the
 * same stream; those are never redelivered or garbled, since they stand for people, not feeds.
 *
 * <p>The {@code warmup} back-dates the first journeys as if the plan had already been running that
 * long, so a fresh start has half-told stories to finish rather than an empty hour.
 */
public final class TrafficPlan {

    public record Options(double eventsPerSecond, double duplicateShare, double malformedShare,
            Duration warmup) {
        public Options {
            if (!(eventsPerSecond > 0)) {
                throw new IllegalArgumentException("eventsPerSecond must be positive");
            }
            if (!(duplicateShare >= 0 && malformedShare >= 0 && duplicateShare + malformedShare < 1)) {
                throw new IllegalArgumentException(
                        "duplicate and malformed shares must be >= 0 and add up to less than 1");
            }
        }
    }

    private record Pending(long seq, Emission.Valid event) {}

    private static final byte[] SINGLE_OBJECT_MARKER = {(byte) 0xC3, 0x01};

    private final JourneyGenerator generator;
    private final SimClock clock;
    private final Options options;
    private final Random random;
    private final long originWallMillis;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong((Pending p) -> p.event().at()).thenComparingLong(Pending::seq));
    private final Map<Story, Long> journeysByStory = new EnumMap<>(Story.class);
    private long scheduledEvents;
    private long seq;
    private Emission.Valid lastValid;

    public TrafficPlan(JourneyGenerator generator, SimClock clock, Options options, long seed) {
        this.generator = generator;
        this.clock = clock;
        this.options = options;
        this.random = new Random(seed * 31 + 7);
        this.originWallMillis = clock.wallStartMillis() - options.warmup().toMillis();
    }

    public SimClock clock() {
        return clock;
    }

    /** Everything due by {@code wallMillis}, in event-time order, starting journeys as needed. */
    public synchronized List<Emission> advance(long wallMillis) {
        startJourneysUntil(wallMillis);
        long simNow = clock.simAt(wallMillis);
        List<Emission> due = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().event().at() <= simNow) {
            Emission.Valid next = pending.poll().event();
            if (next.story() == null) {
                due.add(next);
                continue;
            }
            // Each output slot is malformed, a redelivery of the previous event, or the next event.
            while (true) {
                double draw = random.nextDouble();
                if (draw < options.malformedShare()) {
                    due.add(new Emission.Malformed(next.target(), next.key(), next.at(), garbage()));
                } else if (draw < options.malformedShare() + options.duplicateShare()
                        && lastValid != null) {
                    due.add(lastValid.redelivered());
                } else {
                    break;
                }
            }
            due.add(next);
            lastValid = next;
        }
        return due;
    }

    /** Adds events to send once the clock reaches their time. */
    public synchronized void schedule(List<Emission.Valid> events) {
        for (Emission.Valid event : events) {
            pending.add(new Pending(seq++, event));
        }
    }

    /** How many journeys of each story have been started so far. */
    public synchronized Map<Story, Long> journeysByStory() {
        return new EnumMap<>(journeysByStory);
    }

    public synchronized int pendingEvents() {
        return pending.size();
    }

    private void startJourneysUntil(long wallMillis) {
        while (true) {
            long wallOfNext = originWallMillis
                    + (long) (scheduledEvents * 1000.0 / options.eventsPerSecond());
            if (wallOfNext > wallMillis) {
                return;
            }
            Journey journey = generator.next(clock.simAt(wallOfNext));
            journeysByStory.merge(journey.story(), 1L, Long::sum);
            for (Emission.Valid event : journey.events()) {
                pending.add(new Pending(seq++, event));
            }
            scheduledEvents += journey.events().size();
        }
    }

    /** Half look like single-object encoding with an unknown fingerprint, half are plain noise. */
    private byte[] garbage() {
        byte[] bytes = new byte[2 + random.nextInt(60)];
        random.nextBytes(bytes);
        if (random.nextBoolean() && bytes.length >= 10) {
            System.arraycopy(SINGLE_OBJECT_MARKER, 0, bytes, 0, 2);
        } else if (bytes[0] == SINGLE_OBJECT_MARKER[0]) {
            bytes[0] = 0;
        }
        return bytes;
    }
}
