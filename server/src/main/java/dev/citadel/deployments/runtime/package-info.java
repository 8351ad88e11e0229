/**
 * Model runtimes: turning validated instances into model inputs exactly as training encoded them,
 * running ONNX artifacts in ONNX Runtime and Tribuo protobuf artifacts in Tribuo, and a
 * memory-bounded LRU cache of loaded models.
 */
@org.springframework.modulith.NamedInterface("runtime")
package dev.citadel.deployments.runtime;
