// contrarec's native float32 GEMM for the TF.js wasm backend's BatchMatMul kernel.
//
// Why: TF.js wasm runs its matmuls through XNNPACK compiled to WebAssembly SIMD, which has 128-bit
// vectors and no fused multiply-add; the transposed-operand variants the matmul gradients need
// are slower still, so every gradient paid for explicit Transpose kernels. This is a BLIS-style
// packed GEMM (6x16 AVX2/FMA micro-kernel, operands packed from either layout, so transposes cost
// nothing extra) split over the cores with OpenMP. Each output element is accumulated by one thread
// in a fixed order, so results are deterministic for a given thread count.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "gemm.h"

namespace {

constexpr int MR = 6;
constexpr int NR = 16;
constexpr int KC = 256;
constexpr int NC = 4096;
constexpr int MC_MAX = 96;
// Widest product whose A panels are read in place rather than packed (see gemmOperands).
constexpr int DIRECT_A_MAX_N = 64;

// Per JS thread (main or worker): a gradient worker asks for 1 without changing the main thread's count.
thread_local int g_threads = 1;

struct Operand {
  const float* data;
  int ld;
  bool trans;
  // Element (row, col) of op(X): the stored matrix is X or its transpose.
  inline const float* at(int row, int col) const { return trans ? data + (int64_t)col * ld + row : data + (int64_t)row * ld + col; }
};

// Packs rows [i0, i0+mc) x depth [p0, p0+kc) of op(A) into MR-row strips: strip s holds kc groups
// of MR floats (rows past the matrix are zero). Both layouts are read along their rows: a
// transposed A one depth step at a time across all mc rows, so every cache line is used whole.
void packA(const Operand& a, int m, int i0, int mc, int p0, int kc, float* out) {
  if (a.trans) {
    for (int p = 0; p < kc; ++p) {
      const float* src = a.at(i0, p0 + p);
      for (int s = 0; s < mc; s += MR) {
        float* dst = out + (int64_t)s * kc + p * MR;
        int rows = std::min(MR, m - (i0 + s));
        for (int r = 0; r < rows; ++r) dst[r] = src[s + r];
        for (int r = rows; r < MR; ++r) dst[r] = 0.f;
      }
    }
    return;
  }
  for (int s = 0; s < mc; s += MR) {
    float* dst = out + (int64_t)s * kc;
    int rows = std::min(MR, m - (i0 + s));
    for (int r = 0; r < MR; ++r) {
      if (r < rows) {
        const float* src = a.at(i0 + s + r, p0);
        for (int p = 0; p < kc; ++p) dst[p * MR + r] = src[p];
      } else {
        for (int p = 0; p < kc; ++p) dst[p * MR + r] = 0.f;
      }
    }
  }
}

// Packs depth [p0, p0+kc) x columns [j0 + 16 s, +16) of op(B) as one NR-column strip.
void packBStrip(const Operand& b, int n, int p0, int kc, int j0, float* dst) {
  int cols = std::min(NR, n - j0);
  if (!b.trans) {
    for (int p = 0; p < kc; ++p) {
      const float* src = b.at(p0 + p, j0);
      int c = 0;
      for (; c < cols; ++c) dst[p * NR + c] = src[c];
      for (; c < NR; ++c) dst[p * NR + c] = 0.f;
    }
  } else {
    for (int c = 0; c < NR; ++c) {
      if (c < cols) {
        const float* src = b.at(p0, j0 + c);
        for (int p = 0; p < kc; ++p) dst[p * NR + c] = src[p];
      } else {
        for (int p = 0; p < kc; ++p) dst[p * NR + c] = 0.f;
      }
    }
  }
}

// C tile [rows ≤ 6, cols ≤ 16] (+)= A panel · B strip. Element (r, p) of the A panel is at
// a[r·rowStride + p·depthStride]: a packed strip (1, MR), or A itself (its row stride and 1, or 1
// and its row stride when transposed), which saves packing A when the panel has all six rows.
__attribute__((target("avx2,fma"))) void microKernel(int kc, const float* a, int64_t rowStride, int64_t depthStride, const float* b, float* c, int ldc, bool accumulate,
                                                     int rows, int cols) {
  const float *a0 = a, *a1 = a + rowStride, *a2 = a + 2 * rowStride, *a3 = a + 3 * rowStride, *a4 = a + 4 * rowStride, *a5 = a + 5 * rowStride;
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t p = 0, off = 0; p < kc; ++p, off += depthStride) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 x;
    x = _mm256_broadcast_ss(a0 + off); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a1 + off); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a2 + off); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a3 + off); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a4 + off); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a5 + off); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    b += NR;
  }
  alignas(32) float tile[MR * NR];
  __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (rows == MR && cols == NR) {
    for (int r = 0; r < MR; ++r) {
      float* row = c + (int64_t)r * ldc;
      if (accumulate) {
        acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(row));
        acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(row + 8));
      }
      _mm256_storeu_ps(row, acc[r][0]);
      _mm256_storeu_ps(row + 8, acc[r][1]);
    }
    return;
  }
  for (int r = 0; r < MR; ++r) {
    _mm256_store_ps(tile + r * NR, acc[r][0]);
    _mm256_store_ps(tile + r * NR + 8, acc[r][1]);
  }
  for (int r = 0; r < rows; ++r) {
    float* row = c + (int64_t)r * ldc;
    for (int j = 0; j < cols; ++j) row[j] = accumulate ? row[j] + tile[r * NR + j] : tile[r * NR + j];
  }
}

