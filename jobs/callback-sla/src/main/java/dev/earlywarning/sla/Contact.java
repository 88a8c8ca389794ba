package dev.earlywarning.sla;

/**
 * A recent interaction that can keep a commitment (we reached the customer, tried to, or the
 * customer got back through), remembered briefly so that a promise arriving after it in processing
 * order, but made before it in event time, still sees it.
 */
public class Contact {

    /** How an interaction touched the customer; stored by ordinal, so new kinds go last. */
    public enum Kind { OUTBOUND_CONNECTED, OUTBOUND_UNANSWERED, OUTBOUND_MESSAGE, INBOUND_LIVE }

    public String eventId;
    public Kind kind;
    public long at;
    public String caseId;
    /** The interaction's own words: its outcome attribute, or its type and channel. */
    public String detail;
    public String agentId;

    public Contact() {}
}
