package dev.earlywarning.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Whether two runs published the same alerts, and what differs when they did not. */
final class AlertComparison {

    private AlertComparison() {}

    /** What identifies one published alert: the same trigger always yields the same id. */
    static String key(Alert alert) {
        return alert.getAlertId() + "#" + alert.getRevision();
    }

    /** Keys published more than once. */
    static Set<String> duplicates(Collection<Alert> alerts) {
        Set<String> seen = new HashSet<>();
        return alerts.stream().map(AlertComparison::key).filter(k -> !seen.add(k))
                .collect(Collectors.toSet());
    }

    /** Expected keys missing from {@code actual}. */
    static Set<String> lost(Collection<Alert> expected, Collection<Alert> actual) {
        Set<String> missing = keys(expected);
        missing.removeAll(keys(actual));
        return missing;
    }

    /**
     * Asserts that {@code actual} holds exactly the alerts of {@code expected}: the same
     * (alertId, revision) set, none twice, and the same content except the wall-clock emission
     * time.
     */
    static void assertSame(List<Alert> expected, List<Alert> actual) {
        assertSameIds(expected, actual);
        assertThat(contentDifferences(expected, actual)).as("content of every alert").isEmpty();
    }

    /** The same (alertId, revision) set in both runs, none published twice. */
    static void assertSameIds(List<Alert> expected, List<Alert> actual) {
        assertThat(duplicates(expected)).as("duplicates in the reference run").isEmpty();
        assertThat(duplicates(actual)).as("alerts published twice").isEmpty();
        assertThat(describe(expected, lost(expected, actual))).as("alerts lost").isEmpty();
        assertThat(describe(actual, lost(actual, expected))).as("alerts the reference run does"
                + " not have").isEmpty();
    }

    /**
     * At least once: every alert of {@code expected} is in {@code actual} and nothing else is; an
     * alert published again is the same alert (the same content apart from the emission time).
     */
    static void assertAtLeastOnce(List<Alert> expected, List<Alert> actual) {
        assertThat(duplicates(expected)).as("duplicates in the reference run").isEmpty();
        assertThat(describe(expected, lost(expected, actual))).as("alerts lost").isEmpty();
        assertThat(describe(actual, lost(actual, expected))).as("alerts the reference run does"
                + " not have").isEmpty();
        Map<String, Set<String>> copies = actual.stream().collect(Collectors.groupingBy(
                AlertComparison::key, TreeMap::new,
                Collectors.mapping(AlertComparison::content, Collectors.toSet())));
        assertThat(copies.entrySet()).filteredOn(e -> e.getValue().size() > 1)
                .as("alerts published again with other content").isEmpty();
    }

    /** Alerts of both runs whose content differs (apart from the emission time), at most 5. */
    static List<String> contentDifferences(List<Alert> expected, List<Alert> actual) {
        Map<String, String> before = byKey(expected);
        Map<String, String> after = byKey(actual);
        return before.entrySet().stream()
                .filter(e -> after.containsKey(e.getKey())
                        && !after.get(e.getKey()).equals(e.getValue()))
                .limit(5)
                .map(e -> e.getKey() + ": " + firstDifference(e.getValue(), after.get(e.getKey())))
                .toList();
    }

    private static String firstDifference(String expected, String actual) {
        int at = 0;
        while (at < Math.min(expected.length(), actual.length())
                && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 120);
        return "expected ..." + expected.substring(from, Math.min(expected.length(), at + 120))
                + "... but was ..." + actual.substring(from, Math.min(actual.length(), at + 120))
                + "...";
    }

    /** The alerts with these keys, in a few words each (at most 10). */
    private static List<String> describe(Collection<Alert> alerts, Set<String> keys) {
        return alerts.stream().filter(a -> keys.contains(key(a))).limit(10)
                .map(a -> key(a) + " " + a.getKind() + "/" + a.getStatus() + " of "
                        + a.getCustomerId() + " at " + a.getTriggeredAt() + " by "
                        + a.getSourceJob())
                .toList();
    }

    /** Counts by kind, in a stable order for printing. */
    static Map<AlertKind, Long> byKind(Collection<Alert> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(Alert::getKind, TreeMap::new,
                Collectors.counting()));
    }

    static long count(Collection<Alert> alerts, AlertKind... kinds) {
        Set<AlertKind> wanted = Set.of(kinds);
        return alerts.stream().filter(a -> wanted.contains(a.getKind())).count();
    }

    private static Set<String> keys(Collection<Alert> alerts) {
        return alerts.stream().map(AlertComparison::key).collect(Collectors.toCollection(HashSet::new));
    }

    private static Map<String, String> byKey(Collection<Alert> alerts) {
        return alerts.stream().collect(Collectors.toMap(AlertComparison::key,
                AlertComparison::content, (a, b) -> a, TreeMap::new));
    }

    /** What an alert says, apart from the wall-clock time it was emitted. */
    private static String content(Alert alert) {
        return Alert.newBuilder(alert).setEmittedAt(Instant.EPOCH).build().toString();
    }
}
