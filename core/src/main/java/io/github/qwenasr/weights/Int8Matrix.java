package io.github.qwenasr.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A linear layer's weight matrix quantized to int8 with one float scale per group of a row:
 * {@code W[r][e] = q[r][e] * scale[r][e / groupSize]} ({@link Int8Quantizer} says how q and the
 * scales are chosen). Rows are stored [out][in] as in the checkpoint.
 *
 * <p>Values: row r takes bytes [r * cols, (r + 1) * cols). Inside a row, element
 * {@code e = 64 b + 16 j + l} (block b, j in 0..3, l in 0..15) sits at byte {@code 64 b + 4 l + j}.
 * Read as little-endian ints, byte j of int l is element 16 j + l: a vector of int lanes gives, by
 * shifts, four float vectors over four contiguous runs of the activations, so the kernel needs no
 * reordered copy of its input and the same bytes serve every vector width up to 512 bits.
 * The layout needs {@code cols % 64 == 0}.
 *
 * <p>Scales: float32, little-endian, [rows][cols / groupSize]. The group size is the row length
 * (one scale per row) or a multiple of 32 that divides it.
 *
 * @param name      the source tensor's name (for messages)
 * @param values    rows * cols bytes in the layout above (kept as a read-only view)
 * @param scales    rows * (cols / groupSize) floats (kept as a read-only view)
 */
public record Int8Matrix(String name, int rows, int cols, int groupSize, MemorySegment values, MemorySegment scales) {
    /** Elements per interleaved block. */
    public static final int BLOCK = 64;

    /** How a scale is stored: float32, little-endian. */
    public static final ValueLayout.OfFloat SCALE_LAYOUT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Int8Matrix {
        if (rows <= 0 || cols <= 0 || cols % BLOCK != 0) {
            throw new IllegalArgumentException("int8 matrix " + name + ": " + rows + " x " + cols + " (columns must be a positive multiple of " + BLOCK + ")");
        }
        if (!validGroup(cols, groupSize)) {
            throw new IllegalArgumentException("int8 matrix " + name + ": group size " + groupSize + " does not fit rows of " + cols);
        }
        if (values.byteSize() != (long) rows * cols) {
            throw new IllegalArgumentException("int8 matrix " + name + ": " + values.byteSize() + " value bytes for " + rows + " x " + cols);
        }
        if (scales.byteSize() != 4L * rows * (cols / groupSize)) {
            throw new IllegalArgumentException("int8 matrix " + name + ": " + scales.byteSize() + " scale bytes for " + rows + " rows");
        }
        values = values.asReadOnly();
        scales = scales.asReadOnly();
    }

    /** Whether rows of {@code cols} elements can be stored in this layout at all. */
    public static boolean supports(int cols) {
        return cols > 0 && cols % BLOCK == 0;
    }

    /** A group size is the whole row or a multiple of 32 dividing it. */
    public static boolean validGroup(int cols, int groupSize) {
        return groupSize == cols || (groupSize > 0 && groupSize % 32 == 0 && cols % groupSize == 0);
    }

    /** Scales per row. */
    public int groupsPerRow() {
        return cols / groupSize;
    }

    /** Byte position, inside its row, of element e. */
    public static int storedIndex(int e) {
        return (e & ~63) + 4 * (e & 15) + ((e >> 4) & 3);
    }

    /** The quantized value of element (r, e). */
    public byte value(int r, int e) {
        return values.get(ValueLayout.JAVA_BYTE, (long) r * cols + storedIndex(e));
    }

    /** The scale of group g of row r. */
    public float scale(int r, int g) {
        return scales.get(SCALE_LAYOUT, 4L * ((long) r * groupsPerRow() + g));
    }

    /** Bytes of values and scales together. */
    public long byteSize() {
        return values.byteSize() + scales.byteSize();
    }
}
