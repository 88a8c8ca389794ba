package dev.earlywarning.cli.local;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.router.AlertRouterJob;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.shipping.ShippingDelayJob;
import dev.earlywarning.sla.CallbackSlaJob;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The jobs {@code ews} can run. Every job class keeps the same shape: a {@code NAME} constant
 * and a static {@code wire(StreamExecutionEnvironment, Settings)} that adds the job, with its
 * Kafka sources and sinks, to an environment; a new job is one more entry here.
 */
public final class JobCatalog {

    /** A job by its command-line name. */
    public record Job(String name, String description, JobWiring wiring) {
        public void wire(StreamExecutionEnvironment env, Settings settings) {
            wiring.wire(env, settings);
        }
    }

    public static final Job AT_RISK_SCORING = new Job(AtRiskScoringJob.NAME,
            "scores every interaction for at-risk signals and writes explained alerts to ews.alerts",
            AtRiskScoringJob::wire);

    public static final Job CALLBACK_SLA = new Job(CallbackSlaJob.NAME,
            "watches callback promises and dropped calls: due-soon and breach alerts",
            CallbackSlaJob::wire);

    public static final Job SHIPPING_DELAY = new Job(ShippingDelayJob.NAME,
            "predicts late parcels from shipments and disruptions and proposes gestures",
            ShippingDelayJob::wire);

    public static final Job ALERT_ROUTER = new Job(AlertRouterJob.NAME,
            "routes every alert to the responder and outreach queues, escalates, follows the loop",
            AlertRouterJob::wire);

    /** Detectors first, the router last: the demo starts them in this order. */
    private static final List<Job> JOBS = List.of(AT_RISK_SCORING, CALLBACK_SLA,
            SHIPPING_DELAY, ALERT_ROUTER);

    private JobCatalog() {}

    public static List<Job> all() {
        return JOBS;
    }

    public static Optional<Job> find(String name) {
        return JOBS.stream().filter(job -> job.name().equals(name)).findFirst();
    }
}
