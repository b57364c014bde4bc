#!/usr/bin/python3
"""Reference values for tst_queries (neighbours, analogies, analogy evaluation, PCA), computed with
gensim 4.2, scikit-learn and numpy; and the Python side of the query benchmark.

Run with Debian's interpreter (apt-get install python3-gensim python3-sklearn):

    /usr/bin/python3 tests/golden/make_query_reference.py fixture [--out tests/data/queries]
    /usr/bin/python3 tests/golden/make_query_reference.py bench [--vectors /tmp/glove.6B.100d.txt]

`fixture` writes, deterministically:
  vectors.txt     GloVe text: rows of glove.6B.100d.top20k.txt (the 1200 most frequent words and
                  the words of the questions, in the file's order) projected on the 50 leading
                  principal axes of the 20k table and rounded to 4 decimals, plus a few synthetic
                  rows that exercise case-insensitive matching ("King" next to "king", "PARIS"
                  before "paris", "Zürich").
  questions.txt   analogy questions in the word2vec format, with several sections, an empty
                  section, unknown words, mixed case, CRLF lines and malformed lines.
  reference.json  gensim's most_similar / most_similar_cosmul / evaluate_word_analogies on them,
                  numpy's Euclidean neighbours, scikit-learn's PCA.
  upper.json      Python's str.upper() of every code point in U+0000..U+017F and U+0370..U+052F
                  that it changes (what upperCaseForMatching must reproduce).
Every list of neighbours is checked against an exact float64 ranking, so that no near-tie (gap
below 1e-6) makes the expected order depend on rounding.

`bench` times gensim's most_similar (top 10 of 100 random words, median) and scikit-learn's PCA to
2D (full and randomized SVD, median of 3) on the whole table, for comparison with
tests/bench/bench_queries.
"""
import argparse
import json
import logging
import os
import random
import statistics
import sys
import time

import numpy as np

SOURCE = "/work/shared/data/vectors/glove.6B.100d.top20k.txt"
HERE = os.path.dirname(os.path.abspath(__file__))
TOP_WORDS = 1200
DIMS = 50

QUESTIONS = """\
: capital-common-countries
athens greece baghdad iraq
athens greece berlin germany
berlin germany paris france
london england madrid spain
Madrid Spain Rome Italy
paris france tokyo japan
TOKYO JAPAN MOSCOW RUSSIA
beijing china cairo egypt
ottawa canada oslo norway
stockholm sweden helsinki finland\r
dublin ireland vienna austria
lisbon portugal warsaw poland
berlin germany zürich switzerland
Berlin Germany ZÜRICH Switzerland
athens greece atlantis atlantica
athens greece baghdad
paris france london england extra
: family
boy girl brother sister
boy girl king queen
man woman king queen
Man Woman King Queen
father mother son daughter
husband wife uncle aunt
prince princess king queen
he she his her
dad mom grandfather grandmother
nephew niece king queen
son daughter prince princess
brother sister zzyzx zzyzxa

: empty-section
:   gram-plural\t
car cars dog dogs
cat cats apple apples
child children mouse mice
woman women bird birds
man men woman women
DOG DOGS CAT CATS
dog dogs unicorn unicorns
: gram-comparative
good better bad worse
big bigger small smaller
fast faster slow slower
: gram-present-participle
walk walking run running
swim swimming go going
dance dancing fly flying
read reading write writing
"""


def words_in_questions():
    words = set()
    for line in QUESTIONS.splitlines():
        if line.startswith(":"):
            continue
        words.update(w.lower() for w in line.split())
    return words | {"zurich"}  # the synthetic "Zürich" is made from it


def read_glove(path):
    words, rows = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows.append([float(x) for x in parts[1:]])
    return words, np.array(rows, dtype=np.float64)


