package dev.earlywarning.router;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An operator's silence for a known root cause (a storm, a phone outage): alerts that match it and
 * were triggered between {@code startsAt} (inclusive) and {@code endsAt} (exclusive) are not routed.
 * Every given matcher must match; a silence with none must say {@code "all": true}, so that a typo
 * cannot silence everything by accident.
 *
 * <p>Matching is on the alert's own {@code triggeredAt}, not on when the silence arrived, so a
 * replay of the same data is silenced the same way. The region is the alert's {@code regionId}
 * (or {@code region}) attribute, which location-based detectors set.
 *
 * <p>Payload of a {@code SILENCE} command: {@code {"id": "storm-ne", "kind":
 * "SHIPPING_DELAY_PREDICTED", "region": "NE", "customer": "c1", "all": false, "from":
 * "2026-01-05T08:00:00Z", "until": "2026-01-05T20:00:00Z"}}, or {@code "for": "12h"} instead of
 * {@code until}; {@code from} defaults to the command's {@code occurredAt}.
 */
public record Silence(String id, AlertKind kind, String region, String customerId, long startsAt,
        long endsAt) implements Serializable {

    private static final Set<String> KEYS =
            Set.of("id", "kind", "region", "customer", "all", "from", "until", "for");

    /** Parses and validates a {@code SILENCE} payload issued at {@code issuedAt}. */
    public static Silence fromPayload(Map<String, String> payload, long issuedAt) {
        for (String key : payload.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException("Unknown silence field '" + key + "'; known: "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        Settings fields = Settings.of(payload);
        String id = fields.requiredString("id");
        AlertKind kind = payload.get("kind") == null ? null
                : fields.enumValue("kind", AlertKind.AT_RISK_CUSTOMER);
        String region = blankToNull(payload.get("region"));
        String customer = blankToNull(payload.get("customer"));
        boolean all = fields.bool("all", false);
        if (kind == null && region == null && customer == null && !all) {
            throw new ConfigException("silence " + id + " names no kind, region or customer;"
                    + " say \"all\": true to silence everything");
        }
        long from = payload.containsKey("from") ? instant(payload, "from") : issuedAt;
        long until;
        if (payload.containsKey("until") == payload.containsKey("for")) {
            throw new ConfigException("silence " + id + " needs exactly one of until or for");
        } else if (payload.containsKey("until")) {
            until = instant(payload, "until");
        } else {
            until = from + fields.durationIn("for", Duration.ZERO, Duration.ofMinutes(1),
                    Duration.ofDays(90)).toMillis();
        }
        if (until <= from) {
            throw new ConfigException("silence " + id + " ends (" + Instant.ofEpochMilli(until)
                    + ") before it starts (" + Instant.ofEpochMilli(from) + ")");
        }
        return new Silence(id, kind, region, customer, from, until);
    }

    /** Whether this silence covers the alert record. */
    public boolean matches(Alert alert) {
        long at = alert.getTriggeredAt().toEpochMilli();
        return at >= startsAt && at < endsAt
                && (kind == null || kind == alert.getKind())
                && (customerId == null || customerId.equals(alert.getCustomerId()))
                && (region == null || region.equals(regionOf(alert)));
    }

    /** The flat form kept in broadcast state; {@link #fromPayload} reads it back unchanged. */
    public Map<String, String> toPayload() {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("id", id);
        if (kind != null) {
            payload.put("kind", kind.name());
        }
        if (region != null) {
            payload.put("region", region);
        }
        if (customerId != null) {
            payload.put("customer", customerId);
        }
        payload.put("all", String.valueOf(kind == null && region == null && customerId == null));
        payload.put("from", Instant.ofEpochMilli(startsAt).toString());
        payload.put("until", Instant.ofEpochMilli(endsAt).toString());
        return payload;
    }

    static String regionOf(Alert alert) {
        Map<String, String> attributes = alert.getAttributes();
        String region = attributes.get("regionId");
        return region != null ? region : attributes.get("region");
    }

    /** The first silence in {@code silences} that covers the alert, or null. */
    static Silence firstMatch(List<Silence> silences, Alert alert) {
        for (Silence silence : silences) {
            if (silence.matches(alert)) {
                return silence;
            }
        }
        return null;
    }

    private static long instant(Map<String, String> payload, String key) {
        try {
            return Instant.parse(payload.get(key).strip()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ConfigException("Invalid value '" + payload.get(key) + "' for " + key
                    + ": expected an ISO-8601 instant such as 2026-01-05T20:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
