package dev.earlywarning.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The four deployable jobs: their names, main classes and the job jars the build makes. */
public final class JobJars {

    /** A job as the cluster knows it. */
    public record Job(String name, String mainClass) {

        /** {@code jobs/<name>/target/ews-<name>-<version>-job.jar} of this checkout. */
        public Path jar() {
            Path jar = Build.repository().resolve("jobs").resolve(name).resolve("target")
                    .resolve("ews-" + name + "-" + Build.version() + "-job.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no job jar at " + jar
                        + "; build first: mvn -B -pl deploy/local -am package -DskipTests");
            }
            return jar;
        }
    }

    public static final Job AT_RISK_SCORING =
            new Job("at-risk-scoring", "dev.earlywarning.scoring.AtRiskScoringJob");
    public static final Job CALLBACK_SLA =
            new Job("callback-sla", "dev.earlywarning.sla.CallbackSlaJob");
    public static final Job SHIPPING_DELAY =
            new Job("shipping-delay", "dev.earlywarning.shipping.ShippingDelayJob");
    public static final Job ALERT_ROUTER =
            new Job("alert-router", "dev.earlywarning.router.AlertRouterJob");

    private static final List<Job> ALL =
            List.of(AT_RISK_SCORING, CALLBACK_SLA, SHIPPING_DELAY, ALERT_ROUTER);

    private JobJars() {}

    public static List<Job> all() {
        return ALL;
    }

    public static Optional<Job> find(String name) {
        return ALL.stream().filter(job -> job.name().equals(name)).findFirst();
    }
}
