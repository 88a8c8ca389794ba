package dev.earlywarning.cli.sim;

import dev.earlywarning.cli.sim.Emission.Target;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes contact-center journeys: one {@link Story} for one customer, as the events the
 * contact-center systems would publish, in event-time order from a given start. Everything,
 * ids included, comes from one seeded random, so a seed always tells the same stories.
 */
public final class JourneyGenerator {

    /** A customer of the simulated shop. */
    public record Customer(String id, String name, String regionId) {}

    /** One story for one customer: its events in event-time order. */
    public record Journey(Story story, Customer customer, List<Emission.Valid> events) {}

    private static final String[] FIRST_NAMES = {
        "Ana", "João", "Maria", "Liam", "Sofia", "Noah", "Emma", "Lucas", "Olivia", "Mateo",
        "Chloé", "Jonas", "Aisha", "Wei", "Priya", "Tomás", "Elena", "Lars", "Ingrid", "Kenji",
        "Fatima", "Daniel", "Zoe", "Marco", "Hannah", "Omar", "Lea", "Pedro", "Nina", "Samuel",
        "Inês", "Karim", "Julia", "Mikkel", "Rosa", "Yusuf", "Clara", "Diego", "Freya", "Ahmed"};
    private static final String[] LAST_NAMES = {
        "Silva", "Pereira", "Garcia", "Murphy", "Rossi", "Müller", "Dubois", "Martin", "Smith",
        "Fernández", "Bernard", "Schmidt", "Khan", "Zhang", "Sharma", "Costa", "Popescu",
        "Nilsson", "Hansen", "Sato", "El Amrani", "Cohen", "Novak", "Bianchi", "Weber", "Okafor",
        "Jansen", "Santos", "Kowalski", "Lindqvist", "O'Brien", "Moreau", "Yilmaz", "Horvath",
        "Ferreira", "Nakamura", "Andersen", "Lopez", "Kim", "Fischer"};
    static final String[] REGIONS = {
        "PT-LIS", "PT-OPO", "ES-MAD", "FR-PAR", "DE-BER", "NL-AMS", "IE-DUB", "IT-MIL", "SE-STO"};
    private static final String[] ITEMS = {
        "coffee machine", "running shoes", "desk lamp", "headphones", "winter jacket",
        "blender", "office chair", "phone case", "backpack", "air fryer"};
    private static final String[] ANGRY_REMARKS = {
        "Worst service ever. Nobody listens, I'm done with you.",
        "Three agents, three different answers. Never again.",
        "You wasted an hour of my life and fixed nothing. Ridiculous.",
        "Rude agent, no solution. I'm telling everyone to stay away."};

    private static final int MINUTE = 60_000;

    private final Random random;
    private final Draws draw;
    private final ShipmentStories shipments;
    private final List<Customer> customers;
    private final Map<Story, Double> weights = new EnumMap<>(Story.class);
    private long caseCounter;
    private long orderCounter;
    private long commitmentCounter;

