package dev.earlywarning.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state access pattern of a keyed job on RocksDB: per event, read the key's value, change it
 * and write it back, through Flink's RocksDB keyed state backend (in a keyed operator harness,
 * so key serialization, key groups and the value serializer are Flink's own). Keys follow the
 * load's Zipfian skew, so hot keys are served from RocksDB's block cache and memtable like in
 * a real run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RocksDbStateBench {

    @Param({"1024"})
    int valueBytes;

    @Param({"100000"})
    int keys;

    @Param({"256mb"})
    String slotMemory;

    private KeyedOneInputStreamOperatorTestHarness<String, String, Integer> harness;
    private Path dir;
    private Zipfian zipfian;
    private SplittableRandom random;
    private String[] keyNames;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("ews-rocksdb-bench-");
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RewriteValue(valueBytes)), key -> key, Types.STRING);
        // The harness has no managed memory to give RocksDB; a fixed budget per slot, as large
        // as a slot's share of the jobs' 512 MB, keeps its caches and write buffers realistic.
        Configuration memory = new Configuration();
        memory.set(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, MemorySize.parse(slotMemory));
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend()
                .configure(memory, getClass().getClassLoader());
        backend.setDbStoragePath(dir.toString());
        harness.setStateBackend(backend);
        harness.open();
        zipfian = new Zipfian(keys, Zipfian.YCSB_CONSTANT);
        random = new SplittableRandom(7);
        keyNames = new String[keys];
        for (int i = 0; i < keys; i++) {
            keyNames[i] = SyntheticInteractions.customerId(i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public void getAndPut() throws Exception {
        harness.processElement(keyNames[(int) zipfian.rank(random.nextDouble())], 0L);
    }

    /** Reads the key's bytes, changes one, writes them back; creates them on first sight. */
    static final class RewriteValue extends KeyedProcessFunction<String, String, Integer> {
        private static final ValueStateDescriptor<byte[]> VALUE =
                new ValueStateDescriptor<>("value",
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        private final int bytes;
        private transient ValueState<byte[]> value;

        RewriteValue(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            value = getRuntimeContext().getState(VALUE);
        }

        @Override
        public void processElement(String key, Context ctx, Collector<Integer> out)
                throws Exception {
            byte[] current = value.value();
            if (current == null) {
                current = new byte[bytes];
            }
            current[0]++;
            value.update(current);
        }
    }
}
