package io.github.qwenasr.encoder;

import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;

/**
 * 3x3 convolution, stride 2, zero padding 1, with bias and GELU (MODEL.md 3.2), run as im2col
 * followed by the many-row matmul: each output position's 3x3 patch over all input channels,
 * in the kernel's own [in][ky][kx] order, is one row multiplied by the [out][in*9] weights.
 */
final class Conv2d {
    /** Output of a batch of images: [images][channels][height][width]. */
    record Result(float[] data, int height, int width) {}

    private final Tensor weight; // [out][in*9]
    private final float[] bias;
    private final int inCh;
    private final int outCh;

    Conv2d(WeightStore w, String weightName, String biasName, int inCh, int outCh) {
        this.weight = w.require(weightName, outCh, inCh, 3, 3).reshape(outCh, (long) inCh * 9);
        this.bias = w.require(biasName, outCh).toFloatArray();
        this.inCh = inCh;
        this.outCh = outCh;
    }

    static int outSize(int n) {
        return (n - 1) / 2 + 1;
    }

    /** in: [images][inCh][h][w] -> GELU(conv) as [images][outCh][h'][w']. */
    Result forward(Parallel par, float[] in, int images, int h, int w) {
        int oh = outSize(h);
        int ow = outSize(w);
        int positions = oh * ow;
        int patch = inCh * 9;
        int rows = images * positions;
        float[] cols = new float[rows * patch];
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
        float[] y = new float[rows * outCh];
        MatMul.linear(par, cols, rows, weight, bias, y);
        Ops.gelu(par, y, y.length);
        // [images][positions][outCh] -> [images][outCh][positions]
        float[] out = new float[images * outCh * positions];
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
