#!/usr/bin/env python3
"""Writes the fastText .bin fixtures of tests/tst_vectors_io.cpp and their reference vectors:
`/usr/bin/python3 tests/data/vectors/fasttext_bin/make_reference.py`.

The two models are trained by Debian's fasttext CLI from the texts next to this script (kept as
they are when present, since training differs between fastText builds). fastText 0.9
initialises only thread/10 of the input matrix (each thread fills a tenth), so ten threads are
used: with fewer, most n-gram rows would stay zero and so would most vectors of unseen words. The reference vectors
are gensim 4.2's load_facebook_vectors: every word's vector and those of a few words outside
the vocabulary, built from character n-grams. gensim refuses supervised models, so for the
supervised one its vocabulary reader is given the words alone (the labels have no input rows).
The broken files of tests/data/bad/ named fasttext_*.bin are derived from the skipgram model,
one problem each; the old-format file here holds the same model as fastText wrote it before its
files had a magic number and version.
"""
import collections
import json
import os
import struct
import subprocess

import gensim
import numpy as np
from gensim.models import _fasttext_bin
from gensim.models.fasttext import load_facebook_vectors

HERE = os.path.dirname(os.path.abspath(__file__))
NEIGHBOR_QUERIES = ["cats", "rivers", "向量化", "café!"]
OOV = ["cats", "dogged", "rivers", "cafés", "café!", "向量化", "向量", "zzz", "x", "ab", ""]
# Queries mixing words outside the skipgram model's vocabulary with words in it.
MIXED_QUERIES = [
    ("add", ["cats", "river"], ["dog"]),
    ("add", ["rivers", "cafés"], []),
    ("add", [], ["dogged"]),
    ("mul", ["cats", "river"], ["dog"]),
    ("mul", ["rivers"], ["cafés"]),
]
MIXED_PAIRS = [("cats", "cat"), ("rivers", "向量化"), ("dogged", "dog")]
MIXED_ODD = [["cats", "dog", "river", "café!"], ["rivers", "river", "dogged", "cat"]]


BAD = os.path.join(HERE, "..", "..", "bad")


def path(name):
    return os.path.join(HERE, name)


def bad(name):
    return os.path.join(BAD, name)


def train():
    if not os.path.exists(path("skipgram.bin")):
        subprocess.run(["fasttext", "skipgram", "-input", path("skipgram.txt"), "-output",
                        path("skipgram"), "-dim", "8", "-minCount", "1", "-epoch", "1",
                        "-bucket", "2000", "-minn", "3", "-maxn", "5", "-thread", "10"], check=True)
        os.remove(path("skipgram.vec"))
    if not os.path.exists(path("supervised.bin")):
        subprocess.run(["fasttext", "supervised", "-input", path("supervised.txt"), "-output",
                        path("supervised"), "-dim", "8", "-minCount", "1", "-epoch", "1",
                        "-bucket", "2000", "-minn", "2", "-maxn", "4", "-thread", "10"], check=True)
        os.remove(path("supervised.vec"))


def load_words_only(fin, new_format, encoding="utf-8"):
    """_fasttext_bin._load_vocab, keeping the words (entry type 0) and skipping the labels."""
    vocab_size, nwords, nlabels = _fasttext_bin._struct_unpack(fin, "@3i")
    ntokens = _fasttext_bin._struct_unpack(fin, "@q")[0]
    pruneidx_size = _fasttext_bin._struct_unpack(fin, "@q")[0] if new_format else 0
    raw_vocab = collections.OrderedDict()
    for _ in range(vocab_size):
        word = bytearray()
        c = fin.read(1)
        while c != b"\x00":
            word += c
            c = fin.read(1)
        count, kind = _fasttext_bin._struct_unpack(fin, "@qb")
        if kind == 0:
            raw_vocab[word.decode(encoding)] = count
    for _ in range(max(pruneidx_size, 0)):
        _fasttext_bin._struct_unpack(fin, "@2i")
    return raw_vocab, nwords, nwords, ntokens


