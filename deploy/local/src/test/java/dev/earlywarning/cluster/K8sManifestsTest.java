package dev.earlywarning.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.engine.PointLookupOptions;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of deploy/k8s, checked without a Kubernetes: they parse, carry what
 * the operators need, and agree with the contract's topics, with the jobs' main classes and
 * settings, and with the topics each job's code actually reads and writes.
 */
class K8sManifestsTest {

    private static final Path K8S = Build.repository().resolve("deploy/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<Doc> DOCS = new ArrayList<>();

    /** One YAML document and the file it came from. */
    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    @BeforeAll
    static void parseEverything() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                        if (node != null && !node.isEmpty()) {
                            DOCS.add(new Doc(file, node));
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyResourceHasItsIdentityOnceAndEveryBaseFileIsInTheBase() throws IOException {
        List<Doc> resources = DOCS.stream().filter(d -> !d.kind().startsWith("Kustomization")
                && !d.kind().equals("Component") && !d.file().endsWith("kustomizeconfig.yaml")).toList();
        assertThat(resources).hasSizeGreaterThan(20).allSatisfy(doc -> {
            assertThat(doc.node().path("apiVersion").asText()).as("%s apiVersion", doc.file()).isNotBlank();
            assertThat(doc.kind()).as("%s kind", doc.file()).isNotBlank();
            assertThat(doc.name()).as("%s metadata.name", doc.file()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
        });
        assertThat(resources).extracting(d -> d.kind() + "/" + d.name()).doesNotHaveDuplicates();

        JsonNode base = kustomization("base");
        Set<String> listed = new TreeSet<>();
        base.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files;
        try (Stream<Path> all = Files.walk(K8S.resolve("base"))) {
            files = all.filter(f -> f.toString().endsWith(".yaml"))
                    .map(f -> K8S.resolve("base").relativize(f).toString())
                    .filter(f -> !f.equals("kustomization.yaml") && !f.equals("kustomizeconfig.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(listed).isEqualTo(files);
        for (String overlay : List.of("overlays/dev", "overlays/prod")) {
            kustomization(overlay).path("resources").forEach(r ->
                    assertThat(K8S.resolve(overlay).resolve(r.asText()).normalize()).exists());
            kustomization(overlay).path("components").forEach(c ->
                    assertThat(K8S.resolve(overlay).resolve(c.asText()).resolve("kustomization.yaml")
                            .normalize()).exists());
        }
    }

    @Test
    void everyContractTopicIsAKafkaTopicWithReplicationAndRetention() {
        String cluster = single("Kafka").name();
        Map<String, JsonNode> topics = new HashMap<>();
        for (Doc doc : of("KafkaTopic")) {
            JsonNode spec = doc.node().path("spec");
            assertThat(topics.put(spec.path("topicName").asText(), spec)).as("duplicate %s", doc.name())
                    .isNull();
            assertThat(doc.node().path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(cluster);
            assertThat(spec.path("partitions").asInt()).isPositive();
            assertThat(spec.path("replicas").asInt()).isEqualTo(3);
            assertThat(spec.path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
            assertThat(spec.path("config").path("retention.ms").asText()).matches("-1|[1-9][0-9]*");
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.defaults().all());
        // Commands must apply in the order they were sent.
        assertThat(topics.get("ews.control").path("partitions").asInt()).isEqualTo(1);
    }

    @Test
    void everyJobIsAnApplicationDeploymentOfItsOwnJarWithSavepointUpgradesRocksDbAndHa()
            throws IOException {
        assertThat(of("FlinkDeployment")).extracting(Doc::name)
                .containsExactlyInAnyOrderElementsOf(JobJars.all().stream().map(JobJars.Job::name).toList());
        Map<String, Integer> partitions = new HashMap<>();
        of("KafkaTopic").forEach(t -> partitions.put(t.node().path("spec").path("topicName").asText(),
                t.node().path("spec").path("partitions").asInt()));
        for (JobJars.Job job : JobJars.all()) {
            JsonNode spec = find("FlinkDeployment", job.name()).node().path("spec");
            JsonNode conf = spec.path("flinkConfiguration");
            JsonNode run = spec.path("job");
            String jar = "/opt/flink/usrlib/ews-" + job.name() + "-job.jar";
            assertThat(run.path("jarURI").asText()).isEqualTo("local://" + jar);
            assertThat(run.path("entryClass").asText()).isEqualTo(job.mainClass());
            assertThat(run.path("upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
            assertThat(conf.path("state.backend.rocksdb.options-factory").asText())
                    .isEqualTo(PointLookupOptions.class.getName());
            assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
            assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
            assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
            assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
            assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
            assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                    .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotBlank();
            assertThat(spec.path("taskManager").path("resource").path("cpu").asDouble()).isPositive();
            int slots = conf.path("taskmanager.numberOfTaskSlots").asInt();
            int parallelism = run.path("parallelism").asInt();
            assertThat(slots * spec.path("taskManager").path("replicas").asInt())
                    .as("slots of %s", job.name()).isGreaterThanOrEqualTo(parallelism);

            // The arguments are what the job's own configuration reads and accepts.
            List<String> args = new ArrayList<>();
            run.path("args").forEach(a -> args.add(a.asText()));
            JobConfig config = JobConfig.from(job.name(),
                    Settings.of(ParameterTool.fromArgs(args.toArray(String[]::new)).toMap()));
            assertThat(config.bootstrapServers()).startsWith(single("Kafka").name() + "-kafka-bootstrap:");
            assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(config.kafkaProperties().get("sasl.jaas.config")).startsWith("${dir:")
                    .doesNotContainIgnoringCase("password=");
            assertThat(config.topics()).isEqualTo(Topics.defaults());
            // A source subtask without a partition would sit idle: data topics need enough.
            for (String topic : jobTopics(job).reads()) {
                if (!topic.equals(Topics.defaults().control())) {
                    assertThat(partitions.get(topic)).as("partitions of %s read by %s", topic,
                            job.name()).isGreaterThanOrEqualTo(parallelism);
                }
            }

            // The pod template mounts the secrets the arguments point at.
            JsonNode container = spec.path("podTemplate").path("spec").path("containers").get(0);
            List<String> mounts = new ArrayList<>();
            container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            assertThat(mounts).contains(config.kafkaProperties().get("ssl.truststore.location")
                    .replaceAll("/[^/]+$", ""), "/opt/ews/kafka-user");
            assertThat(container.path("ports").findValuesAsText("containerPort"))
                    .contains(conf.path("metrics.reporter.prom.port").asText());

            Path dockerfile = K8S.resolve("images").resolve(job.name()).resolve("Dockerfile");
            String docker = Files.readString(dockerfile, StandardCharsets.UTF_8);
            assertThat(docker).contains("FROM flink:2.2.1-java17")
                    .containsPattern("COPY .*jobs/" + job.name() + "/target/ews-" + job.name()
                            + "-\\*-job\\.jar " + Pattern.quote(jar));
        }
    }

    @Test
    void everyJobHasAPrincipalAllowedExactlyTheTopicsItsCodeReadsAndWrites() throws IOException {
        for (JobJars.Job job : JobJars.all()) {
            JsonNode acls = find("KafkaUser", job.name()).node().path("spec").path("authorization")
                    .path("acls");
            JobTopics topics = jobTopics(job);
            assertThat(aclTopics(acls, "Read")).as("read ACLs of %s", job.name())
                    .containsExactlyInAnyOrderElementsOf(topics.reads());
            assertThat(aclTopics(acls, "Write")).as("write ACLs of %s", job.name())
                    .containsExactlyInAnyOrderElementsOf(topics.writes());
            List<String> groups = new ArrayList<>();
            acls.forEach(acl -> {
                if (acl.path("resource").path("type").asText().equals("group")) {
                    groups.add(acl.path("resource").path("name").asText());
                }
            });
            JobConfig defaults = JobConfig.from(job.name(), Settings.of(Map.of()));
            assertThat(groups).containsExactly(defaults.groupId());
            assertThat(acls.findValuesAsText("name")).contains(defaults.transactionalIdPrefix());
        }
    }

    @Test
    void onlyTheOperatorsPrincipalMayWriteControlCommands() {
        List<String> writers = new ArrayList<>();
        for (Doc user : of("KafkaUser")) {
            if (aclTopics(user.node().path("spec").path("authorization").path("acls"), "Write")
                    .contains(Topics.defaults().control())
                    || aclTopics(user.node().path("spec").path("authorization").path("acls"), "All")
                            .contains(Topics.defaults().control())) {
                writers.add(user.name());
            }
        }
        assertThat(writers).containsExactly("ews-operator");
        assertThat(single("Kafka").node().path("spec").path("kafka").path("authorization")
                .path("type").asText()).isEqualTo("simple");
        assertThat(single("Kafka").node().path("spec").path("kafka").path("listeners"))
                .allSatisfy(listener -> {
                    assertThat(listener.path("tls").asBoolean()).isTrue();
                    assertThat(listener.path("authentication").path("type").asText())
                            .isEqualTo("scram-sha-512");
                });
    }

    @Test
    void prometheusScrapesEveryJobPodAndTheDashboardsComponentListsEveryDashboard()
            throws IOException {
        JsonNode monitor = single("PodMonitor").node().path("spec");
        JsonNode selector = monitor.path("selector").path("matchLabels");
        String port = monitor.path("podMetricsEndpoints").get(0).path("port").asText();
        for (Doc deployment : of("FlinkDeployment")) {
            JsonNode pod = deployment.node().path("spec").path("podTemplate");
            selector.fields().forEachRemaining(label -> assertThat(
                    pod.path("metadata").path("labels").path(label.getKey()).asText())
                    .as("label %s of %s pods", label.getKey(), deployment.name())
                    .isEqualTo(label.getValue().asText()));
            assertThat(pod.path("spec").path("containers").get(0).path("ports").findValuesAsText("name"))
                    .contains(port);
        }

        JsonNode component = kustomization("components/dashboards");
        List<String> listed = new ArrayList<>();
        component.path("configMapGenerator").forEach(g -> g.path("files").forEach(f ->
                listed.add(K8S.resolve("components/dashboards").resolve(f.asText()).normalize()
                        .toString())));
        Path dashboards = Build.repository().resolve("dashboards");
        assertThat(listed).isNotEmpty().allSatisfy(file ->
                assertThat(file).startsWith(dashboards.toString()));
        if (Files.isDirectory(dashboards)) {
            try (Stream<Path> files = Files.list(dashboards)) {
                assertThat(listed).containsAll(files.filter(f -> f.toString().endsWith(".json"))
                        .map(Path::toString).toList());
            }
        }
    }

    @Test
    void theLowLatencyComponentMakesEveryJobAtLeastOnceWithTheChangelogAndLevelledCompaction()
            throws IOException {
        JsonNode patches = kustomization("components/low-latency").path("patches");
        assertThat(patches).hasSize(1);
        assertThat(patches.get(0).path("target").path("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode operations = YAML.readTree(patches.get(0).path("patch").asText());
        for (Doc deployment : of("FlinkDeployment")) {
            JsonNode spec = applyJsonPatch(deployment.node().deepCopy(), operations).path("spec");
            JsonNode conf = spec.path("flinkConfiguration");
            assertThat(conf.path("state.changelog.enabled").asText()).isEqualTo("true");
            assertThat(conf.path("state.changelog.storage").asText()).isEqualTo("filesystem");
            assertThat(conf.path("state.changelog.dstl.dfs.base-path").asText()).startsWith("s3://");
            assertThat(conf.path("state.backend.rocksdb.compaction.style").asText()).isEqualTo("LEVEL");
            assertThat(conf.path("execution.buffer-timeout.interval").asText()).isEqualTo("5ms");
            List<String> args = new ArrayList<>();
            spec.path("job").path("args").forEach(a -> args.add(a.asText()));
            JobConfig config = JobConfig.from(deployment.name(),
                    Settings.of(ParameterTool.fromArgs(args.toArray(String[]::new)).toMap()));
            assertThat(config.delivery()).as("delivery of %s", deployment.name())
                    .isEqualTo(JobConfig.Delivery.AT_LEAST_ONCE);
            assertThat(config.bootstrapServers()).as("the base's arguments are kept").contains(":");
        }
    }

    /**
     * The {@code add} and {@code replace} operations of a JSON patch (RFC 6902) on object members
     * and at an array's end, failing as kustomize would where a replaced member does not exist.
     */
    private static JsonNode applyJsonPatch(JsonNode document, JsonNode operations) {
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String[] path = operation.path("path").asText().substring(1).split("/");
            JsonNode parent = document;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.path(path[i].replace("~1", "/").replace("~0", "~"));
            }
            String last = path[path.length - 1].replace("~1", "/").replace("~0", "~");
            JsonNode value = operation.path("value");
            if (parent instanceof ArrayNode array
                    && last.equals("-") && op.equals("add")) {
                array.add(value);
            } else if (parent instanceof ObjectNode object
                    && (op.equals("add") || op.equals("replace") && object.has(last))) {
                object.set(last, value);
            } else {
                throw new AssertionError("the patch cannot apply " + operation);
            }
        }
        return document;
    }

    /** The topics a job's main class wires as sources and as sinks. */
    record JobTopics(Set<String> reads, Set<String> writes) {}

    private static JobTopics jobTopics(JobJars.Job job) throws IOException {
        Path source = Build.repository().resolve("jobs").resolve(job.name())
                .resolve("src/main/java").resolve(job.mainClass().replace('.', '/') + ".java");
        String code = Files.readString(source, StandardCharsets.UTF_8);
        Map<String, String> names = new HashMap<>();
        Topics topics = Topics.defaults();
        for (RecordComponent component : Topics.class.getRecordComponents()) {
            try {
                names.put(component.getName(), (String) component.getAccessor().invoke(topics));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        Set<String> writes = matches(code,
                "Sinks\\.alerts\\(config,\\s*config\\.topics\\(\\)\\.(\\w+)\\(\\)", names);
        if (code.contains("Sinks.deadLetters(config)")) {
            writes.add(topics.deadLetter());
        }
        return new JobTopics(
                matches(code, "KafkaIo\\.source\\(config,\\s*config\\.topics\\(\\)\\.(\\w+)\\(\\)", names),
                writes);
    }

    private static Set<String> matches(String code, String regex, Map<String, String> names) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(code);
        while (matcher.find()) {
            found.add(names.get(matcher.group(1)));
        }
        assertThat(found).as("topics matched by %s", regex).isNotEmpty().doesNotContainNull();
        return found;
    }

    private static Set<String> aclTopics(JsonNode acls, String operation) {
        Set<String> topics = new TreeSet<>();
        acls.forEach(acl -> {
            List<String> operations = new ArrayList<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            if (acl.path("resource").path("type").asText().equals("topic")
                    && operations.contains(operation)) {
                topics.add(acl.path("resource").path("name").asText());
            }
        });
        return topics;
    }

    private static JsonNode kustomization(String dir) throws IOException {
        return YAML.readTree(K8S.resolve(dir).resolve("kustomization.yaml").toFile());
    }

    private static List<Doc> of(String kind) {
        return DOCS.stream().filter(d -> d.kind().equals(kind))
                .filter(d -> d.file().startsWith(K8S.resolve("base"))).toList();
    }

    private static Doc single(String kind) {
        assertThat(of(kind)).as("resources of kind %s", kind).hasSize(1);
        return of(kind).get(0);
    }

    private static Doc find(String kind, String name) {
        return of(kind).stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
