package dev.earlywarning.cli.sim;

import dev.earlywarning.cli.sim.Emission.Target;
import dev.earlywarning.router.Acks;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The simulated on-call responders: what they do about a new responder-queue item, decided by the
 * seed and the item's alert id alone, so a re-run with the same seed treats the same item the same
 * way. Some acknowledge and then call the customer back (the loop closes), some acknowledge and
 * never call (the loop stays open), the rest do nothing (the item escalates). Escalations are
 * items too, so a supervisor may still pick up what the first responder left.
 *
 * <p>Only new items (OPEN) addressed to responders are acted on; updates, the end of an item and
 * {@code LOOP_NOT_CLOSED} reports are for people to read.
 */
public final class Responders {

    /** What the responder does about one item. */
    public enum Response { ACK_AND_CALL, ACK_ONLY, IGNORE }

    /** The response and the records it produces (an ack, a call), in event-time order. */
    public record Plan(Response response, List<Emission.Valid> events) {}

    private static final long MINUTE = 60_000L;
    private static final String[] RESPONDERS = {"ana.costa", "liam.murphy", "sofia.rossi",
        "jonas.weber", "aisha.khan", "mateo.lopez"};
    private static final String[] SUPERVISORS = {"sup.ingrid.hansen", "sup.karim.el-amrani"};

    private final long seed;
    private final double ackAndCallShare;
    private final double ackOnlyShare;

    public Responders(long seed, double ackAndCallShare, double ackOnlyShare) {
        if (!(ackAndCallShare >= 0 && ackOnlyShare >= 0 && ackAndCallShare + ackOnlyShare <= 1)) {
            throw new IllegalArgumentException("shares must be >= 0 and add up to at most 1");
        }
        this.seed = seed;
        this.ackAndCallShare = ackAndCallShare;
        this.ackOnlyShare = ackOnlyShare;
    }

    /** The plan for {@code item} seen at event time {@code now}; empty if it needs no response. */
    public Optional<Plan> respond(Alert item, long now) {
        if (item.getStatus() != AlertStatus.OPEN || item.getAudience() != Audience.RESPONDER
                || item.getKind() == AlertKind.LOOP_NOT_CLOSED) {
            return Optional.empty();
        }
        Draws draw = new Draws(new Random(seed * 1_000_003L + item.getAlertId().hashCode()));
        double ticket = draw.nextDouble();
        Response response = ticket < ackAndCallShare ? Response.ACK_AND_CALL
                : ticket < ackAndCallShare + ackOnlyShare ? Response.ACK_ONLY : Response.IGNORE;
        if (response == Response.IGNORE) {
            return Optional.of(new Plan(response, List.of()));
        }
        String responder = item.getEscalationLevel() >= 2 ? draw.pick(SUPERVISORS)
                : draw.pick(RESPONDERS);
        long ackAt = now + draw.between(1, 4) * MINUTE + draw.between(0, 59) * 1_000L;
        AlertAck ack = Acks.forAlert(item, responder, AckAction.ACKNOWLEDGED,
                Instant.ofEpochMilli(ackAt), response == Response.ACK_AND_CALL
                        ? "on it, calling the customer" : "seen");
        Emission.Valid ackRecord = new Emission.Valid(Target.ALERT_ACKS, item.getCustomerId(),
                ackAt, ack, null, false);
        if (response == Response.ACK_ONLY) {
            return Optional.of(new Plan(response, List.of(ackRecord)));
        }
        long callAt = ackAt + draw.between(5, 40) * MINUTE;
        InteractionEvent call = InteractionEvent.newBuilder()
                .setEventId(draw.uuid())
                .setCustomerId(item.getCustomerId())
                .setCustomerName(item.getCustomerName())
                .setCaseId(item.getCaseId())
                .setChannel(Channel.PHONE)
                .setType(InteractionType.OUTBOUND_CONTACT)
                .setDirection(Direction.OUTBOUND)
                .setOccurredAt(Instant.ofEpochMilli(callAt))
                .setAgentId(responder)
                .setSentiment(draw.sentiment(0.1, 0.5))
                .setText("Called back about " + item.getKind().name().toLowerCase()
                        .replace('_', ' ') + ": listened, agreed next steps")
                .setAttributes(Map.of("answers", item.getAlertId()))
                .build();
        return Optional.of(new Plan(response, List.of(ackRecord, new Emission.Valid(
                Target.INTERACTIONS, item.getCustomerId(), callAt, call, null, false))));
    }
}
