package dev.earlywarning.sla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One commitment to a customer and all evidence about it: its facts in event-time order and the
 * alerts already emitted. Everything the job decides is read from the facts
 * ({@link CommitmentRules}), never from the order they arrived in. A commitment whose promise has
 * not arrived yet is pending: its facts wait for the promise up to the allowed lateness.
 */
public class Commitment {

    /** Where the obligation comes from. */
    public enum Kind {
        /** An explicit promise on cx.callbacks. */
        CALLBACK("callback"),
        /** A live contact we dropped: call back unless the customer gets back through first. */
        DROPPED_CONTACT("dropped-contact"),
        /** A contact that ended with a promised follow-up on its case. */
        FOLLOW_UP("follow-up");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** More evidence than this about one commitment is refused (dead-lettered), not stored. */
    static final int MAX_FACTS = 64;
    static final long UNSCHEDULED = Long.MAX_VALUE;

    public String commitmentId;
    public Kind kind;
    public String caseId;
    public String customerName;
    /** The calendar region the commitment is judged by (also the metrics' region label). */
    public String region;
    public String channel;
    public Fact[] facts;
    public FiredAlert[] alerts;
    /**
     * The next event time at which something about this commitment is due, under which it is
     * filed in the {@link CommitmentIndex}; {@link #UNSCHEDULED} until it is first stored.
     */
    public long wakeAt;

    public Commitment() {}

    static Commitment create(String commitmentId, Kind kind) {
        Commitment commitment = new Commitment();
        commitment.commitmentId = commitmentId;
        commitment.kind = kind;
        commitment.facts = new Fact[0];
        commitment.alerts = new FiredAlert[0];
        commitment.wakeAt = UNSCHEDULED;
        return commitment;
    }

    boolean isScheduled() {
        return wakeAt != UNSCHEDULED;
    }

    boolean isPromised() {
        return firstPromise() != null;
    }

    Fact firstPromise() {
        for (Fact fact : facts) {
            if (fact.kind == Fact.Kind.PROMISE) {
                return fact;
            }
        }
        return null;
    }

    boolean has(String eventId) {
        for (Fact fact : facts) {
            if (fact.eventId.equals(eventId)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a fact in evidence order; false when it is already known or there are too many. */
    boolean add(Fact fact) {
        if (has(fact.eventId) || facts.length >= MAX_FACTS) {
            return false;
        }
        Fact[] grown = Arrays.copyOf(facts, facts.length + 1);
        int i = grown.length - 1;
        while (i > 0 && Fact.compare(grown[i - 1], fact) > 0) {
            grown[i] = grown[i - 1];
            i--;
        }
        grown[i] = fact;
        facts = grown;
        return true;
    }

    void remove(Fact fact) {
        List<Fact> kept = new ArrayList<>(Arrays.asList(facts));
        kept.remove(fact);
        facts = kept.toArray(Fact[]::new);
    }

    long latestFactAt() {
        return facts.length == 0 ? Long.MIN_VALUE : facts[facts.length - 1].at;
    }

    FiredAlert alert(String alertId) {
        for (FiredAlert alert : alerts) {
            if (alert.alertId.equals(alertId)) {
                return alert;
            }
        }
        return null;
    }

    FiredAlert addAlert(FiredAlert alert) {
        alerts = Arrays.copyOf(alerts, alerts.length + 1);
        alerts[alerts.length - 1] = alert;
        return alert;
    }
}
