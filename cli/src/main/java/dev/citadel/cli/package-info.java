/**
 * The {@code citadel} command-line client: every command is a call to the public REST API over
 * HTTPS, with the server's certificate pinned or verified against a given CA, and the session kept
 * in a file only its owner can read (ADR 0028). It verifies exported models and the audit trail
 * offline with the tenant's and the platform's public keys.
 */
package dev.citadel.cli;
