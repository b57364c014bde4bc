#pragma once
// Reading and writing word-vector files (GloVe, word2vec text and binary, fastText .vec,
// Embedding Projector TSV, this project's checkpoints, gzip-compressed or not) with a report of
// everything that was wrong with them.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/wordvectors.h"

namespace embedlab {

enum class VectorFormat {
    Auto,
    Glove, // "word v1 ... vD" per line, no header
    Word2VecText, // a "count dim" header, then GloVe-style rows
    Word2VecBinary, // a "count dim" header, then word ' ' D little-endian float32 ['\n']
    // .vec: word2vec text as fastText writes it, parsed the same way; detection names a headed
    // text file so when its rows end with a space and it does not start with word2vec.c's </s>.
    FastText,
    ProjectorTsv, // vectors.tsv (tab-separated numbers) + metadata.tsv (labels)
    Checkpoint // this project's .safetensors: encoder.weight and the vocabulary
};

// "glove", "word2vec", "word2vec-bin", "fasttext", "projector", "checkpoint", "auto".
const char *vectorFormatName(VectorFormat format);
// Accepts the names above; returns false (leaving format alone) for anything else.
bool parseVectorFormat(std::string_view name, VectorFormat &format);

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

struct ImportOptions
{
    VectorFormat format = VectorFormat::Auto; // Auto: detected from the content
    std::uint64_t limit = 0; // keep at most this many words (0 = all)
    int threads = 0; // parser threads for large text files; 0 = one per core
    // Bytes of a plain text file per extra parser thread: smaller files use fewer threads.
    std::uint64_t bytesPerThread = std::uint64_t(4) << 20;
    // Called with bytes of the file processed and its size, from the calling thread; return
    // false to stop: readVectors then throws Cancelled.
    std::function<bool(std::uint64_t done, std::uint64_t total)> progress;
    // Projector: the labels. Default: metadata.tsv next to the vectors file, if present;
    // without labels the words are the row numbers "1", "2", ...
    std::string metadataPath;
};

// Reads a word-vector file; gzip compression is recognised by its magic bytes, the format from
// the content (unless forced). Problems a table can live with are counted in *report and
// reading continues; an empty file, a file that holds no vectors, a dimension of 0 or a size
// beyond what the file or this machine can hold throw Error naming the file (before anything is
// allocated for it). Cancelled is thrown when progress returns false. Numbers are
// float32(nearest double), bit for bit what gensim and numpy read. A plain text file is parsed
// by several threads into a table allocated once (its lines are counted first), so the peak
// memory stays near the size of the table itself.
WordVectors readVectors(
    const std::string &path, const ImportOptions &opts = {}, ImportReport *report = nullptr);

// The format of a file from its content (after gunzip), never from its name. Throws Error
// naming the file when it is empty or not recognisably word vectors.
VectorFormat detectVectorFormat(const std::string &path);

// What a table will take in memory, judged from the first lines alone (nothing else is read).
struct MemoryEstimate
{
    VectorFormat format = VectorFormat::Auto; // as detected
    // word2vec binary: the header's count, but never more rows than the file can hold; text: the
    // file's size over the length of its first lines; either at most ImportOptions::limit.
    std::uint64_t rows = 0;
    int dim = 0;
    // The table: rows x dim float32 and a string per word. A checkpoint (rows and dim 0): three
    // times the file, which is read whole before the model and its gradients are built.
    std::uint64_t bytes = 0;
    std::uint64_t memory = 0; // this machine's physical memory
};

// The estimate readVectors makes before it reads the rows, and refuses to go on from when it
// exceeds the machine's memory ("R x D vectors need X GB, more than this machine's Y GB of
// memory"). Throws Error as detectVectorFormat does.
MemoryEstimate estimateVectorMemory(const std::string &path, const ImportOptions &opts = {});

enum class WriteFormat { Glove, Word2VecText, Word2VecBinary, ProjectorTsv };

// Writes atomically (writeFileAtomically). Numbers are written in the shortest form that reads
// back to the same float, so readVectors returns exactly the table written. Projector: the
// vectors at path, the labels at metadataPath (default: metadata.tsv next to path). Throws
// Error for an empty table, non-finite values, or words the format cannot hold (empty, with a
// line break, a space in word2vec binary, a tab in projector labels, surrounding spaces in text).
void writeVectors(const std::string &path, const WordVectors &vectors, WriteFormat format,
    const std::string &metadataPath = {});

// The report as a JSON object (snake_case keys; problems as {"count", "first_lines"}).
std::string reportToJson(const ImportReport &report);

} // namespace embedlab
