package dev.earlywarning.sla;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;

/**
 * One cached customer's commitments as read from the keyed state, with the changes made to them
 * since the customer was last written back; it goes with the customer's {@link CustomerState}
 * while it is cached and writes its changes when the customer is written (before each checkpoint
 * barrier, on eviction, when their state ends).
 *
 * <p>Why: a contact about a case reads every commitment of that case that it might keep, and a
 * busy customer's case is contacted many times between two checkpoints; from RocksDB each read is
 * a get and a deserialization, each step a put. Here each commitment is read once per stay in the
 * cache and written once per checkpoint. Only for backends that hand out copies (RocksDB): the
 * heap backend keeps the very objects it is given, which this would change behind its snapshots.
 *
 * <p>Every method works on the current key's map state, which must be this customer's.
 */
final class CommitmentsInMemory {

    /** Commitments read or changed; a null value: none under that id (removed or never there). */
    private final Map<String, Commitment> known = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    /** Whether {@link #known} holds every commitment of the stored map. */
    private boolean allRead;

    /** The commitment {@code id}, or null. */
    Commitment get(MapState<String, Commitment> stored, String id) throws Exception {
        if (known.containsKey(id)) {
            return known.get(id);
        }
        Commitment commitment = allRead ? null : stored.get(id);
        known.put(id, commitment);
        return commitment;
    }

    void put(Commitment commitment) {
        known.put(commitment.commitmentId, commitment);
        changed.add(commitment.commitmentId);
    }

    void remove(String id) {
        known.put(id, null);
        changed.add(id);
    }

    /** Every commitment, stored or changed since; a new list. */
    List<Commitment> values(MapState<String, Commitment> stored) throws Exception {
        if (!allRead) {
            for (Map.Entry<String, Commitment> entry : stored.entries()) {
                // A commitment changed here is newer than the stored one, a removal included.
                if (!known.containsKey(entry.getKey())) {
                    known.put(entry.getKey(), entry.getValue());
                }
            }
            allRead = true;
        }
        List<Commitment> values = new ArrayList<>(known.size());
        for (Commitment commitment : known.values()) {
            if (commitment != null) {
                values.add(commitment);
            }
        }
        return values;
    }

    /** Writes the changes to the stored map; what is known of ids without a commitment goes. */
    void writeTo(MapState<String, Commitment> stored) throws Exception {
        for (String id : changed) {
            Commitment commitment = known.get(id);
            if (commitment == null) {
                stored.remove(id);
            } else {
                stored.put(id, commitment);
            }
        }
        changed.clear();
        known.values().removeIf(commitment -> commitment == null);
    }
}
