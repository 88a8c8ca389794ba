package dev.earlywarning.cli;

import dev.earlywarning.cli.local.TopicSetup;
import dev.earlywarning.common.config.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ews topics create|list}. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "The Kafka topics of the contract.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
public final class TopicsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates every topic of the contract that does not exist yet"
                    + " (safe to repeat).",
                "Topics: cx.interactions, cx.callbacks, logistics.shipments, logistics.disruptions,"
                        + " ews.alerts, ews.responder-queue, ews.outreach-queue, ews.alert-acks,"
                        + " ews.control, ews.dead-letter."})
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--partitions", defaultValue = "4",
                description = "Partitions of each new topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "1",
                description = "Replication factor of each new topic (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Override
        public Integer call() throws Exception {
            Topics topics = kafka.topics();
            List<String> created = TopicSetup.createAll(kafka.clientProperties(), topics.all(),
                    partitions, replicationFactor);
            for (String topic : topics.all()) {
                System.out.println((created.contains(topic) ? "created  " : "exists   ") + topic);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Shows which topics of the contract exist.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() throws Exception {
            Set<String> existing = TopicSetup.existing(kafka.clientProperties());
            int missing = 0;
            for (String topic : kafka.topics().all()) {
                boolean exists = existing.contains(topic);
                missing += exists ? 0 : 1;
                System.out.println((exists ? "exists   " : "MISSING  ") + topic);
            }
            return missing == 0 ? 0 : 1;
        }
    }
}
