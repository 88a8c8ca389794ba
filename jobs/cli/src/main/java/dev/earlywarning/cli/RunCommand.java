package dev.earlywarning.cli;

import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.cli.local.LocalFlink;
import dev.earlywarning.common.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ews run JOB}: one job against Kafka on an embedded Flink MiniCluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a job on an embedded Flink against Kafka, until Ctrl-C.",
            "The job runs on a Flink MiniCluster in this JVM (RocksDB state, checkpoints under DIR),"
                    + " reading and writing the contract's Kafka topics exactly-once"
                    + " (at least once, alerts as they come, with --low-latency).",
            "Job settings go in with --set, e.g. --set start-from=latest --set group-id=mine;"
                    + " kafka.* settings pass through to the job's Kafka clients."})
public final class RunCommand implements Callable<Integer> {

    /** Lists the catalog's jobs in the help, so a new job needs no help text edit. */
    static void describeJobs(CommandLine run) {
        List<String> description = new ArrayList<>(
                List.of(run.getCommandSpec().usageMessage().description()));
        description.add("Jobs:");
        int width = JobCatalog.all().stream().mapToInt(job -> job.name().length()).max().orElse(0);
        for (JobCatalog.Job job : JobCatalog.all()) {
            description.add(String.format(Locale.ROOT, "  %-" + width + "s  %s", job.name(),
                    job.description()));
        }
        run.getCommandSpec().usageMessage().description(description.toArray(String[]::new));
    }

    /** Completion candidates: the jobs of the catalog. */
    static final class JobNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return JobCatalog.all().stream().map(JobCatalog.Job::name).iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "JOB", completionCandidates = JobNames.class,
            description = "The job to run: ${COMPLETION-CANDIDATES}.")
    String jobName;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    FlinkOptions flink;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() throws Exception {
        JobCatalog.Job job = JobCatalog.find(jobName).orElseThrow(() -> new IllegalStateException(
                "unknown job '" + jobName + "'; jobs: " + String.join(", ", new JobNames())));
        Settings settings = flink.jobSettings(kafka.settings());
        Path dir = dataDir.prepare();
        LocalFlink.Options options = flink.options(dir, job.name());
        long start = System.nanoTime();
        System.out.print(job.name() + ": starting on embedded Flink (" + flink.describe() + ") ... ");
        System.out.flush();
        JobClient client = LocalFlink.submit(job, settings, options);
        Shutdown shutdown = new Shutdown();
        shutdown.add(job.name(), () -> LocalFlink.cancel(client, Duration.ofSeconds(30)));
        System.out.println(LocalFlink.awaitRunning(client, Duration.ofSeconds(60)).name().toLowerCase()
                + " in " + Shutdown.seconds(start));
        System.out.println("reading " + kafka.bootstrap + "; checkpoints in "
                + options.dataDir().resolve("checkpoints") + "; Ctrl-C to stop");
        try {
            client.getJobExecutionResult().get();
            System.out.println(job.name() + " finished");
            return 0;
        } catch (ExecutionException e) {
            if (shutdown.requested()) {
                return 0;
            }
            throw e;
        }
    }
}
