package dev.earlywarning.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds Debian's {@code prometheus} and {@code promtool}, installing the package when the tests
 * run as root and it is missing. CI installs it up front ({@code .ci/run}), so there the tests
 * never skip; elsewhere a test that needs it skips with a message that cannot be missed.
 */
final class PrometheusBinaries {

    private static Optional<Path> directory;

    private PrometheusBinaries() {}

    static Optional<Path> prometheus() {
        return directory().map(dir -> dir.resolve("prometheus"));
    }

    static Optional<Path> promtool() {
        return directory().map(dir -> dir.resolve("promtool"));
    }

    /** The loud reason a test skips: what is missing and how to get it. */
    static String missing() {
        String message = "\n" + "!".repeat(78) + "\n"
                + "!! SKIPPED: Prometheus tests need Debian's `prometheus` package (prometheus and\n"
                + "!! promtool), which is not installed and could not be installed here.\n"
                + "!! Install it with: sudo apt-get install -y prometheus   (CI: .ci/run does)\n"
                + "!".repeat(78) + "\n";
        System.err.println(message);
        return message;
    }

    private static synchronized Optional<Path> directory() {
        if (directory == null) {
            directory = find();
            if (directory.isEmpty() && isRoot()) {
                install();
                directory = find();
            }
        }
        return directory;
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir);
            if (Files.isExecutable(candidate.resolve("prometheus"))
                    && Files.isExecutable(candidate.resolve("promtool"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Installs without recommends (no node exporter) and with the package's service kept from
     * starting, so no Prometheus is left running on the machine's default port.
     */
    private static void install() {
        System.err.println("prometheus not found: installing Debian's prometheus package ...");
        String script = "set -e; export DEBIAN_FRONTEND=noninteractive;"
                + " created=0; if [ ! -e /usr/sbin/policy-rc.d ]; then"
                + " printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d;"
                + " chmod +x /usr/sbin/policy-rc.d; created=1; fi;"
                + " trap '[ $created = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT;"
                + " apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1"
                + " || { apt-get update -qq >/dev/null 2>&1 &&"
                + " apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; }";
        try {
            Process process = new ProcessBuilder(List.of("bash", "-c", script))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("cannot run apt-get: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
