/**
 * The import scanner: before an uploaded model file is stored, it is parsed as an ONNX protobuf and
 * checked against an allow-list, never against a deny-list of known-bad content.
 *
 * <p>Security property: a file passes only if it parses completely as an ONNX {@code ModelProto}
 * with no fields outside the schema, keeps all its tensor data inside the file (no external data, so
 * nothing on the server's file system is ever named or read), uses operators only from the standard
 * domains {@code ai.onnx} and {@code ai.onnx.ml} (no custom domains, no model-local functions) and
 * stays within the configured size, node-count and nesting limits. Pickle, joblib, PyTorch,
 * Java-serialized and zip files are refused by their first bytes, and nothing in them is ever
 * deserialized or extracted. Scanning reads only the bytes it is given.
 */
package dev.citadel.registry.scan;
