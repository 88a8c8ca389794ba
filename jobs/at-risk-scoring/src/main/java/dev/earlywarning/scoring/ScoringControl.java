package dev.earlywarning.scoring;

import dev.earlywarning.common.config.RuntimeSettings;
import org.apache.flink.api.common.state.MapStateDescriptor;

/** Where the scoring job keeps its run-time configuration ({@link RuntimeSettings}). */
final class ScoringControl {

    static final MapStateDescriptor<String, String> STATE =
            RuntimeSettings.descriptor(AtRiskScoringJob.NAME);

    private ScoringControl() {}
}
