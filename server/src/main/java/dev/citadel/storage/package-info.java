/**
 * Blobs: everything a tenant stores outside the metadata database (datasets, models, reports,
 * backups), encrypted with the tenant's own streaming-AEAD keyset before it reaches a disk or an
 * object store, written atomically, and counted against the tenant's storage quota.
 *
 * <p>Security property: no blob is ever stored unencrypted; each is bound by associated data to
 * its tenant, kind, object and version, so a blob copied over another fails to decrypt, and
 * storage keys carry no user-supplied names.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto"})
package dev.citadel.storage;
