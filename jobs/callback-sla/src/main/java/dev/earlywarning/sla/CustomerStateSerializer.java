package dev.earlywarning.sla;

import static dev.earlywarning.common.state.CompactFormat.readInts;
import static dev.earlywarning.common.state.CompactFormat.readLongs;
import static dev.earlywarning.common.state.CompactFormat.readString;
import static dev.earlywarning.common.state.CompactFormat.readVarInt;
import static dev.earlywarning.common.state.CompactFormat.writeInts;
import static dev.earlywarning.common.state.CompactFormat.writeLongs;
import static dev.earlywarning.common.state.CompactFormat.writeString;
import static dev.earlywarning.common.state.CompactFormat.writeVarInt;

import dev.earlywarning.common.state.CompactStateSerializer;
import dev.earlywarning.common.state.CompactStateSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link CustomerState} as the backend stores it, written by hand because it is read and written
 * for every record of the customer: Flink's POJO serializer, through reflection and with a null
 * flag for every field of every recent contact, took 16% of the task's time in a profile. This
 * format writes the fields one after the other, with varint lengths and counts and the ring of
 * recent inputs sparse ({@link dev.earlywarning.common.state.CompactFormat}): 52 bytes for a
 * customer seen once where the POJO serializer wrote 210; 818 against 992 with eight recent
 * contacts, most of it their ids.
 *
 * <p>Each value starts with its format number, so a release that adds a field writes a new
 * format and still reads the old ones. State written by the POJO serializer of earlier releases
 * is migrated when restored ({@link Snapshot}). Null stays distinct from empty: the job reads a
 * null ring of inputs or null counts by kind as state of an older layout.
 */
public final class CustomerStateSerializer extends CompactStateSerializer<CustomerState> {

    private static final long serialVersionUID = 1L;
    static final CustomerStateSerializer INSTANCE = new CustomerStateSerializer();
    private static final int FORMAT = 1;
    private static final Contact.Kind[] CONTACT_KINDS = Contact.Kind.values();

    @Override
    public CustomerState createInstance() {
        return new CustomerState();
    }

    @Override
    public void serialize(CustomerState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        writeString(s.customerName, out);
        writeString(s.regionId, out);
        out.writeLong(s.lastEventAt);
        out.writeLong(s.timerAt);
        writeVarInt(s.timelineStored, out);
        out.writeBoolean(s.timelineInLog);
        writeLongs(s.recentInputs, out);
        writeVarInt(s.recentInputsWritten, out);
        out.writeBoolean(s.seenIdsInSet);
        writeVarInt(s.commitments, out);
        writeInts(s.commitmentsByKind, out);
        out.writeBoolean(s.commitmentsIndexed);
        writeContacts(s.contacts, out);
    }

    @Override
    public CustomerState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("customer state in format " + format + ", written by a newer"
                    + " release than this one (format " + FORMAT + ")");
        }
        CustomerState s = new CustomerState();
        s.customerName = readString(in);
        s.regionId = readString(in);
        s.lastEventAt = in.readLong();
        s.timerAt = in.readLong();
        s.timelineStored = readVarInt(in);
        s.timelineInLog = in.readBoolean();
        s.recentInputs = readLongs(in);
        s.recentInputsWritten = readVarInt(in);
        s.seenIdsInSet = in.readBoolean();
        s.commitments = readVarInt(in);
        s.commitmentsByKind = readInts(in);
        s.commitmentsIndexed = in.readBoolean();
        s.contacts = readContacts(in);
        return s;
    }

    @Override
    public TypeSerializerSnapshot<CustomerState> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Length + 1 (0: null), then each contact led by its kind's ordinal + 2 (1: no kind, 0: no
     * contact): a new kind goes last.
     */
    private static void writeContacts(Contact[] contacts, DataOutputView out) throws IOException {
        if (contacts == null) {
            writeVarInt(0, out);
            return;
        }
        writeVarInt(contacts.length + 1, out);
        for (Contact contact : contacts) {
            if (contact == null) {
                writeVarInt(0, out);
                continue;
            }
            writeVarInt(contact.kind == null ? 1 : contact.kind.ordinal() + 2, out);
            writeString(contact.eventId, out);
            out.writeLong(contact.at);
            writeString(contact.caseId, out);
            writeString(contact.detail, out);
            writeString(contact.agentId, out);
        }
    }

    private static Contact[] readContacts(DataInputView in) throws IOException {
        int length = readVarInt(in) - 1;
        if (length < 0) {
            return null;
        }
        Contact[] contacts = new Contact[length];
        for (int i = 0; i < length; i++) {
            int kind = readVarInt(in);
            if (kind == 0) {
                continue;
            }
            Contact contact = new Contact();
            contact.kind = kind == 1 ? null : CONTACT_KINDS[kind - 2];
            contact.eventId = readString(in);
            contact.at = in.readLong();
            contact.caseId = readString(in);
            contact.detail = readString(in);
            contact.agentId = readString(in);
            contacts[i] = contact;
        }
        return contacts;
    }

    /** Its own snapshots as they are, the POJO serializer's of earlier releases migrated. */
    public static final class Snapshot extends CompactStateSnapshot<CustomerState> {
        public Snapshot() {
            super(() -> INSTANCE, CustomerState.class);
        }
    }
}
