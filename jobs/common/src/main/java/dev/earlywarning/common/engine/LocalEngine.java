package dev.earlywarning.common.engine;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * The engine settings of an embedded run (demo, {@code ews run}, tests): RocksDB state, periodic
 * exactly-once checkpoints on local disk, no Kryo fallback. On a cluster the same settings come
 * from the deployment's Flink configuration instead.
 */
public final class LocalEngine {

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
        return conf;
    }
}
