package dev.earlywarning.shipping;

import java.nio.charset.StandardCharsets;

/**
 * The holdout group: customers who get no gesture so that what gestures achieve can be measured.
 * Membership is a pure function of the customer id (FNV-1a hash, bucket 0..9999 below
 * {@code share * 10000}), so a customer is in or out on every order, every instance and every
 * restart, and raising the share only adds customers.
 */
final class Holdout {

    static final int BUCKETS = 10_000;

    private Holdout() {}

    static boolean isHeldOut(String customerId, double share) {
        return bucket(customerId) < Math.round(share * BUCKETS);
    }

    static int bucket(String customerId) {
        int hash = 0x811c9dc5;
        for (byte b : customerId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Math.floorMod(hash, BUCKETS);
    }
}
