package dev.earlywarning.common.engine;

import dev.earlywarning.common.metrics.FlinkMetricsReporterFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;

/**
 * The engine settings of an embedded run (demo, {@code ews run}, tests): RocksDB state, periodic
 * exactly-once checkpoints on local disk, no Kryo fallback, and Flink's own metrics (with RocksDB's
 * size properties) reported into this JVM's Prometheus registry next to the contract's metrics.
 * On a cluster the same settings come from the deployment's Flink configuration instead: the
 * reporter there is {@code metrics.reporter.ews.factory.class} with a {@code port}, see
 * {@link dev.earlywarning.common.metrics.FlinkMetricsReporter}.
 */
public final class LocalEngine {

    /** The name of our metric reporter in Flink's configuration. */
    public static final String REPORTER = "ews";

    /** How long a network buffer may wait to fill in the low-latency mode (Flink: 100 ms). */
    public static final Duration LOW_LATENCY_BUFFER_TIMEOUT = Duration.ofMillis(5);

    /**
     * At least once, a checkpoint no longer decides when alerts become visible, only how much is
     * read again after a failure: fewer checkpoints leave more of the machine to the jobs.
     */
    public static final Duration LOW_LATENCY_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    /** Where Flink's file-system changelog keeps its log (its module is a runtime dependency). */
    static final String CHANGELOG_BASE_PATH = "state.changelog.dstl.dfs.base-path";

    private LocalEngine() {}

    public static Configuration configuration(Path checkpointDir, Duration checkpointInterval) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // Our functions never keep a reference to an input record, so chained operators can share them.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // A type that falls back to Kryo fails at job build time instead of slowing every record.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // No port: the embedding process serves the registry, on the host it was told.
        conf.setString("metrics.reporter." + REPORTER + ".factory.class",
                FlinkMetricsReporterFactory.class.getName());
        // Most customers are seen rarely: a first look-up of one finds nothing, and without a
        // bloom filter RocksDB searches every level to learn that.
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        // Compressing blocks cost a fifth of the scoring job's CPU in compactions (Snappy) at a
        // million customers; the state is local disk of a few GB, cheaper than the CPU.
        conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
                List.of(CompressionType.NO_COMPRESSION));
        // Every checkpoint rewrites the changed customers: with levelled compaction each value was
        // rewritten level by level, and compactions took 14% of the scoring job's CPU at a million
        // customers; universal compaction rewrites less (36% fewer compaction samples, 13-16%
        // more throughput) for more disk while large runs are merged.
        conf.set(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.UNIVERSAL);
        // Memtable bloom filters and hash indexes in data blocks, for the look-ups of customers.
        conf.set(RocksDBOptions.OPTIONS_FACTORY, PointLookupOptions.class.getName());
        // State size on disk and in memory, per state (a label, not part of the metric name).
        conf.set(RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE, true);
        conf.set(RocksDBNativeMetricOptions.MONITOR_TOTAL_SST_FILES_SIZE, true);
        conf.set(RocksDBNativeMetricOptions.MONITOR_SIZE_ALL_MEM_TABLES, true);
        conf.set(RocksDBNativeMetricOptions.ESTIMATE_NUM_KEYS, true);
        conf.set(RocksDBNativeMetricOptions.MONITOR_BACKGROUND_ERRORS, true);
        conf.set(RocksDBNativeMetricOptions.COLUMN_FAMILY_AS_VARIABLE, true);
        return conf;
    }

    /**
     * What the at-least-once low-latency mode adds to the engine settings, for a cluster and its
     * jobs (the changelog's storage is the TaskManager's, the rest the job's). Measured with the
     * scoring job (bench/README.md, latency figures): sinks that send as they come were not enough,
     * the tail came from checkpoints pausing the task. Network buffers leave after 5 ms instead of
     * 100; Flink's changelog state backend makes a checkpoint upload a log of changes instead of
     * flushing RocksDB's memtables while the task waits; levelled compaction, because universal
     * compaction's large merges doubled the p99 in this mode (124 -> 295 ms at half load).
     */
    public static Configuration lowLatency(Path changelogDir) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, LOW_LATENCY_BUFFER_TIMEOUT);
        conf.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
        conf.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
        conf.setString(CHANGELOG_BASE_PATH, changelogDir.toUri().toString());
        conf.set(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.LEVEL);
        return conf;
    }
}
