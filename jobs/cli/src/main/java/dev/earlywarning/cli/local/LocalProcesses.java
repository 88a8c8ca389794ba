package dev.earlywarning.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ports and child processes of the local runtime (the broker, a Flink cluster): everything binds
 * loopback, and a process we started is stopped politely first, forcibly if it does not listen.
 */
public final class LocalProcesses {

    private LocalProcesses() {}

    /** A port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code port}, or an error that says what holds it and which {@code option} to change. */
    public static int requireFree(int port, String likelyHolder, String option) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new IOException("port " + port + " on 127.0.0.1 is in use (" + likelyHolder
                    + "?); pick another with " + option, e);
        }
    }

    /** Asks the process to stop, waits up to {@code timeout}, then kills it. */
    public static void stop(ProcessHandle handle, Duration timeout) {
        handle.destroy();
        awaitExit(handle, timeout);
    }

    /** Waits up to {@code timeout} for an exit already asked for, then kills the process. */
    public static void awaitExit(ProcessHandle handle, Duration timeout) {
        if (!waitFor(handle, timeout)) {
            handle.destroyForcibly();
            waitFor(handle, Duration.ofSeconds(10));
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        }
    }
}
