#!/usr/bin/python3
"""Reference values for the word-pair evaluation and the multi-word queries of tst_queries and
tst_cli, computed with gensim 4.2 (and scipy, which it calls).

Run with Debian's interpreter (apt-get install python3-gensim):

    /usr/bin/python3 tests/golden/make_pairs_reference.py [--out tests/data/queries]

It reads only tests/data/queries/vectors.txt (made by make_query_reference.py) and writes,
deterministically:
  pairs_vectors.txt  GloVe text: the first 150 rows of vectors.txt and the rows of the words of
                     the pair files, in vectors.txt's order, with synthetic case variants: "Dog"
                     just before "dog" (so the form DOG is the noisy "Dog"), "CAR" after "car"
                     (ignored as a form of car), "straße" and, after it, "STRASSE" (Python's
                     upper() of straße is STRASSE, so the form STRASSE is straße).
  pairs/*.tsv        word-pair files in gensim's format (word TAB word TAB score, "#" comments):
                     ties among the scores, the same pair twice and reversed (ties among the
                     model's similarities), mixed case, pairs with unknown words, blank lines,
                     a CRLF line.
  pairs.json         gensim's evaluate_word_pairs on them (Pearson, Spearman, OOV ratio, with
                     and without case folding, for several restrict_vocab), scipy's rankdata of
                     a few lists, and on vectors.txt: similarity, doesnt_match, most_similar and
                     most_similar_cosmul with several positive and negative words.
Every ranking is checked against an exact float64 one, so that no near-tie (gap below 1e-6) makes
the expected order or a Spearman rank depend on rounding.
"""
import argparse
import json
import logging
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "queries")
FIRST_ROWS = 150

# (file name, text). Scores on WordSim-353's 0..10 scale.
PAIRS = {
    "wordsim.tsv": """\
# Word pairs in gensim's format: word TAB word TAB score.
# Comments start with '#'; blank lines are skipped.
king\tqueen\t8.58
man\twoman\t8.30
boy\tgirl\t8.30
father\tmother\t8.50
dog\tcat\t7.35
car\tcars\t9.10
city\ttown\t8.30
house\thome\t8.30
money\tbank\t8.12
water\tsea\t7.00
sea\triver\t7.00
street\troad\t8.30
football\tmusic\t2.00
computer\tinternet\t7.58
food\tapple\t6.50
love\tpeace\t5.00
war\tpeace\t5.00
president\tgovernment\t7.35
company\tbusiness\t8.50

# a second block, with the same pair twice and reversed
king\tqueen\t8.00
queen\tking\t8.00
paris\tfrance\t7.35
london\tfrance\t5.00
tokyo\tjapan\t8.12
germany\tfrance\t6.50
big\tsmall\t2.00
good\tbad\t1.50\r
good\tbetter\t7.00
bird\tairport\t2.00
school\tbook\t5.00
# pairs with a word outside the vocabulary
unicorn\thorse\t6.00
dog\tzzyzx\t1.00
""",
    "case.tsv": """\
#case variants: every line here is folded to upper case by gensim by default
King\tQueen\t8.58
KING\tqueen\t8.00
Paris\tFrance\t7.35
PARIS\tlondon\t6.00
paris\tLondon\t6.00
Dog\tCat\t7.35
dog\tCAT\t7.35
Car\tcars\t9.10
CAR\tCARS\t9.10
Strasse\tstreet\t8.00
straße\troad\t7.00
STRASSE\tStraße\t10.00
Zurich\tparis\t5.00
Zürich\tParis\t5.00
ZÜRICH\tgermany\t6.00
good\tBetter\t7.00
woman\tMan\t8.30
""",
    "unknown.tsv": """\
# mostly unknown words (and words past a small restrict)
zzyzx\tzzyzxa\t5.00
atlantis\tatlantica\t6.00
king\tqueen\t8.58
queen\tcat\t2.00
tokyo\tjapan\t8.12
zurich\tgermany\t6.00
cat\tdog\t7.35
unicorn\tunicorns\t9.00
""",
}

# Rows of vectors.txt each file needs.
def pair_words():
    words = set()
    for text in PAIRS.values():
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            a, b, _ = line.split("\t")
            words.update([a, b])
    return words


def read_glove(path):
    words, rows = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows.append(parts[1:])
    return words, rows


def fmt(v):
    return " ".join("%.4f" % x for x in v)


