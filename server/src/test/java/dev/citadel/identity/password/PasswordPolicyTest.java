package dev.citadel.identity.password;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.citadel.platform.Secret;

/** NIST SP 800-63B password rules, checked offline. */
class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @ParameterizedTest
    @ValueSource(strings = {"short", "elevenchars", "password1234", "123456789012", "qwertyuiop123", "iloveyou1234",
        "Password1234", "aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "letmein12345678"})
    void refusesShortCommonAndGuessablePasswords(String password) {
        assertThat(policy.problems(Secret.of(password), "someone")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "purple-elephant-dances-42-times", "Tr0ub4dor&3-vault-ledger",
        "ζωντανό-μυστικό-κλειδί-2026"})
    void acceptsLongUnguessablePassphrasesWithoutCompositionRules(String password) {
        assertThat(policy.problems(Secret.of(password), "someone")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dr.house-secret-2026", "DR.HOUSE-tardis-gallifrey"})
    void refusesPasswordsContainingTheUsername(String password) {
        assertThat(policy.problems(Secret.of(password), "dr.house")).contains("must not contain the username");
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 500})
    void refusesOverlongPasswords(int length) {
        assertThat(policy.problems(Secret.of("x".repeat(length)), "someone")).contains("must be at most 128 characters");
    }
}
