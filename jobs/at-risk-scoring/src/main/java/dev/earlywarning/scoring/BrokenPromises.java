package dev.earlywarning.scoring;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import java.util.List;

/**
 * Reads the callback-sla job's breach alerts as the BROKEN_PROMISE signal. A breach withdrawn
 * later (RESOLVED, e.g. the callback was made after all and reported late) takes back what it
 * added, as decayed from the missed deadline.
 */
final class BrokenPromises {

    private BrokenPromises() {}

    static List<SignalDetector.Detection> detect(Alert breach, RiskState state,
            ScoringConfig config) {
        if (breach.getStatus() == AlertStatus.RESOLVED) {
            withdraw(breach, state, config);
            return List.of();
        }
        if (breach.getStatus() == AlertStatus.UPDATED) {
            // The same breach again, with more detail: it was counted when it opened.
            return List.of();
        }
        return List.of(new SignalDetector.Detection(Signal.BROKEN_PROMISE,
                config.weight(Signal.BROKEN_PROMISE), describe(breach)));
    }

    private static void withdraw(Alert breach, RiskState state, ScoringConfig config) {
        long missedAt = (breach.getDueBy() != null ? breach.getDueBy() : breach.getTriggeredAt())
                .toEpochMilli();
        RiskModel.add(state, Signal.BROKEN_PROMISE, -config.weight(Signal.BROKEN_PROMISE),
                missedAt, config);
        int slot = Signal.BROKEN_PROMISE.ordinal();
        state.intensity[slot] = Math.max(0, state.intensity[slot]);
    }

    static String describe(Alert breach) {
        String what = switch (breach.getKind()) {
            case FOLLOW_UP_OVERDUE -> "promised follow-up not given";
            default -> "promised callback missed";
        };
        String detail = breach.getReasons().isEmpty() ? ""
                : ": " + breach.getReasons().get(0).getDetail();
        return what + (breach.getCommitmentId() == null ? "" : " (" + breach.getCommitmentId() + ")")
                + detail;
    }
}
