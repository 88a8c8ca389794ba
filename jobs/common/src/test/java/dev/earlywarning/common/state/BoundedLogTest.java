package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BoundedLogTest {

    private static final int BOUND = 3;

    /**
     * Input "key:a,b,c" appends a, b and c to the key's log in one batch, keeping the count in
     * the key's own state as a job would; emits the log as it then reads, on RocksDB.
     */
    static final class Appender extends KeyedProcessFunction<String, String, List<String>> {
        private transient BoundedLog<String> log;
        private transient ValueState<Integer> stored;

        @Override
        public void open(OpenContext openContext) {
            log = new BoundedLog<>(getRuntimeContext().getListState(
                    new ListStateDescriptor<>("log", Types.STRING)));
            stored = getRuntimeContext().getState(new ValueStateDescriptor<>("stored", Types.INT));
        }

        @Override
        public void processElement(String batch, Context ctx, Collector<List<String>> out)
                throws Exception {
            List<String> entries = Arrays.asList(batch.substring(batch.indexOf(':') + 1).split(","));
            int before = stored.value() == null ? 0 : stored.value();
            stored.update(log.append(entries, before, BOUND));
            List<String> now = log.read();
            assertThat(now).as("the count kept by the caller").hasSize(stored.value());
            out.collect(now);
        }
    }

    /**
     * Input "key:eN" adds eN to the key's {@link LogTail}, "key:write" writes the tail to the
     * log; emits what a reader sees after each, on RocksDB.
     */
    static final class TailWriter extends KeyedProcessFunction<String, String, List<String>> {
        private transient BoundedLog<String> log;
        private transient ValueState<Integer> stored;
        private transient LogTail<String> tail;

        @Override
        public void open(OpenContext openContext) {
            log = new BoundedLog<>(getRuntimeContext().getListState(
                    new ListStateDescriptor<>("log", Types.STRING)));
            stored = getRuntimeContext().getState(new ValueStateDescriptor<>("stored", Types.INT));
            tail = new LogTail<>();
        }

        @Override
        public void processElement(String input, Context ctx, Collector<List<String>> out)
                throws Exception {
            String entry = input.substring(input.indexOf(':') + 1);
            int before = stored.value() == null ? 0 : stored.value();
            if (entry.equals("write")) {
                stored.update(tail.writeTo(log, before, BOUND));
                assertThat(log.read()).as("the count kept by the caller").hasSize(stored.value());
            } else {
                tail.add(entry, BOUND);
            }
            out.collect(tail.read(log, stored.value() == null ? 0 : stored.value(), BOUND));
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, String, List<String>> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Appender()),
                batch -> batch.substring(0, batch.indexOf(':')), Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void appendsOneAtATimeKeepTheNewestInOrderAndStayWithinTwiceTheBound() throws Exception {
        for (int i = 1; i <= 20; i++) {
            harness.processElement("k:e" + i, i);
            List<String> log = lastOutput();
            assertThat(log).hasSizeLessThanOrEqualTo(2 * BOUND)
                    .endsWith(names(Math.max(1, i - BOUND + 1), i).toArray(String[]::new));
            assertThat(log).isEqualTo(names(i - log.size() + 1, i));
        }
    }

    @Test
    void aBatchLargerThanTheBoundReplacesTheLogWithItsNewest() throws Exception {
        harness.processElement("k:e1,e2,e3,e4", 1);
        harness.processElement("k:e5,e6,e7", 2);
        assertThat(lastOutput()).containsExactly("e5", "e6", "e7");
    }

    @Test
    void aSmallBatchOverTheLimitIsCutBackToTheNewestOfOldAndNew() throws Exception {
        harness.processElement("k:e1,e2,e3,e4,e5", 1);
        harness.processElement("k:e6,e7", 2);
        assertThat(lastOutput()).containsExactly("e5", "e6", "e7");
    }

    @Test
    void eachKeyHasItsOwnLog() throws Exception {
        harness.processElement("a:x1", 1);
        harness.processElement("b:y1,y2", 2);
        harness.processElement("a:x2", 3);
        assertThat(lastOutput()).containsExactly("x1", "x2");
    }

    @Test
    void theCountAfterAppendsIsThatOfAppendingOneAtATime() throws Exception {
        int count = 0;
        for (int i = 1; i <= 40; i++) {
            harness.processElement("k:e" + i, i);
            count = BoundedLog.countAfter(count, 1, BOUND);
            assertThat(lastOutput()).hasSize(count);
            for (int stored = 0; stored <= 2 * BOUND; stored++) {
                int oneByOne = stored;
                for (int appended = 0; appended < 3 * BOUND; appended++) {
                    assertThat(BoundedLog.countAfter(stored, appended, BOUND))
                            .as("%d stored, %d appended", stored, appended).isEqualTo(oneByOne);
                    oneByOne = BoundedLog.countAfter(oneByOne, 1, BOUND);
                }
            }
        }
    }

    /** Whenever the tail is written, a reader sees what appending each entry at once left. */
    @Test
    void aTailWrittenAtAnyMomentReadsAsEntriesAppendedOneAtATime() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TailWriter()),
                input -> input.substring(0, input.indexOf(':')), Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        java.util.Random random = new java.util.Random(5);
        int appended = 0;
        for (int step = 1; step <= 300; step++) {
            if (random.nextInt(4) == 0) {
                harness.processElement("k:write", step);
            } else {
                // Bursts longer than twice the bound between writes come too.
                for (int burst = random.nextInt(10) == 0 ? 9 : 1; burst > 0; burst--) {
                    appended++;
                    harness.processElement("k:e" + appended, step);
                }
            }
            int expected = BoundedLog.countAfter(0, appended, BOUND);
            assertThat(lastOutput()).as("after %d entries", appended)
                    .isEqualTo(names(appended - expected + 1, appended));
        }
    }

    private List<String> lastOutput() {
        List<List<String>> outputs = harness.extractOutputValues();
        return outputs.get(outputs.size() - 1);
    }

    private static List<String> names(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "e" + i).collect(Collectors.toList());
    }
}
