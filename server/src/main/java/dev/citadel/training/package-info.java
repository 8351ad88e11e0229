/**
 * Training: jobs that train a model on a stored (protected) dataset version with Tribuo — logistic
 * regression, linear regression and XGBoost gradient-boosted trees — evaluate it on a held-out
 * split, and register the result, signed, in the model registry with its lineage.
 *
 * <p>Security property: training reads only the protected content of a dataset version (the raw
 * upload was never stored); a version that still holds identifiers kept unprotected trains only
 * with an explicit, audited {@code allowSensitive} from a data steward; artifacts are written only
 * in safe formats (ONNX or Tribuo's protobuf format), never with Java serialization. A job with a
 * {@code privacy} request trains with DP-SGD under an (ε, δ) guarantee recorded in the signed
 * lineage, and is refused before it runs when its dataset version's privacy budget would be
 * exceeded (ADR 0031).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage", "audit",
    "datasets", "datasets::ingest", "registry", "tenancy"})
package dev.citadel.training;
