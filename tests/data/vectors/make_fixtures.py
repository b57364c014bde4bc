#!/usr/bin/env python3
"""Writes the word-vector fixtures of tests/tst_vectors_io.cpp (deterministic; standard library
only): `/usr/bin/python3 tests/data/vectors/make_fixtures.py`.

Every clean file holds the same table (WORDS x VALUES below) in another format; the binary ones
hold float32(float(s)) of the same decimal strings, which is what gensim and numpy read from the
text ones. The rest are messy or broken files, one kind of problem each, with the lines the test
expects to see reported.
"""
import gzip
import io
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = ["the", ",", "of", "café", "naïve", "日本", "don't", "3.14", "Emma's", "zebra"]
# Decimal strings chosen to exercise the parser: plain GloVe-style values, more than 19
# significant digits, exponents, values needing the slow path, float extremes, signed zero.
VALUES = [
    ["-0.038194", "-0.24487", "0.72812", "-0.39961", "0.083172", "0.043953"],
    ["0.1", "-0.2", "0.30000000000000004", "1e-05", "2.5E+3", "-7"],
    ["0.12345678901234567890123", "-1.0000000596046448", "16777217", "3.4028235e38", "-0", "+0.5"],
    [".5", "5.", "1.17549435e-38", "1e-45", "7.006492321624085e-46", "1e-50"],
    ["0.33333334", "0.99999994", "1.00000012", "-123456.789", "9007199254740993", "1e22"],
    ["1e23", "4.9406564584124654e-324", "0.1000000000000000055511151231257827", "-65504", "6.1035156e-05", "8"],
    ["0.078919", "0.53679", "0.053394", "-0.42358", "0.25639", "0.42758"],
    ["-0.44074", "0.83854", "-0.14662", "-0.059363", "-0.23535", "-0.41982"],
    ["0.074349", "0.33737", "-0.069421", "-0.38576", "-0.21535", "0.18326"],
    ["2.2167", "-3.0243", "0.99775", "-0.80481", "5.821154", "0"],
]
DIM = len(VALUES[0])


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


def text_table(header, sep=" ", trailing=""):
    lines = []
    if header:
        lines.append(f"{len(WORDS)} {DIM}")
    for w, vals in zip(WORDS, VALUES):
        lines.append(w + sep + sep.join(vals) + trailing)
    return ("\n".join(lines) + "\n").encode("utf-8")


def f32(s):
    return struct.pack("<f", float(s))


def binary_table(rows, dim, header_rows=None):
    out = f"{len(rows) if header_rows is None else header_rows} {dim}\n".encode()
    for word, vals in rows:
        out += word + b" " + b"".join(v if isinstance(v, bytes) else f32(v) for v in vals) + b"\n"
    return out


# --- clean tables, one per format -------------------------------------------------------------
glove = text_table(False)
w2v = text_table(True)
fasttext = text_table(True, trailing=" ")
binary = binary_table([(w.encode(), v) for w, v in zip(WORDS, VALUES)], DIM)
vectors_tsv = ("\n".join("\t".join(v) for v in VALUES) + "\n").encode()
metadata_tsv = ("\n".join(WORDS) + "\n").encode()
metadata_columns = ("word\tcount\n" + "".join(f"{w}\t{i}\n" for i, w in enumerate(WORDS))).encode()

write("glove.txt", glove)
write("word2vec.txt", w2v)
write("fasttext.vec", fasttext)
write("word2vec.bin", binary)
write("projector/vectors.tsv", vectors_tsv)
write("projector/metadata.tsv", metadata_tsv)
write("projector_columns/vectors.tsv", vectors_tsv)
write("projector_columns/metadata.tsv", metadata_columns)
write("glove.txt.gz", gz(glove))
write("word2vec.txt.gz", gz(w2v))
write("fasttext.vec.gz", gz(fasttext))
write("word2vec.bin.gz", gz(binary))
write("projector_gz/vectors.tsv.gz", gz(vectors_tsv))
write("projector_gz/metadata.tsv", metadata_tsv)
# CRLF line ends, a UTF-8 byte-order mark and no final newline change nothing.
write("glove_crlf_bom.txt", b"\xef\xbb\xbf" + glove.replace(b"\n", b"\r\n")[:-2])
# The binary layout without the '\n' after each row (as some writers do).
write("word2vec_nonl.bin", f"{len(WORDS)} {DIM}\n".encode()
      + b"".join(w.encode() + b" " + b"".join(f32(x) for x in v) for w, v in zip(WORDS, VALUES)))

