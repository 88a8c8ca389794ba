package dev.earlywarning.common.state;

import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Remembers the event ids seen under the current key for a bounded retention, so that a
 * redelivered event is processed once. Each id expires on its own (state TTL), so the state never
 * grows beyond the ids of one retention period.
 */
public final class Deduplicator {

    private final MapState<String, Boolean> seen;

    public Deduplicator(RuntimeContext context, String name, Duration retention) {
        this.seen = context.getMapState(descriptor(name, retention));
    }

    /** The state behind a deduplicator (its TTL is part of the stored type). */
    public static MapStateDescriptor<String, Boolean> descriptor(String name, Duration retention) {
        MapStateDescriptor<String, Boolean> descriptor =
                new MapStateDescriptor<>(name, Types.STRING, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }

    /** True the first time an id is offered under the current key (within the retention). */
    public boolean firstTime(String eventId) throws Exception {
        if (seen.contains(eventId)) {
            return false;
        }
        seen.put(eventId, Boolean.TRUE);
        return true;
    }

    /** Forgets every id of the current key (when its whole state ends). */
    public void clear() {
        seen.clear();
    }
}
