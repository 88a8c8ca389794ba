package dev.earlywarning.sla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Where the current customer's commitments can be found without reading them all: by the event
 * time each next needs a look (one event-time timer per distinct time) and by its kind and the
 * case it is about, which is what decides whether a contact can keep it. A large business account holds thousands of open commitments at once; without the index
 * every deadline and every call back deserialized all of them, so the work per customer grew with
 * the square of their commitments.
 *
 * <p>A filed commitment is in exactly one wake-up slot, {@link Commitment#wakeAt}, and one case
 * slot (its kind and case). Slots are rewritten as new arrays, never changed in place (the heap backend hands out its
 * stored objects).
 */
final class CommitmentIndex {


    static final MapStateDescriptor<Long, String[]> BY_WAKE = new MapStateDescriptor<>(
            "commitments-by-wake", Types.LONG, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
    static final MapStateDescriptor<String, String[]> BY_CASE = new MapStateDescriptor<>(
            "commitments-by-case", Types.STRING, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);

    private final MapState<Long, String[]> byWake;
    private final MapState<String, String[]> byCase;

    CommitmentIndex(RuntimeContext context) {
        byWake = context.getMapState(BY_WAKE);
        byCase = context.getMapState(BY_CASE);
    }

    /** Files a commitment that is not in the index yet, and wakes the customer at its time. */
    void file(Commitment commitment, TimerService timers) throws Exception {
        if (add(byWake, commitment.wakeAt, commitment.commitmentId)) {
            timers.registerEventTimeTimer(commitment.wakeAt);
        }
        add(byCase, caseSlot(commitment.kind, commitment.caseId), commitment.commitmentId);
    }

    /**
     * Moves a filed commitment from the wake-up {@code from} to its {@link Commitment#wakeAt}; a
     * time no commitment needs any more loses its timer unless it is {@code keepTimerAt}.
     */
    void rescheduled(Commitment commitment, long from, TimerService timers, long keepTimerAt)
            throws Exception {
        if (from == commitment.wakeAt) {
            return;
        }
        if (remove(byWake, from, commitment.commitmentId) && from != keepTimerAt) {
            timers.deleteEventTimeTimer(from);
        }
        if (add(byWake, commitment.wakeAt, commitment.commitmentId)) {
            timers.registerEventTimeTimer(commitment.wakeAt);
        }
    }

    /** Moves a filed commitment whose case became known or changed. */
    void recased(Commitment commitment, String from) throws Exception {
        String before = caseSlot(commitment.kind, from);
        String after = caseSlot(commitment.kind, commitment.caseId);
        if (!before.equals(after)) {
            remove(byCase, before, commitment.commitmentId);
            add(byCase, after, commitment.commitmentId);
        }
    }

    void unfile(Commitment commitment, TimerService timers, long keepTimerAt) throws Exception {
        if (remove(byWake, commitment.wakeAt, commitment.commitmentId)
                && commitment.wakeAt != keepTimerAt) {
            timers.deleteEventTimeTimer(commitment.wakeAt);
        }
        remove(byCase, caseSlot(commitment.kind, commitment.caseId), commitment.commitmentId);
    }

    /**
     * Takes the commitments due at {@code time} out of their slot: each is stepped and then filed
     * again under its next wake-up, or forgotten.
     */
    List<String> takeDue(long time) throws Exception {
        String[] due = byWake.get(time);
        if (due == null) {
            return List.of();
        }
        byWake.remove(time);
        return Arrays.asList(due);
    }

    boolean wakesAt(long time) throws Exception {
        return byWake.contains(time);
    }

    /**
     * The commitments of {@code kind} that a contact about {@code caseId} (not null) may keep:
     * those about that case and those about none.
     */
    List<String> coveredBy(Commitment.Kind kind, String caseId) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String slot : new String[] {caseSlot(kind, caseId), caseSlot(kind, null)}) {
            String[] filed = byCase.get(slot);
            if (filed != null) {
                ids.addAll(Arrays.asList(filed));
            }
        }
        return ids;
    }

    void clear() {
        byWake.clear();
        byCase.clear();
    }

    /** Kind labels have no colon, so no two kinds or cases share a slot. */
    private static String caseSlot(Commitment.Kind kind, String caseId) {
        return caseId == null ? kind.label() : kind.label() + ":" + caseId;
    }

    /** Adds {@code id} to a slot; true when the slot was empty before. */
    private static <K> boolean add(MapState<K, String[]> index, K slot, String id)
            throws Exception {
        String[] filed = index.get(slot);
        if (filed == null) {
            index.put(slot, new String[] {id});
            return true;
        }
        for (String known : filed) {
            if (known.equals(id)) {
                return false;
            }
        }
        String[] grown = Arrays.copyOf(filed, filed.length + 1);
        grown[filed.length] = id;
        index.put(slot, grown);
        return false;
    }

    /** Removes {@code id} from a slot; true when that emptied it. */
    private static <K> boolean remove(MapState<K, String[]> index, K slot, String id)
            throws Exception {
        String[] filed = index.get(slot);
        if (filed == null) {
            return false;
        }
        String[] kept = Arrays.stream(filed).filter(known -> !Objects.equals(known, id))
                .toArray(String[]::new);
        if (kept.length == filed.length) {
            return false;
        }
        if (kept.length == 0) {
            index.remove(slot);
            return true;
        }
        index.put(slot, kept);
        return false;
    }
}
