package dev.earlywarning.reliability;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestClient;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.sla.CallbackSlaJob;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * The callback-sla and at-risk scoring jobs running together on one set of topics, as in
 * production: the scoring job reads the callback-sla job's broken promises from the alert topic
 * both write to. Each job has its own consumer group, {@code <group>-<job>}.
 */
final class BothJobs {

    static final Map<String, JobWiring> JOBS = jobs();
    /** Marker alerts: blank ids are invalid, so the scoring job dead-letters them. */
    private static final String MARKER_ALERT_ID = " ";
    /** Everything is committed when this is asked: only to drain the topic. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    /** Markers stay in the dead-letter topic: each needs an id no earlier run used. */
    private static final AtomicInteger MARKERS = new AtomicInteger();

    private final KafkaTestClient kafka;
    private final Topics topics;
    private final String group;
    private final Map<String, JobClient> running = new LinkedHashMap<>();

    private BothJobs(KafkaTestClient kafka, Topics topics, String group) {
        this.kafka = kafka;
        this.topics = topics;
        this.group = group;
    }

    /**
     * Starts both jobs; {@code adjust} gets each job's name and launch (restored from its entry
     * in {@code savepoints}, if any) to change before it starts.
     */
    static BothJobs start(KafkaTestClient kafka, Topics topics, String group, Path dir,
            Map<String, String> savepoints,
            BiFunction<String, JobRunner.Launch, JobRunner.Launch> adjust) throws Exception {
        BothJobs jobs = new BothJobs(kafka, topics, group);
        for (Map.Entry<String, JobWiring> job : JOBS.entrySet()) {
            String name = job.getKey();
            JobRunner.Launch launch = JobRunner.launch(job.getValue(), name,
                    kafka.settingsFor(topics, jobs.groupOf(name)),
                    dir.resolve("checkpoints-" + name)).fromSavepoint(savepoints.get(name));
            jobs.running.put(name, adjust.apply(name, launch).start());
        }
        return jobs;
    }

    static BothJobs start(KafkaTestClient kafka, Topics topics, String group, Path dir)
            throws Exception {
        return start(kafka, topics, group, dir, Map.of(), (name, launch) -> launch);
    }

    JobID id(String name) {
        return running.get(name).getJobID();
    }

    List<String> names() {
        return List.copyOf(running.keySet());
    }

    /**
     * Waits until both jobs have read every record written so far to the input topics and
     * committed what those records caused. The proof is a marker: an invalid record on every
     * partition of both input topics, which a job dead-letters only after everything before it
     * (a partition is read in order), and commits in the same checkpoint as their effects.
     * Invalid records never move a watermark, so markers change no alert.
     */
    void awaitCaughtUp(Duration timeout) {
        String marker = "marker-" + MARKERS.incrementAndGet();
        List<DeadLetterOf> expected = new ArrayList<>();
        for (int partition = 0; partition < Traffic.PARTITIONS; partition++) {
            String key = Traffic.keyOnPartition(partition);
            byte[] interaction = kafka.encode(Interactions.event(marker + "-" + partition, " ")
                    .build());
            byte[] callback = kafka.encode(CallbackEvent.newBuilder()
                    .setEventId(marker + "-" + partition).setCommitmentId(" ").setCustomerId(key)
                    .setType(CallbackType.COMPLETED).setOccurredAt(Traffic.START).build());
            kafka.produceRaw(topics.interactions(), key, interaction);
            kafka.produceRaw(topics.callbacks(), key, callback);
            expected.add(new DeadLetterOf(CallbackSlaJob.NAME, interaction));
            expected.add(new DeadLetterOf(CallbackSlaJob.NAME, callback));
            expected.add(new DeadLetterOf(AtRiskScoringJob.NAME, interaction));
        }
        awaitDeadLetters(expected, timeout);
    }

