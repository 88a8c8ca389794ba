package dev.earlywarning.cli.sim;

/**
 * The customer journeys the simulator tells. Most traffic is background (customers who are
 * fine); the problem stories are the ones the early-warning system exists to catch.
 */
public enum Story {
    CHAT_RESOLVED(false, "a chat about an order that ends well"),
    POSITIVE_SURVEY(false, "a phone call followed by a good survey"),
    ORDER_QUESTION(false, "an order question answered by email"),
    CALLBACK_KEPT(false, "a promised callback that is made in time"),
    SELF_SERVICE_OK(false, "parcel tracking in self-service"),
    UNORDERED_PACKAGE_BOUNCED(true,
            "unordered package: bounced chat -> email -> supervisor, repeats the story, wants to cancel"),
    CALLBACK_BROKEN(true, "promised callback never made, then a call disconnected by our side"),
    ANGRY_DETRACTOR(true, "detractor survey with an angry remark"),
    SELF_SERVICE_THEN_ABANDONED(true, "failed self-service, then abandoned after a long phone queue"),
    OUTBOUND_ANSWERS_COMPLAINT(true, "public complaint answered by a proactive outbound call");

    private final boolean problem;
    private final String description;

    Story(boolean problem, String description) {
        this.problem = problem;
        this.description = description;
    }

    public boolean problem() {
        return problem;
    }

    public String description() {
        return description;
    }
}
