package dev.earlywarning.cluster;

import dev.earlywarning.cli.local.LocalKafkaBroker;
import dev.earlywarning.cli.local.TopicSetup;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.engine.LocalEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.StateChangelogOptions;

/**
 * The {@code deploy/local/cluster} command: a Kafka broker and a Flink standalone cluster on this
 * machine, and the four jobs submitted to it through Flink's REST API.
 *
 * <pre>
 * cluster start    [--dir D] [--rest-port 8081] [--kafka-port 9092] [--taskmanagers 1] [--slots 4]
 *                  [--low-latency] [--no-jobs] [-- JOB_ARGS...]
 * cluster submit   [--dir D] JOB|all [--from-savepoint PATH] [--parallelism N] [-- JOB_ARGS...]
 * cluster stop-job [--dir D] JOB [--no-savepoint]
 * cluster status   [--dir D]
 * cluster stop     [--dir D]
 * </pre>
 *
 * Every job gets {@code --bootstrap} of the local broker; {@code JOB_ARGS} are added as they are
 * (e.g. {@code --kafka.security.protocol SASL_SSL ...}), and {@code --args-file F} reads more of
 * them from a file of {@code key=value} lines, so that secrets need not be on a command line.
 * {@code --low-latency} starts the cluster with the engine settings of the at-least-once
 * low-latency mode ({@link LocalEngine#lowLatency}, checkpoints every 10 s) and gives every job
 * submitted to it {@code --delivery at-least-once}.
 */
public final class ClusterCommand {

    private static final PrintStream OUT = System.out;

    private ClusterCommand() {}

    public static void main(String[] argv) throws Exception {
        try {
            System.exit(run(List.of(argv)));
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            System.err.println("cluster: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(List<String> argv) throws Exception {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(
                    "usage: cluster start|submit|stop-job|status|stop [options] (see deploy/local/README.md)");
        }
        Args args = Args.parse(argv.subList(1, argv.size()));
        Path dir = Path.of(args.option("--dir", ".ews/cluster")).toAbsolutePath().normalize();
        return switch (argv.get(0)) {
            case "start" -> start(dir, args);
            case "submit" -> submit(dir, args);
            case "stop-job" -> stopJob(dir, args);
            case "status" -> status(dir);
            case "stop" -> stop(dir);
            default -> throw new IllegalArgumentException("unknown command " + argv.get(0));
        };
    }

    private static int start(Path dir, Args args) throws Exception {
        int kafkaPort = Integer.parseInt(args.option("--kafka-port", "9092"));
        OUT.print("kafka broker ");
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options
                .in(dir.resolve("broker")).port(kafkaPort).detached(true), OUT);
        OUT.println(" ready at " + broker.bootstrap() + " (pid " + broker.pid() + ")");
        Properties admin = new Properties();
        admin.setProperty("bootstrap.servers", broker.bootstrap());
        TopicSetup.createAll(admin, Topics.defaults().all(), 4, (short) 1);

