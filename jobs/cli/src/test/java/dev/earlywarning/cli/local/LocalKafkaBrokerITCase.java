package dev.earlywarning.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.Topics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real broker, in its own JVM, as {@code ews broker} and {@code ews demo} start it. */
class LocalKafkaBrokerITCase {

    @TempDir
    Path dir;

    @Test
    void startsCreatesTheContractTopicsAndStopsWithoutLeavingItsJvm() throws Exception {
        PrintStream progress = new PrintStream(java.io.OutputStream.nullOutputStream());
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.in(dir).port(0),
                progress);
        ProcessHandle jvm = broker.handle();
        try {
            assertThat(jvm.isAlive()).isTrue();
            assertThat(LocalKafkaBroker.running(dir)).map(ProcessHandle::pid).contains(broker.pid());
            assertThat(LocalKafkaBroker.answers(broker.bootstrap(), Duration.ofSeconds(5))).isTrue();
            // a second broker from the same directory is refused, not started
            assertThatThrownBy(() -> LocalKafkaBroker.start(
                    LocalKafkaBroker.Options.in(dir).port(0), progress))
                    .hasMessageContaining("already running");

            Properties clients = new Properties();
            clients.put("bootstrap.servers", broker.bootstrap());
            List<String> all = Topics.defaults().all();
            assertThat(TopicSetup.createAll(clients, all, 4, (short) 1))
                    .containsExactlyInAnyOrderElementsOf(all);
            assertThat(TopicSetup.existing(clients)).containsAll(all);
            // idempotent: a second run creates nothing and does not fail
            assertThat(TopicSetup.createAll(clients, all, 4, (short) 1)).isEmpty();

            assertThat(Files.readString(dir.resolve("server.properties")))
                    .contains("listeners=PLAINTEXT://127.0.0.1:", "process.roles=broker,controller");
            assertThat(dir.resolve("broker.log")).isNotEmptyFile();
        } finally {
            broker.close();
        }
        assertThat(jvm.isAlive()).isFalse();
        assertThat(ProcessHandle.of(jvm.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(LocalKafkaBroker.running(dir)).isEmpty();
        assertThat(LocalKafkaBroker.answers(broker.bootstrap(), Duration.ofSeconds(1))).isFalse();
    }
}
