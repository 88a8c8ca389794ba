package dev.earlywarning.bench;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.InteractionEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Avro single-object decode and encode of an {@link InteractionEvent} through the jobs' own
 * {@link AvroCodec}: what every record costs on the way in (fingerprint lookup in the schema
 * store, then the binary body) and on the way out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AvroCodecBench {

    private static final int EVENTS = 1024;

    private final AvroCodec<InteractionEvent> codec = new AvroCodec<>(InteractionEvent.class);
    private InteractionEvent[] events;
    private byte[][] encoded;
    private int next;

    @Setup
    public void setUp() {
        events = SyntheticInteractions.sample(EVENTS);
        encoded = new byte[EVENTS][];
        for (int i = 0; i < EVENTS; i++) {
            encoded[i] = codec.encode(events[i]);
        }
    }

    @Benchmark
    public InteractionEvent decode() throws AvroCodec.DecodeException {
        next = (next + 1) & (EVENTS - 1);
        return codec.decode(encoded[next]);
    }

    @Benchmark
    public byte[] encode() {
        next = (next + 1) & (EVENTS - 1);
        return codec.encode(events[next]);
    }
}
