#!/usr/bin/env python3
"""Loads an Embedding Lab checkpoint into PyTorch's word_language_model RNNModel with a strict
load_state_dict and prints its eval loss over ids written by `embedlab-cli encode --model`.
Compare with `embedlab-cli eval --model MODEL --corpus FILE` (same definition: one stream,
batch size 1, zero initial state, every token after the first predicted once).

    embedlab-cli encode --model M.safetensors --corpus text.txt --out-dir /tmp/ids
    /usr/bin/python3 tests/golden/check_pytorch_load.py M.safetensors /tmp/ids/train.txt
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, __file__.rsplit("/", 3)[0] + "/tests/bench")
from pytorch_lm import RNNModel  # noqa: E402  (word_language_model's model class)

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


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


def main():
    tensors, meta = read_safetensors(sys.argv[1])
    config = json.loads(meta["embedlab.config"])
    # The cell's name upper-cased is word_language_model's rnn_type; a file without one is an LSTM.
    rnn_type = config.get("cell", "lstm").upper()
    model = RNNModel(rnn_type, config["vocab_size"], config["embedding_dim"], config["hidden_size"],
                     config["layers"], 0.0, config["tied"])
    model.load_state_dict(tensors, strict=True)
    model.eval()
    ids = torch.tensor([int(t) for t in open(sys.argv[2]).read().split()], dtype=torch.long)
    with torch.no_grad():
        hidden = model.init_hidden(1)
        out, _ = model(ids[:-1].view(-1, 1), hidden)
        loss = nn.functional.nll_loss(out.view(-1, config["vocab_size"]), ids[1:]).item()
    print(json.dumps({"rnn_type": rnn_type, "loss": loss, "perplexity": math.exp(loss), "tokens": len(ids) - 1}))


if __name__ == "__main__":
    main()
