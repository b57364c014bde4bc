#!/usr/bin/env python3
"""Continue an Embedding Lab language model's training in PyTorch, on one or many processes.

    torchrun --nproc_per_node 2 tools/continue_in_pytorch.py \
        --model m.safetensors --corpus text.txt --out m2.safetensors --steps 200

The checkpoint (word_language_model's RNNModel state_dict in safetensors, with Embedding Lab's
metadata) is read, the corpus is turned into the same token ids with `embedlab-cli encode` and the
model's tokenizer settings, and training goes on as word_language_model trains: batchify (the
token stream cut into B columns), BPTT windows, cross-entropy over the next token, gradient
clipping, SGD or Adam. Under torchrun every process (rank) trains its own slice of the B columns
with DistributedDataParallel (gloo on CPU, NCCL when CUDA is available), so B must divide by the
number of processes. Where the app stopped midway through an epoch with the same batch and window
length, training goes on at that window with the recurrent state the app saved beside the model
(NAME.trainstate.safetensors), and Adam goes on with its saved moments.

Rank 0 prints the loss every --log-interval windows, the validation loss before and after, and
writes --out atomically (temporary file, then rename) with the same tensors and metadata, the
`embedlab.training` counters (steps, tokens, seconds, lr, losses) updated, so the app opens it.

Needs PyTorch (Debian's python3-torch); the `safetensors` package is not needed.
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- safetensors, by hand

_DTYPES = {
    "F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def read_safetensors(path):
    """(tensors by name, metadata dict) of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise SystemExit(f"{path}: tensor {name!r} has unsupported dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        buf = bytearray(raw[base + begin:base + end])
        t = torch.frombuffer(buf, dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors, meta


def write_safetensors(path, tensors, meta):
    """Writes `tensors` (name -> tensor, in order) with string metadata, atomically."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        data = t.numpy().tobytes() if t.dtype != torch.bfloat16 else t.view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in meta.items()}
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the data starts aligned, as the reference writer does
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for b in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- word_language_model's RNNModel

class RNNModel(nn.Module):
    """word_language_model's RNNModel: the same module names, so the same state_dict keys."""

    def __init__(self, cell, ntoken, ninp, nhid, nlayers, dropout, tied):
        super().__init__()
        self.cell = cell
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if cell == "lstm":
            self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout if nlayers > 1 else 0.0)
        elif cell == "gru":
            self.rnn = nn.GRU(ninp, nhid, nlayers, dropout=dropout if nlayers > 1 else 0.0)
        elif cell in ("rnn_tanh", "rnn_relu"):
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=cell[4:],
                              dropout=dropout if nlayers > 1 else 0.0)
        else:
            raise SystemExit(f"unknown cell {cell!r} (lstm, gru, rnn_tanh, rnn_relu)")
        self.decoder = nn.Linear(nhid, ntoken)
        if tied:
            if nhid != ninp:
                raise SystemExit("tied weights need embedding_dim == hidden_size")
            self.decoder.weight = self.encoder.weight
        self.nhid, self.nlayers = nhid, nlayers

    def forward(self, x, hidden):
        emb = self.drop(self.encoder(x))
        out, hidden = self.rnn(emb, hidden)
        return self.decoder(self.drop(out)), hidden

    def init_hidden(self, bsz, device):
        z = torch.zeros(self.nlayers, bsz, self.nhid, device=device)
        return (z, z.clone()) if self.cell == "lstm" else z


def ppl(loss):
    return math.exp(loss) if loss < 700 else float("inf")


def detach(h):
    return tuple(t.detach() for t in h) if isinstance(h, tuple) else h.detach()


def batchify(ids, bsz):
    """word_language_model's batchify: [steps, bsz], column b is the b-th contiguous piece."""
    n = ids.size(0) // bsz
    return ids[:n * bsz].view(bsz, n).t().contiguous()


