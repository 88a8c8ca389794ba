package dev.earlywarning.cli.sim;

/**
 * The journeys the simulator tells. Most traffic is background (customers who are fine, parcels
 * that arrive); the problem stories are the ones the early-warning system exists to catch. A
 * background story's weight is its share of the background; problem stories split the problem
 * share evenly.
 */
public enum Story {
    CHAT_RESOLVED(0.25, "a chat about an order that ends well"),
    POSITIVE_SURVEY(0.15, "a phone call followed by a good survey"),
    ORDER_QUESTION(0.15, "an order question answered by email"),
    CALLBACK_KEPT(0.12, "a promised callback that is made in time"),
    SELF_SERVICE_OK(0.13, "parcel tracking in self-service"),
    PARCEL_ON_TIME(0.20, "a parcel shipped, scanned along its route and delivered on time"),
    UNORDERED_PACKAGE_BOUNCED(0,
            "unordered package: bounced chat -> email -> supervisor, repeats the story, wants to cancel"),
    CALLBACK_BROKEN(0, "promised callback never made, then a call disconnected by our side"),
    CALLBACK_KEPT_LATE(0, "promised callback made, but after its window"),
    CALLBACK_UNANSWERED(0, "promised callback tried, nobody answers"),
    DROPPED_CALL(0, "a call dropped by our side, nobody calls back"),
    ANGRY_DETRACTOR(0, "detractor survey with an angry remark"),
    SELF_SERVICE_THEN_ABANDONED(0, "failed self-service, then abandoned after a long phone queue"),
    OUTBOUND_ANSWERS_COMPLAINT(0, "public complaint answered by a proactive outbound call"),
    STORM_OVER_HUB(0, "a storm over a hub with parcels routed through it; sometimes revised or called off"),
    CARRIER_OUTAGE(0, "a carrier's outage at a hub delays its parcels there"),
    PARCEL_EXCEPTION(0, "a parcel damaged at a hub: late, sometimes cancelled");

    private final double backgroundWeight;
    private final String description;

    Story(double backgroundWeight, String description) {
        this.backgroundWeight = backgroundWeight;
        this.description = description;
    }

    public boolean problem() {
        return backgroundWeight == 0;
    }

    /** Share of the background journeys; 0 for a problem story. */
    double backgroundWeight() {
        return backgroundWeight;
    }

    public String description() {
        return description;
    }
}
