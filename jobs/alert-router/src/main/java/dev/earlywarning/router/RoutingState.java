package dev.earlywarning.router;

import java.util.Arrays;

/**
 * One customer's routing bookkeeping: the open responder item (at most one per customer), its
 * acknowledgement, escalation and follow-through, the outreach contacts that count against the
 * fatigue budget, and the next due time of everything waiting for event time. The alerts
 * themselves live in map state next to it; this stays a small flat POJO of primitives and arrays
 * that Flink's POJO serializer writes without Kryo.
 *
 * <p>Times are epoch millis of event time; {@link #NONE} (the largest long) means "nothing due",
 * so the next due time is a plain minimum.
 */
public class RoutingState {
    static final long NONE = Long.MAX_VALUE;
    /** Bounds the ids an item remembers for matching acknowledgements (a flapping alert adds one per reopen). */
    static final int MAX_GROUPED_IDS = 64;

    /** The open responder item, or null when the customer has none. */
    public String itemId;
    /** Revision of the item's last emitted record; -1 before its OPEN. */
    public int itemRevision;
    public long itemFirstTriggeredAt;
    /** Event time of the item's OPEN record, or NONE while it is still in its group window. */
    public long itemOpenedAt;
    /** Severity ordinal of the last emitted record (for the queue gauge), -1 before the OPEN. */
    public int itemSeverity;
    /** Every source alert id grouped into the item, oldest first. */
    public String[] groupedAlertIds;
    /** Members or attachments changed since the last emitted record. */
    public boolean changed;

    public int escalationLevel;
    public long ackDeadlineAt;
    public long ackedAt;
    public String ackedBy;
    public long followThroughAt;
    public long contactAt;
    public String contactEventId;
    /** Earliest end of a flapping member's hold. */
    public long holdUntil;

    /** Earliest group-window end of the pending alert records. */
    public long flushAt;
    /** Earliest event time of the pending acknowledgements and contacts. */
    public long inboxAt;

    /** Event times of the outreach contacts sent within the budget period, oldest first. */
    public long[] outreachSentAt;
    /** Latest event time of an alert or acknowledgement; NONE when only contacts were seen. */
    public long lastActivityAt;
    public long timerAt;

    public RoutingState() {}

    static RoutingState fresh() {
        RoutingState state = new RoutingState();
        state.outreachSentAt = new long[0];
        state.lastActivityAt = NONE;
        state.flushAt = NONE;
        state.inboxAt = NONE;
        state.timerAt = NONE;
        state.clearItem();
        return state;
    }

    boolean hasItem() {
        return itemId != null;
    }

    boolean itemEmitted() {
        return itemOpenedAt != NONE;
    }

    boolean acknowledged() {
        return ackedAt != NONE;
    }

    void openItem(String id, long firstTriggeredAt) {
        clearItem();
        itemId = id;
        itemFirstTriggeredAt = firstTriggeredAt;
    }

    void addGroupedId(String alertId) {
        if (Arrays.asList(groupedAlertIds).contains(alertId)) {
            return;
        }
        String[] ids = groupedAlertIds.length < MAX_GROUPED_IDS
                ? Arrays.copyOf(groupedAlertIds, groupedAlertIds.length + 1)
                // Keep the first (the item's id derives from it) and the newest.
                : shiftKeepingFirst(groupedAlertIds);
        ids[ids.length - 1] = alertId;
        groupedAlertIds = ids;
    }

    void clearItem() {
        itemId = null;
        itemRevision = -1;
        itemFirstTriggeredAt = NONE;
        itemOpenedAt = NONE;
        itemSeverity = -1;
        groupedAlertIds = new String[0];
        changed = false;
        escalationLevel = 0;
        ackDeadlineAt = NONE;
        ackedAt = NONE;
        ackedBy = null;
        followThroughAt = NONE;
        contactAt = NONE;
        contactEventId = null;
        holdUntil = NONE;
    }

    /** The earliest time something is due, including the clean-up check. */
    long nextDue(long cleanupAt) {
        return Math.min(Math.min(Math.min(flushAt, inboxAt), Math.min(holdUntil, ackDeadlineAt)),
                Math.min(followThroughAt, cleanupAt));
    }

    private static String[] shiftKeepingFirst(String[] ids) {
        String[] shifted = Arrays.copyOf(ids, ids.length);
        System.arraycopy(ids, 2, shifted, 1, ids.length - 2);
        return shifted;
    }
}
