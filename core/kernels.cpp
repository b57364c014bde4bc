#include "core/kernels.h"

#include "core/cpufeatures.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

// The build stays portable (no -march); on x86-64 CPUs with AVX2 and FMA the loops below switch
// at run time to 8-wide versions written with intrinsics inside target("avx2,fma") functions.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EMBEDLAB_X86_DISPATCH 1
#include <immintrin.h>
#endif

namespace embedlab::kernels {

namespace {

// Cephes' expf on x = n ln2 + r, |r| <= ln2/2, then 2^n through the exponent bits; relative
// error ~2e-7. Inputs are <= 0 here (a softmax after subtracting the maximum); below -87 the
// result flushes towards 0.
constexpr float Log2e = 1.44269504088896341f;
constexpr float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
constexpr float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
                P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

inline float expScalar(float x)
{
    x = x > -87.0f ? x : -87.0f;
    const float fx = std::floor(x * Log2e + 0.5f);
    const float r = (x - fx * Ln2Hi) - fx * Ln2Lo;
    float y = P0;
    y = y * r + P1;
    y = y * r + P2;
    y = y * r + P3;
    y = y * r + P4;
    y = y * r + P5;
    y = y * r * r + r + 1.0f;
    const std::int32_t bits = (static_cast<std::int32_t>(fx) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

float maxScalar(const float *x, std::size_t n)
{
    float m = x[0];
    for (std::size_t i = 1; i < n; ++i)
        m = x[i] > m ? x[i] : m;
    return m;
}

float expShiftScalar(float *x, std::size_t n, float shift, bool store)
{
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float e = expScalar(x[i] - shift);
        if (store)
            x[i] = e;
        sum += e;
    }
    return static_cast<float>(sum);
}

void scaleScalar(float *x, std::size_t n, float s)
{
    for (std::size_t i = 0; i < n; ++i)
        x[i] *= s;
}

float addMaxScalar(float *x, const float *bias, std::size_t n)
{
    float m = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        x[i] += bias[i];
        m = x[i] > m ? x[i] : m;
    }
    return m;
}

void scaleAccumulateScalar(float *x, std::size_t n, float s, float *acc)
{
    for (std::size_t i = 0; i < n; ++i) {
        x[i] *= s;
        acc[i] += x[i];
    }
}

#ifdef EMBEDLAB_X86_DISPATCH
#define EMBEDLAB_AVX2 __attribute__((target("avx2,fma")))

EMBEDLAB_AVX2 inline __m256 exp8(__m256 x)
{
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    const __m256 fx
        = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(Log2e), _mm256_set1_ps(0.5f)));
    __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(Ln2Hi), x);
    r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(Ln2Lo), r);
    __m256 y = _mm256_set1_ps(P0);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P1));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P2));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P3));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P4));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(P5));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i bits
        = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

EMBEDLAB_AVX2 float hsum8(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

EMBEDLAB_AVX2 float maxAvx2(const float *x, std::size_t n)
{
    std::size_t i = 0;
    float m = x[0];
    if (n >= 8) {
        __m256 mv = _mm256_loadu_ps(x);
        for (i = 8; i + 8 <= n; i += 8)
            mv = _mm256_max_ps(mv, _mm256_loadu_ps(x + i));
        __m128 s = _mm_max_ps(_mm256_castps256_ps128(mv), _mm256_extractf128_ps(mv, 1));
        s = _mm_max_ps(s, _mm_movehl_ps(s, s));
        s = _mm_max_ss(s, _mm_movehdup_ps(s));
        m = _mm_cvtss_f32(s);
    }
    for (; i < n; ++i)
        m = x[i] > m ? x[i] : m;
    return m;
}

EMBEDLAB_AVX2 float expShiftAvx2(float *x, std::size_t n, float shift, bool store)
{
    const __m256 sh = _mm256_set1_ps(shift);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 e0 = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), sh));
        const __m256 e1 = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), sh));
        if (store) {
            _mm256_storeu_ps(x + i, e0);
            _mm256_storeu_ps(x + i + 8, e1);
        }
        acc0 = _mm256_add_ps(acc0, e0);
        acc1 = _mm256_add_ps(acc1, e1);
    }
    float sum = hsum8(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) {
        const float e = expScalar(x[i] - shift);
        if (store)
            x[i] = e;
        sum += e;
    }
    return sum;
}

EMBEDLAB_AVX2 void scaleAvx2(float *x, std::size_t n, float s)
{
    const __m256 sv = _mm256_set1_ps(s);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), sv));
    for (; i < n; ++i)
        x[i] *= s;
}

