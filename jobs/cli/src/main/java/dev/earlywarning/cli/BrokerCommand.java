package dev.earlywarning.cli;

import dev.earlywarning.cli.local.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ews broker start|stop|status}: a real single-node Kafka for local runs. */
@Command(name = "broker",
        description = "A real Kafka broker (KRaft, one node, 127.0.0.1 only) in its own JVM.",
        subcommands = {BrokerCommand.Start.class, BrokerCommand.Stop.class, BrokerCommand.Status.class},
        mixinStandardHelpOptions = true)
public final class BrokerCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Path brokerDir(Path dataDir) {
        return dataDir.resolve("broker");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Starts the broker and waits until it answers.",
                "Runs in the foreground until Ctrl-C (the broker never outlives this command);"
                        + " with --detach it keeps running until `ews broker stop`.",
                "Storage, configuration and the broker's log live in DIR/broker/."})
    static final class Start implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Option(names = "--port", defaultValue = "9092",
                description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--detach", description = "Start in the background and return.")
        boolean detach;

        @Override
        public Integer call() throws Exception {
            Path dir = brokerDir(dataDir.prepare());
            long start = System.nanoTime();
            System.out.print("starting Kafka broker (own JVM, log " + dir.resolve("broker.log") + ") ");
            LocalKafkaBroker broker = LocalKafkaBroker.start(
                    LocalKafkaBroker.Options.in(dir).port(port).detached(detach), System.out);
            System.out.println(" ready in " + Shutdown.seconds(start) + " at " + broker.bootstrap()
                    + " (pid " + broker.pid() + ")");
            if (detach) {
                System.out.println("stop it with: ews broker stop --dir " + dataDir.dir);
                return 0;
            }
            Shutdown shutdown = new Shutdown();
            shutdown.add("broker", broker::close);
            System.out.println("Ctrl-C stops it.");
            broker.handle().onExit().join();
            if (!shutdown.requested()) {
                System.out.println("the broker exited on its own (stopped elsewhere?); see "
                        + broker.logFile());
                shutdown.runAll();
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops the broker started from DIR (cleanly; forcibly after 30 s).")
    static final class Stop implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            Path dir = brokerDir(dataDir.prepare());
            long start = System.nanoTime();
            if (LocalKafkaBroker.stop(dir, Duration.ofSeconds(30))) {
                System.out.println("broker stopped in " + Shutdown.seconds(start));
            } else {
                System.out.println("no broker running from " + dir);
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Tells whether the broker started from DIR runs and answers (exit code 0 if so).")
    static final class Status implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            Path dir = brokerDir(dataDir.prepare());
            Optional<ProcessHandle> running = LocalKafkaBroker.running(dir);
            if (running.isEmpty()) {
                System.out.println("not running (" + dir + ")");
                return 3;
            }
            String bootstrap = LocalKafkaBroker.recordedBootstrap(dir).orElse("?");
            boolean answers = LocalKafkaBroker.answers(bootstrap, Duration.ofSeconds(3));
            System.out.println("running: pid " + running.get().pid() + ", " + bootstrap
                    + (answers ? ", answering" : ", NOT answering") + " (" + dir + ")");
            return answers ? 0 : 1;
        }
    }
}
