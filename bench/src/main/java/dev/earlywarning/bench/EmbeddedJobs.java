package dev.earlywarning.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.cli.local.LocalFlink;
import dev.earlywarning.common.config.Settings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;

/**
 * Jobs side by side on one embedded MiniCluster, as {@code ews demo} runs them: each wired
 * through its production {@code wire} (Kafka in and out, RocksDB, checkpoints), one TaskManager
 * with a slot per parallel task of every job and the given managed memory.
 */
final class EmbeddedJobs implements AutoCloseable {

    /** Engine settings of a run. */
    record Engine(int parallelism, Duration checkpointInterval, MemorySize managedMemory,
            Configuration extra) {
        /**
         * What a production TaskManager of the scoring job (4 GiB process, two slots, see the
         * Kubernetes sizing) gives RocksDB: the managed memory of Flink's default fractions.
         */
        static final String MANAGED_MEMORY = "1400m";

        static Engine from(Settings flags, Duration defaultCheckpoints) {
            return new Engine(flags.intIn("parallelism", 2, 1, 64),
                    flags.durationIn("checkpoint-interval", defaultCheckpoints,
                            Duration.ofMillis(100), Duration.ofMinutes(10)),
                    MemorySize.parse(flags.string("managed-memory", MANAGED_MEMORY)),
                    engineOptions(flags));
        }

        /**
         * No restarts (a failure ends the run with its cause instead of restarting into a loop),
         * plus any Flink option given as {@code --flink.<key> value}, e.g.
         * {@code --flink.state.backend.rocksdb.memory.write-buffer-ratio 0.25}: the way to try an
         * engine setting without a build.
         */
        private static Configuration engineOptions(Settings flags) {
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
            flags.scoped("flink.").asMap().forEach(conf::setString);
            return conf;
        }

        Engine with(Configuration more) {
            Configuration merged = new Configuration(extra);
            merged.addAll(more);
            return new Engine(parallelism, checkpointInterval, managedMemory, merged);
        }

        String describe() {
            return "parallelism " + parallelism + ", RocksDB, checkpoints every "
                    + checkpointInterval.toMillis() + " ms, managed memory " + managedMemory
                    + (extra.contains(ExecutionOptions.BUFFER_TIMEOUT) ? ", buffer timeout "
                            + extra.get(ExecutionOptions.BUFFER_TIMEOUT).toMillis() + " ms" : "");
        }
    }

    private final LocalFlink.Cluster cluster;
    private final List<JobClient> clients;

    private EmbeddedJobs(LocalFlink.Cluster cluster, List<JobClient> clients) {
        this.cluster = cluster;
        this.clients = clients;
    }

