package dev.earlywarning.dashboards;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A short story that makes every job report: unhappy customers (at-risk alerts), half of them
 * acknowledged and called back (time to ack, closed loops), the rest left to escalate, promised
 * callbacks kept or broken (open commitments, punctuality, breaches), parcels
 * stuck behind a storm (predicted delays, gestures, budget) and delivered late (precision, lead
 * time), and bytes that are not Avro (dead letters). Event times lie days back, so no record is
 * "in the future", and later phases move event time on. Every partition of a topic that holds
 * back a watermark gets records early, so no job waits for its source-idleness.
 */
final class Traffic {

    static final Instant T0 = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
    /** The parcels' story runs days earlier, on its own alerts topic (see ObservedRun). */
    static final Instant S0 = T0.minus(Duration.ofDays(5));
    static final int CUSTOMERS = 8;
    static final int ORDERS = 8;

    private final KafkaTestCluster kafka;
    private final Topics topics;
    private final String shippingAlerts;

    Traffic(KafkaTestCluster kafka, Topics topics, String shippingAlerts) {
        this.kafka = kafka;
        this.topics = topics;
        this.shippingAlerts = shippingAlerts;
    }

    String shippingAlerts() {
        return shippingAlerts;
    }

    /** Unhappy customers, a storm, and garbage on the input topics. */
    void firstPhase() {
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = "cust-" + i;
            String caseId = "case-" + i;
            Instant at = T0.plus(Duration.ofMinutes(i));
            interaction(Interactions.event(customer + "-1", customer).caseId(caseId)
                    .type(InteractionType.CONTACT_STARTED).waitSeconds(1500).at(at));
            interaction(Interactions.event(customer + "-2", customer).caseId(caseId)
                    .channel(Channel.CHAT).type(InteractionType.COMPLAINT).sentiment(-0.9f)
                    .text("Third time I explain this, I will cancel and go to a competitor")
                    .at(at.plus(Duration.ofMinutes(5))));
            interaction(Interactions.event(customer + "-3", customer).caseId(caseId)
                    .channel(Channel.EMAIL).type(InteractionType.SURVEY_RESPONSE)
                    .survey(SurveyKind.CSAT, 1).at(at.plus(Duration.ofMinutes(8))));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            Instant promised = T0.plus(Duration.ofMinutes(i));
            callback("cust-" + i, "cb-" + i, CallbackType.PROMISED, promised,
                    promised.plus(Duration.ofMinutes(20)));
            if (i % 2 == 0) {
                callback("cust-" + i, "cb-" + i, CallbackType.COMPLETED,
                        promised.plus(Duration.ofMinutes(10)), null);
            }
        }
        kafka.produceRaw(topics.callbacks(), "garbage", new byte[] {8, 9});
        acksForNoAlert(T0.minus(Duration.ofMinutes(1)));
        kafka.produceRaw(topics.interactions(), "garbage", new byte[] {1, 2, 3, 4});
        kafka.produceRaw(topics.shipments(), "garbage", new byte[] {5, 6, 7});

