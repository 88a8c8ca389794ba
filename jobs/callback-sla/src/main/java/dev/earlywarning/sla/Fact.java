package dev.earlywarning.sla;

/**
 * One piece of evidence about a commitment, in event time: a promise (the first, a reschedule or
 * an implicit one), an attempt that did not reach the customer, a fulfilment, or a cancellation.
 * A flat POJO so that Flink serializes it without Kryo.
 */
public class Fact {

    /** What a fact does to its commitment. */
    public enum Kind { PROMISE, ATTEMPT, FULFIL, CANCEL }

    public String eventId;
    public Kind kind;
    public long at;
    /** PROMISE: when the customer expects the contact (business hours already applied). */
    public long dueAt;
    /** PROMISE: the grace after {@link #dueAt} before the promise counts as broken. */
    public long windowMillis;
    /** PROMISE: "by dueAt" (any time until then) rather than "at dueAt". */
    public boolean byDeadline;
    /** The source record's own word for it: PROMISED, NO_ANSWER, COMPLETED, OUTBOUND_CONTACT, ... */
    public String detail;
    public String agentId;
    public String agentName;
    /** From cx.callbacks, naming its commitment, rather than inferred from an interaction. */
    public boolean explicit;
    /** The callback record as read, kept to dead-letter it should it turn out unusable. */
    public byte[] payload;
    public int partition;
    public long offset;

    public Fact() {}

    static Fact of(String eventId, Kind kind, long at, String detail) {
        Fact fact = new Fact();
        fact.eventId = eventId;
        fact.kind = kind;
        fact.at = at;
        fact.detail = detail;
        return fact;
    }

    /** Evidence order: event time, then event id, so that every arrival order reads the same. */
    static int compare(Fact a, Fact b) {
        int byTime = Long.compare(a.at, b.at);
        return byTime != 0 ? byTime : a.eventId.compareTo(b.eventId);
    }
}
