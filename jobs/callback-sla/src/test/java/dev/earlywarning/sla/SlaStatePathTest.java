package dev.earlywarning.sla;

import static dev.earlywarning.sla.Callbacks.at;
import static dev.earlywarning.sla.Callbacks.attempted;
import static dev.earlywarning.sla.Callbacks.completed;
import static dev.earlywarning.sla.Callbacks.promised;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The customers' way through memory and state: a cache of one customer (every other customer's
 * record evicts and writes the last), RocksDB instead of the heap, and restarts from checkpoints
 * (the cache starts empty) give the alerts of a cache that holds every customer, timelines
 * included: when a customer's new timeline entries reach the log changes nothing an alert shows.
 */
class SlaStatePathTest {

    private static final Instant LONG_AFTER = at(60 * 24 * 4);
    /** A short timeline, so that the logs are cut back often, at whatever moment a write comes. */
    private static final SlaConfig CONFIG =
            SlaConfig.from(Settings.of(Map.of("timeline-size", "3")));
    private static final List<Object> DAY = day(new Random(42));

    @Test
    void aCacheOfOneCustomerOnRocksDbGivesTheAlertsOfACacheOfAll() throws Exception {
        Map<String, List<Alert>> everyoneCached = run(JobConfig.DEFAULT_CACHED_CUSTOMERS, false, 0);
        assertThat(everyoneCached.values().stream().flatMap(List::stream).toList())
                .as("the day has every kind of alert and its ending")
                .extracting(Alert::getKind, Alert::getStatus)
                .contains(tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN),
                        tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN),
                        tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.RESOLVED));

        assertThat(run(1, true, 0)).isEqualTo(everyoneCached);
    }

    @Test
    void restartsFromCheckpointsWithASmallCacheGiveTheSameAlerts() throws Exception {
        Map<String, List<Alert>> everyoneCached = run(JobConfig.DEFAULT_CACHED_CUSTOMERS, false, 0);

        assertThat(run(2, true, 7)).isEqualTo(everyoneCached);
        assertThat(run(2, false, 5)).isEqualTo(everyoneCached);
    }

    /**
     * Each customer's alerts in the order they came out (between customers the order of timers
     * of the same moment is the timer queue's, which differs between backends).
     */
    private static Map<String, List<Alert>> run(int cachedCustomers, boolean rocksDb,
            int restartEvery) throws Exception {
        try (SlaHarness harness = new SlaHarness(CONFIG, cachedCustomers, rocksDb,
                null)) {
            int sent = 0;
            Instant watermark = null;
            for (Object record : DAY) {
                if (record instanceof CallbackEvent.Builder callback) {
                    harness.send(CallbackEvent.newBuilder(callback));
                } else if (record instanceof InteractionEvent interaction) {
                    harness.send(interaction);
                } else {
                    watermark = (Instant) record;
                    harness.watermark(watermark);
                }
                if (restartEvery > 0 && ++sent % restartEvery == 0) {
                    harness.restart();
                    if (watermark != null) {
                        // As the sources do on restart: else the records up to the next
                        // watermark would be judged against none (late ones not late).
                        harness.watermark(watermark);
                    }
                }
            }
            harness.watermark(LONG_AFTER);
            assertThat(harness.customersInState()).as("every customer ended").isZero();
            assertThat(harness.customersWithCommitments()).isZero();
            Map<String, List<Alert>> byCustomer = new TreeMap<>();
            for (Alert alert : CallbackSlaFunctionTest.comparable(harness.alerts())) {
                byCustomer.computeIfAbsent(alert.getCustomerId(), c -> new ArrayList<>())
                        .add(alert);
            }
            return byCustomer;
        }
    }

    /**
     * A working day of five customers in event-time order: promises on three cases, attempts,
     * completions, dropped calls (implicit commitments), calls and messages that keep them,
     * redeliveries, and a watermark a few minutes behind every few records.
     */
    private static List<Object> day(Random random) {
        List<Object> day = new ArrayList<>();
        List<String[]> open = new ArrayList<>();
        int minute = 0;
        for (int n = 0; n < 160; n++) {
            minute += random.nextInt(6);
            String customer = "c" + (1 + random.nextInt(5));
            String caseId = "K" + random.nextInt(3);
            String id = "e" + n;
            int kind = random.nextInt(10);
            if (kind < 3) {
                String commitment = "cb-" + n;
                day.add(promised(id, commitment, minute, minute + 20 + random.nextInt(90))
                        .setCustomerId(customer).setCustomerName("Customer " + customer)
                        .setCaseId(caseId));
                open.add(new String[] {customer, commitment});
            } else if (kind < 5 && !open.isEmpty()) {
                String[] commitment = open.get(random.nextInt(open.size()));
                day.add(random.nextBoolean()
                        ? attempted(id, commitment[1], minute, CallbackOutcome.NO_ANSWER)
                                .setCustomerId(commitment[0])
                        : completed(id, commitment[1], minute).setCustomerId(commitment[0]));
            } else if (kind < 7) {
                day.add(Interactions.event(id, customer).type(InteractionType.DISCONNECTED)
                        .channel(Channel.PHONE).caseId(caseId).agentId("a3").at(at(minute))
                        .build());
            } else if (kind < 9) {
                day.add(Interactions.event(id, customer).type(InteractionType.OUTBOUND_CONTACT)
                        .direction(Direction.OUTBOUND).caseId(caseId).agentId("a7")
                        .at(at(minute)).build());
            } else {
                List<Object> records = day.stream().filter(r -> !(r instanceof Instant)).toList();
                if (!records.isEmpty()) {
                    day.add(records.get(random.nextInt(records.size())));
                }
            }
            if (n % 4 == 3) {
                day.add(at(minute - 5));
            }
        }
        return day;
    }
}
