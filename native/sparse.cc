// contrarec's native embedding-table routines: mean-pooling bags of rows, scattering the pooled
// gradient back, and the row-wise lazy Adam update. Why: after the native GEMM these memory-bound
// loops (src/kernels/pool-bags.ts, scatter-bag-gradients.ts, lazy-adam-rows.ts) were a third of a training step in JS.
// Each does exactly the float32/float64 arithmetic of its JavaScript twin, in the same order, so
// the two give bit-identical results (tested): -ffp-contract=off keeps the compiler from fusing,
// and work is split over threads only where each output element stays with one thread.
// The AVX2 target is safe: the addon reports `supported` and JS uses none of it without AVX2.
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "gemm.h"
#include "sparse.h"

namespace {

// Below this many row visits one thread is faster than waking another.
constexpr int64_t PARALLEL_MIN = 1 << 14;

int threadsFor(int64_t work) { return work < PARALLEL_MIN ? 1 : gemmThreads(); }

__attribute__((target("avx2"))) void poolOne(const float* __restrict weights, int dim, const int32_t* rows, int lo, int hi, float* __restrict out) {
  float acc[256];
  for (int k = 0; k < dim; ++k) acc[k] = 0.f;
  for (int p = lo; p < hi; ++p) {
    const float* __restrict w = weights + (int64_t)rows[p] * dim;
    for (int k = 0; k < dim; ++k) acc[k] += w[k];
  }
  // JS: out[o + k] += a * inv, in doubles, stored as float32.
  double inv = 1.0 / (hi - lo);
  for (int k = 0; k < dim; ++k) out[k] = (float)((double)out[k] + (double)acc[k] * inv);
}

__attribute__((target("avx2"))) void adamRow(float* __restrict w, float* __restrict m, float* __restrict v, const float* __restrict g, int dim, double alpha,
                                             double beta1, double beta2, double eps) {
  // JS: m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g·g (each stored as float32, then read back);
  // w −= α·m / (√v + ε), all in doubles.
  const double c1 = 1 - beta1, c2 = 1 - beta2;
  for (int k = 0; k < dim; ++k) {
    double gk = g[k];
    float mk = (float)(beta1 * m[k] + c1 * gk);
    float vk = (float)(beta2 * v[k] + c2 * gk * gk);
    m[k] = mk;
    v[k] = vk;
    w[k] = (float)(w[k] - (alpha * mk) / (std::sqrt((double)vk) + eps));
  }
}

__attribute__((target("avx2"))) void scatterColumns(const float* grad, int stride, int offset, const int32_t* offsets, const int32_t* rows, int bags,
                                                    float* values, int dim, int k0, int k1) {
  float share[256];
  for (int b = 0; b < bags; ++b) {
    int lo = offsets[b], hi = offsets[b + 1];
    if (hi == lo) continue;
    // JS: f32(grad · inv) in doubles, then float32 adds.
    double inv = 1.0 / (hi - lo);
    const float* g = grad + (int64_t)b * stride + offset;
    for (int k = k0; k < k1; ++k) share[k] = (float)((double)g[k] * inv);
    for (int p = lo; p < hi; ++p) {
      float* __restrict v = values + (int64_t)rows[p] * dim;
      for (int k = k0; k < k1; ++k) v[k] += share[k];
    }
  }
}

}  // namespace

void poolBags(const float* weights, int dim, const int32_t* offsets, const int32_t* rows, int bags, float* out, int stride, int offset) {
  // Each bag writes only its own output row.
#pragma omp parallel for schedule(static) num_threads(threadsFor(offsets[bags] - offsets[0]))
  for (int b = 0; b < bags; ++b) {
    if (offsets[b + 1] > offsets[b]) poolOne(weights, dim, rows, offsets[b], offsets[b + 1], out + (int64_t)b * stride + offset);
  }
}

int scatterBagGradients(const float* grad, int stride, int offset, const int32_t* offsets, const int32_t* rows, int bags, float* values, int dim,
                        uint8_t* isTouched, int32_t* touched, int count) {
  // The touched list in first-visit order, as the JS loop builds it.
  for (int p = offsets[0]; p < offsets[bags]; ++p) {
    int row = rows[p];
    if (!isTouched[row]) {
      isTouched[row] = 1;
      touched[count++] = row;
    }
  }
  // Threads take disjoint column ranges: every gradient entry still receives its adds from one
  // thread, in bag order.
#pragma omp parallel num_threads(threadsFor((int64_t)(offsets[bags] - offsets[0]) * dim / 16))
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    scatterColumns(grad, stride, offset, offsets, rows, bags, values, dim, dim * t / nt, dim * (t + 1) / nt);
  }
  return count;
}

void lazyAdamRows(float* weights, float* m, float* v, const float* grads, const int32_t* touched, int count, int dim, double alpha, double beta1, double beta2,
                  double eps) {
  // Touched rows are distinct, so each row's update belongs to one thread.
#pragma omp parallel for schedule(static) num_threads(threadsFor((int64_t)count * dim / 16))
  for (int r = 0; r < count; ++r) {
    int64_t base = (int64_t)touched[r] * dim;
    adamRow(weights + base, m + base, v + base, grads + base, dim, alpha, beta1, beta2, eps);
  }
}

void clearTouchedRows(float* values, int dim, uint8_t* isTouched, const int32_t* touched, int count) {
  for (int r = 0; r < count; ++r) {
    std::memset(values + (int64_t)touched[r] * dim, 0, sizeof(float) * dim);
    isTouched[touched[r]] = 0;
  }
}
