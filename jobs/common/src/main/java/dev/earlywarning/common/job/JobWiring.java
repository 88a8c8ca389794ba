package dev.earlywarning.common.job;

import dev.earlywarning.common.config.Settings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How a job adds itself, with its Kafka sources and sinks, to an environment: every job's
 * {@code wire(StreamExecutionEnvironment, Settings)}. Its {@code main}, {@code ews run}, the demo
 * and the tests all start jobs through it, so they run the same topology.
 */
@FunctionalInterface
public interface JobWiring {

    void wire(StreamExecutionEnvironment env, Settings settings);

    /** A job's {@code main}: {@code --key value} flags become the settings. */
    static void run(String name, String[] args, JobWiring job) throws Exception {
        Settings settings = Settings.of(org.apache.flink.util.ParameterTool.fromArgs(args).toMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.wire(env, settings);
        env.execute(name);
    }
}
