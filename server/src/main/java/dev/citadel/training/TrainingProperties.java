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
    record Privacy(Double defaultBudget) {

        /** A budget out of range fails start-up rather than the first DP job. */
        Privacy {
            if (defaultBudget != null && !(defaultBudget >= 0 && defaultBudget <= PrivacyBudgets.MAX_BUDGET)) {
                throw new IllegalArgumentException("citadel.training.privacy.default-budget must be between 0 and "
                        + (int) PrivacyBudgets.MAX_BUDGET);
            }
        }
    }

    double defaultBudget() {
        return privacy == null || privacy.defaultBudget() == null ? DEFAULT_BUDGET : privacy.defaultBudget();
    }

    int effectiveThreads() {
        return threads == null || threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
