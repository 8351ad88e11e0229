package dev.citadel.platform.web;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.citadel.platform.config.CitadelProperties;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.errors.ProblemWriter;

/**
 * A {@code worker} process ({@code citadel.role=worker}) answers only the actuator (health probes
 * and metrics); every other path is 404 before authentication, so no request is ever handled in a
 * heap that trains models, and a load balancer pointed at a worker by mistake gets nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class WorkerRoleFilter extends OncePerRequestFilter {

    private final boolean worker;
    private final ProblemWriter problems;

    WorkerRoleFilter(CitadelProperties properties, ProblemWriter problems) {
        this.worker = !properties.role().servesApi();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !worker || path.equals("/actuator") || path.startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        problems.write(response, ErrorCode.REQUEST_NOT_FOUND,
                "This Citadel process is a worker (citadel.role=worker): it serves no API.", Map.of());
    }
}
