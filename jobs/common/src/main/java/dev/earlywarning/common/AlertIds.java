package dev.earlywarning.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic alert ids: a name-based UUID of the parts that identify the trigger, so that the
 * same trigger yields the same id on every run, at any parallelism and after any restore.
 */
public final class AlertIds {

    private AlertIds() {}

    public static String of(String... parts) {
        // The unit separator cannot appear in ids, so ("a|b", "c") and ("a", "b|c") never collide.
        String name = String.join("\u001f", parts);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
