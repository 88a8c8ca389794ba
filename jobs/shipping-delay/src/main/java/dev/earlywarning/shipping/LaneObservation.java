package dev.earlywarning.shipping;

/** One delivered order's contribution to its lane's statistics. */
public class LaneObservation {
    public String lane;
    public long transitMillis;
    /** The order's median time between two scans, or {@link ShipmentState#NONE}. */
    public long scanGapMillis;
    /** From the last scan to delivery, or {@link ShipmentState#NONE} when it was never scanned. */
    public long lastLegMillis;
    public long deliveredAt;

    public LaneObservation() {}

    LaneObservation(String lane, long transitMillis, long scanGapMillis, long lastLegMillis,
            long deliveredAt) {
        this.lane = lane;
        this.transitMillis = transitMillis;
        this.scanGapMillis = scanGapMillis;
        this.lastLegMillis = lastLegMillis;
        this.deliveredAt = deliveredAt;
    }
}
