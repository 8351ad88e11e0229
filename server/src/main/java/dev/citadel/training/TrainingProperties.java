package dev.citadel.training;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Training settings.
 *
 * @param threads threads one XGBoost training uses (0 = one per core)
 */
@ConfigurationProperties("citadel.training")
record TrainingProperties(Integer threads) {

    int effectiveThreads() {
        return threads == null || threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
