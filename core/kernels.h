#pragma once
// Hot float loops with run-time CPU dispatch: the build stays portable (no -march) while
// machines with AVX2/FMA get 8-wide code for them.
#include <cstddef>

namespace embedlab::kernels {

// Softmax cross-entropy of one token in place: x (n logits) becomes (softmax(x) - onehot(target))
// * scale. Returns -log softmax(x)[target].
float softmaxCrossEntropyGrad(float *x, std::size_t n, std::size_t target, float scale);

// The same for logits that still lack their bias: x += bias first; the gradient (softmax -
// onehot) * scale is also added to biasGrad (n values).
float softmaxCrossEntropyGradBias(
    float *x, const float *bias, std::size_t n, std::size_t target, float scale, float *biasGrad);

// x += bias, then log(sum(exp(x))).
float logSumExpBias(float *x, const float *bias, std::size_t n);

// log(sum(exp(x))) of n values.
float logSumExp(const float *x, std::size_t n);

} // namespace embedlab::kernels
