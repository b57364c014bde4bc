#pragma once
// Text rows, shared by every text format: one line parsed into a word and its numbers, whole
// files read by one or several threads, and tables written as lines.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/vectors/reader.h"

namespace embedlab::vectors {

// Parses one text line (without its '\n'): "word n1 ... nD" (wordColumn) or "n1\t...\tnD"
// (projector), into out[0, dim) and word. A line with more fields than that keeps the numbers
// on the right and the rest, spaces and all, as the word (GloVe 840B has ". . .").
std::uint8_t parseTextRow(const char *b, const char *e, int dim, bool wordColumn, float *out,
    std::string &word, std::vector<Field> &scratch);

// The rows of a text format (word column unless the layout is NumberRows): a plain file by
// several threads, a gzip stream or the first rows of a file (ImportOptions::limit) in one pass.
void readTextRows(ReadJob &job, Table &table, Collector &collect);

// header: "count dim" first; words: each line starts with the word; separator between fields.
void writeText(std::FILE *f, const WordVectors &wv, bool header, bool words, char separator);

// The rule of GloVe and word2vec text: a word cannot start or end with a space or a tab.
const char *textWordProblem(const std::string &word);

} // namespace embedlab::vectors
