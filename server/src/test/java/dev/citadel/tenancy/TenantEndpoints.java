package dev.citadel.tenancy;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.access.SelfService;
import dev.citadel.platform.access.TenantAction;

/** Every {@code /api} endpoint of the running application, read from Spring MVC's handler mappings. */
final class TenantEndpoints {

    /** One endpoint: method, path template, the handler, and its declared tenant action (if any). */
    record Endpoint(String method, String path, Method handler, Action action) {
        @Override
        public String toString() {
            return method + " " + path;
        }

        boolean tenantScoped() {
            return path.contains("{tenant}");
        }

        int declarations() {
            return (handler.isAnnotationPresent(PublicEndpoint.class) ? 1 : 0)
                    + (handler.isAnnotationPresent(SelfService.class) ? 1 : 0)
                    + (handler.isAnnotationPresent(PlatformOperation.class) ? 1 : 0)
                    + (handler.isAnnotationPresent(TenantAction.class) ? 1 : 0);
        }
    }

    private TenantEndpoints() {}

    static List<Endpoint> all(ApplicationContext context) {
        List<Endpoint> endpoints = new ArrayList<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(mapping ->
                mapping.getHandlerMethods().forEach((RequestMappingInfo info, HandlerMethod method) -> {
                    for (String path : info.getPatternValues()) {
                        if (!path.startsWith("/api/")) {
                            continue;
                        }
                        TenantAction action = method.getMethodAnnotation(TenantAction.class);
                        for (var verb : info.getMethodsCondition().getMethods()) {
                            endpoints.add(new Endpoint(verb.name(), path, method.getMethod(),
                                    action == null ? null : action.value()));
                        }
                    }
                }));
        endpoints.sort(Comparator.comparing(Endpoint::toString));
        return endpoints;
    }
}
