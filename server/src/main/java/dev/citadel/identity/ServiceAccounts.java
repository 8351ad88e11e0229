package dev.citadel.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.identity.serviceaccount.ServiceAccountRecord;
import dev.citadel.identity.serviceaccount.ServiceAccountRepository;
import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Service-account credentials (OAuth 2.0 client credentials). The client id names the tenant
 * ({@code <tenant>.<random>}) so the token endpoint can look the account up under forced row-level
 * security; the client secret is 256 random bits, shown once and stored as its SHA-256.
 *
 * <p>Callers (the tenancy feature) run these inside the tenant's transaction together with the
 * role grants and the audit entry.
 */
@Service
public class ServiceAccounts {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}[a-z0-9]");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServiceAccountRepository repository;
    private final TenantTransactions transactions;
    private final Clock clock;

    ServiceAccounts(ServiceAccountRepository repository, TenantTransactions transactions, Clock clock) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A service account without its secret. */
    public record ServiceAccountView(UUID id, TenantId tenant, String name, String clientId, boolean disabled,
            Instant createdAt, String createdBy, Instant secretCreatedAt, Instant lastUsedAt, String tlsSubjectDn) {

        public PrincipalId principalId() {
            return PrincipalId.serviceAccount(id);
        }

        static ServiceAccountView of(ServiceAccountRecord r) {
            return new ServiceAccountView(r.id(), r.tenant(), r.name(), r.clientId(), r.disabled(), r.createdAt(),
                    r.createdBy(), r.certificateBound() ? null : r.secretCreatedAt(), r.lastUsedAt(), r.tlsSubjectDn());
        }
    }

    /**
     * Credentials to hand to the caller exactly once; {@code clientSecret} is {@code null} for an
     * account that authenticates with a client certificate.
     */
    public record IssuedCredentials(ServiceAccountView account, Secret clientSecret) {}

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public IssuedCredentials create(TenantId tenant, String name, String createdBy) {
        return create(tenant, name, createdBy, null);
    }

    /**
     * Creates an account. With {@code tlsSubjectDn} (RFC 8705 §2.1 {@code tls_client_auth}) it
     * authenticates only with a client certificate of that subject issued by a configured client CA:
     * it gets no usable secret (the stored hash is of 256 random bits nobody sees) and every token it
     * obtains is bound to the certificate.
     */
    public IssuedCredentials create(TenantId tenant, String name, String createdBy, String tlsSubjectDn) {
        if (!isValidName(name)) {
            throw CitadelException.invalid("name", "must be 3-64 lower-case letters, digits or '-'");
        }
        String subjectDn = tlsSubjectDn == null ? null : canonicalSubjectDn(tlsSubjectDn);
        Secret secret = newSecret();
        Instant now = clock.instant();
        ServiceAccountRecord record = new ServiceAccountRecord(UUID.randomUUID(), tenant, name,
                tenant.value() + "." + randomToken(16), SignIn.sha256(secret), now, false, 0, now, createdBy, null,
                subjectDn);
        return transactions.inTenant(tenant, () -> {
            if (repository.findByName(tenant, name).isPresent()) {
                throw alreadyExists();
            }
            try {
                repository.insert(record);
            } catch (DuplicateKeyException raced) {
                throw alreadyExists();
            }
            return new IssuedCredentials(ServiceAccountView.of(record), subjectDn == null ? secret : null);
        });
    }

    /**
     * The subject DN in RFC 2253 form; 400 unless it parses as a distinguished name (RFC 4514) with
     * at least one attribute.
     */
    static String canonicalSubjectDn(String subjectDn) {
        if (subjectDn.isBlank() || subjectDn.length() > 512) {
            throw CitadelException.invalid("tlsClientAuth.subjectDn", "must be a distinguished name of at most 512 characters");
        }
        try {
            String name = new javax.security.auth.x500.X500Principal(subjectDn)
                    .getName(javax.security.auth.x500.X500Principal.RFC2253);
            if (name.isEmpty()) {
                throw CitadelException.invalid("tlsClientAuth.subjectDn", "must name at least one attribute");
            }
            return name;
        } catch (IllegalArgumentException e) {
            throw CitadelException.invalid("tlsClientAuth.subjectDn", "is not a distinguished name (RFC 4514), e.g. CN=app,O=Example");
        }
    }

    public Optional<ServiceAccountView> find(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> repository.findByName(tenant, name).map(ServiceAccountView::of));
    }

    public Optional<ServiceAccountView> find(TenantId tenant, UUID id) {
        return transactions.inTenant(tenant, () -> repository.findById(tenant, id).map(ServiceAccountView::of));
    }

    public List<ServiceAccountView> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.list(tenant).stream().map(ServiceAccountView::of).toList());
    }

    /** Replaces the secret; tokens obtained with the old one stop working. */
    public IssuedCredentials rotateSecret(TenantId tenant, String name) {
        Secret secret = newSecret();
        return transactions.inTenant(tenant, () -> {
            ServiceAccountRecord record = repository.findByName(tenant, name).orElseThrow(ServiceAccounts::notFound);
            if (record.certificateBound()) {
                throw new CitadelException(ErrorCode.REQUEST_CONFLICT,
                        "This service account authenticates with its client certificate and has no secret to rotate.");
            }
            repository.updateSecret(tenant, record.id(), SignIn.sha256(secret), clock.instant());
            return new IssuedCredentials(ServiceAccountView.of(repository.findById(tenant, record.id()).orElseThrow()),
                    secret);
        });
    }

    /**
     * Switches the account to (or to another subject of) RFC 8705 {@code tls_client_auth}: from now
     * on it authenticates only with a client certificate of {@code subjectDn}; its secret stops
     * working, and so does every token issued before (a bound token of the previous subject too).
     */
    public ServiceAccountView bindCertificate(TenantId tenant, String name, String subjectDn) {
        String canonical = canonicalSubjectDn(subjectDn);
        return transactions.inTenant(tenant, () -> {
            ServiceAccountRecord record = repository.findByName(tenant, name).orElseThrow(ServiceAccounts::notFound);
            repository.bindCertificate(tenant, record.id(), canonical, SignIn.sha256(newSecret()));
            return ServiceAccountView.of(repository.findById(tenant, record.id()).orElseThrow());
        });
    }

    /** Disables the account; its live tokens stop working at once. */
    public ServiceAccountView disable(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> {
            ServiceAccountRecord record = repository.findByName(tenant, name).orElseThrow(ServiceAccounts::notFound);
            repository.disable(tenant, record.id());
            return ServiceAccountView.of(repository.findById(tenant, record.id()).orElseThrow());
        });
    }

    private static Secret newSecret() {
        return Secret.of("cs_" + randomToken(32));
    }

    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static CitadelException notFound() {
        return new CitadelException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No such service account in this tenant.");
    }

    private static CitadelException alreadyExists() {
        return new CitadelException(ErrorCode.SERVICE_ACCOUNT_ALREADY_EXISTS,
                "A service account with this name already exists in this tenant.");
    }
}
