package dev.earlywarning.shipping;

/**
 * What a lane normally takes, learned from its recent deliveries: robust location and spread of
 * the transit time (median and scaled median absolute deviation) and the median scan gap.
 */
public class LaneEstimate {
    public String lane;
    public long transitMillis;
    public long transitSpreadMillis;
    /** Median time between scans, or {@link ShipmentState#NONE} while no order had two scans. */
    public long scanGapMillis;
    public int samples;
    /** Event time of the newest delivery behind the estimate. */
    public long updatedAt;

    public LaneEstimate() {}

    LaneEstimate(String lane, long transitMillis, long transitSpreadMillis, long scanGapMillis,
            int samples, long updatedAt) {
        this.lane = lane;
        this.transitMillis = transitMillis;
        this.transitSpreadMillis = transitSpreadMillis;
        this.scanGapMillis = scanGapMillis;
        this.samples = samples;
        this.updatedAt = updatedAt;
    }
}
