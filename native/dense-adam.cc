// Adam over the MLPs' dense weights, the arithmetic of src/kernels/dense-adam-update.ts's JavaScript loop
// exactly (doubles, each moment stored as float32 and read back), so results are bit-identical.
// Why: that loop ran largely unoptimised in V8, boxing every intermediate double into garbage
// every step (`npm run bench:train-ab`, with and without CONTRAREC_NATIVE=0).
#include <cmath>

#include "dense-adam.h"

__attribute__((target("avx2"))) void denseAdam(float* __restrict w, float* __restrict m, float* __restrict s, const float* __restrict g, int64_t n, double learningRate,
                                               double beta1, double beta2, double epsilon, double c1, double c2) {
  const double d1 = 1 - beta1, d2 = 1 - beta2;
  for (int64_t j = 0; j < n; ++j) {
    double gj = g[j];
    float mj = (float)(beta1 * m[j] + d1 * gj);
    float sj = (float)(beta2 * s[j] + d2 * gj * gj);
    m[j] = mj;
    s[j] = sj;
    w[j] = (float)(w[j] - (learningRate * (mj / c1)) / (std::sqrt(sj / c2) + epsilon));
  }
}
