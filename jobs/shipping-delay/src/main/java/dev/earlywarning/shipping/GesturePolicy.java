package dev.earlywarning.shipping;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.GestureKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which gesture a predicted delay earns: an ordered list of rules, the first that matches the
 * customer's tier, the order value and the predicted delay wins; nothing matching means an
 * apology. Written as one setting so that a single control command swaps the whole policy:
 *
 * <pre>TIERS|MIN_ORDER_CENTS|MIN_DELAY|KIND|AMOUNT; ...</pre>
 *
 * where TIERS is {@code *} or a comma list of {@link CustomerTier}s and AMOUNT is cents or a
 * percentage of the order value ({@code 10%}), capped at {@code maxAmountCents}. For EXPEDITE the
 * amount is what the upgrade costs, so it counts against the budget like a voucher does.
 */
public record GesturePolicy(List<Rule> rules, long maxAmountCents) implements Serializable {

    static final String DEFAULT_RULES = "VIP|0|6h|EXPEDITE|1200; "
            + "*|20000|24h|VOUCHER|10%; "
            + "VIP,PLUS|0|24h|VOUCHER|1000; "
            + "*|0|24h|SHIPPING_REFUND|499; "
            + "*|0|0h|APOLOGY|0";

    /** One line of the policy; {@code percent} is used when positive, else {@code amountCents}. */
    public record Rule(Set<CustomerTier> tiers, long minOrderCents, Duration minDelay,
            GestureKind kind, long amountCents, double percent) implements Serializable {

        boolean matches(CustomerTier tier, long orderValueCents, Duration delay) {
            return tiers.contains(tier) && orderValueCents >= minOrderCents
                    && delay.compareTo(minDelay) >= 0;
        }
    }

    /** The chosen gesture before the budget has had its say. */
    public record Choice(GestureKind kind, long amountCents) {}

    static GesturePolicy parse(String key, String text, long maxAmountCents) {
        List<Rule> rules = new ArrayList<>();
        for (String line : text.split(";")) {
            if (!line.isBlank()) {
                rules.add(rule(key, line.strip(), maxAmountCents));
            }
        }
        if (rules.isEmpty()) {
            throw new ConfigException(key + " has no rules; expected " + DEFAULT_RULES);
        }
        return new GesturePolicy(List.copyOf(rules), maxAmountCents);
    }

    Choice choose(CustomerTier tier, long orderValueCents, Duration delay) {
        for (Rule rule : rules) {
            if (rule.matches(tier, orderValueCents, delay)) {
                long amount = rule.percent() > 0
                        ? Math.round(orderValueCents * rule.percent() / 100.0) : rule.amountCents();
                return new Choice(rule.kind(), Math.min(amount, maxAmountCents));
            }
        }
        return new Choice(GestureKind.APOLOGY, 0);
    }

    private static Rule rule(String key, String line, long maxAmountCents) {
        String[] parts = line.split("\\|", -1);
        if (parts.length != 5) {
            throw bad(key, line, "5 fields TIERS|MIN_ORDER_CENTS|MIN_DELAY|KIND|AMOUNT");
        }
        try {
            Set<CustomerTier> tiers = EnumSet.noneOf(CustomerTier.class);
            if (parts[0].strip().equals("*")) {
                tiers = EnumSet.allOf(CustomerTier.class);
            } else {
                for (String tier : parts[0].split(",")) {
                    tiers.add(CustomerTier.valueOf(tier.strip().toUpperCase()));
                }
            }
            long minOrder = Long.parseLong(parts[1].strip());
            Duration minDelay = minDelay(key, line, parts[2].strip());
            GestureKind kind = GestureKind.valueOf(parts[3].strip().toUpperCase());
            String amount = parts[4].strip();
            double percent = amount.endsWith("%")
                    ? Double.parseDouble(amount.substring(0, amount.length() - 1)) : 0;
            long cents = amount.endsWith("%") ? 0 : Long.parseLong(amount);
            if (minOrder < 0 || cents < 0
                    || percent < 0 || percent > 100 || cents > maxAmountCents) {
                throw bad(key, line, "non-negative values, a duration such as 24h, a percentage"
                        + " up to 100 and an amount up to max-gesture-cents (" + maxAmountCents + ")");
            }
            if (kind == GestureKind.APOLOGY && (cents > 0 || percent > 0)) {
                throw bad(key, line, "an APOLOGY with amount 0: it is never monetary");
            }
            return new Rule(tiers, minOrder, minDelay, kind, cents, percent);
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException config) {
                throw config;
            }
            throw bad(key, line, "tiers among " + List.of(CustomerTier.values()) + ", kinds among "
                    + List.of(GestureKind.values()) + " and numbers (" + e.getMessage() + ")");
        }
    }

    private static Duration minDelay(String key, String line, String text) {
        try {
            return ShippingConfig.duration(text);
        } catch (ConfigException e) {
            throw bad(key, line, "MIN_DELAY as a duration such as 24h, not '" + text + "'");
        }
    }

    private static ConfigException bad(String key, String line, String expected) {
        return new ConfigException("Invalid rule '" + line + "' in " + key + ": expected "
                + expected);
    }
}
