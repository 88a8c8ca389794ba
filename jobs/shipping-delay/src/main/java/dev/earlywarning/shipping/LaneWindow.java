package dev.earlywarning.shipping;

/**
 * A lane's most recent deliveries: rings (transit times, per-order scan gaps, last legs) of a fixed
 * size, so the statistics follow the lane as it changes and the state never grows.
 */
public class LaneWindow {
    public long[] transits;
    public int transitsWritten;
    public long[] gaps;
    public int gapsWritten;
    public long[] lastLegs;
    public int lastLegsWritten;
    /** The last estimate sent downstream, to send only material changes. */
    public long emittedTransit;
    public long emittedSpread;
    public long emittedGap;
    public long emittedLastLeg;

    public LaneWindow() {}

    LaneWindow(int size) {
        transits = new long[size];
        gaps = new long[size];
        lastLegs = new long[size];
        emittedTransit = ShipmentState.NONE;
        emittedGap = ShipmentState.NONE;
        emittedLastLeg = ShipmentState.NONE;
    }

    void add(LaneObservation observation) {
        transits[transitsWritten++ % transits.length] = observation.transitMillis;
        if (observation.scanGapMillis != ShipmentState.NONE) {
            gaps[gapsWritten++ % gaps.length] = observation.scanGapMillis;
        }
        if (observation.lastLegMillis != ShipmentState.NONE) {
            lastLegs[lastLegsWritten++ % lastLegs.length] = observation.lastLegMillis;
        }
    }

    int transitSamples() {
        return Math.min(transitsWritten, transits.length);
    }

    LaneEstimate estimate(String lane, long updatedAt) {
        int n = transitSamples();
        long median = Robust.median(transits, n);
        return new LaneEstimate(lane, median, Robust.scaledMad(transits, n, median),
                medianOrNone(gaps, gapsWritten), medianOrNone(lastLegs, lastLegsWritten), n,
                updatedAt);
    }

    private static long medianOrNone(long[] ring, int written) {
        int samples = Math.min(written, ring.length);
        return samples == 0 ? ShipmentState.NONE : Robust.median(ring, samples);
    }
}
