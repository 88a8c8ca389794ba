package dev.earlywarning.common.kafka;

/**
 * The categories of {@code DeadLetter.reason} (the text before the colon) and the values of the
 * {@code reason} label of {@code ews_dead_letter_total}. A closed set keeps the metric's label
 * cardinality bounded; the detail after the colon says what exactly was wrong.
 */
public enum DeadLetterReason {
    /** Not single-object encoded Avro, truncated or corrupt. */
    UNDECODABLE("undecodable"),
    /** Avro, but written with a schema that is no known version of the topic's record. */
    UNKNOWN_SCHEMA("unknown-schema"),
    /** Decodes, but breaks a rule of the contract (missing id, negative duration, ...). */
    INVALID("invalid"),
    /** Later than the allowed lateness behind the watermark. */
    LATE("late"),
    /** A control command that cannot be applied; the previous configuration stays. */
    INVALID_CONTROL("invalid-control");

    private final String label;

    DeadLetterReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String describe(String detail) {
        return label + ": " + detail;
    }
}
