package dev.earlywarning.cli;

import dev.earlywarning.cli.alerts.AlertRenderer;
import dev.earlywarning.cli.alerts.TopicFollower;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.Alert;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ews alerts tail}. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Alerts as responders see them.",
        subcommands = {AlertsCommand.Tail.class})
public final class AlertsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Decodes one record of an alert topic and shows it; undecodable records say why. */
    static String show(ConsumerRecord<byte[], byte[]> record, AvroCodec<Alert> codec,
            AlertRenderer renderer, boolean json) {
        try {
            Alert alert = codec.decode(record.value());
            return json ? renderer.json(alert) : renderer.render(alert);
        } catch (AvroCodec.DecodeException e) {
            String where = record.topic() + "/" + record.partition() + "@" + record.offset();
            return json ? "{\"undecodable\":\"" + where + "\",\"reason\":\"" + e.reason() + "\"}"
                    : "(undecodable record " + where + ": " + e.reason() + ", " + e.getMessage() + ")\n";
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Follows an alert topic and prints each alert as it is committed"
                    + " (read_committed): a header line, the reasons with their share of the score,"
                    + " the cross-channel timeline newest first, and the suggested action.",
                "Starts at the end of the topic unless --from-beginning; Ctrl-C to stop."})
    static final class Tail implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--topic", paramLabel = "TOPIC",
                description = "Alert topic to follow (default: ews.alerts; also ews.responder-queue,"
                        + " ews.outreach-queue).")
        String topic;

        @Option(names = "--json", description = "One JSON object per line instead of text.")
        boolean json;

        @Option(names = "--from-beginning", description = "Print the alerts already in the topic first.")
        boolean fromBeginning;

        @Option(names = "--no-color", description = "No ANSI colors even on a terminal.")
        boolean noColor;

        @Override
        public Integer call() {
            String followed = topic != null ? topic : kafka.topics().alerts();
            AlertRenderer renderer = new AlertRenderer(!noColor && !json && System.console() != null,
                    ZoneId.systemDefault());
            AvroCodec<Alert> codec = new AvroCodec<>(Alert.class);
            TopicFollower follower = new TopicFollower(kafka.clientProperties(), List.of(followed),
                    fromBeginning, Duration.ofSeconds(10));
            Shutdown shutdown = new Shutdown();
            shutdown.add(null, follower::wakeup);
            if (!json) {
                System.out.println("following " + followed + " at " + kafka.bootstrap
                        + (fromBeginning ? " from the beginning" : " from now") + "; Ctrl-C to stop");
            }
            try {
                while (!shutdown.requested()) {
                    for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofSeconds(1))) {
                        System.out.println(show(record, codec, renderer, json));
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C
            } finally {
                follower.close();
            }
            return 0;
        }
    }
}
