package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.citadel.CitadelApplication;
import dev.citadel.crypto.Totp;
import dev.citadel.support.Api;
import dev.citadel.support.TestClock;

/**
 * A whole Citadel started (and restarted) by a scenario with properties of its own, on a random
 * HTTPS port, with a test clock so each sign-in gets a fresh TOTP step.
 */
final class ScenarioServer {

    static final TestClock CLOCK = new TestClock();

    private ScenarioServer() {}

    static ConfigurableApplicationContext start(Map<String, String> properties) {
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CitadelApplication.class, ClockConfig.class).run(arguments);
    }

    /** A client trusting the certificate the server generated in {@code dataDir}. */
    static Api api(ConfigurableApplicationContext context, Path dataDir) {
        return new Api(URI.create("https://localhost:" + context.getEnvironment().getProperty("local.server.port")),
                dataDir.resolve("tls/server.crt"));
    }

    /** Signs in with password and the next TOTP code; returns the access token. */
    static String login(Api api, String username, String password, String totpSecret) {
        CLOCK.advance(Duration.ofSeconds(30));
        String code = Totp.code(Totp.decodeSecret(totpSecret), Totp.step(CLOCK.instant()));
        Api.Response response = api.post("/api/v1/auth/login", null,
                Api.json("username", username, "password", password, "totp", code));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().path("access_token").asString();
    }

    /** A test configuration, so component scanning of the shared test context leaves it out. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ClockConfig {
        @Bean
        @Primary
        TestClock scenarioClock() {
            return CLOCK;
        }
    }
}
