#!/usr/bin/python3
"""The text classifier of Embedding Lab in PyTorch, and the reference run of issue 13's recipe.

The module (TextClassifier) is the equivalent of core/classifier.h: nn.Embedding(padding_idx=0),
nn.LSTM / nn.GRU / nn.RNN fed with pack_padded_sequence over each example's real (non-pad)
tokens, pooling (last hidden state, or masked mean / max), nn.Linear, cross-entropy. Its
state_dict names are those of Embedding Lab's classifier checkpoints, so one loads the other with a
strict load_state_dict. tests/golden/make_classifier_reference.py uses it.

Benchmark (the recipe of the shared data README; same tokenizer as the app is not attempted: the
text is lower-cased and split on whitespace with punctuation split off by a regex):

    /usr/bin/python3 tests/bench/pytorch_classifier.py ../shared/data/labelled/spamassassin.tsv \
        --seeds 1 2 3 --threads 2
"""
import argparse
import collections
import json
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence


def pad_sequences(sequences, maxlen=None, padding="pre", truncating="pre", value=0):
    """keras.utils.pad_sequences, written from its documentation."""
    if maxlen is None:
        maxlen = max((len(s) for s in sequences), default=0)
    rows = []
    for s in sequences:
        s = list(s)
        trunc = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        if maxlen == 0:
            trunc = []
        pad = [value] * (maxlen - len(trunc))
        rows.append(pad + trunc if padding == "pre" else trunc + pad)
    return rows


class TextClassifier(nn.Module):
    def __init__(self, cell, vocab_size, embedding_dim, hidden_size, layers, classes, pooling):
        super().__init__()
        self.pooling = pooling
        self.encoder = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        if cell in ("lstm", "gru"):
            self.rnn = getattr(nn, cell.upper())(embedding_dim, hidden_size, layers)
        else:
            self.rnn = nn.RNN(embedding_dim, hidden_size, layers,
                              nonlinearity="tanh" if cell == "rnn_tanh" else "relu")
        self.classifier = nn.Linear(hidden_size, classes)

    def forward(self, rows):
        """rows: (B, L) padded ids, pad 0 on either side. Returns the logits (B, C)."""
        real = [r[r != 0] for r in rows]
        lengths = torch.tensor([len(r) for r in real])
        x = pad_sequence(real)  # (T, B), padded after
        packed = pack_padded_sequence(self.encoder(x), lengths, enforce_sorted=False)
        out, state = self.rnn(packed)
        if self.pooling == "last":
            h = state[0] if isinstance(state, tuple) else state
            pooled = h[-1]
        else:
            out, _ = pad_packed_sequence(out)  # (T, B, H)
            mask = (torch.arange(out.shape[0])[:, None] < lengths[None, :])[:, :, None]
            if self.pooling == "mean":
                pooled = (out * mask).sum(0) / lengths[:, None].to(out.dtype)
            else:
                pooled = out.masked_fill(~mask, float("-inf")).max(0).values
        return self.classifier(pooled)


TOKEN = re.compile(r"\w+(?:['\-]\w+)*|[^\w\s]")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--max-length", type=int, default=60)
    ap.add_argument("--max-vocab", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.002)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    labels_text = []
    for line in open(args.corpus, encoding="utf-8"):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        label, text = line.split("\t", 1)
        labels_text.append((label.strip(), TOKEN.findall(text.lower())))
    n_valid = round(0.1 * len(labels_text))
    train, valid = labels_text[:-n_valid], labels_text[-n_valid:]
    labels = sorted({l for l, _ in labels_text})
    counts = collections.Counter(t for _, toks in train for t in toks)
    words = ["<pad>", "<unk>", "<eos>"] + [w for w, _ in counts.most_common(args.max_vocab - 3)]
    index = {w: i for i, w in enumerate(words)}

    def encode(examples):
        rows = pad_sequences([[index.get(t, 1) for t in toks] for _, toks in examples],
                             args.max_length)
        return torch.tensor(rows), torch.tensor([labels.index(l) for l, _ in examples])

    xt, yt = encode(train)
    xv, yv = encode(valid)
    for seed in args.seeds:
        torch.manual_seed(seed)
        model = TextClassifier("lstm", len(words), args.dim, args.dim, 1, len(labels), "last")
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        t0 = time.time()
        for epoch in range(args.epochs):
            model.train()
            perm = torch.randperm(len(xt))
            for i in range(0, len(xt), args.batch):
                idx = perm[i:i + args.batch]
                opt.zero_grad()
                loss = F.cross_entropy(model(xt[idx]), yt[idx])
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                logits = torch.cat([model(xv[i:i + 256]) for i in range(0, len(xv), 256)])
                vloss = F.cross_entropy(logits, yv).item()
                acc = (logits.argmax(1) == yv).double().mean().item()
        print(json.dumps({"seed": seed, "threads": args.threads, "valid_accuracy": acc,
                          "valid_loss": vloss, "train_seconds": time.time() - t0,
                          "vocab_size": len(words), "train": len(xt), "valid": len(xv)}))


if __name__ == "__main__":
    main()
