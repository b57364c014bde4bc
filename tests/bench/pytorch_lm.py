#!/usr/bin/python3
"""PyTorch reference for Embedding Lab's trainer: pytorch/examples word_language_model (LSTM).

Run with Debian's interpreter, which has torch:

  /usr/bin/python3 tests/bench/pytorch_lm.py throughput [--threads N] [--windows N] [--sweep]
  /usr/bin/python3 tests/bench/pytorch_lm.py train --data DIR [--emsize 200 --nhid 200 ...]

throughput: synthetic random ids, the reference configuration (V=10000, E=H=200, 2 layers,
  dropout 0.2, batch 20, bptt 35, SGD lr 20, clip 0.25); 5 warm-up windows, then --windows timed
  training windows. Prints one JSON line per thread count.
train: DIR holds train.txt and valid.txt (token ids, whitespace-separated) and vocab.txt (one word
  per line, V lines), as written by embedlab-cli. Trains as word_language_model/main.py does and
  prints one JSON line per epoch and a final {"event": "done", ...}.

Threads: Debian's torch 1.13 defaults to hardware_concurrency()/2 intra-op threads (1 on a 2-CPU
machine) and its BLAS is OpenBLAS-pthread (through libblas.so.3), whose own thread pool torch's
set_num_threads() does not touch. --threads N sets torch's intra-op (OpenMP) threads and, unless
--blas-threads says otherwise, OpenBLAS's threads to N. The two pools are separate and both
spin-wait, so 2+2 threads on 2 CPUs oversubscribe; --sweep therefore also tries the mixed splits.
"""
import argparse
import copy
import ctypes
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# --------------------------------------------------------------------------------------------
# word_language_model/model.py (its RNNModel; the Transformer model is not copied).
class RNNModel(nn.Module):
    """Container module with an encoder, a recurrent module, and a decoder."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ['LSTM', 'GRU']:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            try:
                nonlinearity = {'RNN_TANH': 'tanh', 'RNN_RELU': 'relu'}[rnn_type]
            except KeyError as e:
                raise ValueError("""An invalid option for `--model` was supplied,
                                 options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']""") from e
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)

        # "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
        if tie_weights:
            if nhid != ninp:
                raise ValueError('When using the tied flag, nhid must be equal to emsize')
            self.decoder.weight = self.encoder.weight

        self.init_weights()

        self.rnn_type = rnn_type
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        if self.rnn_type == 'LSTM':
            return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                    weight.new_zeros(self.nlayers, bsz, self.nhid))
        return weight.new_zeros(self.nlayers, bsz, self.nhid)


# --------------------------------------------------------------------------------------------
# word_language_model/main.py helpers.
def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    return data.view(bsz, -1).t().contiguous()


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i:i + seq_len]
    target = source[i + 1:i + 1 + seq_len].view(-1)
    return data, target


def train_window(model, criterion, data, targets, hidden, lr, clip):
    """One iteration of main.py's train() loop (RNN branch). Returns (loss, hidden)."""
    model.zero_grad()
    hidden = repackage_hidden(hidden)
    output, hidden = model(data, hidden)
    loss = criterion(output, targets)
    loss.backward()
    # `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-lr)
    return loss.item(), hidden


def evaluate(model, criterion, data_source, bptt, eval_batch_size):
    """main.py's evaluate(): mean loss per target over the whole split."""
    model.eval()
    total_loss = 0.
    hidden = model.init_hidden(eval_batch_size)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, bptt):
            data, targets = get_batch(data_source, i, bptt)
            output, hidden = model(data, hidden)
            hidden = repackage_hidden(hidden)
            total_loss += len(data) * criterion(output, targets).item()
    return total_loss / (len(data_source) - 1)


# --------------------------------------------------------------------------------------------
_openblas = None


def openblas():
    global _openblas
    if _openblas is None:
        try:
            _openblas = ctypes.CDLL("libopenblas.so.0")
        except OSError:
            _openblas = False
    return _openblas or None


