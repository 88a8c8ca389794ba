package dev.earlywarning.shipping;

/**
 * What a lane normally takes, learned from its recent deliveries: robust location and spread of
 * the transit time (median and scaled median absolute deviation), the median scan gap and the
 * median last leg (last scan to delivery).
 */
public class LaneEstimate {
    public String lane;
    public long transitMillis;
    public long transitSpreadMillis;
    /** Median time between scans, or {@link ShipmentState#NONE} while no order had two scans. */
    public long scanGapMillis;
    /** Median time from the last scan to delivery, or {@link ShipmentState#NONE}. */
    public long lastLegMillis;
    public int samples;
    /** Event time of the newest delivery behind the estimate. */
    public long updatedAt;

    public LaneEstimate() {}

    LaneEstimate(String lane, long transitMillis, long transitSpreadMillis, long scanGapMillis,
            long lastLegMillis, int samples, long updatedAt) {
        this.lastLegMillis = lastLegMillis;
        this.lane = lane;
        this.transitMillis = transitMillis;
        this.transitSpreadMillis = transitSpreadMillis;
        this.scanGapMillis = scanGapMillis;
        this.samples = samples;
        this.updatedAt = updatedAt;
    }
}
