package dev.citadel.deployments.runtime;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * An ONNX artifact in ONNX Runtime: one 2-D float input fed with the dense vectors; the first
 * output read as class scores (one column per label) or as a number per instance.
 */
final class OnnxModel implements LoadedModel {

    private final OrtSession session;
    private final String input;
    private final List<String> labels;
    private final long weight;

    OnnxModel(byte[] artifact, List<String> labels, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = OrtEnvironment.getEnvironment().createSession(artifact, options);
        }
        this.input = session.getInputNames().iterator().next();
        this.labels = labels;
        this.weight = 2L * artifact.length + 64 * 1024;
    }

    @Override
    public List<Prediction> predict(List<EncodedInstance> instances) {
        int width = instances.get(0).dense().length;
        FloatBuffer buffer = FloatBuffer.allocate(instances.size() * width);
        for (EncodedInstance instance : instances) {
            buffer.put(instance.dense());
        }
        buffer.flip();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {instances.size(), width});
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            OnnxValue first = result.get(0);
            Object value = first.getValue();
            List<Prediction> predictions = new ArrayList<>(instances.size());
            if (value instanceof float[][] rows) {
                for (float[] row : rows) {
                    predictions.add(labels != null && !labels.isEmpty() && row.length == labels.size() ? scores(row)
                            : new Prediction(null, null, (double) row[0]));
                }
            } else if (value instanceof float[] column) {
                for (float v : column) {
                    predictions.add(new Prediction(null, null, (double) v));
                }
            } else if (value instanceof long[] classes && labels != null) {
                for (long c : classes) {
                    predictions.add(new Prediction(c >= 0 && c < labels.size() ? labels.get((int) c) : Long.toString(c),
                            null, null));
                }
            } else {
                throw new IllegalStateException("unsupported ONNX output " + first.getInfo());
            }
            return predictions;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX inference failed", e);
        }
    }

    private Prediction scores(float[] row) {
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < row.length; i++) {
            scores.put(labels.get(i), (double) row[i]);
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return new Prediction(labels.get(best), scores, null);
    }

    @Override
    public long weightBytes() {
        return weight;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing releases native memory; nothing useful to do on failure
        }
    }
}