def set_threads(n, blas_threads=None):
    torch.set_num_threads(n)
    ob = openblas()
    if ob is not None:
        ob.openblas_set_num_threads(blas_threads or n)


def blas_threads():
    ob = openblas()
    return ob.openblas_get_num_threads() if ob is not None else None


def blas_info():
    ob = openblas()
    if ob is None:
        return "libopenblas.so.0 not loadable"
    ob.openblas_get_config.restype = ctypes.c_char_p
    return ob.openblas_get_config().decode()


def emit(obj):
    print(json.dumps(obj), flush=True)


# --------------------------------------------------------------------------------------------
def throughput_once(args, threads, nblas=None):
    set_threads(threads, nblas)
    torch.manual_seed(args.seed)
    V, E, H, L, B, T = 10000, 200, 200, 2, 20, 35
    lr, clip = 20.0, 0.25
    warmup = 5
    nwin = warmup + args.windows
    stream = torch.randint(0, V, (nwin * T * B + B,))
    data_source = batchify(stream, B)
    model = RNNModel(args.model, V, E, H, L, dropout=0.2)
    model.train()
    criterion = nn.NLLLoss()
    hidden = model.init_hidden(B)
    t0 = None
    tokens = 0
    for w in range(nwin):
        if w == warmup:
            t0 = time.perf_counter()
        data, targets = get_batch(data_source, w * T, T)
        _, hidden = train_window(model, criterion, data, targets, hidden, lr, clip)
        if w >= warmup:
            tokens += data.numel()
    seconds = time.perf_counter() - t0
    return {"threads": threads, "tokens_per_sec": tokens / seconds, "seconds": seconds,
            "windows": args.windows, "blas_threads": blas_threads(), "model": args.model}


def cmd_throughput(args):
    print("BLAS: " + blas_info(), file=sys.stderr)
    if not args.sweep:
        emit(throughput_once(args, args.threads, args.blas_threads))
        return
    results = []
    # (torch intra-op threads, OpenBLAS threads)
    for n, nb in ((1, 1), (2, 2), (2, 1), (1, 2)):
        r = throughput_once(args, n, nb)
        emit(r)
        results.append(r)
    best = max(results, key=lambda r: r["tokens_per_sec"])
    emit({"best": best})


# --------------------------------------------------------------------------------------------
def read_ids(path):
    with open(path) as f:
        return torch.tensor([int(t) for t in f.read().split()], dtype=torch.long)


