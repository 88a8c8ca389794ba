package dev.earlywarning.shipping;

import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Gesture;
import dev.earlywarning.schema.GestureKind;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Grants or refuses the gestures of one day's budget in one currency (the key,
 * {@code CURRENCY|yyyy-mm-dd}, the UTC day of the alert's event time). Because every gesture of a
 * budget passes this one keyed instance, in order, the sum granted can never exceed the budget,
 * whatever the parallelism. A refused monetary gesture becomes an apology and the alert goes out
 * anyway, marked {@code overBudget}. Later revisions of an alert repeat its grant; a withdrawal
 * drops it but does not credit the budget back, since outreach may already have sent it.
 *
 * <p>The budget in force is the one the prediction attached, from the configuration at that
 * moment, so a control command that changes it applies to the next gesture.
 *
 * <p>State: the cents granted and the grants by alert id, removed by an event-time timer once
 * every order of that day has aged out ({@code max-age} after the day), with a TTL as a backstop.
 */
class GestureBudgetFunction extends KeyedProcessFunction<String, GestureDecision, Alert> {

    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    static final ValueStateDescriptor<Long> SPENT = new ValueStateDescriptor<>("spent-cents",
            Types.LONG);

    private final Duration retention;

    private transient ValueState<Long> spent;
    private transient MapState<String, Grant> grants;
    private transient DistributionDataPoint latency;

    /** {@code retention}: how long after its day a budget's grants are still needed. */
    GestureBudgetFunction(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        spent = getRuntimeContext().getState(SPENT);
        MapStateDescriptor<String, Grant> grantsDescriptor = new MapStateDescriptor<>("grants",
                Types.STRING, TypeInformation.of(Grant.class));
        grantsDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention.plusDays(2))
                .cleanupInRocksdbCompactFilter(1000).build());
        grants = getRuntimeContext().getMapState(grantsDescriptor);
        latency = EwsMetrics.ALERT_LATENCY.labelValues(ShippingDelayJob.NAME);
    }

    @Override
    public void processElement(GestureDecision decision, Context ctx, Collector<Alert> out)
            throws Exception {
        Alert alert = decision.alert;
        String alertId = alert.getAlertId();
        Map<String, String> attributes = new LinkedHashMap<>(alert.getAttributes());
        Grant grant;
        if (alert.getStatus() == AlertStatus.OPEN) {
            grant = grant(decision, alert);
            if (grant.gesture != null) {
                EwsMetrics.GESTURES.labelValues(grant.gesture.getKind().name()).inc();
            }
            // The same timestamp again is one timer: no bookkeeping needed.
            ctx.timerService().registerEventTimeTimer(cleanupTime(ctx.getCurrentKey()));
            grants.put(alertId, grant);
        } else {
            grant = grants.get(alertId);
            if (grant == null) {
                grant = new Grant(null, false);
            }
            if (alert.getStatus() == AlertStatus.RESOLVED) {
                grants.remove(alertId);
            }
        }
        Gesture gesture = grant.gesture;
        if (decision.withdraw && gesture != null) {
            attributes.put("withdrawn", "true");
            attributes.put("withdrawnGesture", gesture.getKind().name());
            gesture = null;
        }
        attributes.put("overBudget", String.valueOf(grant.overBudget));
        Alert result = Alert.newBuilder(alert).setGesture(gesture).setAttributes(attributes)
                .build();
        out.collect(result);
        EwsMetrics.ALERTS.labelValues(ShippingDelayJob.NAME, result.getKind().name(),
                result.getSeverity().name()).inc();
        if (decision.ingestedAt != Long.MIN_VALUE) {
            latency.observe((System.currentTimeMillis() - decision.ingestedAt) / 1000.0);
        }
    }

    /** Holdout: nothing. Free gestures: as asked. Monetary ones: as asked while the budget lasts. */
    private Grant grant(GestureDecision decision, Alert alert) throws Exception {
        Gesture requested = decision.requested;
        if (requested == null) {
            return new Grant(null, false);
        }
        long amount = requested.getAmountCents();
        boolean overBudget = false;
        GestureKind kind = requested.getKind();
        if (amount > 0) {
            long soFar = spent.value() == null ? 0 : spent.value();
            if (soFar + amount <= decision.budgetCents) {
                spent.update(soFar + amount);
                EwsMetrics.GESTURE_BUDGET_SPENT.labelValues(requested.getCurrency())
                        .set(soFar + amount);
            } else {
                overBudget = true;
                kind = GestureKind.APOLOGY;
                amount = 0;
                EwsMetrics.GESTURES_OVER_BUDGET.labelValues(requested.getCurrency()).inc();
            }
        }
        Gesture gesture = Gesture.newBuilder().setKind(kind).setAmountCents(amount)
                .setCurrency(requested.getCurrency())
                .setMessage(DelayAlerts.gestureMessage(kind, amount, requested.getCurrency(), alert))
                .build();
        return new Grant(gesture, overBudget);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) {
        spent.clear();
        grants.clear();
    }

    private long cleanupTime(String budgetKey) {
        LocalDate day = LocalDate.parse(budgetKey.substring(budgetKey.indexOf('|') + 1));
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + DAY
                + retention.toMillis();
    }
}
