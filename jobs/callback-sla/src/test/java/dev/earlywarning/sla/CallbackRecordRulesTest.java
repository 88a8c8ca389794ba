package dev.earlywarning.sla;

import static dev.earlywarning.sla.Callbacks.attempted;
import static dev.earlywarning.sla.Callbacks.promised;
import static dev.earlywarning.sla.Callbacks.rescheduled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.kafka.RecordType;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The contract's rules for callback records, which the decode step dead-letters as invalid. */
class CallbackRecordRulesTest {

    private static final RecordType.Limits NOW =
            new RecordType.Limits(Instant.parse("2026-03-03T00:00:00Z").toEpochMilli(), 86_400_000L);

    private static String problem(CallbackEvent.Builder event) {
        return RecordTypes.CALLBACK.validator().problem(event.build(), NOW);
    }

    @Test
    void aWellFormedPromiseAndAttemptPass() {
        assertThat(problem(promised("p1", "cb-1", 0, 30))).isNull();
        assertThat(problem(promised("p1", "cb-1", 0, 30).setDueAt(null).setWithinBusinessHours(4)))
                .isNull();
        assertThat(problem(attempted("t1", "cb-1", 5, CallbackOutcome.BUSY)))
                .isNull();
    }

    @Test
    void aDeadlineBeforeThePromiseIsInvalid() {
        assertThat(problem(promised("p1", "cb-1", 60, 30)))
                .isEqualTo("dueAt 2026-03-02T09:30:00Z is before occurredAt 2026-03-02T10:00:00Z");
        assertThat(problem(rescheduled("r1", "cb-1", 60, 59))).startsWith("dueAt");
    }

    @Test
    void aPromiseWithoutAnyDeadlineOrAnAttemptWithoutOutcomeIsInvalid() {
        assertThat(problem(promised("p1", "cb-1", 0, 30).setDueAt(null)))
                .isEqualTo("PROMISED has neither dueAt nor withinBusinessHours");
        assertThat(problem(attempted("t1", "cb-1", 5, null))).isEqualTo("ATTEMPTED has no outcome");
        assertThat(problem(promised("p1", "cb-1", 0, 30).setWithinBusinessHours(-1)))
                .isEqualTo("withinBusinessHours is negative (-1)");
        assertThat(problem(promised("p1", "cb-1", 0, 30).setWindowMinutes(-5)))
                .isEqualTo("windowMinutes is negative (-5)");
    }
}
