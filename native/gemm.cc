// contrarec's native float32 GEMM for the TF.js wasm backend's BatchMatMul kernel.
//
// Why: TF.js wasm runs its matmuls through XNNPACK compiled to WebAssembly SIMD, which has 128-bit
// vectors and no fused multiply-add; the transposed-operand variants the matmul gradients need
// are slower still, so every gradient paid for explicit Transpose kernels. This is a BLIS-style
// packed GEMM (6x16 AVX2/FMA micro-kernel, operands packed from either layout, so transposes cost
// nothing extra) split over the cores with OpenMP. Each output element is accumulated by one thread
// in a fixed order, so results are deterministic for a given thread count.
#include <node_api.h>
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int MR = 6;
constexpr int NR = 16;
constexpr int KC = 256;
constexpr int NC = 4096;
constexpr int MC_MAX = 96;

int g_threads = 1;

struct Operand {
  const float* data;
  int ld;
  bool trans;
  // Element (row, col) of op(X): the stored matrix is X or its transpose.
  inline const float* at(int row, int col) const { return trans ? data + (int64_t)col * ld + row : data + (int64_t)row * ld + col; }
};

// Packs rows [i0, i0+mc) x depth [p0, p0+kc) of op(A) into MR-row strips: strip s holds kc groups
// of MR floats (rows past the matrix are zero).
void packA(const Operand& a, int m, int i0, int mc, int p0, int kc, float* out) {
  for (int s = 0; s < mc; s += MR) {
    float* dst = out + (int64_t)s * kc;
    int rows = std::min(MR, m - (i0 + s));
    if (a.trans) {
      for (int p = 0; p < kc; ++p) {
        const float* src = a.at(i0 + s, p0 + p);
        for (int r = 0; r < rows; ++r) dst[p * MR + r] = src[r];
        for (int r = rows; r < MR; ++r) dst[p * MR + r] = 0.f;
      }
    } else {
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

__attribute__((target("avx2,fma"))) void microKernel(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate, int rows, int cols) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int p = 0; p < kc; ++p) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 x;
    x = _mm256_broadcast_ss(a + 0); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    a += MR;
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
void gemm(const Operand& a, const Operand& b, float* c, int m, int n, int k) {
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
          packA(a, m, i0, rowsInBlock, p0, kc, packedA);
          for (int s = 0; s < strips; ++s) {
            int cols = std::min(NR, nc - s * NR);
            const float* bp = packedB + (int64_t)s * kc * NR;
            for (int r0 = 0; r0 < rowsInBlock; r0 += MR) {
              microKernel(kc, packedA + (int64_t)r0 * kc, bp, c + (int64_t)(i0 + r0) * n + j0 + s * NR, n, p0 > 0, std::min(MR, rowsInBlock - r0), cols);
            }
          }
        }
      }
    }
    std::free(packedA);
  }
  std::free(packedB);
}

bool cpuSupported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

napi_value throwError(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

bool floatArray(napi_env env, napi_value value, float** data, size_t* length) {
  bool isTyped = false;
  if (napi_is_typedarray(env, value, &isTyped) != napi_ok || !isTyped) return false;
  napi_typedarray_type type;
  void* raw = nullptr;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, nullptr, nullptr) != napi_ok || type != napi_float32_array) return false;
  *data = static_cast<float*>(raw);
  return true;
}

// gemm(a: Float32Array, b: Float32Array, c: Float32Array, m, n, k, transA, transB): C = op(A)·op(B).
napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 8) return throwError(env, "gemm expects (a, b, c, m, n, k, transA, transB)");
  float *a, *b, *c;
  size_t la, lb, lc;
  if (!floatArray(env, argv[0], &a, &la) || !floatArray(env, argv[1], &b, &lb) || !floatArray(env, argv[2], &c, &lc))
    return throwError(env, "gemm: a, b and c must be Float32Arrays");
  int32_t m, n, k;
  bool ta, tb;
  if (napi_get_value_int32(env, argv[3], &m) != napi_ok || napi_get_value_int32(env, argv[4], &n) != napi_ok ||
      napi_get_value_int32(env, argv[5], &k) != napi_ok || m < 0 || n < 0 || k < 0)
    return throwError(env, "gemm: m, n and k must be non-negative integers");
  if (napi_get_value_bool(env, argv[6], &ta) != napi_ok || napi_get_value_bool(env, argv[7], &tb) != napi_ok)
    return throwError(env, "gemm: transA and transB must be booleans");
  if (la < (size_t)m * k || lb < (size_t)k * n || lc < (size_t)m * n) return throwError(env, "gemm: an array is shorter than its shape");
  gemm(Operand{a, ta ? m : k, ta}, Operand{b, tb ? k : n, tb}, c, m, n, k);
  return nullptr;
}

// setThreads(n): threads for the following products (at least 1); returns the count in use.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t n = 0;
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) return throwError(env, "setThreads expects a positive integer");
  g_threads = n;
  napi_value out;
  napi_create_int32(env, g_threads, &out);
  return out;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value supported;
  napi_get_boolean(env, cpuSupported(), &supported);
  napi_set_named_property(env, exports, "supported", supported);
  g_threads = std::max(1, omp_get_num_procs());
  napi_value fn;
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, nullptr, &fn);
  napi_set_named_property(env, exports, "gemm", fn);
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, SetThreads, nullptr, &fn);
  napi_set_named_property(env, exports, "setThreads", fn);
  return exports;
}
