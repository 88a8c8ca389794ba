package dev.earlywarning.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.kafka.KafkaIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class JobConfigTest {

    @Test
    void defaultsFollowTheContract() {
        JobConfig config = JobConfig.from("at-risk-scoring", Settings.of(Map.of()));

        assertThat(config.jobName()).isEqualTo("at-risk-scoring");
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.groupId()).isEqualTo("ews-at-risk-scoring");
        assertThat(config.transactionalIdPrefix()).isEqualTo("ews-at-risk-scoring-tx");
        assertThat(config.topics()).isEqualTo(Topics.defaults());
        assertThat(config.topics().all()).containsExactly("cx.interactions", "cx.callbacks",
                "logistics.shipments", "logistics.disruptions", "ews.alerts",
                "ews.responder-queue", "ews.outreach-queue", "ews.alert-acks", "ews.control",
                "ews.dead-letter");
        assertThat(config.startFrom()).isEqualTo(JobConfig.StartFrom.EARLIEST);
        assertThat(config.maxOutOfOrder()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sourceIdleness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.maxFutureSkew()).isEqualTo(Duration.ofDays(1));
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.kafkaProperties()).isEmpty();
        assertThat(config.delivery()).isEqualTo(JobConfig.Delivery.EXACTLY_ONCE);
        assertThat(KafkaIo.guarantee(config)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    }

    @Test
    void atLeastOnceDeliveryIsTheSinksGuarantee() {
        JobConfig config = JobConfig.from("at-risk-scoring",
                Settings.of(Map.of("delivery", "at-least-once")));

        assertThat(config.delivery()).isEqualTo(JobConfig.Delivery.AT_LEAST_ONCE);
        assertThat(config.delivery().label()).isEqualTo("at-least-once");
        assertThat(KafkaIo.guarantee(config)).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void unknownDeliveryNamesTheChoices() {
        Settings settings = Settings.of(Map.of("delivery", "best-effort"));

        assertThatThrownBy(() -> JobConfig.from("at-risk-scoring", settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'best-effort' for delivery:"
                        + " expected exactly-once or at-least-once");
    }

    @Test
    void everySettingCanBeOverridden() {
        Map<String, String> flags = new HashMap<>();
        flags.put("bootstrap", "kafka-0:9093,kafka-1:9093");
        flags.put("group-id", "scoring-canary");
        flags.put("topic.interactions", "cx.interactions.canary");
        flags.put("topic.dead-letter", "ews.dead-letter.canary");
        flags.put("start-from", "latest");
        flags.put("max-out-of-order", "5s");
        flags.put("source-idleness", "PT30S");
        flags.put("allowed-lateness", "1h");
        flags.put("max-future-skew", "2h");
        flags.put("transaction-timeout", "15m");

        JobConfig config = JobConfig.from("at-risk-scoring", Settings.of(flags));

        assertThat(config.bootstrapServers()).isEqualTo("kafka-0:9093,kafka-1:9093");
        assertThat(config.groupId()).isEqualTo("scoring-canary");
        assertThat(config.transactionalIdPrefix()).isEqualTo("scoring-canary-tx");
        assertThat(config.topics().interactions()).isEqualTo("cx.interactions.canary");
        assertThat(config.topics().deadLetter()).isEqualTo("ews.dead-letter.canary");
        assertThat(config.topics().alerts()).isEqualTo("ews.alerts");
        assertThat(config.startFrom()).isEqualTo(JobConfig.StartFrom.LATEST);
        assertThat(config.maxOutOfOrder()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.sourceIdleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.allowedLateness()).isEqualTo(Duration.ofHours(1));
        assertThat(config.maxFutureSkew()).isEqualTo(Duration.ofHours(2));
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void kafkaSettingsPassThroughToEveryClient() {
        JobConfig config = JobConfig.from("alert-router", Settings.of(Map.of(
                "bootstrap", "broker:9094",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.bootstrap.servers", "ignored:1",
                "kafkaesque", "not a client setting")));

        assertThat(config.kafkaProperties()).containsOnlyKeys(
                "security.protocol", "sasl.mechanism", "bootstrap.servers");
        Properties client = KafkaIo.clientProperties(config);
        assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                // The job's own bootstrap wins, so one flag decides where every client connects.
                .containsEntry("bootstrap.servers", "broker:9094")
                .doesNotContainKey("kafkaesque");
    }

    @Test
    void transactionTimeoutAboveTheBrokerMaximumIsRejected() {
        Settings settings = Settings.of(Map.of("transaction-timeout", "16m"));

        assertThatThrownBy(() -> JobConfig.from("callback-sla", settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transaction-timeout")
                .hasMessageContaining("'16m'")
                .hasMessageContaining("between PT10S and PT15M");
    }

    @Test
    void invalidStartFromNamesTheChoices() {
        Settings settings = Settings.of(Map.of("start-from", "yesterday"));

        assertThatThrownBy(() -> JobConfig.from("callback-sla", settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'yesterday' for start-from:"
                        + " expected one of [EARLIEST, LATEST]");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        JobConfig config = JobConfig.from("shipping-delay", Settings.of(Map.of(
                "kafka.client.rack", "eu-1a", "scoring.threshold", "0.8")));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        JobConfig copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (JobConfig) in.readObject();
        }

        assertThat(copy.kafkaProperties()).isEqualTo(config.kafkaProperties());
        assertThat(copy.topics()).isEqualTo(config.topics());
        assertThat(copy.settings().scoped("scoring.").doubleIn("threshold", 0, 0, 1))
                .isEqualTo(0.8);
    }

    private static int cachedCustomers(Map<String, String> settings) {
        return JobConfig.from("at-risk-scoring", Settings.of(settings)).cachedCustomers();
    }

    @Test
    void theLowLatencyModeCachesFewerCustomersSoThatBarriersPauseLess() {
        assertThat(cachedCustomers(Map.of())).isEqualTo(JobConfig.DEFAULT_CACHED_CUSTOMERS);
        assertThat(cachedCustomers(Map.of("delivery", "at-least-once")))
                .isEqualTo(JobConfig.LOW_LATENCY_CACHED_CUSTOMERS)
                .isLessThan(JobConfig.DEFAULT_CACHED_CUSTOMERS);
    }

    @Test
    void aCacheSizeGivenExplicitlyWinsInEitherMode() {
        assertThat(cachedCustomers(Map.of("cached-customers", "1234"))).isEqualTo(1234);
        assertThat(cachedCustomers(Map.of("delivery", "at-least-once",
                "cached-customers", "50000"))).isEqualTo(50_000);
        assertThatThrownBy(() -> cachedCustomers(Map.of("cached-customers", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cached-customers");
    }
}
