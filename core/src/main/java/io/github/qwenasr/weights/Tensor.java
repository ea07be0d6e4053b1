package io.github.qwenasr.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a checkpoint: a read-only view of the memory-mapped file, never copied.
 *
 * @param name  tensor name as stored
 * @param dtype element type
 * @param shape dimensions, row-major (last index fastest)
 * @param data  the tensor's bytes inside the mapped file
 * @param file  file name it came from (for error messages)
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data, String file) {
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Number of elements. */
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Rows of a 2-D view: every dimension but the last. */
    public int rows() {
        long r = numel() / cols();
        return Math.toIntExact(r);
    }

    /** Last dimension. */
    public int cols() {
        return shape.length == 0 ? 1 : Math.toIntExact(shape[shape.length - 1]);
    }

    /** Element i widened to float (bf16 widening is exact: docs/model.md 8.5). */
    public float get(long i) {
        return switch (dtype) {
            case BF16 -> Float.intBitsToFloat((data.get(SHORT_LE, i * 2) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(data.get(SHORT_LE, i * 2));
            case F32 -> data.get(FLOAT_LE, i * 4);
        };
    }

    /** Elements moved per bulk copy when widening 16-bit types. */
    private static final int CHUNK = 4096;

    /**
     * Copies elements [from, from+n) widened to float into dst[dstOff...]. 16-bit types are
     * first bulk-copied into a short[] and widened from there: one segment access per element
     * costs a cold JVM far more (load-time packing of the conv weights runs before the JIT has
     * compiled the access path).
     */
    public void copyTo(long from, float[] dst, int dstOff, int n) {
        if (dtype == DType.F32) {
            MemorySegment.copy(data, FLOAT_LE, from * 4, dst, dstOff, n);
            return;
        }
        if (n <= 0) return;
        short[] bits = new short[Math.min(n, CHUNK)];
        for (int done = 0; done < n; done += bits.length) {
            int c = Math.min(bits.length, n - done);
            MemorySegment.copy(data, SHORT_LE, (from + done) * 2, bits, 0, c);
            int o = dstOff + done;
            if (dtype == DType.BF16) {
                for (int i = 0; i < c; i++) dst[o + i] = Float.intBitsToFloat((bits[i] & 0xFFFF) << 16);
            } else {
                for (int i = 0; i < c; i++) dst[o + i] = Float.float16ToFloat(bits[i]);
            }
        }
    }

    /** The whole tensor widened to a new float array (only for small tensors: biases, norms). */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel())];
        copyTo(0, out, 0, out.length);
        return out;
    }

    /** The same bytes viewed with another shape of equal element count (e.g. conv kernels as 2-D). */
    public Tensor reshape(long... newShape) {
        long n = 1;
        for (long d : newShape) n *= d;
        if (n != numel()) throw new IllegalArgumentException("cannot view " + name + " " + shapeString() + " as " + Arrays.toString(newShape));
        return new Tensor(name, dtype, newShape, data, file);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