EMBEDLAB_AVX2 float addMaxAvx2(float *x, const float *bias, std::size_t n)
{
    __m256 mv = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_add_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(bias + i));
        _mm256_storeu_ps(x + i, v);
        mv = _mm256_max_ps(mv, v);
    }
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(mv), _mm256_extractf128_ps(mv, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    float m = _mm_cvtss_f32(s);
    for (; i < n; ++i) {
        x[i] += bias[i];
        m = x[i] > m ? x[i] : m;
    }
    return m;
}

EMBEDLAB_AVX2 void scaleAccumulateAvx2(float *x, std::size_t n, float s, float *acc)
{
    const __m256 sv = _mm256_set1_ps(s);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + i), sv);
        _mm256_storeu_ps(x + i, v);
        _mm256_storeu_ps(acc + i, _mm256_add_ps(_mm256_loadu_ps(acc + i), v));
    }
    for (; i < n; ++i) {
        x[i] *= s;
        acc[i] += x[i];
    }
}

// exp for the gates: both ends clamped (sigmoid of any finite input is finite).
EMBEDLAB_AVX2 inline __m256 expClamped8(__m256 x)
{
    return exp8(_mm256_min_ps(x, _mm256_set1_ps(88.3762626647949f)));
}

EMBEDLAB_AVX2 inline __m256 sigmoid8(__m256 x)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_div_ps(
        one, _mm256_add_ps(one, expClamped8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

// Eigen's fast float tanh (generic_fast_tanh_float, its FMA variant): a 13/6 rational fit on
// [-7.9988, 7.9988], x itself below 0.0004.
EMBEDLAB_AVX2 inline __m256 tanh8(__m256 a)
{
    const __m256 clamp = _mm256_set1_ps(7.99881172180175781f);
    const __m256 x
        = _mm256_max_ps(_mm256_min_ps(a, clamp), _mm256_sub_ps(_mm256_setzero_ps(), clamp));
    const __m256 absA = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a);
    const __m256 tiny = _mm256_cmp_ps(absA, _mm256_set1_ps(0.0004f), _CMP_LT_OQ);
    const __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_fmadd_ps(
        x2, _mm256_set1_ps(-2.76076847742355e-16f), _mm256_set1_ps(2.00018790482477e-13f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-8.60467152213735e-11f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(5.12229709037114e-08f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(1.48572235717979e-05f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(6.37261928875436e-04f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(4.89352455891786e-03f));
    p = _mm256_mul_ps(x, p);
    __m256 q = _mm256_fmadd_ps(
        x2, _mm256_set1_ps(1.19825839466702e-06f), _mm256_set1_ps(1.18534705686654e-04f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(2.26843463243900e-03f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(4.89352518554385e-03f));
    return _mm256_blendv_ps(_mm256_div_ps(p, q), x, tiny);
}

// Lanes [0, count) of a group of 8 (count 8 or more: all).
EMBEDLAB_AVX2 inline __m256i laneMask(std::size_t count)
{
    const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count < 8 ? count : 8)), index);
}

// Loads and stores of a group of 8 lanes, the last partial group masked (masked stores are slow
// on some CPUs, so only that group uses them).
struct Lanes
{
    __m256i mask;
    bool full;
};

EMBEDLAB_AVX2 inline __m256 loadLanes(const float *p, const Lanes &m)
{
    return m.full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, m.mask);
}

EMBEDLAB_AVX2 inline void storeLanes(float *p, const Lanes &m, __m256 v)
{
    if (m.full)
        _mm256_storeu_ps(p, v);
    else
        _mm256_maskstore_ps(p, m.mask, v);
}

EMBEDLAB_AVX2 void lstmForwardAvx2(const LstmStep<float> &s, std::size_t n, int streams)
{
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, rk = k * s.recStride, sk = k * s.stateStride;
        for (std::size_t u = 0; u < n; u += 8) {
            const Lanes m { laneMask(n - u), n - u >= 8 };
            const __m256 i = sigmoid8(
                _mm256_add_ps(loadLanes(s.gate[0] + gk + u, m), loadLanes(s.rec[0] + rk + u, m)));
            const __m256 f = sigmoid8(
                _mm256_add_ps(loadLanes(s.gate[1] + gk + u, m), loadLanes(s.rec[1] + rk + u, m)));
            const __m256 g = tanh8(
                _mm256_add_ps(loadLanes(s.gate[2] + gk + u, m), loadLanes(s.rec[2] + rk + u, m)));
            const __m256 o = sigmoid8(
                _mm256_add_ps(loadLanes(s.gate[3] + gk + u, m), loadLanes(s.rec[3] + rk + u, m)));
            storeLanes(s.gate[0] + gk + u, m, i);
            storeLanes(s.gate[1] + gk + u, m, f);
            storeLanes(s.gate[2] + gk + u, m, g);
            storeLanes(s.gate[3] + gk + u, m, o);
            const __m256 c
                = _mm256_fmadd_ps(f, loadLanes(s.cPrev + sk + u, m), _mm256_mul_ps(i, g));
            const __m256 tc = tanh8(c);
            storeLanes(s.c + sk + u, m, c);
            storeLanes(s.tanhC + sk + u, m, tc);
            storeLanes(s.h + sk + u, m, _mm256_mul_ps(o, tc));
        }
    }
}

// The portable loop's products in its order, without fused multiply-adds (this file is compiled
// with -ffp-contract=off): the same bits.
EMBEDLAB_AVX2 void lstmBackwardAvx2(const LstmStepBack<float> &s, std::size_t n, int streams)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, sk = k * s.stateStride, ck = k * s.carryStride;
        for (std::size_t u = 0; u < n; u += 8) {
            const Lanes m { laneMask(n - u), n - u >= 8 };
            const __m256 i = loadLanes(s.gate[0] + gk + u, m), f = loadLanes(s.gate[1] + gk + u, m),
                         g = loadLanes(s.gate[2] + gk + u, m), o = loadLanes(s.gate[3] + gk + u, m),
                         tc = loadLanes(s.tanhC + sk + u, m);
            const __m256 dh
                = _mm256_add_ps(loadLanes(s.dOut + sk + u, m), loadLanes(s.dhNext + ck + u, m));
            const __m256 dc = _mm256_add_ps(
                _mm256_mul_ps(_mm256_mul_ps(dh, o), _mm256_sub_ps(one, _mm256_mul_ps(tc, tc))),
                loadLanes(s.dcNext + ck + u, m));
            storeLanes(s.dGate[0] + gk + u, m,
                _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dc, g), i), _mm256_sub_ps(one, i)));
            storeLanes(s.dGate[1] + gk + u, m,
                _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dc, loadLanes(s.cPrev + sk + u, m)), f),
                    _mm256_sub_ps(one, f)));
            storeLanes(s.dGate[2] + gk + u, m,
                _mm256_mul_ps(_mm256_mul_ps(dc, i), _mm256_sub_ps(one, _mm256_mul_ps(g, g))));
            storeLanes(s.dGate[3] + gk + u, m,
                _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dh, tc), o), _mm256_sub_ps(one, o)));
            storeLanes(s.dcNext + ck + u, m, _mm256_mul_ps(dc, f));
        }
    }
}

