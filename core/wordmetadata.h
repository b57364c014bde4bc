#pragma once
// A table of facts about words, as the Embedding Projector's metadata.tsv holds them: a header
// row naming the columns, then one row per word, fields separated by tabs. The map colours and
// labels its words by a column; the rows are matched to the map's words by the key column, the
// one whose values are most often words of the table.
#include <cstddef>
#include <string>
#include <vector>

namespace embedlab {

class WordVectors;

struct WordMetadata
{
    std::string path;
    std::vector<std::string> columns; // the header's names
    std::vector<std::vector<std::string>> rows; // (rows, columns.size())
    std::vector<std::size_t> lines; // the file's line of each row, from 1
};

// Reads a metadata file (UTF-8, an optional byte-order mark, LF or CRLF, blank lines skipped).
// Throws Error naming the file and the line: no header, a single column (a labels file, which
// has nothing to colour by), a row whose field count differs from the header's, invalid UTF-8,
// a blank or repeated column name.
WordMetadata readWordMetadata(const std::string &path);

// The column whose values are most often words of `table` (the first on a tie), and how many
// of its rows are.
struct MetadataKey
{
    std::size_t column = 0;
    std::size_t matched = 0;
};
MetadataKey metadataKey(const WordMetadata &meta, const WordVectors &table);

// Whether every non-empty value of the column is a finite number (and one at least is).
bool isNumericColumn(const WordMetadata &meta, std::size_t column);

} // namespace embedlab
