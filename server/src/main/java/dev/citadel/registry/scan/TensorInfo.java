package dev.citadel.registry.scan;

import java.util.List;
import java.util.Objects;

/**
 * One input or output of an accepted model.
 *
 * @param name        the name as written in the model, which callers must use to feed or read it
 * @param elementType the ONNX element type in lower case ({@code float}, {@code double}, {@code int64},
 *                    {@code string}, …); {@code unknown} when the model does not say; a non-tensor
 *                    value is described by its structure, such as {@code sequence<map<int64,float>>}
 * @param shape       one entry per dimension, {@code -1} for a symbolic or unknown dimension; empty for
 *                    a scalar, a tensor of unknown rank and a non-tensor value
 */
public record TensorInfo(String name, String elementType, List<Long> shape) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = List.copyOf(shape);
    }
}
