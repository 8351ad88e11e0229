package dev.citadel.registry;

import java.util.regex.Pattern;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/** Model names: 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit. */
public final class ModelName {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ModelName() {}

    public static String require(String name) {
        if (name == null || !VALID.matcher(name).matches() || name.contains("..")) {
            throw new CitadelException(ErrorCode.MODEL_INVALID_NAME,
                    "Model names are 1-64 lower-case letters, digits, '.', '_' or '-'.");
        }
        return name;
    }
}
