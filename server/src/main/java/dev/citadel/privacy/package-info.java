/**
 * Sensitive-data discovery and protection: detectors that run on every value of every column,
 * the per-column protection actions (tokenize, mask, drop, generalize, reject, keep), and
 * reversible deterministic tokenization with the tenant's own key.
 *
 * <p>Security property: detected direct identifiers are protected by default before anything is
 * stored; tokens are deterministic (joins and training still work) and reversible only through the
 * detokenize permission; findings never carry the values they found.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "audit"})
package dev.citadel.privacy;
