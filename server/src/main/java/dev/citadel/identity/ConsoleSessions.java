package dev.citadel.identity;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Service;

import dev.citadel.platform.Secret;

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

    private final SignIn signIn;

    ConsoleSessions(SignIn signIn) {
        this.signIn = signIn;
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
