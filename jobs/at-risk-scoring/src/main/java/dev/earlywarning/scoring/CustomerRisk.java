package dev.earlywarning.scoring;

import dev.earlywarning.common.state.BoundedLog;
import dev.earlywarning.common.state.SerializedTier;
import dev.earlywarning.schema.TimelineEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * One customer as the scoring operator holds them in memory between checkpoints: the
 * {@link RiskState} and the timeline entries appended since it was last written.
 *
 * <p>The timeline itself stays in the state backend (a {@link BoundedLog}) and is read only when
 * an alert needs it: most events add an entry, few raise an alert, and twenty entries per cached
 * customer would cost more heap than the rest of their state. Once read for an alert, though, the
 * newest entries stay in a {@link TimelineWindow} for as long as that alert is open: an open alert
 * is revised and resolved later, and each revision would read the timeline back again (a get
 * that applies every append since the last compaction, the most expensive read of the job).
 */
final class CustomerRisk {

    /**
     * A customer in the {@link SerializedTier}: their state, and the timeline window of an open
     * alert, so that one who comes back for the alert's revision or resolution reads no timeline
     * either. Only a customer the backend holds as they are goes there (nothing unwritten).
     */
    static final SerializedTier.Codec<CustomerRisk> IN_TIER = new SerializedTier.Codec<>() {
        @Override
        public void write(CustomerRisk customer, DataOutputView out) throws IOException {
            if (!customer.unwritten.isEmpty()) {
                throw new IllegalStateException("a customer with unwritten timeline entries");
            }
            RiskStateSerializer.INSTANCE.serialize(customer.state, out);
            boolean withWindow = customer.window != null && customer.state.hasOpenAlert();
            out.writeBoolean(withWindow);
            if (withWindow) {
                customer.window.writeTo(out);
            }
        }

        @Override
        public CustomerRisk read(DataInputView in) throws IOException {
            CustomerRisk customer = restored(RiskStateSerializer.INSTANCE.deserialize(in));
            if (in.readBoolean()) {
                customer.window = TimelineWindow.readFrom(in);
            }
            return customer;
        }
    };

    final RiskState state;
    /** Appended since the last write, oldest first. */
    private final List<TimelineEntry> unwritten = new ArrayList<>(4);
    /** Whether the backend may hold state of this customer (else nothing needs clearing). */
    private boolean stored;
    /** The newest entries while an alert is open and they were read for it; else null. */
    private TimelineWindow window;

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

    /** Appends {@code entry}; a burst of more than twice {@code size} keeps only its newest. */
    void appendToTimeline(TimelineEntry entry, int size) {
        if (unwritten.size() >= 2 * size) {
            unwritten.subList(0, unwritten.size() - size + 1).clear();
        }
        unwritten.add(entry);
        if (window != null) {
            if (state.hasOpenAlert() && window.size() == size) {
                window.add(entry);
            } else {
                window = null;
            }
        }
    }

    /** The newest {@code size} entries in the order they were appended: stored, then unwritten. */
    List<TimelineEntry> timeline(BoundedLog<TimelineEntry> backend, int size) throws Exception {
        if (window != null && window.size() == size) {
            return window.entries();
        }
        List<TimelineEntry> entries = stored ? backend.read() : new ArrayList<>();
        entries.addAll(unwritten);
        List<TimelineEntry> newest = new ArrayList<>(BoundedLog.newest(entries, size));
        window = state.hasOpenAlert() ? new TimelineWindow(newest, size) : null;
        return newest;
    }

    /** Appends the unwritten timeline entries; the caller has set this customer's key. */
    void writeTimeline(BoundedLog<TimelineEntry> backend, int size) throws Exception {
        state.timelineStored = backend.append(unwritten, state.timelineStored, size);
        unwritten.clear();
        stored = true;
    }
}
