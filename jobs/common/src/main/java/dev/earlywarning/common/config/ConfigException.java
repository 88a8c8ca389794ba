package dev.earlywarning.common.config;

/** A configuration value is missing or out of range; the message names the key and what is allowed. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
