package dev.earlywarning.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a long-running command has started, stopped in reverse order exactly once: at its normal
 * end or from the JVM's shutdown hook on Ctrl-C, whichever comes first.
 */
public final class Shutdown {

    /** Something to stop; may throw, the rest are still stopped. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private record Named(String name, Step step) {}

    private final Deque<Named> steps = new ArrayDeque<>();
    private final Thread hook = new Thread(this::runAll, "ews-shutdown");
    private volatile boolean requested;
    private boolean done;

    public Shutdown() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Adds a step; a null name stops quietly. */
    public synchronized void add(String name, Step step) {
        steps.push(new Named(name, step));
    }

    /** True once Ctrl-C (or the normal end) has begun stopping things. */
    public boolean requested() {
        return requested;
    }

    public void runAll() {
        requested = true;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            if (steps.stream().anyMatch(step -> step.name() != null)) {
                System.out.println("stopping:");
            }
            while (!steps.isEmpty()) {
                Named next = steps.pop();
                long start = System.nanoTime();
                try {
                    next.step().run();
                    if (next.name() == null) {
                        continue;
                    }
                    System.out.printf("  stopped %s (%.1f s)%n", next.name(),
                            (System.nanoTime() - start) / 1e9);
                } catch (Exception e) {
                    System.out.println("  stopping " + (next.name() == null ? "" : next.name())
                            + " failed: " + e);
                }
            }
        }
    }

    static String seconds(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
