// The packed AVX2/FMA GEMM of native/gemm.cc (see there); bound to JS in native/addon.cc.
#pragma once

// Whether this CPU can run gemm (AVX2 and FMA).
bool gemmSupported();

// Threads the calling thread's following products (and table routines of sparse.cc) are split
// over (at least 1); each JS thread has its own setting.
void setGemmThreads(int threads);

// The thread count set by setGemmThreads.
int gemmThreads();

// C [m, n] = op(A) [m, k] · op(B) [k, n], row-major; op transposes when asked; C is overwritten.
void gemm(const float* a, const float* b, float* c, int m, int n, int k, bool transA, bool transB);
