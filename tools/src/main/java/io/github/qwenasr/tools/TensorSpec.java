package io.github.qwenasr.tools;

import java.util.Arrays;

/**
 * One tensor of a synthetic checkpoint: its safetensors name, shape, and the distribution its BF16
 * values are drawn from ({@code center + std · u}, u uniform with unit variance; std 0 gives a constant).
 */
public record TensorSpec(String name, long[] shape, double center, double std) {

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape). */
    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Bytes the tensor occupies as BF16. */
    public long bytes() {
        return elements() * 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && Double.compare(t.center, center) == 0 && Double.compare(t.std, std) == 0;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
