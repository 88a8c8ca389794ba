package dev.earlywarning.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class RiskStateTest {

    /** Earlier releases stored it with Flink's POJO serializer, which restores migrate from. */
    @Test
    void remainsAPojoForTheStateOfEarlierReleases() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RiskState.class);
    }

    @Test
    void evidenceKeepsTheNewestIdsPerSignalWithoutRepeats() {
        RiskState state = RiskState.fresh(0);
        for (String id : new String[] {"e1", "e2", "e2", "e3", "e4"}) {
            state.addEvidence(Signal.TRANSFER, id, "detail " + id);
        }
        assertThat(state.evidenceOf(Signal.TRANSFER)).containsExactly("e4", "e3", "e2");
        assertThat(state.evidenceOf(Signal.COMPLAINT)).isEmpty();
        assertThat(state.details[Signal.TRANSFER.ordinal()]).isEqualTo("detail e4");
    }

    @Test
    void recentCasesAreMostRecentlyUsedFirstAndBounded() {
        RiskState state = RiskState.fresh(0);
        for (String kase : new String[] {"A", "B", "C", "A", "D"}) {
            state.caseContacts[state.touchCase(kase)]++;
        }
        assertThat(state.caseIds).containsExactly("D", "A", "C");
        assertThat(state.caseContacts).containsExactly(1, 2, 1);
    }

    @Test
    void stateWrittenBeforeNewSignalsWidensOnRead() {
        RiskState old = RiskState.fresh(0);
        old.intensity = Arrays.copyOf(old.intensity, 3);
        old.evidence = Arrays.copyOf(old.evidence, 9);
        old.details = Arrays.copyOf(old.details, 3);
        RiskState upgraded = old.upgraded();
        assertThat(upgraded.intensity).hasSize(Signal.values().length);
        assertThat(upgraded.evidenceOf(Signal.BROKEN_PROMISE)).isEmpty();
    }
}
