// The dense Adam update of native/dense-adam.cc (see there); bound to JS in native/addon.cc.
#pragma once
#include <cstdint>

// One Adam step over n weights with bias corrections c1 = 1 − β1^t, c2 = 1 − β2^t.
void denseAdam(float* w, float* m, float* s, const float* g, int64_t n, double learningRate, double beta1, double beta2, double epsilon, double c1, double c2);
