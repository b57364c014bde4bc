#!/usr/bin/env python3
"""Makes resources/sample/austen-or-shakespeare.tsv, the bundled labelled corpus: passages of
Jane Austen's Pride and Prejudice (the bundled sample) and of Shakespeare's Hamlet (Project
Gutenberg's etext, public domain), one a line as `label<TAB>text`, shuffled with a fixed seed.

    python3 tools/make_labelled_sample.py HAMLET.txt

Each passage is one paragraph (Austen) or one speech (Hamlet, its lines joined), cut at sentence
ends into pieces of at most 40 words; pieces under 6 words are dropped. Austen gets as many
passages as Hamlet, drawn evenly through the novel.
"""
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_WORDS, MIN_WORDS = 40, 6


def pieces(text):
    words = text.split()
    out, cur = [], []
    for w in words:
        cur.append(w)
        if len(cur) >= MAX_WORDS or (re.search(r"[.!?;:][\"'”’)]*$", w) and len(cur) >= 12):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return [" ".join(p) for p in out if len(p) >= MIN_WORDS]


def hamlet_speeches(path):
    text = Path(path).read_text(encoding="utf-8")
    start = text.find("ACT I.")
    end = text.find("End of Project Gutenberg")
    lines = text[start:end if end > 0 else len(text)].splitlines()
    # A speaker's name alone on its line ("Ham.", "Hor.", "I Player."); some speeches start on
    # the line of the name ("Ham. Ay, or any show ...").
    name = re.compile(r"([\dI] )?[A-Z][A-Za-z]{1,12}\.( [A-Z][a-z]+\.)?")
    speakers = {s.strip() for s in lines if name.fullmatch(s.strip())}
    speeches, cur = [], []
    for line in lines:
        s = line.strip()
        head = next((n for n in speakers if s.startswith(n + " ")), None)
        if head:
            if cur:
                speeches.append(" ".join(cur))
            cur = []
            s = s[len(head) + 1:]
        if s in speakers or not s:
            if cur:
                speeches.append(" ".join(cur))
            cur = []
        elif not s.startswith(("Enter", "Exit", "Exeunt", "ACT ", "Scene ", "Manet", "[", "Re-enter")):
            cur.append(s)
    if cur:
        speeches.append(" ".join(cur))
    return speeches


def austen_paragraphs(path):
    text = Path(path).read_text(encoding="utf-8")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return [p for p in paras if len(p.split()) >= MIN_WORDS and not p.isupper()]


def main():
    hamlet = [p for s in hamlet_speeches(sys.argv[1]) for p in pieces(s)]
    austen_all = [p for a in austen_paragraphs(ROOT / "resources/sample/pride-and-prejudice.txt")
                  for p in pieces(a)]
    step = len(austen_all) / len(hamlet)
    austen = [austen_all[int(i * step)] for i in range(len(hamlet))]
    rows = [("shakespeare", p) for p in hamlet] + [("austen", p) for p in austen]
    random.Random(7).shuffle(rows)
    out = ROOT / "resources/sample/austen-or-shakespeare.tsv"
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for label, text in rows:
            f.write(f"{label}\t{text.replace(chr(9), ' ')}\n")
    print(f"{out}: {len(hamlet)} Hamlet and {len(austen)} Austen passages")


if __name__ == "__main__":
    main()
