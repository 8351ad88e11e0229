package dev.citadel.tenancy.access;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import dev.citadel.platform.access.TenantScope;

/** Hands {@link TenantScope} to handlers; it exists only after the access check passed. */
public final class TenantScopeArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return TenantScope.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Object scope = request == null ? null : request.getAttribute(AccessInterceptor.SCOPE_ATTRIBUTE);
        if (!(scope instanceof TenantScope tenantScope)) {
            throw new IllegalStateException("TenantScope requested by a handler without @TenantAction");
        }
        return tenantScope;
    }
}