EMBEDLAB_AVX2 void gruForwardAvx2(const GruStep<float> &s, std::size_t n, int streams)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, rk = k * s.recStride, sk = k * s.stateStride;
        for (std::size_t u = 0; u < n; u += 8) {
            const Lanes m { laneMask(n - u), n - u >= 8 };
            const __m256 r = sigmoid8(_mm256_add_ps(loadLanes(s.gate[0] + gk + u, m),
                _mm256_add_ps(loadLanes(s.rec[0] + rk + u, m), loadLanes(s.bias[0] + u, m))));
            const __m256 z = sigmoid8(_mm256_add_ps(loadLanes(s.gate[1] + gk + u, m),
                _mm256_add_ps(loadLanes(s.rec[1] + rk + u, m), loadLanes(s.bias[1] + u, m))));
            const __m256 hn
                = _mm256_add_ps(loadLanes(s.rec[2] + rk + u, m), loadLanes(s.bias[2] + u, m));
            const __m256 nn = tanh8(_mm256_fmadd_ps(r, hn, loadLanes(s.gate[2] + gk + u, m)));
            storeLanes(s.gate[0] + gk + u, m, r);
            storeLanes(s.gate[1] + gk + u, m, z);
            storeLanes(s.gate[2] + gk + u, m, nn);
            storeLanes(s.hn + sk + u, m, hn);
            storeLanes(s.h + sk + u, m,
                _mm256_fmadd_ps(
                    z, loadLanes(s.hPrev + sk + u, m), _mm256_mul_ps(_mm256_sub_ps(one, z), nn)));
        }
    }
}

