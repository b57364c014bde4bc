#!/usr/bin/python3
"""Golden fixtures for the C++ language model (LSTM, GRU, RNN_TANH, RNN_RELU), computed with PyTorch.

Run with Debian's interpreter (it has torch and numpy):

    /usr/bin/python3 tests/golden/make_golden.py [--out tests/data/golden]

For every case it writes <case>.safetensors (the initial weights, float64, named as RNNModel's
state_dict) and one golden.json with the token stream, the per-window training losses (float64 and
float32), the pre-clip gradient norms, the initial evaluation loss and checksums of the final
parameters. The model and the training loop are copies of pytorch/examples word_language_model
(model.py RNNModel with rnn_type 'LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU', main.py
batchify/get_batch/repackage_hidden/train). A case's cell is its "cell" (default "lstm"), the
cell name of Embedding Lab's checkpoints; its rnn_type is the name upper-cased.
The output is deterministic: fixed seeds, one thread.
"""
import argparse
import ctypes
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


# word_language_model's RNNModel and main.py helpers, shared with the benchmark script.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from pytorch_lm import RNNModel, batchify, get_batch, repackage_hidden  # noqa: E402


# --------------------------------------------------------------------------------------------
CASES = [
    dict(name="sgd_two_layer", vocab_size=13, embedding_dim=5, hidden_size=6, layers=2, tied=False,
         batch=3, bptt=4, optimizer="sgd", lr=0.5, clip=0.25, extra=2, seed=1001),
    dict(name="sgd_tied", vocab_size=11, embedding_dim=6, hidden_size=6, layers=1, tied=True,
         batch=2, bptt=5, optimizer="sgd", lr=1.0, clip=5.0, extra=1, seed=1002),
    dict(name="adam_two_layer", vocab_size=13, embedding_dim=5, hidden_size=6, layers=2, tied=False,
         batch=3, bptt=4, optimizer="adam", lr=0.01, clip=1.0, extra=2, seed=1003),
    # The other cells of word_language_model, SGD and Adam each.
    dict(name="gru_sgd_two_layer", cell="gru", vocab_size=13, embedding_dim=5, hidden_size=6,
         layers=2, tied=False, batch=3, bptt=4, optimizer="sgd", lr=0.5, clip=0.25, extra=2,
         seed=1011),
    dict(name="gru_adam_tied", cell="gru", vocab_size=11, embedding_dim=6, hidden_size=6, layers=1,
         tied=True, batch=2, bptt=5, optimizer="adam", lr=0.01, clip=1.0, extra=1, seed=1012),
    dict(name="rnn_tanh_sgd_two_layer", cell="rnn_tanh", vocab_size=13, embedding_dim=5,
         hidden_size=6, layers=2, tied=False, batch=3, bptt=4, optimizer="sgd", lr=0.5, clip=0.25,
         extra=2, seed=1021),
    dict(name="rnn_tanh_adam_two_layer", cell="rnn_tanh", vocab_size=13, embedding_dim=5,
         hidden_size=6, layers=2, tied=False, batch=3, bptt=4, optimizer="adam", lr=0.01, clip=1.0,
         extra=2, seed=1022),
    dict(name="rnn_relu_sgd_tied", cell="rnn_relu", vocab_size=11, embedding_dim=6, hidden_size=6,
         layers=1, tied=True, batch=2, bptt=5, optimizer="sgd", lr=0.5, clip=5.0, extra=1,
         seed=1031),
    dict(name="rnn_relu_adam_two_layer", cell="rnn_relu", vocab_size=13, embedding_dim=5,
         hidden_size=6, layers=2, tied=False, batch=3, bptt=4, optimizer="adam", lr=0.01, clip=1.0,
         extra=2, seed=1032),
]
EPOCHS = 2


def single_thread():
    torch.set_num_threads(1)
    try:  # Debian's torch goes through libblas.so.3 (OpenBLAS); its own pool ignores torch's setting
        ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(1)
    except OSError:
        pass


