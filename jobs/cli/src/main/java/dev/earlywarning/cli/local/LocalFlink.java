package dev.earlywarning.cli.local;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job on an embedded Flink MiniCluster in this JVM, with the common embedded-engine settings
 * ({@link LocalEngine}: RocksDB, exactly-once checkpoints, object reuse, no Kryo fallback) and its
 * checkpoints and scratch files under the data dir: one place for {@code run} and {@code demo}.
 * The MiniCluster lives as long as its job: it shuts down when the job ends.
 */
public final class LocalFlink {

    /** {@code dataDir} holds the checkpoints and Flink's temporary files. */
    public record Options(Path dataDir, int parallelism, Duration checkpointInterval) {
        public Options {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1");
            }
        }
    }

    private LocalFlink() {}

    /** The common embedded-engine settings, plus parallelism and scratch space under the data dir. */
    public static Configuration configuration(Options options) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Configuration conf = LocalEngine.configuration(dataDir.resolve("checkpoints"),
                options.checkpointInterval());
        conf.set(CoreOptions.DEFAULT_PARALLELISM, options.parallelism());
        conf.set(CoreOptions.TMP_DIRS, dataDir.resolve("flink-tmp").toString());
        return conf;
    }

    public static StreamExecutionEnvironment environment(Options options) {
        try {
            Files.createDirectories(options.dataDir().resolve("flink-tmp"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(),
                configuration(options));
    }

    /** Wires {@code job} with {@code settings} and starts it without waiting for its end. */
    public static JobClient submit(JobCatalog.Job job, Settings settings, Options options)
            throws Exception {
        StreamExecutionEnvironment env = environment(options);
        job.wire(env, settings);
        return env.executeAsync(job.name());
    }

    /** Waits until the job runs (or ends early); returns its status then. */
    public static JobStatus awaitRunning(JobClient client, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING || status.isTerminalState()
                    || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(100);
        }
    }

    /** Cancels the job and waits for it (and so its MiniCluster) to end. */
    public static void cancel(JobClient client, Duration timeout) {
        try {
            JobStatus status = client.getJobStatus().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!status.isGloballyTerminalState()) {
                client.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            client.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // the result of a cancelled job is an exception: that is the expected end
        } catch (TimeoutException e) {
            throw new IllegalStateException("the job did not stop within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
