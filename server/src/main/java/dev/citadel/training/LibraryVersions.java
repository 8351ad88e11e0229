package dev.citadel.training;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of the native libraries training uses, read from their jars' Maven metadata. */
final class LibraryVersions {

    private static final String XGBOOST = read("/META-INF/maven/ml.dmlc/xgboost4j_2.12/pom.properties");

    private LibraryVersions() {}

    static String xgboost() {
        return XGBOOST;
    }

    private static String read(String resource) {
        try (InputStream in = LibraryVersions.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
