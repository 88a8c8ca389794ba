package dev.earlywarning.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaIoITCase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void theTestKitWritesWhatItReadsBack() {
        Topics topics = KAFKA.freshTopics("kit");
        InteractionEvent event = Interactions.event("e1", "c1").text("hello").build();

        KAFKA.produce(topics.interactions(), "c1", event);

        assertThat(KAFKA.readCommitted(topics.interactions(), InteractionEvent.class, 1, WAIT))
                .containsExactly(event);
        // Short of what was asked for, it returns what there is instead of failing.
        assertThat(KAFKA.readCommitted(topics.interactions(), InteractionEvent.class, 2,
                Duration.ofMillis(500))).containsExactly(event);
        assertThat(KAFKA.readCommittedUntilQuiet(topics.callbacks(), InteractionEvent.class,
                Duration.ofMillis(300), WAIT)).isEmpty();
        assertThat(topics.all()).doesNotContainAnyElementsOf(KAFKA.freshTopics("kit").all());
    }

    @Test
    void readersSeeNeitherAbortedNorOpenTransactions() {
        Topics topics = KAFKA.freshTopics("tx");
        AvroCodec<InteractionEvent> codec = new AvroCodec<>(InteractionEvent.class);
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("transactional.id", "tx-test");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props,
                new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topics, codec, "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(topics, codec, "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(topics, codec, "open"));
            producer.flush();

            assertThat(KAFKA.readCommittedUntilQuiet(topics.interactions(),
                    InteractionEvent.class, Duration.ofMillis(500), WAIT))
                    .extracting(InteractionEvent::getEventId).containsExactly("committed");
        }
    }

    private static ProducerRecord<String, byte[]> record(Topics topics,
            AvroCodec<InteractionEvent> codec, String eventId) {
        return new ProducerRecord<>(topics.interactions(), "c1",
                codec.encode(Interactions.event(eventId, "c1").build()));
    }

    @Test
    void aJobCopiesGoodRecordsAndDeadLettersBadOnesExactlyOnce() throws Exception {
        Topics topics = KAFKA.freshTopics("copy");
        String copies = topics.interactions() + ".copy";
        KAFKA.createTopics(2, copies);
        byte[] garbage = "{\"eventId\":\"json\"}".getBytes(StandardCharsets.UTF_8);
        InteractionEvent complaint = Interactions.event("e1", "alice").channel(Channel.EMAIL)
                .type(InteractionType.COMPLAINT).text("Where is my order?").build();
        InteractionEvent chat = Interactions.event("e2", "bob").channel(Channel.CHAT).build();
        InteractionEvent sms = Interactions.event("e3", "alice").channel(Channel.SMS).build();
        KAFKA.produce(topics.interactions(), "alice", complaint);
        KAFKA.produceRaw(topics.interactions(), "carol", garbage);
        KAFKA.produce(topics.interactions(), "bob", chat);
        KAFKA.produce(topics.interactions(), "dave",
                Interactions.event("e4", "dave").waitSeconds(-1).build());
        KAFKA.produce(topics.interactions(), "alice", sms);

        Map<String, String> settings = KAFKA.settingsFor(topics, "copy-job");
        JobConfig config = JobConfig.from("copy-job", Settings.of(settings));
        Configuration flink = new Configuration();
        // The common types must never fall back to Kryo.
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        env.enableCheckpointing(500);

        SingleOutputStreamOperator<Ingested<InteractionEvent>> valid = Inputs.validRecords(env,
                KafkaIo.boundedSource(config, topics.interactions(), RecordTypes.INTERACTION),
                RecordTypes.INTERACTION, config, topics.interactions());
        valid.map(ingested -> ingested.value, new AvroTypeInfo<>(InteractionEvent.class))
                .sinkTo(KafkaIo.exactlyOnceSink(config, copies, InteractionEvent.class,
                        InteractionEvent::getCustomerId));
        valid.getSideOutput(DeadLetters.TAG)
                .sinkTo(KafkaIo.exactlyOnceSink(config, topics.deadLetter(), DeadLetter.class,
                        DeadLetter::getSourceTopic));
        env.execute("copy interactions");

        assertThat(KAFKA.readCommittedUntilQuiet(copies, InteractionEvent.class,
                Duration.ofMillis(500), WAIT))
                .containsExactlyInAnyOrder(complaint, chat, sms);
        List<DeadLetter> dead = KAFKA.readCommittedUntilQuiet(topics.deadLetter(),
                DeadLetter.class, Duration.ofMillis(500), WAIT);
        assertThat(dead).extracting(DeadLetter::getKey).containsExactlyInAnyOrder("carol", "dave");
        DeadLetter undecodable = dead.stream().filter(d -> d.getKey().equals("carol")).findFirst()
                .orElseThrow();
        assertThat(undecodable.getReason()).startsWith("undecodable: ");
        assertThat(undecodable.getPayload().array()).isEqualTo(garbage);
        assertThat(undecodable.getSourceTopic()).isEqualTo(topics.interactions());
        assertThat(undecodable.getJob()).isEqualTo("copy-job");
        assertThat(dead).extracting(DeadLetter::getReason)
                .contains("invalid: waitSeconds is negative (-1)");
    }
}
