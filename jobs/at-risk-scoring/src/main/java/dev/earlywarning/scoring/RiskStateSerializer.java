package dev.earlywarning.scoring;

import static dev.earlywarning.common.state.CompactFormat.readDoubles;
import static dev.earlywarning.common.state.CompactFormat.readInts;
import static dev.earlywarning.common.state.CompactFormat.readLongs;
import static dev.earlywarning.common.state.CompactFormat.readString;
import static dev.earlywarning.common.state.CompactFormat.readStrings;
import static dev.earlywarning.common.state.CompactFormat.readVarInt;
import static dev.earlywarning.common.state.CompactFormat.writeDoubles;
import static dev.earlywarning.common.state.CompactFormat.writeInts;
import static dev.earlywarning.common.state.CompactFormat.writeLongs;
import static dev.earlywarning.common.state.CompactFormat.writeString;
import static dev.earlywarning.common.state.CompactFormat.writeStrings;
import static dev.earlywarning.common.state.CompactFormat.writeVarInt;

import dev.earlywarning.common.state.CompactStateSerializer;
import dev.earlywarning.common.state.CompactStateSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link RiskState} as RocksDB stores it, written by hand because it is the job's hottest state:
 * every changed customer is written before each checkpoint and every customer missing from the
 * cache is read. Flink's POJO serializer wrote 463 bytes for a fresh customer, mostly empty
 * arrays and null flags, through reflection; this format writes only the slots in use
 * ({@link dev.earlywarning.common.state.CompactFormat}: varint lengths, sparse arrays): 105 bytes.
 *
 * <p>Each value starts with its format number, so a release that adds a field writes a new
 * format and still reads the old ones. State written by the POJO serializer of earlier releases
 * is migrated when restored ({@link Snapshot}).
 */
public final class RiskStateSerializer extends CompactStateSerializer<RiskState> {

    private static final long serialVersionUID = 1L;
    static final RiskStateSerializer INSTANCE = new RiskStateSerializer();
    private static final int FORMAT = 1;

    @Override
    public RiskState createInstance() {
        return new RiskState();
    }

    @Override
    public void serialize(RiskState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        writeDoubles(s.intensity, out);
        out.writeLong(s.asOf);
        writeStrings(s.evidence, out);
        writeStrings(s.details, out);
        writeStrings(s.caseIds, out);
        writeInts(s.caseChannels, out);
        writeInts(s.caseContacts, out);
        out.writeLong(s.lastInboundContactAt);
        writeVarInt(s.lastInboundChannel + 1, out);
        out.writeLong(s.selfServiceFailedAt);
        writeString(s.selfServiceFailedEventId, out);
        writeString(s.alertId, out);
        writeVarInt(s.alertRevision, out);
        out.writeDouble(s.alertedScore);
        writeVarInt(s.alertedSignals, out);
        out.writeLong(s.holdOpenUntil);
        out.writeLong(s.resolveTimerAt);
        out.writeLong(s.cleanupTimerAt);
        out.writeLong(s.lastEventAt);
        writeVarInt(s.timelineStored, out);
        out.writeBoolean(s.timelineInLog);
        writeString(s.customerName, out);
        writeLongs(s.recentInputs, out);
        writeVarInt(s.recentInputsWritten, out);
        writeString(s.lastCaseId, out);
    }

    @Override
    public RiskState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("risk state in format " + format + ", written by a newer"
                    + " release than this one (format " + FORMAT + ")");
        }
        RiskState s = new RiskState();
        s.intensity = readDoubles(in);
        s.asOf = in.readLong();
        s.evidence = readStrings(in);
        s.details = readStrings(in);
        s.caseIds = readStrings(in);
        s.caseChannels = readInts(in);
        s.caseContacts = readInts(in);
        s.lastInboundContactAt = in.readLong();
        s.lastInboundChannel = readVarInt(in) - 1;
        s.selfServiceFailedAt = in.readLong();
        s.selfServiceFailedEventId = readString(in);
        s.alertId = readString(in);
        s.alertRevision = readVarInt(in);
        s.alertedScore = in.readDouble();
        s.alertedSignals = readVarInt(in);
        s.holdOpenUntil = in.readLong();
        s.resolveTimerAt = in.readLong();
        s.cleanupTimerAt = in.readLong();
        s.lastEventAt = in.readLong();
        s.timelineStored = readVarInt(in);
        s.timelineInLog = in.readBoolean();
        s.customerName = readString(in);
        s.recentInputs = readLongs(in);
        s.recentInputsWritten = readVarInt(in);
        s.lastCaseId = readString(in);
        return s;
    }

    @Override
    public TypeSerializerSnapshot<RiskState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Its own snapshots as they are, the POJO serializer's of earlier releases migrated. */
    public static final class Snapshot extends CompactStateSnapshot<RiskState> {
        public Snapshot() {
            super(() -> INSTANCE, RiskState.class);
        }
    }
}
