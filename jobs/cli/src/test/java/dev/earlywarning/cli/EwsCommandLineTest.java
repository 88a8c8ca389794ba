package dev.earlywarning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.JobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EwsCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Ews.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsEverySubcommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: ews")
                .contains("demo", "broker", "topics", "run", "simulate", "alerts", "ack");
    }

    @Test
    void noArgumentsPrintsTheUsageToo() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Commands:");
    }

    @Test
    void subcommandHelpExplainsTheirOptions() {
        assertThat(run("broker", "--help")).isZero();
        assertThat(out.toString()).contains("start", "stop", "status");
        assertThat(run("broker", "start", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--dir", "--detach");
        assertThat(run("simulate", "--help")).isZero();
        assertThat(out.toString()).contains("--rate", "--speed", "--customers", "--duration", "--seed",
                "never ordered");
        assertThat(run("alerts", "tail", "--help")).isZero();
        assertThat(out.toString()).contains("--json", "--from-beginning", "--topic", "read_committed",
                "--queue", "--severity", "--customer");
        assertThat(run("ack", "--help")).isZero();
        assertThat(out.toString()).contains("ALERT_ID", "--by", "--resolve", "--note", "--customer",
                "--bootstrap");
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString()).contains("at-risk-scoring", "shipping-delay", "alert-router",
                "--set", "--parallelism", "--checkpoint-interval");
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--duration", "--speed", "--rate", "--dir");
        assertThat(run("topics", "create", "--help")).isZero();
        assertThat(out.toString()).contains("--partitions", "ews.dead-letter");
    }

    @Test
    void optionsParseIntoTypedValues() {
        CommandLine commandLine = Ews.commandLine();
        CommandLine.ParseResult parsed = commandLine.parseArgs("demo", "--duration", "90s",
                "--speed", "120", "--rate", "5", "--dir", "demo-data", "--checkpoint-interval", "500ms");
        DemoCommand demo = (DemoCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(demo.duration).isEqualTo(Duration.ofSeconds(90));
        assertThat(demo.simulation.speed).isEqualTo(120);
        assertThat(demo.simulation.rate).isEqualTo(5);
        assertThat(demo.dataDir.dir).isEqualTo(Path.of("demo-data"));
        assertThat(demo.flink.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(demo.flink.parallelism).isEqualTo(2);

        parsed = Ews.commandLine().parseArgs("run", "at-risk-scoring", "--bootstrap", "kafka:9093",
                "--set", "kafka.security.protocol=SSL", "-s", "scoring.threshold=0.7");
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(run.jobName).isEqualTo("at-risk-scoring");
        assertThat(run.kafka.settings().string("bootstrap", null)).isEqualTo("kafka:9093");
        assertThat(run.kafka.clientProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "kafka:9093");
        assertThat(run.kafka.settings().scoped("scoring.").string("threshold", null)).isEqualTo("0.7");
    }

    @Test
    void theLowLatencyModeSendsAtLeastOnceWithTheChangelogUnderTheDataDir() {
        RunCommand plain = (RunCommand) Ews.commandLine().parseArgs("run", "at-risk-scoring")
                .subcommand().commandSpec().userObject();
        assertThat(plain.flink.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(plain.flink.jobSettings(plain.kafka.settings()).has("delivery")).isFalse();
        assertThat(plain.flink.engine(Path.of("data")).toMap()).isEmpty();

        RunCommand run = (RunCommand) Ews.commandLine().parseArgs("run", "at-risk-scoring",
                "--low-latency").subcommand().commandSpec().userObject();
        assertThat(run.flink.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(JobConfig.from("ews", run.flink.jobSettings(run.kafka.settings())).delivery())
                .isEqualTo(JobConfig.Delivery.AT_LEAST_ONCE);
        Path data = Path.of("data").toAbsolutePath();
        assertThat(run.flink.engine(data).toMap())
                .containsEntry("state.changelog.enabled", "true")
                .containsEntry("state.changelog.storage", "filesystem")
                .containsEntry("state.changelog.dstl.dfs.base-path",
                        data.resolve("flink").resolve("changelog").toUri().toString())
                .containsEntry("state.backend.rocksdb.compaction.style", "LEVEL");
        assertThat(run.flink.describe()).contains("low latency");

        RunCommand explicit = (RunCommand) Ews.commandLine().parseArgs("run", "at-risk-scoring",
                "--low-latency", "--checkpoint-interval", "3s").subcommand().commandSpec()
                .userObject();
        assertThat(explicit.flink.checkpointInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theLowLatencyModeRefusesExactlyOnceDelivery() {
        assertThat(run("run", "at-risk-scoring", "--low-latency", "--set",
                "delivery=exactly-once", "--bootstrap", "127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("--low-latency").contains("delivery=exactly-once");
    }

    @Test
    void badValuesAreRejectedWithTheOptionNamed() {
        assertThat(run("simulate", "--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--duration").contains("soon");
        assertThat(run("run", "no-such-job")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown job 'no-such-job'").contains("at-risk-scoring")
                .contains("alert-router");
        assertThat(run("ack", "some-alert")).isEqualTo(2);
        assertThat(err.toString()).contains("--by");
    }
}
