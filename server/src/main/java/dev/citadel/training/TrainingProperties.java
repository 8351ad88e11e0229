package dev.citadel.training;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Training settings.
 *
 * @param threads threads one XGBoost training uses (0 = one per core)
 * @param privacy differential-privacy settings
 */
@ConfigurationProperties("citadel.training")
record TrainingProperties(Integer threads, Privacy privacy) {

    static final double DEFAULT_BUDGET = 10;

    /** @param defaultBudget the ε budget of a dataset version whose data steward set none */
    record Privacy(Double defaultBudget) {}

    double defaultBudget() {
        double budget = privacy == null || privacy.defaultBudget() == null ? DEFAULT_BUDGET : privacy.defaultBudget();
        if (!(budget >= 0 && budget <= PrivacyBudgets.MAX_BUDGET)) {
            throw new IllegalStateException("citadel.training.privacy.default-budget must be between 0 and "
                    + (int) PrivacyBudgets.MAX_BUDGET);
        }
        return budget;
    }

    int effectiveThreads() {
        return threads == null || threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
