#pragma once
// Turns a text file into a vocabulary and training/validation id streams.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/tokenizer.h"
#include "core/vocabulary.h"

namespace embedlab {

// Called with bytes processed so far and in total; return false to cancel.
using ProgressFn = std::function<bool(std::uint64_t done, std::uint64_t total)>;

// Thrown when a ProgressFn asked to stop; the message is "path: cancelled".
class Cancelled : public Error
{
public:
    using Error::Error;
};

struct CorpusOptions
{
    TokenizerOptions tokenizer;
    std::uint64_t minCount = 1;
    std::size_t maxVocab = 0; // total size incl. specials, 0 = unlimited
    double validFraction = 0.1; // share of the non-empty lines held out, taken from the end
    std::string validPath; // if set, validation comes from this file and validFraction is ignored
};

// What was read. A line is empty if it has no tokens; tokens do not include <eos>.
struct TextStats
{
    std::uint64_t bytes = 0, lines = 0, nonEmptyLines = 0, tokens = 0, invalidUtf8 = 0,
                  crlfLines = 0;
};

struct Corpus
{
    std::string path;
    std::string fingerprint; // of the main text's bytes (textFingerprint)
    Vocabulary vocab; // built from the training lines only
    std::vector<std::int32_t> train, valid; // id streams; every non-empty line ends with <eos>
    std::uint64_t trainUnk = 0, validUnk = 0; // tokens mapped to <unk>
    TextStats stats; // of the whole input (both files if validPath)
};

// "fnv1a64:0123456789abcdef": identifies a text's bytes (not a cryptographic hash), so that a
// run can tell whether it is given the text it was trained on.
std::string textFingerprint(std::string_view bytes);

// Reads, checks and tokenizes path (UTF-8; a UTF-8 BOM is skipped; UTF-16 or NUL bytes are
// refused), splits off validation lines and builds the vocabulary from the training lines
// (<eos> counts the training lines, <unk> counts trainUnk). Progress is reported in bytes.
// Throws Error naming the file, or Cancelled.
Corpus loadCorpus(
    const std::string &path, const CorpusOptions &options, const ProgressFn &progress = {});
// The same from memory; name stands for the path in messages (validPath is still read from disk).
Corpus buildCorpus(
    std::string_view text, const CorpusOptions &options, const std::string &name = "<text>");

// Encodes a whole text with an existing vocabulary (eval, generation prompts): every non-empty
// line ends with <eos>, the last one too. Unknown tokens become <unk> and are added to *unk;
// *unknownWords gets each of them once, in the order they first occur (as tokenised, so folded
// when the options lowercase). Unlike encodeFile, NUL bytes are not refused here (they separate
// words like other controls).
std::vector<std::int32_t> encodeText(std::string_view text, const Vocabulary &vocab,
    const TokenizerOptions &options, std::uint64_t *unk = nullptr,
    std::vector<std::string> *unknownWords = nullptr);
// The same for a file, with the checks of loadCorpus; throws Error naming the file.
std::vector<std::int32_t> encodeFile(const std::string &path, const Vocabulary &vocab,
    const TokenizerOptions &options, std::uint64_t *unk = nullptr);

// A stream cut into `batch` contiguous parallel streams, as in PyTorch word_language_model's
// batchify: the stream is trimmed to a multiple of batch and stream b is the b-th chunk.
struct BatchedStream
{
    int batch = 0;
    std::size_t steps = 0;
    std::vector<std::int32_t> data; // data[t * batch + b], shape (steps, batch)
};
// Throws Error if batch < 1. A stream shorter than batch gives steps == 0 and no data.
BatchedStream batchify(const std::vector<std::int32_t> &stream, int batch);

// The whole file as bytes; throws Error naming the file and the reason (strerror), or, before
// allocating anything, when the file is larger than this machine's memory.
std::string readTextFile(const std::string &path);

// Throws Error ("path line N: ... looks like UTF-16/binary, not UTF-8 text") for a UTF-16
// byte-order mark or a NUL byte; returns how many bytes of UTF-8 BOM to skip (0 or 3).
std::size_t checkUtf8Text(std::string_view text, const std::string &path);

} // namespace embedlab
