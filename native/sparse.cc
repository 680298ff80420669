// contrarec's native embedding-table routines: mean-pooling bags of rows, scattering the pooled
// gradient back, and the row-wise lazy Adam update. Why: after the native GEMM these memory-bound
// loops (src/model/bag-pooling.ts, sparse-optimizer.ts) were a third of a training step in JS.
// Each does exactly the float32/float64 arithmetic of its JavaScript twin, in the same order, so
// the two give bit-identical results (tested); -ffp-contract=off keeps the compiler from fusing.
#include <cmath>
#include <cstdint>

#include "sparse.h"

void poolBags(const float* weights, int dim, const int32_t* offsets, const int32_t* rows, int bags, float* out, int stride, int offset) {
  float acc[256];
  for (int b = 0; b < bags; ++b) {
    int lo = offsets[b], hi = offsets[b + 1];
    if (hi == lo) continue;
    for (int k = 0; k < dim; ++k) acc[k] = 0.f;
    for (int p = lo; p < hi; ++p) {
      const float* w = weights + (int64_t)rows[p] * dim;
      for (int k = 0; k < dim; ++k) acc[k] += w[k];
    }
    // JS: out[o + k] += a * inv, in doubles, stored as float32.
    double inv = 1.0 / (hi - lo);
    float* o = out + (int64_t)b * stride + offset;
    for (int k = 0; k < dim; ++k) o[k] = (float)((double)o[k] + (double)acc[k] * inv);
  }
}

int scatterBagGradients(const float* grad, int stride, int offset, const int32_t* offsets, const int32_t* rows, int bags, float* values, int dim,
                        uint8_t* isTouched, int32_t* touched, int count) {
  float share[256];
  for (int b = 0; b < bags; ++b) {
    int lo = offsets[b], hi = offsets[b + 1];
    if (hi == lo) continue;
    double inv = 1.0 / (hi - lo);
    const float* g = grad + (int64_t)b * stride + offset;
    for (int k = 0; k < dim; ++k) share[k] = (float)((double)g[k] * inv);
    for (int p = lo; p < hi; ++p) {
      int row = rows[p];
      if (!isTouched[row]) {
        isTouched[row] = 1;
        touched[count++] = row;
      }
      float* v = values + (int64_t)row * dim;
      for (int k = 0; k < dim; ++k) v[k] += share[k];
    }
  }
  return count;
}

void lazyAdamRows(float* weights, float* m, float* v, const float* grads, const int32_t* touched, int count, int dim, double alpha, double beta1, double beta2,
                  double eps) {
  for (int r = 0; r < count; ++r) {
    int64_t base = (int64_t)touched[r] * dim;
    for (int64_t k = base; k < base + dim; ++k) {
      double g = grads[k];
      m[k] = (float)(beta1 * m[k] + (1 - beta1) * g);
      v[k] = (float)(beta2 * v[k] + (1 - beta2) * g * g);
      weights[k] = (float)(weights[k] - (alpha * m[k]) / (std::sqrt((double)v[k]) + eps));
    }
  }
}
