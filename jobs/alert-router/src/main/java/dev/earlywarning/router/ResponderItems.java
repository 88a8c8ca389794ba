package dev.earlywarning.router;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.Gesture;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records the router writes. A responder item is one {@code Alert} for the whole customer:
 * the most severe member's kind and identifiers, every member's reasons (prefixed with the
 * member's kind), one merged cross-channel timeline, and the held outreach as extra reasons, so
 * that one responder sees everything. Attributes say how it was routed: {@code priority},
 * {@code routeTo}, {@code groupedAlertIds}, {@code flapCount}, {@code inhibitedOutreach},
 * acknowledgement and loop outcome.
 */
final class ResponderItems {

    static final String OUTREACH_HELD = "OUTREACH_HELD";

    private ResponderItems() {}

    /** What an item record is built from; members are the ones to report, most severe first. */
    record Item(String customerId, RoutingState state, List<Alert> members, List<Alert> held,
            int flapCount, Severity severity) {}

    static Alert item(Item item, AlertStatus status, int revision, long at, String loopOutcome,
            RouterConfig config) {
        RoutingState state = item.state();
        Alert lead = item.members().get(0);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("priority", EscalationPolicy.priority(item.severity(), state.escalationLevel));
        attributes.put("routeTo", EscalationPolicy.routeTo(state.escalationLevel, config));
        attributes.put("groupedAlertIds", String.join(",", state.groupedAlertIds));
        attributes.put("groupedKinds", String.join(",", item.members().stream()
                .map(a -> a.getKind().name()).distinct().toList()));
        attributes.put("firstTriggeredAt", Instant.ofEpochMilli(state.itemFirstTriggeredAt).toString());
        if (state.itemEmitted()) {
            attributes.put("openedAt", Instant.ofEpochMilli(state.itemOpenedAt).toString());
        }
        if (item.flapCount() > 0) {
            attributes.put("flapCount", String.valueOf(item.flapCount()));
        }
        if (!item.held().isEmpty()) {
            attributes.put("inhibitedOutreach",
                    String.join(",", item.held().stream().map(Alert::getAlertId).toList()));
        }
        if (state.acknowledged()) {
            attributes.put("acknowledgedBy", state.ackedBy);
            attributes.put("acknowledgedAt", Instant.ofEpochMilli(state.ackedAt).toString());
        }
        if (state.contactEventId != null) {
            attributes.put("contactEventId", state.contactEventId);
            attributes.put("contactedAt", Instant.ofEpochMilli(state.contactAt).toString());
        }
        if (loopOutcome != null) {
            attributes.put("loopOutcome", loopOutcome);
        }
        return Alert.newBuilder()
                .setAlertId(state.itemId)
                .setRevision(revision)
                .setDedupKey("RESPONDER:" + item.customerId())
                .setKind(lead.getKind())
                .setSeverity(item.severity())
                .setStatus(status)
                .setCustomerId(item.customerId())
                .setCustomerName(first(item.members(), Alert::getCustomerName))
                .setCaseId(first(item.members(), Alert::getCaseId))
                .setOrderId(first(item.members(), Alert::getOrderId))
                .setCommitmentId(first(item.members(), Alert::getCommitmentId))
                .setTriggeredAt(Instant.ofEpochMilli(at))
                .setEmittedAt(Instant.now())
                .setDueBy(status == AlertStatus.RESOLVED ? null : dueBy(state))
                .setScore(item.members().stream().map(Alert::getScore)
                        .filter(s -> s != null).max(Double::compare).orElse(null))
                .setReasons(reasons(item.members(), item.held()))
                .setTimeline(timeline(item.members(), config.timelineSize()))
                .setSuggestedAction(suggestedAction(item.members(), item.held()))
                .setGesture(gesture(item.members(), item.held()))
                .setAudience(Audience.RESPONDER)
                .setSourceJob(AlertRouterJob.NAME)
                .setEscalationLevel(state.escalationLevel)
                .setAttributes(attributes)
                .build();
    }

    /** The re-emission of an unacknowledged item at {@code level}. */
    static Alert escalation(Alert item, int level, long at, long nextDeadline,
            RouterConfig config) {
        Map<String, String> attributes = new LinkedHashMap<>(item.getAttributes());
        attributes.put("escalatedAlertId", item.getAlertId());
        attributes.put("priority", EscalationPolicy.priority(item.getSeverity(), level));
        attributes.put("routeTo", EscalationPolicy.routeTo(level, config));
        Duration waiting = Duration.ofMillis(at - Instant.parse(
                item.getAttributes().getOrDefault("openedAt", Instant.ofEpochMilli(at).toString()))
                .toEpochMilli());
        return Alert.newBuilder(item)
                .setAlertId(EscalationPolicy.escalationId(item.getAlertId(), level))
                .setRevision(0)
                .setDedupKey(AlertKind.ALERT_UNACKNOWLEDGED + ":" + item.getAlertId())
                .setKind(AlertKind.ALERT_UNACKNOWLEDGED)
                .setStatus(AlertStatus.OPEN)
                .setTriggeredAt(Instant.ofEpochMilli(at))
                .setDueBy(nextDeadline == RoutingState.NONE ? null : Instant.ofEpochMilli(nextDeadline))
                .setEscalationLevel(level)
                .setSuggestedAction("Not acknowledged for " + waiting.toMinutes()
                        + " min (escalation level " + level + "): acknowledge, then "
                        + item.getSuggestedAction())
                .setAttributes(attributes)
                .build();
    }

    /** An escalation record superseded by the next level or ended by an acknowledgement. */
    static Alert escalationEnded(Alert item, int level, long at, String why, RouterConfig config) {
        Alert open = escalation(item, level, at, RoutingState.NONE, config);
        Map<String, String> attributes = new LinkedHashMap<>(open.getAttributes());
        attributes.put("endedBy", why);
        return Alert.newBuilder(open).setRevision(1).setStatus(AlertStatus.RESOLVED)
                .setDueBy(null).setAttributes(attributes).build();
    }

    /** The follow-through failed: acknowledged, but the customer was not contacted in time. */
    static Alert loopNotClosed(Alert item, long at, RouterConfig config) {
        Map<String, String> attributes = new LinkedHashMap<>(item.getAttributes());
        attributes.put("escalatedAlertId", item.getAlertId());
        attributes.put("routeTo", EscalationPolicy.SUPERVISORS);
        attributes.put("priority", EscalationPolicy.priority(item.getSeverity(),
                config.supervisorLevel()));
        Severity severity = item.getSeverity().ordinal() >= Severity.HIGH.ordinal()
                ? item.getSeverity() : Severity.HIGH;
        return Alert.newBuilder(item)
                .setAlertId(EscalationPolicy.loopId(item.getAlertId(), item.getEscalationLevel()))
                .setRevision(0)
                .setDedupKey(AlertKind.LOOP_NOT_CLOSED + ":" + item.getAlertId())
                .setKind(AlertKind.LOOP_NOT_CLOSED)
                .setSeverity(severity)
                .setStatus(AlertStatus.OPEN)
                .setTriggeredAt(Instant.ofEpochMilli(at))
                .setDueBy(null)
                .setSuggestedAction("Acknowledged by " + attributes.get("acknowledgedBy")
                        + " but the customer was not contacted within "
                        + config.followThrough().toMinutes() + " min: contact the customer now. "
                        + item.getSuggestedAction())
                .setAttributes(attributes)
                .build();
    }

    /** A source outreach alert as the outreach queue gets it: same id, the queue's own revisions. */
    static Alert outreach(Alert source, AlertStatus status, int revision, long at,
            boolean released) {
        Map<String, String> attributes = new LinkedHashMap<>(source.getAttributes());
        attributes.put("originSourceJob", source.getSourceJob());
        attributes.put("originRevision", String.valueOf(source.getRevision()));
        attributes.put("priority", EscalationPolicy.priority(source.getSeverity(), 0));
        if (released) {
            attributes.put("releasedAfterInhibition", "true");
        }
        return Alert.newBuilder(source)
                .setRevision(revision)
                .setStatus(status)
                .setTriggeredAt(Instant.ofEpochMilli(Math.max(at,
                        source.getTriggeredAt().toEpochMilli())))
                .setEmittedAt(Instant.now())
                .setAudience(Audience.OUTREACH)
                .setSourceJob(AlertRouterJob.NAME)
                .setAttributes(attributes)
                .build();
    }

    private static Instant dueBy(RoutingState state) {
        long due = state.acknowledged() ? state.followThroughAt : state.ackDeadlineAt;
        return due == RoutingState.NONE ? null : Instant.ofEpochMilli(due);
    }

    static List<Reason> reasons(List<Alert> members, List<Alert> held) {
        List<Reason> reasons = new ArrayList<>();
        for (Alert member : members) {
            String prefix = member.getKind().name() + (member.getStatus() == AlertStatus.RESOLVED
                    ? " (resolved): " : ": ");
            if (member.getReasons().isEmpty()) {
                reasons.add(Reason.newBuilder().setSignal(member.getKind().name())
                        .setContribution(member.getScore() == null ? 0 : member.getScore())
                        .setDetail(prefix + member.getSuggestedAction())
                        .setEvidenceEventIds(List.of(member.getAlertId())).build());
            }
            for (Reason reason : member.getReasons()) {
                reasons.add(Reason.newBuilder(reason).setDetail(prefix + reason.getDetail())
                        .build());
            }
        }
        for (Alert outreach : held) {
            Gesture gesture = outreach.getGesture();
            reasons.add(Reason.newBuilder().setSignal(OUTREACH_HELD).setContribution(0)
                    .setDetail(outreach.getKind() + " outreach held while this customer is handled"
                            + (gesture == null ? "" : ": " + gesture.getKind() + " "
                                    + gesture.getAmountCents() / 100.0 + " " + gesture.getCurrency()
                                    + " - " + gesture.getMessage()))
                    .setEvidenceEventIds(List.of(outreach.getAlertId())).build());
        }
        return reasons;
    }

    /** Every member's timeline merged, each interaction once, newest first, bounded. */
    static List<TimelineEntry> timeline(List<Alert> members, int size) {
        Map<String, TimelineEntry> unique = new LinkedHashMap<>();
        for (Alert member : members) {
            for (TimelineEntry entry : member.getTimeline()) {
                String key = entry.getEventId() != null ? entry.getEventId()
                        : entry.getAt() + "/" + entry.getChannel() + "/" + entry.getSummary();
                unique.putIfAbsent(key, entry);
            }
        }
        List<TimelineEntry> entries = new ArrayList<>(unique.values());
        entries.sort(Comparator.comparing(TimelineEntry::getAt).reversed()
                .thenComparing(e -> e.getEventId() == null ? "" : e.getEventId()));
        return entries.size() > size ? new ArrayList<>(entries.subList(0, size)) : entries;
    }

    private static String suggestedAction(List<Alert> members, List<Alert> held) {
        Set<String> actions = new LinkedHashSet<>();
        for (Alert member : members) {
            if (!member.getSuggestedAction().isBlank()) {
                actions.add(member.getSuggestedAction());
            }
        }
        if (!held.isEmpty()) {
            actions.add("Outreach to this customer is held until this item ends; offer any"
                    + " gesture personally.");
        }
        return String.join(" Also: ", actions);
    }

    private static Gesture gesture(List<Alert> members, List<Alert> held) {
        for (List<Alert> alerts : List.of(members, held)) {
            for (Alert alert : alerts) {
                if (alert.getGesture() != null) {
                    return alert.getGesture();
                }
            }
        }
        return null;
    }

    private static String first(List<Alert> members,
            java.util.function.Function<Alert, String> field) {
        for (Alert member : members) {
            String value = field.apply(member);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
