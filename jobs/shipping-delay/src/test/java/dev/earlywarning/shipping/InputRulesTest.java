package dev.earlywarning.shipping;

import static dev.earlywarning.shipping.Shipments.at;
import static dev.earlywarning.shipping.Shipments.scanned;
import static dev.earlywarning.shipping.Shipments.storm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.RecordType;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** What the job refuses before it predicts: the record rules and the region catalogue. */
class InputRulesTest {

    private static final RecordType.Limits NOW =
            new RecordType.Limits(at(100).toEpochMilli(), 24 * 3_600_000L);

    @Test
    void disruptionsBreakingTheContractAreNamed() {
        assertThat(problem(storm("d", "C", 10, 20, 5))).isNull();
        assertThat(problem(storm("d", "C", 10, 20, 5).setSeverity(6))).isEqualTo(
                "severity 6 is outside 1..5");
        assertThat(problem(storm("d", "C", 10, 20, 5).setSeverity(0))).contains("severity 0");
        assertThat(problem(storm("d", "C", 20, 10, 5))).startsWith("endsAt ")
                .contains("is before startsAt");
        assertThat(problem(storm(" ", "C", 10, 20, 5))).isEqualTo("disruptionId is blank");
        assertThat(problem(storm("d", "", 10, 20, 5))).isEqualTo("regionId is blank");
        assertThat(problem(storm("d", "C", 10, 20, 5).setExpectedDelayMinutes(-1)))
                .contains("expectedDelayMinutes is negative");
        assertThat(problem(storm("d", "C", 10, 20, 5).setIssuedAt(at(200))))
                .contains("issuedAt is more than");
    }

    @Test
    void shipmentsBreakingTheContractAreNamed() {
        assertThat(problem(scanned("o1", 10, "B", "C"))).isNull();
        assertThat(problem(scanned("o1", 10, "B", "C").setOrderId(""))).isEqualTo(
                "orderId is blank");
        assertThat(problem(scanned("o1", 10, "B", "C").setCustomerId(" ")))
                .isEqualTo("customerId is blank");
        assertThat(problem(scanned("o1", 10, "B", "C").setOrderValueCents(-5)))
                .isEqualTo("orderValueCents is negative (-5)");
        assertThat(problem(scanned("o1", 10, "B", "C").setCurrency("euro")))
                .contains("not an ISO 4217 code");
        assertThat(problem(scanned("o1", 10, "B", " "))).contains("remainingRoute");
        assertThat(problem(scanned("o1", 200, "B", "C"))).contains("occurredAt is more than");
    }

    @Test
    void recordsNamingAnUnknownRegionAreDeadLetteredOnce() throws Exception {
        OneInputStreamOperatorTestHarness<Ingested<DisruptionEvent>, Ingested<DisruptionEvent>>
                harness = ProcessFunctionTestHarnesses.forProcessFunction(new RegionCheck<>(
                        DisruptionEvent.class, "logistics.disruptions", Set.of("B", "C"),
                        d -> List.of(d.getRegionId()), DisruptionEvent::getRegionId));
        harness.processElement(new StreamRecord<>(Shipments.ingested(storm("ok", "C", 1, 2, 1)
                .build())));
        harness.processElement(new StreamRecord<>(Shipments.ingested(storm("bad", "Atlantis",
                1, 2, 1).build())));
        assertThat(harness.extractOutputValues()).extracting(i -> i.value.getDisruptionId())
                .containsExactly("ok");
        assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement().satisfies(record -> {
            assertThat(record.getValue().getReason())
                    .isEqualTo("invalid: region Atlantis is not a known region");
            assertThat(record.getValue().getKey()).isEqualTo("Atlantis");
            assertThat(record.getValue().getPayload().remaining()).isPositive();
        });
        harness.close();
        assertThat(ShippingDelayPipeline.regionsOf(scanned("o1", 1, "B", "C", "D").build()))
                .containsExactly("C", "D", "B", "A");
    }

    private static String problem(DisruptionEvent.Builder d) {
        return RecordTypes.DISRUPTION.validator().problem(d.build(), NOW);
    }

    private static String problem(ShipmentEvent.Builder e) {
        return RecordTypes.SHIPMENT.validator().problem(e.build(), NOW);
    }
}
