package dev.earlywarning.router;

import dev.earlywarning.schema.Alert;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The router's keyed state, scoped to the current customer: the {@link RoutingState} and the maps
 * next to it. Names and types are those of savepoints already taken.
 */
final class RouterStores {

    static final ValueStateDescriptor<RoutingState> ROUTING =
            new ValueStateDescriptor<>("routing", TypeInformation.of(RoutingState.class));

    final ValueState<RoutingState> routing;
    /** Alerts waiting for their group window, by (alertId, revision). */
    final MapState<String, RouterInput> pending;
    /** Acknowledgements and contacts waiting for the watermark to reach their time. */
    final MapState<String, RouterInput> inbox;
    /** The open item's alerts, by condition. */
    final MapState<String, Alert> members;
    final MapState<String, FlapHistory> flaps;
    /** Outreach held back behind a severe item, by alert id. */
    final MapState<String, Alert> held;
    /** What the outreach queue holds (or refused) per alert id. */
    final MapState<String, OutreachRecord> outreach;
    /** The newest revision seen per alert id: older or repeated ones are duplicates. */
    final MapState<String, Integer> seenRevisions;

    RouterStores(RuntimeContext context, Duration stateRetention) {
        // Belt and braces: the clean-up timer clears every map; the TTL bounds them regardless.
        StateTtlConfig ttl = StateTtlConfig.newBuilder(stateRetention.multipliedBy(2))
                .cleanupInRocksdbCompactFilter(1000).build();
        routing = context.getState(ROUTING);
        pending = mapState(context, "pending-alerts", RouterInput.TYPE, ttl);
        inbox = mapState(context, "inbox", RouterInput.TYPE, ttl);
        members = mapState(context, "item-members", new AvroTypeInfo<>(Alert.class), ttl);
        flaps = mapState(context, "flap-histories", TypeInformation.of(FlapHistory.class), ttl);
        held = mapState(context, "held-outreach", new AvroTypeInfo<>(Alert.class), ttl);
        outreach = mapState(context, "outreach-records", TypeInformation.of(OutreachRecord.class),
                ttl);
        seenRevisions = mapState(context, "seen-revisions", Types.INT, ttl);
    }

    /** Forgets the customer. */
    void clear() {
        routing.clear();
        pending.clear();
        inbox.clear();
        members.clear();
        flaps.clear();
        held.clear();
        outreach.clear();
        seenRevisions.clear();
    }

    private static <V> MapState<String, V> mapState(RuntimeContext context, String name,
            TypeInformation<V> type, StateTtlConfig ttl) {
        MapStateDescriptor<String, V> descriptor = new MapStateDescriptor<>(name, Types.STRING, type);
        descriptor.enableTimeToLive(ttl);
        return context.getMapState(descriptor);
    }
}
