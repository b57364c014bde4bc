#pragma once
// ImportReport: what readVectors found wrong with a file, and its JSON form.
#include <cstdint>
#include <string>
#include <vector>

#include "core/vectors/format.h"

namespace embedlab {

// How often one kind of problem occurred and where: the first MaxLines line numbers (1-based,
// counted in the file including any header; for word2vec binary, row numbers from 1).
struct ProblemCount
{
    static constexpr std::size_t MaxLines = 5;
    std::uint64_t count = 0;
    std::vector<std::uint64_t> firstLines;

    void add(std::uint64_t line)
    {
        ++count;
        if (firstLines.size() < MaxLines)
            firstLines.push_back(line);
    }
};

// What readVectors found. Every count is of lines (rows), not of values.
struct ImportReport
{
    std::string path;
    VectorFormat format = VectorFormat::Auto; // as detected (or as forced)
    bool gzip = false;
    std::uint64_t rows = 0; // rows in the table returned
    // Rows read from the file, kept or not: lines that are not blank (binary: complete rows);
    // when limited, only those up to where reading stopped.
    std::uint64_t rowsInFile = 0;
    int dim = 0;
    std::uint64_t headerRows = 0; // the "count dim" header, when the format has one
    int headerDim = 0;
    bool hasHeader = false;
    std::string metadataPath; // projector: the label file used ("" = none, labels are row numbers)

    ProblemCount duplicates; // later rows of a word already seen: dropped
    // Words with ill-formed UTF-8: kept, with U+FFFD replacements (projector: metadata lines).
    ProblemCount invalidUtf8;
    // More fields than a word and dim numbers: the numbers are the last dim fields, the word is
    // the rest with its spaces (GloVe 840B's ". . ."): kept.
    ProblemCount tokensWithSpaces;
    ProblemCount wrongFieldCount; // fewer than a word and dim numbers: dropped
    ProblemCount badNumbers; // a field that is not a number: dropped
    ProblemCount nonFinite; // NaN, infinity or a value beyond float's range: dropped
    ProblemCount emptyLines; // blank lines: skipped

    bool headerCountMismatch = false; // the header's count differs from the rows in the file
    bool truncated = false; // the file ends inside a row (binary) or its gzip stream is cut
    bool limited = false; // stopped at ImportOptions::limit with more rows left
    bool cancelled = false;
    double seconds = 0;
    std::uint64_t bytes = 0; // size of the file on disk
    // Judged before the rows were read, as estimateVectorMemory does.
    std::uint64_t estimatedRows = 0, estimatedBytes = 0;

    // Total of the problem counts (lines dropped, replaced or skipped).
    std::uint64_t problemCount() const;
};

// The report as a JSON object (snake_case keys; problems as {"count", "first_lines"}).
std::string reportToJson(const ImportReport &report);

namespace vectors {
// "3 with the wrong number of fields (first at line 7), ..." for the error of an empty result.
std::string problemSummary(const ImportReport &report);
} // namespace vectors

} // namespace embedlab
