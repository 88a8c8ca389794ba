package dev.earlywarning.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/jemalloc.sh}, sourced by the scripts that start JVMs running RocksDB: whether a
 * process they start runs on jemalloc. CI installs the library, so there it must.
 */
class JemallocPreloadTest {

    private static final Path SCRIPT = Build.repository().resolve("deploy/jemalloc.sh");
    private static final List<String> LIBRARIES = List.of(
            "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
            "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
            "/usr/lib64/libjemalloc.so.2", "/usr/local/lib/libjemalloc.so.2");

    @Test
    void aProcessStartedAfterTheScriptRunsOnJemallocWhenItIsInstalled() throws Exception {
        boolean installed = LIBRARIES.stream()
                .anyMatch(library -> Files.isReadable(Path.of(library)));

        assertThat(mapsOfAProcessStartedAfterTheScript(Map.of()).contains("libjemalloc"))
                .as("jemalloc mapped (installed: %s)", installed).isEqualTo(installed);
    }

    @Test
    void offKeepsTheSystemsMalloc() throws Exception {
        assertThat(mapsOfAProcessStartedAfterTheScript(Map.of("EWS_JEMALLOC", "off")))
                .doesNotContain("libjemalloc");
    }

    @Test
    void everyScriptThatStartsAJvmWithRocksDbSourcesItBeforeStartingIt() throws IOException {
        for (String script : List.of("ews", "bench/run", "deploy/local/cluster")) {
            String text = Files.readString(Build.repository().resolve(script));
            int sourced = text.indexOf("source \"$root/deploy/jemalloc.sh\"");
            assertThat(sourced).as(script).isPositive();
            assertThat(text.indexOf("exec java")).as(script).isGreaterThan(sourced);
        }
    }

    private static String mapsOfAProcessStartedAfterTheScript(Map<String, String> env)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                ". \"$0\" && exec cat /proc/self/maps", SCRIPT.toString())
                .redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("EWS_JEMALLOC");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
