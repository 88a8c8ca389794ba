package dev.earlywarning.scoring;

import static dev.earlywarning.common.testing.SerializedForm.bytes;
import static dev.earlywarning.common.testing.SerializedForm.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

class RiskStateSerializerTest {

    private static final RiskStateSerializer SERIALIZER = RiskStateSerializer.INSTANCE;

    @Test
    void everyFieldComesBackForFreshBusyAndPartlyEmptyCustomers() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            RiskState state = randomState(random);
            assertThat(roundTrip(SERIALIZER, state)).usingRecursiveComparison().isEqualTo(state);
        }
        RiskState fresh = RiskState.fresh(1_000L);
        assertThat(roundTrip(SERIALIZER, fresh)).usingRecursiveComparison().isEqualTo(fresh);
        RiskState empty = new RiskState();
        assertThat(roundTrip(SERIALIZER, empty)).usingRecursiveComparison().isEqualTo(empty);
    }

    @Test
    void aFreshCustomerTakesAQuarterOfWhatThePojoSerializerWrote() throws IOException {
        RiskState fresh = RiskState.fresh(1_000L);
        fresh.customerName = "Ada Lovelace";
        TypeSerializer<RiskState> pojo = TypeInformation.of(RiskState.class)
                .createSerializer(new SerializerConfigImpl());

        int compact = bytes(SERIALIZER, fresh).length;
        int before = bytes(pojo, fresh).length;

        assertThat(compact).as("%d bytes against %d", compact, before).isLessThan(before / 4);
    }

    @Test
    void copiesShareNoArrays() {
        RiskState state = randomState(new Random(1));
        RiskState copy = SERIALIZER.copy(state);
        copy.intensity[0] = 42;
        copy.evidence[0] = "changed";
        assertThat(state.intensity[0]).isNotEqualTo(42);
        assertThat(state.evidence[0]).isNotEqualTo("changed");
    }

    @Test
    void aValueOfAnUnknownFormatIsRefusedNotMisread() {
        byte[] newer = {(byte) 99, 0, 0};
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(newer)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 99");
    }

    @Test
    void acceptsItsOwnSnapshotAsIsAndThePojoSnapshotOfEarlierReleasesAfterMigration() {
        TypeSerializerSnapshot<RiskState> own = SERIALIZER.snapshotConfiguration();
        TypeSerializerSnapshot<RiskState> pojo = TypeInformation.of(RiskState.class)
                .createSerializer(new SerializerConfigImpl()).snapshotConfiguration();

        assertThat(own.resolveSchemaCompatibility(own).isCompatibleAsIs()).isTrue();
        assertThat(own.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
    }

    static RiskState randomState(Random random) {
        RiskState state = RiskState.fresh(random.nextLong());
        for (int i = 0; i < state.intensity.length; i++) {
            state.intensity[i] = random.nextBoolean() ? 0 : random.nextDouble() * 5;
        }
        for (int i = 0; i < state.evidence.length; i++) {
            state.evidence[i] = random.nextInt(3) == 0 ? "event-" + random.nextInt() : null;
        }
        state.details[random.nextInt(state.details.length)] = "détail ✓ " + random.nextInt();
        for (int i = 0; i < state.caseIds.length; i++) {
            state.caseIds[i] = random.nextBoolean() ? "case-" + i : null;
            state.caseChannels[i] = random.nextInt(128);
            state.caseContacts[i] = random.nextInt(1_000_000);
        }
        state.lastInboundContactAt = random.nextLong();
        state.lastInboundChannel = random.nextInt(8) - 1;
        state.selfServiceFailedEventId = random.nextBoolean() ? "ss-" + random.nextInt() : null;
        state.alertId = random.nextBoolean() ? "alert-" + random.nextInt() : null;
        state.alertRevision = random.nextInt(300);
        state.alertedScore = random.nextDouble();
        state.alertedSignals = random.nextInt(1 << Signal.ALL.length);
        state.holdOpenUntil = random.nextBoolean() ? RiskState.NONE : random.nextLong();
        state.resolveTimerAt = random.nextLong();
        state.cleanupTimerAt = random.nextLong();
        state.timelineStored = random.nextInt(40);
        state.timelineInLog = random.nextBoolean();
        state.customerName = random.nextBoolean() ? "Customer " + random.nextInt() : null;
        int inputs = random.nextInt(40);
        for (int i = 0; i < inputs; i++) {
            state.firstSeen("input-" + random.nextInt());
        }
        state.lastCaseId = random.nextBoolean() ? "case-last" : null;
        return state;
    }
}
