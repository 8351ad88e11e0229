package dev.citadel.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.config.SecretJacksonModule;
import tools.jackson.databind.json.JsonMapper;

/** A secret never prints, never serialises, and compares in constant time. */
class SecretTest {

    private final JsonMapper json = JsonMapper.builder().addModule(new SecretJacksonModule()).build();

    @Test
    void neverShowsItsValue() {
        Secret secret = Secret.of("hunter2-hunter2");
        assertThat(secret.toString()).isEqualTo("Secret[redacted]");
        assertThat(String.valueOf(Map.of("password", secret))).doesNotContain("hunter2");
    }

    @Test
    void cannotBeWrittenAsJsonButCanBeRead() {
        assertThatThrownBy(() -> json.writeValueAsString(Map.of("password", Secret.of("hunter2-hunter2"))))
                .hasMessageNotContaining("hunter2");
        record Login(Secret password) {}
        assertThat(json.readValue("{\"password\":\"hunter2-hunter2\"}", Login.class).password().reveal())
                .isEqualTo("hunter2-hunter2");
        assertThatThrownBy(() -> json.readValue("{\"password\":12}", Login.class));
        assertThatThrownBy(() -> json.readValue("{\"password\":\"" + "x".repeat(2000) + "\"}", Login.class));
    }

    @Test
    void comparesByValue() {
        assertThat(Secret.of("abc").matches(Secret.of("abc"))).isTrue();
        assertThat(Secret.of("abc").matches(Secret.of("abd"))).isFalse();
        assertThat(Secret.of("abc").matches(null)).isFalse();
    }

    @Test
    void tenantIdsAreSlugsAndThePlatformIdCannotBeSuppliedByClients() {
        assertThat(TenantId.parseOrNull("acme-2")).isEqualTo(new TenantId("acme-2"));
        for (String bad : new String[] {"_platform", "Acme", "a/b", "../x", "", "-x", "x-", "a".repeat(41), "x' or 1=1"}) {
            assertThat(TenantId.parseOrNull(bad)).as(bad).isNull();
        }
    }
}
