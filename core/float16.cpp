#include "core/float16.h"

#include <cstring>

namespace embedlab {

std::uint16_t floatToHalf(float value)
{
    std::uint32_t x;
    std::memcpy(&x, &value, sizeof x);
    const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
    x &= 0x7FFFFFFFu;

    if (x >= 0x7F800000u) {
        if (x == 0x7F800000u)
            return sign | 0x7C00u;
        // Setting the quiet bit keeps a NaN whose payload lives only in the low 13 bits a NaN.
        return static_cast<std::uint16_t>(sign | 0x7E00u | ((x >> 13) & 0x3FFu));
    }
    // 65520 lies halfway between the largest half (65504, odd mantissa) and 65536: ties to even
    // go up, to infinity.
    if (x >= 0x477FF000u)
        return sign | 0x7C00u;
    if (x >= 0x38800000u) {
        // Normal half (2^-14 and up). Re-bias the exponent by 127 - 15 and round away the 13 low
        // mantissa bits; a carry out of the mantissa correctly bumps the exponent.
        const std::uint32_t odd = (x >> 13) & 1u;
        return static_cast<std::uint16_t>(sign | ((x - (112u << 23) + 0xFFFu + odd) >> 13));
    }
    // Subnormal half: the value in units of 2^-24 is the float's full significand shifted right.
    // At most 2^-25 (half the smallest subnormal, a tie with zero) everything rounds to zero.
    if (x <= 0x33000000u)
        return sign;
    const std::uint32_t exponent = x >> 23; // 102 ... 112 here
    const std::uint32_t significand = (x & 0x7FFFFFu) | 0x800000u;
    const std::uint32_t shift = 126 - exponent; // 14 ... 24
    std::uint32_t half = significand >> shift;
    const std::uint32_t rest = significand & ((1u << shift) - 1);
    const std::uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u)))
        ++half; // may reach 0x400, which is the smallest normal half: still the right bits
    return static_cast<std::uint16_t>(sign | half);
}

float halfToFloat(std::uint16_t bits)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    std::uint32_t exponent = (bits >> 10) & 0x1Fu;
    std::uint32_t mantissa = bits & 0x3FFu;
    std::uint32_t result;
    if (exponent == 0x1F) {
        result = sign | 0x7F800000u | (mantissa << 13); // inf or NaN, payload kept
    } else if (exponent != 0) {
        result = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        result = sign; // signed zero
    } else {
        // Subnormal half: every one is a normal float. Shift the leading 1 into the hidden bit.
        exponent = 127 - 15 + 1;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        result = sign | (exponent << 23) | ((mantissa & 0x3FFu) << 13);
    }
    float f;
    std::memcpy(&f, &result, sizeof f);
    return f;
}

float bfloat16ToFloat(std::uint16_t bits)
{
    // bfloat16 is the upper half of a float.
    const std::uint32_t result = static_cast<std::uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &result, sizeof f);
    return f;
}

void floatsToHalves(const float *src, std::uint16_t *dst, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        dst[i] = floatToHalf(src[i]);
}

void halvesToFloats(const std::uint16_t *src, float *dst, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        dst[i] = halfToFloat(src[i]);
}

} // namespace embedlab
