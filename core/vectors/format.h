#pragma once
// The word-vector file formats and the one table (vectorFormats) that detection, the readers,
// the writers, the CLI, the dialogs and the fuzz targets all read.
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
    // fastText's native model (.bin): the words' vectors composed with their character n-grams,
    // and the n-gram buckets that give words outside the vocabulary a vector.
    FastTextBin,
    ProjectorTsv, // vectors.tsv (tab-separated numbers) + metadata.tsv (labels)
    Checkpoint, // this project's .safetensors: encoder.weight and the vocabulary
    Numpy // NumPy .npy float matrix + NAME.vocab.txt (one word a line), for Keras
};

// The formats writeVectors takes: those whose table row has a writer.
using WriteFormat = VectorFormat;

// How a format lays out its content, which decides the detection path and row reader it shares
// with the formats of the same layout.
enum class VectorLayout {
    WordRows, // text lines "word n1 ... nD"
    NumberRows, // text lines of tab-separated numbers, the words elsewhere
    BinaryRows, // word, space, D float32
    Document // the whole file is one structure (a checkpoint, a fastText model)
};

namespace vectors {
struct ReadJob;
}

// One row of the format table: what a format is called, how it is recognised, read and written.
struct VectorFormatInfo
{
    VectorFormat id;
    const char *name; // "glove": the CLI's --format and the report's "format"
    const char *label; // "GloVe text": what dialogs show
    std::vector<std::string> extensions; // file name endings without the first dot ("glove.txt")
    VectorLayout layout;
    bool header; // the rows follow a "count dim" line
    // Recognises the format from the first bytes of the content before anything else is tried
    // (magic numbers); null when only the layout tells.
    bool (*sniff)(std::string_view content);
    // Among formats of the same layout and header, claims a file by its first row; null for the
    // one format of that layout taken when no other claims the file.
    bool (*claims)(std::string_view firstRow);
    WordVectors (*read)(vectors::ReadJob &job);
    // Null for formats that are only read. Throws Error for tables the format cannot hold.
    void (*write)(
        const std::string &path, const WordVectors &vectors, const std::string &metadataPath);
};

// Every format, in the order dialogs list them.
const std::vector<VectorFormatInfo> &vectorFormats();
// The row of a format; nullptr for Auto.
const VectorFormatInfo *findVectorFormat(VectorFormat format);

// "glove", "word2vec", "word2vec-bin", "fasttext", "fasttext-bin", "projector", "checkpoint",
// "npy", "auto".
const char *vectorFormatName(VectorFormat format);
// Accepts the names above; returns false (leaving format alone) for anything else.
bool parseVectorFormat(std::string_view name, VectorFormat &format);

// The writable format whose extension ends path (the longest match), word2vec text otherwise.
VectorFormat exportFormatForPath(std::string_view path);

} // namespace embedlab
