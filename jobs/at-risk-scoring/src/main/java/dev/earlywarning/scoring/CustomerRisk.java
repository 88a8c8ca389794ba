package dev.earlywarning.scoring;

import dev.earlywarning.schema.TimelineEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * One customer as the scoring operator holds them in memory between checkpoints: the
 * {@link RiskState} and the timeline entries appended since it was last written.
 *
 * <p>The timeline itself stays in the state backend (a ring of slots in a {@code MapState}) and is
 * read only when an alert needs it: most events add an entry, few raise an alert, and twenty
 * entries per cached customer would cost more heap than the rest of their state.
 */
final class CustomerRisk {

    final RiskState state;
    /** Slot to entry, appended since the last write; they replace what the backend has there. */
    private final Map<Integer, TimelineEntry> unwritten = new HashMap<>(4);
    /** Whether the backend may hold state of this customer (else nothing needs clearing). */
    private boolean stored;

    private CustomerRisk(RiskState state, boolean stored) {
        this.state = state;
        this.stored = stored;
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
        unwritten.put(Math.floorMod(state.timelineWritten, ringSize), entry);
        state.timelineWritten++;
    }

    /** Every slot of the ring, newest content: the backend's, overlaid by the unwritten entries. */
    List<TimelineEntry> timeline(MapState<Integer, TimelineEntry> backend) throws Exception {
        if (!stored) {
            return new ArrayList<>(unwritten.values());
        }
        Map<Integer, TimelineEntry> slots = new HashMap<>();
        for (Map.Entry<Integer, TimelineEntry> slot : backend.entries()) {
            slots.put(slot.getKey(), slot.getValue());
        }
        slots.putAll(unwritten);
        return new ArrayList<>(slots.values());
    }

    /** Writes the unwritten timeline entries; the caller has set this customer's key. */
    void writeTimeline(MapState<Integer, TimelineEntry> backend) throws Exception {
        for (Map.Entry<Integer, TimelineEntry> slot : unwritten.entrySet()) {
            backend.put(slot.getKey(), slot.getValue());
        }
        unwritten.clear();
        stored = true;
    }
}
