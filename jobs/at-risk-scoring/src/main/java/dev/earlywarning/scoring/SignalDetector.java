package dev.earlywarning.scoring;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides which at-risk signals one interaction shows, given what the customer's state remembers,
 * and then updates that memory (recent cases, last contact, failed self-service).
 */
final class SignalDetector {

    /** One signal found in one event: how much intensity it adds and how to explain it. */
    record Detection(Signal signal, double amount, String detail, String extraEvidenceId) {
        Detection(Signal signal, double amount, String detail) {
            this(signal, amount, detail, null);
        }
    }

    private SignalDetector() {}

    static List<Detection> detect(InteractionEvent e, RiskState state, ScoringConfig config) {
        List<Detection> found = new ArrayList<>(4);
        long at = e.getOccurredAt().toEpochMilli();
        if (isInboundContact(e)) {
            contactSignals(e, at, state, config, found);
        }
        switch (e.getType()) {
            case TRANSFER -> found.add(new Detection(Signal.TRANSFER, config.weight(Signal.TRANSFER),
                    "transferred on " + e.getChannel() + agent(e) + ": the story was told again"));
            case ESCALATION -> found.add(new Detection(Signal.ESCALATION,
                    config.weight(Signal.ESCALATION), "escalated to a supervisor on " + e.getChannel()));
            case DISCONNECTED -> {
                if (isLive(e.getChannel()) && !"CUSTOMER".equalsIgnoreCase(
                        e.getAttributes().getOrDefault("disconnectedBy", ""))) {
                    found.add(new Detection(Signal.DROPPED_CALL, config.weight(Signal.DROPPED_CALL),
                            e.getChannel() + " contact dropped before it was finished"));
                }
            }
            case ABANDONED -> found.add(new Detection(Signal.ABANDONED, config.weight(Signal.ABANDONED),
                    "gave up waiting on " + e.getChannel() + waited(e)));
            case COMPLAINT -> found.add(new Detection(Signal.COMPLAINT, config.weight(Signal.COMPLAINT),
                    "complaint on " + e.getChannel() + quoted(e.getText())));
            case SURVEY_RESPONSE -> detractor(e, config, found);
            default -> { }
        }
        longWait(e, config, found);
        sentiment(e, config, found);
        churnIntent(e, config, found);
        return found;
    }

    /** Remembers what later events need: the case and channel of contacts, failed self-service. */
    static void remember(InteractionEvent e, RiskState state) {
        long at = e.getOccurredAt().toEpochMilli();
        if (e.getCustomerName() != null) {
            state.customerName = e.getCustomerName();
        }
        if (e.getCaseId() != null) {
            state.lastCaseId = e.getCaseId();
        }
        if (e.getType() == InteractionType.SELF_SERVICE_FAILED) {
            state.selfServiceFailedAt = at;
            state.selfServiceFailedEventId = e.getEventId();
        } else if (isInboundContact(e)) {
            if (e.getCaseId() != null) {
                int slot = state.touchCase(e.getCaseId());
                state.caseChannels[slot] |= 1 << e.getChannel().ordinal();
                state.caseContacts[slot]++;
            }
            state.lastInboundContactAt = Math.max(state.lastInboundContactAt, at);
            state.lastInboundChannel = e.getChannel().ordinal();
            // The failed self-service has now been followed up by a contact: report it once.
            state.selfServiceFailedAt = RiskState.NONE;
            state.selfServiceFailedEventId = null;
        }
    }

    static boolean isOutboundAnswer(InteractionEvent e) {
        return e.getType() == InteractionType.OUTBOUND_CONTACT && e.getDirection() == Direction.OUTBOUND;
    }

    static boolean isInboundContact(InteractionEvent e) {
        if (e.getDirection() != Direction.INBOUND) {
            return false;
        }
        return switch (e.getType()) {
            case CONTACT_STARTED, COMPLAINT -> true;
            case MESSAGE -> e.getChannel() == Channel.EMAIL || e.getChannel() == Channel.SMS
                    || e.getChannel() == Channel.SOCIAL;
            default -> false;
        };
    }

