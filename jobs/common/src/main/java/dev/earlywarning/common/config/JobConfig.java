package dev.earlywarning.common.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * What every job needs to talk to Kafka and to keep time: read once at start-up from flags,
 * validated, then shipped with the job graph. Engine settings (checkpointing, state backend,
 * reporters) are the deployment's, not this record's.
 *
 * <p>{@code stop-at-latest} makes every source finish at the offsets that were the latest when
 * the job started: a backfill, or a test that runs a job to its end (which fires every timer).
 *
 * <p>{@code delivery} chooses the guarantee of every Kafka sink: {@code exactly-once} (the
 * contract; output becomes visible to {@code read_committed} readers when a checkpoint completes,
 * so alert latency is about the checkpoint interval) or {@code at-least-once} (records are sent as
 * they come; a restart may repeat alerts, which carry deterministic ids so consumers can drop the
 * repeats). Pair at-least-once with a short network buffer timeout in the engine settings.
 *
 * <p>{@code kafka.*} settings pass through unchanged to every consumer, producer and admin client,
 * so TLS and SASL need no code: {@code kafka.security.protocol=SASL_SSL}, ...
 */
public record JobConfig(
        String jobName,
        String bootstrapServers,
        String groupId,
        Topics topics,
        StartFrom startFrom,
        boolean stopAtLatest,
        Duration maxOutOfOrder,
        Duration sourceIdleness,
        Duration allowedLateness,
        Duration maxFutureSkew,
        Duration transactionTimeout,
        Delivery delivery,
        Map<String, String> kafkaProperties,
        Settings settings)
        implements Serializable {

    /**
     * Customers a job keeps in memory per parallel instance between checkpoints (setting
     * {@code cached-customers}), written to the state backend before each barrier: a few KB of
     * heap each. With the usual skew of customer contacts, the busiest few percent of customers
     * make most of the traffic.
     */
    public static final int DEFAULT_CACHED_CUSTOMERS = 20_000;

    /**
     * The default cache with at-least-once delivery (the low-latency mode): every cached customer
     * changed since the last barrier is written when the barrier passes, and the alerts behind it
     * wait for that. Measured with the changelog backend at half load: p99 304 ms with 20,000 per
     * instance, 97 ms with 5,000 (bench/README.md, latency figures).
     */
    public static final int LOW_LATENCY_CACHED_CUSTOMERS = 5_000;

    /** Where a job with no committed offsets starts reading. */
    public enum StartFrom { EARLIEST, LATEST }

    /** The guarantee of every Kafka sink of a job; spelled {@code exactly-once|at-least-once}. */
    public enum Delivery {
        EXACTLY_ONCE, AT_LEAST_ONCE;

        static Delivery from(Settings settings) {
            String value = settings.string("delivery", "exactly-once");
            for (Delivery delivery : values()) {
                if (delivery.label().equalsIgnoreCase(value)
                        || delivery.name().equalsIgnoreCase(value)) {
                    return delivery;
                }
            }
            throw new ConfigException("Invalid value '" + value
                    + "' for delivery: expected exactly-once or at-least-once");
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public static JobConfig from(String jobName, Settings settings) {
        Duration maxOutOfOrder = settings.durationIn("max-out-of-order", Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofDays(1));
        Duration transactionTimeout = settings.durationIn("transaction-timeout",
                Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofMinutes(15));
        return new JobConfig(
                jobName,
                settings.string("bootstrap", "127.0.0.1:9092"),
                settings.string("group-id", "ews-" + jobName),
                Topics.from(settings),
                settings.enumValue("start-from", StartFrom.EARLIEST),
                settings.bool("stop-at-latest", false),
                maxOutOfOrder,
                settings.durationIn("source-idleness", Duration.ofMinutes(1),
                        Duration.ofSeconds(1), Duration.ofDays(1)),
                settings.durationIn("allowed-lateness", Duration.ofMinutes(10),
                        Duration.ZERO, Duration.ofDays(7)),
                settings.durationIn("max-future-skew", Duration.ofDays(1),
                        Duration.ZERO, Duration.ofDays(365)),
                transactionTimeout,
                Delivery.from(settings),
                settings.scoped("kafka.").asMap(),
                settings);
    }

    /** Customers cached per instance: the setting, else the default of the job's delivery. */
    public int cachedCustomers() {
        return settings.intIn("cached-customers", delivery == Delivery.AT_LEAST_ONCE
                ? LOW_LATENCY_CACHED_CUSTOMERS : DEFAULT_CACHED_CUSTOMERS, 1, 10_000_000);
    }

    /** Later bytes in the transactional id keep jobs (and their tests) from fencing each other. */
    public String transactionalIdPrefix() {
        return groupId + "-tx";
    }
}
