package dev.citadel.deployments.runtime;

/**
 * One instance as the model takes it: the non-zero inputs by name (for Tribuo models) and the dense
 * vector in the artifact's order (for ONNX models).
 */
public record EncodedInstance(String[] names, double[] values, float[] dense) {}
