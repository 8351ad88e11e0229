package dev.citadel.tenancy.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.tenancy.Members;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Service accounts: applications that call the API with client credentials. */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/service-accounts")
@Tag(name = "Service accounts")
class ServiceAccountsController {

    private final Members members;

    ServiceAccountsController(Members members) {
        this.members = members;
    }

    record CreateServiceAccountRequest(
            @NotBlank @Size(max = 64) String name,
            @NotNull @Size(min = 1, max = 7) List<@NotNull @Size(max = 32) String> roles,
            @Valid TlsClientAuthRequest tlsClientAuth) {}

    /** RFC 8705 §2.1 {@code tls_client_auth}: the subject DN of the account's client certificate. */
    record TlsClientAuthRequest(@NotBlank @Size(max = 512) String subjectDn) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    @Operation(summary = "Create a service account",
            description = "Answers clientId and clientSecret; the secret is shown only here and stored hashed. "
                    + "With tlsClientAuth.subjectDn the account has no secret: it authenticates at the token endpoint "
                    + "with a client certificate of that subject (mutual TLS, RFC 8705), and its tokens are bound "
                    + "to that certificate.")
    Members.ServiceAccountView create(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @Valid @RequestBody CreateServiceAccountRequest request) {
        return members.createServiceAccount(scope, request.name(), Members.parseRoles(request.roles()),
                request.tlsClientAuth() == null ? null : new Members.TlsClientAuth(request.tlsClientAuth().subjectDn()));
    }

    @GetMapping
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    @Operation(summary = "List the tenant's service accounts")
    List<Members.ServiceAccountView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return members.listServiceAccounts(scope);
    }

    @GetMapping("/{name}")
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    @Operation(summary = "Show a service account")
    Members.ServiceAccountView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return members.showServiceAccount(scope, name);
    }

    @PostMapping("/{name}/secret-rotation")
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    @Operation(summary = "Rotate the client secret",
            description = "Answers the new secret once; the old secret and tokens obtained with it stop working.")
    Members.ServiceAccountView rotate(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return members.rotateServiceAccountSecret(scope, name);
    }

    @PutMapping("/{name}/tls-client-auth")
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    @Operation(summary = "Require a client certificate (mutual TLS) for a service account",
            description = "From now on the account authenticates at the token endpoint only with a TLS client "
                    + "certificate of this subject (RFC 8705 tls_client_auth) and gets only certificate-bound tokens. "
                    + "Its secret and every token issued before stop working at once. Also changes the subject of an "
                    + "account that already has one.")
    Members.ServiceAccountView bindCertificate(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody TlsClientAuthRequest request) {
        return members.bindServiceAccountCertificate(scope, name, new Members.TlsClientAuth(request.subjectDn()));
    }

    @PostMapping("/{name}/disablement")
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    @Operation(summary = "Disable a service account", description = "Its live tokens stop working at once.")
    Members.ServiceAccountView disable(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return members.disableServiceAccount(scope, name);
    }
}
