#pragma once
// Hot float loops with run-time CPU dispatch: the build stays portable (no -march) while
// machines with AVX2/FMA get 8-wide code for them.
#include <cmath>
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

// One step of an LSTM for n consecutive hidden units of `streams` streams, all four gates in one
// pass. Stream k's values start k strides after stream 0's.
template <typename T> struct LstmStep
{
    T *gate[4]; // in: x-projection plus bias of gates i, f, g, o; out: the gates activated
    const T *rec[4]; // W_hh^T h_{t-1}, the same rows
    const T *cPrev; // c_{t-1}
    T *c, *tanhC, *h; // out: c_t, tanh(c_t), h_t
    std::size_t gateStride, recStride, stateStride; // gate; rec; cPrev, c, tanhC and h
};

// Back through one LSTM step for the same units.
template <typename T> struct LstmStepBack
{
    const T *gate[4]; // the activated gates i, f, g, o
    const T *tanhC, *cPrev, *dOut; // tanh(c_t), c_{t-1}, d(loss)/d(h_t) from above
    const T *dhNext; // d(loss)/d(h_t) through step t+1
    T *dcNext; // in: d(loss)/d(c_t) through step t+1; out: d(loss)/d(c_{t-1})
    T *dGate[4]; // out: d(loss)/d(pre-activations)
    std::size_t gateStride, stateStride, carryStride; // gate and dGate; tanhC, cPrev and dOut;
                                                      // dhNext and dcNext
};

template <typename T> void lstmForwardPortable(const LstmStep<T> &s, std::size_t n, int streams)
{
    const auto sigmoid = [](T x) { return T(1) / (T(1) + std::exp(-x)); };
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, rk = k * s.recStride, sk = k * s.stateStride;
        T *gi = s.gate[0] + gk, *gf = s.gate[1] + gk, *gg = s.gate[2] + gk, *go = s.gate[3] + gk;
        for (std::size_t u = 0; u < n; ++u) {
            const T i = sigmoid(gi[u] + s.rec[0][rk + u]);
            const T f = sigmoid(gf[u] + s.rec[1][rk + u]);
            const T g = std::tanh(gg[u] + s.rec[2][rk + u]);
            const T o = sigmoid(go[u] + s.rec[3][rk + u]);
            gi[u] = i;
            gf[u] = f;
            gg[u] = g;
            go[u] = o;
            const T c = f * s.cPrev[sk + u] + i * g;
            const T tc = std::tanh(c);
            s.c[sk + u] = c;
            s.tanhC[sk + u] = tc;
            s.h[sk + u] = o * tc;
        }
    }
}

// Products in a fixed order, the same in the vector code, so both give the same bits.
template <typename T>
void lstmBackwardPortable(const LstmStepBack<T> &s, std::size_t n, int streams)
{
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, sk = k * s.stateStride, ck = k * s.carryStride;
        for (std::size_t u = 0; u < n; ++u) {
            const T i = s.gate[0][gk + u], f = s.gate[1][gk + u], g = s.gate[2][gk + u],
                    o = s.gate[3][gk + u];
            const T tc = s.tanhC[sk + u];
            const T dh = s.dOut[sk + u] + s.dhNext[ck + u];
            const T dc = dh * o * (T(1) - tc * tc) + s.dcNext[ck + u];
            s.dGate[0][gk + u] = dc * g * i * (T(1) - i);
            s.dGate[1][gk + u] = dc * s.cPrev[sk + u] * f * (T(1) - f);
            s.dGate[2][gk + u] = dc * i * (T(1) - g * g);
            s.dGate[3][gk + u] = dh * tc * o * (T(1) - o);
            s.dcNext[ck + u] = dc * f;
        }
    }
}

// One step of a GRU for n consecutive hidden units of `streams` streams.
template <typename T> struct GruStep
{
    T *gate[3]; // in: x-projection plus b_ih of gates r, z, n; out: the gates activated
    const T *rec[3]; // W_hh^T h_{t-1}, the same rows
    const T *bias[3]; // b_hh, the same rows (no stride: one column)
    const T *hPrev; // h_{t-1}
    T *hn, *h; // out: W_hn h_{t-1} + b_hn, and h_t
    std::size_t gateStride, recStride, stateStride; // gate; rec; hPrev, hn and h
};

