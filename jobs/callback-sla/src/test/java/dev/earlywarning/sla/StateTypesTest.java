package dev.earlywarning.sla;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class StateTypesTest {

    @Test
    void customersAreStoredInTheirOwnFormatAndCommitmentsAsPojosNotThroughKryo() {
        assertThat(CallbackSlaFunction.CUSTOMER.getSerializer())
                .isSameAs(CustomerStateSerializer.INSTANCE);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Commitment.class);
    }

    /** Earlier releases stored it with Flink's POJO serializer, which restores migrate from. */
    @Test
    void theCustomerRemainsAPojoForTheStateOfEarlierReleases() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(CustomerState.class);
    }

    @Test
    void factsStayInEvidenceOrderWhateverTheArrivalOrder() {
        Commitment commitment = Commitment.create("cb-1", Commitment.Kind.CALLBACK);
        assertThat(commitment.add(Fact.of("b", Fact.Kind.ATTEMPT, 20, "NO_ANSWER"))).isTrue();
        assertThat(commitment.add(Fact.of("c", Fact.Kind.FULFIL, 30, "COMPLETED"))).isTrue();
        assertThat(commitment.add(Fact.of("a", Fact.Kind.PROMISE, 20, "PROMISED"))).isTrue();
        assertThat(commitment.add(Fact.of("b", Fact.Kind.ATTEMPT, 20, "NO_ANSWER"))).isFalse();
        assertThat(commitment.facts).extracting(f -> f.eventId).containsExactly("a", "b", "c");
        assertThat(commitment.firstPromise().eventId).isEqualTo("a");
    }

    @Test
    void evidenceBeyondTheCapIsRefused() {
        Commitment commitment = Commitment.create("cb-1", Commitment.Kind.CALLBACK);
        for (int i = 0; i < Commitment.MAX_FACTS; i++) {
            assertThat(commitment.add(Fact.of("e" + i, Fact.Kind.ATTEMPT, i, "BUSY"))).isTrue();
        }
        assertThat(commitment.add(Fact.of("one-more", Fact.Kind.ATTEMPT, 1, "BUSY"))).isFalse();
    }

    @Test
    void recentContactsAreBoundedAndForgetWhatNoPromiseCanPrecede() {
        CustomerState customer = CustomerState.fresh(0);
        for (int i = 0; i < 12; i++) {
            Contact contact = new Contact();
            contact.eventId = "o" + i;
            contact.at = i * 10L;
            customer.remember(contact, 35);
        }
        assertThat(customer.contacts).extracting(c -> c.eventId)
                .containsExactly("o4", "o5", "o6", "o7", "o8", "o9", "o10", "o11");
        assertThat(customer.contactsSince(95)).extracting(c -> c.eventId).containsExactly("o10", "o11");
    }

    @Test
    void aContactReadsTheCommitmentsOnlyWhenItCanStepOneOfTheirKinds() {
        CustomerState customer = CustomerState.fresh(0);
        assertThat(customer.mayBeSteppedBy(Contact.Kind.OUTBOUND_CONNECTED)).isFalse();

        Commitment callback = Commitment.create("cb-1", Commitment.Kind.CALLBACK);
        customer.added(callback);
        assertThat(customer.mayBeSteppedBy(Contact.Kind.INBOUND_LIVE)).isFalse();
        assertThat(customer.mayBeSteppedBy(Contact.Kind.OUTBOUND_MESSAGE)).isFalse();
        assertThat(customer.mayBeSteppedBy(Contact.Kind.OUTBOUND_UNANSWERED)).isTrue();

        Commitment dropped = Commitment.create("dropped-1", Commitment.Kind.DROPPED_CONTACT);
        customer.added(dropped);
        assertThat(customer.mayBeSteppedBy(Contact.Kind.INBOUND_LIVE)).isTrue();
        customer.removed(dropped);
        assertThat(customer.mayBeSteppedBy(Contact.Kind.INBOUND_LIVE)).isFalse();

        customer.added(Commitment.create("follow-up-1", Commitment.Kind.FOLLOW_UP));
        assertThat(customer.mayBeSteppedBy(Contact.Kind.OUTBOUND_MESSAGE)).isTrue();
        assertThat(customer.commitments).isEqualTo(2);
    }

    @Test
    void stateWrittenBeforeCommitmentsWereCountedByKindLetsEveryContactLook() {
        CustomerState restored = CustomerState.fresh(0);
        restored.commitmentsByKind = null;
        restored.added(Commitment.create("cb-1", Commitment.Kind.CALLBACK));
        assertThat(restored.mayBeSteppedBy(Contact.Kind.INBOUND_LIVE)).isTrue();
    }
}
