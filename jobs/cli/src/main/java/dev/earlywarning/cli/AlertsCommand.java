package dev.earlywarning.cli;

import dev.earlywarning.cli.alerts.AlertRenderer;
import dev.earlywarning.cli.alerts.TopicFollower;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ews alerts tail}: the queues as responders and outreach see them. */
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

    /** The queues a responder can follow, by their short names. */
    enum Queue {
        RESPONDER, OUTREACH, ALERTS;

        String topic(Topics topics) {
            return switch (this) {
                case RESPONDER -> topics.responderQueue();
                case OUTREACH -> topics.outreachQueue();
                case ALERTS -> topics.alerts();
            };
        }
    }

    /** Which alerts a tail shows: at least a severity, one customer. */
    record Filter(Severity minimum, String customerId) {
        boolean shows(Alert alert) {
            return (minimum == null || alert.getSeverity().compareTo(minimum) >= 0)
                    && (customerId == null || customerId.equals(alert.getCustomerId()));
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Follows a queue and prints each item as it is committed"
                    + " (read_committed): who and how bad, why (each reason with its share),"
                    + " the cross-channel timeline newest first, the suggested action, the due-by"
                    + " time, the escalation level and, for outreach, the gesture.",
                "Starts at the end of the queue unless --from-beginning; Ctrl-C to stop."})
    static final class Tail implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--queue", defaultValue = "responder", paramLabel = "QUEUE",
                description = "responder (ews.responder-queue), outreach (ews.outreach-queue) or"
                        + " alerts (ews.alerts, the detectors' raw alerts) (default: ${DEFAULT-VALUE}).")
        Queue queue;

        @Option(names = "--topic", paramLabel = "TOPIC",
                description = "Follow this topic instead of a queue (e.g. a renamed one).")
        String topic;

        @Option(names = "--severity", paramLabel = "SEVERITY",
                description = "Only items at least this severe: ${COMPLETION-CANDIDATES}.")
        Severity severity;

        @Option(names = "--customer", paramLabel = "ID", description = "Only this customer's items.")
        String customer;

        @Option(names = "--json", description = "One JSON object per line instead of text.")
        boolean json;

        @Option(names = "--from-beginning", description = "Print the items already in the queue first.")
        boolean fromBeginning;

        @Option(names = "--no-color", description = "No ANSI colors even on a terminal.")
        boolean noColor;

        @Override
        public Integer call() {
            String followed = topic != null ? topic : queue.topic(kafka.topics());
            Filter filter = new Filter(severity, customer);
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
                        String shown = show(record, codec, renderer, json, filter);
                        if (shown != null) {
                            System.out.println(shown);
                        }
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

    /** Like {@link #show(ConsumerRecord, AvroCodec, AlertRenderer, boolean)}; null if filtered out. */
    static String show(ConsumerRecord<byte[], byte[]> record, AvroCodec<Alert> codec,
            AlertRenderer renderer, boolean json, Filter filter) {
        Alert alert;
        try {
            alert = codec.decode(record.value());
        } catch (AvroCodec.DecodeException e) {
            return show(record, codec, renderer, json);
        }
        return filter.shows(alert) ? (json ? renderer.json(alert) : renderer.render(alert)) : null;
    }
}