def make_pairs_vectors(out_dir):
    words, rows = read_glove(os.path.join(DATA, "vectors.txt"))
    needed = pair_words()
    rng = np.random.default_rng(20261202)
    out = []
    for i, (w, r) in enumerate(zip(words, rows)):
        if i >= FIRST_ROWS and w not in needed:
            continue
        v = np.array([float(x) for x in r])
        if w == "dog":
            out.append(("Dog", fmt(v + rng.normal(0, 0.6, v.size))))
        out.append((w, " ".join(r)))
        if w == "car":
            out.append(("CAR", fmt(v + rng.normal(0, 0.6, v.size))))
        if w == "street":
            out.append(("straße", fmt(v + rng.normal(0, 0.3, v.size))))
            out.append(("STRASSE", fmt(v + rng.normal(0, 0.6, v.size))))
    with open(os.path.join(out_dir, "pairs_vectors.txt"), "w", encoding="utf-8", newline="\n") as f:
        for w, r in out:
            f.write(w + " " + r + "\n")
    return [w for w, _ in out]


def load_kv(path):
    from gensim.models import KeyedVectors
    return KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)


def check_no_near_ties(name, values):
    """Distinct values closer than 1e-6 would rank differently in float32 and float64."""
    v = np.sort(np.asarray(values, dtype=np.float64))
    gaps = np.diff(v)
    close = gaps[(gaps > 0) & (gaps < 1e-6)]
    if close.size:
        sys.exit("%s: near-tie among the model's similarities (gap %.2g)" % (name, close.min()))


def model_similarities(kv, path, restrict, case_insensitive):
    """The similarities evaluate_word_pairs correlates, recomputed in float64 for the check."""
    table = kv.vectors.astype(np.float64)
    keys = kv.index_to_key[:restrict]
    fold = (lambda w: w.upper()) if case_insensitive else (lambda w: w)
    ok = {fold(k): kv.get_index(k) for k in reversed(keys)}
    sims, oov = [], 0
    with open(path, encoding="utf8") as f:
        for line in f:
            if not line or line.startswith("#"):
                continue
            parts = [fold(x) for x in line.split("\t")]
            if len(parts) != 3:
                continue
            a, b, _ = parts
            if a in ok and b in ok:
                x, y = table[ok[a]], table[ok[b]]
                sims.append((x / np.linalg.norm(x)) @ (y / np.linalg.norm(y)))  # symmetric
            else:
                oov += 1
    return sims, oov


def evaluation_cases(kv, out_dir):
    out = []
    for name in sorted(PAIRS):
        path = os.path.join(out_dir, "pairs", name)
        for restrict, ci in [(300000, True), (300000, False), (170, True), (191, True),
                             (191, False), (199, True)]:
            sims, oov_pairs = model_similarities(kv, path, restrict, ci)
            check_no_near_ties("%s restrict=%d" % (name, restrict), sims)
            try:
                pearson, spearman, oov = kv.evaluate_word_pairs(
                    path, restrict_vocab=restrict, case_insensitive=ci)
            except ValueError as e:  # no pair left, or one (too few for scipy's pearsonr)
                error = "no valid pairs" if str(e).startswith("No valid") else str(e)
                out.append(dict(pairs=name, restrict=restrict, case_insensitive=ci, error=error,
                                used=len(sims), oov=oov_pairs))
                continue
            # the counts gensim only logs
            if abs(oov - 100.0 * oov_pairs / (len(sims) + oov_pairs)) > 1e-12:
                sys.exit("%s: the pairs counted here are not gensim's" % name)
            out.append(dict(pairs=name, restrict=restrict, case_insensitive=ci,
                            pearson=float(pearson[0]), spearman=float(spearman[0]),
                            oov_ratio=float(oov), used=len(sims), oov=oov_pairs))
    return out