def make_vectors(out_dir):
    words, table = read_glove(SOURCE)
    centred = table - table.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:DIMS].T
    axes *= np.sign(axes[np.argmax(np.abs(axes), axis=0), range(DIMS)])
    needed = words_in_questions()
    keep = [i for i, w in enumerate(words) if i < TOP_WORDS or w in needed]
    projected = table[keep] @ axes  # not centred: the rows keep their common direction
    kept = [words[i] for i in keep]
    rng = np.random.default_rng(20240601)

    rows = []  # (word, vector)
    for w, v in zip(kept, projected):
        if w == "paris":
            rows.append(("PARIS", v + rng.normal(0, 0.8, DIMS)))  # the form PARIS is this row
        rows.append((w, v))
        if w == "king":
            rows.append(("King", v + rng.normal(0, 0.05, DIMS)))  # ignored as a form of king
        if w == "zurich":
            rows.append(("Zürich", v + rng.normal(0, 0.05, DIMS)))
    with open(os.path.join(out_dir, "vectors.txt"), "w", encoding="utf-8", newline="\n") as f:
        for w, v in rows:
            f.write(w + " " + " ".join("%.4f" % x for x in v) + "\n")
    missing = sorted(w for w in needed if w not in set(kept))
    return missing


def load_kv(path):
    from gensim.models import KeyedVectors
    return KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)


def exact_order(table, scores_fn, k, exclude, restrict, larger_is_better=True):
    """Rows of the exact float64 top k (ties by row) and the gap around every cut."""
    scores = scores_fn(table[:restrict])
    key = -scores if larger_is_better else scores
    order = [i for i in np.lexsort((np.arange(len(key)), key)) if i not in exclude]
    top = order[: k + 1]
    gaps = [abs(scores[top[i]] - scores[top[i + 1]]) for i in range(len(top) - 1)]
    return order[:k], scores, (min(gaps) if gaps else 1.0)


def unit(v):
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def check(name, expected_rows, exact_rows, gap):
    if list(expected_rows) != list(exact_rows):
        sys.exit("%s: gensim's order differs from the exact float64 order" % name)
    if gap < 1e-6:
        sys.exit("%s: a near-tie (gap %.2g) makes the order ambiguous; pick another query" % (name, gap))


def neighbor_cases(kv, table):
    n = len(kv)
    norms = np.linalg.norm(table, axis=1)
    units = table / norms[:, None]
    out = []

    def add_cosine(name, query, k, restrict, exclude, result):
        rows = [kv.get_index(w) for w, _ in result]
        q = unit(query)
        exact, _, gap = exact_order(table, lambda t: (t @ q) / np.linalg.norm(t, axis=1), k,
                                    set(exclude), restrict)
        check(name, rows, exact, gap)
        return [[w, s] for w, s in result]

    for word, k, restrict in [("king", 10, 0), ("france", 10, 0), ("good", 8, 0), ("dog", 10, 0),
                              ("children", 5, 300), ("zurich", 10, 0), ("the", 12, 100),
                              ("queen", 1, 0), ("running", 20, 0)]:
        result = kv.most_similar(word, topn=k, restrict_vocab=restrict or None)
        row = kv.get_index(word)
        out.append(dict(name="cosine %s k=%d restrict=%d" % (word, k, restrict), kind="word",
                        word=word, metric="cosine", k=k, restrict=restrict,
                        result=add_cosine(word, table[row], k, restrict or n, {row}, result)))

    for word, k, restrict in [("king", 10, 0), ("paris", 10, 0), ("water", 7, 500),
                              ("the", 10, 0)]:
        row = kv.get_index(word)
        x = table[row]
        exact, dist, gap = exact_order(table, lambda t: np.sqrt(((t - x) ** 2).sum(axis=1)), k,
                                       {row}, restrict or n, larger_is_better=False)
        check("euclidean " + word, exact, exact, gap)
        out.append(dict(name="euclidean %s k=%d restrict=%d" % (word, k, restrict), kind="word",
                        word=word, metric="euclidean", k=k, restrict=restrict,
                        result=[[kv.index_to_key[i], float(dist[i])] for i in exact]))

    # Raw vectors: gensim's similar_by_vector (nothing excluded), and with rows excluded.
    rng = np.random.default_rng(7)
    for i, (k, restrict, exclude_words) in enumerate([(10, 0, []), (6, 800, []),
                                                      (10, 0, ["king", "queen"])]):
        vec = (units[kv.get_index("king")] - units[kv.get_index("man")]
               + units[kv.get_index("woman")] + rng.normal(0, 0.05, table.shape[1])).astype(np.float32)
        exclude = [kv.get_index(w) for w in exclude_words]
        result = kv.most_similar(positive=[vec], topn=k + len(exclude), restrict_vocab=restrict or None)
        result = [(w, s) for w, s in result if kv.get_index(w) not in exclude][:k]
        out.append(dict(name="cosine vector %d" % i, kind="vector", vector=[float(x) for x in vec],
                        exclude=exclude, metric="cosine", k=k, restrict=restrict,
                        result=add_cosine("vector %d" % i, vec.astype(np.float64), k,
                                          restrict or n, set(exclude), result)))
        x = vec.astype(np.float32).astype(np.float64)
        exact, dist, gap = exact_order(table, lambda t: np.sqrt(((t - x) ** 2).sum(axis=1)), k,
                                       set(exclude), restrict or n, larger_is_better=False)
        check("euclidean vector %d" % i, exact, exact, gap)
        out.append(dict(name="euclidean vector %d" % i, kind="vector",
                        vector=[float(x) for x in vec], exclude=exclude, metric="euclidean", k=k,
                        restrict=restrict,
                        result=[[kv.index_to_key[j], float(dist[j])] for j in exact]))
    return out


