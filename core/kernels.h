#pragma once
// Hot float loops with run-time CPU dispatch: the build stays portable (no -march) while
// machines with AVX2/FMA get 8-wide code for them.
#include <cstddef>

namespace embedlab::kernels {

// Softmax cross-entropy of one token in place: x (n logits) becomes (softmax(x) - onehot(target))
// * scale. Returns -log softmax(x)[target].
float softmaxCrossEntropyGrad(float *x, std::size_t n, std::size_t target, float scale);

// log(sum(exp(x))) of n values.
float logSumExp(const float *x, std::size_t n);

} // namespace embedlab::kernels
