/**
 * Offline verification of Citadel's audit trail: RFC 6962 / RFC 9162 Merkle tree hashing and
 * proofs, the canonical entry form and signed checkpoints, the streaming chain verifier, the export
 * file format ({@link dev.citadel.auditverifier.AuditExport}) and the {@code verify-audit} command
 * ({@link dev.citadel.auditverifier.Main}).
 *
 * <p>Security property: the server and the standalone verifier run the same small code, which an
 * auditor can read whole. Besides the JDK (SHA-256 and Ed25519 from {@code java.security}) it
 * depends only on Jackson, for JSON: entries are hashed in a canonical JSON form and exported as
 * JSON Lines, and a JSON parser is not something to write by hand (ADR 0023).
 */
package dev.citadel.auditverifier;
