package dev.earlywarning.dashboards;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to find the metric names an expression reads and to turn a Grafana query
 * into one Prometheus evaluates. Not a parser: it removes what cannot be a metric name (strings,
 * label matchers, ranges, grouping label lists) and keeps identifiers that are not a function call
 * or a keyword.
 */
final class PromQl {

    /** Grafana's built-in variables, fixed for a run that lasted a minute or two. */
    static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m", "$__interval", "15s", "$__range", "5m",
            "${__rate_interval}", "1m", "${__interval}", "15s", "${__range}", "5m");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring",
            "group_left", "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile(
            "(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {}

    static Set<String> metricNames(String expr) {
        String rest = STRINGS.matcher(expr).replaceAll(" ");
        rest = BRACES.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group(1);
            boolean call = m.group(2) != null;
            if (!call && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The query Prometheus runs for a Grafana target. */
    static String instantiate(String expr) {
        String query = expr;
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            query = query.replace(variable.getKey(), variable.getValue());
        }
        if (query.contains("$")) {
            throw new IllegalArgumentException("unknown variable in `" + expr + "`");
        }
        return query;
    }
}
