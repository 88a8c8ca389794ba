package dev.earlywarning.cli;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.KafkaIo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where Kafka is and how to talk to it: the options every Kafka-facing command shares. */
public final class KafkaOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = {"A setting, repeatable: kafka.* pass through to every Kafka client"
                    + " (e.g. kafka.security.protocol=SSL), topic.* rename topics"
                    + " (e.g. topic.alerts=ews.alerts.test); jobs read their own keys too."})
    Map<String, String> settings = new LinkedHashMap<>();

    public Settings settings() {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("bootstrap", bootstrap);
        return Settings.of(all);
    }

    public Topics topics() {
        return Topics.from(settings());
    }

    /** Client properties for this command's own producers, consumers and admin clients. */
    public Properties clientProperties() {
        return KafkaIo.clientProperties(JobConfig.from("ews-cli", settings()));
    }
}