    static EmbeddedJobs start(Path dir, List<JobCatalog.Job> jobs, Map<String, String> settings,
            Engine engine) throws Exception {
        // Engine options reach the cluster too: some (the changelog storage) are read there.
        Configuration taskManager = new Configuration(engine.extra());
        taskManager.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, engine.managedMemory());
        // Every checkpoint of a run, not Flink's last ten, for the latency harness's timeline.
        taskManager.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 100_000);
        LocalFlink.Cluster cluster = LocalFlink.Cluster.start(dir,
                engine.parallelism() * jobs.size(), taskManager);
        List<JobClient> clients = new ArrayList<>();
        EmbeddedJobs running = new EmbeddedJobs(cluster, clients);
        try {
            for (JobCatalog.Job job : jobs) {
                clients.add(cluster.submit(job, Settings.of(ownGroup(settings, job)),
                        new LocalFlink.Options(
                        dir.resolve(job.name()), engine.parallelism(),
                        engine.checkpointInterval(), engine.extra())));
            }
            for (JobClient client : clients) {
                LocalFlink.awaitRunning(client, Duration.ofSeconds(60));
            }
        } catch (Exception e) {
            running.close();
            throw e;
        }
        return running;
    }

    /**
     * Jobs side by side need consumer groups and transactional ids of their own (duplicate
     * transactional id prefixes fail the sinks): the run's {@code group-id} plus the job's name.
     */
    private static Map<String, String> ownGroup(Map<String, String> settings, JobCatalog.Job job) {
        Map<String, String> own = new java.util.LinkedHashMap<>(settings);
        own.computeIfPresent("group-id", (key, group) -> group + "." + job.name());
        return own;
    }

    /** One completed checkpoint of the first job, with the slowest task's phases. */
    record Checkpoint(long id, long triggeredAt, long endToEnd, String slowestTask, long sync,
            long async, long startDelay) {}

    /**
     * The first job's completed checkpoints so far, as Flink's REST API summarises them: how
     * many, and their end-to-end durations (trigger to acknowledged by every task).
     */
    String checkpointSummary() throws Exception {
        JsonNode stats = rest("/jobs/" + clients.get(0).getJobID() + "/checkpoints");
        JsonNode duration =
                stats.path("summary").path("end_to_end_duration");
        return String.format(Locale.ROOT,
                "%d completed, %d failed; end-to-end duration p50 %d ms, p99 %d ms, max %d ms",
                stats.path("counts").path("completed").asLong(),
                stats.path("counts").path("failed").asLong(), duration.path("p50").asLong(),
                duration.path("p99").asLong(), duration.path("max").asLong());
    }

    /**
     * The first job's completed checkpoints triggered at or after {@code since} (epoch ms), oldest
     * first, each with the task whose synchronous phase took longest: the phase that holds up the
     * task's records (the write-back cache's flush and RocksDB's native checkpoint run in it).
     */
    List<Checkpoint> checkpointsSince(long since) throws Exception {
        String job = "/jobs/" + clients.get(0).getJobID();
        Map<String, String> names = new java.util.HashMap<>();
        for (JsonNode vertex : rest(job).path("vertices")) {
            names.put(vertex.path("id").asText(), vertex.path("name").asText());
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (JsonNode entry : rest(job + "/checkpoints").path("history")) {
            long triggeredAt = entry.path("trigger_timestamp").asLong();
            if (!"COMPLETED".equals(entry.path("status").asText()) || triggeredAt < since) {
                continue;
            }
            long id = entry.path("id").asLong();
            String slowest = null;
            long sync = -1;
            long async = -1;
            long startDelay = -1;
            for (String vertex : names.keySet()) {
                JsonNode summary = rest(job + "/checkpoints/details/" + id + "/subtasks/" + vertex)
                        .path("summary");
                long vertexSync = summary.path("checkpoint_duration").path("sync").path("max")
                        .asLong();
                if (vertexSync > sync) {
                    slowest = names.get(vertex);
                    sync = vertexSync;
                    async = summary.path("checkpoint_duration").path("async").path("max").asLong();
                    startDelay = summary.path("start_delay").path("max").asLong();
                }
            }
            checkpoints.add(new Checkpoint(id, triggeredAt,
                    entry.path("end_to_end_duration").asLong(), slowest, sync, async, startDelay));
        }
        checkpoints.sort(java.util.Comparator.comparingLong(Checkpoint::triggeredAt));
        return checkpoints;
    }

    private JsonNode rest(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(cluster.restAddress().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    /** A job that failed or was cancelled from outside, or null. */
    String failure() {
        for (JobClient client : clients) {
            JobStatus status = status(client);
            if (status == JobStatus.FAILED || status == JobStatus.FAILING
                    || status == JobStatus.CANCELED || status == JobStatus.RESTARTING) {
                return client.getJobID() + " " + status;
            }
        }
        return null;
    }

    boolean allFinished() {
        return clients.stream().allMatch(client -> status(client) == JobStatus.FINISHED);
    }

    @Override
    public void close() throws Exception {
        for (JobClient client : clients) {
            LocalFlink.cancel(client, Duration.ofSeconds(60));
        }
        cluster.close();
    }

    private static JobStatus status(JobClient client) {
        try {
            return client.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a finished job on a MiniCluster may no longer be known by the dispatcher
            return JobStatus.FINISHED;
        }
    }
}
