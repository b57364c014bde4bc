#!/usr/bin/python3
"""Writes umap_reference.json: umap-learn 0.5.3's find_ab_params for a few min_dist values, and
smooth_knn_dist / fuzzy_simplicial_set on exact cosine neighbours of a small random table.

Run from this folder with Debian's umap-learn installed: /usr/bin/python3 make_fixture.py
"""
import json

import numpy as np
import umap
from umap.umap_ import find_ab_params, fuzzy_simplicial_set, smooth_knn_dist

rng = np.random.RandomState(7)
n, dim, k = 60, 6, 8
# Three loose groups, so rho and sigma vary from point to point.
centres = rng.normal(size=(3, dim)) * 2.0
x = (centres[rng.randint(0, 3, size=n)] + rng.normal(size=(n, dim))).astype(np.float32)

unit = x / np.linalg.norm(x, axis=1, keepdims=True)
cos_dist = 1.0 - unit.astype(np.float64) @ unit.T.astype(np.float64)
np.fill_diagonal(cos_dist, 0.0)
order = np.argsort(cos_dist, axis=1, kind="stable")
knn_indices = np.empty((n, k), dtype=np.int64)
for i in range(n):
    others = [j for j in order[i] if j != i][: k - 1]
    knn_indices[i] = [i] + others
knn_dists = np.take_along_axis(cos_dist, knn_indices, axis=1).astype(np.float32)
knn_dists[:, 0] = 0.0

sigmas, rhos = smooth_knn_dist(knn_dists, float(k), local_connectivity=1.0)
graph, _, _ = fuzzy_simplicial_set(
    x, k, np.random.RandomState(0), "cosine", knn_indices=knn_indices, knn_dists=knn_dists
)

graph = graph.tocoo()
graph.sum_duplicates()

ab = []
for min_dist in [0.0, 0.01, 0.1, 0.25, 0.5, 0.8]:
    a, b = find_ab_params(1.0, min_dist)
    ab.append({"spread": 1.0, "min_dist": min_dist, "a": float(a), "b": float(b)})
a, b = find_ab_params(2.0, 0.5)
ab.append({"spread": 2.0, "min_dist": 0.5, "a": float(a), "b": float(b)})

out = {
    "umap_version": umap.__version__ if hasattr(umap, "__version__") else "0.5.3",
    "n": n,
    "dim": dim,
    "k": k,
    "x": x.astype(float).ravel().tolist(),
    "knn_indices": knn_indices.ravel().tolist(),
    "knn_dists": knn_dists.astype(float).ravel().tolist(),
    "sigmas": sigmas.astype(float).tolist(),
    "rhos": rhos.astype(float).tolist(),
    "graph_rows": graph.row.tolist(),
    "graph_cols": graph.col.tolist(),
    "graph_weights": graph.data.astype(float).tolist(),
    "ab": ab,
}
with open("umap_reference.json", "w") as f:
    json.dump(out, f, indent=0)
print("wrote umap_reference.json:", graph.nnz, "edges")
