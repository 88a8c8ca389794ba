package dev.earlywarning.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RiskModelTest {

    private final ScoringConfig config = ScoringConfig.defaults();

    @Test
    void intensityHalvesEveryHalfLife() {
        RiskState state = RiskState.fresh(0);
        RiskModel.add(state, Signal.COMPLAINT, 0.8, 0, config);
        RiskModel.decayTo(state, Duration.ofHours(48).toMillis(), config);
        assertThat(state.intensity[Signal.COMPLAINT.ordinal()]).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void anOlderOccurrenceAddsWhatItWouldHaveDecayedTo() {
        RiskState inOrder = RiskState.fresh(0);
        RiskModel.add(inOrder, Signal.TRANSFER, 0.25, 0, config);
        RiskModel.decayTo(inOrder, Duration.ofHours(12).toMillis(), config);

        RiskState outOfOrder = RiskState.fresh(Duration.ofHours(12).toMillis());
        RiskModel.add(outOfOrder, Signal.TRANSFER, 0.25, 0, config);

        assertThat(RiskModel.total(outOfOrder)).isCloseTo(RiskModel.total(inOrder), within(1e-12));
    }

    @Test
    void scoreSaturatesBelowOne() {
        RiskState state = RiskState.fresh(0);
        for (int i = 0; i < 50; i++) {
            RiskModel.add(state, Signal.CHURN_INTENT, 0.8, 0, config);
        }
        assertThat(RiskModel.score(state)).isLessThanOrEqualTo(1.0).isGreaterThan(0.99);
    }

    @Test
    void clearTimeIsTheFirstMillisecondBelowTheClearThreshold() {
        RiskState state = RiskState.fresh(0);
        RiskModel.add(state, Signal.COMPLAINT, 0.7, 0, config);
        RiskModel.add(state, Signal.TRANSFER, 0.5, 0, config);

        long clearAt = RiskModel.clearTime(state, config);

        assertThat(RiskModel.scoreAt(state, clearAt, config)).isLessThan(config.clearThreshold());
        assertThat(RiskModel.scoreAt(state, clearAt - 1, config))
                .isGreaterThanOrEqualTo(config.clearThreshold());
    }

    @Test
    void clearTimeOfAnAlreadyLowScoreIsNow() {
        RiskState state = RiskState.fresh(1000);
        RiskModel.add(state, Signal.LONG_WAIT, 0.1, 1000, config);
        assertThat(RiskModel.clearTime(state, config)).isEqualTo(1000);
    }
}