def analogy_cases(kv, table):
    n = len(kv)
    norms = np.linalg.norm(table, axis=1)
    units = table / norms[:, None]
    out = []
    for a, b, c, k, restrict in [("man", "king", "woman", 10, 0), ("france", "paris", "germany", 10, 0),
                                 ("good", "better", "bad", 5, 0), ("dog", "dogs", "cat", 10, 600),
                                 ("he", "his", "she", 3, 0), ("walk", "walking", "swim", 10, 0)]:
        ia, ib, ic = (kv.get_index(w) for w in (a, b, c))
        result = kv.most_similar(positive=[b, c], negative=[a], topn=k, restrict_vocab=restrict or None)
        q = unit(units[ib] + units[ic] - units[ia])
        exact, _, gap = exact_order(table, lambda t: (t @ q) / np.linalg.norm(t, axis=1), k,
                                    {ia, ib, ic}, restrict or n)
        check("add %s %s %s" % (a, b, c), [kv.get_index(w) for w, _ in result], exact, gap)
        out.append(dict(a=a, b=b, c=c, method="add", k=k, restrict=restrict,
                        result=[[w, s] for w, s in result]))
        if restrict:
            continue  # gensim 4.2's most_similar_cosmul ignores restrict_vocab
        result = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=k)

        def cosmul(t):
            cos = (t @ np.stack([units[ia], units[ib], units[ic]]).T) / np.linalg.norm(t, axis=1)[:, None]
            p = (1 + cos) / 2
            return p[:, 1] * p[:, 2] / (p[:, 0] + 1e-6)

        exact, _, gap = exact_order(table, cosmul, k, {ia, ib, ic}, n)
        check("mul %s %s %s" % (a, b, c), [kv.get_index(w) for w, _ in result], exact, gap)
        out.append(dict(a=a, b=b, c=c, method="mul", k=k, restrict=restrict,
                        result=[[w, s] for w, s in result]))
    return out


def count_skipped(kv, path, restrict, case_insensitive):
    """gensim logs only the share of questions with unknown words; count them per section."""
    fold = (lambda w: w.upper()) if case_insensitive else (lambda w: w)
    ok = {fold(w) for w in kv.index_to_key[:restrict]}
    per_section, total, malformed = [], 0, 0
    with open(path, "rb") as f:
        for line in f:
            line = line.decode("utf-8")
            if line.startswith(": "):
                per_section.append(0)
                continue
            words = line.split()
            if len(words) != 4:
                malformed += 1
                continue
            if any(fold(w) not in ok for w in words):
                per_section[-1] += 1
                total += 1
    return per_section, total, malformed


