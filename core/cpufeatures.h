#pragma once
// Which vector kernels to run: what the CPU has, less what the environment turns off so that the
// other paths can be tested on any machine (EMBEDLAB_NO_AVX2 turns off AVX2 and everything
// above it, EMBEDLAB_NO_AVX512 AVX-512 only). Read on every call, so a test can switch paths.

namespace embedlab {

// AVX2, and FMA when withFma.
bool useAvx2(bool withFma = false);
// AVX-512 F, DQ, VL and BW (and AVX2).
bool useAvx512();

} // namespace embedlab
