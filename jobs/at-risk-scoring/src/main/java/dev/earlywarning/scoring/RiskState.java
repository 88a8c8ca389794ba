package dev.earlywarning.scoring;

import dev.earlywarning.common.state.RecentIds;
import java.util.Arrays;

/**
 * One customer's scoring state: decayed signal intensities, the evidence behind them, the recent
 * cases (for repeat contacts and channel hops), the open alert, and the bookkeeping of timers.
 * Stored by {@link RiskStateSerializer}: a field added here must be added to its format too (a new
 * format number, the old ones still read), or it is not kept across checkpoints. It stays a
 * POJO because state written by earlier releases was, and is migrated from that.
 */
public class RiskState {
    static final int EVIDENCE_PER_SIGNAL = 3;
    static final int RECENT_CASES = 3;
    static final long NONE = Long.MIN_VALUE;
    /** How many recent input ids are remembered to recognise a redelivery. */
    static final int RECENT_INPUTS = RecentIds.SIZE;

    /** Per {@link Signal} ordinal, valid at {@link #asOf}. */
    public double[] intensity;
    public long asOf;
    /** {@link #EVIDENCE_PER_SIGNAL} event ids per signal, newest first. */
    public String[] evidence;
    /** The newest human-readable detail per signal. */
    public String[] details;

    /** Most recently used first. */
    public String[] caseIds;
    /** Per recent case: bit set of the {@code Channel} ordinals the customer used. */
    public int[] caseChannels;
    public int[] caseContacts;
    public long lastInboundContactAt;
    public int lastInboundChannel;
    public long selfServiceFailedAt;
    public String selfServiceFailedEventId;

    /** The open alert's id, or null when none is open. */
    public String alertId;
    public int alertRevision;
    public double alertedScore;
    /** Bit set of the signals the open alert already reported. */
    public int alertedSignals;

    /** A forced alert (detractor survey) stays open at least until then, whatever the score. */
    public long holdOpenUntil;
    public long resolveTimerAt;
    public long cleanupTimerAt;
    public long lastEventAt;
    /** How many entries the customer's timeline log holds in the state backend. */
    public int timelineStored;
    /**
     * False only in state written before the timeline became a log (it was a ring of slots in a
     * map then): such a customer's timeline is converted on its first load.
     */
    public boolean timelineInLog;
    public String customerName;
    /** The most recent input ids, a {@link RecentIds} ring. */
    public long[] recentInputs;
    public int recentInputsWritten;
    public String lastCaseId;

    public RiskState() {}

    static RiskState fresh(long eventTime) {
        RiskState state = new RiskState();
        state.intensity = new double[Signal.ALL.length];
        state.evidence = new String[Signal.ALL.length * EVIDENCE_PER_SIGNAL];
        state.details = new String[Signal.ALL.length];
        state.caseIds = new String[RECENT_CASES];
        state.caseChannels = new int[RECENT_CASES];
        state.caseContacts = new int[RECENT_CASES];
        state.asOf = eventTime;
        state.lastInboundContactAt = NONE;
        state.lastInboundChannel = -1;
        state.selfServiceFailedAt = NONE;
        state.holdOpenUntil = NONE;
        state.resolveTimerAt = NONE;
        state.cleanupTimerAt = NONE;
        state.lastEventAt = eventTime;
        state.recentInputs = RecentIds.ring();
        state.timelineInLog = true;
        return state;
    }

    /** Widens the per-signal arrays when a release added signals since this state was written. */
    RiskState upgraded() {
        int signals = Signal.ALL.length;
        if (intensity.length < signals) {
            intensity = Arrays.copyOf(intensity, signals);
            evidence = Arrays.copyOf(evidence, signals * EVIDENCE_PER_SIGNAL);
            details = Arrays.copyOf(details, signals);
        }
        if (recentInputs == null) {
            recentInputs = RecentIds.ring();
        }
        return this;
    }

    /** True unless {@code inputId} is among the recent inputs; remembers it either way. */
    boolean firstSeen(String inputId) {
        if (!RecentIds.isNew(recentInputs, recentInputsWritten, inputId)) {
            return false;
        }
        recentInputsWritten++;
        return true;
    }

    boolean hasOpenAlert() {
        return alertId != null;
    }

    void addEvidence(Signal signal, String eventId, String detail) {
        int base = signal.ordinal() * EVIDENCE_PER_SIGNAL;
        if (eventId.equals(evidence[base])) {
            return;
        }
        System.arraycopy(evidence, base, evidence, base + 1, EVIDENCE_PER_SIGNAL - 1);
        evidence[base] = eventId;
        details[signal.ordinal()] = detail;
    }

    String[] evidenceOf(Signal signal) {
        int base = signal.ordinal() * EVIDENCE_PER_SIGNAL;
        return Arrays.stream(evidence, base, base + EVIDENCE_PER_SIGNAL)
                .filter(id -> id != null).toArray(String[]::new);
    }

    /** The slot of {@code caseId} among the recent cases, or -1. */
    int caseSlot(String caseId) {
        for (int i = 0; i < caseIds.length; i++) {
            if (caseId.equals(caseIds[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Moves (or inserts) {@code caseId} to the front of the recent cases; returns slot 0. */
    int touchCase(String caseId) {
        int slot = caseSlot(caseId);
        String id = caseId;
        int channels = slot >= 0 ? caseChannels[slot] : 0;
        int contacts = slot >= 0 ? caseContacts[slot] : 0;
        int from = slot >= 0 ? slot : caseIds.length - 1;
        System.arraycopy(caseIds, 0, caseIds, 1, from);
        System.arraycopy(caseChannels, 0, caseChannels, 1, from);
        System.arraycopy(caseContacts, 0, caseContacts, 1, from);
        caseIds[0] = id;
        caseChannels[0] = channels;
        caseContacts[0] = contacts;
        return 0;
    }

    void clearAlert() {
        alertId = null;
        alertRevision = 0;
        alertedScore = 0;
        alertedSignals = 0;
        holdOpenUntil = NONE;
    }
}
