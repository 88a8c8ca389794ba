package dev.earlywarning.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.reliability.Fuzzer.Bad;
import dev.earlywarning.reliability.Fuzzer.Category;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.sla.CallbackSlaJob;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at volume: malformed records of every kind, mixed into valid traffic, must neither
 * stop nor restart a job (restarts are disabled, so finishing proves it), must each reach the
 * dead-letter topic once with the reason of its kind, and must not change the valid records'
 * alerts. Replay with {@code -Dews.reliability.seed=N}.
 */
class BadInputFuzzITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long SEED = Long.getLong("ews.reliability.seed", 20260105L);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void scoringDeadLettersOneHundredThousandBadInteractionsAndAlertsAsWithoutThem()
            throws Exception {
        fuzz("FUZZ interactions", AtRiskScoringJob::wire, AtRiskScoringJob.NAME,
                Topics::interactions, InteractionEvent.class, Traffic.generate(SEED, 300, 0),
                100_000);
    }

    @Test
    void callbackSlaDeadLettersBadCallbacksAndAlertsAsWithoutThem() throws Exception {
        fuzz("FUZZ callbacks", CallbackSlaJob::wire, CallbackSlaJob.NAME, Topics::callbacks,
                CallbackEvent.class, Traffic.generate(SEED, 0, 300), 20_000);
    }

    /**
     * Runs the job over {@code valid} alone, then over {@code valid} mixed with {@code count}
     * bad records of {@code type} on the topic, and compares.
     */
    private <T extends SpecificRecordBase> void fuzz(String label, JobWiring job, String name,
            Function<Topics, String> topic, Class<T> type, Traffic valid, int count)
            throws Exception {
        List<T> validRecords = valid.sends().stream().map(Traffic.Send::record)
                .filter(type::isInstance).map(type::cast).toList();
        List<Bad> bad = new Fuzzer<>(SEED, type, validRecords).generate(count);

        Topics clean = KAFKA.freshTopics("clean");
        valid.write(KAFKA.client(), clean, 0, valid.sends().size());
        List<Alert> expected = runToTheEnd(job, name, clean, "clean");

        Topics fuzzed = KAFKA.freshTopics("fuzzed");
        KAFKA.client().produceAll(topic.apply(fuzzed), mix(valid, type, bad, new Random(SEED)));
        long started = System.nanoTime();
        List<Alert> actual = runToTheEnd(job, name, fuzzed, "fuzzed");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // The job has finished: everything it wrote is committed, nothing more will come.
        List<DeadLetter> deadLetters = KAFKA.readCommittedUntilQuiet(fuzzed.deadLetter(),
                DeadLetter.class, Duration.ofSeconds(1), TIMEOUT);
        Map<String, Long> sentByReason = bad.stream().collect(Collectors.groupingBy(
                b -> b.category().reason().label(), TreeMap::new, Collectors.counting()));
        Map<String, Long> deadByReason = deadLetters.stream().collect(Collectors.groupingBy(
                BadInputFuzzITCase::reasonLabel, TreeMap::new, Collectors.counting()));
        Map<Category, Long> sentByCategory = bad.stream().collect(Collectors.groupingBy(
                Bad::category, () -> new EnumMap<>(Category.class), Collectors.counting()));
        System.out.printf("%s: seed %d, %,d bad records sent %s, %,d dead-lettered %s, job run"
                        + " %.1f s, 0 restarts (restarts disabled, job FINISHED), %,d valid"
                        + " records, %,d valid alerts equal%n", label, SEED, bad.size(),
                sentByCategory, deadLetters.size(), deadByReason, took.toMillis() / 1000.0,
                validRecords.size(), expected.size());

        assertThat(deadByReason).as("dead letters by reason").isEqualTo(sentByReason);
        assertThat(unmatched(bad, deadLetters)).as("bad records without their dead letter,"
                + " or dead letters with another reason than their kind's").isEmpty();
        assertThat(expected).as("alerts of the valid traffic").isNotEmpty();
        AlertComparison.assertSame(expected, actual);
    }

    /** Runs the job over the topics' records to their end, with restarts disabled. */
    private List<Alert> runToTheEnd(JobWiring wiring, String name, Topics topics, String label)
            throws Exception {
        JobClient job = JobRunner.runBounded(wiring, name, KAFKA.settingsFor(topics, label),
                temp.resolve(label));
        job.getJobExecutionResult().get();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
        return KAFKA.readCommittedUntilQuiet(topics.alerts(), Alert.class, Duration.ofSeconds(1),
                TIMEOUT);
    }

    /** Valid records of {@code type} and bad ones shuffled together; the valid keep their order. */
    private static List<Map.Entry<String, byte[]>> mix(Traffic traffic, Class<?> type,
            List<Bad> bad, Random random) {
        List<Traffic.Send> valid = traffic.sends().stream()
                .filter(s -> type.isInstance(s.record())).toList();
        List<Map.Entry<String, byte[]>> mixed = new ArrayList<>();
        int v = 0;
        int b = 0;
        while (v < valid.size() || b < bad.size()) {
            int validLeft = valid.size() - v;
            if (random.nextInt(validLeft + bad.size() - b) < validLeft) {
                Traffic.Send send = valid.get(v++);
                mixed.add(Map.entry(send.key(), KAFKA.client().encode(send.record())));
            } else {
                Bad next = bad.get(b++);
                mixed.add(Map.entry(next.key(), next.value()));
            }
        }
        return mixed;
    }

    /**
     * Matches every dead letter to a bad record with its payload; returns what is left over: bad
     * records never dead-lettered, dead letters of no bad record, and mismatched reasons.
     */
    private static List<String> unmatched(List<Bad> bad, List<DeadLetter> deadLetters) {
        Map<ByteBuffer, List<Category>> sent = new HashMap<>();
        for (Bad record : bad) {
            sent.computeIfAbsent(ByteBuffer.wrap(record.value()), k -> new ArrayList<>())
                    .add(record.category());
        }
        List<String> problems = new ArrayList<>();
        for (DeadLetter deadLetter : deadLetters) {
            List<Category> candidates = sent.get(deadLetter.getPayload());
            if (candidates == null || candidates.isEmpty()) {
                problems.add("dead letter of no bad record: " + deadLetter.getReason());
                continue;
            }
            Category category = candidates.remove(candidates.size() - 1);
            if (!category.reason().label().equals(reasonLabel(deadLetter))) {
                problems.add(category + " dead-lettered as " + deadLetter.getReason());
            }
        }
        sent.forEach((payload, left) -> left.forEach(category ->
                problems.add(category + " record never dead-lettered")));
        return problems.stream().limit(20).toList();
    }

    private static String reasonLabel(DeadLetter deadLetter) {
        String reason = deadLetter.getReason();
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }
}
