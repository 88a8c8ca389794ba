package dev.earlywarning.sla;

import dev.earlywarning.common.config.JobConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The job as releases before {@link CustomerStateSerializer} ran it: the same function, with the
 * customer's state declared as it was then, under the same name for Flink's POJO serializer.
 * What it writes is the state of an earlier release, every other state and timer included.
 */
final class EarlierRelease extends CallbackSlaFunction {

    private static final long serialVersionUID = 1L;
    static final ValueStateDescriptor<CustomerState> CUSTOMER =
            new ValueStateDescriptor<>("customer", TypeInformation.of(CustomerState.class));

    EarlierRelease(SlaConfig config) {
        super(config, JobConfig.DEFAULT_CACHED_CUSTOMERS, SlaHarness.LATENESS, "cx.callbacks",
                "cx.interactions");
    }

    /** The runtime context, but asked for the customer's state it hands out the POJO one. */
    @Override
    public RuntimeContext getRuntimeContext() {
        RuntimeContext context = super.getRuntimeContext();
        return (RuntimeContext) Proxy.newProxyInstance(RuntimeContext.class.getClassLoader(),
                new Class<?>[] {RuntimeContext.class}, (proxy, method, args) -> {
                    if (args != null && args[0] == CallbackSlaFunction.CUSTOMER) {
                        args = new Object[] {CUSTOMER};
                    }
                    try {
                        return method.invoke(context, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
