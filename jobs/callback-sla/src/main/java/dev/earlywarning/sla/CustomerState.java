package dev.earlywarning.sla;

import dev.earlywarning.common.state.LogTail;
import dev.earlywarning.common.state.RecentIds;
import dev.earlywarning.schema.TimelineEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the job keeps per customer besides the commitments: who they are, the recent contacts that
 * can still keep a promise arriving late, the size of their timeline log, the ids of their most
 * recent inputs, and when they are to be forgotten once no commitment is left.
 *
 * <p>Stored by {@link CustomerStateSerializer}: a field added here is added to its format under a
 * new format number, and the older formats are still read, with the field at its default (each
 * field says what that default means). It stays a POJO because the state of earlier releases,
 * which Flink's POJO serializer wrote, is migrated from that form on restore.
 */
public class CustomerState {
    static final long NONE = Long.MIN_VALUE;
    static final int RECENT_CONTACTS = 8;

    public String customerName;
    public String regionId;
    public long lastEventAt;
    /** The clean-up timer of a customer without commitments (their own timers wake the rest). */
    public long timerAt;
    /** How many entries the customer's timeline log holds. */
    public int timelineStored;
    /** False in state written before the timeline became a log (a ring of map slots then). */
    public boolean timelineInLog;
    /** The most recent input ids, a {@link RecentIds} ring; null in state written before it. */
    public long[] recentInputs;
    public int recentInputsWritten;
    /**
     * Whether ids seen before the ring existed may still be in the set of seen ids the job kept
     * then: only such customers' ids are looked up there, and only their set is cleared.
     */
    public boolean seenIdsInSet;
    /** Commitments in state, pending ones included. */
    public int commitments;
    /**
     * {@link #commitments} per {@link Commitment.Kind} ordinal, so that a contact which can keep
     * none of the customer's kinds of commitment (most inbound contacts) reads none of them from
     * the state. Null in state written before it was kept: unknown until counted again.
     */
    public int[] commitmentsByKind;
    /** Whether the commitments are in the {@link CommitmentIndex}: false in older state. */
    public boolean commitmentsIndexed;
    /** Oldest first. */
    public Contact[] contacts;
    /**
     * Timeline entries since the customer was last written, which go to the timeline log with
     * them: held only while the customer is cached, never stored itself (transient).
     */
    transient LogTail<TimelineEntry> timelineTail = new LogTail<>();
    /**
     * The customer's commitments as read and changed while the customer is cached, written with
     * them; null until used, and always on the heap backend. Never stored itself (transient).
     */
    transient CommitmentsInMemory commitmentsInMemory;

    public CustomerState() {}

    static CustomerState fresh(long at) {
        CustomerState state = new CustomerState();
        state.lastEventAt = at;
        state.timerAt = NONE;
        state.contacts = new Contact[0];
        state.commitmentsByKind = new int[Commitment.Kind.values().length];
        state.commitmentsIndexed = true;
        state.timelineInLog = true;
        state.recentInputs = RecentIds.ring();
        return state;
    }

    /** True unless {@code inputId} is among the recent inputs; remembers it either way. */
    boolean firstSeen(String inputId) {
        if (!RecentIds.isNew(recentInputs, recentInputsWritten, inputId)) {
            return false;
        }
        recentInputsWritten++;
        return true;
    }

    void added(Commitment commitment) {
        commitments++;
        if (commitmentsByKind != null) {
            commitmentsByKind[commitment.kind.ordinal()]++;
        }
    }

    void removed(Commitment commitment) {
        commitments--;
        if (commitmentsByKind != null) {
            commitmentsByKind[commitment.kind.ordinal()]--;
        }
    }

    /** Whether a contact of this kind can step any commitment the customer has (if counted). */
    boolean mayBeSteppedBy(Contact.Kind contact) {
        if (commitments == 0) {
            return false;
        }
        if (commitmentsByKind == null) {
            return true;
        }
        for (Commitment.Kind kind : Commitment.Kind.values()) {
            if (commitmentsByKind[kind.ordinal()] > 0 && Evidence.steps(kind, contact)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remembers a contact; forgets those older than {@code horizon}, which no promise can still
     * precede (a promise that old would be too late itself), and all but the newest few.
     */
    void remember(Contact contact, long horizon) {
        List<Contact> kept = new ArrayList<>();
        for (Contact known : contacts) {
            if (known.at >= horizon && !known.eventId.equals(contact.eventId)) {
                kept.add(known);
            }
        }
        kept.add(contact);
        kept.sort((a, b) -> Long.compare(a.at, b.at));
        int from = Math.max(0, kept.size() - RECENT_CONTACTS);
        contacts = kept.subList(from, kept.size()).toArray(Contact[]::new);
    }

    List<Contact> contactsSince(long at) {
        return Arrays.stream(contacts).filter(c -> c.at > at).toList();
    }
}
