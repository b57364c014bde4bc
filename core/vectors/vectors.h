#pragma once
// Reading and writing word-vector files (GloVe, word2vec text and binary, fastText .vec and .bin
// models, Embedding Projector TSV, this project's checkpoints, gzip-compressed or not) with a
// report of everything that was wrong with them. The formats themselves are rows of
// vectorFormats().
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/vectors/format.h"
#include "core/vectors/report.h"
#include "core/wordvectors.h"

namespace embedlab {

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
    // Projector: the labels. Default: NAME_metadata.tsv (projectorMetadataPath), else
    // metadata.tsv, next to the vectors file, if present; without labels the words are the row
    // numbers "1", "2", ...
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

// Writes atomically (writeFileAtomically). Numbers are written in the shortest form that reads
// back to the same float, so readVectors returns exactly the table written. Projector: the
// vectors at path, the labels at metadataPath (default: projectorMetadataPath(path)). Throws
// Error for an empty table, non-finite values, a format without a writer, or words the format
// cannot hold (empty, with a line break, a space in word2vec binary, a tab in projector labels,
// surrounding spaces in text).
void writeVectors(const std::string &path, const WordVectors &vectors, WriteFormat format,
    const std::string &metadataPath = {});

// Where a Projector export puts its labels by default: beside the vectors, named after them
// ("dir/embedding.tsv" -> "dir/embedding_metadata.tsv").
std::string projectorMetadataPath(const std::string &vectorsPath);

} // namespace embedlab
