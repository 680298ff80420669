// The N-API bindings of contrarec's native kernels (gemm.cc, sparse.cc, dense-adam.cc). Every argument is
// checked here (type and length), so a wrong call is a JS exception, never a bad memory access.
#include <node_api.h>

#include <cstdint>
#include <string>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "dense-adam.h"
#include "gemm.h"
#include "sparse.h"

namespace {

struct Args {
  napi_env env;
  napi_value argv[12];
  size_t argc = 12;
  std::string fn;
  bool failed = false;

  Args(napi_env e, napi_callback_info info, const char* name, size_t expected) : env(e), fn(name) {
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
    if (argc != expected) fail("expects " + std::to_string(expected) + " arguments, got " + std::to_string(argc));
  }

  void fail(const std::string& message) {
    if (!failed) napi_throw_type_error(env, nullptr, (fn + ": " + message).c_str());
    failed = true;
  }

  // A typed array of `type` with at least `minLength` elements (argument i).
  template <typename T>
  T* array(size_t i, napi_typedarray_type type, int64_t minLength) {
    if (failed) return nullptr;
    bool isTyped = false;
    napi_typedarray_type actual;
    size_t length = 0;
    void* data = nullptr;
    if (napi_is_typedarray(env, argv[i], &isTyped) != napi_ok || !isTyped ||
        napi_get_typedarray_info(env, argv[i], &actual, &length, &data, nullptr, nullptr) != napi_ok || actual != type) {
      fail("argument " + std::to_string(i) + " has the wrong type");
      return nullptr;
    }
    if (minLength < 0 || (int64_t)length < minLength) {
      fail("argument " + std::to_string(i) + " holds " + std::to_string(length) + " elements, needs " + std::to_string(minLength));
      return nullptr;
    }
    return static_cast<T*>(data);
  }

  // The element count of typed-array argument i (0 once a check has failed).
  int64_t length(size_t i) {
    size_t n = 0;
    if (!failed) napi_get_typedarray_info(env, argv[i], nullptr, &n, nullptr, nullptr, nullptr);
    return (int64_t)n;
  }

  // Bag offsets that start at ≥ 0 and never decrease, so every bag's rows lie in rows[0, offsets[bags]).
  bool ordered(const int32_t* offsets, int bags) {
    if (failed) return false;
    bool ok = offsets[0] >= 0;
    for (int b = 0; ok && b < bags; ++b) ok = offsets[b + 1] >= offsets[b];
    if (!ok) fail("bag offsets must start at 0 or more and never decrease");
    return ok;
  }

  // Every row index in rows[0, n) names a row of a table with tableRows rows.
  bool inTable(const int32_t* rows, int64_t n, int64_t tableRows) {
    if (failed) return false;
    for (int64_t p = 0; p < n; ++p) {
      if (rows[p] < 0 || rows[p] >= tableRows) {
        fail("row " + std::to_string(rows[p]) + " is outside the table");
        return false;
      }
    }
    return true;
  }

  int32_t integer(size_t i, int32_t min = 0) {
    int32_t v = 0;
    if (!failed && (napi_get_value_int32(env, argv[i], &v) != napi_ok || v < min)) fail("argument " + std::to_string(i) + " must be an integer ≥ " + std::to_string(min));
    return v;
  }

