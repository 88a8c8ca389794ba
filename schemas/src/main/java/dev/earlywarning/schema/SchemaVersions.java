package dev.earlywarning.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every version of every topic schema: the current one the classes are generated from, and each
 * released version frozen under {@code schemas/released/}. Readers resolve single-object encoded
 * data against {@link #store()}, so data written by any released version stays readable.
 */
public final class SchemaVersions {

    /** Schema files in dependency order: named types come before the records that use them. */
    public static final List<String> FILES =
            List.of(
                    "Channel",
                    "Reason",
                    "TimelineEntry",
                    "Gesture",
                    "InteractionEvent",
                    "CallbackEvent",
                    "ShipmentEvent",
                    "DisruptionEvent",
                    "Alert",
                    "AlertAck",
                    "ControlCommand",
                    "DeadLetter");

    private static final String BASE = "/dev/earlywarning/schema/";

    private SchemaVersions() {}

    /** The released versions, oldest first, as listed in {@code released/versions.txt}. */
    public static List<String> releasedVersions() {
        return read(BASE + "released/versions.txt").lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    /** The current schemas by full name. */
    public static Map<String, Schema> current() {
        return parse(BASE + "current/");
    }

    /** The schemas of one released version by full name. */
    public static Map<String, Schema> released(String version) {
        return parse(BASE + "released/" + version + "/");
    }

    /** A store that resolves the fingerprint of every current and released schema. */
    public static SchemaStore.Cache store() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        current().values().forEach(cache::addSchema);
        for (String version : releasedVersions()) {
            released(version).values().forEach(cache::addSchema);
        }
        return cache;
    }

    private static Map<String, Schema> parse(String folder) {
        // One parser per version: its named types resolve the references between files.
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> byName = new LinkedHashMap<>();
        for (String file : FILES) {
            Schema schema = parser.parse(read(folder + file + ".avsc"));
            byName.put(schema.getFullName(), schema);
        }
        return byName;
    }

    private static String read(String resource) {
        try (InputStream in = SchemaVersions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
