package dev.earlywarning.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The rules pass Prometheus' own checker and their unit tests, and read well to the on-call. */
class PrometheusRulesTest {

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertThat(promtool("check", "rules", Dashboards.rules().toString())).contains("SUCCESS");
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        Path tests = Dashboards.rules().resolveSibling("ews-rules.test.yaml");
        assertThat(promtool("test", "rules", tests.toString())).contains("SUCCESS");
    }

    @Test
    void everyAlertSaysHowBadWhatAndWhatToDo() {
        int alerts = 0;
        for (JsonNode group : Dashboards.read(Dashboards.rules()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!rule.has("alert")) {
                    assertThat(rule.path("record").asText()).as("recording rule name")
                            .matches("ews:[a-z0-9_]+:[a-z0-9_]+|ews:[a-z0-9_]+");
                    continue;
                }
                alerts++;
                String name = rule.path("alert").asText();
                assertThat(name).startsWith("Ews");
                assertThat(rule.path("labels").path("severity").asText()).as(name)
                        .isIn("critical", "warning", "info");
                assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(name)
                        .hasSizeGreaterThan(80);
            }
        }
        assertThat(alerts).isGreaterThanOrEqualTo(6);
    }

    /** Runs promtool; a failing check fails the test with promtool's own words. */
    static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = PrometheusBinaries.promtool().orElse(null);
        Assumptions.assumeTrue(promtool != null, PrometheusBinaries::missing);
        List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(Dashboards.rules().getParent().toFile()).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:\n%s", String.join(" ", args), output)
                .isZero();
        return output;
    }
}
