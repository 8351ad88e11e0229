package dev.citadel.platform.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Where the current request came from, for audit entries; empty for background work. */
public record RequestMetadata(String requestId, String sourceAddress) {

    public static RequestMetadata current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            return of(servlet.getRequest());
        }
        return new RequestMetadata(RequestIds.current(), null);
    }

    public static RequestMetadata of(HttpServletRequest request) {
        return new RequestMetadata(RequestIds.current(), request.getRemoteAddr());
    }
}
