package dev.earlywarning.cli;

import dev.earlywarning.common.config.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code ews} command: everything needed to run and watch the early-warning system locally. */
@Command(name = "ews",
        mixinStandardHelpOptions = true,
        version = "ews 0.1.0 (cx-early-warning)",
        description = {
            "Real-time early warning for customer service: spots customers at risk across"
                    + " channels and tells a responder why and what to do.",
            "",
            "All in one:   ews demo",
            "Step by step, each in its own terminal:",
            "              ews broker start",
            "              ews topics create",
            "              ews run JOB   (one per job; ews run --help lists them)",
            "              ews simulate",
            "              ews alerts tail",
            "              ews ack ALERT_ID --by NAME",
            ""},
        subcommands = {
            DemoCommand.class,
            BrokerCommand.class,
            TopicsCommand.class,
            RunCommand.class,
            SimulateCommand.class,
            AlertsCommand.class,
            AckCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Library logs go to DIR/logs/ews.log (DIR: --dir, default .ews), not the console."})
public final class Ews implements Runnable {

    static final String LOG_FILE_PROPERTY = "ews.log.file";

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its subcommands and error handling, for {@code main} and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Ews());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        RunCommand.describeJobs(commandLine.getSubcommands().get("run"));
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            Throwable shown = error instanceof java.util.concurrent.ExecutionException
                    && error.getCause() != null ? error.getCause() : error;
            cmd.getErr().println(cmd.getColorScheme().errorText("ews: " + describe(shown)));
            if (!(shown instanceof ConfigException || shown instanceof IllegalStateException)) {
                org.slf4j.LoggerFactory.getLogger(Ews.class).error("command failed", error);
                cmd.getErr().println("details: " + System.getProperty(LOG_FILE_PROPERTY,
                        ".ews/logs/ews.log"));
            }
            return 1;
        });
        return commandLine;
    }

    /** Sends the library logs of this JVM to {@code file}, unless the user chose one. */
    static void useLogFile(Path file) {
        if (System.getProperty(LOG_FILE_PROPERTY) == null) {
            System.setProperty(LOG_FILE_PROPERTY, file.toString());
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
