package dev.earlywarning.common.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointLookupOptionsTest {

    /** Input "key=value" stores the value, "key?" emits "key=" and the stored value (or null). */
    static final class KeyValues extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<String> value;

        @Override
        public void open(OpenContext openContext) {
            value = getRuntimeContext().getState(new ValueStateDescriptor<>("value", Types.STRING));
        }

        @Override
        public void processElement(String in, Context ctx, Collector<String> out)
                throws Exception {
            if (in.endsWith("?")) {
                out.collect(ctx.getCurrentKey() + "=" + value.value());
            } else {
                value.update(in.substring(in.indexOf('=') + 1));
            }
        }
    }

    @Test
    void theEngineSettingsGiveRocksDbTheFiltersAndLookUpsStillFindEveryKey(@TempDir Path dir)
            throws Exception {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend().configure(
                LocalEngine.configuration(dir.resolve("checkpoints"), Duration.ofSeconds(2)),
                getClass().getClassLoader());
        backend.setDbStoragePath(dir.resolve("rocksdb").toString());
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<String, String, String>(
                new KeyedProcessOperator<>(new KeyValues()),
                in -> in.substring(0, Math.max(in.indexOf('='), in.indexOf('?'))),
                Types.STRING)) {
            harness.setStateBackend(backend);
            harness.open();

            for (int i = 0; i < 2_000; i++) {
                harness.processElement("c" + i + "=v" + i, i);
            }
            // A snapshot flushes the memtable: the look-ups below read table files.
            harness.snapshot(1, 2_000);
            harness.processElement("c7=changed", 2_001);
            for (String key : List.of("c0", "c7", "c1999", "c2000", "unknown")) {
                harness.processElement(key + "?", 2_002);
            }

            assertThat(harness.extractOutputValues()).containsExactly(
                    "c0=v0", "c7=changed", "c1999=v1999", "c2000=null", "unknown=null");
            assertThat(optionsFileOf(dir.resolve("rocksdb")))
                    .contains("memtable_whole_key_filtering=true")
                    .contains("memtable_prefix_bloom_size_ratio=0.010000")
                    .contains("data_block_index_type=kDataBlockBinaryAndHash");
        }
    }

    /** The options RocksDB itself wrote last for the database it opened, its state included. */
    private static String optionsFileOf(Path storage) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            Path options = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
                    .max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
            return Files.readString(options);
        }
    }
}
