package dev.citadel.identity.web;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.token.InvalidTokenException;
import dev.citadel.identity.token.TokenAuthenticator;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.errors.ProblemWriter;

/**
 * Authenticates {@code Authorization: Bearer} requests. A token that fails any check ends the
 * request with 401 {@code auth.invalid_token} (one body for every reason) and an audit entry with
 * the reason; requests without a bearer token continue anonymous and meet the authorisation rules.
 * A certificate-bound token (RFC 8705) on a connection without its client certificate ends with 401
 * {@code auth.certificate_mismatch}.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final TokenAuthenticator authenticator;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final ProblemWriter problems;

    BearerTokenFilter(TokenAuthenticator authenticator, AuditLog audit, TenantTransactions transactions,
            ProblemWriter problems) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.transactions = transactions;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            var principal = authenticator.authenticate(header.substring(7).strip(),
                    () -> ClientCertificates.of(request));
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new CitadelAuthentication(principal));
            SecurityContextHolder.setContext(context);
            org.slf4j.MDC.put(dev.citadel.platform.web.RequestIds.MDC_PRINCIPAL, principal.actor());
        } catch (InvalidTokenException e) {
            log.debug("rejected bearer token: {}", e.reason());
            transactions.inPlatform(() -> {
                audit.append(new AuditEvent(TenantId.PLATFORM, "anonymous", "auth.token_rejected", null, null,
                        AuditOutcome.DENIED, new TreeMap<>(Map.of("reason", e.reason(), "path", pathGroup(request)))));
            });
            if (TokenAuthenticator.CERTIFICATE_MISMATCH.equals(e.reason())) {
                problems.write(response, ErrorCode.AUTH_CERTIFICATE_MISMATCH, "The access token is bound to a client "
                        + "certificate (RFC 8705); send it on a connection that presents that certificate.",
                        Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
                return;
            }
            problems.write(response, ErrorCode.AUTH_INVALID_TOKEN, "The access token is invalid, expired or revoked.",
                    Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The first path segments only: enough to see what was probed, no identifiers or names. */
    static String pathGroup(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String[] parts = uri.split("/", 6);
        return parts.length >= 4 ? "/" + parts[1] + "/" + parts[2] + "/" + parts[3] : "/";
    }
}