        disruption(DisruptionEvent.newBuilder().setDisruptionId("storm-1").setRegionId("C")
                .setKind(DisruptionKind.STORM).setSeverity(4).setExpectedDelayMinutes(40 * 60)
                .setStartsAt(hours(15)).setEndsAt(hours(40)).setIssuedAt(hours(10)));
    }

    /** Parcels on their way through the storm's region; once the job knows of the storm. */
    void parcels() {
        // In event-time order: a shipment hours behind another one on its partition is late.
        for (int i = 0; i < ORDERS; i++) {
            shipment(shipmentEvent("o" + i, ShipmentType.SHIPPED, 0, "A", "B", "C", "D"));
        }
        for (int i = 0; i < ORDERS; i++) {
            shipment(shipmentEvent("o" + i, ShipmentType.SCANNED, 10, "B", "C", "D"));
        }
    }

    /**
     * Acknowledges every other alert half a minute after it was raised and calls that customer
     * back three minutes after that; the parcels arrive long after their promise.
     */
    void secondPhase(List<Alert> alerts) {
        for (int i = 0; i < ORDERS; i++) {
            shipment(shipmentEvent("o" + i, ShipmentType.DELIVERED, 90, "D"));
        }
        for (int i = 0; i < alerts.size(); i += 2) {
            Alert alert = alerts.get(i);
            Instant raised = alert.getTriggeredAt();
            ack(alert.getAlertId(), alert.getCustomerId(), raised.plusSeconds(30));
            interaction(Interactions.event(alert.getCustomerId() + "-callback", alert.getCustomerId())
                    .type(InteractionType.OUTBOUND_CONTACT).direction(Direction.OUTBOUND)
                    .at(raised.plus(Duration.ofMinutes(3))));
        }
    }

    /**
     * Hours later on every partition: event time moves on, unacknowledged items escalate, unkept
     * promises are breached, and new promises stay open.
     */
    void thirdPhase() {
        Instant later = T0.plus(Duration.ofHours(3));
        for (int i = 0; i < 4; i++) {
            interaction(Interactions.event("clock-" + i, "cust-clock-" + i)
                    .type(InteractionType.SURVEY_RESPONSE).survey(SurveyKind.CSAT, 1).at(later));
        }
        acksForNoAlert(later);
        for (int i = 0; i < 4; i++) {
            callback("cust-clock-" + i, "cb-clock-" + i, CallbackType.PROMISED, later,
                    later.plus(Duration.ofHours(2)));
        }
    }

    private void callback(String customer, String commitment, CallbackType type, Instant at,
            Instant dueAt) {
        CallbackEvent event = CallbackEvent.newBuilder()
                .setEventId(commitment + "-" + type).setCommitmentId(commitment)
                .setCustomerId(customer).setCaseId("case-" + customer).setType(type)
                .setOccurredAt(at).setDueAt(dueAt).setAgentId("a7").setChannel(Channel.PHONE)
                .build();
        kafka.produce(topics.callbacks(), customer, event);
    }

    /** Acks of no known alert, spread over the partitions to carry the acks' event time. */
    private void acksForNoAlert(Instant at) {
        for (int i = 0; i < 4; i++) {
            ack("no-such-alert-" + at.toEpochMilli(), "cust-clock-" + i, at);
        }
    }

    private void ack(String alertId, String customer, Instant at) {
        AlertAck ack = AlertAck.newBuilder().setAlertId(alertId).setCustomerId(customer)
                .setResponder("rita").setAction(AckAction.ACKNOWLEDGED).setOccurredAt(at).build();
        kafka.produce(topics.alertAcks(), customer, ack);
    }

    private static Instant hours(double hours) {
        return S0.plus(Duration.ofMinutes(Math.round(hours * 60)));
    }

    private static ShipmentEvent.Builder shipmentEvent(String order, ShipmentType type, double at,
            String region, String... route) {
        return ShipmentEvent.newBuilder().setEventId(order + "-" + type + "-" + at)
                .setOrderId(order).setCustomerId("cust-" + order).setCarrier("ACME")
                .setType(type).setOccurredAt(hours(at)).setRegionId(region)
                .setOriginRegionId("A").setRemainingRoute(List.of(route))
                .setPromisedBy(hours(56)).setOrderValueCents(8000).setCurrency("EUR")
                .setCustomerTier(CustomerTier.STANDARD);
    }

    private void interaction(Interactions event) {
        var built = event.build();
        kafka.produce(topics.interactions(), built.getCustomerId(), built);
    }

    private void shipment(ShipmentEvent.Builder event) {
        ShipmentEvent built = event.build();
        kafka.produce(topics.shipments(), built.getOrderId(), built);
    }

    private void disruption(DisruptionEvent.Builder event) {
        DisruptionEvent built = event.build();
        kafka.produce(topics.disruptions(), built.getRegionId(), built);
    }
}
