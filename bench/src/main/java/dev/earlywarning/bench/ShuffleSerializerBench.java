package dev.earlywarning.bench;

import dev.earlywarning.common.serde.AvroRecordSerializer;
import dev.earlywarning.schema.InteractionEvent;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * An {@link InteractionEvent} serialized and read back as a keyed shuffle does it, by Flink's
 * {@code AvroSerializer} (Avro's datum writer and resolving reader) and by the jobs' {@link
 * AvroRecordSerializer} (codecs compiled from the schema).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ShuffleSerializerBench {

    private static final int EVENTS = 1024;

    private final TypeSerializer<InteractionEvent> flinkAvro =
            new AvroTypeInfo<>(InteractionEvent.class).createSerializer(new SerializerConfigImpl());
    private final TypeSerializer<InteractionEvent> compiled =
            new AvroRecordSerializer<>(InteractionEvent.class);
    private final DataOutputSerializer out = new DataOutputSerializer(1024);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private InteractionEvent[] events;
    private int next;

    @Setup
    public void setUp() {
        events = SyntheticInteractions.sample(EVENTS);
    }

    @Benchmark
    public InteractionEvent flinkAvroSerializer() throws IOException {
        return roundTrip(flinkAvro);
    }

    @Benchmark
    public InteractionEvent avroRecordSerializer() throws IOException {
        return roundTrip(compiled);
    }

    private InteractionEvent roundTrip(TypeSerializer<InteractionEvent> serializer)
            throws IOException {
        next = (next + 1) & (EVENTS - 1);
        out.clear();
        serializer.serialize(events[next], out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return serializer.deserialize(in);
    }
}
