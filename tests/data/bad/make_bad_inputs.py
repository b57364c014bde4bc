#!/usr/bin/env python3
"""Writes the bad-input collection of tests/tst_bad_inputs.cpp (deterministic; standard library
only): `/usr/bin/python3 tests/data/bad/make_bad_inputs.py`.

One problem per file, small enough to commit and to seed a fuzzer. README.md in this folder lists
every file; the test states what the engine must answer for each. Inputs that would be large (a
20 MB line, sparse terabyte files) are made by the test itself at run time.
"""
import gzip
import io
import json
import math
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return out.getvalue()


def f32(x):
    return struct.pack("<f", float(x))


def binary_rows(rows):
    return b"".join(w + b" " + b"".join(v if isinstance(v, bytes) else f32(v) for v in vals) + b"\n"
                    for w, vals in rows)


rng = random.Random(20240611)


def noise(n):
    # Random bytes with plenty of NULs, like any binary file.
    return bytes(0 if rng.random() < 0.2 else rng.randrange(256) for _ in range(n))


# --- text (corpus) files ----------------------------------------------------------------------
PROSE = ("It is a truth universally acknowledged, that a single man in possession\n"
         "of a good fortune, must be in want of a wife.\n"
         "However little known the feelings or views of such a man may be on his\n"
         "first entering a neighbourhood, this truth is so well fixed in the minds\n"
         "of the surrounding families, that he is considered the rightful property\n"
         "of some one or other of their daughters.\n")

