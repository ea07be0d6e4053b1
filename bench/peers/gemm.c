/* The f32 GEMM ceiling of this machine on the engine's encoder and prefill shapes (issue #4: ours
 * should reach 80 % of the best library here), and the f32 FMA peak of the cores.
 *
 *   cc -O2 -mavx2 -mfma -pthread -o gemm bench/peers/gemm.c -lopenblas            # OpenBLAS only
 *   cc -O2 -mavx2 -mfma -pthread -DWITH_DNNL -o gemm bench/peers/gemm.c -lopenblas -ldnnl
 *   OPENBLAS_CORETYPE=Zen OMP_NUM_THREADS=2 ./gemm [threads] [shape ...]
 *
 * With -DWITH_DNNL it also times oneDNN's bf16 GEMM (dnnl_gemm_bf16bf16f32, what --compute bf16 runs)
 * where the CPU has avx512_bf16 or AMX; QWEN_GEMM_BF16=0 leaves it out elsewhere.
 *
 * A shape is MxKxN: M token rows times a K x N linear layer, y[M][N] = x[M][K] . W[N][K]^T, the
 * checkpoint's [out][in] weight layout, in f32 (the libraries have no bf16 path on AVX2). The
 * default shapes are those of bench/jmh GemmBench and of the two benchmark clips. Prints one JSON
 * object: the FMA peak and, per shape and library, the best GFLOP/s of several timed calls.
 * Debian's libdnnl runs on OpenMP: set OMP_NUM_THREADS to the same thread count. */
#include <cblas.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef WITH_DNNL
#include <dnnl.h>
#endif

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Ten independent FMA chains per thread (named registers: an array of vectors is kept in memory
 * by some compilers): enough to cover the FMA latency on two pipes. */
static void *fma_loop(void *arg) {
    long iters = *(long *)arg;
    __m256 b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2), a3 = _mm256_set1_ps(3),
           a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5), a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7),
           a8 = _mm256_set1_ps(8), a9 = _mm256_set1_ps(9);
    for (long i = 0; i < iters; i++) {
        a0 = _mm256_fmadd_ps(a0, b, c); a1 = _mm256_fmadd_ps(a1, b, c); a2 = _mm256_fmadd_ps(a2, b, c);
        a3 = _mm256_fmadd_ps(a3, b, c); a4 = _mm256_fmadd_ps(a4, b, c); a5 = _mm256_fmadd_ps(a5, b, c);
        a6 = _mm256_fmadd_ps(a6, b, c); a7 = _mm256_fmadd_ps(a7, b, c); a8 = _mm256_fmadd_ps(a8, b, c);
        a9 = _mm256_fmadd_ps(a9, b, c);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(_mm256_add_ps(a6, a7), _mm256_add_ps(a8, a9))));
    float out[8];
    _mm256_storeu_ps(out, s);
    *(long *)arg = (long)out[0]; /* keeps the chains live */
    return NULL;
}

static double fma_peak(int threads) {
    long iters = 50000000;
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
        pthread_t t[64];
        long arg[64];
        double t0 = now();
        for (int i = 0; i < threads; i++) {
            arg[i] = iters;
            pthread_create(&t[i], NULL, fma_loop, &arg[i]);
        }
        for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
        double s = now() - t0;
        double gf = threads * (double)iters * 10 * 8 * 2 / s / 1e9;
        if (gf > best) best = gf;
    }
    return best;
}

typedef void (*gemm_fn)(int m, int k, int n, const float *x, const float *w, float *y);

static void openblas_gemm(int m, int k, int n, const float *x, const float *w, float *y) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, x, k, w, k, 0.0f, y, n);
}

#ifdef WITH_DNNL
static void onednn_gemm(int m, int k, int n, const float *x, const float *w, float *y) {
    /* Row-major y = x . w^T. */
    dnnl_sgemm('N', 'T', m, n, k, 1.0f, x, k, w, k, 0.0f, y, n);
}

/* oneDNN's bf16 GEMM (bf16 inputs, f32 sums): exported by oneDNN 2.x as a test interface (not in its
 * dnnl.h), public in 3.x; the same row-major contract as dnnl_sgemm. What --compute bf16 calls. */
extern dnnl_status_t dnnl_gemm_bf16bf16f32(char transa, char transb, dnnl_dim_t M, dnnl_dim_t N, dnnl_dim_t K,
        float alpha, const uint16_t *A, dnnl_dim_t lda, const uint16_t *B, dnnl_dim_t ldb, float beta, float *C,
        dnnl_dim_t ldc);

