package dev.citadel.datasets;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/** Dataset names: 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit. */
public final class DatasetName {

    private DatasetName() {}

    public static String require(String name) {
        if (!dev.citadel.platform.ResourceNames.isValid(name)) {
            throw new CitadelException(ErrorCode.DATASET_INVALID_NAME,
                    "Dataset names are 1-64 lower-case letters, digits, '.', '_' or '-'.");
        }
        return name;
    }
}
