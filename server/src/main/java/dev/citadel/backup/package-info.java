/**
 * Backups and restore: a consistent, encrypted, signed copy of the metadata database and of every
 * blob, written to a backup target (a directory or an S3 bucket) by a platform job, and a restore
 * command that rebuilds an installation into an empty database and object store and verifies every
 * digest, signature and audit chain before declaring success.
 *
 * <p>Security properties: backup files are encrypted with keys wrapped by the installation's KEK
 * (the same passphrase or HSM is needed to restore); each tenant's rows are under a key of their
 * own, deleted from every backup when the tenant's keys are destroyed, so a crypto-shredded tenant
 * stays unrecoverable; the manifest is signed with the platform's audit key; blobs are copied as
 * the ciphertext they already are.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "audit", "crypto", "storage", "registry"})
package dev.citadel.backup;