  double number(size_t i) {
    double v = 0;
    if (!failed && napi_get_value_double(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
    return v;
  }

  bool boolean(size_t i) {
    bool v = false;
    if (!failed && napi_get_value_bool(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a boolean");
    return v;
  }
};

napi_value int32Value(napi_env env, int32_t v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

// gemm(a, b, c, m, n, k, transA, transB): C = op(A)·op(B), all Float32Array, row-major.
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args args(env, info, "gemm", 8);
  int32_t m = args.integer(3), n = args.integer(4), k = args.integer(5);
  bool ta = args.boolean(6), tb = args.boolean(7);
  const float* a = args.array<float>(0, napi_float32_array, (int64_t)m * k);
  const float* b = args.array<float>(1, napi_float32_array, (int64_t)k * n);
  float* c = args.array<float>(2, napi_float32_array, (int64_t)m * n);
  if (!args.failed) gemm(a, b, c, m, n, k, ta, tb);
  return nullptr;
}

// setThreads(n): threads for the following products; returns n.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args args(env, info, "setThreads", 1);
  int32_t n = args.integer(0, 1);
  if (args.failed) return nullptr;
  setGemmThreads(n);
  return int32Value(env, n);
}

// poolBags(weights, dim, offsets, rows, out, stride, offset): see sparse.h.
napi_value PoolBags(napi_env env, napi_callback_info info) {
  Args args(env, info, "poolBags", 7);
  int32_t dim = args.integer(1, 1), stride = args.integer(5), offset = args.integer(6);
  if (!args.failed && dim > 256) args.fail("dim must be at most 256");
  if (!args.failed && offset + dim > stride) args.fail("offset + dim exceeds stride");
  const int32_t* offsets = args.array<int32_t>(2, napi_int32_array, 1);
  int bags = (int)args.length(2) - 1;
  if (!args.ordered(offsets, bags)) return nullptr;
  const int32_t* rows = args.array<int32_t>(3, napi_int32_array, offsets[bags]);
  const float* weights = args.array<float>(0, napi_float32_array, 0);
  float* out = args.array<float>(4, napi_float32_array, bags == 0 ? 0 : (int64_t)(bags - 1) * stride + offset + dim);
  if (!args.inTable(rows, offsets[bags], args.length(0) / dim)) return nullptr;  // dim ≥ 1: checked before `ordered`
  poolBags(weights, dim, offsets, rows, bags, out, stride, offset);
  return nullptr;
}

// scatterBagGradients(grad, stride, offset, offsets, rows, values, dim, isTouched, touched, count) → count.
napi_value ScatterBagGradients(napi_env env, napi_callback_info info) {
  Args args(env, info, "scatterBagGradients", 10);
  int32_t stride = args.integer(1), offset = args.integer(2), dim = args.integer(6, 1), count = args.integer(9);
  if (!args.failed && dim > 256) args.fail("dim must be at most 256");
  if (!args.failed && offset + dim > stride) args.fail("offset + dim exceeds stride");
  const int32_t* offsets = args.array<int32_t>(3, napi_int32_array, 1);
  int bags = (int)args.length(3) - 1;
  if (!args.ordered(offsets, bags)) return nullptr;
  const int32_t* rows = args.array<int32_t>(4, napi_int32_array, offsets[bags]);
  const float* grad = args.array<float>(0, napi_float32_array, bags == 0 ? 0 : (int64_t)(bags - 1) * stride + offset + dim);
  uint8_t* isTouched = args.array<uint8_t>(7, napi_uint8_array, 0);
  int64_t tableRows = args.length(7);
  float* values = args.array<float>(5, napi_float32_array, tableRows * dim);
  int32_t* touched = args.array<int32_t>(8, napi_int32_array, tableRows);
  if (!args.failed && count > tableRows) args.fail("count exceeds the table's rows");
  if (!args.inTable(rows, offsets[bags], tableRows)) return nullptr;
  return int32Value(env, scatterBagGradients(grad, stride, offset, offsets, rows, bags, values, dim, isTouched, touched, count));
}

// lazyAdamRows(weights, m, v, grads, touched, count, dim, alpha, beta1, beta2, eps): see sparse.h.
napi_value LazyAdamRows(napi_env env, napi_callback_info info) {
  Args args(env, info, "lazyAdamRows", 11);
  int32_t count = args.integer(5), dim = args.integer(6, 1);
  double alpha = args.number(7), beta1 = args.number(8), beta2 = args.number(9), eps = args.number(10);
  float* weights = args.array<float>(0, napi_float32_array, 0);
  int64_t size = args.length(0);
  float* m = args.array<float>(1, napi_float32_array, size);
  float* v = args.array<float>(2, napi_float32_array, size);
  const float* grads = args.array<float>(3, napi_float32_array, size);
  const int32_t* touched = args.array<int32_t>(4, napi_int32_array, count);
  if (!args.inTable(touched, count, dim > 0 ? size / dim : 0)) return nullptr;
  lazyAdamRows(weights, m, v, grads, touched, count, dim, alpha, beta1, beta2, eps);
  return nullptr;
}

// clearTouchedRows(values, dim, isTouched, touched, count): see sparse.h.
napi_value ClearTouchedRows(napi_env env, napi_callback_info info) {
  Args args(env, info, "clearTouchedRows", 5);
  int32_t dim = args.integer(1, 1), count = args.integer(4);
  uint8_t* isTouched = args.array<uint8_t>(2, napi_uint8_array, 0);
  int64_t tableRows = args.length(2);
  float* values = args.array<float>(0, napi_float32_array, tableRows * dim);
  const int32_t* touched = args.array<int32_t>(3, napi_int32_array, count);
  if (!args.inTable(touched, count, tableRows)) return nullptr;
  clearTouchedRows(values, dim, isTouched, touched, count);
  return nullptr;
}

// denseAdam(w, m, s, g, learningRate, beta1, beta2, epsilon, c1, c2): see dense-adam.h.
napi_value DenseAdam(napi_env env, napi_callback_info info) {
  Args args(env, info, "denseAdam", 10);
  float* w = args.array<float>(0, napi_float32_array, 0);
  int64_t n = args.length(0);
  float* m = args.array<float>(1, napi_float32_array, n);
  float* s = args.array<float>(2, napi_float32_array, n);
  const float* g = args.array<float>(3, napi_float32_array, n);
  double lr = args.number(4), beta1 = args.number(5), beta2 = args.number(6), eps = args.number(7), c1 = args.number(8), c2 = args.number(9);
  if (!args.failed) denseAdam(w, m, s, g, n, lr, beta1, beta2, eps, c1, c2);
  return nullptr;
}

// trimHeap(): a promise of whether free pages of glibc's malloc arenas went back to the system.
// glibc keeps what a freed model version's arrays, HNSW graph and loader threads used in the
// arenas of the threads that allocated it, and returns only what sits at the top of a heap, so
// without this a server's resident size climbs with every hot swap. malloc_trim walks every
// arena and can take a while on a large heap, so it runs on libuv's thread pool, not on the
// serving thread. Resolves false on other C libraries, which have no such call.
struct TrimWork {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  bool released = false;
};

void TrimExecute(napi_env, void* data) {
#ifdef __GLIBC__
  static_cast<TrimWork*>(data)->released = malloc_trim(0) != 0;
#else
  (void)data;
#endif
}

void TrimComplete(napi_env env, napi_status status, void* data) {
  auto* w = static_cast<TrimWork*>(data);
  napi_value result;
  napi_get_boolean(env, status == napi_ok && w->released, &result);
  napi_resolve_deferred(env, w->deferred, result);
  napi_delete_async_work(env, w->work);
  delete w;
}

napi_value TrimHeap(napi_env env, napi_callback_info info) {
  Args args(env, info, "trimHeap", 0);
  if (args.failed) return nullptr;
  auto* w = new TrimWork();
  napi_value promise, name;
  napi_create_promise(env, &w->deferred, &promise);
  napi_create_string_utf8(env, "contrarec.trimHeap", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, nullptr, name, TrimExecute, TrimComplete, w, &w->work);
  napi_queue_async_work(env, w->work);
  return promise;
}

void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value supported;
  napi_get_boolean(env, gemmSupported(), &supported);
  napi_set_named_property(env, exports, "supported", supported);
  exportFunction(env, exports, "gemm", Gemm);
  exportFunction(env, exports, "setThreads", SetThreads);
  exportFunction(env, exports, "poolBags", PoolBags);
  exportFunction(env, exports, "scatterBagGradients", ScatterBagGradients);
  exportFunction(env, exports, "lazyAdamRows", LazyAdamRows);
  exportFunction(env, exports, "denseAdam", DenseAdam);
  exportFunction(env, exports, "clearTouchedRows", ClearTouchedRows);
  exportFunction(env, exports, "trimHeap", TrimHeap);
  return exports;
}