def rank_cases():
    from scipy.stats import rankdata
    lists = [[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [2.0, 2.0, 2.0], [1.5], [],
             [0.5, -1.0, 0.5, 7.0, -1.0, 0.5, 2.0]]
    return [dict(values=v, ranks=rankdata(v).tolist()) for v in lists]


def exact_order(scores, k, exclude):
    order = [i for i in np.lexsort((np.arange(len(scores)), -scores)) if i not in exclude]
    top = order[: k + 1]
    gaps = [abs(scores[top[i]] - scores[top[i + 1]]) for i in range(len(top) - 1)]
    return order[:k], (min(gaps) if gaps else 1.0)


def check(name, got_rows, exact_rows, gap):
    if list(got_rows) != list(exact_rows):
        sys.exit("%s: gensim's order differs from the exact float64 order" % name)
    if gap < 1e-6:
        sys.exit("%s: a near-tie (gap %.2g) makes the order ambiguous" % (name, gap))


def query_cases(kv):
    table = kv.vectors.astype(np.float64)
    norms = np.linalg.norm(table, axis=1)
    units = table / norms[:, None]
    n = len(kv)

    sims = []
    for a, b in [("king", "queen"), ("king", "King"), ("paris", "PARIS"), ("dog", "cat"),
                 ("the", "zurich"), ("Zürich", "zurich"), ("good", "bad"), ("car", "car")]:
        sims.append(dict(a=a, b=b, similarity=float(kv.similarity(a, b))))

    odd = []
    for words in [["france", "germany", "italy", "dog"], ["king", "queen", "prince", "car"],
                  ["man", "woman", "child", "tokyo", "zzyzx"], ["breakfast", "lunch", "dinner", "cat"],
                  ["dog", "dog", "cat", "france"], ["paris", "PARIS", "london", "berlin", "water"]]:
        used = [w for w in words if w in kv]
        u = np.stack([units[kv.get_index(w)] for w in used])
        mean = u.mean(axis=0)
        d = u @ (mean / np.linalg.norm(mean))
        s = np.sort(d)
        if len(s) > 1 and s[1] - s[0] < 1e-6:
            sys.exit("doesnt_match %s: near-tie" % words)
        odd.append(dict(words=words, ignored=[w for w in words if w not in kv],
                        result=kv.doesnt_match(words)))

    multi = []
    for pos, neg, k, restrict in [(["king", "woman"], ["man"], 10, 0),
                                  (["paris", "germany"], ["france"], 8, 0),
                                  (["king", "queen", "prince"], [], 10, 0),
                                  (["dog", "dog", "cat"], [], 6, 0),
                                  ([], ["good"], 5, 0),
                                  (["water", "sea"], ["city", "road"], 10, 0),
                                  (["king", "woman"], ["man"], 10, 700),
                                  (["tokyo", "france"], ["japan"], 5, 1000)]:
        result = kv.most_similar(positive=pos, negative=neg, topn=k, restrict_vocab=restrict or None)
        x = sum(units[kv.get_index(w)] for w in pos) - sum(
            (units[kv.get_index(w)] for w in neg), np.zeros(table.shape[1]))
        r = restrict or n
        scores = (table[:r] @ (x / np.linalg.norm(x))) / norms[:r]
        exact, gap = exact_order(scores, k, {kv.get_index(w) for w in pos + neg})
        check("most_similar %s %s" % (pos, neg), [kv.get_index(w) for w, _ in result], exact, gap)
        multi.append(dict(method="add", positive=pos, negative=neg, k=k, restrict=restrict,
                          result=[[w, s] for w, s in result]))

    for pos, neg, k in [(["king", "woman"], ["man"], 10), (["king"], [], 8),
                        (["paris", "germany", "italy"], ["france"], 8),
                        (["water", "sea"], ["city", "road"], 10), (["dog", "cat"], [], 6)]:
        result = kv.most_similar_cosmul(positive=pos, negative=neg, topn=k)
        cos = lambda w: (1 + (table @ units[kv.get_index(w)]) / norms) / 2
        scores = np.prod([cos(w) for w in pos], axis=0) / (
            np.prod([cos(w) for w in neg], axis=0) + 1e-6)
        exact, gap = exact_order(scores, k, {kv.get_index(w) for w in pos + neg})
        check("cosmul %s %s" % (pos, neg), [kv.get_index(w) for w, _ in result], exact, gap)
        multi.append(dict(method="mul", positive=pos, negative=neg, k=k, restrict=0,
                          result=[[w, s] for w, s in result]))
    return sims, odd, multi


def dump_by_case(obj):
    def one(x):
        return json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    lines = []
    for key, value in obj.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            body = ",\n  ".join(one(case) for case in value)
            lines.append(" %s: [\n  %s]" % (one(key), body))
        else:
            lines.append(" %s: %s" % (one(key), one(value)))
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main():
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DATA)
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "pairs"), exist_ok=True)
    rows = make_pairs_vectors(args.out)
    for name, text in PAIRS.items():
        with open(os.path.join(args.out, "pairs", name), "w", encoding="utf-8", newline="") as f:
            f.write(text)  # one line of wordsim.tsv ends in CRLF
    pairs_kv = load_kv(os.path.join(args.out, "pairs_vectors.txt"))
    kv = load_kv(os.path.join(DATA, "vectors.txt"))
    sims, odd, multi = query_cases(kv)
    ref = dict(
        generator="tests/golden/make_pairs_reference.py (gensim %s, scipy %s, numpy %s)"
        % (__import__("gensim").__version__, __import__("scipy").__version__, np.__version__),
        pairs_vectors="pairs_vectors.txt", pairs_rows=len(rows), vectors="vectors.txt",
        evaluations=evaluation_cases(pairs_kv, args.out),
        ranks=rank_cases(), similarity=sims, doesnt_match=odd, most_similar=multi)
    with open(os.path.join(args.out, "pairs.json"), "w", encoding="utf-8") as f:
        f.write(dump_by_case(ref))
    print(json.dumps(dict(rows=len(rows), evaluations=[
        (e["pairs"], e["restrict"], e["case_insensitive"], e.get("pearson"), e.get("used"),
         e.get("oov")) for e in ref["evaluations"]])))


if __name__ == "__main__":
    main()
