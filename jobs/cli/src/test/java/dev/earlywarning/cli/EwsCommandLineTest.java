package dev.earlywarning.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(demo.flink.checkpointInterval).isEqualTo(Duration.ofMillis(500));
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