    /**
     * Waits until the scoring job has read every alert written so far, the callback-sla job's
     * broken promises among them: the same proof, with an alert that has no id.
     */
    void awaitAlertsRead(Duration timeout) {
        List<DeadLetterOf> expected = new ArrayList<>();
        for (int partition = 0; partition < Traffic.PARTITIONS; partition++) {
            String key = Traffic.keyOnPartition(partition);
            byte[] alert = kafka.encode(Alert.newBuilder().setAlertId(MARKER_ALERT_ID)
                    .setDedupKey("marker-" + MARKERS.incrementAndGet()).setKind(AlertKind.CALLBACK_BREACHED)
                    .setSeverity(Severity.HIGH).setStatus(AlertStatus.OPEN).setCustomerId(key)
                    .setTriggeredAt(Traffic.START).setEmittedAt(Traffic.START)
                    .setSourceJob("marker").build());
            kafka.produceRaw(topics.alerts(), key, alert);
            expected.add(new DeadLetterOf(AtRiskScoringJob.NAME, alert));
        }
        awaitDeadLetters(expected, timeout);
    }

    /**
     * Moves every watermark past the end of the input in two rounds of ticks (see
     * {@link Traffic#writeTicks}) and returns once both jobs have committed all it causes.
     */
    void finish(Traffic traffic, Duration timeout) {
        traffic.writeTicks(kafka, topics, 1);
        awaitCaughtUp(timeout);
        awaitAlertsRead(timeout);
        traffic.writeTicks(kafka, topics, 2);
        awaitCaughtUp(timeout);
    }

    /** The committed alerts (not the markers), once no new one arrived for a moment. */
    List<Alert> alerts(Duration timeout) {
        return kafka.readCommittedUntilQuiet(topics.alerts(), Alert.class, QUIET, timeout)
                .stream().filter(a -> !a.getAlertId().equals(MARKER_ALERT_ID)).toList();
    }

    /** A dead letter a job must write for a marker. */
    private record DeadLetterOf(String job, byte[] payload) {
        boolean matches(DeadLetter deadLetter) {
            return job.equals(deadLetter.getJob())
                    && ByteBuffer.wrap(payload).equals(deadLetter.getPayload());
        }
    }

    private void awaitDeadLetters(List<DeadLetterOf> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeadLetterOf> missing = expected;
        while (System.nanoTime() < deadline) {
            List<DeadLetter> deadLetters = kafka.readCommitted(topics.deadLetter(),
                    DeadLetter.class, Integer.MAX_VALUE, Duration.ofMillis(300));
            missing = expected.stream()
                    .filter(e -> deadLetters.stream().noneMatch(e::matches)).toList();
            if (missing.isEmpty()) {
                return;
            }
        }
        throw new AssertionError(missing.size() + " markers not dead-lettered within " + timeout
                + " by " + missing.stream().map(DeadLetterOf::job).distinct().toList());
    }

    /** Waits until both jobs run and have completed a checkpoint triggered after {@code since}. */
    void awaitCheckpointedSince(ClusterProbe probe, long sinceEpochMillis, Duration timeout)
            throws Exception {
        for (JobClient job : running.values()) {
            probe.awaitRunningAndCheckpointed(job.getJobID(), sinceEpochMillis, timeout);
        }
    }

    /** Stops both jobs with a savepoint each; returns the savepoint paths by job name. */
    Map<String, String> stopWithSavepoints(Path dir) throws Exception {
        Map<String, String> savepoints = new LinkedHashMap<>();
        for (Map.Entry<String, JobClient> job : running.entrySet()) {
            savepoints.put(job.getKey(), job.getValue().stopWithSavepoint(false,
                    dir.resolve("savepoints-" + job.getKey()).toUri().toString(),
                    SavepointFormatType.CANONICAL).get());
        }
        running.clear();
        return savepoints;
    }

    void cancel() throws Exception {
        for (JobClient job : running.values()) {
            job.cancel().get();
        }
        running.clear();
    }

    private String groupOf(String job) {
        return group + "-" + job;
    }

    private static Map<String, JobWiring> jobs() {
        Map<String, JobWiring> jobs = new LinkedHashMap<>();
        jobs.put(CallbackSlaJob.NAME, CallbackSlaJob::wire);
        jobs.put(AtRiskScoringJob.NAME, AtRiskScoringJob::wire);
        return jobs;
    }
}
