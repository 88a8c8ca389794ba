package dev.earlywarning.common.state;

import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;

/**
 * The snapshot of a serializer that writes keyed state in a {@link CompactFormat} of its own.
 * It accepts its own snapshots as they are (each value starts with its format number, and the
 * serializer reads every format it ever wrote) and the POJO serializer's snapshots of the same
 * type, which releases before the compact format wrote, after migration: Flink then reads every
 * stored value with the old serializer and writes it with the new one, once, on restore.
 *
 * <p>Flink creates a snapshot by reflection on restore: each serializer declares a public
 * subclass with a public no-argument constructor.
 */
public abstract class CompactStateSnapshot<T> extends SimpleTypeSerializerSnapshot<T> {

    private final Class<T> type;

    protected CompactStateSnapshot(Supplier<? extends TypeSerializer<T>> serializer,
            Class<T> type) {
        super(serializer);
        this.type = type;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot instanceof PojoSerializerSnapshot<T> pojo
                && type.isInstance(pojo.restoreSerializer().createInstance())) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(oldSnapshot);
    }
}
