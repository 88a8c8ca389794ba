package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CompactFormatTest {

    @Test
    void arraysComeBackWithTheirLengthTheirEmptySlotsAndNullDistinctFromEmpty()
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        double[] doubles = {0, 1.5, 0, -2.25};
        long[] longs = {0, Long.MIN_VALUE, 0, Long.MAX_VALUE, 0};
        String[] strings = {null, "détail ✓", null, ""};
        int[] ints = {0, -1, 300, Integer.MAX_VALUE};
        CompactFormat.writeDoubles(doubles, out);
        CompactFormat.writeDoubles(null, out);
        CompactFormat.writeDoubles(new double[0], out);
        CompactFormat.writeLongs(longs, out);
        CompactFormat.writeLongs(null, out);
        CompactFormat.writeLongs(new long[0], out);
        CompactFormat.writeStrings(strings, out);
        CompactFormat.writeStrings(null, out);
        CompactFormat.writeStrings(new String[0], out);
        CompactFormat.writeInts(ints, out);
        CompactFormat.writeInts(null, out);
        CompactFormat.writeInts(new int[0], out);
        CompactFormat.writeString(null, out);
        CompactFormat.writeString("", out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(CompactFormat.readDoubles(in)).containsExactly(doubles);
        assertThat(CompactFormat.readDoubles(in)).isNull();
        assertThat(CompactFormat.readDoubles(in)).isEmpty();
        assertThat(CompactFormat.readLongs(in)).containsExactly(longs);
        assertThat(CompactFormat.readLongs(in)).isNull();
        assertThat(CompactFormat.readLongs(in)).isEmpty();
        assertThat(CompactFormat.readStrings(in)).containsExactly(strings);
        assertThat(CompactFormat.readStrings(in)).isNull();
        assertThat(CompactFormat.readStrings(in)).isEmpty();
        assertThat(CompactFormat.readInts(in)).containsExactly(ints);
        assertThat(CompactFormat.readInts(in)).isNull();
        assertThat(CompactFormat.readInts(in)).isEmpty();
        assertThat(CompactFormat.readString(in)).isNull();
        assertThat(CompactFormat.readString(in)).isEmpty();
        assertThat(in.available()).isZero();
    }

    @Test
    void aStringIsWrittenAsItsUtf8BytesWhateverItsCharacters() throws IOException {
        // ASCII takes a path of its own: the bytes must stay those of every earlier release.
        String[] values = {"ev-42-1234567", "", "\u007f", "\u0080", "café", "Łódź", "call 📞 me",
                "ascii then é"};
        for (String value : values) {
            DataOutputSerializer out = new DataOutputSerializer(8);
            CompactFormat.writeString(value, out);
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            DataOutputSerializer expected = new DataOutputSerializer(8);
            CompactFormat.writeVarInt(utf8.length + 1, expected);
            expected.write(utf8);
            assertThat(out.getCopyOfBuffer()).as(value).isEqualTo(expected.getCopyOfBuffer());
            assertThat(CompactFormat.readString(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(value);
        }
    }

    @Test
    void anArrayOfEmptySlotsTakesItsLengthAndACountOfNone() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(8);
        CompactFormat.writeLongs(new long[16], out);
        assertThat(out.length()).isEqualTo(2);
    }

    @Test
    void varintsTakeOneByteUpTo127AndFiveForNegativeNumbers() throws IOException {
        int[] values = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        int[] lengths = {1, 1, 1, 2, 2, 3, 5, 5, 5};
        for (int i = 0; i < values.length; i++) {
            DataOutputSerializer out = new DataOutputSerializer(8);
            CompactFormat.writeVarInt(values[i], out);
            assertThat(out.length()).as("bytes of %d", values[i]).isEqualTo(lengths[i]);
            assertThat(CompactFormat.readVarInt(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(values[i]);
        }
    }

    @Test
    void aVarintLongerThanFiveBytesIsRefusedAsCorrupt() {
        byte[] corrupt = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        assertThatThrownBy(() -> CompactFormat.readVarInt(new DataInputDeserializer(corrupt)))
                .isInstanceOf(IOException.class).hasMessageContaining("corrupt");
    }
}
