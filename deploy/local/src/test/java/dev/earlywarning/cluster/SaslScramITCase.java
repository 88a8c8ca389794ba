package dev.earlywarning.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.SurveyKind;
import dev.earlywarning.scoring.AtRiskScoringJob;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security without code changes: a job given only {@code kafka.*} settings runs against a broker
 * that requires SASL/SCRAM-SHA-512 and authorizes by ACL, its password appears in no log line and
 * no alert, and {@code ews.control} takes commands from the operators' principal only.
 */
class SaslScramITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Topics TOPICS = Topics.defaults();
    private static final String JOB_USER = "ews-scoring";
    private static final String OPERATOR = "ews-operator";
    private static final Map<String, String> PASSWORDS = Map.of(
            ScramBroker.ADMIN, "admin-" + UUID.randomUUID(),
            JOB_USER, "job-" + UUID.randomUUID(),
            OPERATOR, "operator-" + UUID.randomUUID());

    @TempDir
    static Path temp;

    private static ScramBroker broker;

    @BeforeAll
    static void startBrokerWithUsersAndAcls() throws Exception {
        broker = ScramBroker.start(temp.resolve("broker"), PASSWORDS);
        try (Admin admin = Admin.create(broker.client(ScramBroker.ADMIN))) {
            admin.createTopics(TOPICS.all().stream()
                    .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 1, (short) 1)).toList())
                    .all().get();
            List<AclBinding> acls = new ArrayList<>();
            // The scoring job's needs, as deploy/k8s grants them to its KafkaUser.
            for (String topic : List.of(TOPICS.interactions(), TOPICS.alerts(), TOPICS.control())) {
                acls.add(allow(JOB_USER, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            }
            for (String topic : List.of(TOPICS.alerts(), TOPICS.deadLetter())) {
                acls.add(allow(JOB_USER, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            }
            acls.add(allow(JOB_USER, ResourceType.GROUP, "ews-" + AtRiskScoringJob.NAME,
                    PatternType.LITERAL, AclOperation.READ));
            acls.add(allow(JOB_USER, ResourceType.TRANSACTIONAL_ID, "ews-" + AtRiskScoringJob.NAME
                    + "-tx", PatternType.PREFIXED, AclOperation.WRITE));
            // Commands: only the operators' principal writes them.
            acls.add(allow(OPERATOR, ResourceType.TOPIC, TOPICS.control(), PatternType.LITERAL,
                    AclOperation.WRITE));
            admin.createAcls(acls).all().get();
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aJobConfiguredOnlyThroughKafkaSettingsRunsOverScramAndNeverLogsItsPassword()
            throws Exception {
        StringWriter log = new StringWriter();
        WriterAppender capture = listenToEverything(log);
        List<Alert> alerts;
        try (TopicClient asAdmin = new TopicClient(broker.client(ScramBroker.ADMIN))) {
            asAdmin.produce(TOPICS.interactions(), "c1", Interactions.event("survey-1", "c1")
                    .survey(SurveyKind.CSAT, 1).channel(Channel.SURVEY)
                    .at(Instant.now().minus(Duration.ofMinutes(5))).build());

            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap", broker.bootstrap());
            broker.client(JOB_USER).forEach((key, value) -> {
                if (!key.equals("bootstrap.servers")) {
                    settings.put("kafka." + key, value.toString());
                }
            });
            Configuration conf = LocalEngine.configuration(temp.resolve("checkpoints"),
                    Duration.ofMillis(500));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            AtRiskScoringJob.wire(env, dev.earlywarning.common.config.Settings.of(settings));
            JobClient job = env.executeAsync(AtRiskScoringJob.NAME);
            try {
                alerts = asAdmin.awaitRecords(TOPICS.alerts(), Alert.class,
                        found -> !found.isEmpty(), Duration.ofSeconds(60), "an alert");
            } finally {
                job.cancel().get();
            }
        } finally {
            stopListening(capture);
        }
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.getKind()).isEqualTo(AlertKind.AT_RISK_CUSTOMER);
            assertThat(alert.getCustomerId()).isEqualTo("c1");
        });

        String everything = log.toString();
        // The clients did log their configuration: the check below looked at real lines.
        assertThat(everything).contains("sasl.jaas.config = [hidden]");
        for (String password : PASSWORDS.values()) {
            assertThat(everything).doesNotContain(password);
            assertThat(alerts.toString()).doesNotContain(password);
        }
    }

    @Test
    void controlCommandsAreAcceptedFromTheOperatorsPrincipalOnly() {
        ControlCommand command = ControlCommand.newBuilder().setCommandId("cmd-1")
                .setJob(AtRiskScoringJob.NAME).setKind("SET_CONFIG")
                .setPayload("{\"raise-threshold\": 0.7}").setOccurredAt(Instant.now()).build();
        try (TopicClient asJob = new TopicClient(broker.client(JOB_USER))) {
            assertThatThrownBy(() -> asJob.produce(TOPICS.control(), AtRiskScoringJob.NAME, command))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (TopicClient asOperator = new TopicClient(broker.client(OPERATOR))) {
            asOperator.produce(TOPICS.control(), AtRiskScoringJob.NAME, command);
        }
        try (TopicClient asAdmin = new TopicClient(broker.client(ScramBroker.ADMIN))) {
            assertThat(asAdmin.readAll(TOPICS.control(), ControlCommand.class))
                    .extracting(ControlCommand::getCommandId).containsExactly("cmd-1");
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name,
            PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /** Every log event of this JVM from now on, at INFO and above, also goes to {@code sink}. */
    private static WriterAppender listenToEverything(StringWriter sink) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.newBuilder().setName("secret-watch")
                .setTarget(sink)
                .setLayout(PatternLayout.newBuilder().withPattern("%c %m%n%ex").build())
                .build();
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.INFO, null);
        context.getConfiguration().getRootLogger().setLevel(Level.INFO);
        context.updateLoggers();
        return appender;
    }

    private static void stopListening(WriterAppender appender) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.getConfiguration().getRootLogger().setLevel(Level.WARN);
        context.updateLoggers();
        appender.stop();
    }
}
