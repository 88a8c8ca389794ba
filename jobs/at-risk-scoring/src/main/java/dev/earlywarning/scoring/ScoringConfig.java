package dev.earlywarning.scoring;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.schema.Channel;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the scoring job weighs signals and when it alerts. Read from {@code scoring.*} settings at
 * start-up and replaced at run time by {@code SET_CONFIG} control commands, whose JSON keys are the
 * same names without the prefix ({@code {"raise-threshold": 0.7, "weight.complaint": 1.0}}).
 *
 * <p>The score is {@code 1 - exp(-S)} where S is the sum of the decayed signal intensities, so it
 * stays in 0..1, rises with every piece of evidence and saturates instead of overflowing.
 */
public record ScoringConfig(
        Map<Signal, Double> weights,
        Map<Signal, Duration> halfLives,
        double raiseThreshold,
        double clearThreshold,
        double updateDelta,
        Duration repeatWindow,
        Duration selfServiceFollowUpWindow,
        Map<Channel, Duration> longWait,
        int csatDetractorMax,
        int npsDetractorMax,
        double negativeSentiment,
        List<String> churnPhrases,
        double outboundRelief,
        int timelineSize,
        Duration timelineHorizon,
        Duration stateRetention,
        Duration allowedLateness,
        Map<String, String> source,
        double[] halfLifeMillisBySignal)
        implements Serializable {

    static final List<String> DEFAULT_CHURN_PHRASES = List.of(
            "cancel", "close my account", "closing my account", "terminate", "switch to",
            "competitor", "lawyer", "legal action", "never again", "unsubscribe", "refund or",
            "last time", "going elsewhere", "ombudsman");

    public static ScoringConfig defaults() {
        return from(Settings.of(Map.of()));
    }

    /** Reads and validates; a bad value fails with a message naming the key and its range. */
    public static ScoringConfig from(Settings settings) {
        rejectUnknownKeys(settings.asMap().keySet());
        Map<Signal, Double> weights = new EnumMap<>(Signal.class);
        Map<Signal, Duration> halfLives = new EnumMap<>(Signal.class);
        for (Signal signal : Signal.ALL) {
            weights.put(signal, settings.doubleIn("weight." + signal.key(),
                    signal.defaultWeight(), 0, 10));
            halfLives.put(signal, settings.durationIn("half-life." + signal.key(),
                    signal.defaultHalfLife(), Duration.ofMinutes(1), Duration.ofDays(90)));
        }
        Map<Channel, Duration> longWait = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            longWait.put(channel, settings.durationIn(
                    "long-wait." + channel.name().toLowerCase().replace('_', '-'),
                    defaultLongWait(channel), Duration.ofSeconds(1), Duration.ofDays(30)));
        }
        double raise = settings.doubleIn("raise-threshold", 0.6, 0.01, 1);
        double clear = settings.doubleIn("clear-threshold", 0.35, 0, 1);
        if (clear >= raise) {
            throw new ConfigException("clear-threshold (" + clear
                    + ") must be below raise-threshold (" + raise + ") for hysteresis");
        }
        return new ScoringConfig(
                weights,
                halfLives,
                raise,
                clear,
                settings.doubleIn("update-delta", 0.1, 0.01, 1),
                settings.durationIn("repeat-window", Duration.ofHours(72),
                        Duration.ofMinutes(1), Duration.ofDays(30)),
                settings.durationIn("self-service-follow-up-window", Duration.ofHours(2),
                        Duration.ofMinutes(1), Duration.ofDays(7)),
                longWait,
                settings.intIn("csat-detractor-max", 2, 1, 4),
                settings.intIn("nps-detractor-max", 6, 0, 9),
                settings.doubleIn("negative-sentiment", -0.4, -1, 0),
                settings.list("churn-phrases", DEFAULT_CHURN_PHRASES).stream()
                        .map(String::toLowerCase).toList(),
                settings.doubleIn("outbound-relief", 0.4, 0, 1),
                settings.intIn("timeline-size", 20, 1, 200),
                settings.durationIn("timeline-horizon", Duration.ofDays(14),
                        Duration.ofHours(1), Duration.ofDays(365)),
                settings.durationIn("state-retention", Duration.ofDays(14),
                        Duration.ofHours(1), Duration.ofDays(365)),
                settings.durationIn("allowed-lateness", Duration.ofMinutes(10),
                        Duration.ZERO, Duration.ofDays(7)),
                settings.asMap(),
                // Read on every decay step: an array lookup, not a map lookup and a conversion.
                Signal.ALL.length == 0 ? new double[0] : java.util.Arrays.stream(Signal.ALL)
                        .mapToDouble(signal -> halfLives.get(signal).toMillis()).toArray());
    }

    /** This configuration with {@code overrides} applied, validated as a whole. */
    public ScoringConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(source);
        merged.putAll(overrides);
        return from(Settings.of(merged));
    }

    double weight(Signal signal) {
        return weights.get(signal);
    }

    long halfLifeMillis(Signal signal) {
        return (long) halfLifeMillisBySignal[signal.ordinal()];
    }

    /** The decayed-intensity sum at which the score equals {@code score}. */
    static double intensityFor(double score) {
        return -Math.log(1 - Math.min(score, 0.999999));
    }

    private static void rejectUnknownKeys(java.util.Set<String> keys) {
        java.util.Set<String> known = new java.util.TreeSet<>(List.of("raise-threshold",
                "clear-threshold", "update-delta", "repeat-window", "self-service-follow-up-window",
                "csat-detractor-max", "nps-detractor-max", "negative-sentiment", "churn-phrases",
                "outbound-relief", "timeline-size", "timeline-horizon", "state-retention",
                "allowed-lateness"));
        for (Signal signal : Signal.ALL) {
            known.add("weight." + signal.key());
            known.add("half-life." + signal.key());
        }
        for (Channel channel : Channel.values()) {
            known.add("long-wait." + channel.name().toLowerCase().replace('_', '-'));
        }
        for (String key : keys) {
            if (!known.contains(key)) {
                throw new ConfigException("Unknown scoring setting '" + key + "'; known: " + known);
            }
        }
    }

    private static Duration defaultLongWait(Channel channel) {
        return switch (channel) {
            case PHONE, IVR -> Duration.ofMinutes(5);
            case CHAT, SMS, SOCIAL -> Duration.ofMinutes(3);
            case EMAIL -> Duration.ofHours(24);
            default -> Duration.ofMinutes(15);
        };
    }
}