/* f32 -> bf16, nearest even (the engine's activation rounding). */
static uint16_t to_bf16(float v) {
    uint32_t b;
    memcpy(&b, &v, 4);
    return (uint16_t)((b + 0x7FFF + ((b >> 16) & 1)) >> 16);
}

/* The bf16 operands of the current shape, converted once (the weights are bf16 in the checkpoint; the
 * engine converts the activations on every call, which this ceiling leaves out). */
static uint16_t *xb, *wb;

static void onednn_bf16_gemm(int m, int k, int n, const float *x, const float *w, float *y) {
    (void)x;
    (void)w;
    dnnl_status_t st = dnnl_gemm_bf16bf16f32('N', 'T', m, n, k, 1.0f, xb, k, wb, k, 0.0f, y, n);
    if (st != dnnl_success) {
        fprintf(stderr, "dnnl_gemm_bf16bf16f32 failed with status %d (no bf16 on this CPU?)\n", (int)st);
        exit(1);
    }
}
#endif

/* Best GFLOP/s over timed calls after warm-up calls; each timed round lasts at least 0.2 s. */
static double measure(gemm_fn f, int m, int k, int n, const float *x, const float *w, float *y) {
    for (int i = 0; i < 3; i++) f(m, k, n, x, w, y);
    double flops = 2.0 * m * k * n, best = 0;
    for (int round = 0; round < 7; round++) {
        int calls = 0;
        double t0 = now(), s;
        do {
            f(m, k, n, x, w, y);
            calls++;
            s = now() - t0;
        } while (s < 0.2);
        double gf = flops * calls / s / 1e9;
        if (gf > best) best = gf;
    }
    return best;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    /* QWEN_GEMM_BF16=0 skips the bf16 GEMM (CPUs without avx512_bf16 refuse it). */
    int bf16 = !getenv("QWEN_GEMM_BF16") || strcmp(getenv("QWEN_GEMM_BF16"), "0") != 0;
    (void)bf16;
    static const char *defaults[] = {"104x896x896", "104x896x3584", "104x3584x896", "143x896x3584",
                                     "158x1024x2048", "158x1024x3072", "158x3072x1024", "870x1024x3072"};
    const char **shapes = argc > 2 ? (const char **)argv + 2 : defaults;
    int count = argc > 2 ? argc - 2 : (int)(sizeof defaults / sizeof *defaults);
    openblas_set_num_threads(threads);
    printf("{\"threads\": %d, \"fma_peak_gflops\": %.1f, \"shapes\": [", threads, fma_peak(threads));
    for (int s = 0; s < count; s++) {
        int m, k, n;
        if (sscanf(shapes[s], "%dx%dx%d", &m, &k, &n) != 3 || m < 1 || k < 1 || n < 1) {
            fprintf(stderr, "bad shape %s (want MxKxN)\n", shapes[s]);
            return 1;
        }
        float *x = malloc(sizeof(float) * m * k), *w = malloc(sizeof(float) * n * k), *y = malloc(sizeof(float) * m * n);
        if (!x || !w || !y) {
            fprintf(stderr, "out of memory for %s\n", shapes[s]);
            return 1;
        }
        srand(7);
        for (long i = 0; i < (long)m * k; i++) x[i] = rand() / (float)RAND_MAX - 0.5f;
        for (long i = 0; i < (long)n * k; i++) w[i] = (rand() / (float)RAND_MAX - 0.5f) * 0.1f;
        printf("%s{\"shape\": \"%s\", \"openblas_gflops\": %.1f", s ? ", " : "", shapes[s], measure(openblas_gemm, m, k, n, x, w, y));
#ifdef WITH_DNNL
        printf(", \"onednn_gflops\": %.1f", measure(onednn_gemm, m, k, n, x, w, y));
        if (bf16) {
            xb = malloc(sizeof(uint16_t) * m * k);
            wb = malloc(sizeof(uint16_t) * n * k);
            for (long i = 0; i < (long)m * k; i++) xb[i] = to_bf16(x[i]);
            for (long i = 0; i < (long)n * k; i++) wb[i] = to_bf16(w[i]);
            printf(", \"onednn_bf16_gflops\": %.1f", measure(onednn_bf16_gemm, m, k, n, x, w, y));
            free(xb);
            free(wb);
        }
#endif
        printf("}");
        fflush(stdout);
        free(x);
        free(w);
        free(y);
    }
    printf("]}\n");
    return 0;
}
