#!/usr/bin/python3
"""umap-learn's side of bench_umap: time UMAP(metric='cosine') on the same unit rows, and score
maps by trustworthiness@10.

  /usr/bin/python3 tests/bench/umap_learn.py fit [--vectors FILE] [--rows N] [--n-jobs 2]
      [--out /tmp/umap_learn.tsv] [--exact-neighbours]
  /usr/bin/python3 tests/bench/umap_learn.py score [--vectors FILE] MAP.tsv [MAP.tsv ...]

`fit` runs two fits: the first includes numba's JIT compilation, the second is the steady-state
time to compare with. Without a random_state, umap-learn runs its parallel code paths (with one it
forces n_jobs=1). `score` computes sklearn.manifold.trustworthiness(X, Y, n_neighbors=10) on a fixed
random subset of 5,000 rows (numpy seed 0), as the full 20,000 x 20,000 distance matrices would
not fit in memory; on unit rows Euclidean ranks are cosine ranks.
"""
import argparse
import json
import time

import numpy as np

DEFAULT = "/work/shared/data/vectors/glove.6B.100d.top20k.txt"


def load(path, rows):
    vecs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            vecs.append([float(v) for v in parts[1:]])
            if rows and len(vecs) >= rows:
                break
    x = np.asarray(vecs, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["fit", "score"])
    p.add_argument("maps", nargs="*")
    p.add_argument("--vectors", default=DEFAULT)
    p.add_argument("--rows", type=int, default=0)
    p.add_argument("--n-jobs", type=int, default=-1)
    p.add_argument("--out", default="/tmp/umap_learn.tsv")
    p.add_argument("--subset", type=int, default=5000)
    p.add_argument("--exact-neighbours", action="store_true")
    args = p.parse_args()
    x = load(args.vectors, args.rows)

    if args.mode == "fit":
        import umap

        extra = {}
        if args.exact_neighbours:
            from pynndescent import NNDescent

            sims = x @ x.T
            np.fill_diagonal(sims, 2.0)  # each row first, at distance 0
            idx = np.argsort(-sims, axis=1)[:, :15]
            dist = (1.0 - np.take_along_axis(sims, idx, axis=1)).astype(np.float32)
            dist[:, 0] = 0.0
            del sims
            # umap-learn wants a search index beside the neighbours; fit_transform never uses it.
            extra["precomputed_knn"] = (idx, dist, NNDescent.__new__(NNDescent))
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            y = umap.UMAP(metric="cosine", n_jobs=args.n_jobs, **extra).fit_transform(x)
            times.append(time.perf_counter() - t0)
        np.savetxt(args.out, y, delimiter="\t", fmt="%.6f")
        print(json.dumps({"rows": len(x), "first_fit_seconds": round(times[0], 3),
                          "second_fit_seconds": round(times[1], 3), "n_jobs": args.n_jobs,
                          "out": args.out}))
    else:
        from sklearn.manifold import trustworthiness

        idx = np.random.RandomState(0).choice(len(x), size=min(args.subset, len(x)), replace=False)
        for path in args.maps:
            y = np.loadtxt(path, delimiter="\t", dtype=np.float64)
            t = trustworthiness(x[idx], y[idx], n_neighbors=10)
            print(json.dumps({"map": path, "trustworthiness_10": round(float(t), 4),
                              "subset": len(idx)}))


if __name__ == "__main__":
    main()
