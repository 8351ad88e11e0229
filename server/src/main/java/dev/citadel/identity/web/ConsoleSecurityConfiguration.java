package dev.citadel.identity.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.token.TokenAuthenticator;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;

/**
 * The web console's security chain, in front of the API chain and separate from it: the console is
 * the only part of Citadel with cookies, so it alone has sessions, CSRF protection and a sign-in
 * page. A session holds only the access token ({@link dev.citadel.identity.ConsoleSessions}); every
 * request is authenticated from it by the same token check as the API, and authorised by the same
 * tenancy access check. Responses carry a strict Content-Security-Policy: scripts and styles only
 * from Citadel itself, nothing inline.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    static final String LOGIN_PAGE = "/console/login";

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            + "form-action 'self'";

    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http, TokenAuthenticator authenticator, AuditLog audit,
            TenantTransactions transactions) throws Exception {
        http
                .securityMatcher("/console", "/console/**", "/webjars/**")
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable) // the console's own page signs in through ConsoleSessions
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                // the security context is rebuilt from the session's token on every request, never stored
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                // no session-management filter: it would treat every request as a fresh sign-in (the context is
                // not stored) and change the session id and CSRF token each time; ConsoleSessions rotates the
                // session once, at sign-in
                .sessionManagement(AbstractHttpConfigurer::disable)
                .csrf(csrf -> csrf.csrfTokenRepository(new HttpSessionCsrfTokenRepository()))
                .headers(headers -> SecurityConfiguration.hardenHeaders(headers, CONTENT_SECURITY_POLICY))
                .addFilterBefore(new SessionTokenFilter(authenticator, audit, transactions),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(LOGIN_PAGE, LOGIN_PAGE + "/oidc/*", LOGIN_PAGE + "/oidc/*/callback",
                                "/console/assets/**", "/webjars/**").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, ex) -> toLogin(request, response))
                        .accessDeniedHandler((request, response, ex) -> {
                            recordDenial(audit, transactions);
                            refuse(response);
                        }));
        return http.build();
    }

    /** Unauthenticated: to the sign-in page (htmx requests are told to navigate there). */
    private static void toLogin(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
        if ("true".equals(request.getHeader("HX-Request"))) {
            response.setHeader("HX-Redirect", LOGIN_PAGE);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        response.sendRedirect(LOGIN_PAGE);
    }

    /** A request without a valid CSRF token (the only denial this chain makes for signed-in users). */
    private static void refuse(HttpServletResponse response) throws java.io.IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/html; charset=utf-8");
        response.getOutputStream().write(("<!DOCTYPE html><html lang=\"en\"><head><title>Refused - Citadel</title>"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head><body><main id=\"main\">"
                + "<h1>Request refused</h1><p>The form was missing its security token or it had expired. "
                + "Go back, reload the page and try again.</p><p><a href=\"/console\">Console home</a></p>"
                + "</main></body></html>").getBytes(StandardCharsets.UTF_8));
    }

    private static void recordDenial(AuditLog audit, TenantTransactions transactions) {
        transactions.inPlatform(() -> {
            audit.append(new AuditEvent(TenantId.PLATFORM, Principals.currentActor(), "request.denied", null, null,
                    AuditOutcome.DENIED, new TreeMap<>(Map.of("reason", "csrf", "path", "/console"))));
        });
    }
}
