package dev.earlywarning.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Grafana needs to import the dashboards anywhere, and what keeps them maintainable. */
class DashboardConventionsTest {

    @Test
    void theThreeDashboardsAreThere() {
        assertThat(Dashboards.files()).extracting(f -> f.getFileName().toString())
                .containsExactly("operations-overview.json", "pipeline-health.json",
                        "shipping-gestures.json");
    }

    @Test
    void uidsAndTitlesAreStableAndUnique() {
        List<String> uids = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            String uid = dashboard.path("uid").asText();
            assertThat(uid).as("uid of %s", file).matches("ews-[a-z0-9-]{1,36}");
            assertThat(dashboard.path("id").isMissingNode() || dashboard.path("id").isNull())
                    .as("%s has no instance-specific id", file).isTrue();
            assertThat(dashboard.path("schemaVersion").asInt()).as("schema of %s", file)
                    .isBetween(36, 39);
            uids.add(uid);
            titles.add(dashboard.path("title").asText());
        }
        assertThat(uids).doesNotHaveDuplicates();
        assertThat(titles).doesNotHaveDuplicates().allMatch(t -> t.startsWith("EWS / "));
    }

    @Test
    void everyDashboardChoosesItsPrometheusThroughADatasourceVariable() {
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            List<JsonNode> variables = new ArrayList<>();
            dashboard.path("templating").path("list").forEach(variables::add);
            assertThat(variables).as("variables of %s", file).anySatisfy(v -> {
                assertThat(v.path("name").asText()).isEqualTo("datasource");
                assertThat(v.path("type").asText()).isEqualTo("datasource");
                assertThat(v.path("query").asText()).isEqualTo("prometheus");
            });
        }
    }

    @Test
    void everyPanelHasAQueryOnTheDatasourceVariableAndAPlace() {
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            Set<Integer> ids = new HashSet<>();
            List<JsonNode> panels = Dashboards.panels(dashboard);
            assertThat(panels).as("panels of %s", file).hasSizeGreaterThanOrEqualTo(6);
            for (JsonNode panel : panels) {
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as("unique id: %s", where).isTrue();
                assertThat(panel.path("title").asText()).as(where).isNotBlank();
                assertThat(panel.path("description").asText()).as("description: %s", where)
                        .isNotBlank();
                assertThat(panel.path("gridPos").path("w").asInt()).as(where).isPositive();
                assertThat(panel.path("gridPos").path("h").asInt()).as(where).isPositive();
                assertThat(datasourceUid(panel)).as("datasource of %s", where)
                        .isEqualTo("${datasource}");
                JsonNode targets = panel.path("targets");
                assertThat(targets.size()).as("queries of %s", where).isPositive();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : targets) {
                    assertThat(target.path("expr").asText()).as("query of %s", where).isNotBlank();
                    assertThat(datasourceUid(target)).as("datasource of a query of %s", where)
                            .isEqualTo("${datasource}");
                    assertThat(refIds.add(target.path("refId").asText())).as(where).isTrue();
                    PromQl.instantiate(target.path("expr").asText());
                }
            }
        }
    }

    @Test
    void provisioningPointsGrafanaAtPrometheusAndAtTheseFiles() {
        JsonNode datasources = Dashboards.read(
                Dashboards.dir().resolve("provisioning/datasources/ews-prometheus.yaml"));
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(datasources.path("datasources")).singleElement().satisfies(ds -> {
            assertThat(ds.path("type").asText()).isEqualTo("prometheus");
            assertThat(ds.path("url").asText()).startsWith("http");
        });
        JsonNode providers = Dashboards.read(
                Dashboards.dir().resolve("provisioning/dashboards/ews.yaml"));
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(providers.path("providers")).singleElement().satisfies(p -> {
            assertThat(p.path("type").asText()).isEqualTo("file");
            assertThat(p.path("options").path("path").asText()).isNotBlank();
        });
    }

    private static String datasourceUid(JsonNode node) {
        JsonNode datasource = node.path("datasource");
        return datasource.isTextual() ? datasource.asText() : datasource.path("uid").asText();
    }
}
