package dev.earlywarning.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboards and rules of this directory, read as Grafana and Prometheus read them. */
final class Dashboards {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A query of a dashboard panel or a rule, with where it comes from. */
    record Query(String origin, String expr, boolean alert) {}

    private Dashboards() {}

    static Path dir() {
        return Path.of(System.getProperty("ews.dashboards.dir", ".")).toAbsolutePath().normalize();
    }

    static Path rules() {
        return dir().resolve("rules").resolve("ews-rules.yaml");
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return (file.toString().endsWith(".json") ? JSON : YAML).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every panel, those inside collapsed rows included, rows themselves excluded. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    static List<Query> dashboardQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(file.getFileName() + " / " + panel.path("title").asText()
                            + " / " + target.path("refId").asText(), target.path("expr").asText(),
                            false));
                }
            }
        }
        return queries;
    }

    static List<Query> ruleQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode group : read(rules()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                boolean alert = rule.has("alert");
                String name = alert ? rule.path("alert").asText() : rule.path("record").asText();
                queries.add(new Query("rule " + name, rule.path("expr").asText(), alert));
            }
        }
        return queries;
    }

    static List<String> recordedNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode group : read(rules()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("record")) {
                    names.add(rule.path("record").asText());
                }
            }
        }
        return names;
    }
}
