package dev.earlywarning.cli.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the contract's topics; topics that already exist are left as they are. */
public final class TopicSetup {

    private TopicSetup() {}

    /** Returns the topics that were created now (the others existed already). */
    public static List<String> createAll(Properties clientProperties, Collection<String> topics,
            int partitions, short replicationFactor) throws Exception {
        return createAll(clientProperties, topics, partitions, replicationFactor, Map.of());
    }

    /** As above, the new topics with the given topic configs (e.g. {@code message.timestamp.type}). */
    public static List<String> createAll(Properties clientProperties, Collection<String> topics,
            int partitions, short replicationFactor, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, replicationFactor)
                            .configs(configs)).toList();
            List<String> created = new ArrayList<>();
            for (Map.Entry<String, KafkaFuture<Void>> result :
                    admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    // Someone else created it between our listing and our request: fine.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        }
    }

    public static Set<String> existing(Properties clientProperties) throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
