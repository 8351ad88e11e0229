package dev.citadel.registry;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/** Model names: 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit. */
public final class ModelName {

    private ModelName() {}

    public static String require(String name) {
        if (!dev.citadel.platform.ResourceNames.isValid(name)) {
            throw new CitadelException(ErrorCode.MODEL_INVALID_NAME,
                    "Model names are 1-64 lower-case letters, digits, '.', '_' or '-'.");
        }
        return name;
    }
}
