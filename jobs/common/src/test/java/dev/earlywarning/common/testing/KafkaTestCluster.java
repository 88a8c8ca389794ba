package dev.earlywarning.common.testing;

import dev.earlywarning.common.config.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (one combined KRaft node) in the test JVM, started once per test class:
 * {@code @RegisterExtension static final KafkaTestCluster KAFKA = new KafkaTestCluster();}.
 *
 * <p>Topics are never auto-created, so a job that reads or writes a topic nobody created fails
 * like it would in production. Tests isolate themselves with {@link #freshTopics(String)} instead
 * of cleaning up. Readers see only committed records, as every consumer of our topics does. The
 * operations are those of {@link KafkaTestClient}, which also works against a broker in its own
 * process.
 */
public final class KafkaTestCluster implements BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;
    private KafkaTestClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                // One broker: the internal topics cannot have the default three replicas.
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        client = new KafkaTestClient(cluster.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The client of this broker, for what this class does not repeat. */
    public KafkaTestClient client() {
        if (client == null) {
            throw new IllegalStateException("KafkaTestCluster is not started: register it as a"
                    + " static field with @RegisterExtension");
        }
        return client;
    }

    public String bootstrapServers() {
        return client().bootstrapServers();
    }

    /** Creates the topics (one replica each) and returns once the broker serves all of them. */
    public void createTopics(int partitions, String... topics) {
        client().createTopics(partitions, topics);
    }

    /** Every topic of the contract under a name no other call returns, created with 2 partitions. */
    public Topics freshTopics(String prefix) {
        return client().freshTopics(prefix);
    }

    /** Writes one record, single-object encoded as every topic of the contract expects. */
    public <T extends SpecificRecordBase> void produce(String topic, String key, T record) {
        client().produce(topic, key, record);
    }

    /** Writes arbitrary bytes, e.g. to see how a job copes with a record that is not Avro. */
    public void produceRaw(String topic, String key, byte[] value) {
        client().produceRaw(topic, key, value);
    }

    /** See {@link KafkaTestClient#readCommitted}. */
    public <T extends SpecificRecordBase> List<T> readCommitted(String topic, Class<T> type,
            int atLeast, Duration timeout) {
        return client().readCommitted(topic, type, atLeast, timeout);
    }

    /** See {@link KafkaTestClient#readCommittedUntilQuiet}. */
    public <T extends SpecificRecordBase> List<T> readCommittedUntilQuiet(String topic,
            Class<T> type, Duration quiet, Duration timeout) {
        return client().readCommittedUntilQuiet(topic, type, quiet, timeout);
    }

    /** See {@link KafkaTestClient#settingsFor}. */
    public Map<String, String> settingsFor(Topics topics, String groupId) {
        return client().settingsFor(topics, groupId);
    }
}
