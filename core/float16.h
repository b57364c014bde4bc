#pragma once
// IEEE 754 half precision (float16) and bfloat16 conversions, one value or whole arrays.
#include <cstddef>
#include <cstdint>

namespace embedlab {

// Rounds to the nearest half, ties to even, as numpy's astype(float16) and the F16C instruction
// VCVTPS2PH do: results below the smallest subnormal round to a signed zero, above 65504 (from
// 65520 on) to infinity; NaN stays NaN, quiet, with the upper bits of its payload.
std::uint16_t floatToHalf(float value);

// Exact: every half is a float (NaN payloads and subnormals included).
float halfToFloat(std::uint16_t bits);
float bfloat16ToFloat(std::uint16_t bits);

// n values from src to dst, element by element as above.
void floatsToHalves(const float *src, std::uint16_t *dst, std::size_t n);
void halvesToFloats(const std::uint16_t *src, float *dst, std::size_t n);

} // namespace embedlab
