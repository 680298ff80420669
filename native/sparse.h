// Embedding-table routines of native/sparse.cc (see there); bound to JS in native/addon.cc.
#pragma once
#include <cstdint>

// Mean of each bag's rows of `weights` [*, dim] added into out[b·stride + offset ..]; dim ≤ 256.
void poolBags(const float* weights, int dim, const int32_t* offsets, const int32_t* rows, int bags, float* out, int stride, int offset);

// Backward of poolBags into `values` (a table-sized gradient), recording first-touched rows;
// returns the new touched count.
int scatterBagGradients(const float* grad, int stride, int offset, const int32_t* offsets, const int32_t* rows, int bags, float* values, int dim,
                        uint8_t* isTouched, int32_t* touched, int count);

// Lazy Adam on the touched rows (moments m, v decay only where a row is updated).
void lazyAdamRows(float* weights, float* m, float* v, const float* grads, const int32_t* touched, int count, int dim, double alpha, double beta1, double beta2,
                  double eps);

// Zeroes the touched rows of a table-sized gradient and their isTouched flags (after the update).
void clearTouchedRows(float* values, int dim, uint8_t* isTouched, const int32_t* touched, int count);
