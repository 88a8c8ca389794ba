package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.SerializedCompositeKeyBuilder;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredKeyOrderTest {

    /** With 128 key groups the stored keys start with one byte, beyond that with two. */
    @ParameterizedTest
    @ValueSource(ints = {128, 4096})
    void sortsKeysAsRocksDbKeepsThem(int maxParallelism) {
        Random random = new Random(maxParallelism);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            keys.add(randomKey(random));
        }

        List<String> byOrder = new ArrayList<>(keys);
        byOrder.sort(new StoredKeyOrder(maxParallelism));
        List<String> byStoredBytes = new ArrayList<>(keys);
        byStoredBytes.sort(Comparator.comparing(key -> storedKey(key, maxParallelism),
                Arrays::compareUnsigned));

        assertThat(byOrder).containsExactlyElementsOf(byStoredBytes);
    }

    /** Customer ids of several shapes and lengths, some repeated. */
    private static String randomKey(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "c-" + random.nextInt(1_000_000);
            case 1 -> "CUST" + String.format("%08d", random.nextInt(50_000));
            case 2 -> Long.toHexString(random.nextLong());
            default -> "acct:" + (char) ('a' + random.nextInt(26)) + random.nextInt(100);
        };
    }

    /** The key of a value state as Flink's RocksDB backend writes it. */
    private static byte[] storedKey(String key, int maxParallelism) {
        SerializedCompositeKeyBuilder<String> builder = new SerializedCompositeKeyBuilder<>(
                StringSerializer.INSTANCE,
                CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix(
                        maxParallelism),
                32);
        builder.setKeyAndKeyGroup(key,
                KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism));
        return builder.buildCompositeKeyNamespace(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE);
    }
}
