package dev.citadel.identity.web;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.ConsoleSessions;
import dev.citadel.identity.token.InvalidTokenException;
import dev.citadel.identity.token.TokenAuthenticator;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.web.RequestIds;

/**
 * Authenticates console requests from the access token kept in their HTTP session, through the same
 * {@link TokenAuthenticator} as bearer requests. A token that no longer verifies (expired, revoked,
 * principal disabled) ends the session and is audited; the request continues anonymous and meets the
 * console's sign-in redirect.
 */
final class SessionTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SessionTokenFilter.class);

    private final TokenAuthenticator authenticator;
    private final AuditLog audit;
    private final TenantTransactions transactions;

    SessionTokenFilter(TokenAuthenticator authenticator, AuditLog audit, TenantTransactions transactions) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.transactions = transactions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Optional<String> token = ConsoleSessions.accessToken(session);
        if (token.isPresent()) {
            try {
                var principal = authenticator.authenticate(token.get());
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new CitadelAuthentication(principal));
                SecurityContextHolder.setContext(context);
                org.slf4j.MDC.put(RequestIds.MDC_PRINCIPAL, principal.actor());
            } catch (InvalidTokenException e) {
                log.debug("console session token rejected: {}", e.reason());
                session.invalidate();
                transactions.inPlatform(() -> {
                    audit.append(new AuditEvent(TenantId.PLATFORM, "anonymous", "auth.token_rejected", null, null,
                            AuditOutcome.DENIED, new TreeMap<>(Map.of("reason", e.reason(), "path", "/console"))));
                });
            }
        }
        chain.doFilter(request, response);
    }
}
