package dev.earlywarning.reliability;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** What the MiniCluster knows about a running job: restarts, checkpoints in flight. */
final class ClusterProbe {

    private final MiniCluster cluster;

    ClusterProbe(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * How many times the job went back to a checkpoint after a failure (it was started from
     * scratch, not from a savepoint): Flink's count of restored checkpoints.
     */
    long restarts(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot().getCounts()
                .getNumberOfRestoredCheckpoints();
    }

    /**
     * Waits until the job runs again and has completed a checkpoint triggered after
     * {@code sinceEpochMillis}: it has recovered from whatever happened before.
     */
    void awaitRunningAndCheckpointed(JobID job, long sinceEpochMillis, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
            CompletedCheckpointStats latest = graph.getCheckpointStatsSnapshot().getHistory()
                    .getLatestCompletedCheckpoint();
            if (graph.getState() == JobStatus.RUNNING && latest != null
                    && latest.getTriggerTimestamp() > sinceEpochMillis) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(job + " did not recover within " + timeout);
    }

    /**
     * A checkpoint of the job that is in progress and was triggered at most {@code maxAge} ago:
     * checkpoints of these jobs take tens of milliseconds, so a young one is likely still running
     * a moment later.
     */
    OptionalLong youngCheckpointInProgress(JobID job, Duration maxAge) throws Exception {
        long now = System.currentTimeMillis();
        for (AbstractCheckpointStats stats : cluster.getExecutionGraph(job).get()
                .getCheckpointStatsSnapshot().getHistory().getCheckpoints()) {
            if (stats.getStatus() == CheckpointStatsStatus.IN_PROGRESS
                    && now - stats.getTriggerTimestamp() <= maxAge.toMillis()) {
                return OptionalLong.of(stats.getCheckpointId());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Whether checkpoint {@code id} of the job was still unfinished at {@code epochMillis}: it
     * failed, or completed after that instant.
     */
    boolean unfinishedAt(JobID job, long id, long epochMillis) throws Exception {
        AbstractCheckpointStats stats = cluster.getExecutionGraph(job).get()
                .getCheckpointStatsSnapshot().getHistory().getCheckpointById(id);
        if (stats == null) {
            // Dropped from the bounded history: nothing is known, so it is not claimed.
            return false;
        }
        return switch (stats.getStatus()) {
            case FAILED, IN_PROGRESS -> true;
            case COMPLETED -> stats.getTriggerTimestamp() + stats.getEndToEndDuration()
                    > epochMillis;
        };
    }
}
