/**
 * Offline verification of Citadel's audit trail: RFC 6962 / RFC 9162 Merkle tree hashing and the
 * inclusion and consistency proofs that the trail's signed checkpoints are checked with.
 *
 * <p>Security property: depends on nothing but the JDK (SHA-256 from {@code java.security}), so
 * the server and the standalone verifier run the same small code, which an auditor can read whole
 * (ADR 0023).
 */
package dev.citadel.auditverifier;
