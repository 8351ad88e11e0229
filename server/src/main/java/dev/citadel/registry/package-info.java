/**
 * The model registry: models and their immutable versions, each with an artifact in a safe format
 * (ONNX, or Tribuo's protobuf format — never Java serialization), a signed manifest (artifact
 * digest, input schema, privacy transforms, metrics, lineage), a stage, and a four-eyes approval;
 * and the import of externally trained ONNX models behind an allow-list scanner.
 *
 * <p>Security property: a model is only ever loaded after its manifest's Ed25519 signature (the
 * tenant's signing keyset) and its artifact's SHA-256 both verify; a version is approved only by a
 * principal other than the one who trained or imported it; imported bytes are stored only after the
 * scanner has proven them to be a well-formed ONNX model within limits with standard operators.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage", "audit"})
package dev.citadel.registry;
