package dev.earlywarning.cli.local;

import java.io.IOException;
import java.io.InputStream;
import sun.misc.Signal;

/**
 * Main class of the local broker's JVM: formats the KRaft storage if needed, then runs
 * {@code kafka.Kafka} in this process. Attached (the default), it exits as soon as its stdin
 * reaches end-of-file, which happens when the parent JVM closes the pipe or dies in any way,
 * even {@code kill -9}; so a broker never outlives the command that started it.
 *
 * <p>Arguments: {@code [--detached] CLUSTER_ID SERVER_PROPERTIES}.
 */
public final class BrokerProcess {

    private BrokerProcess() {}

    public static void main(String[] args) throws Exception {
        boolean detached = args.length == 3 && args[0].equals("--detached");
        if (args.length != (detached ? 3 : 2)) {
            System.err.println("usage: BrokerProcess [--detached] CLUSTER_ID SERVER_PROPERTIES");
            System.exit(2);
        }
        String clusterId = args[detached ? 1 : 0];
        String serverProperties = args[detached ? 2 : 1];

        // Ctrl-C reaches every process of the terminal's group; the parent decides when the
        // broker stops, after its own clients are done with it.
        Signal.handle(new Signal("INT"), signal -> { });
        if (detached) {
            Signal.handle(new Signal("HUP"), signal -> { });
        } else {
            Thread watcher = new Thread(BrokerProcess::exitOnStdinEof, "parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        int formatted = kafka.tools.StorageTool.execute(new String[] {
            "format", "--cluster-id", clusterId, "--config", serverProperties, "--ignore-formatted"},
                System.out);
        if (formatted != 0) {
            System.err.println("formatting the broker storage failed (exit code " + formatted + ")");
            System.exit(formatted);
        }
        kafka.Kafka.main(new String[] {serverProperties});
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
        // Kafka's shutdown hook stops the broker cleanly on the way out.
        System.exit(0);
    }
}
