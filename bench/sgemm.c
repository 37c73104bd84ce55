/* OpenBLAS SGEMM throughput, for bench/sgemm.sh.
 * Prints "sgemm openblas N GFLOPS GFLOP/s" per size: the median of REPS timed calls after
 * warm-up (at least 2 calls and 1 s). Usage: sgemm [reps] n1 n2 ... */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*) a, y = *(const double*) b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s reps n [n ...]\n", argv[0]);
    return 2;
  }
  int reps = atoi(argv[1]);
  for (int s = 2; s < argc; s++) {
    int n = atoi(argv[s]);
    int r = n >= 2048 ? (reps / 2 > 3 ? reps / 2 : 3) : reps;
    float* a = malloc(sizeof(float) * n * n);
    float* b = malloc(sizeof(float) * n * n);
    float* c = malloc(sizeof(float) * n * n);
    double* t = malloc(sizeof(double) * r);
    srand(n);
    for (long i = 0; i < (long) n * n; i++) {
      a[i] = (float) rand() / RAND_MAX - 0.5f;
      b[i] = (float) rand() / RAND_MAX - 0.5f;
    }
    double until = now() + 1.0;
    for (int i = 0; i < 2 || now() < until; i++) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    }
    double cpu0 = cpu(), wall0 = now();
    for (int i = 0; i < r; i++) {
      double t0 = now();
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
      t[i] = now() - t0;
    }
    double cpus = cpu() - cpu0, wall = now() - wall0;
    qsort(t, r, sizeof(double), cmp);
    printf("sgemm openblas %d %.2f GFLOP/s\n", n, 2.0 * n * n * n / t[r / 2] / 1e9);
    /* Load-independent-ish companion figure: flops per CPU-second of this process (OpenBLAS's
     * threads spin while they wait, so this understates it a little). */
    if (cpus >= 0.2) {
      printf("# openblas %d: %.1f GFLOP per CPU-second, %.0f%% of the cores busy for this process\n", n,
             2.0 * n * n * n * r / cpus / 1e9, 100.0 * cpus / wall / sysconf(_SC_NPROCESSORS_ONLN));
    } else {
      printf("# openblas %d: timed runs too short for a CPU-time figure\n", n);
    }
    fflush(stdout);
    free(a);
    free(b);
    free(c);
    free(t);
  }
  return 0;
}
