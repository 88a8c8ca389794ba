package dev.earlywarning.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The slice of Flink's REST API the launcher and the tests use: upload and run a job jar, follow a
 * job, stop it with a savepoint, cancel it. Only Flink's own endpoints, as a deployment script
 * or CI pipeline would call them.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Whether the JobManager's REST endpoint answers at all. */
    public boolean answers() {
        try {
            get("/config");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code /overview}: task managers, slots, job counts. */
    public JsonNode overview() throws IOException {
        return get("/overview");
    }

    /** Uploads {@code jar} and returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "ews-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\";"
                + " filename=\"" + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive"
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        if (file.isEmpty()) {
            throw new IOException("jar upload of " + jar.getFileName() + " answered " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /** What to run from an uploaded jar. */
    public record Run(String entryClass, List<String> args, Integer parallelism,
            String savepointPath, boolean allowNonRestoredState) {

        public static Run of(String entryClass, List<String> args) {
            return new Run(entryClass, args, null, null, false);
        }

        public Run fromSavepoint(String path) {
            return new Run(entryClass, args, parallelism, path, allowNonRestoredState);
        }

        public Run withParallelism(int newParallelism) {
            return new Run(entryClass, args, newParallelism, savepointPath, allowNonRestoredState);
        }
    }

    /** Runs the main class of an uploaded jar and returns the id of the job it submitted. */
    public String run(String jarId, Run run) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", run.entryClass());
        request.putPOJO("programArgsList", run.args());
        if (run.parallelism() != null) {
            request.put("parallelism", run.parallelism());
        }
        if (run.savepointPath() != null) {
            request.put("savepointPath", run.savepointPath());
            request.put("allowNonRestoredState", run.allowNonRestoredState());
        }
        JsonNode answer = post("/jars/" + jarId + "/run", request);
        String jobId = answer.path("jobid").asText();
        if (jobId.isEmpty()) {
            throw new IOException("running " + run.entryClass() + " answered " + answer);
        }
        return jobId;
    }

    /** A job as {@code /jobs/overview} lists it. */
    public record JobSummary(String id, String name, String state) {}

    public List<JobSummary> jobs() throws IOException {
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            jobs.add(new JobSummary(job.path("jid").asText(), job.path("name").asText(),
                    job.path("state").asText()));
        }
        return jobs;
    }

    /** The running (or starting) job called {@code name}, if any. */
    public Optional<JobSummary> activeJob(String name) throws IOException {
        return jobs().stream()
                .filter(job -> job.name().equals(name))
                .filter(job -> !List.of("FINISHED", "CANCELED", "FAILED").contains(job.state()))
                .findFirst();
    }

    public JsonNode job(String jobId) throws IOException {
        return get("/jobs/" + jobId);
    }

    /**
     * Waits until the job and every one of its tasks run: only then are its sources reading and
     * its checkpoints (hence its transactional output) going.
     */
    public void awaitRunning(String jobId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = job(jobId);
            String state = job.path("state").asText();
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                throw new IOException("job " + jobId + " is " + state + ": "
                        + get("/jobs/" + jobId + "/exceptions").path("root-exception").asText());
            }
            boolean allRunning = state.equals("RUNNING") && job.path("vertices").size() > 0;
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= vertex.path("status").asText().equals("RUNNING");
            }
            if (allRunning) {
                return;
            }
            pause(Duration.ofMillis(250));
        }
        throw new IOException("job " + jobId + " did not run within " + timeout + ": "
                + (job == null ? "no answer" : job.path("state").asText()));
    }

    /** The number of completed checkpoints of a job. */
    public long completedCheckpoints(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /**
     * Stops the job with a savepoint in {@code targetDirectory} (sources stop, a final savepoint is
     * taken and its transactions committed, then the job ends) and returns the savepoint's path.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", targetDirectory);
        // Not draining: a drain would fire every event-time timer as if input had ended.
        request.put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
        if (trigger.isEmpty()) {
            throw new IOException("stop-with-savepoint of " + jobId + " was not accepted");
        }
        return awaitSavepoint(jobId, trigger, timeout);
    }

    /** Triggers a savepoint and keeps the job running. */
    public String savepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("target-directory", targetDirectory);
        request.put("cancel-job", false);
        String trigger = post("/jobs/" + jobId + "/savepoints", request).path("request-id").asText();
        return awaitSavepoint(jobId, trigger, timeout);
    }

    private String awaitSavepoint(String jobId, String trigger, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("location")) {
                    return operation.path("location").asText();
                }
                throw new IOException("savepoint of " + jobId + " failed: "
                        + operation.path("failure-cause").path("stack-trace").asText()
                                .lines().limit(5).toList());
            }
            pause(Duration.ofMillis(250));
        }
        throw new IOException("savepoint of " + jobId + " not done within " + timeout);
    }

    public void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** Waits until the job reached a terminal state and returns it. */
    public String awaitTerminal(String jobId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String state = job(jobId).path("state").asText();
            if (List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                return state;
            }
            pause(Duration.ofMillis(250));
        }
        throw new IOException("job " + jobId + " did not end within " + timeout);
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String body = response.body();
        if (response.statusCode() >= 300) {
            throw new IOException("Flink REST " + response.request().method() + " "
                    + response.request().uri().getPath() + " answered " + response.statusCode()
                    + ": " + errors(body));
        }
        return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    /** The first lines of each error Flink reports, without the whole stack trace. */
    private static String errors(String body) {
        try {
            List<String> lines = new ArrayList<>();
            for (JsonNode error : JSON.readTree(body).path("errors")) {
                error.asText().lines().filter(l -> !l.startsWith("\tat ")).limit(8)
                        .forEach(lines::add);
            }
            return lines.isEmpty() ? body : String.join("\n", lines);
        } catch (IOException e) {
            return body;
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
