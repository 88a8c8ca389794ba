package dev.earlywarning.sla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Where the current customer's commitments can be found without reading them all: by the event
 * time each next needs a look (one event-time timer per distinct time) and by its kind and the
 * case it is about, which is what decides whether a contact can keep it. A large business account
 * holds thousands of open commitments at once; without the index every deadline and every call
 * back deserialized all of them, so the work per customer grew with the square of their
 * commitments.
 *
 * <p>A filed commitment is in exactly one wake-up slot, {@link Commitment#wakeAt}, and one case
 * slot (its kind and case). A slot's ids are spread over {@value #BUCKETS} buckets by hash, with
 * a bit set of the buckets in use, so that a slot of thousands (such an account's case, or a
 * deadline thousands of weekend promises share) is rewritten a sliver at a time. Buckets are
 * rewritten as new arrays, never changed in place (the heap backend hands out its stored objects).
 */
final class CommitmentIndex {

    private static final int BUCKETS = 64;

    static final MapStateDescriptor<String, String[]> BUCKET_STATE = new MapStateDescriptor<>(
            "commitment-index", Types.STRING, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
    static final MapStateDescriptor<String, Long> SLOT_STATE = new MapStateDescriptor<>(
            "commitment-index-slots", Types.STRING, Types.LONG);

    /** Bucket key ({@code slot#bucket}) to the ids filed there. */
    private final MapState<String, String[]> buckets;
    /** Slot key to the bit set of its buckets that hold ids; no entry for an empty slot. */
    private final MapState<String, Long> slots;

    CommitmentIndex(RuntimeContext context) {
        buckets = context.getMapState(BUCKET_STATE);
        slots = context.getMapState(SLOT_STATE);
    }

    /** Files a commitment that is not in the index yet, and wakes the customer at its time. */
    void file(Commitment commitment, TimerService timers) throws Exception {
        if (add(wakeSlot(commitment.wakeAt), commitment.commitmentId)) {
            timers.registerEventTimeTimer(commitment.wakeAt);
        }
        add(caseSlot(commitment.kind, commitment.caseId), commitment.commitmentId);
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
        if (remove(wakeSlot(from), commitment.commitmentId) && from != keepTimerAt) {
            timers.deleteEventTimeTimer(from);
        }
        if (add(wakeSlot(commitment.wakeAt), commitment.commitmentId)) {
            timers.registerEventTimeTimer(commitment.wakeAt);
        }
    }

    /** Moves a filed commitment whose case became known or changed. */
    void recased(Commitment commitment, String from) throws Exception {
        String before = caseSlot(commitment.kind, from);
        String after = caseSlot(commitment.kind, commitment.caseId);
        if (!before.equals(after)) {
            remove(before, commitment.commitmentId);
            add(after, commitment.commitmentId);
        }
    }

    void unfile(Commitment commitment, TimerService timers, long keepTimerAt) throws Exception {
        if (remove(wakeSlot(commitment.wakeAt), commitment.commitmentId)
                && commitment.wakeAt != keepTimerAt) {
            timers.deleteEventTimeTimer(commitment.wakeAt);
        }
        remove(caseSlot(commitment.kind, commitment.caseId), commitment.commitmentId);
    }

    /**
     * Takes the commitments due at {@code time} out of their slot: each is stepped and then filed
     * again under its next wake-up, or forgotten.
     */
    List<String> takeDue(long time) throws Exception {
        String slot = wakeSlot(time);
        Long used = slots.get(slot);
        if (used == null) {
            return List.of();
        }
        List<String> due = new ArrayList<>();
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if ((used & (1L << bucket)) != 0) {
                String key = slot + "#" + bucket;
                due.addAll(Arrays.asList(buckets.get(key)));
                buckets.remove(key);
            }
        }
        slots.remove(slot);
        return due;
    }

    boolean wakesAt(long time) throws Exception {
        return slots.contains(wakeSlot(time));
    }

    /**
     * The commitments of {@code kind} that a contact about {@code caseId} (not null) may keep:
     * those about that case and those about none.
     */
    List<String> coveredBy(Commitment.Kind kind, String caseId) throws Exception {
        List<String> ids = read(caseSlot(kind, caseId));
        ids.addAll(read(caseSlot(kind, null)));
        return ids;
    }

    private static String wakeSlot(long time) {
        return "w" + time;
    }

    /** Kind labels have no colon, so no two kinds or cases share a slot. */
    private static String caseSlot(Commitment.Kind kind, String caseId) {
        return caseId == null ? "c" + kind.label() : "c" + kind.label() + ":" + caseId;
    }

    private static int bucket(String id) {
        return Math.floorMod(id.hashCode(), BUCKETS);
    }

    private List<String> read(String slot) throws Exception {
        List<String> ids = new ArrayList<>();
        Long used = slots.get(slot);
        if (used != null) {
            for (int bucket = 0; bucket < BUCKETS; bucket++) {
                if ((used & (1L << bucket)) != 0) {
                    ids.addAll(Arrays.asList(buckets.get(slot + "#" + bucket)));
                }
            }
        }
        return ids;
    }

    /** Adds {@code id} to a slot; true when the slot was empty before. */
    private boolean add(String slot, String id) throws Exception {
        int bucket = bucket(id);
        long bit = 1L << bucket;
        Long stored = slots.get(slot);
        long used = stored == null ? 0 : stored;
        String key = slot + "#" + bucket;
        String[] filed = (used & bit) != 0 ? buckets.get(key) : new String[0];
        if (Arrays.asList(filed).contains(id)) {
            return false;
        }
        String[] grown = Arrays.copyOf(filed, filed.length + 1);
        grown[filed.length] = id;
        buckets.put(key, grown);
        if ((used & bit) == 0) {
            slots.put(slot, used | bit);
        }
        return used == 0;
    }

    /** Removes {@code id} from a slot; true when that emptied the slot. */
    private boolean remove(String slot, String id) throws Exception {
        int bucket = bucket(id);
        long bit = 1L << bucket;
        Long stored = slots.get(slot);
        if (stored == null || (stored & bit) == 0) {
            return false;
        }
        String key = slot + "#" + bucket;
        String[] filed = buckets.get(key);
        String[] kept = Arrays.stream(filed).filter(known -> !known.equals(id))
                .toArray(String[]::new);
        if (kept.length == filed.length) {
            return false;
        }
        if (kept.length > 0) {
            buckets.put(key, kept);
            return false;
        }
        buckets.remove(key);
        long used = stored & ~bit;
        if (used == 0) {
            slots.remove(slot);
            return true;
        }
        slots.put(slot, used);
        return false;
    }
}
