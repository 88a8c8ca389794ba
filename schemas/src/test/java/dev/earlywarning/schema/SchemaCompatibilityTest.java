package dev.earlywarning.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every current schema reads data written with every released version, through the real store. */
class SchemaCompatibilityTest {

    static Stream<Arguments> releasedSchemas() {
        return SchemaVersions.releasedVersions().stream()
                .flatMap(version -> SchemaVersions.released(version).values().stream()
                        .filter(schema -> schema.getType() == Schema.Type.RECORD)
                        .map(schema -> Arguments.of(version, schema.getFullName(), schema)));
    }

    @ParameterizedTest(name = "{1} reads {0}")
    @MethodSource("releasedSchemas")
    void currentSchemaCanReadReleasedWriter(String version, String name, Schema writer) {
        Schema reader = SchemaVersions.current().get(name);
        assertThat(reader).as("current schema for %s", name).isNotNull();

        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(compatibility.getType())
                .as("%s: %s", name, compatibility.getDescription())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{1} decodes {0} single-object bytes")
    @MethodSource("releasedSchemas")
    void generatedClassDecodesReleasedSingleObjectBytes(String version, String name, Schema writer)
            throws Exception {
        GenericData.Record written = (GenericData.Record) SampleData.of(writer, 3);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), writer)
                .encode(written);

        Class<?> generated = Class.forName(name);
        Schema reader = SchemaVersions.current().get(name);
        BinaryMessageDecoder<Object> decoder =
                new BinaryMessageDecoder<>(SpecificData.getForClass(generated), reader, SchemaVersions.store());
        Object decoded = decoder.decode(bytes);

        assertThat(decoded).isInstanceOf(generated);
        // Every field the writer wrote comes back with the same value.
        Schema current = ((org.apache.avro.specific.SpecificRecord) decoded).getSchema();
        for (Schema.Field field : writer.getFields()) {
            Object back = ((org.apache.avro.specific.SpecificRecord) decoded)
                    .get(current.getField(field.name()).pos());
            assertThat(String.valueOf(normalise(back)))
                    .as("%s.%s", name, field.name())
                    .isEqualTo(String.valueOf(normalise(written.get(field.name()))));
        }
    }

    @ParameterizedTest(name = "{1} is frozen in the newest release or compatible with it")
    @MethodSource("releasedSchemas")
    void storeKnowsEveryReleasedFingerprint(String version, String name, Schema writer) {
        long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(writer);
        assertThat(SchemaVersions.store().findByFingerprint(fingerprint)).isNotNull();
    }

    private static Object normalise(Object value) {
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Map<?, ?> map) {
            return new java.util.TreeMap<>(map.entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()),
                            e -> String.valueOf(normalise(e.getValue())))));
        }
        if (value instanceof ByteBuffer buffer) {
            return java.util.Arrays.toString(buffer.duplicate().array());
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(SchemaCompatibilityTest::normalise).toList();
        }
        if (value instanceof org.apache.avro.generic.IndexedRecord record) {
            return record.getSchema().getFields().stream()
                    .map(f -> f.name() + "=" + normalise(record.get(f.pos()))).toList();
        }
        return value;
    }
}
