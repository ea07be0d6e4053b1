package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Tensor;

/** A linear layer's weight as the checkpoint stores it (bf16, memory-mapped): {@link MatMul}'s kernels. */
public record TensorWeights(Tensor tensor) implements LinearWeights {
    @Override
    public String name() {
        return tensor.name();
    }

    @Override
    public int rows() {
        return tensor.rows();
    }

    @Override
    public int cols() {
        return tensor.cols();
    }

    @Override
    public int chunkRows() {
        return MatMul.chunkRows(tensor.cols());
    }

    @Override
    public boolean int8() {
        return false;
    }

    @Override
    public void matVecRows(MatVecInput x, int start, int end, float[] y, int yOff) {
        MatMul.matVecRows(tensor, x, start, end, y, yOff);
    }

    @Override
    public void linear(Parallel par, float[] x, int m, float[] y) {
        MatMul.linear(par, x, m, tensor, null, y);
    }
}
