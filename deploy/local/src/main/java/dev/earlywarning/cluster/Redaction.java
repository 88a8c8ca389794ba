package dev.earlywarning.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what the launcher prints: the value after any flag whose name suggests a
 * credential ({@code --kafka.sasl.jaas.config}, {@code --kafka.ssl.key.password}, ...) is shown
 * as {@code [hidden]}, as Kafka's own config logging does.
 */
public final class Redaction {

    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(password|jaas|secret|token|credential|private\\.key).*");

    private Redaction() {}

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** {@code args} as they may be shown: secret values replaced. */
    public static List<String> redactArgs(List<String> args) {
        List<String> shown = new ArrayList<>(args.size());
        boolean hideNext = false;
        for (String arg : args) {
            if (hideNext) {
                shown.add("[hidden]");
                hideNext = false;
                continue;
            }
            if (arg.startsWith("-")) {
                String key = arg.replaceFirst("^-+", "");
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    shown.add(isSecretKey(key.substring(0, eq))
                            ? arg.substring(0, arg.indexOf('=') + 1) + "[hidden]" : arg);
                    continue;
                }
                hideNext = isSecretKey(key);
            }
            shown.add(arg);
        }
        return shown;
    }
}
