package dev.earlywarning.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The local working directory: broker storage, checkpoints and logs. */
public final class DataDirOption {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".ews",
            description = "Working directory for broker data, checkpoints and logs"
                    + " (default: ${DEFAULT-VALUE} under the current directory).")
    Path dir;

    /** Creates the directory and sends this JVM's library logs to {@code DIR/logs/ews.log}. */
    public Path prepare() {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + absolute, e);
        }
        Ews.useLogFile(absolute.resolve("logs").resolve("ews.log"));
        return absolute;
    }
}
