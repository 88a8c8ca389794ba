package dev.earlywarning.shipping;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DisruptionEvent;

/**
 * One record of the broadcast side of the prediction: exactly one of a disruption, a control
 * command or a lane estimate. A broadcast connection takes one stream, so the three share this
 * envelope; where it came from is kept for dead letters and latency.
 */
public class SideInput {
    public DisruptionEvent disruption;
    public ControlCommand command;
    public LaneEstimate lane;
    public int partition;
    public long offset;
    public long ingestedAt;

    public SideInput() {}

    static SideInput disruption(Ingested<DisruptionEvent> in) {
        SideInput side = from(in.partition, in.offset, in.ingestedAt);
        side.disruption = in.value;
        return side;
    }

    static SideInput command(Ingested<ControlCommand> in) {
        SideInput side = from(in.partition, in.offset, in.ingestedAt);
        side.command = in.value;
        return side;
    }

    static SideInput lane(LaneEstimate estimate) {
        SideInput side = from(-1, -1, Long.MIN_VALUE);
        side.lane = estimate;
        return side;
    }

    private static SideInput from(int partition, long offset, long ingestedAt) {
        SideInput side = new SideInput();
        side.partition = partition;
        side.offset = offset;
        side.ingestedAt = ingestedAt;
        return side;
    }
}
