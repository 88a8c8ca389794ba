package dev.earlywarning.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Everything kept in state or sent between operators is a POJO (or Avro), never Kryo. */
class StateTypesTest {

    @Test
    void stateAndExchangeTypesAreSerializedAsPojos() {
        for (Class<?> type : new Class<?>[] {ShipmentState.class, TransitState.class,
                LaneWindow.class, LaneObservation.class, LaneEstimate.class, SideInput.class,
                GestureDecision.class, Grant.class}) {
            PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
        }
    }

    @Test
    void robustStatisticsIgnoreAMinorityOfOutliers() {
        long[] transits = IntStream.range(0, 20).mapToLong(i -> 40 + i % 3).toArray();
        transits[3] = 400;
        transits[7] = 900;
        long median = Robust.median(transits, transits.length);
        assertThat(median).isEqualTo(41);
        assertThat(Robust.scaledMad(transits, transits.length, median)).isEqualTo(1);
    }

    @Test
    void holdoutMembershipIsStableAndProportional() {
        long held = IntStream.range(0, 20_000)
                .filter(i -> Holdout.isHeldOut("cust-" + i, 0.1)).count();
        assertThat(held).isBetween(1_700L, 2_300L);
        assertThat(Holdout.bucket("cust-42")).isEqualTo(Holdout.bucket("cust-42"));
        assertThat(IntStream.range(0, 1000).filter(i -> Holdout.isHeldOut("c" + i, 0.1)
                && !Holdout.isHeldOut("c" + i, 0.2))).as("a larger share only adds").isEmpty();
        assertThat(IntStream.range(0, 1000).filter(i -> Holdout.isHeldOut("c" + i, 0))).isEmpty();
    }
}
