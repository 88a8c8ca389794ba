package dev.earlywarning.common.testing;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** A value as a state serializer writes it, and read back, as the state backend would. */
public final class SerializedForm {

    private SerializedForm() {}

    public static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    public static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        return serializer.deserialize(new DataInputDeserializer(bytes(serializer, value)));
    }
}
