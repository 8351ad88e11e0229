package dev.citadel.identity.web;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.token.TokenAuthenticator;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.errors.ProblemWriter;

/**
 * The HTTP security chain: stateless bearer-token authentication, security headers on every
 * response, and a coarse first gate (public endpoints, authenticated API, operator-only actuator
 * and API document, everything else denied). Fine-grained authorisation is the tenancy feature's
 * access check, which every {@code /api} handler goes through.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] PUBLIC_API = {
        "/api/v1/auth/login", "/api/v1/auth/token", "/api/v1/auth/revoke", "/api/v1/auth/jwks",
        "/api/v1/audit/signing-keys",
    };

    /**
     * No Micrometer observation around each security filter, authentication and authorisation: the
     * request itself is observed once ({@code http.server.requests}) and Citadel's decisions are in
     * the audit trail, while per-filter observations cost every request several objects and tag sets
     * (about a tenth of the secured prediction path's CPU; docs/benchmarks.md).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring's strict firewall, with header checks that do not cost a regular expression per header read. */
    @Bean
    static WebSecurityCustomizer headerCharacterFirewall() {
        return web -> web.httpFirewall(HeaderCharacters.firewall());
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, TokenAuthenticator authenticator, AuditLog audit,
            TenantTransactions transactions, ProblemWriter problems) throws Exception {
        http
                .csrf(AbstractHttpConfigurer::disable) // bearer tokens only, no cookies: nothing to forge
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> hardenHeaders(headers,
                        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"))
                .addFilterBefore(new BearerTokenFilter(authenticator, audit, transactions, problems),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(PUBLIC_API).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml")
                        .hasAuthority(Role.PLATFORM_ADMIN.wireName())
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().denyAll())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, ex) -> {
                            recordDenial(audit, transactions, "unauthenticated", request.getRequestURI());
                            problems.write(response, ErrorCode.AUTH_UNAUTHENTICATED,
                                    "Send an access token: Authorization: Bearer <token>.",
                                    Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
                        })
                        .accessDeniedHandler((request, response, ex) -> {
                            recordDenial(audit, transactions, "forbidden", request.getRequestURI());
                            problems.write(response, ErrorCode.ACCESS_DENIED, "You may not do this.", Map.of());
                        }));
        return http.build();
    }

    /** The security headers of every response, API and console alike, with the chain's own CSP. */
    static void hardenHeaders(HeadersConfigurer<HttpSecurity> headers, String contentSecurityPolicy) {
        headers.httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .addHeaderWriter((request, response) -> {
                    response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
                    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
                    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
                });
    }

    private static void recordDenial(AuditLog audit, TenantTransactions transactions, String reason, String uri) {
        String group = uri.startsWith("/actuator") ? "/actuator" : uri.startsWith("/v3/api-docs") ? "/v3/api-docs"
                : uri.startsWith("/api/") ? "/api" : "/other";
        transactions.inPlatform(() -> {
            audit.append(new AuditEvent(TenantId.PLATFORM, Principals.currentActor(), "request.denied", null, null,
                    AuditOutcome.DENIED, new TreeMap<>(Map.of("reason", reason, "path", group))));
        });
    }
}
