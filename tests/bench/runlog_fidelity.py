#!/usr/bin/env python3
"""How faithful a run folder's float16 embedding snapshot is to the float32 table.

Compares the snapshot at --step (default: the last one in snapshots.jsonl) with
encoder.weight of the run's checkpoint.safetensors, which embedlab-cli train writes right
after the last snapshot from the same weights. Prints one JSON object:
  values: max abs error, max relative error over float16's normal range (|x| >= 2^-14; below
          it float16 is subnormal and keeps an absolute step of 2^-24), and over all nonzero
          values;
  neighbours: for the --words most frequent words (ids 3 ... 3 + words - 1: the vocabulary is
          ordered by count, after <pad>, <unk>, <eos>), the top --k cosine neighbours over the
          whole vocabulary but <pad> and the word itself, from each table: mean overlap
          |A & B| / k, the share of queries with identical lists, and the max abs difference
          of cosine scores (of all query x word pairs, and of the k-th best score).

Needs numpy and the zstd command (Debian: /usr/bin/python3, package zstd):
  /usr/bin/python3 tests/bench/runlog_fidelity.py --run /tmp/austen-run [--step S]
"""
import argparse
import json
import os
import struct
import subprocess
import sys

import numpy as np


def read_snapshot(path):
    raw = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    if raw[:8] != b"EMBSNAP1":
        sys.exit(f"{path}: not an embedding snapshot")
    step, rows, cols = struct.unpack_from("<qii", raw, 8)
    values = np.frombuffer(raw, dtype="<f2", count=rows * cols, offset=24)
    return step, values.reshape(rows, cols).astype(np.float32)


def read_safetensor(path, name):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        t = header[name]
        if t["dtype"] != "F32":
            sys.exit(f"{path}: {name} is {t['dtype']}, expected F32")
        begin, end = t["data_offsets"]
        f.seek(8 + n + begin)
        data = np.frombuffer(f.read(end - begin), dtype="<f4")
    return data.reshape(t["shape"]), header.get("__metadata__", {})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", required=True, help="the run folder")
    ap.add_argument("--step", type=int, help="the snapshot's step (default: the last)")
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    a = ap.parse_args()

    with open(os.path.join(a.run, "snapshots.jsonl")) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    entry = entries[-1] if a.step is None else next(e for e in entries if e["step"] == a.step)
    step, half = read_snapshot(os.path.join(a.run, entry["file"]))
    full, meta = read_safetensor(os.path.join(a.run, "checkpoint.safetensors"), "encoder.weight")
    training = json.loads(meta.get("embedlab.training", "{}"))
    if training.get("steps") != step:
        print(f"note: the checkpoint is of step {training.get('steps')}, the snapshot of {step}",
              file=sys.stderr)
    if half.shape != full.shape:
        sys.exit(f"snapshot {half.shape} and checkpoint {full.shape} differ in shape")
    full = full.astype(np.float32)

    err = np.abs(half - full)
    mag = np.abs(full)
    normal = mag >= 2.0**-14
    nonzero = mag > 0
    values = {
        "rows": int(full.shape[0]),
        "cols": int(full.shape[1]),
        "max_abs_value": float(mag.max()),
        "max_abs_error": float(err.max()),
        "mean_abs_error": float(err.mean()),
        "max_rel_error_normal": float((err[normal] / mag[normal]).max()),
        "max_rel_error_nonzero": float((err[nonzero] / mag[nonzero]).max()),
        "subnormal_share": float(1 - normal.mean()),
    }

    k, n = a.k, min(a.words, full.shape[0] - 3)
    q = np.arange(3, 3 + n)
    result = {}
    for name, table in (("f16", half), ("f32", full)):
        t = table.astype(np.float64)
        norms = np.linalg.norm(t, axis=1)
        unit = t / np.where(norms > 0, norms, 1)[:, None]
        s = unit[q] @ unit.T  # (n, V) cosine scores
        s[:, 0] = -np.inf  # <pad>
        s[np.arange(n), q] = -np.inf  # the word itself
        best = np.argsort(-s, axis=1, kind="stable")[:, :k]
        result[name] = (s, best)
    (s16, b16), (s32, b32) = result["f16"], result["f32"]
    finite = np.isfinite(s32)
    overlap = np.array([len(set(x) & set(y)) / k for x, y in zip(b16, b32)])
    kth16 = np.take_along_axis(s16, b16[:, -1:], axis=1)
    kth32 = np.take_along_axis(s32, b32[:, -1:], axis=1)
    neighbours = {
        "words": int(n),
        "k": k,
        "mean_overlap": float(overlap.mean()),
        "min_overlap": float(overlap.min()),
        "identical_lists": float(np.mean([list(x) == list(y) for x, y in zip(b16, b32)])),
        "max_abs_cosine_diff": float(np.abs(s16[finite] - s32[finite]).max()),
        "max_abs_kth_score_diff": float(np.abs(kth16 - kth32).max()),
    }
    print(json.dumps({"run": a.run, "snapshot_step": int(step), "snapshot_file": entry["file"],
                      "checkpoint_steps": training.get("steps"),
                      "values": values, "neighbours": neighbours}))


if __name__ == "__main__":
    main()