// Back through one GRU step; d(loss)/d(h_{t-1}) is W_hh dGh + z dh, whose product the caller
// adds.
template <typename T> struct GruStepBack
{
    const T *gate[3]; // the activated gates r, z, n
    const T *hn, *hPrev, *dOut; // as in GruStep; d(loss)/d(h_t) from above
    const T *dhNext; // d(loss)/d(h_t) through step t+1
    T *dh; // out: d(loss)/d(h_t)
    T *dGx[3], *dGh[3]; // out: d(loss)/d(input-side and recurrent-side pre-activations)
    std::size_t gateStride, stateStride, carryStride; // gate, dGx and dGh; hn, hPrev and dOut;
                                                      // dhNext and dh
};

template <typename T> void gruForwardPortable(const GruStep<T> &s, std::size_t n, int streams)
{
    const auto sigmoid = [](T x) { return T(1) / (T(1) + std::exp(-x)); };
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, rk = k * s.recStride, sk = k * s.stateStride;
        T *gr = s.gate[0] + gk, *gz = s.gate[1] + gk, *gn = s.gate[2] + gk;
        for (std::size_t u = 0; u < n; ++u) {
            const T r = sigmoid(gr[u] + (s.rec[0][rk + u] + s.bias[0][u]));
            const T z = sigmoid(gz[u] + (s.rec[1][rk + u] + s.bias[1][u]));
            const T hn = s.rec[2][rk + u] + s.bias[2][u];
            const T nn = std::tanh(gn[u] + r * hn);
            gr[u] = r;
            gz[u] = z;
            gn[u] = nn;
            s.hn[sk + u] = hn;
            s.h[sk + u] = (T(1) - z) * nn + z * s.hPrev[sk + u];
        }
    }
}

template <typename T> void gruBackwardPortable(const GruStepBack<T> &s, std::size_t n, int streams)
{
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, sk = k * s.stateStride, ck = k * s.carryStride;
        for (std::size_t u = 0; u < n; ++u) {
            const T r = s.gate[0][gk + u], z = s.gate[1][gk + u], nn = s.gate[2][gk + u];
            const T hn = s.hn[sk + u];
            const T dh = s.dOut[sk + u] + s.dhNext[ck + u];
            // h = (1 - z) n + z h_prev:  dn = dh (1 - z), dz = dh (h_prev - n)
            const T dnPre = dh * (T(1) - z) * (T(1) - nn * nn);
            const T dr = dnPre * hn * r * (T(1) - r);
            const T dz = dh * (s.hPrev[sk + u] - nn) * z * (T(1) - z);
            s.dh[ck + u] = dh;
            s.dGx[0][gk + u] = dr;
            s.dGx[1][gk + u] = dz;
            s.dGx[2][gk + u] = dnPre;
            s.dGh[0][gk + u] = dr;
            s.dGh[1][gk + u] = dz;
            s.dGh[2][gk + u] = dnPre * r;
        }
    }
}

// The float steps switch to 8-wide code on CPUs with AVX2 and FMA (core/cpufeatures.h); a
// partial group of units at the end is computed in the same lanes, masked.
void lstmForward(const LstmStep<float> &s, std::size_t n, int streams);
void lstmBackward(const LstmStepBack<float> &s, std::size_t n, int streams);
void gruForward(const GruStep<float> &s, std::size_t n, int streams);
void gruBackward(const GruStepBack<float> &s, std::size_t n, int streams);
inline void gruForward(const GruStep<double> &s, std::size_t n, int streams)
{
    gruForwardPortable(s, n, streams);
}
inline void gruBackward(const GruStepBack<double> &s, std::size_t n, int streams)
{
    gruBackwardPortable(s, n, streams);
}
inline void lstmForward(const LstmStep<double> &s, std::size_t n, int streams)
{
    lstmForwardPortable(s, n, streams);
}
inline void lstmBackward(const LstmStepBack<double> &s, std::size_t n, int streams)
{
    lstmBackwardPortable(s, n, streams);
}

} // namespace embedlab::kernels