def make_stream(case):
    g = torch.Generator().manual_seed(case["seed"] + 7)
    n = case["batch"] * (2 * case["bptt"] + 3) + case["extra"]
    stream = torch.randint(2, case["vocab_size"], (n,), generator=g)
    # <eos> (2) several times and <unk> (1) twice, at fixed places.
    for pos in (3, n // 3, n // 2 + 1, n - 5):
        stream[pos] = 2
    for pos in (5, (2 * n) // 3):
        stream[pos] = 1
    return [int(x) for x in stream]


def build_model(case, dtype):
    model = RNNModel(case.get("cell", "lstm").upper(), case["vocab_size"], case["embedding_dim"], case["hidden_size"],
                     case["layers"], dropout=0.0, tie_weights=case["tied"])
    return model.to(dtype)


def initial_weights(case):
    """state_dict (float64) of a model whose every parameter is uniform(-0.5, 0.5)."""
    torch.manual_seed(case["seed"])
    model = build_model(case, torch.float64)
    with torch.no_grad():
        for p in model.parameters():  # deduplicated: a tied weight is drawn once
            p.uniform_(-0.5, 0.5)
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def load(case, weights, dtype):
    model = build_model(case, dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in weights.items()})
    if case["tied"]:
        assert model.decoder.weight is model.encoder.weight
    return model


def train(case, weights, stream, dtype):
    """main.py's train() loop for EPOCHS epochs; returns losses, pre-clip norms, final model."""
    model = load(case, weights, dtype)
    model.train()
    criterion = nn.NLLLoss()  # on log_softmax: the same as CrossEntropyLoss on the logits
    train_data = batchify(torch.tensor(stream, dtype=torch.long), case["batch"])
    params = list(model.parameters())
    opt = None
    if case["optimizer"] == "adam":
        opt = torch.optim.Adam(params, lr=case["lr"], betas=(0.9, 0.999), eps=1e-8)
    losses, norms, window_lens = [], [], []
    for _epoch in range(EPOCHS):
        hidden = model.init_hidden(case["batch"])
        for i in range(0, train_data.size(0) - 1, case["bptt"]):
            data, targets = get_batch(train_data, i, case["bptt"])
            model.zero_grad()
            hidden = repackage_hidden(hidden)
            output, hidden = model(data, hidden)
            loss = criterion(output, targets)
            loss.backward()
            total_norm = torch.nn.utils.clip_grad_norm_(params, case["clip"])
            if opt is None:
                for p in params:
                    p.data.add_(p.grad, alpha=-case["lr"])
            else:
                opt.step()
            losses.append(float(loss.item()))
            norms.append(float(total_norm.item()))
            window_lens.append(int(data.size(0)))
    return losses, norms, window_lens, model


def eval_loss(case, weights, stream):
    model = load(case, weights, torch.float64)
    model.eval()
    criterion = nn.NLLLoss()
    s = torch.tensor(stream, dtype=torch.long)
    with torch.no_grad():
        output, _ = model(s[:-1].view(-1, 1), model.init_hidden(1))
        return float(criterion(output, s[1:]).item())


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f8"))
        raw = a.tobytes(order="C")
        header[name] = {"dtype": "F64", "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(buf[8 + n + b:8 + n + e], dtype="<f8").reshape(info["shape"])
    return header["__metadata__"], out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "golden"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    single_thread()

    cases_out = []
    for case in CASES:
        V = case["vocab_size"]
        weights = initial_weights(case)
        stream = make_stream(case)

        vocab = ["<pad>", "<unk>", "<eos>"] + ["w%d" % i for i in range(3, V)]
        # The LSTM cases' files predate the cell setting: without it a file holds an LSTM.
        config = {"cell": case["cell"]} if "cell" in case else {}
        config.update({"vocab_size": V, "embedding_dim": case["embedding_dim"],
                  "hidden_size": case["hidden_size"], "layers": case["layers"], "dropout": 0.0,
                  "tied": case["tied"], "tokenizer": "word", "lowercase": False})
        metadata = {"format": "embedlab-lstm-lm",
                    "embedlab.config": json.dumps(config, separators=(",", ":")),
                    "embedlab.vocab": json.dumps(vocab, separators=(",", ":"))}
        wpath = os.path.join(args.out, case["name"] + ".safetensors")
        write_safetensors(wpath, weights, metadata)
        # Read back: same names, order and bits.
        meta2, back = read_safetensors(wpath)
        assert meta2 == metadata and list(back) == list(weights)
        for k, v in weights.items():
            assert np.array_equal(back[k], v.numpy()), k

        loss64, norm64, lens, final64 = train(case, weights, stream, torch.float64)
        loss32, norm32, lens32, _ = train(case, weights, stream, torch.float32)
        assert lens == lens32
        sums = {}
        for k, v in final64.state_dict().items():
            v = v.detach().to(torch.float64)
            sums[k] = [float(v.sum().item()), float((v * v).sum().item())]

        cases_out.append({
            "name": case["name"],
            "cell": case.get("cell", "lstm"),
            "weights": case["name"] + ".safetensors",
            "vocab_size": V,
            "embedding_dim": case["embedding_dim"],
            "hidden_size": case["hidden_size"],
            "layers": case["layers"],
            "tied": case["tied"],
            "batch": case["batch"],
            "bptt": case["bptt"],
            "optimizer": case["optimizer"],
            "lr": case["lr"],
            "clip": case["clip"],
            "epochs": EPOCHS,
            "stream": stream,
            "window_lengths": lens,
            "loss_f64": loss64,
            "loss_f32": loss32,
            "grad_norm_f64": norm64,
            "grad_norm_f32": norm32,
            "eval_loss_f64": eval_loss(case, weights, stream),
            "final_param_sums": sums,
        })
        print("%-15s windows %s clip %.3g binds %d/%d" % (
            case["name"], lens, case["clip"], sum(n > case["clip"] for n in norm64), len(norm64)),
            file=sys.stderr)

    golden = {
        "generated_by": "tests/golden/make_golden.py, torch %s" % torch.__version__,
        "notes": ("Per case: stream is trimmed and laid out by batchify (data[:nbatch*B] as B "
                  "columns); training windows are get_batch(i) for i in range(0, rows-1, bptt), the "
                  "last one shorter (window_lengths); the state is zero at the start of each epoch "
                  "and carried (detached) across windows. loss = mean cross-entropy over "
                  "seq_len*B targets; grad_norm = total L2 norm before clipping; clipping scales "
                  "the gradients by min(1, clip/(norm+1e-6)). SGD: p -= lr*grad. Adam: PyTorch "
                  "1.13 single-tensor Adam (betas 0.9/0.999, eps 1e-8, "
                  "p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)). A tied model has one "
                  "parameter (grad = encoder + decoder contributions) updated once. loss_f32 and "
                  "grad_norm_f32 start from the same weights cast to float32. eval_loss_f64: "
                  "initial weights, the whole (untrimmed) stream as one sequence of batch 1, zero "
                  "state, inputs stream[:-1], targets stream[1:], mean. final_param_sums: "
                  "[sum, sum of squares] of each state_dict tensor of the float64 model after the "
                  "last step (a tied model lists encoder.weight and decoder.weight, identical)."),
        "cases": cases_out,
    }
    with open(os.path.join(args.out, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
