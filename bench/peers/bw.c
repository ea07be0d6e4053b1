/* Read bandwidth of a memory-mapped file with AVX2 loads on N threads: the C counterpart of
 * bench/Bandwidth.java, to check that the Java probe is not the limit.
 *   cc -O2 -mavx2 -pthread -o bw bench/peers/bw.c && ./bw FILE [threads] [passes]
 * Prints one JSON object like Bandwidth.java. */
#include <fcntl.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct { const uint8_t *p; size_t n; long long sum; } slice_t;

static void *read_slice(void *arg) {
    slice_t *s = arg;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    size_t i = 0;
    for (; i + 128 <= s->n; i += 128) {
        a0 = _mm256_add_epi32(a0, _mm256_loadu_si256((const __m256i *)(s->p + i)));
        a1 = _mm256_add_epi32(a1, _mm256_loadu_si256((const __m256i *)(s->p + i + 32)));
        a2 = _mm256_add_epi32(a2, _mm256_loadu_si256((const __m256i *)(s->p + i + 64)));
        a3 = _mm256_add_epi32(a3, _mm256_loadu_si256((const __m256i *)(s->p + i + 96)));
    }
    int32_t lanes[8];
    _mm256_storeu_si256((__m256i *)lanes, _mm256_add_epi32(_mm256_add_epi32(a0, a1), _mm256_add_epi32(a2, a3)));
    long long sum = 0;
    for (int k = 0; k < 8; k++) sum += lanes[k];
    s->sum = sum;
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s FILE [threads] [passes]\n", argv[0]); return 2; }
    int threads = argc > 2 ? atoi(argv[2]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    int passes = argc > 3 ? atoi(argv[3]) : 6;
    if (threads < 1 || threads > 256 || passes < 2 || passes > 100) { fprintf(stderr, "bad threads/passes\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror(argv[1]); return 1; }
    const uint8_t *base = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    size_t bytes = (size_t)st.st_size & ~((size_t)128 * threads - 1), part = bytes / threads;
    pthread_t tid[256];
    slice_t sl[256];
    double rates[100];
    long long check = 0;
    for (int p = 0; p < passes; p++) {
        double t0 = now();
        for (int t = 0; t < threads; t++) {
            sl[t] = (slice_t){base + t * part, part, 0};
            pthread_create(&tid[t], NULL, read_slice, &sl[t]);
        }
        for (int t = 0; t < threads; t++) { pthread_join(tid[t], NULL); check += sl[t].sum; }
        rates[p] = bytes / (now() - t0) / 1e9;
    }
    printf("{\"bytes\": %zu, \"threads\": %d, \"passes\": %d, \"gbps_per_pass\": [", bytes, threads, passes);
    for (int p = 0; p < passes; p++) printf("%s%.2f", p ? ", " : "", rates[p]);
    qsort(rates + 1, passes - 1, sizeof(double), cmp);
    printf("], \"best_gbps\": %.2f, \"median_gbps\": %.2f, \"checksum\": %lld}\n", rates[passes - 1],
           rates[1 + (passes - 1) / 2], check);
    return 0;
}
