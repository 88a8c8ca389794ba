package dev.earlywarning.scoring;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Decoded;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.Inputs;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The at-risk scoring topology: interactions and broken-promise alerts keyed by customer, scored
 * with the control stream's configuration broadcast to every instance; alerts and dead letters go
 * to the given sinks. The job reads the alert topic it also writes to, but only the callback-sla
 * job's breaches, never its own alerts.
 */
public final class AtRiskScoringPipeline {

    /**
     * Cached customers per parallel instance that may have changed since they were last written
     * (setting {@code dirty-customers}); beyond it the one changed longest ago is written at once.
     * Writing them stops the task at each checkpoint barrier, about 10 microseconds a customer, so
     * this bounds that pause (and the alert latency it adds) when the cache is made larger. By
     * default it equals the default cache: a bound of 5,000 cost about a tenth of the throughput
     * (customers written twice between barriers) and gave no measurable latency gain.
     */
    public static final int DEFAULT_DIRTY_CUSTOMERS = 20_000;

    private AtRiskScoringPipeline() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config, ScoringConfig scoring,
            Source<Decoded<InteractionEvent>, ?, ?> interactions,
            Source<Decoded<Alert>, ?, ?> alerts,
            Source<Decoded<ControlCommand>, ?, ?> control,
            Consumer<DataStream<Alert>> alertSink,
            Consumer<DataStream<DeadLetter>> deadLetterSink) {
        SingleOutputStreamOperator<Ingested<InteractionEvent>> events = Inputs.validRecords(
                env, interactions, RecordTypes.INTERACTION, config, config.topics().interactions());
        // Breaches are derived records that arrive after their event time by design: they never
        // hold back the watermark and never count as late (their decay still uses their own time).
        SingleOutputStreamOperator<Ingested<Alert>> otherAlerts = Inputs.validRecords(
                env, alerts, RecordTypes.ALERT, config, config.topics().alerts(),
                EventTime.neverHoldsBack());
        DataStream<ScoringInput> inputs = events
                .map(ScoringInput::of, ScoringInput.typeInfo()).name("interactions")
                .union(otherAlerts
                        .filter(ScoringInput::isBrokenPromise).name("broken promises")
                        .map(ScoringInput::ofBrokenPromise, ScoringInput.typeInfo()));
        SingleOutputStreamOperator<Ingested<ControlCommand>> commands = Inputs.validRecords(
                env, control, RecordTypes.CONTROL, config, config.topics().control(),
                EventTime.neverHoldsBack());
        int cachedCustomers = config.cachedCustomers();
        int dirtyCustomers = config.settings().intIn("dirty-customers",
                Math.min(DEFAULT_DIRTY_CUSTOMERS, cachedCustomers), 1, cachedCustomers);

        SingleOutputStreamOperator<Alert> atRisk = inputs
                .keyBy(ScoringInput::customerId, Types.STRING)
                .connect(commands.broadcast())
                .transform("score at-risk customers", new AvroTypeInfo<>(Alert.class),
                        new RiskScoringOperator(scoring, cachedCustomers, dirtyCustomers,
                                config.topics().interactions(), config.topics().control()))
                .uid("risk-scoring");

        alertSink.accept(atRisk);
        deadLetterSink.accept(events.getSideOutput(DeadLetters.TAG).union(
                otherAlerts.getSideOutput(DeadLetters.TAG),
                commands.getSideOutput(DeadLetters.TAG),
                atRisk.getSideOutput(DeadLetters.TAG)));
    }
}
