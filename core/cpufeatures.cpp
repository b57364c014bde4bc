#include "core/cpufeatures.h"

#include <cstdlib>

namespace embedlab {

bool useAvx2(bool withFma)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool avx2 = __builtin_cpu_supports("avx2");
    static const bool fma = __builtin_cpu_supports("fma");
    return avx2 && (fma || !withFma) && std::getenv("EMBEDLAB_NO_AVX2") == nullptr;
#else
    (void)withFma;
    return false;
#endif
}

bool useAvx512()
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool avx512 = __builtin_cpu_supports("avx512f")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw");
    return avx512 && useAvx2() && std::getenv("EMBEDLAB_NO_AVX512") == nullptr;
#else
    return false;
#endif
}

} // namespace embedlab
