#!/usr/bin/python3
"""Golden fixture for the C++ text classifier (core/classifier.h), computed with PyTorch 1.13.

    /usr/bin/python3 tests/golden/make_classifier_reference.py [--out tests/data/golden/classifier.json]

For each case: a batch of token sequences of mixed lengths is padded as Keras' pad_sequences does
(tests/bench/pytorch_classifier.py), fed through nn.Embedding -> nn.LSTM / nn.GRU with
pack_padded_sequence (so the pads are skipped) -> pooling -> nn.Linear -> cross-entropy (mean).
Recorded, in float64 and float32 from the same initial weights: the loss, every gradient, the
weights after one SGD step (p -= lr * grad) and, from the initial weights again, after one Adam
step (torch.optim.Adam defaults). Tensors are flat, row-major (PyTorch order).

Checkpoint check: `--check-checkpoint MODEL` loads an Embedding Lab classifier checkpoint into the
equivalent TextClassifier with a strict load_state_dict and prints the class probabilities of the
padded rows given with --rows (JSON), to compare with `embedlab-cli classify`.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from pytorch_classifier import TextClassifier, pad_sequences  # noqa: E402

CASES = [
    dict(name="lstm_last_pre", cell="lstm", pooling="last", padding="pre", truncating="pre",
         max_length=6, layers=1, seed=2001),
    dict(name="lstm_mean_post", cell="lstm", pooling="mean", padding="post", truncating="post",
         max_length=6, layers=2, seed=2002),
    dict(name="lstm_max_pre", cell="lstm", pooling="max", padding="pre", truncating="post",
         max_length=7, layers=1, seed=2003),
    dict(name="gru_last_pre", cell="gru", pooling="last", padding="pre", truncating="pre",
         max_length=6, layers=1, seed=2004),
]
V, E, H, C = 12, 4, 5, 3
SGD_LR, ADAM_LR = 0.5, 0.01


def flat(t):
    return t.detach().reshape(-1).tolist()


def run_case(case):
    g = torch.Generator().manual_seed(case["seed"])
    lengths = [2, 8, 4, 6, 1, 5]
    sequences = [torch.randint(1, V, (n,), generator=g).tolist() for n in lengths]
    labels = torch.randint(0, C, (len(lengths),), generator=g).tolist()
    rows = pad_sequences(sequences, case["max_length"], case["padding"], case["truncating"])
    torch.manual_seed(case["seed"])
    ref = TextClassifier(case["cell"], V, E, H, case["layers"], C, case["pooling"]).double()
    init = {k: v.clone() for k, v in ref.state_dict().items()}
    out = dict(case, vocab_size=V, embedding_dim=E, hidden_size=H, classes=C, sgd_lr=SGD_LR,
               adam_lr=ADAM_LR, sequences=sequences, labels=labels, rows=rows,
               params={k: flat(v) for k, v in init.items()})
    x, y = torch.tensor(rows), torch.tensor(labels)
    for dtype, key in ((torch.float64, "float64"), (torch.float32, "float32")):
        rec = {}
        for opt_name in ("sgd", "adam"):
            model = TextClassifier(case["cell"], V, E, H, case["layers"], C, case["pooling"])
            model.load_state_dict({k: v.to(dtype) for k, v in init.items()}, strict=True)
            model.to(dtype)
            opt = (torch.optim.SGD(model.parameters(), lr=SGD_LR) if opt_name == "sgd"
                   else torch.optim.Adam(model.parameters(), lr=ADAM_LR))
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            rec["loss"] = loss.item()
            rec["grads"] = {k: flat(p.grad) for k, p in model.named_parameters()}
            opt.step()
            rec[opt_name] = {k: flat(p) for k, p in model.named_parameters()}
        out[key] = rec
    return out


DTYPES = {"F32": np.float32, "F64": np.float64}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    return tensors, meta


def check_checkpoint(path, rows):
    tensors, meta = read_safetensors(path)
    c = json.loads(meta["embedlab.config"])
    model = TextClassifier(c["cell"], c["vocab_size"], c["embedding_dim"], c["hidden_size"],
                           c["layers"], c["classes"], c["pooling"])
    dtype = next(iter(tensors.values())).dtype
    model.to(dtype)
    model.load_state_dict(tensors, strict=True)  # every tensor present, none extra, same shapes
    model.eval()
    with torch.no_grad():
        probs = F.softmax(model(torch.tensor(rows)), dim=1)
    print(json.dumps({"labels": json.loads(meta["embedlab.labels"]), "strict_load": True,
                      "probabilities": probs.tolist()}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "data", "golden", "classifier.json"))
    ap.add_argument("--check-checkpoint")
    ap.add_argument("--rows", help="JSON list of padded id rows, for --check-checkpoint")
    args = ap.parse_args()
    if args.check_checkpoint:
        check_checkpoint(args.check_checkpoint, json.loads(args.rows))
        return
    torch.set_num_threads(1)
    fixture = {"generated_by": "tests/golden/make_classifier_reference.py, torch " + torch.__version__,
               "notes": "rows = Keras pad_sequences(sequences, max_length, padding, truncating); "
                        "pads skipped with pack_padded_sequence; loss = mean cross-entropy; "
                        "tensors flat row-major",
               "cases": [run_case(c) for c in CASES]}
    with open(args.out, "w") as f:
        json.dump(fixture, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
