package dev.citadel.platform.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the action a tenant-scoped endpoint performs. The tenancy feature's access check
 * resolves the {@code {tenant}} path variable, answers 404 to non-members and 403 to members whose
 * roles lack the action, and hands the handler a {@link TenantScope}. A handler under {@code /api}
 * with no access annotation is denied.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TenantAction {
    Action value();
}
