package dev.earlywarning.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Every state and envelope type goes through Flink's POJO serializer, never Kryo. */
class StateTypesTest {

    @Test
    void stateTypesAreSerializedAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RoutingState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FlapHistory.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(OutreachRecord.class);
    }

    @Test
    void theEnvelopeUsesAvroForItsRecords() {
        TypeSerializer<RouterInput> serializer =
                RouterInput.TYPE.createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
        PojoTypeInfo<RouterInput> pojo = (PojoTypeInfo<RouterInput>) RouterInput.TYPE;
        for (String field : new String[] {"alert", "ack", "contact"}) {
            assertThat(pojo.<Object>getTypeAt(field)).as(field).isInstanceOf(AvroTypeInfo.class);
        }
    }

    @Test
    void groupedIdsStayBoundedAndKeepTheFirst() {
        RoutingState state = RoutingState.fresh();
        state.openItem("item", 0);
        for (int i = 0; i < RoutingState.MAX_GROUPED_IDS + 10; i++) {
            state.addGroupedId("a" + i);
            state.addGroupedId("a" + i);
        }
        assertThat(state.groupedAlertIds).hasSize(RoutingState.MAX_GROUPED_IDS)
                .startsWith("a0").endsWith("a" + (RoutingState.MAX_GROUPED_IDS + 9))
                .doesNotHaveDuplicates();
    }
}