float* alignedFloats(size_t n) {
  return static_cast<float*>(std::aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64));
}

// C [m, n] = op(A) [m, k] · op(B) [k, n], row-major, C overwritten.
void gemmOperands(const Operand& a, const Operand& b, float* c, int m, int n, int k) {
  if (k == 0) {
    std::memset(c, 0, sizeof(float) * (size_t)m * n);
    return;
  }
  // Small products are not worth waking a second thread for.
  int threads = (int64_t)m * n * k < (1 << 17) ? 1 : g_threads;
  // Row blocks: a multiple of the thread count, each at most MC_MAX rows, a whole number of strips.
  int blocks = threads * std::max(1, (m + threads * MC_MAX - 1) / (threads * MC_MAX));
  int mc = std::max(MR, ((m + blocks - 1) / blocks + MR - 1) / MR * MR);
  blocks = (m + mc - 1) / mc;
  int ncMax = std::min(NC, (n + NR - 1) / NR * NR);
  int kcMax = std::min(KC, k);
  float* packedB = alignedFloats((size_t)kcMax * ncMax);
  bool direct = !a.trans && n <= DIRECT_A_MAX_N;
#pragma omp parallel num_threads(threads)
  {
    float* packedA = alignedFloats((size_t)mc * kcMax);
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = std::min(NC, n - j0);
      int strips = (nc + NR - 1) / NR;
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = std::min(KC, k - p0);
#pragma omp for schedule(static)
        for (int s = 0; s < strips; ++s) packBStrip(b, n, p0, kc, j0 + s * NR, packedB + (int64_t)s * kc * NR);
#pragma omp for schedule(static)
        for (int blk = 0; blk < blocks; ++blk) {
          int i0 = blk * mc;
          int rowsInBlock = std::min(mc, m - i0);
          // A narrow product (the loss gradient dS · C: n = 64, k ≈ 2,000) reuses each A panel
          // only a few times, so packing A cost up to a third of it: there whole six-row panels
          // are read from A in place (rows of a non-transposed A are contiguous), and only a last
          // partial one is packed (zero-padded), so the kernel never reads past the matrix.
          int whole = direct ? rowsInBlock / MR * MR : 0;
          if (whole < rowsInBlock) packA(a, m, i0 + whole, rowsInBlock - whole, p0, kc, packedA);
          for (int s = 0; s < strips; ++s) {
            int cols = std::min(NR, nc - s * NR);
            const float* bp = packedB + (int64_t)s * kc * NR;
            float* cs = c + (int64_t)i0 * n + j0 + s * NR;
            for (int r0 = 0; r0 < whole; r0 += MR) microKernel(kc, a.at(i0 + r0, p0), a.ld, 1, bp, cs + (int64_t)r0 * n, n, p0 > 0, MR, cols);
            for (int r0 = whole; r0 < rowsInBlock; r0 += MR) {
              microKernel(kc, packedA + (int64_t)(r0 - whole) * kc, 1, MR, bp, cs + (int64_t)r0 * n, n, p0 > 0, std::min(MR, rowsInBlock - r0), cols);
            }
          }
        }
      }
    }
    std::free(packedA);
  }
  std::free(packedB);
}

}  // namespace

bool gemmSupported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void setGemmThreads(int threads) { g_threads = std::max(1, threads); }

int gemmThreads() { return g_threads; }

void gemm(const float* a, const float* b, float* c, int m, int n, int k, bool transA, bool transB) {
  gemmOperands(Operand{a, transA ? m : k, transA}, Operand{b, transB ? k : n, transB}, c, m, n, k);
}