        OUT.print("flink cluster ");
        LocalFlinkCluster.Options options = LocalFlinkCluster.Options.in(dir.resolve("flink"))
                .restPort(Integer.parseInt(args.option("--rest-port", "8081")))
                .taskManagers(Integer.parseInt(args.option("--taskmanagers", "1")),
                        Integer.parseInt(args.option("--slots", "4")))
                .detached(true);
        if (args.flag("--low-latency")) {
            options = options.checkpointInterval(LocalEngine.LOW_LATENCY_CHECKPOINT_INTERVAL)
                    .config(LocalEngine.lowLatency(dir.resolve("flink").resolve("changelog"))
                            .toMap());
        }
        LocalFlinkCluster cluster;
        try {
            cluster = LocalFlinkCluster.start(options, OUT);
        } catch (IOException | RuntimeException e) {
            LocalKafkaBroker.stop(broker.dir(), Duration.ofSeconds(30));
            throw e;
        }
        OUT.println(" ready: web UI and REST at " + cluster.restUrl() + " (pids " + cluster.pids()
                + ")");
        if (!args.flag("--no-jobs")) {
            for (JobJars.Job job : JobJars.all()) {
                submitOne(dir, job, args);
            }
        }
        OUT.println("logs: " + cluster.logDir() + "; stop everything with: deploy/local/cluster stop");
        return 0;
    }

    private static int submit(Path dir, Args args) throws Exception {
        String which = args.positional(0, "JOB|all");
        List<JobJars.Job> jobs = which.equals("all") ? JobJars.all()
                : List.of(JobJars.find(which).orElseThrow(() -> new IllegalArgumentException(
                        "unknown job " + which + "; one of " + JobJars.all().stream()
                                .map(JobJars.Job::name).toList())));
        for (JobJars.Job job : jobs) {
            submitOne(dir, job, args);
        }
        return 0;
    }

    private static void submitOne(Path dir, JobJars.Job job, Args args) throws IOException {
        FlinkRest rest = rest(dir);
        Optional<FlinkRest.JobSummary> active = rest.activeJob(job.name());
        if (active.isPresent()) {
            throw new IllegalStateException(job.name() + " already runs as " + active.get().id()
                    + "; stop it first with: deploy/local/cluster stop-job " + job.name());
        }
        List<String> jobArgs = new ArrayList<>(List.of("--bootstrap", bootstrap(dir)));
        if (lowLatency(dir)) {
            jobArgs.addAll(List.of("--delivery", JobConfig.Delivery.AT_LEAST_ONCE.label()));
        }
        jobArgs.addAll(args.fileArgs());
        jobArgs.addAll(args.passThrough());
        FlinkRest.Run run = FlinkRest.Run.of(job.mainClass(), jobArgs);
        String savepoint = args.option("--from-savepoint", null);
        if (savepoint != null) {
            run = run.fromSavepoint(savepoint);
        }
        String parallelism = args.option("--parallelism", null);
        if (parallelism != null) {
            run = run.withParallelism(Integer.parseInt(parallelism));
        }
        String jarId = rest.uploadJar(job.jar());
        String jobId = rest.run(jarId, run);
        rest.awaitRunning(jobId, Duration.ofMinutes(2));
        OUT.println("submitted " + job.name() + " as job " + jobId
                + (savepoint == null ? "" : " from " + savepoint) + " with "
                + Redaction.redactArgs(jobArgs));
    }

    private static int stopJob(Path dir, Args args) throws IOException {
        String name = args.positional(0, "JOB");
        FlinkRest rest = rest(dir);
        FlinkRest.JobSummary job = rest.activeJob(name).orElseThrow(() ->
                new IllegalStateException("no running job called " + name));
        if (args.flag("--no-savepoint")) {
            rest.cancel(job.id());
            OUT.println("cancelled " + name + " (" + job.id() + "); its last checkpoint is kept");
            return 0;
        }
        String savepoint = rest.stopWithSavepoint(job.id(),
                dir.resolve("flink").resolve("savepoints").toUri().toString(), Duration.ofMinutes(5));
        OUT.println("stopped " + name + " with savepoint " + savepoint);
        OUT.println("resume with: deploy/local/cluster submit " + name + " --from-savepoint "
                + savepoint);
        return 0;
    }

    private static int status(Path dir) throws IOException {
        Optional<ProcessHandle> broker = LocalKafkaBroker.running(dir.resolve("broker"));
        OUT.println("kafka broker: " + broker.map(h -> "running (pid " + h.pid() + ") at "
                + LocalKafkaBroker.recordedBootstrap(dir.resolve("broker")).orElse("?"))
                .orElse("not running"));
        Optional<List<ProcessHandle>> flink = LocalFlinkCluster.running(dir.resolve("flink"));
        if (flink.isEmpty()) {
            OUT.println("flink cluster: not running");
            return broker.isPresent() ? 0 : 3;
        }
        FlinkRest rest = rest(dir);
        OUT.println("flink cluster: running (pids " + flink.get().stream().map(ProcessHandle::pid)
                .toList() + ") at " + rest.baseUrl() + ", "
                + rest.overview().path("slots-available").asInt() + " of "
                + rest.overview().path("slots-total").asInt() + " slots free");
        for (FlinkRest.JobSummary job : rest.jobs()) {
            OUT.println("  " + job.name() + " " + job.state() + " " + job.id()
                    + (job.state().equals("RUNNING")
                            ? " checkpoints completed: " + rest.completedCheckpoints(job.id()) : ""));
        }
        return 0;
    }

    private static int stop(Path dir) {
        boolean flink = LocalFlinkCluster.stop(dir.resolve("flink"), Duration.ofSeconds(30));
        boolean broker = LocalKafkaBroker.stop(dir.resolve("broker"), Duration.ofSeconds(30));
        OUT.println("flink cluster: " + (flink ? "stopped" : "was not running"));
        OUT.println("kafka broker: " + (broker ? "stopped" : "was not running"));
        return 0;
    }

    /**
     * Whether the cluster was started in the low-latency mode: its jobs then send at least once,
     * also when submitted again later (e.g. from a savepoint).
     */
    static boolean lowLatency(Path dir) throws IOException {
        Path conf = dir.resolve("flink").resolve("conf").resolve("config.yaml");
        return Files.exists(conf) && Files.readAllLines(conf, StandardCharsets.UTF_8)
                .contains(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG.key() + ": true");
    }

    private static FlinkRest rest(Path dir) {
        return new FlinkRest(LocalFlinkCluster.recordedRest(dir.resolve("flink")).orElseThrow(() ->
                new IllegalStateException("no Flink cluster started from " + dir
                        + "; start one with: deploy/local/cluster start")));
    }

    private static String bootstrap(Path dir) {
        return LocalKafkaBroker.recordedBootstrap(dir.resolve("broker")).orElseThrow(() ->
                new IllegalStateException("no Kafka broker started from " + dir));
    }

    /** Options ({@code --name value} or flags), positionals, and everything after {@code --}. */
    record Args(java.util.Map<String, String> options, List<String> positionals,
            List<String> passThrough) {

        private static final List<String> FLAGS = List.of("--no-jobs", "--no-savepoint",
                "--low-latency");

        static Args parse(List<String> argv) {
            java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
            List<String> positionals = new ArrayList<>();
            List<String> passThrough = new ArrayList<>();
            for (int i = 0; i < argv.size(); i++) {
                String arg = argv.get(i);
                if (arg.equals("--")) {
                    passThrough.addAll(argv.subList(i + 1, argv.size()));
                    break;
                } else if (FLAGS.contains(arg)) {
                    options.put(arg, "true");
                } else if (arg.startsWith("--")) {
                    if (i + 1 >= argv.size()) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    options.put(arg, argv.get(++i));
                } else {
                    positionals.add(arg);
                }
            }
            return new Args(options, positionals, passThrough);
        }

        String option(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }

        String positional(int index, String what) {
            if (positionals.size() <= index) {
                throw new IllegalArgumentException("missing " + what);
            }
            return positionals.get(index);
        }

        /** {@code key=value} lines of {@code --args-file} as {@code --key value} pairs. */
        List<String> fileArgs() throws IOException {
            String file = options.get("--args-file");
            if (file == null) {
                return List.of();
            }
            List<String> args = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--args-file lines are key=value: " + file);
                }
                args.add("--" + trimmed.substring(0, eq).strip());
                args.add(trimmed.substring(eq + 1).strip());
            }
            return args;
        }
    }
}
