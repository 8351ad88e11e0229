package dev.citadel.identity;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Service;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.oidc.OidcLogin;
import dev.citadel.identity.token.InvalidTokenException;
import dev.citadel.identity.token.TokenAuthenticator;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Sign-in for the web console: the same password + TOTP sign-in as {@code POST /api/v1/auth/login}
 * ({@link SignIn}, with its throttling and audit), but the access token stays in the server-side
 * HTTP session and never reaches the browser.
 *
 * <p>Security guarantees: a successful sign-in discards the previous session and starts a new one
 * (no session fixation); the session holds only the access token string, which authenticates every
 * console request through the same token verification as the API, so expiry, revocation and a
 * disabled account end the session at once. The refresh token is revoked straight away: a console
 * session ends when its access token does. Signing out revokes the access token and invalidates the
 * session.
 */
@Service
public class ConsoleSessions {

    private static final String TOKEN = ConsoleSessions.class.getName() + ".token";
    private static final String PENDING = ConsoleSessions.class.getName() + ".oidc";

    private final SignIn signIn;
    private final OidcLogin oidc;
    private final TokenAuthenticator authenticator;
    private final AuditLog audit;
    private final TenantTransactions transactions;

    ConsoleSessions(SignIn signIn, OidcLogin oidc, TokenAuthenticator authenticator, AuditLog audit,
            TenantTransactions transactions) {
        this.signIn = signIn;
        this.oidc = oidc;
        this.authenticator = authenticator;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** Signs in and binds the new token to a fresh session; throws what {@link SignIn#login} throws. */
    public void signIn(HttpServletRequest request, String username, Secret password, String totp) {
        TokenResponse tokens = signIn.login(username, password, totp, request.getRemoteAddr());
        if (tokens.refreshToken() != null) {
            signIn.revoke(Secret.of(tokens.refreshToken()));
        }
        HttpSession previous = request.getSession(false);
        if (previous != null) {
            previous.invalidate();
        }
        request.getSession(true).setAttribute(TOKEN, tokens.accessToken());
    }

    /** An external provider the sign-in page offers, and its button's label. */
    public record Provider(String name, String label) {}

    /** The external providers offering console sign-in, in configuration order. */
    public List<Provider> oidcProviders() {
        return oidc.options().stream().map(o -> new Provider(o.name(), o.label())).toList();
    }

    /**
     * Starts signing in with {@code provider}: remembers state, nonce and PKCE verifier in the
     * (pre-sign-in) session, replacing any earlier attempt, and returns the provider's
     * authorization URL. Unknown providers are not found; an unreachable one is refused.
     */
    public URI beginOidc(HttpServletRequest request, String provider) {
        OidcLogin.Option option = oidc.option(provider)
                .orElseThrow(() -> new CitadelException(ErrorCode.REQUEST_NOT_FOUND, "No such sign-in provider."));
        URI callback = ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null)
                .path("/console/login/oidc/{provider}/callback").buildAndExpand(option.name()).toUri();
        try {
            OidcLogin.Start start = oidc.start(option.name(), callback);
            request.getSession(true).setAttribute(PENDING, start.pending().encode());
            return start.authorizationUrl();
        } catch (OidcLogin.Refused e) {
            throw refused(option, e.reason());
        }
    }

    /**
     * Completes signing in with {@code provider} from its callback's parameters; on success the
     * session is replaced by a fresh one holding the provider's access token. Every refusal throws
     * a {@link CitadelException} whose detail is fit for the sign-in page.
     */
    public void completeOidc(HttpServletRequest request, String provider, String state, String code, String error) {
        OidcLogin.Option option = oidc.option(provider)
                .orElseThrow(() -> new CitadelException(ErrorCode.REQUEST_NOT_FOUND, "No such sign-in provider."));
        HttpSession previous = request.getSession(false);
        OidcLogin.Pending pending = previous == null ? null
                : OidcLogin.Pending.decode(previous.getAttribute(PENDING)).orElse(null);
        if (previous != null) {
            previous.removeAttribute(PENDING); // one callback per started sign-in, whatever happens next
        }
        if (pending == null || !pending.provider().equals(option.name())) {
            throw refused(option, "no_pending");
        }
        if (error != null) {
            throw refused(option, "access_denied".equals(error) ? "denied" : "provider_error");
        }
        OidcLogin.Tokens tokens;
        CitadelPrincipal principal;
        try {
            tokens = oidc.finish(pending, state, code);
        } catch (OidcLogin.Refused e) {
            throw refused(option, e.reason());
        }
        try {
            principal = authenticator.authenticate(tokens.accessToken());
        } catch (InvalidTokenException e) {
            throw refused(option, "access_token_" + e.reason());
        }
        previous.invalidate();
        request.getSession(true).setAttribute(TOKEN, tokens.accessToken());
        transactions.inPlatform(() -> {
            audit.append(new AuditEvent(TenantId.PLATFORM, principal.actor(), "auth.login", "principal",
                    principal.id().value().toString(), AuditOutcome.SUCCESS, new TreeMap<>(Map.of("method", "oidc",
                            "provider", option.name(), "mfa", Boolean.toString(principal.mfa())))));
        });
    }

    /** Audits a refused provider sign-in and says why, in words for the sign-in page. */
    private CitadelException refused(OidcLogin.Option option, String reason) {
        transactions.inPlatform(() -> {
            audit.append(new AuditEvent(TenantId.PLATFORM, "anonymous", "auth.login", null, null, AuditOutcome.FAILURE,
                    new TreeMap<>(Map.of("method", "oidc", "provider", option.name(), "reason", reason))));
        });
        String who = option.label();
        String detail = switch (reason) {
            case "denied" -> "Sign-in was cancelled at " + who + ".";
            case "no_pending", "state", "expired" -> "This sign-in attempt expired or was not started in this browser. "
                    + "Start again.";
            case "provider_unavailable" -> who + " cannot be reached right now. Try again later.";
            default -> reason.startsWith("access_token_")
                    ? "Your " + who + " account cannot be used to sign in to Citadel. Ask your administrator."
                    : who + " did not complete the sign-in. Start again, or ask your administrator.";
        };
        return new CitadelException(ErrorCode.AUTH_INVALID_CREDENTIALS, detail);
    }

    /** Revokes the session's token and invalidates the session; harmless without one. */
    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        accessToken(session).ifPresent(token -> signIn.revoke(Secret.of(token)));
        session.invalidate();
    }

    /** The access token bound to a console session, if any. */
    public static Optional<String> accessToken(HttpSession session) {
        return session != null && session.getAttribute(TOKEN) instanceof String token ? Optional.of(token)
                : Optional.empty();
    }
}
