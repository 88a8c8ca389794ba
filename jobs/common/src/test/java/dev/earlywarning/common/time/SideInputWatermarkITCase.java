package dev.earlywarning.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.Inputs;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.InteractionEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.functions.sink.legacy.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A side input with {@link EventTime#neverHoldsBack()} must neither hold back nor drive the main
 * input's event time: when the main input goes idle, no timer may fire (a side input that
 * pushed its own watermark would fire every clean-up timer of every key).
 */
class SideInputWatermarkITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    static final Queue<String> FIRED = new ConcurrentLinkedQueue<>();
    static final MapStateDescriptor<String, String> SIDE =
            new MapStateDescriptor<>("side", Types.STRING, Types.STRING);

    @Test
    void anIdleMainInputStopsEventTimeInsteadOfLettingTheSideInputFireTimers() throws Exception {
        Topics topics = KAFKA.freshTopics("idle");
        Map<String, String> settings = KAFKA.settingsFor(topics, "idle-job");
        settings.put("source-idleness", "1s");
        settings.put("max-out-of-order", "0s");
        JobConfig config = JobConfig.from("idle-job", Settings.of(settings));
        KAFKA.produce(topics.interactions(), "c1", Interactions.event("e1", "c1").build());
        KAFKA.produce(topics.control(), "x", ControlCommand.newBuilder().setCommandId("k")
                .setJob("x").setKind("SET_CONFIG").setOccurredAt(Interactions.T0).build());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var main = Inputs.validRecords(env, KafkaIo.source(config, topics.interactions(),
                RecordTypes.INTERACTION), RecordTypes.INTERACTION, config, topics.interactions());
        var side = Inputs.validRecords(env, KafkaIo.source(config, topics.control(),
                RecordTypes.CONTROL), RecordTypes.CONTROL, config, topics.control(),
                EventTime.neverHoldsBack());
        main.keyBy(e -> e.value.getCustomerId(), Types.STRING)
                .connect(side.broadcast(SIDE))
                .process(new TimerAnHourLater(), Types.STRING)
                .addSink(new SinkFunction<>() {
                    @Override
                    public void invoke(String value, Context context) {
                        FIRED.add(value);
                    }
                });
        JobClient job = env.executeAsync("idle main input");
        try {
            // Several idleness periods pass with the main input idle and the side input alive.
            Thread.sleep(6000);
            assertThat(FIRED).as("no timer may fire while the main input is idle").isEmpty();

            // The job can fire timers at all: event time moving on fires the hour-later timer.
            KAFKA.produce(topics.interactions(), "c1", Interactions.event("e2", "c1")
                    .at(Duration.ofHours(2)).build());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (FIRED.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(FIRED).contains("c1");
        } finally {
            job.cancel().get();
        }
    }

    /** Emits its key when an event-time timer an hour after the key's first event fires. */
    static final class TimerAnHourLater extends KeyedBroadcastProcessFunction<String,
            Ingested<InteractionEvent>, Ingested<ControlCommand>, String> {
        @Override
        public void processElement(Ingested<InteractionEvent> in, ReadOnlyContext ctx,
                Collector<String> out) {
            ctx.timerService().registerEventTimeTimer(
                    in.value.getOccurredAt().toEpochMilli() + Duration.ofHours(1).toMillis());
        }

        @Override
        public void processBroadcastElement(Ingested<ControlCommand> in, Context ctx,
                Collector<String> out) {}

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            out.collect(ctx.getCurrentKey());
        }
    }
}
