#!/usr/bin/env python3
"""Writes the .npy fixtures of tests/tst_vectors_io.cpp with NumPy's own np.save:
`/usr/bin/python3 tests/data/vectors/numpy/make_reference.py`.

small.npy (float32, 4 x 3) with small.vocab.txt is what our writer must reproduce byte for byte
(NumPy's format version 1.0, the header padded to 64 bytes); small_f8.npy is the same matrix in
float64, which the reader also takes; fortran.npy (column-major) and big_endian.npy ('>f4') are
refused, and cube.npy (a 3-D array) too.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = ["<pad>", "king", "向量", "café"]


def main():
    m = np.array([[0.0, 0.0, 0.0], [0.5, -1.25, 3.0], [1e-3, 2.5e10, -7.0], [0.1, 0.2, 0.3]],
                 dtype=np.float32)
    np.save(os.path.join(HERE, "small.npy"), m)
    with open(os.path.join(HERE, "small.vocab.txt"), "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in WORDS))
    np.save(os.path.join(HERE, "small_f8.npy"), m.astype(np.float64))
    with open(os.path.join(HERE, "small_f8.vocab.txt"), "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in WORDS))
    np.save(os.path.join(HERE, "fortran.npy"), np.asfortranarray(m))
    np.save(os.path.join(HERE, "big_endian.npy"), m.astype(">f4"))
    np.save(os.path.join(HERE, "cube.npy"), np.zeros((2, 2, 2), dtype=np.float32))
    for name in ("fortran", "big_endian", "cube"):
        with open(os.path.join(HERE, name + ".vocab.txt"), "w", encoding="utf-8") as f:
            f.write("".join(w + "\n" for w in WORDS))


if __name__ == "__main__":
    main()
