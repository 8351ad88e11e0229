package dev.citadel.tenancy.access;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.access.SelfService;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.TenantAccess;

/**
 * Runs the access check before every {@code /api} handler, from the handler's declaration. Deny by
 * default: a handler with no declaration, or more than one, is refused (and logged as a bug).
 */
public final class AccessInterceptor implements HandlerInterceptor {

    static final String SCOPE_ATTRIBUTE = AccessInterceptor.class.getName() + ".scope";
    private static final Logger log = LoggerFactory.getLogger(AccessInterceptor.class);

    private final TenantAccess access;

    public AccessInterceptor(TenantAccess access) {
        this.access = access;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        PublicEndpoint open = method.getMethodAnnotation(PublicEndpoint.class);
        SelfService self = method.getMethodAnnotation(SelfService.class);
        PlatformOperation platform = method.getMethodAnnotation(PlatformOperation.class);
        TenantAction tenant = method.getMethodAnnotation(TenantAction.class);
        int declarations = (open != null ? 1 : 0) + (self != null ? 1 : 0) + (platform != null ? 1 : 0) + (tenant != null ? 1 : 0);
        if (declarations != 1) {
            log.error("Handler {} has {} access declarations; refusing (deny by default)", method.getShortLogMessage(),
                    declarations);
            throw new CitadelException(ErrorCode.ACCESS_DENIED, "Access denied.");
        }
        if (open != null) {
            return true;
        }
        CitadelPrincipal principal = Principals.current()
                .orElseThrow(() -> new CitadelException(ErrorCode.AUTH_UNAUTHENTICATED, "Authentication required."));
        if (platform != null) {
            access.authorizePlatform(principal, platform.value());
        } else if (tenant != null) {
            String slug = tenantVariable(request);
            TenantScope scope = access.authorize(principal, slug, tenant.value());
            request.setAttribute(SCOPE_ATTRIBUTE, scope);
            org.slf4j.MDC.put(dev.citadel.platform.web.RequestIds.MDC_TENANT, scope.tenant().value());
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static String tenantVariable(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String slug = variables instanceof Map<?, ?> map ? (String) ((Map<String, String>) map).get("tenant") : null;
        if (slug == null) {
            log.error("Tenant action on a path without {tenant}: {}", request.getRequestURI());
            throw new CitadelException(ErrorCode.ACCESS_DENIED, "Access denied.");
        }
        return slug;
    }
}
