package dev.earlywarning.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus on loopback, scraping one target every second with {@code honor_labels}
 * (the jobs' {@code job} label is the Flink job's name and must win over the scrape job's), its
 * data in a scratch directory. {@link #close()} stops it; nothing outlives the test.
 */
final class PrometheusServer implements AutoCloseable {

    static final String SCRAPE_JOB = "ews";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    static PrometheusServer start(Path binary, Path dir, String target, Path rules)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: %s
                    honor_labels: true
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), SCRAPE_JOB, target));
        int port = freePort();
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port);
        try {
            server.awaitReady(Duration.ofSeconds(30));
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The result array of an instant query; fails on a query Prometheus rejects. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus rejected `" + promql + "`: "
                    + body.path("error").asText());
        }
        return body.path("data").path("result");
    }

    /** Whether Prometheus has scraped the target at least {@code scrapes} times. */
    boolean hasScraped(int scrapes) throws IOException, InterruptedException {
        JsonNode result = query("count_over_time(up{job=\"" + SCRAPE_JOB + "\"}[1m])");
        return result.size() == 1 && result.get(0).path("value").get(1).asDouble() >= scrapes;
    }

    /** The rules Prometheus loaded, to be sure it evaluates the file we ship. */
    List<String> ruleNames() throws IOException, InterruptedException {
        JsonNode groups = get("/api/v1/rules").path("data").path("groups");
        return groups.findValues("rules").stream().flatMap(rules -> {
            java.util.stream.Stream.Builder<String> names = java.util.stream.Stream.builder();
            rules.forEach(rule -> names.add(rule.path("name").asText()));
            return names.build();
        }).toList();
    }

    /** Rules whose last evaluation failed, with Prometheus' error. */
    List<String> ruleErrors() throws IOException, InterruptedException {
        List<String> errors = new java.util.ArrayList<>();
        for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("health").asText().equals("err")) {
                    errors.add(rule.path("name").asText() + ": " + rule.path("lastError").asText());
                }
            }
        }
        return errors;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