# --- messy files: what the test expects is noted per line -------------------------------------
messy = b"".join([
    b"the 0.1 0.2 0.3 0.4\n",               # 1
    b"of 0.5 0.6 0.7 0.8\n",                # 2
    b"\n",                                  # 3 empty line
    b"the 9 9 9 9\n",                       # 4 duplicate
    b"caf\xe9 1 2 3 4\n",                   # 5 invalid UTF-8 (Latin-1 e-acute)
    b". . . 1 2 3 4\n",                     # 6 token with spaces ". . ."
    b"short 1 2 3\n",                       # 7 wrong field count
    b"nan 1 nan 3 4\n",                     # 8 non-finite
    b"big 1e39 0 0 0\n",                    # 9 non-finite (beyond float)
    b"bad 1 2 x 4\n",                       # 10 not a number
    b"at name@domain.com 1 2 3 4\n",        # 11 token with spaces
    b"   \t \n",                            # 12 empty line
    b"of 1 1 1 1\n",                        # 13 duplicate
    b"crlf 4 3 2 1\r\n",                    # 14 fine
    b"last -1 -2 -3 -4",                    # 15 fine, no final newline
])
write("messy.txt", messy)
write("messy.txt.gz", gz(messy))

# Header promises 5 rows, the file has 3.
write("header_mismatch.txt", b"5 3\na 1 2 3\nb 4 5 6\nc 7 8 9\n")
# A header claiming far more rows than exist (nothing may be allocated for them).
write("header_many_rows.txt", b"1000000000 3\na 1 2 3\nb 4 5 6\n")
write("header_many_rows.bin", binary_table([(b"a", ["1", "2", "3"]), (b"b", ["4", "5", "6"])], 3,
                                           header_rows=1000000000))

# word2vec binary with problems: row 2 NaN, row 3 duplicate, row 4 invalid UTF-8.
nan = struct.pack("<f", float("nan"))
write("messy.bin", binary_table([
    (b"a", ["1", "2"]),
    (b"b", [nan, "1"]),
    (b"a", ["3", "4"]),
    (b"c\xff", ["1", "1"]),
    (b"d", ["1", "2"]),
], 2))

# Truncated binary: the header says 4 rows; the file ends inside the floats of row 3.
full = binary_table([(b"one", ["1", "2", "3"]), (b"two", ["4", "5", "6"]),
                     (b"three", ["7", "8", "9"]), (b"four", ["1", "1", "1"])], 3)
cut = full.index(b"three ") + len(b"three ") + 5
write("truncated.bin", full[:cut])
# Truncated gzip: the compressed stream stops half-way.
long_text = "".join(f"w{i} {i}.5 -{i}.25 {i}e-3\n" for i in range(400)).encode()
packed = gz(long_text)
write("truncated.txt.gz", packed[: len(packed) // 2])

# --- refused files ----------------------------------------------------------------------------
write("empty.txt", b"")
write("blank_only.txt", b"\n  \n\t\n")
write("prose.txt", b"It is a truth universally acknowledged, that a single man in possession\n"
                   b"of a good fortune, must be in want of a wife.\n"
                   b"However little known the feelings or views of such a man may be on his\n"
                   b"first entering a neighbourhood, this truth is so well fixed in the minds\n")
write("prose.txt.gz", gz(open(os.path.join(HERE, "prose.txt"), "rb").read()))
write("words_only.txt", b"the\nof\nand\n")
write("header_dim0.txt", b"3 0\nthe\nof\nand\n")
write("header_huge.txt", b"1000000000 1000000000\nthe 1 2 3\n")
write("header_huge.bin", b"1000000000 1000000000\nthe " + f32("1") * 3 + b"\n")
write("header_only.txt", b"3 1\n")
write("header_dim_mismatch.txt", b"2 5\nthe 1 2 3\nof 4 5 6\n")
write("binary_junk.dat", bytes((i * 37 + 11) % 256 for i in range(2048)))
write("projector_mismatch/vectors.tsv", b"1\t2\n3\t4\n5\t6\n")
write("projector_mismatch/metadata.tsv", b"a\nb\n")
# Every row dropped (here: NaN), so nothing is left to load.
write("all_nan.txt", b"a nan 1\nb 1 nan\n")
# A gzip stream whose deflate data is damaged half-way.
damaged = bytearray(gz(long_text))
for i in range(len(damaged) // 2, len(damaged) // 2 + 16):
    damaged[i] ^= 0x5A
write("corrupt.txt.gz", bytes(damaged))