def read_vocab(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def cmd_train(args):
    set_threads(args.threads, args.blas_threads)
    print("BLAS: " + blas_info(), file=sys.stderr)
    torch.manual_seed(args.seed)
    vocab = read_vocab(os.path.join(args.data, "vocab.txt"))
    ntokens = len(vocab)
    train_ids = read_ids(os.path.join(args.data, "train.txt"))
    valid_ids = read_ids(os.path.join(args.data, "valid.txt"))
    for name, ids in (("train", train_ids), ("valid", valid_ids)):
        if ids.numel() < 2 or int(ids.min()) < 0 or int(ids.max()) >= ntokens:
            sys.exit("%s.txt: need >= 2 ids in [0, %d)" % (name, ntokens))
    eval_batch_size = 10
    train_data = batchify(train_ids, args.batch)
    val_data = batchify(valid_ids, eval_batch_size)

    model = RNNModel('LSTM', ntokens, args.emsize, args.nhid, args.nlayers, args.dropout,
                     args.tied)
    criterion = nn.NLLLoss()
    emit({"event": "start", "vocab_size": ntokens, "train_tokens": int(train_ids.numel()),
          "valid_tokens": int(valid_ids.numel()), "threads": torch.get_num_threads(),
          "blas_threads": blas_threads(),
          "parameters": sum(p.numel() for p in model.parameters())})

    lr = args.lr
    best_val_loss = None
    best_state = None
    t_start = time.perf_counter()
    train_seconds = 0.0
    train_tokens = 0
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.perf_counter()
        model.train()
        hidden = model.init_hidden(args.batch)
        total_loss, nwin, epoch_tokens = 0.0, 0, 0
        for i in range(0, train_data.size(0) - 1, args.bptt):
            data, targets = get_batch(train_data, i, args.bptt)
            loss, hidden = train_window(model, criterion, data, targets, hidden, lr, args.clip)
            total_loss += loss
            nwin += 1
            epoch_tokens += data.numel()
        epoch_train_seconds = time.perf_counter() - epoch_start
        train_seconds += epoch_train_seconds
        train_tokens += epoch_tokens
        val_loss = evaluate(model, criterion, val_data, args.bptt, eval_batch_size)
        emit({"event": "epoch", "epoch": epoch, "lr": lr, "train_loss": total_loss / nwin,
              "valid_loss": val_loss, "valid_perplexity": math.exp(val_loss),
              "seconds": time.perf_counter() - epoch_start,
              "tokens_per_sec": epoch_tokens / epoch_train_seconds})
        # Save the model if the validation loss is the best we've seen so far.
        if not best_val_loss or val_loss < best_val_loss:
            best_state = copy.deepcopy(model.state_dict())
            best_val_loss = val_loss
        else:
            # Anneal the learning rate if no improvement has been seen in the validation dataset.
            lr /= 4.0

    # main.py reloads the best model at the end; report its validation loss.
    model.load_state_dict(best_state)
    emit({"event": "done", "valid_loss": best_val_loss,
          "valid_perplexity": math.exp(best_val_loss),
          "tokens_per_sec": train_tokens / train_seconds if train_seconds > 0 else 0.0,
          "seconds": time.perf_counter() - t_start})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    sub = ap.add_subparsers(dest="mode", required=True)

    tp = sub.add_parser("throughput", help="training tokens/s on synthetic ids")
    tp.add_argument("--threads", type=int, default=1)
    tp.add_argument("--windows", type=int, default=100, help="timed windows (after 5 warm-up)")
    tp.add_argument("--blas-threads", type=int, default=None,
                    help="OpenBLAS threads (default: --threads)")
    tp.add_argument("--sweep", action="store_true",
                    help="run threads 1 and 2 (and the mixed torch/OpenBLAS splits), print the best")
    tp.add_argument("--seed", type=int, default=1111)
    tp.add_argument("--model", default="LSTM", choices=["LSTM", "GRU", "RNN_TANH", "RNN_RELU"],
                    help="the recurrent cell (bench_training --cell lstm|gru|rnn_tanh|rnn_relu)")

    tr = sub.add_parser("train", help="train on id files written by embedlab-cli")
    tr.add_argument("--data", required=True, help="directory with train.txt valid.txt vocab.txt")
    tr.add_argument("--emsize", type=int, default=200)
    tr.add_argument("--nhid", type=int, default=200)
    tr.add_argument("--nlayers", type=int, default=2)
    tr.add_argument("--dropout", type=float, default=0.2)
    tr.add_argument("--lr", type=float, default=20.0)
    tr.add_argument("--clip", type=float, default=0.25)
    tr.add_argument("--epochs", type=int, default=40)
    tr.add_argument("--batch", type=int, default=20)
    tr.add_argument("--bptt", type=int, default=35)
    tr.add_argument("--seed", type=int, default=1111)
    tr.add_argument("--threads", type=int, default=1)
    tr.add_argument("--blas-threads", type=int, default=None,
                    help="OpenBLAS threads (default: --threads)")
    tr.add_argument("--tied", action="store_true")

    args = ap.parse_args()
    if args.mode == "throughput":
        cmd_throughput(args)
    else:
        cmd_train(args)


if __name__ == "__main__":
    main()
