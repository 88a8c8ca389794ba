package dev.earlywarning.common.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The pieces of the compact formats in which several jobs write their hottest keyed state by hand
 * instead of through Flink's POJO serializer, which spends most of its bytes on null flags and
 * empty slots and its time on reflection. Lengths and counts are varints, arrays of mostly empty
 * slots are written sparsely, and null stays distinct from empty throughout.
 */
public final class CompactFormat {

    private CompactFormat() {}

    /** Length + 1 (0: null), the count of non-zero slots, then each as index and value. */
    public static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        if (values == null) {
            writeVarInt(0, out);
            return;
        }
        writeVarInt(values.length + 1, out);
        int used = 0;
        for (double value : values) {
            used += value != 0 ? 1 : 0;
        }
        writeVarInt(used, out);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                writeVarInt(i, out);
                out.writeDouble(values[i]);
            }
        }
    }

    public static double[] readDoubles(DataInputView in) throws IOException {
        int length = readVarInt(in) - 1;
        if (length < 0) {
            return null;
        }
        double[] values = new double[length];
        for (int used = readVarInt(in); used > 0; used--) {
            values[readVarInt(in)] = in.readDouble();
        }
        return values;
    }

    /** As {@link #writeDoubles}: length + 1, the count of non-zero slots, each with its index. */
    public static void writeLongs(long[] values, DataOutputView out) throws IOException {
        if (values == null) {
            writeVarInt(0, out);
            return;
        }
        writeVarInt(values.length + 1, out);
        int used = 0;
        for (long value : values) {
            used += value != 0 ? 1 : 0;
        }
        writeVarInt(used, out);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                writeVarInt(i, out);
                out.writeLong(values[i]);
            }
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int length = readVarInt(in) - 1;
        if (length < 0) {
            return null;
        }
        long[] values = new long[length];
        for (int used = readVarInt(in); used > 0; used--) {
            values[readVarInt(in)] = in.readLong();
        }
        return values;
    }

    /** As {@link #writeDoubles}, with null for the empty slot. */
    public static void writeStrings(String[] values, DataOutputView out) throws IOException {
        if (values == null) {
            writeVarInt(0, out);
            return;
        }
        writeVarInt(values.length + 1, out);
        int used = 0;
        for (String value : values) {
            used += value != null ? 1 : 0;
        }
        writeVarInt(used, out);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                writeVarInt(i, out);
                writeString(values[i], out);
            }
        }
    }

    public static String[] readStrings(DataInputView in) throws IOException {
        int length = readVarInt(in) - 1;
        if (length < 0) {
            return null;
        }
        String[] values = new String[length];
        for (int used = readVarInt(in); used > 0; used--) {
            values[readVarInt(in)] = readString(in);
        }
        return values;
    }

    /** Length + 1 (0: null), then every slot as a varint: for small counts, not sparse. */
    public static void writeInts(int[] values, DataOutputView out) throws IOException {
        if (values == null) {
            writeVarInt(0, out);
            return;
        }
        writeVarInt(values.length + 1, out);
        for (int value : values) {
            writeVarInt(value, out);
        }
    }

    public static int[] readInts(DataInputView in) throws IOException {
        int length = readVarInt(in) - 1;
        if (length < 0) {
            return null;
        }
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = readVarInt(in);
        }
        return values;
    }

    /** UTF-8 length + 1 (0: null), then the bytes. */
    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            writeVarInt(0, out);
            return;
        }
        int length = value.length();
        if (isAscii(value, length)) {
            // Ids and generated text, most of what is stored: their UTF-8 bytes are their chars,
            // written as they are. Encoding them into a new array first was most of the time the
            // scoring job spent serializing its customers.
            writeVarInt(length + 1, out);
            for (int i = 0; i < length; i++) {
                out.writeByte(value.charAt(i));
            }
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(utf8.length + 1, out);
        out.write(utf8);
    }

    private static boolean isAscii(String value, int length) {
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public static String readString(DataInputView in) throws IOException {
        int length = readVarInt(in) - 1;
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Seven bits a byte, low first; negative numbers (none expected) take five bytes. */
    public static void writeVarInt(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("corrupt state: a varint longer than five bytes");
    }
}
