package dev.earlywarning.common.state;

/**
 * The most recent input ids of one key, as a ring of 64-bit hashes kept inside the key's own state
 * value, by which a redelivered record is recognised. The duplicates that producers' retries and
 * upstream replays make arrive close to the original, so a short ring catches them, and it costs
 * no state access of its own: a set of ids with a TTL beside the key's state cost a read and a
 * write per record.
 */
public final class RecentIds {

    /** How many recent ids a ring holds. */
    public static final int SIZE = 16;

    private RecentIds() {}

    /** An empty ring. */
    public static long[] ring() {
        return new long[SIZE];
    }

    /**
     * True unless {@code id} is in {@code ring}; when it is new, it is written over the slot that
     * {@code written} (the count of ids written so far) names, and the caller counts it.
     */
    public static boolean isNew(long[] ring, int written, String id) {
        long hash = hash64(id);
        for (long recent : ring) {
            if (recent == hash) {
                return false;
            }
        }
        ring[Math.floorMod(written, ring.length)] = hash;
        return true;
    }

    /** FNV-1a over the chars, then a murmur finaliser; never 0, the ring's empty slot. */
    static long hash64(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash = (hash ^ id.charAt(i)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }
}
