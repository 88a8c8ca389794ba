package dev.earlywarning.sla;

import static dev.earlywarning.common.testing.SerializedForm.bytes;
import static dev.earlywarning.common.testing.SerializedForm.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

class CustomerStateSerializerTest {

    private static final CustomerStateSerializer SERIALIZER = CustomerStateSerializer.INSTANCE;
    private static final TypeSerializer<CustomerState> POJO =
            TypeInformation.of(CustomerState.class).createSerializer(new SerializerConfigImpl());

    @Test
    void everyFieldComesBackForFreshBusyAndOlderCustomersWithNullKeptApartFromEmpty()
            throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            CustomerState state = randomState(random);
            assertThat(roundTrip(SERIALIZER, state)).usingRecursiveComparison().isEqualTo(state);
        }
        CustomerState fresh = CustomerState.fresh(1_000L);
        assertThat(roundTrip(SERIALIZER, fresh)).usingRecursiveComparison().isEqualTo(fresh);
        CustomerState empty = new CustomerState();
        assertThat(roundTrip(SERIALIZER, empty)).usingRecursiveComparison().isEqualTo(empty);
    }

    @Test
    void aCustomerSeenOnceTakesLessThanAThirdOfWhatThePojoSerializerWrote() throws IOException {
        CustomerState seenOnce = firstSeen(new Random(3));

        int compact = bytes(SERIALIZER, seenOnce).length;
        int before = bytes(POJO, seenOnce).length;

        assertThat(compact).as("%d bytes against %d", compact, before).isLessThan(before / 3);
    }

    /** Their ids are most of it, the same in both formats: the gain is in the time it takes. */
    @Test
    void aCustomerWithEightRecentContactsTakesLessThanThePojoSerializerWrote()
            throws IOException {
        CustomerState busy = withRecentContacts(new Random(3));

        int compact = bytes(SERIALIZER, busy).length;
        int before = bytes(POJO, busy).length;

        assertThat(compact).as("%d bytes against %d", compact, before)
                .isLessThan(before * 85 / 100);
    }

    @Test
    void copiesShareNoArraysAndNoContacts() {
        CustomerState state = withRecentContacts(new Random(1));
        CustomerState copy = SERIALIZER.copy(state);
        copy.recentInputs[0] = 42;
        copy.commitmentsByKind[0] = 42;
        copy.contacts[0].eventId = "changed";
        copy.contacts[1] = null;
        assertThat(state.recentInputs[0]).isNotEqualTo(42);
        assertThat(state.commitmentsByKind[0]).isNotEqualTo(42);
        assertThat(state.contacts[0].eventId).isNotEqualTo("changed");
        assertThat(state.contacts[1]).isNotNull();
    }

    @Test
    void aValueOfAnUnknownFormatIsRefusedNotMisread() {
        byte[] newer = {(byte) 2, 0, 0};
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(newer)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 2");
    }

    @Test
    void acceptsItsOwnSnapshotAsIsAndThePojoSnapshotOfEarlierReleasesAfterMigration() {
        TypeSerializerSnapshot<CustomerState> own = SERIALIZER.snapshotConfiguration();

        assertThat(own.resolveSchemaCompatibility(own).isCompatibleAsIs()).isTrue();
        assertThat(own.resolveSchemaCompatibility(POJO.snapshotConfiguration())
                .isCompatibleAfterMigration()).isTrue();
    }

    /** As the job stores a customer after their first interaction. */
    private static CustomerState firstSeen(Random random) {
        CustomerState state = CustomerState.fresh(1_772_442_000_000L);
        state.customerName = "Ana Silva";
        state.regionId = "PT";
        state.timerAt = state.lastEventAt + 86_400_000L;
        state.timelineStored = 1;
        state.firstSeen("interaction:" + new UUID(random.nextLong(), random.nextLong()));
        return state;
    }

    /** A customer reached or trying to get through eight times lately, with ids as sent. */
    private static CustomerState withRecentContacts(Random random) {
        CustomerState state = firstSeen(random);
        for (int i = 0; i < CustomerState.RECENT_CONTACTS; i++) {
            Contact contact = new Contact();
            contact.eventId = new UUID(random.nextLong(), random.nextLong()).toString();
            contact.kind = i % 2 == 0 ? Contact.Kind.OUTBOUND_UNANSWERED
                    : Contact.Kind.INBOUND_LIVE;
            contact.at = state.lastEventAt + i * 600_000L;
            contact.caseId = "case-" + random.nextInt(100_000);
            contact.detail = i % 2 == 0 ? "NO_ANSWER" : "customer got through on PHONE";
            contact.agentId = "agent-" + random.nextInt(500);
            state.remember(contact, Long.MIN_VALUE);
            state.firstSeen("interaction:" + contact.eventId);
        }
        state.added(Commitment.create("cb-1", Commitment.Kind.CALLBACK));
        state.timelineStored = 9;
        return state;
    }

    private static CustomerState randomState(Random random) {
        CustomerState state = CustomerState.fresh(random.nextLong());
        state.customerName = random.nextBoolean() ? "Customer ✓ " + random.nextInt() : null;
        state.regionId = random.nextBoolean() ? "region-" + random.nextInt(5) : null;
        state.timerAt = random.nextBoolean() ? CustomerState.NONE : random.nextLong();
        state.timelineStored = random.nextInt(60);
        state.timelineInLog = random.nextBoolean();
        for (int i = random.nextInt(40); i > 0; i--) {
            state.firstSeen("input-" + random.nextInt());
        }
        state.seenIdsInSet = random.nextBoolean();
        for (int i = random.nextInt(5); i > 0; i--) {
            Commitment.Kind[] kinds = Commitment.Kind.values();
            state.added(Commitment.create("c" + i, kinds[random.nextInt(kinds.length)]));
        }
        state.commitmentsIndexed = random.nextBoolean();
        state.contacts = new Contact[random.nextInt(CustomerState.RECENT_CONTACTS + 1)];
        for (int i = 0; i < state.contacts.length; i++) {
            state.contacts[i] = random.nextInt(10) == 0 ? null : randomContact(random);
        }
        // As state restored from older releases may hold them, or a POJO never filled in.
        switch (random.nextInt(6)) {
            case 0 -> state.recentInputs = null;
            case 1 -> state.commitmentsByKind = null;
            case 2 -> state.contacts = null;
            default -> { }
        }
        return state;
    }

    private static Contact randomContact(Random random) {
        Contact contact = new Contact();
        contact.eventId = random.nextInt(10) == 0 ? null : "event-" + random.nextInt();
        Contact.Kind[] kinds = Contact.Kind.values();
        contact.kind = random.nextInt(5) == 0 ? null : kinds[random.nextInt(kinds.length)];
        contact.at = random.nextLong();
        contact.caseId = random.nextBoolean() ? "case-" + random.nextInt(100) : null;
        contact.detail = random.nextBoolean() ? "détail " + random.nextInt() : null;
        contact.agentId = random.nextBoolean() ? "a" + random.nextInt(100) : null;
        return contact;
    }
}
