package dev.earlywarning.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Where this checkout's build put what the local cluster needs: the cluster's classpath (module
 * {@code ews-flink-dist}), the job jars, and the JVM flags of the root pom.
 */
public final class Build {

    private static final Properties PROPERTIES = load();

    private Build() {}

    public static String version() {
        return PROPERTIES.getProperty("version");
    }

    public static Path repository() {
        return Path.of(PROPERTIES.getProperty("repository")).toAbsolutePath().normalize();
    }

    /** The JobManager's and TaskManagers' classpath. */
    public static String flinkClasspath() {
        Path file = Path.of(PROPERTIES.getProperty("flink.classpath.file"));
        try {
            return Path.of(PROPERTIES.getProperty("flink.classes")) + java.io.File.pathSeparator
                    + Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no cluster classpath at " + file
                    + "; build first: mvn -B -pl deploy/local -am package -DskipTests", e);
        }
    }

    /** The {@code --add-opens} flags Flink needs on JDK 17. */
    public static List<String> jvmOpens() {
        return Arrays.stream(PROPERTIES.getProperty("jvm.add.opens").split("\\s+"))
                .filter(s -> !s.isBlank()).toList();
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Build.class.getResourceAsStream("/ews-cluster.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("ews-cluster.properties is missing from the build", e);
        }
        return properties;
    }
}