@torch.no_grad()
def evaluate(model, data_ids, bptt, device, eval_batch=10):
    """Mean cross-entropy per token, as the app's evaluateLoss (batch 10, hidden carried)."""
    model.eval()
    if data_ids.numel() // eval_batch < 2:
        eval_batch = 1
    data = batchify(data_ids, eval_batch).to(device)
    hidden = model.init_hidden(eval_batch, device)
    total, count = 0.0, 0
    for i in range(0, data.size(0) - 1, bptt):
        seq = min(bptt, data.size(0) - 1 - i)
        out, hidden = model(data[i:i + seq], hidden)
        total += F.cross_entropy(out.view(-1, out.size(-1)), data[i + 1:i + 1 + seq].reshape(-1),
                                 reduction="sum").item()
        count += seq * eval_batch
    model.train()
    return total / max(count, 1)


# ---------------------------------------------------------------- token ids

def find_cli(given):
    if given:
        return given
    if os.environ.get("EMBEDLAB_CLI"):
        return os.environ["EMBEDLAB_CLI"]
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "build", "app", "embedlab-cli")
    return built if os.path.exists(built) else (shutil.which("embedlab-cli") or built)


def read_ids(path):
    with open(path) as f:
        return torch.tensor([int(w) for w in f.read().split()], dtype=torch.long)


