package dev.earlywarning.bench;

import java.io.Serializable;

/**
 * YCSB's Zipfian distribution over ranks {@code 0..n-1} (Gray et al., "Quickly generating
 * billion-record synthetic databases"): rank 0 is the most popular, with probability proportional
 * to {@code 1 / (rank + 1)^theta}. With YCSB's constant 0.99 over a million customers the busiest
 * customer has about 7% of the traffic and the top 1% about 60%.
 *
 * <p>It maps a uniform draw to a rank, so callers keep their own seeded random and stay
 * deterministic per event index.
 */
public final class Zipfian implements Serializable {

    private static final long serialVersionUID = 1L;
    /** YCSB's {@code ZipfianGenerator.ZIPFIAN_CONSTANT}. */
    public static final double YCSB_CONSTANT = 0.99;

    private final long items;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;

    public Zipfian(long items, double theta) {
        if (items < 2) {
            throw new IllegalArgumentException("a Zipfian needs at least 2 items, was " + items);
        }
        this.items = items;
        this.theta = theta;
        this.zetaN = zeta(items, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta(2, theta) / zetaN);
    }

    /** The rank drawn by the uniform {@code u} in [0, 1). */
    public long rank(double u) {
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return 1;
        }
        return Math.min(items - 1, (long) (items * Math.pow(eta * u - eta + 1, alpha)));
    }

    private static double zeta(long n, double theta) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }
}
