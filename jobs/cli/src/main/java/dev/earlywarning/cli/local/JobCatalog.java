package dev.earlywarning.cli.local;

import dev.earlywarning.common.config.Settings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The jobs {@code ews} can run. Every job class keeps the same shape: a {@code NAME} constant
 * and a static {@code wire(StreamExecutionEnvironment, Settings)} that adds the job, with its
 * Kafka sources and sinks, to an environment. The CLI finds them by class name, so it builds
 * and runs whichever jobs are on its classpath.
 */
public final class JobCatalog {

    /** A job by its command-line name. */
    public record Job(String name, String className, String description) {

        public boolean available() {
            return jobClass().isPresent();
        }

        /** Adds the job to {@code env}. */
        public void wire(StreamExecutionEnvironment env, Settings settings) {
            Class<?> type = jobClass().orElseThrow(() -> new IllegalStateException(
                    "job " + name + " (" + className + ") is not on the classpath of this build"));
            try {
                Method wire = type.getMethod("wire", StreamExecutionEnvironment.class,
                        Settings.class);
                wire.invoke(null, env, settings);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("wiring " + name + " failed", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(className
                        + " has no public static wire(StreamExecutionEnvironment, Settings)", e);
            }
        }

        private Optional<Class<?>> jobClass() {
            try {
                return Optional.of(Class.forName(className, false,
                        JobCatalog.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
        }
    }

    public static final Job AT_RISK_SCORING = new Job("at-risk-scoring",
            "dev.earlywarning.scoring.AtRiskScoringJob",
            "scores every interaction for at-risk signals and writes explained alerts to ews.alerts");

    private static final List<Job> JOBS = List.of(AT_RISK_SCORING);

    private JobCatalog() {}

    public static List<Job> all() {
        return JOBS;
    }

    public static Optional<Job> find(String name) {
        return JOBS.stream().filter(job -> job.name().equals(name)).findFirst();
    }
}
