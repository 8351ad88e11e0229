package dev.citadel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.codec.binary.Base32;

import dev.citadel.crypto.Totp;

/**
 * Builds tenants, users and tokens through the public API, the way a tenant admin would. Two
 * tenants with members in every role take one line: {@code fx.tenantWithAllRoles()}.
 */
public final class Fixtures {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static Fixtures shared;

    private Api api;
    private TestClock clock;
    private final Map<String, CachedToken> tokens = new HashMap<>();
    private final Map<String, String> totpSecrets = new HashMap<>();

    private Fixtures(Api api, TestClock clock) {
        this.api = api;
        this.clock = clock;
    }

    static synchronized Fixtures shared(Api api, TestClock clock) {
        if (shared == null || !shared.api.base().equals(api.base()) || shared.clock != clock) {
            shared = new Fixtures(api, clock);
        }
        return shared;
    }

    /**
     * Fixtures for a server a scenario started itself, whose bootstrap administrator has the shared
     * suite's credentials ({@link IntegrationTest#ADMIN_USER} and the rest).
     */
    public static Fixtures forServer(Api api, TestClock clock) {
        return new Fixtures(api, clock);
    }

    /** A user created by the fixtures. */
    public record User(String username, String password) {}

    /** A tenant whose members hold each tenant role (admin with TOTP), keyed by role name. */
    public record RoleTenant(String id, Map<String, User> members) {

        public User member(String role) {
            return members.get(role);
        }
    }

    private record CachedToken(String value, Instant expiresAt) {}

    public static String unique(String prefix) {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return (prefix + "-" + SEQUENCE.incrementAndGet() + "-" + new Base32().encodeAsString(random).replace("=", ""))
                .toLowerCase(Locale.ROOT);
    }

    public String adminToken() {
        return token(new User(IntegrationTest.ADMIN_USER, IntegrationTest.ADMIN_PASSWORD), IntegrationTest.ADMIN_TOTP_SECRET);
    }

    public String createTenant(String prefix) {
        String id = unique(prefix);
        Api.Response response = api.post("/api/v1/tenants", adminToken(),
                Api.json("id", id, "name", "Tenant " + id, "region", "eu-west-1"));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return id;
    }

    public User createUser(String prefix) {
        User user = new User(unique(prefix), "Correct-Horse-Battery-" + SEQUENCE.incrementAndGet() + "-Staple");
        Api.Response response = api.post("/api/v1/users", adminToken(),
                Api.json("username", user.username(), "password", user.password()));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return user;
    }

    public void grant(String tenant, User user, String... roles) {
        Api.Response response = api.put("/api/v1/tenants/" + tenant + "/members/" + user.username(), adminToken(),
                Api.json("roles", Arrays.asList(roles)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** A new user with {@code roles} in {@code tenant}; TOTP is enrolled when a role needs MFA. */
    public User member(String tenant, String... roles) {
        User user = createUser(String.join("-", roles).replace("tenant-", "t").replace("data-", "d")
                .replace("ml-", "ml"));
        grant(tenant, user, roles);
        if (Arrays.asList(roles).contains("tenant-admin")) {
            enrolTotp(user);
        }
        return user;
    }

    public RoleTenant tenantWithAllRoles(String prefix) {
        String id = createTenant(prefix);
        Map<String, User> members = new HashMap<>();
        for (String role : List.of("tenant-admin", "data-steward", "data-scientist", "ml-engineer", "predictor", "viewer",
                "auditor")) {
            members.put(role, member(id, role));
        }
        return new RoleTenant(id, Map.copyOf(members));
    }

    /** Enrols TOTP for {@code user} through the API and remembers the secret. */
    public String enrolTotp(User user) {
        String passwordOnly = login(user, null).json().path("access_token").asString();
        Api.Response started = api.post("/api/v1/users/me/totp", passwordOnly, "{}");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String secret = started.json().path("secret").asString();
        Api.Response confirmed = api.post("/api/v1/users/me/totp/confirmation", passwordOnly,
                Api.json("code", currentCode(secret)));
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
        totpSecrets.put(user.username(), secret);
        tokens.remove(user.username());
        return secret;
    }

    /** A live access token for the user (signing in again when the cached one is near expiry). */
    public String token(User user) {
        return token(user, totpSecrets.get(user.username()));
    }

    private synchronized String token(User user, String totpSecret) {
        CachedToken cached = tokens.get(user.username());
        if (cached != null && cached.expiresAt().isAfter(clock.instant().plusSeconds(60))) {
            return cached.value();
        }
        Api.Response response = login(user, totpSecret);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        String value = response.json().path("access_token").asString();
        tokens.put(user.username(), new CachedToken(value,
                clock.instant().plusSeconds(response.json().path("expires_in").asLong())));
        return value;
    }

    /** Signs in; with a TOTP secret the clock first moves to a fresh 30-second step (codes work once). */
    public Api.Response login(User user, String totpSecret) {
        String code = null;
        if (totpSecret != null) {
            clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
            code = currentCode(totpSecret);
        }
        Map<String, Object> body = new HashMap<>(Map.of("username", user.username(), "password", user.password()));
        if (code != null) {
            body.put("totp", code);
        }
        return api.post("/api/v1/auth/login", null, body);
    }

    public String currentCode(String secret) {
        return Totp.code(Totp.decodeSecret(secret), Totp.step(clock.instant()));
    }

    public String totpSecretOf(User user) {
        return totpSecrets.get(user.username());
    }

    /** Forgets cached tokens (after a test invalidates them). */
    public void forget(User user) {
        tokens.remove(user.username());
    }
}
