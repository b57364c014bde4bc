#!/usr/bin/python3
"""Writes half.txt: float32 inputs and numpy's float16 conversion of each.

tst_runlog checks floatToHalf against every line bit for bit (for a NaN only
that the result is a NaN). The inputs are the special values (signed zeros,
infinities, NaNs with and without low payload bits, the float16 limits and the
values just around them), for every float16 subnormal and for a sample of
normal float16 values the midpoint to the next value (a tie, which rounds to
the even neighbour) and the float32 values just below and above it, float32
subnormals, and random values of many magnitudes. Each line is
"<float32 bits> <float16 bits>" in hex.

Run from anywhere:  /usr/bin/python3 tests/data/runlog/make_half.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def bits_of(values):
    return np.asarray(values, dtype=np.float32).view(np.uint32)


def ties_around(half_bits):
    """Midpoints between consecutive positive float16 values and their float32 neighbours."""
    lo = np.asarray(half_bits, dtype=np.uint16).view(np.float16).astype(np.float32)
    hi = (np.asarray(half_bits, dtype=np.uint16) + 1).view(np.float16).astype(np.float32)
    mid = ((lo.astype(np.float64) + hi.astype(np.float64)) / 2).astype(np.float32)
    mid_bits = mid.view(np.uint32)
    return np.concatenate([mid_bits - 1, mid_bits, mid_bits + 1])


def main():
    rng = np.random.default_rng(20240611)
    specials = bits_of([0.0, -0.0, np.inf, -np.inf, 1.0, -1.0, 0.5, 2.0, 65504.0, -65504.0,
                        65519.99609375, 65520.0, 65536.0, 1e5, 3.4028234663852886e38,
                        -3.4028234663852886e38, 2.0**-14, 2.0**-24, 2.0**-25, -2.0**-25,
                        2.0**-26, 1.5 * 2.0**-24, 2.5 * 2.0**-24, 1e-45, 1e-40, 1e-10,
                        np.pi, np.e, 0.1, 1.0 / 3.0])
    special_bits = np.concatenate([specials, np.array(
        [0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA00000, 0x7F801000, 0xFF800FFF,
         0x387FFFFF, 0x38800000, 0x38800001, 0x33000000, 0x33000001, 0x32FFFFFF,
         0x477FEFFF, 0x477FF000, 0x477FF001, 0x7F7FFFFF, 0x00000001, 0x807FFFFF],
        dtype=np.uint32)])

    subnormal_ties = ties_around(np.arange(0, 0x400))  # from 0 to the smallest normal
    sample = rng.choice(np.arange(0x400, 0x7BFF), size=400, replace=False)
    normal_ties = ties_around(np.sort(sample))
    normal_ties = np.concatenate([normal_ties, normal_ties | 0x80000000])

    magnitudes = rng.uniform(-30.0, 18.0, size=1500)
    signs = rng.choice([-1.0, 1.0], size=1500)
    random_values = bits_of(signs * np.exp2(magnitudes))
    embedding_like = bits_of(rng.standard_normal(500) * 0.1)
    random_bits = rng.integers(0, 2**32, size=500, dtype=np.uint64).astype(np.uint32)

    inputs = np.concatenate([special_bits, subnormal_ties.astype(np.uint32),
                             normal_ties.astype(np.uint32), random_values, embedding_like,
                             random_bits]).astype(np.uint32)
    with np.errstate(over="ignore", invalid="ignore"):
        halves = inputs.view(np.float32).astype(np.float16).view(np.uint16)

    with open(os.path.join(HERE, "half.txt"), "w") as f:
        f.write("# float32 bits, numpy %s float16 bits (tests/data/runlog/make_half.py)\n"
                % np.__version__)
        for x, h in zip(inputs, halves):
            f.write("%08x %04x\n" % (x, h))


if __name__ == "__main__":
    main()