def reference(name, supervised=False):
    original = _fasttext_bin._load_vocab
    if supervised:
        _fasttext_bin._load_vocab = load_words_only
    try:
        wv = load_facebook_vectors(path(name))
    finally:
        _fasttext_bin._load_vocab = original
    words = list(wv.index_to_key)
    oov = [w for w in OOV if w not in wv.key_to_index]
    return {
        "generator": "gensim %s load_facebook_vectors" % gensim.__version__,
        "file": name,
        "dim": int(wv.vector_size),
        "min_n": int(wv.min_n),
        "max_n": int(wv.max_n),
        "bucket": int(wv.bucket),
        "words": words,
        "vectors": [[float(x) for x in wv.get_vector(w)] for w in words],
        "oov": oov,
        "oov_vectors": [[float(x) for x in wv.get_vector(w)] for w in oov],
        # most_similar(word, topn=5) for words outside the vocabulary that have n-grams.
        "oov_neighbors": {w: [[k, float(score)] for k, score in wv.most_similar(w, topn=5)]
                          for w in oov if w in NEIGHBOR_QUERIES},
        # most_similar / most_similar_cosmul, similarity and doesnt_match (with
        # rank_by_centrality) on word lists that mix both kinds of word.
        "mixed_queries": [
            {"method": m, "positive": pos, "negative": neg,
             "result": [[k, float(score)] for k, score in
                        (wv.most_similar if m == "add" else wv.most_similar_cosmul)(
                            positive=pos, negative=neg, topn=5)]}
            for m, pos, neg in MIXED_QUERIES] if name != "supervised.bin" else [],
        "mixed_similarity": [[a, b, float(wv.similarity(a, b))] for a, b in MIXED_PAIRS]
        if name != "supervised.bin" else [],
        "mixed_doesnt_match": [
            {"words": words, "odd": wv.doesnt_match(words),
             "ranked": [[w, float(score)] for score, w in wv.rank_by_centrality(words)]}
            for words in MIXED_ODD] if name != "supervised.bin" else [],
    }


def derived():
    with open(path("skipgram.bin"), "rb") as f:
        data = f.read()
    magic, version = struct.unpack_from("<2i", data, 0)
    assert (magic, version) == (793712314, 12)
    args_end = 8 + 12 * 4 + 8  # magic, version, 12 int32 args, double t
    dim, ws = struct.unpack_from("<2i", data, 8)
    # The format before the magic number: the args start with dim and ws, the dictionary has no
    # pruneidx size and the matrices no quantization flag.
    p = args_end
    vocab_size, nwords, nlabels = struct.unpack_from("<3i", data, p)
    p += 12 + 8  # the counts, ntokens
    pruneidx_size, = struct.unpack_from("<q", data, p)
    assert pruneidx_size < 0
    dict_start = p + 8
    q = dict_start
    for _ in range(vocab_size):
        q = data.index(b"\x00", q) + 1 + 9
    rows, cols = struct.unpack_from("<2q", data, q + 1)
    input_end = q + 1 + 16 + rows * cols * 4
    old = (struct.pack("<2i", dim, ws) + data[8 + 8:args_end] + data[args_end:p]
           + data[dict_start:q] + data[q + 1:input_end] + data[input_end + 1:])
    with open(path("skipgram_old_format.bin"), "wb") as f:
        f.write(old)
    quantized = bytearray(data)
    quantized[q] = 1
    with open(bad("fasttext_quantized.bin"), "wb") as f:
        f.write(bytes(quantized))
    future = bytearray(data)
    struct.pack_into("<i", future, 4, 13)
    with open(bad("fasttext_version13.bin"), "wb") as f:
        f.write(bytes(future))
    # Cut in the middle of the input matrix, and inside the dictionary.
    with open(bad("fasttext_truncated_matrix.bin"), "wb") as f:
        f.write(data[:q + 1 + 16 + 1000 * cols * 4 + 6])
    with open(bad("fasttext_truncated_dictionary.bin"), "wb") as f:
        f.write(data[:dict_start + 40])
    # The word "dog" spelt "cat" (a second "cat"), and a NaN in the row of "and".
    duplicate = data[:dict_start] + data[dict_start:q].replace(b"dog\x00", b"cat\x00") + data[q:]
    assert len(duplicate) == len(data) and duplicate != data
    with open(bad("fasttext_duplicate.bin"), "wb") as f:
        f.write(duplicate)
    nan = bytearray(data)
    struct.pack_into("<f", nan, q + 1 + 16 + 2 * cols * 4, float("nan"))
    with open(bad("fasttext_nan.bin"), "wb") as f:
        f.write(bytes(nan))
    return {"input_matrix_offset": q + 1 + 16, "input_rows": rows, "dictionary_offset": dict_start}


def main():
    train()
    refs = {"skipgram": reference("skipgram.bin"),
            "supervised": reference("supervised.bin", supervised=True),
            "skipgram_old_format": reference("skipgram_old_format.bin") if derived() else None}
    with open(path("reference.json"), "w", encoding="utf-8") as f:
        json.dump(refs, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