def evaluate_cosmul(kv, path, restrict_vocab, case_insensitive=True):
    """evaluate_word_analogies' loop with most_similar_cosmul (gensim 4.2 ignores its
    similarity_function argument), copied line for line."""
    ok_keys = kv.index_to_key[:restrict_vocab]
    if case_insensitive:
        ok_vocab = {k.upper(): kv.get_index(k) for k in reversed(ok_keys)}
    else:
        ok_vocab = {k: kv.get_index(k) for k in reversed(ok_keys)}
    sections, section = [], None
    with open(path, "rb") as fin:
        for line in fin:
            line = line.decode("utf-8")
            if line.startswith(": "):
                if section:
                    sections.append(section)
                section = {"section": line.lstrip(": ").strip(), "correct": [], "incorrect": []}
                continue
            try:
                if case_insensitive:
                    a, b, c, expected = [word.upper() for word in line.split()]
                else:
                    a, b, c, expected = [word for word in line.split()]
            except ValueError:
                continue
            if a not in ok_vocab or b not in ok_vocab or c not in ok_vocab or expected not in ok_vocab:
                continue
            original_key_to_index = kv.key_to_index
            kv.key_to_index = ok_vocab
            ignore = {a, b, c}
            predicted = None
            sims = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=5,
                                          restrict_vocab=restrict_vocab)
            kv.key_to_index = original_key_to_index
            for element in sims:
                predicted = element[0].upper() if case_insensitive else element[0]
                if predicted in ok_vocab and predicted not in ignore:
                    break
            if predicted == expected:
                section["correct"].append((a, b, c, expected))
            else:
                section["incorrect"].append((a, b, c, expected))
    if section:
        sections.append(section)
    total = {"section": "Total accuracy",
             "correct": [q for s in sections for q in s["correct"]],
             "incorrect": [q for s in sections for q in s["incorrect"]]}
    return sections + [total]


def evaluation_cases(kv, path):
    out = []
    n = len(kv)
    for method, restrict, ci in [("add", 0, True), ("add", 0, False), ("add", 1240, True),
                                 ("mul", 0, True), ("mul", 0, False)]:
        r = restrict or n
        if method == "add":
            _, sections = kv.evaluate_word_analogies(path, restrict_vocab=r, case_insensitive=ci)
        else:
            sections = evaluate_cosmul(kv, path, r, ci)
        skipped, total_skipped, malformed = count_skipped(kv, path, r, ci)
        rows = [dict(name=s["section"], correct=len(s["correct"]),
                     total=len(s["correct"]) + len(s["incorrect"])) for s in sections]
        for row, sk in zip(rows, skipped + [total_skipped]):
            row["skipped"] = sk
        out.append(dict(method=method, restrict=restrict, case_insensitive=ci,
                        sections=rows[:-1], total=rows[-1], skipped=total_skipped,
                        malformed=malformed))
    return out


def rounded(matrix):
    return [[float("%.8g" % x) for x in row] for row in matrix]


def pca_cases(table):
    from sklearn.decomposition import PCA
    out = []
    for k, restrict in [(2, 0), (3, 400), (5, 0)]:
        x = table[:restrict] if restrict else table
        model = PCA(n_components=k, svd_solver="full")
        coords = model.fit_transform(x)
        # numpy cross-check: eigenvectors of the covariance, sklearn's sign convention
        cov = np.cov(x, rowvar=False)
        w, v = np.linalg.eigh(cov)
        v = v[:, ::-1][:, :k]
        c = (x - x.mean(axis=0)) @ v
        signs = np.sign(c[np.argmax(np.abs(c), axis=0), range(k)])
        if not np.allclose(c * signs, coords, atol=1e-8):
            sys.exit("PCA: numpy and scikit-learn disagree")
        out.append(dict(k=k, restrict=restrict,
                        explained_variance=model.explained_variance_.tolist(),
                        explained_variance_ratio=model.explained_variance_ratio_.tolist(),
                        mean=model.mean_.tolist(),
                        components=rounded(model.components_),  # (k, dim)
                        coords=rounded(coords)))  # (rows, k)
    return out


def upper_map():
    out = []
    for cp in list(range(0, 0x180)) + list(range(0x370, 0x530)):
        u = chr(cp).upper()
        if u != chr(cp):
            out.append([cp, [ord(ch) for ch in u]])
    return out


def dump_by_case(obj):
    """JSON with one line per top-level member, and per case in the lists of cases."""
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