    private static void contactSignals(InteractionEvent e, long at, RiskState state,
            ScoringConfig config, List<Detection> found) {
        int channelBit = 1 << e.getChannel().ordinal();
        if (e.getCaseId() != null && state.caseSlot(e.getCaseId()) >= 0) {
            int slot = state.caseSlot(e.getCaseId());
            int previous = state.caseContacts[slot];
            found.add(new Detection(Signal.REPEAT_CONTACT, config.weight(Signal.REPEAT_CONTACT),
                    ordinal(previous + 1) + " contact about case " + e.getCaseId()
                            + " (now on " + e.getChannel() + ")"));
            if ((state.caseChannels[slot] & channelBit) == 0) {
                found.add(new Detection(Signal.CHANNEL_HOP, config.weight(Signal.CHANNEL_HOP),
                        "case " + e.getCaseId() + " moved from " + channels(state.caseChannels[slot])
                                + " to " + e.getChannel()));
            }
        } else if (state.lastInboundContactAt != RiskState.NONE
                && at - state.lastInboundContactAt <= config.repeatWindow().toMillis()
                && at >= state.lastInboundContactAt) {
            found.add(new Detection(Signal.REPEAT_CONTACT, config.weight(Signal.REPEAT_CONTACT),
                    "contacted us again on " + e.getChannel() + " "
                            + human(Duration.ofMillis(at - state.lastInboundContactAt))
                            + " after the previous contact"));
            if (state.lastInboundChannel >= 0 && state.lastInboundChannel != e.getChannel().ordinal()) {
                found.add(new Detection(Signal.CHANNEL_HOP, config.weight(Signal.CHANNEL_HOP),
                        "moved from " + Channel.values()[state.lastInboundChannel] + " to "
                                + e.getChannel()));
            }
        }
        if (state.selfServiceFailedAt != RiskState.NONE && at >= state.selfServiceFailedAt
                && at - state.selfServiceFailedAt <= config.selfServiceFollowUpWindow().toMillis()) {
            found.add(new Detection(Signal.SELF_SERVICE_FAILED,
                    config.weight(Signal.SELF_SERVICE_FAILED),
                    "self-service failed, then contacted us on " + e.getChannel() + " "
                            + human(Duration.ofMillis(at - state.selfServiceFailedAt)) + " later",
                    state.selfServiceFailedEventId));
        }
    }

    private static void detractor(InteractionEvent e, ScoringConfig config, List<Detection> found) {
        Integer score = e.getSurveyScore();
        if (score == null) {
            return;
        }
        boolean nps = e.getSurveyKind() == SurveyKind.NPS;
        int max = nps ? config.npsDetractorMax() : config.csatDetractorMax();
        if (score <= max) {
            found.add(new Detection(Signal.DETRACTOR_SURVEY, config.weight(Signal.DETRACTOR_SURVEY),
                    (nps ? "NPS " + score + "/10" : "CSAT " + score + "/5") + quoted(e.getText())));
        }
    }

    private static void longWait(InteractionEvent e, ScoringConfig config, List<Detection> found) {
        Integer wait = e.getWaitSeconds();
        if (wait == null || e.getType() == InteractionType.ABANDONED) {
            return;
        }
        long threshold = config.longWait().get(e.getChannel()).toSeconds();
        if (wait >= threshold) {
            double times = Math.min(3.0, (double) wait / threshold);
            found.add(new Detection(Signal.LONG_WAIT, config.weight(Signal.LONG_WAIT) * times,
                    "waited " + human(Duration.ofSeconds(wait)) + " on " + e.getChannel()));
        }
    }

    private static void sentiment(InteractionEvent e, ScoringConfig config, List<Detection> found) {
        Float sentiment = e.getSentiment();
        if (sentiment != null && sentiment <= config.negativeSentiment()) {
            found.add(new Detection(Signal.NEGATIVE_SENTIMENT,
                    config.weight(Signal.NEGATIVE_SENTIMENT) * -sentiment,
                    "negative tone (" + oneDecimal(sentiment) + ") on " + e.getChannel()));
        }
    }

    private static void churnIntent(InteractionEvent e, ScoringConfig config, List<Detection> found) {
        if (e.getText() == null || e.getDirection() != Direction.INBOUND) {
            return;
        }
        String text = e.getText().toLowerCase(Locale.ROOT);
        for (String phrase : config.churnPhrases()) {
            if (text.contains(phrase)) {
                found.add(new Detection(Signal.CHURN_INTENT, config.weight(Signal.CHURN_INTENT),
                        "said \"" + phrase + "\" on " + e.getChannel() + quoted(e.getText())));
                return;
            }
        }
    }

    /**
     * {@code %.1f} without {@link String#format}, which parses its pattern on every call: this
     * runs for every negative-toned interaction. Rounds half away from zero, as the pattern did.
     */
    static String oneDecimal(float value) {
        long tenths = Math.round(Math.abs((double) value) * 10);
        return (value < 0 ? "-" : "") + tenths / 10 + "." + tenths % 10;
    }

    private static boolean isLive(Channel channel) {
        return channel == Channel.PHONE || channel == Channel.CHAT || channel == Channel.IVR;
    }

    private static String agent(InteractionEvent e) {
        return e.getAgentId() == null ? "" : " by agent " + e.getAgentId();
    }

    private static String waited(InteractionEvent e) {
        return e.getWaitSeconds() == null ? "" : " after " + human(Duration.ofSeconds(e.getWaitSeconds()));
    }

    static String quoted(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String snippet = text.strip();
        return ": \"" + (snippet.length() > 80 ? snippet.substring(0, 77) + "..." : snippet) + "\"";
    }

    private static String channels(int mask) {
        List<String> names = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            if ((mask & (1 << channel.ordinal())) != 0) {
                names.add(channel.name());
            }
        }
        return String.join(", ", names);
    }

    private static String ordinal(int n) {
        return switch (n) {
            case 1 -> "1st";
            case 2 -> "2nd";
            case 3 -> "3rd";
            default -> n + "th";
        };
    }

    static String human(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 1) {
            return duration.toSeconds() + " s";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        return duration.toHours() + " h";
    }
}
