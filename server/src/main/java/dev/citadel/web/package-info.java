/**
 * The web console: server-rendered pages (Thymeleaf, htmx, uPlot) under {@code /console} over the
 * same feature services and the same tenancy access check as the REST API — no private back doors.
 *
 * <p>Security property: a page is reached only through a console session whose access token verifies
 * on every request, every tenant page passes the one access check (404 to outsiders, 403 to members
 * without the action), every form carries a CSRF token, and every response forbids inline script and
 * style.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "audit", "identity",
    "tenancy", "datasets", "datasets::ingest", "training", "registry", "deployments", "monitoring",
    "monitoring::drift", "compliance", "compliance::reports"})
package dev.citadel.web;