def fixture(args):
    out_dir = args.out
    os.makedirs(out_dir, exist_ok=True)
    missing = make_vectors(out_dir)
    qpath = os.path.join(out_dir, "questions.txt")
    with open(qpath, "w", encoding="utf-8", newline="") as f:
        f.write(QUESTIONS)  # one line ends in CRLF
    vpath = os.path.join(out_dir, "vectors.txt")
    kv = load_kv(vpath)
    table = kv.vectors.astype(np.float64)
    ref = dict(
        generator="tests/golden/make_query_reference.py (gensim %s, scikit-learn %s, numpy %s)"
        % (__import__("gensim").__version__, __import__("sklearn").__version__, np.__version__),
        vectors="vectors.txt", questions="questions.txt", rows=len(kv), dim=int(table.shape[1]),
        unknown_question_words=missing,
        neighbors=neighbor_cases(kv, table),
        analogies=analogy_cases(kv, table),
        evaluations=evaluation_cases(kv, qpath),
        pca=pca_cases(table))
    with open(os.path.join(out_dir, "reference.json"), "w", encoding="utf-8") as f:
        f.write(dump_by_case(ref))
    with open(os.path.join(out_dir, "upper.json"), "w", encoding="utf-8") as f:
        json.dump(dict(ranges=[[0, 0x180], [0x370, 0x530]], upper=upper_map()), f)
        f.write("\n")
    sizes = {name: os.path.getsize(os.path.join(out_dir, name)) for name in sorted(os.listdir(out_dir))}
    print(json.dumps(dict(rows=len(kv), dim=int(table.shape[1]), bytes=sizes,
                          evaluations=[(e["method"], e["restrict"], e["case_insensitive"],
                                        e["total"]["correct"], e["total"]["total"], e["skipped"])
                                       for e in ref["evaluations"]])))


def bench(args):
    from sklearn.decomposition import PCA
    import threadpoolctl  # noqa: F401  (scikit-learn's dependency; reports the BLAS in use)
    t0 = time.perf_counter()
    kv = load_kv(args.vectors)
    print(json.dumps(dict(event="load", rows=len(kv), seconds=round(time.perf_counter() - t0, 2))))
    kv.fill_norms()
    rng = random.Random(args.seed)
    words = [kv.index_to_key[rng.randrange(len(kv))] for _ in range(args.queries)]
    for w in words[:3]:
        kv.most_similar(w, topn=10)
    times = []
    for w in words:
        t0 = time.perf_counter()
        kv.most_similar(w, topn=10)
        times.append(time.perf_counter() - t0)
    print(json.dumps(dict(event="gensim_most_similar_top10", queries=len(words),
                          median_ms=round(statistics.median(times) * 1e3, 3),
                          min_ms=round(min(times) * 1e3, 3))))
    times = []
    for _ in range(max(args.queries // 4, 1)):
        t0 = time.perf_counter()
        kv.most_similar(positive=["king", "woman"], negative=["man"], topn=10)
        times.append(time.perf_counter() - t0)
    print(json.dumps(dict(event="gensim_analogy_add", median_ms=round(statistics.median(times) * 1e3, 3))))
    times = []
    for _ in range(max(args.queries // 4, 1)):
        t0 = time.perf_counter()
        kv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=10)
        times.append(time.perf_counter() - t0)
    print(json.dumps(dict(event="gensim_analogy_mul", median_ms=round(statistics.median(times) * 1e3, 3))))
    x = kv.vectors
    for solver in ("randomized", "full"):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            PCA(n_components=2, svd_solver=solver, random_state=0).fit_transform(x)
            times.append(time.perf_counter() - t0)
        print(json.dumps(dict(event="sklearn_pca_2d", solver=solver, runs=3,
                              median_s=round(statistics.median(times), 4), min_s=round(min(times), 4))))


def main():
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fixture")
    f.add_argument("--out", default=os.path.join(HERE, "..", "data", "queries"))
    b = sub.add_parser("bench")
    b.add_argument("--vectors", default="/tmp/glove.6B.100d.txt")
    b.add_argument("--queries", type=int, default=100)
    b.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fixture(args) if args.command == "fixture" else bench(args)


if __name__ == "__main__":
    main()
