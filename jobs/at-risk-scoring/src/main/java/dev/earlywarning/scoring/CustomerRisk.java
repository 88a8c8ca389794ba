package dev.earlywarning.scoring;

import dev.earlywarning.schema.TimelineEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;

/**
 * One customer as the scoring operator holds them in memory between checkpoints: the
 * {@link RiskState} and what is known of their timeline.
 *
 * <p>The timeline lives in the state backend (a ring of slots in a {@code MapState}); in memory are
 * the entries appended since the last write and, once an alert has needed the whole timeline,
 * all of it. Most customers never alert, so most keep no timeline in memory; the few that alert
 * tend to alert again, and then need no read.
 */
final class CustomerRisk {

    final RiskState state;
    /** Slot to entry: the unwritten entries, and every slot when {@link #complete}. */
    private final Map<Integer, TimelineEntry> known = new HashMap<>(4);
    private final Set<Integer> unwritten = new HashSet<>(4);
    /** Whether {@link #known} holds every slot, so the backend need not be read. */
    private boolean complete;
    /** Whether an alert read the timeline: then it stays in memory after a write. */
    private boolean alerting;
    /** Whether the backend may hold state of this customer (else nothing needs clearing). */
    private boolean stored;

    private CustomerRisk(RiskState state, boolean stored) {
        this.state = state;
        this.stored = stored;
        this.complete = !stored;
    }

    static CustomerRisk fresh(long eventTime) {
        return new CustomerRisk(RiskState.fresh(eventTime), false);
    }

    static CustomerRisk restored(RiskState state) {
        return new CustomerRisk(state.upgraded(), true);
    }

    boolean stored() {
        return stored;
    }

    void appendToTimeline(TimelineEntry entry, int ringSize) {
        int slot = Math.floorMod(state.timelineWritten, ringSize);
        known.put(slot, entry);
        unwritten.add(slot);
        state.timelineWritten++;
    }

    /** Every slot of the ring, newest content; the caller has set this customer's key. */
    List<TimelineEntry> timeline(MapState<Integer, TimelineEntry> backend) throws Exception {
        if (!complete) {
            for (Map.Entry<Integer, TimelineEntry> slot : backend.entries()) {
                known.putIfAbsent(slot.getKey(), slot.getValue());
            }
            complete = true;
        }
        alerting = true;
        return new ArrayList<>(known.values());
    }

    /** Writes the unwritten timeline entries; the caller has set this customer's key. */
    void writeTimeline(MapState<Integer, TimelineEntry> backend) throws Exception {
        for (Integer slot : unwritten) {
            backend.put(slot, known.get(slot));
        }
        unwritten.clear();
        stored = true;
        if (!alerting) {
            known.clear();
            complete = false;
        }
    }
}
