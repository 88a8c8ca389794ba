package dev.earlywarning.shipping;

/** One shipped order's clock for the lane statistics: when it left and the gaps between scans. */
public class TransitState {
    static final int MAX_GAPS = 16;

    public String lane;
    public long shippedAt;
    public long lastScanAt;
    /** The first {@link #MAX_GAPS} gaps between scans; enough for a median. */
    public long[] gaps;
    public int gapCount;

    public TransitState() {}

    TransitState(String lane, long shippedAt) {
        this.lane = lane;
        this.shippedAt = shippedAt;
        this.lastScanAt = shippedAt;
        this.gaps = new long[MAX_GAPS];
    }

    void addGap(long gap) {
        if (gapCount < MAX_GAPS) {
            gaps[gapCount++] = gap;
        }
    }

    long medianGap() {
        return gapCount == 0 ? ShipmentState.NONE : Robust.median(gaps, gapCount);
    }
}
