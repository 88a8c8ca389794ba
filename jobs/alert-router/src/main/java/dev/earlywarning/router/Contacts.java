package dev.earlywarning.router;

import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;

/**
 * Which interactions close the loop with the customer: an outbound contact, or any interaction
 * whose {@code callbackOutcome} attribute says the callback connected. Everything else in the
 * interaction stream is dropped before the keyed router, so it costs a filter, not state access.
 */
final class Contacts {

    static final String CALLBACK_OUTCOME = "callbackOutcome";

    private Contacts() {}

    static boolean closesLoop(InteractionEvent event) {
        return event.getType() == InteractionType.OUTBOUND_CONTACT
                        && event.getDirection() == Direction.OUTBOUND
                || "CONNECTED".equalsIgnoreCase(event.getAttributes().get(CALLBACK_OUTCOME));
    }
}
