package io.github.qwenasr.encoder;

import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.PackedLinear;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;

/**
 * 3x3 convolution, stride 2, zero padding 1, with bias and GELU (docs/model.md 3.2), run as im2col
 * followed by the many-row matmul: each output position's 3x3 patch over all input channels,
 * in the kernel's own [in][ky][kx] order, is one row multiplied by the [out][in*9] weights.
 * The weights are small and meet thousands of rows per call, so they are widened to f32 panels
 * once ({@link PackedLinear}) and im2col writes its rows straight into the GEMM's packed layout.
 */
final class Conv2d {
    /** Output of a batch of images: [images][channels][height][width] at the start of data. */
    record Result(float[] data, int height, int width) {}

    /**
     * Work arrays of one caller, reused from batch to batch (each batch of the stem is the same
     * size, and fresh arrays of 10-20 MB each were all garbage a moment later). Arrays grow on
     * demand and may be longer than a batch needs. A result's data lives here: it is valid until
     * the next call with the same buffers.
     */
    static final class Buffers {
        private float[] cols = new float[0];
        private float[] y = new float[0];
        private float[] out = new float[0];

        private static float[] atLeast(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    private final Tensor weight; // [out][in*9]
    private final float[] bias;
    private final int inCh;
    private final int outCh;
    private final PackedLinear packed; // null when the channel count does not fit the panel width

    Conv2d(WeightStore w, String weightName, String biasName, int inCh, int outCh) {
        this.weight = w.require(weightName, outCh, inCh, 3, 3).reshape(outCh, (long) inCh * 9);
        this.bias = w.require(biasName, outCh).toFloatArray();
        this.inCh = inCh;
        this.outCh = outCh;
        this.packed = PackedLinear.supports(weight) ? new PackedLinear(weight, bias) : null;
    }

    /**
     * im2col straight into the GEMM's packed layout: for each group of rows (output positions),
     * patch element by patch element, the group's values are consecutive, so the writes are
     * sequential. Rows past the end of the last group stay zero.
     */
    private void im2colPacked(Parallel par, float[] in, int images, int h, int w, int ow, int positions, int rows,
                              float[] cols) {
        int group = PackedLinear.tokenGroup();
        int patch = inCh * 9;
        int groups = (rows + group - 1) / group;
        par.forRange(groups, 1, (gs, ge) -> {
            // Per (position, ky*3+kx): the tap's offset in its image plane, or -1 in the zero padding.
            int[] tap = new int[group * 9];
            int[] imgBase = new int[group]; // first input value of the position's image
            for (int g = gs; g < ge; g++) {
                for (int j = 0; j < group; j++) {
                    int row = g * group + j;
                    if (row >= rows) { // past the end: every tap reads as zero padding
                        java.util.Arrays.fill(tap, j * 9, j * 9 + 9, -1);
                        continue;
                    }
                    int pos = row % positions;
                    int y = pos / ow;
                    int x = pos % ow;
                    imgBase[j] = row / positions * inCh * h * w;
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = 2 * y + ky - 1;
                        for (int kx = 0; kx < 3; kx++) {
                            int ix = 2 * x + kx - 1;
                            tap[j * 9 + ky * 3 + kx] = iy >= 0 && iy < h && ix >= 0 && ix < w ? iy * w + ix : -1;
                        }
                    }
                }
                int o = PackedLinear.packedIndex(g * group, 0, patch);
                for (int c = 0; c < inCh; c++) {
                    int plane = c * h * w;
                    for (int q = 0; q < 9; q++) {
                        for (int j = 0; j < group; j++) {
                            int t = tap[j * 9 + q];
                            cols[o++] = t < 0 ? 0f : in[imgBase[j] + plane + t];
                        }
                    }
                }
            }
        });
    }

    static int outSize(int n) {
        return (n - 1) / 2 + 1;
    }

    /** in: [images][inCh][h][w] -> GELU(conv) as [images][outCh][h'][w'], in the caller's reusable buffers. */
    Result forward(Parallel par, float[] in, int images, int h, int w, Buffers buf) {
        int oh = outSize(h);
        int ow = outSize(w);
        int positions = oh * ow;
        int patch = inCh * 9;
        int rows = images * positions;
        // With a native GEMM (ComputeMode.BF16) the plain im2col rows go to MatMul.linear, which hands them over.
        boolean pack = packed != null && !MatMul.offloads(par, weight, rows);
        // Every element of cols, y and out up to the lengths used below is written before it is read.
        float[] cols = buf.cols = Buffers.atLeast(buf.cols, pack ? PackedLinear.packedLength(rows, patch) : rows * patch);
        if (pack) {
            im2colPacked(par, in, images, h, w, ow, positions, rows, cols);
        } else {
            par.forRange(rows, 1, (s, e) -> {
                for (int row = s; row < e; row++) {
                    int img = row / positions;
                    int pos = row % positions;
                    int y = pos / ow;
                    int x = pos % ow;
                    int base = row * patch;
                    for (int c = 0; c < inCh; c++) {
                        int plane = (img * inCh + c) * h * w;
                        for (int ky = 0; ky < 3; ky++) {
                            int iy = 2 * y + ky - 1;
                            for (int kx = 0; kx < 3; kx++) {
                                int ix = 2 * x + kx - 1;
                                float v = (iy < 0 || iy >= h || ix < 0 || ix >= w) ? 0f : in[plane + iy * w + ix];
                                cols[base + c * 9 + ky * 3 + kx] = v;
                            }
                        }
                    }
                }
            });
        }
        float[] y = buf.y = Buffers.atLeast(buf.y, rows * outCh);
        if (pack) {
            packed.apply(par, cols, rows, y);
        } else {
            MatMul.linear(par, cols, rows, weight, bias, y);
        }
        Ops.gelu(par, y, rows * outCh);
        // [images][positions][outCh] -> [images][outCh][positions]
        float[] out = buf.out = Buffers.atLeast(buf.out, images * outCh * positions);
        par.forRange(images * outCh, 1, (s, e) -> {
            for (int ic = s; ic < e; ic++) {
                int img = ic / outCh;
                int c = ic % outCh;
                int src = img * positions * outCh + c;
                int dst = ic * positions;
                for (int p = 0; p < positions; p++) out[dst + p] = y[src + p * outCh];
            }
        });
        return new Result(out, oh, ow);
    }
}
