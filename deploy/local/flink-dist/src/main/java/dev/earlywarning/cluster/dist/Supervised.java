package dev.earlywarning.cluster.dist;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class of every JobManager and TaskManager JVM of the local cluster: runs Flink's own entry
 * point in this process. Attached (the default), it exits as soon as its stdin reaches
 * end-of-file, which happens when the JVM that started it closes the pipe or dies in any way,
 * even {@code kill -9}; so a test's cluster never outlives the test. Detached processes (the
 * {@code cluster} script) run until they are stopped by pid.
 *
 * <p>Arguments: {@code [--detached] MAIN_CLASS ARGS...}.
 */
public final class Supervised {

    private Supervised() {}

    public static void main(String[] args) throws Exception {
        boolean detached = args.length > 0 && args[0].equals("--detached");
        int first = detached ? 1 : 0;
        if (args.length <= first) {
            System.err.println("usage: Supervised [--detached] MAIN_CLASS ARGS...");
            System.exit(2);
        }
        if (!detached) {
            Thread watcher = new Thread(Supervised::exitOnStdinEof, "parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        Method main = Class.forName(args[first]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, first + 1, args.length));
    }

    private static void exitOnStdinEof() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; it only holds the pipe open
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file: the parent is gone
        }
        // Flink's shutdown hooks stop the JobManager or TaskManager cleanly on the way out.
        System.exit(0);
    }
}
