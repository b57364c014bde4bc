#!/usr/bin/python3
"""scikit-learn's side of tests/bench/bench_projection.cpp: TSNE(method='barnes_hut', n_jobs=2)
of the first N words of a GloVe table (unit-normalised rows), its time and its
trustworthiness@10 on the subset bench_projection uses (every ceil(N / 5000)-th row).

  /usr/bin/python3 tests/bench/sklearn_tsne.py [--vectors FILE] [--rows N] [--ours coords.tsv]

--ours also scores a map bench_projection wrote (--out), with sklearn's trustworthiness.
Prints one JSON object.
"""
import argparse
import json
import time

import numpy as np
from sklearn.manifold import TSNE, trustworthiness


def read_glove(path, rows):
    words, vecs = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            vecs.append([float(v) for v in parts[1:]])
            if len(words) == rows:
                break
    x = np.asarray(vecs, dtype=np.float32)
    return words, x / np.linalg.norm(x, axis=1, keepdims=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", default="/work/shared/data/vectors/glove.6B.100d.top20k.txt")
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--dims", type=int, default=2)
    ap.add_argument("--ours")
    ap.add_argument("--skip-sklearn", action="store_true")
    args = ap.parse_args()
    words, x = read_glove(args.vectors, args.rows)
    n = len(words)
    stride = (n + 4999) // 5000
    subset = np.arange(0, n, stride)
    out = {"rows": n, "subset": len(subset)}
    if not args.skip_sklearn:
        t0 = time.perf_counter()
        y = TSNE(n_components=args.dims, method="barnes_hut", n_jobs=2, init="pca",
                 learning_rate="auto", perplexity=30, random_state=0).fit(x)
        out["sklearn_seconds"] = round(time.perf_counter() - t0, 3)
        out["sklearn_kl"] = float(y.kl_divergence_)
        out["sklearn_trustworthiness_at_10"] = float(
            trustworthiness(x[subset], y.embedding_[subset], n_neighbors=10))
    if args.ours:
        ours = np.loadtxt(args.ours, delimiter="\t", usecols=range(1, 1 + args.dims),
                          dtype=np.float64, comments=None, quotechar=None)
        out["ours_trustworthiness_at_10"] = float(
            trustworthiness(x[subset], ours[subset], n_neighbors=10))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
