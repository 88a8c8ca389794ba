package dev.earlywarning.sla;

import dev.earlywarning.schema.AlertKind;

/** An alert this job emitted about a commitment, for its later revisions. */
public class FiredAlert {
    public String alertId;
    public AlertKind kind;
    public long triggeredAt;
    public int revision;
    public boolean resolved;

    public FiredAlert() {}
}
