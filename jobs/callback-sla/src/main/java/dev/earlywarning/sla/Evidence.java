package dev.earlywarning.sla;

import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the two topics as evidence about commitments: which callback record is which kind of
 * fact, which interaction creates an implicit commitment (a dropped live contact, a promised
 * follow-up), and which interaction keeps or tries to keep which commitment.
 */
final class Evidence {

    /** Who ended a DISCONNECTED contact; anything but CUSTOMER counts as our side. */
    static final String DISCONNECTED_BY = "disconnectedBy";
    /** On any interaction: an ISO instant, or a duration after the interaction (PT4H, 4h). */
    static final String FOLLOW_UP_BY = "followUpBy";
    static final String FOLLOW_UP_WITHIN_BUSINESS_HOURS = "followUpWithinBusinessHours";
    /** On OUTBOUND_CONTACT: NO_ANSWER, VOICEMAIL or BUSY when it did not reach the customer. */
    static final String OUTCOME = "outcome";

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})\\s*(m|h|d)");
    private static final List<String> UNANSWERED = List.of("NO_ANSWER", "VOICEMAIL", "BUSY");

    /** A record that names a commitment in a way the job cannot use; the message says why. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** An obligation an interaction creates by itself. */
    record Implicit(String commitmentId, Commitment.Kind kind, Fact promise) {}

    private Evidence() {}

    /** The fact a callback record states; a promise's due time resolved in its region's calendar. */
    static Fact factOf(CallbackEvent e, BusinessCalendar calendar, SlaConfig config)
            throws Unusable {
        long at = e.getOccurredAt().toEpochMilli();
        Fact fact = switch (e.getType()) {
            case PROMISED, RESCHEDULED -> promise(e, calendar, config);
            case ATTEMPTED -> Fact.of(e.getEventId(),
                    e.getOutcome() == CallbackOutcome.CONNECTED
                            ? Fact.Kind.FULFIL : Fact.Kind.ATTEMPT,
                    at, e.getOutcome().name());
            case COMPLETED -> Fact.of(e.getEventId(), Fact.Kind.FULFIL, at, "COMPLETED");
            case CANCELLED -> Fact.of(e.getEventId(), Fact.Kind.CANCEL, at, "CANCELLED");
        };
        fact.agentId = e.getAgentId();
        fact.agentName = e.getAgentName();
        fact.explicit = true;
        return fact;
    }

    private static Fact promise(CallbackEvent e, BusinessCalendar calendar, SlaConfig config)
            throws Unusable {
        Instant occurredAt = e.getOccurredAt();
        Fact fact = Fact.of(e.getEventId(), Fact.Kind.PROMISE, occurredAt.toEpochMilli(),
                e.getType().name());
        Integer windowMinutes = e.getWindowMinutes();
        if (e.getDueAt() != null) {
            // An explicit time is taken as given: "at 14:30", with the window as its grace.
            fact.dueAt = e.getDueAt().toEpochMilli();
            fact.windowMillis = windowMinutes != null ? Duration.ofMinutes(windowMinutes).toMillis()
                    : config.defaultWindow().toMillis();
        } else {
            fact.dueAt = businessDeadline(calendar, occurredAt, e.getWithinBusinessHours(),
                    "withinBusinessHours");
            fact.byDeadline = true;
            fact.windowMillis = windowMinutes != null
                    ? Duration.ofMinutes(windowMinutes).toMillis() : 0;
        }
        return fact;
    }

    /** The commitments an interaction creates: a dropped live contact, a promised follow-up. */
    static List<Implicit> implicitOf(InteractionEvent e, BusinessCalendar calendar,
            SlaConfig config) throws Unusable {
        List<Implicit> found = new ArrayList<>(1);
        long at = e.getOccurredAt().toEpochMilli();
        if (isDroppedByUs(e)) {
            Fact promise = Fact.of(e.getEventId(), Fact.Kind.PROMISE, at, "DISCONNECTED");
            promise.dueAt = at + config.droppedContactCallbackWithin().toMillis();
            promise.byDeadline = true;
            promise.agentId = e.getAgentId();
            found.add(new Implicit("dropped:" + e.getEventId(), Commitment.Kind.DROPPED_CONTACT,
                    promise));
        }
        Long followUpBy = followUpBy(e, calendar);
        if (followUpBy != null) {
            Fact promise = Fact.of(e.getEventId(), Fact.Kind.PROMISE, at, "FOLLOW_UP");
            promise.dueAt = followUpBy;
            promise.byDeadline = true;
            promise.agentId = e.getAgentId();
            found.add(new Implicit("follow-up:" + e.getEventId(), Commitment.Kind.FOLLOW_UP,
                    promise));
        }
        return found;
    }

    static boolean isDroppedByUs(InteractionEvent e) {
        return e.getType() == InteractionType.DISCONNECTED
                && (e.getChannel() == Channel.PHONE || e.getChannel() == Channel.CHAT)
                && !"CUSTOMER".equalsIgnoreCase(e.getAttributes().getOrDefault(DISCONNECTED_BY, ""));
    }

    private static Long followUpBy(InteractionEvent e, BusinessCalendar calendar) throws Unusable {
        Map<String, String> attributes = e.getAttributes();
        Instant occurredAt = e.getOccurredAt();
        String within = attributes.get(FOLLOW_UP_WITHIN_BUSINESS_HOURS);
        if (within != null) {
            int hours;
            try {
                hours = Integer.parseInt(within.strip());
            } catch (NumberFormatException ex) {
                hours = -1;
            }
            if (hours < 0) {
                throw new Unusable(FOLLOW_UP_WITHIN_BUSINESS_HOURS + " '" + within
                        + "' is not a whole number of hours");
            }
            return businessDeadline(calendar, occurredAt, hours, FOLLOW_UP_WITHIN_BUSINESS_HOURS);
        }
        String by = attributes.get(FOLLOW_UP_BY);
        if (by == null || by.isBlank()) {
            return null;
        }
        Instant due = parseWhen(by.strip(), occurredAt);
        if (due == null) {
            throw new Unusable(FOLLOW_UP_BY + " '" + by
                    + "' is neither an ISO instant nor a duration such as PT4H or 4h");
        }
        if (due.isBefore(occurredAt)) {
            throw new Unusable(FOLLOW_UP_BY + " " + due + " is before occurredAt " + occurredAt);
        }
        return due.toEpochMilli();
    }

    private static Instant parseWhen(String text, Instant from) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            // not a date-time: maybe a duration
        }
        Matcher shortForm = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return from.plus(switch (shortForm.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        try {
            Duration duration = Duration.parse(text);
            return duration.isNegative() ? null : from.plus(duration);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static long businessDeadline(BusinessCalendar calendar, Instant from, int hours,
            String field) throws Unusable {
        Instant due = calendar.plusBusinessTime(from, Duration.ofHours(hours));
        if (due == null) {
            throw new Unusable(field + " " + hours + " does not fit calendar "
                    + calendar.region() + " within three years");
        }
        return due.toEpochMilli();
    }

    /** How an interaction touched the customer, or null when it cannot keep any commitment. */
    static Contact contactOf(InteractionEvent e) {
        Contact.Kind kind;
        String detail = e.getType().name();
        if (e.getType() == InteractionType.OUTBOUND_CONTACT) {
            String outcome = e.getAttributes().getOrDefault(OUTCOME, "").strip()
                    .toUpperCase(Locale.ROOT);
            kind = UNANSWERED.contains(outcome)
                    ? Contact.Kind.OUTBOUND_UNANSWERED : Contact.Kind.OUTBOUND_CONNECTED;
            detail = outcome.isEmpty() ? "CONNECTED" : outcome;
        } else if (e.getDirection() == Direction.OUTBOUND && e.getType() == InteractionType.MESSAGE) {
            kind = Contact.Kind.OUTBOUND_MESSAGE;
            detail = e.getChannel() + " message";
        } else if (e.getDirection() == Direction.INBOUND
                && (e.getChannel() == Channel.PHONE || e.getChannel() == Channel.CHAT)
                && (e.getType() == InteractionType.CONTACT_STARTED
                        || e.getType() == InteractionType.MESSAGE)) {
            kind = Contact.Kind.INBOUND_LIVE;
            detail = "customer got through on " + e.getChannel();
        } else {
            return null;
        }
        Contact contact = new Contact();
        contact.eventId = e.getEventId();
        contact.kind = kind;
        contact.at = e.getOccurredAt().toEpochMilli();
        contact.caseId = e.getCaseId();
        contact.detail = detail;
        contact.agentId = e.getAgentId();
        return contact;
    }

    /** Same customer (the key) and case, or no case on either side. */
    static boolean covers(Commitment commitment, Contact contact) {
        return contact.caseId == null || commitment.caseId == null
                || contact.caseId.equals(commitment.caseId);
    }

    /**
     * What a contact means for a kind of commitment: a callback needs a call that connects; a
     * dropped contact is made good by any call back or by the customer getting back through; a
     * follow-up by any outreach that reaches the customer, a message included.
     */
    static Fact factFor(Commitment.Kind kind, Contact contact) {
        Fact.Kind effect = effect(kind, contact.kind);
        if (effect == null) {
            return null;
        }
        Fact fact = Fact.of(contact.eventId, effect, contact.at,
                contact.kind == Contact.Kind.INBOUND_LIVE ? contact.detail
                        : "OUTBOUND " + contact.detail);
        fact.agentId = contact.agentId;
        return fact;
    }

    /** Whether a contact of this kind counts for a commitment of that kind at all. */
    static boolean steps(Commitment.Kind kind, Contact.Kind contact) {
        return effect(kind, contact) != null;
    }

    private static Fact.Kind effect(Commitment.Kind kind, Contact.Kind contact) {
        return switch (contact) {
            case OUTBOUND_CONNECTED -> Fact.Kind.FULFIL;
            case OUTBOUND_UNANSWERED -> kind == Commitment.Kind.DROPPED_CONTACT
                    ? Fact.Kind.FULFIL : Fact.Kind.ATTEMPT;
            case OUTBOUND_MESSAGE -> kind == Commitment.Kind.FOLLOW_UP ? Fact.Kind.FULFIL : null;
            case INBOUND_LIVE -> kind == Commitment.Kind.DROPPED_CONTACT ? Fact.Kind.FULFIL : null;
        };
    }
}