write("empty.txt", b"")
write("binary.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + noise(2000))
write("binary.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02"
      + noise(2000))
write("utf16le_bom.txt", b"\xff\xfe" + PROSE.encode("utf-16-le"))
write("utf16be_bom.txt", b"\xfe\xff" + PROSE.encode("utf-16-be"))
write("utf16le_nobom.txt", PROSE.encode("utf-16-le"))
# Windows-1252: curly quotes, dashes, accented letters; 11 bytes that are not UTF-8.
write("cp1252.txt", "\u201cCaf\u00e9 au lait,\u201d said the na\u00efve man \u2013 twice.\n"
      "\u201cNo,\u201d she answered \u2014 \u00e0 la fran\u00e7aise.\n"
      "The end \u2026 of the story.\n".encode("cp1252"))
# Every word once: with --min-count 2 nothing but <pad>, <unk> and <eos> is left.
write("rare_tokens.txt", "".join(" ".join(f"w{i * 8 + j:03d}" for j in range(8)) + "\n"
                                 for i in range(12)).encode())

# --- GloVe text -------------------------------------------------------------------------------
write("glove_wrong_fields.txt", b"the 0.1 0.2 0.3\n"          # 1
                                b"of 0.4 0.5 0.6\n"           # 2
                                b"and 0.7 0.8\n"              # 3 one number short: dropped
                                b"to 1.0 1.1 1.2\n"           # 4
                                b"in 1.3\n"                   # 5 two short: dropped
                                b"a b 1.4 1.5 1.6\n")         # 6 a word with a space: kept
write("glove_stray_header.txt", b"word dim1 dim2 dim3\n"      # 1 column names: not numbers
                                b"the 0.1 0.2 0.3\n"
                                b"of 0.4 0.5 0.6\n"
                                b"and 0.7 0.8 0.9\n")
write("glove_nan_inf.txt", b"the 0.1 0.2 0.3\n"               # 1
                           b"of nan 0.5 0.6\n"                # 2 NaN
                           b"and 0.7 inf 0.9\n"               # 3 inf
                           b"to 1 2 -Infinity\n"              # 4 -inf
                           b"in 1e39 0 0\n"                   # 5 beyond float
                           b"a 1.0 1.1 1.2\n")                # 6
write("glove_duplicates.txt", b"the 0.1 0.2 0.3\n"            # 1
                              b"of 0.4 0.5 0.6\n"             # 2
                              b"the 9 9 9\n"                  # 3 duplicate: dropped
                              b"and 0.7 0.8 0.9\n"            # 4
                              b"of 8 8 8\n")                  # 5 duplicate: dropped
write("glove_dim0.txt", b"the\nof\nand\n")
write("glove_all_nan.txt", b"the nan 1 2\nof 1 nan 2\nand 1 2 inf\n")
write("glove_utf16.txt", b"\xff\xfe" + "the 0.1 0.2 0.3\nof 0.4 0.5 0.6\n".encode("utf-16-le"))
write("glove_utf16_nobom.txt", "the 0.1 0.2 0.3\nof 0.4 0.5 0.6\n".encode("utf-16-le"))
write("glove_cp1252.txt", "caf\u00e9 0.1 0.2 0.3\nna\u00efve 0.4 0.5 0.6\nthe 0.7 0.8 0.9\n"
      .encode("cp1252"))

# --- word2vec text ----------------------------------------------------------------------------
write("w2v_more_rows.txt", b"3 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\nand 0.7 0.8 0.9\n"
                           b"to 1.0 1.1 1.2\nin 1.3 1.4 1.5\n")
write("w2v_fewer_rows.txt", b"8 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\nand 0.7 0.8 0.9\n")
# Enough rows that the file could hold one row of 50 numbers: the rows themselves give it away.
write("w2v_wrong_dim.txt", b"8 50\n" + b"".join(f"{w} 0.{i}1 0.{i}2 0.{i}3\n".encode() for i, w in
                                                enumerate(["the", "of", "and", "to", "in", "a",
                                                           "is", "it"])))
write("w2v_wrong_fields.txt", b"4 3\nthe 0.1 0.2 0.3\nof 0.4 0.5\nand 0.7 0.8 0.9\nto 1 2 3 4 5\n")
write("w2v_nan.txt", b"3 3\nthe 0.1 0.2 0.3\nof NaN 0.5 0.6\nand 0.7 0.8 0.9\n")
write("w2v_duplicates.txt", b"3 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\nthe 0.7 0.8 0.9\n")
write("w2v_dim0.txt", b"3 0\nthe\nof\nand\n")
write("w2v_dim_1e9.txt", b"3 1000000000\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\nand 0.7 0.8 0.9\n")
write("w2v_1e9x1e9.txt", b"1000000000 1000000000\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\n")
write("w2v_count_1e9.txt", b"1000000000 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\n")

# --- word2vec binary --------------------------------------------------------------------------
ROWS = [(b"the", [0.1, 0.2, 0.3, 0.4]), (b"of", [0.5, 0.6, 0.7, 0.8]),
        (b"and", [0.9, 1.0, 1.1, 1.2]), (b"to", [1.3, 1.4, 1.5, 1.6])]
full = b"4 4\n" + binary_rows(ROWS)
# Cut after 6 of the 16 bytes of row 3's numbers.
write("w2v_truncated_row.bin", full[: full.index(b"and ") + 4 + 6])
write("w2v_bin_more_rows.bin", b"2 4\n" + binary_rows(ROWS))
write("w2v_bin_fewer_rows.bin", b"6 4\n" + binary_rows(ROWS[:3]))
# The header says 5 numbers a row, the rows hold 4: every row after the first is misread.
write("w2v_bin_wrong_dim.bin", b"4 5\n" + binary_rows(ROWS))
write("w2v_bin_dim0.bin", b"3 0\nthe \nof \nand \n")
write("w2v_bin_1e9x1e9.bin", b"1000000000 1000000000\n" + binary_rows(ROWS[:2]))
write("w2v_bin_nan_dup.bin", b"4 4\n" + binary_rows([
    ROWS[0],
    (b"of", [f32("nan"), 1, 2, 3]),                # row 2: NaN
    (b"the", [9, 9, 9, 9]),                         # row 3: duplicate
    (b"and", [1, 2, f32("inf"), 3]),                # row 4: infinity
]))

# --- fastText .vec (rows end with a space) ----------------------------------------------------
write("fasttext_fewer_rows.vec", b"5 3\nthe 0.1 0.2 0.3 \nof 0.4 0.5 0.6 \nand 0.7 0.8 0.9 \n")
write("fasttext_wrong_dim.vec", b"3 300\nthe 0.1 0.2 0.3 \nof 0.4 0.5 0.6 \nand 0.7 0.8 0.9 \n")
write("fasttext_nan.vec", b"3 3\nthe 0.1 0.2 0.3 \nof 0.4 -nan 0.6 \nand 0.7 0.8 0.9 \n")

# --- Embedding Projector TSV (vectors.tsv with its metadata.tsv) ------------------------------
write("projector_fields/vectors.tsv", b"0.1\t0.2\t0.3\n0.4\t0.5\n0.7\t0.8\t0.9\n1.0\tx\t1.2\n")
write("projector_fields/metadata.tsv", b"the\nof\nand\nto\n")
write("projector_nan/vectors.tsv", b"0.1\t0.2\t0.3\nnan\t0.5\t0.6\n0.7\t0.8\t0.9\n")
write("projector_nan/metadata.tsv", b"the\nof\nand\n")
write("projector_labels/vectors.tsv", b"0.1\t0.2\t0.3\n0.4\t0.5\t0.6\n0.7\t0.8\t0.9\n")
write("projector_labels/metadata.tsv", b"the\nof\n")

# --- gzip -------------------------------------------------------------------------------------
long_glove = "".join(f"w{i} {i}.5 -{i}.25 {i}e-3\n" for i in range(400)).encode()
packed = gz(long_glove)
write("glove_truncated.txt.gz", packed[: len(packed) // 2])
damaged = bytearray(packed)
for i in range(len(damaged) // 2, len(damaged) // 2 + 16):
    damaged[i] ^= 0x5A
write("glove_corrupt.txt.gz", bytes(damaged))
crc = bytearray(packed)
crc[-8] ^= 0xFF  # the CRC-32 of the trailer: the data inflates but does not check out
write("glove_bad_crc.txt.gz", bytes(crc))
write("gzip_header_only.gz", packed[:10])

# --- safetensors checkpoints ------------------------------------------------------------------
VOCAB = ["<pad>", "<unk>", "<eos>", "the", "cat", "sat"]
V, E, H = len(VOCAB), 4, 4
CONFIG = {"vocab_size": V, "embedding_dim": E, "hidden_size": H, "layers": 1, "dropout": 0.0,
          "tied": False, "tokenizer": "word", "lowercase": False}


def values(n, scale=0.1):
    return [round(rng.uniform(-scale, scale), 4) for _ in range(n)]


SHAPES = [("encoder.weight", [V, E]), ("rnn.weight_ih_l0", [4 * H, E]),
          ("rnn.weight_hh_l0", [4 * H, H]), ("rnn.bias_ih_l0", [4 * H]),
          ("rnn.bias_hh_l0", [4 * H]), ("decoder.weight", [V, H]), ("decoder.bias", [V])]
WEIGHTS = {name: values(math.prod(shape)) for name, shape in SHAPES}


def metadata(vocab=VOCAB, config=CONFIG):
    return {"format": "embedlab-lstm-lm",
            "embedlab.config": json.dumps(config, separators=(",", ":")),
            "embedlab.vocab": json.dumps(vocab, separators=(",", ":")),
            "embedlab.counts": json.dumps([0, 0, 3, 3, 2, 1][: len(vocab)], separators=(",", ":"))}


def pack(dtype, vals):
    if dtype == "F32":
        return b"".join(struct.pack("<f", v) for v in vals)
    if dtype == "F16":
        return b"".join(struct.pack("<e", v) for v in vals)
    if dtype == "I64":
        return b"".join(struct.pack("<q", int(v * 1000)) for v in vals)
    if dtype == "F8_E4M3":
        return bytes(len(vals))
    raise ValueError(dtype)


def safetensors(tensors, meta, header_extra=None):
    """tensors: (name, dtype, shape, bytes) in data order; offsets follow the bytes."""
    header = {}
    if meta is not None:
        header["__metadata__"] = meta
    offset = 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    if header_extra:
        header_extra(header)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(t[3] for t in tensors)


def checkpoint(dtype="F32", skip=(), shapes=None, meta="default", extra=None, weights=None):
    """The base checkpoint with one thing changed; dtype: one for all or {name: dtype}."""
    tensors = []
    for name, shape in SHAPES:
        if name in skip:
            continue
        shape = (shapes or {}).get(name, shape)
        vals = (weights or {}).get(name, WEIGHTS[name][: math.prod(shape)])
        dt = dtype.get(name, "F32") if isinstance(dtype, dict) else dtype
        tensors.append((name, dt, shape, pack(dt, vals)))
    return safetensors(tensors, metadata() if meta == "default" else meta, extra)


base = checkpoint()
write("ckpt_base.safetensors", base)  # the valid file every other checkpoint is made from
write("ckpt_short.safetensors", base[:5])
write("ckpt_truncated_header.safetensors", base[:48])
write("ckpt_header_past_end.safetensors", struct.pack("<Q", 4096) + b'{"__metadata__":{}}     ')
write("ckpt_header_2p63.safetensors", struct.pack("<Q", 1 << 63) + b"{}      ")
bad_json = b'{"encoder.weight":{"dtype":"F32","shape":[6,4],,"data_offsets":[0,96]}}'
write("ckpt_bad_json.safetensors", struct.pack("<Q", len(bad_json)) + bad_json + bytes(96))


def set_offsets(name, begin, end):
    def edit(header):
        header[name]["data_offsets"] = [begin, end]
    return edit


data_size = len(base) - 8 - struct.unpack("<Q", base[:8])[0]
write("ckpt_offsets_out_of_range.safetensors",
      checkpoint(extra=set_offsets("decoder.bias", data_size - 24, data_size + 1000)))
# encoder.weight [6,4] F32 is bytes 0..96; rnn.weight_ih_l0 starts 16 bytes early.
write("ckpt_offsets_overlap.safetensors",
      checkpoint(extra=set_offsets("rnn.weight_ih_l0", 80, 80 + 256)))
write("ckpt_offsets_size.safetensors", checkpoint(extra=set_offsets("encoder.weight", 0, 92)))
write("ckpt_i64.safetensors", checkpoint(dtype={"encoder.weight": "I64"}))
write("ckpt_f16.safetensors", checkpoint(dtype="F16"))
write("ckpt_f8.safetensors", checkpoint(dtype={"decoder.bias": "F8_E4M3"}))
write("ckpt_wrong_shape.safetensors", checkpoint(shapes={"decoder.bias": [5]}))
write("ckpt_missing_tensor.safetensors", checkpoint(skip=("rnn.bias_hh_l0",)))
write("ckpt_vocab_mismatch.safetensors", checkpoint(meta=metadata(vocab=VOCAB[:5])))
write("ckpt_no_metadata.safetensors", checkpoint(meta=None))
write("ckpt_config_mismatch.safetensors", checkpoint(meta=metadata(config=dict(CONFIG, hidden_size=8))))
write("ckpt_nan.safetensors",
      checkpoint(weights={"rnn.weight_hh_l0": [float("nan")] + WEIGHTS["rnn.weight_hh_l0"][1:]}))
write("ckpt_vocab_no_specials.safetensors",
      checkpoint(meta=metadata(vocab=["the", "cat", "sat", "on", "a", "mat"])))
# A valid safetensors file from another program: a tiny BERT-style embedding, no LSTM.
write("other_program.safetensors", safetensors([
    ("bert.embeddings.word_embeddings.weight", "F32", [4, 3], pack("F32", values(12))),
    ("bert.embeddings.LayerNorm.weight", "F32", [3], pack("F32", [1.0, 1.0, 1.0])),
], {"format": "pt"}))
