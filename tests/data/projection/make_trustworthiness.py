#!/usr/bin/python3
"""Writes trustworthiness.txt, the fixture of tests/tst_projection.cpp: points in 8 dimensions
(three clusters and noise), two maps of them (a PCA and a noisy one), and
sklearn.manifold.trustworthiness for several k, computed on the float32 values as written.

  /usr/bin/python3 tests/data/projection/make_trustworthiness.py

Format: "n dim d", n lines of dim numbers (x), then for each map: "map", n lines of d numbers,
and lines "k value".
"""
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

rng = np.random.default_rng(7)
n, dim, d = 90, 8, 2
centres = rng.normal(0, 3, (3, dim))
x = (centres[np.arange(n) % 3] + rng.normal(0, 1, (n, dim))).astype(np.float32)
maps = [
    PCA(n_components=d).fit_transform(x.astype(np.float64)).astype(np.float32),
    rng.normal(0, 1, (n, d)).astype(np.float32) + x[:, :d],
]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trustworthiness.txt")
with open(out, "w") as f:
    f.write("# sklearn %s, make_trustworthiness.py\n" % sklearn.__version__)
    f.write("%d %d %d\n" % (n, dim, d))
    for row in x:
        f.write(" ".join(repr(float(v)) for v in row) + "\n")
    for y in maps:
        f.write("map\n")
        for row in y:
            f.write(" ".join(repr(float(v)) for v in row) + "\n")
        for k in (1, 5, 10, 20):
            t = trustworthiness(x.astype(np.float64), y.astype(np.float64), n_neighbors=k)
            f.write("%d %.17g\n" % (k, t))