    /**
     * @param customers how many distinct customers the stories are spread over
     * @param problemShare the share of journeys that tell one of the problem stories (0..1)
     */
    public JourneyGenerator(long seed, int customers, double problemShare) {
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be at least 1, was " + customers);
        }
        if (!(problemShare >= 0 && problemShare <= 1)) {
            throw new IllegalArgumentException("problemShare must be within 0..1, was " + problemShare);
        }
        this.random = new Random(seed);
        this.draw = new Draws(random);
        this.customers = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            this.customers.add(new Customer("c-" + (100_000 + i),
                    pick(FIRST_NAMES) + " " + pick(LAST_NAMES), pick(REGIONS)));
        }
        this.caseCounter = 1_000 + random.nextInt(9_000);
        this.orderCounter = 4_000_000 + random.nextInt(1_000_000);
        this.commitmentCounter = 100_000 + random.nextInt(900_000);
        this.shipments = new ShipmentStories(draw, this::order);
        long problems = java.util.Arrays.stream(Story.values()).filter(Story::problem).count();
        for (Story story : Story.values()) {
            weights.put(story, story.problem() ? problemShare / problems
                    : story.backgroundWeight() * (1 - problemShare));
        }
    }

    public List<Customer> customers() {
        return List.copyOf(customers);
    }

    /** The next journey, its first event at {@code startMillis}; the story is drawn by weight. */
    public Journey next(long startMillis) {
        double ticket = random.nextDouble();
        Story chosen = Story.SELF_SERVICE_OK;
        for (Map.Entry<Story, Double> entry : weights.entrySet()) {
            ticket -= entry.getValue();
            if (ticket < 0) {
                chosen = entry.getKey();
                break;
            }
        }
        return next(chosen, startMillis);
    }

    /** A journey telling {@code story}, its first event at {@code startMillis}. */
    public Journey next(Story story, long startMillis) {
        Customer customer = anyCustomer();
        Script s = new Script(story, customer, startMillis);
        switch (story) {
            case CHAT_RESOLVED -> chatResolved(s);
            case POSITIVE_SURVEY -> positiveSurvey(s);
            case ORDER_QUESTION -> orderQuestion(s);
            case CALLBACK_KEPT -> callbackKept(s);
            case SELF_SERVICE_OK -> selfServiceOk(s);
            case UNORDERED_PACKAGE_BOUNCED -> unorderedPackage(s);
            case CALLBACK_BROKEN -> callbackBroken(s);
            case ANGRY_DETRACTOR -> angryDetractor(s);
            case SELF_SERVICE_THEN_ABANDONED -> selfServiceThenAbandoned(s);
            case OUTBOUND_ANSWERS_COMPLAINT -> outboundAnswersComplaint(s);
            case CALLBACK_KEPT_LATE -> callbackKeptLate(s);
            case CALLBACK_UNANSWERED -> callbackUnanswered(s);
            case DROPPED_CALL -> droppedCall(s);
            case PARCEL_ON_TIME -> s.events.addAll(shipments.onTime(story, customer, startMillis));
            case PARCEL_EXCEPTION -> s.events.addAll(shipments.exception(story, customer, startMillis));
            case STORM_OVER_HUB -> s.events.addAll(shipments.storm(story, customer, this::anyCustomer,
                    startMillis));
            case CARRIER_OUTAGE -> s.events.addAll(shipments.carrierOutage(story, customer,
                    this::anyCustomer, startMillis));
        }
        return new Journey(story, customer, List.copyOf(s.events));
    }

    private Customer anyCustomer() {
        return customers.get(random.nextInt(customers.size()));
    }

    /** A random, deterministic version-4 UUID: unique per event, repeatable per seed. */
    private String uuid() {
        return draw.uuid();
    }

    // ---- background: customers who are fine ------------------------------------------------

    private void chatResolved(Script s) {
        String order = order();
        String agent = agent();
        s.emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(10, 90)).setSentiment(sentiment(0.0, 0.2))
                .setText("Where is my order " + order + "?"));
        s.after(1, 3).emit(s.interaction(Channel.CHAT, InteractionType.MESSAGE).setAgentId(agent)
                .setDirection(Direction.OUTBOUND).setSentiment(sentiment(0.2, 0.4))
                .setText("It ships tomorrow; tracking link sent."));
        s.after(2, 6).emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_ENDED).setAgentId(agent)
                .setHandleSeconds(between(180, 600)).setSentiment(sentiment(0.4, 0.8))
                .setText("Resolved: delivery date confirmed"));
    }

    private void positiveSurvey(Script s) {
        String agent = agent();
        s.emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(30, 180)).setSentiment(sentiment(0.0, 0.2))
                .setText("Change the delivery address of order " + order()));
        s.after(4, 9).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED).setAgentId(agent)
                .setHandleSeconds(between(240, 540)).setSentiment(sentiment(0.4, 0.7))
                .setText("Address updated"));
        boolean nps = random.nextBoolean();
        s.after(10, 40).emit(s.interaction(Channel.SURVEY, InteractionType.SURVEY_RESPONSE)
                .setAgentId(agent)
                .setSurveyKind(nps ? SurveyKind.NPS : SurveyKind.CSAT)
                .setSurveyScore(nps ? between(9, 10) : between(4, 5))
                .setSentiment(sentiment(0.6, 0.9)).setText("Quick and friendly, thank you!"));
    }

    private void orderQuestion(Script s) {
        String order = order();
        s.emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE)
                .setSentiment(sentiment(-0.1, 0.1)).setText("Invoice for order " + order + "?"));
        s.after(30, 90).emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE).setAgentId(agent())
                .setDirection(Direction.OUTBOUND).setHandleSeconds(between(120, 300))
                .setSentiment(sentiment(0.2, 0.4)).setText("Invoice for " + order + " attached"));
        s.after(5, 20).emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE)
                .setSentiment(sentiment(0.5, 0.7)).setText("Got it, thanks!"));
    }

    private void callbackKept(Script s) {
        String agent = agent();
        String commitment = commitment();
        String order = order();
        s.emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(60, 300)).setSentiment(sentiment(-0.1, 0.1))
                .setText("Warranty question about the " + item() + " of order " + order));
        s.after(4, 8).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED).setAgentId(agent)
                .setHandleSeconds(between(240, 480)).setSentiment(sentiment(0.1, 0.3))
                .setText("A warranty specialist will call back"));
        long due = s.at + between(45, 90) * (long) MINUTE;
        s.emit(s.callback(commitment, CallbackType.PROMISED).setAgentId(agent)
                .setDueAt(Instant.ofEpochMilli(due)).setWindowMinutes(30));
        String specialist = agent();
        s.after(20, 40).emit(s.callback(commitment, CallbackType.ATTEMPTED).setAgentId(specialist)
                .setOutcome(CallbackOutcome.CONNECTED));
        s.emit(s.interaction(Channel.PHONE, InteractionType.OUTBOUND_CONTACT).setAgentId(specialist)
                .setDirection(Direction.OUTBOUND).setSentiment(sentiment(0.3, 0.6))
                .setText("Warranty specialist called back as promised"));
        s.after(5, 10).emit(s.callback(commitment, CallbackType.COMPLETED).setAgentId(specialist));
        s.emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED).setAgentId(specialist)
                .setDirection(Direction.OUTBOUND).setHandleSeconds(between(300, 600))
                .setSentiment(sentiment(0.5, 0.8)).setText("Repair booked under warranty"));
    }

    private void selfServiceOk(Script s) {
        String order = order();
        s.emit(s.interaction(Channel.SELF_SERVICE, InteractionType.CONTACT_STARTED)
                .setText("Track parcel of order " + order));
        s.after(1, 3).emit(s.interaction(Channel.SELF_SERVICE, InteractionType.CONTACT_ENDED)
                .setHandleSeconds(between(30, 150)).setSentiment(sentiment(0.2, 0.4))
                .setText("Tracking shown: out for delivery"));
    }

    // ---- the problem stories ------------------------------------------------------------------

    /** (a) A package he never ordered; bounced from chat to email to a supervisor. */
    private void unorderedPackage(Script s) {
        s.openCase();
        String chatAgent = agent();
        String emailAgent = agent();
        String supervisor = supervisor();
        String item = item();
        int charged = between(39, 249);
        s.emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_STARTED).setAgentId(chatAgent)
                .setWaitSeconds(between(60, 240)).setSentiment(sentiment(-0.5, -0.3))
                .setText("I received a package I never ordered (a " + item + ")"));
        s.after(2, 4).emit(s.interaction(Channel.CHAT, InteractionType.MESSAGE).setAgentId(chatAgent)
                .setSentiment(sentiment(-0.6, -0.4))
                .setText("I never ordered this and you charged me " + charged + " EUR"));
        s.after(1, 3).emit(s.interaction(Channel.CHAT, InteractionType.TRANSFER).setAgentId(chatAgent)
                .setSentiment(sentiment(-0.6, -0.4)).setAttributes(Map.of("transferredTo", "EMAIL"))
                .setText("Transferred to the returns team by email"));
        s.after(20, 40).emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE)
                .setSentiment(sentiment(-0.7, -0.5))
                .setText("As I already explained in the chat: a " + item
                        + " arrived that I never ordered, and you charged me for it."));
        s.after(30, 60).emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE)
                .setAgentId(emailAgent).setDirection(Direction.OUTBOUND).setSentiment(sentiment(-0.1, 0.1))
                .setText("Could you describe the issue and send us your order number?"));
        s.after(10, 25).emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE)
                .setSentiment(sentiment(-0.9, -0.8)).setAttributes(Map.of("repeatedStory", "3"))
                .setText("This is the third time I explain this. Fix it or I will cancel my account."));
        s.after(5, 15).emit(s.interaction(Channel.EMAIL, InteractionType.ESCALATION)
                .setAgentId(emailAgent).setSentiment(sentiment(-0.9, -0.7))
                .setAttributes(Map.of("escalatedTo", supervisor)).setText("Escalated to a supervisor"));
        s.after(20, 45).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED)
                .setAgentId(supervisor).setWaitSeconds(between(600, 1200))
                .setSentiment(sentiment(-0.8, -0.6)).setText("Supervisor call about the unordered package"));
        s.after(3, 6).emit(s.interaction(Channel.PHONE, InteractionType.MESSAGE).setAgentId(supervisor)
                .setSentiment(sentiment(-0.95, -0.85)).setAttributes(Map.of("repeatedStory", "4"))
                .setText("Repeats the whole story a fourth time; wants to cancel my account and close everything"));
        s.after(4, 8).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED)
                .setAgentId(supervisor).setHandleSeconds(between(900, 1500))
                .setSentiment(sentiment(-0.7, -0.5)).setText("Refund under review, no resolution yet"));
    }

    /** (b) A callback promised and never made, then a call dropped by our side. */
    private void callbackBroken(Script s) {
        s.openCase();
        String agent = agent();
        String commitment = commitment();
        String item = item();
        s.emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(300, 900)).setSentiment(sentiment(-0.4, -0.2))
                .setText("The refund for my returned " + item + " never arrived"));
        s.after(5, 10).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED).setAgentId(agent)
                .setHandleSeconds(between(420, 700)).setSentiment(sentiment(-0.3, -0.1))
                .setText("Agent promised a callback within the hour"));
        long due = s.at + 60L * MINUTE;
        s.emit(s.callback(commitment, CallbackType.PROMISED).setAgentId(agent)
                .setDueAt(Instant.ofEpochMilli(due)).setWindowMinutes(30));
        // Nobody calls back: the customer calls again well after the promised window.
        s.after(100, 140).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED)
                .setWaitSeconds(between(400, 900)).setSentiment(sentiment(-0.8, -0.6))
                .setText("Calling again: nobody called me back about my refund"));
        String secondAgent = agent();
        s.after(2, 5).emit(s.interaction(Channel.PHONE, InteractionType.DISCONNECTED)
                .setAgentId(secondAgent).setSentiment(sentiment(-0.85, -0.7))
                .setAttributes(Map.of("disconnectedBy", "agent"))
                .setText("Call dropped by our side during a transfer"));
        s.after(10, 30).emit(s.interaction(Channel.SMS, InteractionType.COMPLAINT)
                .setSentiment(sentiment(-0.9, -0.8))
                .setText("You promised to call me back and then you hung up on me."));
    }

    /** A callback made, but only after its window closed: breached, then kept late. */
    private void callbackKeptLate(Script s) {
        s.openCase();
        String agent = agent();
        String commitment = commitment();
        s.emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(120, 400)).setSentiment(sentiment(-0.3, -0.1))
                .setText("Refund for order " + order() + " not received yet"));
        s.after(4, 8).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED)
                .setAgentId(agent).setHandleSeconds(between(240, 480))
                .setSentiment(sentiment(-0.2, 0.0)).setText("Billing will call back today"));
        long due = s.at + between(40, 70) * (long) MINUTE;
        s.emit(s.callback(commitment, CallbackType.PROMISED).setAgentId(agent)
                .setDueAt(Instant.ofEpochMilli(due)).setWindowMinutes(15));
        String billing = agent();
        // The window closes at due + 15 min; the call comes 45-75 min after that.
        s.afterSeconds((int) ((due - s.at) / 1000)).after(60, 90)
                .emit(s.callback(commitment, CallbackType.ATTEMPTED).setAgentId(billing)
                        .setOutcome(CallbackOutcome.CONNECTED));
        s.emit(s.interaction(Channel.PHONE, InteractionType.OUTBOUND_CONTACT).setAgentId(billing)
                .setDirection(Direction.OUTBOUND).setSentiment(sentiment(-0.3, 0.1))
                .setText("Billing called back late: refund confirmed for tomorrow"));
        s.after(3, 8).emit(s.callback(commitment, CallbackType.COMPLETED).setAgentId(billing));
    }

    /**
     * A callback tried around its time without reaching the customer: one unanswered try
     * breaches it; two, spaced apart, count as keeping it.
     */
    private void callbackUnanswered(Script s) {
        String agent = agent();
        String commitment = commitment();
        s.emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(30, 120)).setSentiment(sentiment(-0.2, 0.0))
                .setText("Please call me about the warranty of my " + item()));
        s.after(3, 6).emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_ENDED)
                .setAgentId(agent).setHandleSeconds(between(180, 360))
                .setSentiment(sentiment(0.0, 0.2)).setText("Phone callback booked"));
        long due = s.at + between(30, 60) * (long) MINUTE;
        s.emit(s.callback(commitment, CallbackType.PROMISED).setAgentId(agent)
                .setDueAt(Instant.ofEpochMilli(due)).setWindowMinutes(20));
        String caller = agent();
        s.afterSeconds((int) ((due - s.at) / 1000)).after(0, 5)
                .emit(s.callback(commitment, CallbackType.ATTEMPTED).setAgentId(caller)
                        .setOutcome(CallbackOutcome.NO_ANSWER));
        if (draw.chance(0.5)) {
            s.after(12, 15).emit(s.callback(commitment, CallbackType.ATTEMPTED).setAgentId(caller)
                    .setOutcome(CallbackOutcome.VOICEMAIL));
        }
    }

    /** A call dropped by our side; nobody calls back, the customer writes in hours later. */
    private void droppedCall(Script s) {
        s.openCase();
        String agent = agent();
        s.emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(300, 900)).setSentiment(sentiment(-0.4, -0.2))
                .setText("Order " + order() + " arrived incomplete"));
        s.after(3, 7).emit(s.interaction(Channel.PHONE, InteractionType.DISCONNECTED)
                .setAgentId(agent).setAttributes(Map.of("disconnectedBy", "system"))
                .setSentiment(sentiment(-0.6, -0.4)).setText("Call dropped during the transfer"));
        s.after(90, 180).emit(s.interaction(Channel.EMAIL, InteractionType.MESSAGE)
                .setSentiment(sentiment(-0.7, -0.5))
                .setText("Your line cut me off and nobody called back. Still missing half my order."));
    }

    /** (c) A detractor survey with an angry remark. */
    private void angryDetractor(Script s) {
        s.openCase();
        String agent = agent();
        s.emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_STARTED).setAgentId(agent)
                .setWaitSeconds(between(60, 300)).setSentiment(sentiment(-0.3, -0.1))
                .setText("My " + item() + " arrived damaged, I want a replacement"));
        s.after(6, 12).emit(s.interaction(Channel.CHAT, InteractionType.CONTACT_ENDED).setAgentId(agent)
                .setHandleSeconds(between(400, 700)).setSentiment(sentiment(-0.6, -0.4))
                .setText("Replacement refused: outside the return policy"));
        boolean nps = random.nextBoolean();
        s.after(15, 60).emit(s.interaction(Channel.SURVEY, InteractionType.SURVEY_RESPONSE)
                .setAgentId(agent).setSurveyKind(nps ? SurveyKind.NPS : SurveyKind.CSAT)
                .setSurveyScore(nps ? between(0, 2) : 1).setSentiment(sentiment(-0.95, -0.8))
                .setText(pick(ANGRY_REMARKS)));
    }

    /** (d) Self-service fails twice, then the customer gives up in a long phone queue. */
    private void selfServiceThenAbandoned(Script s) {
        s.emit(s.interaction(Channel.SELF_SERVICE, InteractionType.SELF_SERVICE_FAILED)
                .setSentiment(sentiment(-0.4, -0.2))
                .setText("Password reset failed: verification code never arrived"));
        s.after(2, 5).emit(s.interaction(Channel.SELF_SERVICE, InteractionType.SELF_SERVICE_FAILED)
                .setSentiment(sentiment(-0.6, -0.4)).setText("Retry failed: account locked"));
        s.after(3, 8).emit(s.interaction(Channel.IVR, InteractionType.CONTACT_STARTED)
                .setText("IVR: account access, queued for an agent"));
        int waited = between(1_200, 2_400);
        s.afterSeconds(waited).emit(s.interaction(Channel.PHONE, InteractionType.ABANDONED)
                .setWaitSeconds(waited).setSentiment(sentiment(-0.7, -0.5))
                .setText("Caller hung up after " + waited / 60 + " min in the queue"));
    }

    /** (e) A public complaint that we answer with a proactive outbound call. */
    private void outboundAnswersComplaint(Script s) {
        s.openCase();
        String order = order();
        String agent = agent();
        s.emit(s.interaction(Channel.SOCIAL, InteractionType.COMPLAINT)
                .setSentiment(sentiment(-0.7, -0.5))
                .setText("@shop my order " + order + " is two weeks late and nobody answers"));
        s.after(20, 60).emit(s.interaction(Channel.PHONE, InteractionType.OUTBOUND_CONTACT)
                .setAgentId(agent).setDirection(Direction.OUTBOUND).setSentiment(sentiment(0.2, 0.4))
                .setAttributes(Map.of("answers", "SOCIAL"))
                .setText("Proactive call about the public complaint: apologised, replacement expedited"));
        s.after(6, 12).emit(s.interaction(Channel.PHONE, InteractionType.CONTACT_ENDED)
                .setAgentId(agent).setDirection(Direction.OUTBOUND).setHandleSeconds(between(300, 600))
                .setSentiment(sentiment(0.5, 0.7))
                .setText("Customer accepted the expedited replacement and a voucher"));
    }

    // ---- building blocks ------------------------------------------------------------------------

    private int between(int min, int max) {
        return draw.between(min, max);
    }

    private float sentiment(double min, double max) {
        return draw.sentiment(min, max);
    }

    private String pick(String[] values) {
        return draw.pick(values);
    }

    private String agent() {
        return "a-" + between(101, 160);
    }

    private String supervisor() {
        return "sup-" + between(11, 19);
    }

    private String item() {
        return pick(ITEMS);
    }

    private String order() {
        return "O-" + orderCounter++;
    }

    private String commitment() {
        return "cb-" + commitmentCounter++;
    }

    /** Accumulates one journey's events while moving its event-time cursor forward. */
    private final class Script {
        final Story story;
        final Customer customer;
        final List<Emission.Valid> events = new ArrayList<>();
        long at;
        String caseId;

        Script(Story story, Customer customer, long startMillis) {
            this.story = story;
            this.customer = customer;
            this.at = startMillis;
        }

        void openCase() {
            caseId = "K-" + caseCounter++;
        }

        /** Moves the cursor a random number of minutes (plus seconds) forward. */
        Script after(int minMinutes, int maxMinutes) {
            at += between(minMinutes, maxMinutes) * (long) MINUTE + random.nextInt(60) * 1000L;
            return this;
        }

        Script afterSeconds(int seconds) {
            at += seconds * 1000L;
            return this;
        }

        InteractionEvent.Builder interaction(Channel channel, InteractionType type) {
            return InteractionEvent.newBuilder()
                    .setEventId(uuid())
                    .setCustomerId(customer.id())
                    .setCustomerName(customer.name())
                    .setRegionId(customer.regionId())
                    .setCaseId(caseId)
                    .setChannel(channel)
                    .setType(type)
                    .setDirection(Direction.INBOUND)
                    .setOccurredAt(Instant.ofEpochMilli(at))
                    .setAttributes(Map.of());
        }

        CallbackEvent.Builder callback(String commitmentId, CallbackType type) {
            return CallbackEvent.newBuilder()
                    .setEventId(uuid())
                    .setCommitmentId(commitmentId)
                    .setCustomerId(customer.id())
                    .setCustomerName(customer.name())
                    .setRegionId(customer.regionId())
                    .setCaseId(caseId)
                    .setType(type)
                    .setChannel(Channel.PHONE)
                    .setOccurredAt(Instant.ofEpochMilli(at));
        }

        void emit(InteractionEvent.Builder event) {
            events.add(new Emission.Valid(Target.INTERACTIONS, customer.id(), at, event.build(),
                    story, false));
        }

        void emit(CallbackEvent.Builder event) {
            events.add(new Emission.Valid(Target.CALLBACKS, customer.id(), at, event.build(),
                    story, false));
        }
    }
}
