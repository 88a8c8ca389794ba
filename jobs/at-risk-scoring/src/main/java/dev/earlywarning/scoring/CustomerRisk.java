package dev.earlywarning.scoring;

import dev.earlywarning.common.state.BoundedLog;
import dev.earlywarning.common.state.LogTail;
import dev.earlywarning.schema.TimelineEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * One customer as the scoring operator holds them in memory between checkpoints: the
 * {@link RiskState} and the timeline entries appended since it was last written.
 *
 * <p>The timeline itself stays in the state backend (a {@link BoundedLog}) and is read only when
 * an alert needs it: most events add an entry, few raise an alert, and twenty entries per cached
 * customer would cost more heap than the rest of their state.
 */
final class CustomerRisk {

    final RiskState state;
    private final LogTail<TimelineEntry> unwritten = new LogTail<>();
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

    void appendToTimeline(TimelineEntry entry, int size) {
        unwritten.add(entry, size);
    }

    /** The newest {@code size} entries in the order they were appended: stored, then unwritten. */
    List<TimelineEntry> timeline(BoundedLog<TimelineEntry> backend, int size) throws Exception {
        return new ArrayList<>(BoundedLog.newest(
                unwritten.read(backend, state.timelineStored, size), size));
    }

    /** Appends the unwritten timeline entries; the caller has set this customer's key. */
    void writeTimeline(BoundedLog<TimelineEntry> backend, int size) throws Exception {
        state.timelineStored = unwritten.writeTo(backend, state.timelineStored, size);
        stored = true;
    }
}
