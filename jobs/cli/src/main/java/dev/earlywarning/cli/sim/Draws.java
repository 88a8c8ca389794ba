package dev.earlywarning.cli.sim;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/** The random choices every story makes, from one seeded random: same seed, same draws. */
final class Draws {

    private final Random random;

    Draws(Random random) {
        this.random = random;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    double nextDouble() {
        return random.nextDouble();
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    float sentiment(double min, double max) {
        return (float) (Math.round((min + random.nextDouble() * (max - min)) * 100) / 100.0);
    }

    /** A random, deterministic version-4 UUID: unique per event, repeatable per seed. */
    String uuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
