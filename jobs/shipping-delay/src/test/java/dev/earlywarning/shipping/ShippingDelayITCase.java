package dev.earlywarning.shipping;

import static dev.earlywarning.shipping.Shipments.scanned;
import static dev.earlywarning.shipping.Shipments.shipped;
import static dev.earlywarning.shipping.Shipments.storm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.GestureKind;
import dev.earlywarning.schema.ShipmentEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shipping-delay job end to end: real broker, Avro on the wire, RocksDB, exactly-once. */
class ShippingDelayITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int ORDERS = 20;
    private static final long BUDGET = 2000;
    private static final long REFUND = 499;

    @TempDir
    Path temp;

    @Test
    void predictsDelaysWithinBudgetAndDeadLettersBadInputWithoutRestarting() throws Exception {
        Topics topics = KAFKA.freshTopics("shipping");
        KAFKA.produce(topics.control(), ShippingDelayJob.NAME, ControlCommand.newBuilder()
                .setCommandId("bad-1").setJob(ShippingDelayJob.NAME).setKind("SET_CONFIG")
                .setPayload("{\"holdout-share\": 0.9}").setOccurredAt(Shipments.T0).build());
        disruption(topics, storm("s1", "C", 15, 40, 40));
        disruption(topics, storm("s2", "C", 15, 40, 40).setSeverity(9));
        disruption(topics, storm("s3", "Atlantis", 15, 40, 40));
        KAFKA.produceRaw(topics.disruptions(), "C", new byte[] {1, 2, 3});
        for (int i = 0; i < ORDERS; i++) {
            shipment(topics, shipped("o" + i, 0));
            if (i % 2 == 0) {
                shipment(topics, scanned("o" + i, 10, "B", "C", "D"));
            }
        }
        shipment(topics, shipped("bad-value", 0).setOrderValueCents(-1));
        shipment(topics, shipped("bad-route", 0).setRemainingRoute(List.of("B", "Atlantis")));
        shipment(topics, scanned("ghost", 5, "B", "C", "D").setRemainingRoute(List.of("Z")));

        Map<String, String> settings = KAFKA.settingsFor(topics, "it-shipping");
        settings.put("shipping.budget.EUR", String.valueOf(BUDGET));
        settings.put("shipping.regions", "A,B,C,D,Z");
        JobClient job = JobRunner.runUnbounded(ShippingDelayJob::wire, ShippingDelayJob.NAME,
                settings, temp.resolve("checkpoints"), null);

        assertThat(KAFKA.readCommitted(topics.alerts(), Alert.class, ORDERS,
                Duration.ofSeconds(60))).hasSizeGreaterThanOrEqualTo(ORDERS);
        List<Alert> alerts = KAFKA.readCommittedUntilQuiet(topics.alerts(), Alert.class,
                Duration.ofSeconds(3), Duration.ofSeconds(30));
        List<DeadLetter> deadLetters = KAFKA.readCommittedUntilQuiet(topics.deadLetter(),
                DeadLetter.class, Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        job.cancel().get();

        assertThat(alerts).hasSize(ORDERS).allSatisfy(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(a.getSourceJob()).isEqualTo(ShippingDelayJob.NAME);
            assertThat(a.getAttributes()).containsEntry("causeCode", "disruption:STORM:s1");
        });
        assertThat(alerts).extracting(Alert::getOrderId).doesNotHaveDuplicates();
        long held = IntStream.range(0, ORDERS)
                .filter(i -> Holdout.isHeldOut("cust-o" + i, 0.05)).count();
        List<Alert> granted = alerts.stream().filter(a -> a.getGesture() != null
                && a.getGesture().getKind() == GestureKind.SHIPPING_REFUND).toList();
        assertThat(granted).hasSize((int) Math.min(BUDGET / REFUND, ORDERS - held));
        assertThat(granted.stream().mapToLong(a -> a.getGesture().getAmountCents()).sum())
                .isLessThanOrEqualTo(BUDGET);
        assertThat(alerts).filteredOn(a -> a.getAttributes().get("overBudget").equals("true"))
                .hasSize((int) (ORDERS - held - granted.size()));
        assertThat(alerts).filteredOn(a -> a.getGesture() == null).hasSize((int) held);

        Map<String, Long> byReason = deadLetters.stream().collect(Collectors.groupingBy(
                d -> d.getReason().substring(0, d.getReason().indexOf(':')),
                Collectors.counting()));
        assertThat(byReason).containsEntry("invalid", 4L).containsEntry("invalid-control", 1L)
                .containsEntry("undecodable", 1L).hasSize(3);
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.getJob()).isEqualTo(ShippingDelayJob.NAME);
            assertThat(d.getPayload().remaining()).isPositive();
        });
        assertThat(deadLetters).extracting(DeadLetter::getReason).anySatisfy(reason ->
                assertThat(reason).contains("region Atlantis is not a known region"));
    }

    private static void disruption(Topics topics, DisruptionEvent.Builder disruption) {
        DisruptionEvent event = disruption.build();
        KAFKA.produce(topics.disruptions(), event.getRegionId(), event);
    }

    private static void shipment(Topics topics, ShipmentEvent.Builder shipment) {
        ShipmentEvent event = shipment.build();
        KAFKA.produce(topics.shipments(), event.getOrderId(), event);
    }
}
