package dev.earlywarning.shipping;

/**
 * A lane's most recent deliveries: two rings (transit times and per-order scan gaps) of a fixed
 * size, so the statistics follow the lane as it changes and the state never grows.
 */
public class LaneWindow {
    public long[] transits;
    public int transitsWritten;
    public long[] gaps;
    public int gapsWritten;
    /** The last estimate sent downstream, to send only material changes. */
    public long emittedTransit;
    public long emittedSpread;
    public long emittedGap;

    public LaneWindow() {}

    LaneWindow(int size) {
        transits = new long[size];
        gaps = new long[size];
        emittedTransit = ShipmentState.NONE;
        emittedGap = ShipmentState.NONE;
    }

    void add(LaneObservation observation) {
        transits[transitsWritten++ % transits.length] = observation.transitMillis;
        if (observation.scanGapMillis != ShipmentState.NONE) {
            gaps[gapsWritten++ % gaps.length] = observation.scanGapMillis;
        }
    }

    int transitSamples() {
        return Math.min(transitsWritten, transits.length);
    }

    LaneEstimate estimate(String lane, long updatedAt) {
        int n = transitSamples();
        long median = Robust.median(transits, n);
        int gapSamples = Math.min(gapsWritten, gaps.length);
        return new LaneEstimate(lane, median, Robust.scaledMad(transits, n, median),
                gapSamples == 0 ? ShipmentState.NONE : Robust.median(gaps, gapSamples), n,
                updatedAt);
    }
}
