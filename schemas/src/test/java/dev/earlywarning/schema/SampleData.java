package dev.earlywarning.schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Builds a fully populated generic record for any schema, so every field is exercised. */
final class SampleData {

    private SampleData() {}

    static Object of(Schema schema, int seed) {
        switch (schema.getType()) {
            case RECORD:
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), of(field.schema(), seed + field.pos()));
                }
                return record;
            case ENUM:
                List<String> symbols = schema.getEnumSymbols();
                return new GenericData.EnumSymbol(schema, symbols.get(seed % symbols.size()));
            case ARRAY:
                List<Object> items = new ArrayList<>();
                items.add(of(schema.getElementType(), seed + 1));
                return items;
            case MAP:
                return Map.of("k" + seed, of(schema.getValueType(), seed + 1));
            case UNION:
                // The last branch is the non-null one in every schema of this project.
                List<Schema> branches = schema.getTypes();
                return of(branches.get(branches.size() - 1), seed);
            case STRING:
                return "s" + seed;
            case BYTES:
                return ByteBuffer.wrap(new byte[] {(byte) seed, 1, 2});
            case INT:
                return seed;
            case LONG:
                return 1_700_000_000_000L + seed;
            case FLOAT:
                return 0.25f;
            case DOUBLE:
                return 0.5d;
            case BOOLEAN:
                return seed % 2 == 0;
            default:
                throw new IllegalArgumentException("no sample for " + schema.getType());
        }
    }
}
