package dev.earlywarning.cli.sim;

import org.apache.avro.specific.SpecificRecord;

/** One record the simulator sends: a valid event (maybe a redelivery) or malformed bytes. */
public sealed interface Emission permits Emission.Valid, Emission.Malformed {

    /** The contract topic the record belongs on. */
    enum Target { INTERACTIONS, CALLBACKS, SHIPMENTS, DISRUPTIONS, ALERT_ACKS }

    Target target();

    /** The Kafka key: customer id, order id (shipments) or region id (disruptions). */
    String key();

    /** Event time in epoch millis. */
    long at();

    /** {@code story} is null for what the simulated responders do. */
    record Valid(Target target, String key, long at, SpecificRecord value, Story story,
            boolean redelivery) implements Emission {

        Valid redelivered() {
            return new Valid(target, key, at, value, story, true);
        }
    }

    record Malformed(Target target, String key, long at, byte[] bytes) implements Emission {}
}