// As the portable loop, product for product.
EMBEDLAB_AVX2 void gruBackwardAvx2(const GruStepBack<float> &s, std::size_t n, int streams)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int k = 0; k < streams; ++k) {
        const std::size_t gk = k * s.gateStride, sk = k * s.stateStride, ck = k * s.carryStride;
        for (std::size_t u = 0; u < n; u += 8) {
            const Lanes m { laneMask(n - u), n - u >= 8 };
            const __m256 r = loadLanes(s.gate[0] + gk + u, m), z = loadLanes(s.gate[1] + gk + u, m),
                         nn = loadLanes(s.gate[2] + gk + u, m), hn = loadLanes(s.hn + sk + u, m);
            const __m256 dh
                = _mm256_add_ps(loadLanes(s.dOut + sk + u, m), loadLanes(s.dhNext + ck + u, m));
            const __m256 dnPre = _mm256_mul_ps(_mm256_mul_ps(dh, _mm256_sub_ps(one, z)),
                _mm256_sub_ps(one, _mm256_mul_ps(nn, nn)));
            const __m256 dr
                = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(dnPre, hn), r), _mm256_sub_ps(one, r));
            const __m256 dz = _mm256_mul_ps(
                _mm256_mul_ps(
                    _mm256_mul_ps(dh, _mm256_sub_ps(loadLanes(s.hPrev + sk + u, m), nn)), z),
                _mm256_sub_ps(one, z));
            storeLanes(s.dh + ck + u, m, dh);
            storeLanes(s.dGx[0] + gk + u, m, dr);
            storeLanes(s.dGx[1] + gk + u, m, dz);
            storeLanes(s.dGx[2] + gk + u, m, dnPre);
            storeLanes(s.dGh[0] + gk + u, m, dr);
            storeLanes(s.dGh[1] + gk + u, m, dz);
            storeLanes(s.dGh[2] + gk + u, m, _mm256_mul_ps(dnPre, r));
        }
    }
}

const bool g_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
const bool g_avx2 = false;
#endif

float maxOf(const float *x, std::size_t n)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (g_avx2)
        return maxAvx2(x, n);
#endif
    return maxScalar(x, n);
}

float expShift(float *x, std::size_t n, float shift, bool store)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (g_avx2)
        return expShiftAvx2(x, n, shift, store);
#endif
    return expShiftScalar(x, n, shift, store);
}

float addMax(float *x, const float *bias, std::size_t n)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (g_avx2)
        return addMaxAvx2(x, bias, n);
#endif
    return addMaxScalar(x, bias, n);
}

void scaleAccumulate(float *x, std::size_t n, float s, float *acc)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (g_avx2)
        return scaleAccumulateAvx2(x, n, s, acc);
#endif
    scaleAccumulateScalar(x, n, s, acc);
}

void scale(float *x, std::size_t n, float s)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (g_avx2)
        return scaleAvx2(x, n, s);
#endif
    scaleScalar(x, n, s);
}

} // namespace

float softmaxCrossEntropyGrad(float *x, std::size_t n, std::size_t target, float scaleBy)
{
    const float mx = maxOf(x, n);
    const float targetLogit = x[target];
    const float sum = expShift(x, n, mx, true);
    scale(x, n, scaleBy / sum);
    x[target] -= scaleBy;
    return std::log(sum) + mx - targetLogit;
}

float softmaxCrossEntropyGradBias(
    float *x, const float *bias, std::size_t n, std::size_t target, float scaleBy, float *biasGrad)
{
    const float mx = addMax(x, bias, n);
    const float targetLogit = x[target];
    const float sum = expShift(x, n, mx, true);
    scaleAccumulate(x, n, scaleBy / sum, biasGrad);
    x[target] -= scaleBy;
    biasGrad[target] -= scaleBy;
    return std::log(sum) + mx - targetLogit;
}

float logSumExpBias(float *x, const float *bias, std::size_t n)
{
    const float mx = addMax(x, bias, n);
    return std::log(expShift(x, n, mx, false)) + mx;
}

void lstmForward(const LstmStep<float> &s, std::size_t n, int streams)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (useAvx2(true))
        return lstmForwardAvx2(s, n, streams);
#endif
    lstmForwardPortable(s, n, streams);
}

void lstmBackward(const LstmStepBack<float> &s, std::size_t n, int streams)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (useAvx2(true))
        return lstmBackwardAvx2(s, n, streams);
#endif
    lstmBackwardPortable(s, n, streams);
}

void gruForward(const GruStep<float> &s, std::size_t n, int streams)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (useAvx2(true))
        return gruForwardAvx2(s, n, streams);
#endif
    gruForwardPortable(s, n, streams);
}

void gruBackward(const GruStepBack<float> &s, std::size_t n, int streams)
{
#ifdef EMBEDLAB_X86_DISPATCH
    if (useAvx2(true))
        return gruBackwardAvx2(s, n, streams);
#endif
    gruBackwardPortable(s, n, streams);
}

float logSumExp(const float *x, std::size_t n)
{
    const float mx = maxOf(x, n);
    return std::log(expShift(const_cast<float *>(x), n, mx, false)) + mx;
}

} // namespace embedlab::kernels
