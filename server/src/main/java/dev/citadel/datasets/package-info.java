/**
 * Datasets and their versions: streaming CSV and Excel upload, schema inference, validation
 * against declared expectations, sensitive-data protection before anything is stored, encrypted
 * storage of the protected content, and its export.
 *
 * <p>Security property: an upload is parsed, checked and protected in one streaming pass and is
 * stored only encrypted and only after protection — the unprotected original is never written;
 * bad input stores nothing; exported cells cannot inject formulas into a spreadsheet.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage", "audit",
    "privacy"})
package dev.citadel.datasets;
