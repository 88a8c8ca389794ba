package dev.earlywarning.common.state;

/**
 * A 64-bit hash of a string key or id, for state that remembers keys by hash instead of by value
 * (a ring of recent input ids, the index of a {@link SerializedTier}). Part of stored state: it
 * must never change.
 */
public final class Hash64 {

    private Hash64() {}

    /** FNV-1a over the chars, then a murmur finaliser; never 0, so 0 can mark an empty slot. */
    public static long of(String value) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            hash = (hash ^ value.charAt(i)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }
}