def encode(args, cfg, words, folder):
    """Runs `embedlab-cli encode` with the model's tokenizer; returns (train ids, valid ids)."""
    cli = find_cli(args.cli)
    tok = ["--tokenizer", cfg.get("tokenizer", "word"), "--cjk", cfg.get("cjk", "words"),
           "--normalize", cfg.get("normalize", "none")] + (["--lowercase"] if cfg.get("lowercase") else [])
    split = ["--valid", args.valid] if args.valid else ["--valid-fraction", str(args.valid_fraction)]
    cmd = [cli, "encode", "--corpus", args.corpus, "--out-dir", folder] + tok + split + args.encode_args
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    if vocab[:len(words)] == words and all(v == "" for v in vocab[len(words):]):
        return read_ids(os.path.join(folder, "train.txt")), read_ids(os.path.join(folder, "valid.txt"))
    # The corpus gives another vocabulary (another text, or --min-count/--max-vocab settings):
    # encode it in the model's own vocabulary and hold out its tail.
    print("continue_in_pytorch: the corpus gives another vocabulary than the model's; encoding it "
          "with --model (words outside the model's vocabulary become <unk>)", file=sys.stderr)
    sub = os.path.join(folder, "model")
    subprocess.run([cli, "encode", "--corpus", args.corpus, "--model", args.model, "--out-dir", sub],
                   check=True, stdout=subprocess.DEVNULL)
    ids = read_ids(os.path.join(sub, "train.txt"))
    if args.valid:
        subprocess.run([cli, "encode", "--corpus", args.valid, "--model", args.model,
                        "--out-dir", sub + "v"], check=True, stdout=subprocess.DEVNULL)
        return ids, read_ids(os.path.join(sub + "v", "train.txt"))
    cut = int(round(ids.numel() * (1 - args.valid_fraction)))
    return ids[:cut], ids[cut:]


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="Embedding Lab checkpoint (safetensors)")
    p.add_argument("--corpus", required=True, help="the training text (UTF-8)")
    p.add_argument("--valid", help="validation text (instead of --valid-fraction)")
    p.add_argument("--valid-fraction", type=float, default=0.1, help="as embedlab-cli train (0.1)")
    p.add_argument("--out", required=True, help="where to write the continued checkpoint")
    p.add_argument("--steps", type=int, default=0, help="BPTT windows to train (0: --epochs)")
    p.add_argument("--epochs", type=int, default=1, help="passes when --steps is 0")
    p.add_argument("--batch", type=int, help="global batch B, split over the ranks (default: the model's)")
    p.add_argument("--bptt", type=int, help="window length (default: the model's)")
    p.add_argument("--optimizer", choices=["sgd", "adam"], help="default: the model's")
    p.add_argument("--lr", type=float, help="default: the learning rate recorded in the model")
    p.add_argument("--clip", type=float, help="gradient norm clip (default: the model's, 0: none)")
    p.add_argument("--dropout", type=float, help="default: the model's")
    p.add_argument("--log-interval", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1, help="torch threads per process")
    p.add_argument("--cli", help="embedlab-cli (default: build/app/embedlab-cli, $EMBEDLAB_CLI, PATH)")
    p.add_argument("--encode-args", nargs=argparse.REMAINDER, default=[],
                   help="extra options for embedlab-cli encode (e.g. --min-count 2), last")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    distributed = "WORLD_SIZE" in os.environ
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group(backend="nccl" if cuda else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
        local = int(os.environ.get("LOCAL_RANK", 0))
    else:
        rank, world, local = 0, 1, 0
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    log = (lambda *a: print(*a, flush=True)) if rank == 0 else (lambda *a: None)

    tensors, meta = read_safetensors(args.model)
    cfg = json.loads(meta.get("embedlab.config", "{}"))
    words = json.loads(meta["embedlab.vocab"])
    training = json.loads(meta.get("embedlab.training", "{}"))
    whh = tensors["rnn.weight_hh_l0"]
    H = whh.shape[1]
    cell = cfg.get("cell") or {4: "lstm", 3: "gru"}.get(whh.shape[0] // H)
    if cell is None:
        raise SystemExit(f"{args.model}: a plain RNN needs \"cell\" in embedlab.config")
    V, E = tensors["encoder.weight"].shape
    layers = sum(1 for k in tensors if k.startswith("rnn.weight_ih_l"))
    tied = bool(cfg.get("tied", False)) or "decoder.weight" not in tensors
    dropout = args.dropout if args.dropout is not None else float(cfg.get("dropout", 0.0))

    B = args.batch or int(training.get("batch", 20))
    T = args.bptt or int(training.get("bptt", 35))
    opt_name = args.optimizer or training.get("optimizer", "sgd")
    lr = args.lr if args.lr is not None else float(training.get("lr", 20.0 if opt_name == "sgd" else 0.001))
    clip = args.clip if args.clip is not None else float(training.get("clip", 0.25))
    if B % world:
        raise SystemExit(f"--batch {B} must divide by the {world} processes")
    b = B // world

    # Token ids: rank 0 encodes, the others read the same files.
    folder = tempfile.mkdtemp(prefix="cip-ids-") if rank == 0 else None
    if distributed:
        box = [folder]
        dist.broadcast_object_list(box, src=0)
        folder = box[0]
    if rank == 0:
        train_ids, valid_ids = encode(args, cfg, words, folder)
        torch.save((train_ids, valid_ids), os.path.join(folder, "ids.pt"))
    if distributed:
        dist.barrier()
    if rank != 0:
        train_ids, valid_ids = torch.load(os.path.join(folder, "ids.pt"))
    if distributed:
        dist.barrier()
    if rank == 0:
        shutil.rmtree(folder, ignore_errors=True)

    torch.manual_seed(args.seed + rank)  # dropout masks differ between ranks
    model = RNNModel(cell, V, E, H, layers, dropout, tied)
    state = {k: v.float() for k, v in tensors.items()}
    if tied and "decoder.weight" not in state:
        state["decoder.weight"] = state["encoder.weight"]
    model.load_state_dict(state, strict=True)
    model.to(device)

    data = batchify(train_ids, B)                      # [steps, B]
    mine = data[:, rank * b:(rank + 1) * b].contiguous().to(device)  # this rank's columns
    windows = (data.size(0) - 1 + T - 1) // T

    # Where the app stopped: the window of its epoch, and the tensors beside the model.
    start_window, hidden0, adam_state = 0, None, {}
    saved_id = training.get("state_id")
    state_path = os.path.join(os.path.dirname(os.path.abspath(args.model)), training.get("state_file", ""))
    side = {}
    if saved_id and training.get("state_file") and os.path.exists(state_path):
        st, smeta = read_safetensors(state_path)
        if json.loads(smeta.get("embedlab.training", "{}")).get("state_id") == saved_id:
            side = st
    w0 = int(training.get("window", 0))
    if (w0 > 0 and int(training.get("window_batch", -1)) == B and int(training.get("window_bptt", -1)) == T
            and w0 < windows and all(f"hidden.h_l{l}" in side for l in range(layers))):
        start_window = w0
        h = torch.stack([side[f"hidden.h_l{l}"][rank * b:(rank + 1) * b] for l in range(layers)]).float()
        if cell == "lstm":
            c = torch.stack([side[f"hidden.c_l{l}"][rank * b:(rank + 1) * b] for l in range(layers)]).float()
            hidden0 = (h.to(device), c.to(device))
        else:
            hidden0 = h.to(device)
    if opt_name == "adam" and training.get("optimizer") == "adam" and int(training.get("adam_step", 0)) > 0:
        adam_state = {n: (side.get("adam.exp_avg." + n), side.get("adam.exp_avg_sq." + n))
                      for n, _ in model.named_parameters()}

    ddp = nn.parallel.DistributedDataParallel(model, device_ids=[local] if cuda else None) if distributed else model
    params = [p_ for p_ in model.parameters() if p_.requires_grad]
    if training.get("frozen_embedding"):
        model.encoder.weight.requires_grad_(tied)  # a tied embedding is the decoder too
        params = [p_ for p_ in model.parameters() if p_.requires_grad]
    if opt_name == "sgd":
        opt = torch.optim.SGD(params, lr=lr)
    else:
        opt = torch.optim.Adam(params, lr=lr)
        step = int(training.get("adam_step", 0))
        loaded = 0
        for n, p_ in model.named_parameters():
            m_, v_ = adam_state.get(n, (None, None))
            if m_ is not None and v_ is not None and p_.requires_grad:
                opt.state[p_] = {"step": torch.tensor(float(step)),
                                 "exp_avg": m_.float().to(device), "exp_avg_sq": v_.float().to(device)}
                loaded += 1
        if adam_state:
            log(f"Adam goes on from step {step} ({loaded} tensors' moments)")

    valid_before = evaluate(model, valid_ids, T, device) if rank == 0 else float("nan")
    log(f"model {args.model}: {cell}, V={V} E={E} H={H} layers={layers} tied={tied} dropout={dropout}; "
        f"app steps {training.get('steps', 0)}, last valid loss {training.get('valid_loss')}")
    log(f"{world} process(es), backend {dist.get_backend() if distributed else 'none'}, device {device}; "
        f"batch {B} ({b} columns per rank), bptt {T}, {opt_name} lr {lr}, clip {clip}; "
        f"{train_ids.numel()} train / {valid_ids.numel()} valid tokens, {windows} windows per epoch, "
        f"starting at window {start_window}{' with the saved recurrent state' if hidden0 is not None else ''}")
    log(f"valid loss before: {valid_before:.4f} (ppl {ppl(valid_before):.1f})")

    total_steps = args.steps if args.steps > 0 else args.epochs * windows - start_window
    epoch = int(training.get("epoch", 1)) if start_window > 0 else int(training.get("epoch", 1))
    epochs_completed = int(training.get("epochs_completed", 0))
    window = start_window
    hidden = hidden0 if hidden0 is not None else model.init_hidden(b, device)
    done, interval_sum, interval_n, tokens = 0, 0.0, 0, 0
    first_interval, last_interval = None, None
    t0 = time.time()
    ddp.train()
    while done < total_steps:
        if window >= windows:  # the epoch is over: a new one from the first window
            epochs_completed = epoch
            epoch += 1
            window = 0
            hidden = model.init_hidden(b, device)
            if rank == 0:
                vl = evaluate(model, valid_ids, T, device)
                log(f"end of epoch {epochs_completed}: valid loss {vl:.4f} (ppl {ppl(vl):.1f})")
            if distributed:
                dist.barrier()
        i = window * T
        seq = min(T, mine.size(0) - 1 - i)
        x, y = mine[i:i + seq], mine[i + 1:i + 1 + seq]
        hidden = detach(hidden)
        opt.zero_grad(set_to_none=True)
        out, hidden = ddp(x, hidden)
        loss = F.cross_entropy(out.view(-1, V), y.reshape(-1))
        if not math.isfinite(loss.item()):
            raise SystemExit(f"rank {rank}: the loss is {loss.item()} at step {done + 1}: training "
                             "diverged; try a lower --lr or a smaller --clip (nothing written)")
        loss.backward()  # DDP averages the gradients over the ranks: the whole batch's mean
        if clip > 0:
            nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        window += 1
        done += 1
        tokens += seq * B
        interval_sum += loss.item()
        interval_n += 1
        if done % args.log_interval == 0 or done == total_steps:
            avg = torch.tensor([interval_sum / interval_n], device=device)
            if distributed:
                dist.all_reduce(avg)
                avg /= world
            a = avg.item()
            first_interval = a if first_interval is None else first_interval
            last_interval = a
            log(f"step {int(training.get('steps', 0)) + done} (epoch {epoch}, window {window}/{windows}): "
                f"loss {a:.4f} ppl {ppl(a):.1f}  {tokens / (time.time() - t0):.0f} tokens/s")
            interval_sum, interval_n = 0.0, 0
    seconds = time.time() - t0
    epoch_done = window >= windows
    if epoch_done:
        epochs_completed = epoch

    if rank == 0:
        vl = evaluate(model, valid_ids, T, device)
        log(f"valid loss after: {vl:.4f} (ppl {ppl(vl):.1f}); {done} steps in {seconds:.1f} s")
        sd = {k: v.detach().cpu().float().clone() for k, v in model.state_dict().items()}
        out_tensors = {k: sd[k] for k in tensors if k in sd}  # the input's order and names
        for k in sd:
            out_tensors.setdefault(k, sd[k])
        if "decoder.weight" not in tensors:
            out_tensors.pop("decoder.weight", None)
        tr = dict(training)
        for k in ("state_file", "state_id"):
            tr.pop(k, None)  # no training state beside this file: the app starts its epoch afresh
        prev_best = tr.get("best_valid_loss")
        tr.update({
            "steps": int(training.get("steps", 0)) + done,
            "tokens": int(training.get("tokens", 0)) + tokens,
            "seconds": float(training.get("seconds", 0)) + seconds,
            "optimizer": opt_name, "lr": lr, "base_lr": lr, "batch": B, "bptt": T, "clip": clip,
            "valid_loss": vl,
            "best_valid_loss": vl if prev_best is None else min(float(prev_best), vl),
            "train_loss": last_interval,
            "epochs_completed": epochs_completed,
            "epoch": epoch + 1 if (epoch_done or window > 0) else epoch,
            "window": 0, "window_batch": B, "window_bptt": T, "epoch_loss_sum": 0.0,
            "adam_step": 0, "started": True,
            "continued_in_pytorch": {"steps": done, "world_size": world,
                                     "backend": dist.get_backend() if distributed else "none",
                                     "torch": torch.__version__, "from": os.path.basename(args.model)},
        })
        out_meta = dict(meta)
        out_meta["embedlab.training"] = json.dumps(tr, separators=(",", ":"))
        cfg2 = dict(cfg)
        cfg2.setdefault("cell", cell)
        out_meta["embedlab.config"] = json.dumps(cfg2, separators=(",", ":"))
        out_meta.pop("embedlab.autosave_step", None)
        write_safetensors(args.out, out_tensors, out_meta)
        log(f"wrote {args.out} (steps {tr['steps']}); first interval loss {first_interval:.4f}, "
            f"last {last_interval:.4f}")
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
