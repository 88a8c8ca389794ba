package dev.earlywarning.scoring;

import java.time.Duration;

/**
 * The at-risk signals, each with a default weight (intensity added per occurrence) and half-life
 * (how fast that intensity decays in event time). Names are the {@code Reason.signal} values.
 */
public enum Signal {
    REPEAT_CONTACT(0.35, Duration.ofHours(24)),
    CHANNEL_HOP(0.4, Duration.ofHours(24)),
    TRANSFER(0.25, Duration.ofHours(12)),
    ESCALATION(0.45, Duration.ofHours(24)),
    LONG_WAIT(0.2, Duration.ofHours(6)),
    DROPPED_CALL(0.4, Duration.ofHours(12)),
    ABANDONED(0.3, Duration.ofHours(12)),
    SELF_SERVICE_FAILED(0.3, Duration.ofHours(12)),
    DETRACTOR_SURVEY(1.2, Duration.ofHours(48)),
    COMPLAINT(0.7, Duration.ofHours(48)),
    NEGATIVE_SENTIMENT(0.35, Duration.ofHours(12)),
    CHURN_INTENT(0.8, Duration.ofHours(48)),
    BROKEN_PROMISE(0.8, Duration.ofHours(48));

    static final Signal[] ALL = values();

    private final double defaultWeight;
    private final Duration defaultHalfLife;

    Signal(double defaultWeight, Duration defaultHalfLife) {
        this.defaultWeight = defaultWeight;
        this.defaultHalfLife = defaultHalfLife;
    }

    double defaultWeight() {
        return defaultWeight;
    }

    Duration defaultHalfLife() {
        return defaultHalfLife;
    }

    /** The settings-key form: {@code weight.repeat-contact}, {@code half-life.repeat-contact}. */
    String key() {
        return name().toLowerCase().replace('_', '-');
    }

    int bit() {
        return 1 << ordinal();
    }
}
