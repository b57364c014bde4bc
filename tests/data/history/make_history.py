#!/usr/bin/env python3
"""Writes the fixture of tests/tst_runhistory.cpp: three snapshots of a 200 x 16 embedding table
(word2vec text) and the neighbourhood overlaps between consecutive ones, as gensim 4.2 finds them
(`/usr/bin/python3 tests/data/history/make_history.py`, with Debian's python3-gensim).

The tables are a random walk: step 0 is random, each next step adds a small random step to every
value. Every value is a multiple of 1/64 below 4 in magnitude, so its decimal text is exact and
every reader gets the same float32. The seed is the first one (from 1) for which no query has a
near-tie at its k-th neighbour (the k-th and (k+1)-th cosine at least MIN_GAP apart in float64),
so the top k does not depend on how ties or rounding are handled.
"""
import json
import os
import random

import numpy as np
from gensim.models import KeyedVectors

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS, DIM, K, WORDS = 200, 16, 10, 150
TABLES = ["step-0.txt", "step-100.txt", "step-200.txt"]
MIN_GAP = 1e-4


def make_tables(seed):
    rng = random.Random(seed)
    words = [f"w{i:03d}" for i in range(ROWS)]
    base = [[rng.randint(-64, 64) for _ in range(DIM)] for _ in range(ROWS)]
    tables = [base]
    for _ in TABLES[1:]:
        prev = tables[-1]
        # A larger walk for some words than for others, so the overlaps spread out.
        tables.append([[max(-255, min(255, v + rng.randint(-24, 24) * (1 + r % 3)))
                        for v in row] for r, row in enumerate(prev)])
    return words, tables


def top_k_clean(table):
    m = np.array(table, dtype=np.float64)
    unit = m / np.linalg.norm(m, axis=1, keepdims=True)
    cos = unit[:WORDS] @ unit.T
    for i in range(WORDS):
        row = np.delete(cos[i], i)
        s = np.sort(row)[::-1]
        if s[K - 1] - s[K] < MIN_GAP:
            return False
    return True


def main():
    seed = 1
    while True:
        words, tables = make_tables(seed)
        if all(top_k_clean(t) for t in tables):
            break
        seed += 1
    for name, table in zip(TABLES, tables):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(f"{ROWS} {DIM}\n")
            for w, row in zip(words, table):
                f.write(w + " " + " ".join(repr(v / 64) for v in row) + "\n")

    neighbours = {}
    for name in TABLES:
        kv = KeyedVectors.load_word2vec_format(os.path.join(HERE, name), binary=False)
        neighbours[name] = {w: [n for n, _ in kv.most_similar(w, topn=K)] for w in words[:WORDS]}
    overlaps, means = [], []
    for a, b in zip(TABLES, TABLES[1:]):
        counts = [len(set(neighbours[a][w]) & set(neighbours[b][w])) for w in words[:WORDS]]
        overlaps.append(counts)
        means.append(sum(c / K for c in counts) / WORDS)
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"generator": "gensim KeyedVectors.most_similar(word, topn=k)", "seed": seed,
                   "k": K, "words": WORDS, "tables": TABLES, "neighbours": neighbours,
                   "overlaps": overlaps, "mean_overlaps": means}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
