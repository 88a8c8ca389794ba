package dev.earlywarning.router;

/**
 * What the outreach queue knows of one outreach alert: the revision last written there and its
 * severity (for the queue gauge), or that it was over the fatigue budget and stays unsent.
 */
public class OutreachRecord {
    public int revision;
    public int severity;
    public boolean delivered;

    public OutreachRecord() {}

    static OutreachRecord delivered(int revision, int severity) {
        OutreachRecord record = new OutreachRecord();
        record.revision = revision;
        record.severity = severity;
        record.delivered = true;
        return record;
    }

    static OutreachRecord overBudget(int severity) {
        OutreachRecord record = new OutreachRecord();
        record.revision = -1;
        record.severity = severity;
        return record;
    }
}
