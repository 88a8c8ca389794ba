package dev.earlywarning.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the JMH micro-benchmarks of the hot spots ({@link AvroCodecBench}, {@code
 * ScoringUpdateBench}, {@link RocksDbStateBench}) with short but sane defaults: one fork, three
 * warm-up and five measurement iterations of one second. Usage: {@code Jmh [regex] [JMH
 * options]}; any JMH option given replaces the default of the same name.
 */
public final class Jmh {

    private static final List<String> DEFAULTS = List.of("-f", "1", "-wi", "3", "-i", "5",
            "-w", "1s", "-r", "1s");

    private Jmh() {}

    public static void main(String[] args) throws Exception {
        List<String> options = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < DEFAULTS.size(); i += 2) {
            if (!options.contains(DEFAULTS.get(i))) {
                options.add(DEFAULTS.get(i));
                options.add(DEFAULTS.get(i + 1));
            }
        }
        org.openjdk.jmh.Main.main(options.toArray(String[]::new));
    }
}
