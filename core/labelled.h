#pragma once
// Labelled text for classification: one example a line (`label<TAB>text` or fastText's
// `__label__spam text ...`, detected) or CSV with a header, turned into a label set, a
// vocabulary and id sequences.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer.h"
#include "core/vocabulary.h"

namespace embedlab {

enum class LabelledFormat {
    Auto, // fastText when the first example starts with "__label__", otherwise tab-separated
    Tab, // label<TAB>text (the first tab separates; later tabs belong to the text)
    FastText, // __label__name text ...
    Csv, // RFC 4180 with a header row; the label and text columns are named
};
const char *labelledFormatName(LabelledFormat format); // "auto", "tab", "fasttext", "csv"

// One example as read, before tokenizing. `line` is the 1-based line it starts on.
struct RawExample
{
    std::string label;
    std::string text;
    std::size_t line = 0;
};

// Reads the examples of a line format (Tab, FastText or Auto) from text; name stands for the file
// in messages. Blank lines are skipped. Throws Error ("name line N: ..., found '...'") for a line
// without a label. Sets *detected to the format used.
std::vector<RawExample> readLabelledLines(std::string_view text, const std::string &name,
    LabelledFormat format = LabelledFormat::Auto, LabelledFormat *detected = nullptr);

// The column names of a CSV text's header row (blank lines before it skipped). Throws Error
// naming the file for a text without one.
std::vector<std::string> readCsvHeader(std::string_view text, const std::string &name);

// Reads RFC 4180 CSV (comma-separated, fields optionally in double quotes, "" inside quotes for a
// quote, quoted fields may hold commas and line breaks, CRLF or LF records) whose header names the
// columns. Throws Error naming the file and line for a missing column, a record with another
// number of fields than the header, or an unterminated quote.
std::vector<RawExample> readLabelledCsv(std::string_view text, const std::string &name,
    const std::string &labelColumn, const std::string &textColumn);

struct LabelledOptions
{
    TokenizerOptions tokenizer;
    std::uint64_t minCount = 1;
    std::size_t maxVocab = 0; // total size incl. specials, 0 = unlimited
    double validFraction = 0.1; // share of the examples held out, the last ones of the file
    std::string validPath; // if set, validation comes from this file and validFraction is ignored
    LabelledFormat format = LabelledFormat::Auto;
    std::string labelColumn = "label", textColumn = "text"; // CSV only
    // A trained classifier's vocabulary and labels: the examples are encoded with them (unknown
    // words become <unk>, an unknown label is an error naming the line) instead of building new
    // ones, so the model can be evaluated or trained further on them.
    std::shared_ptr<const Vocabulary> fixedVocab;
    std::vector<std::string> fixedLabels;
};

struct LabelledExample
{
    std::int32_t label = 0; // index into LabelledCorpus::labels
    std::vector<std::int32_t> ids; // the tokens (no <eos>); may be empty
    std::size_t line = 0;
};

struct LabelledCorpus
{
    std::string path;
    LabelledFormat format = LabelledFormat::Auto; // as detected
    // Every label of the training and validation examples, sorted by byte value, so the class
    // indices do not depend on the order of the file.
    std::vector<std::string> labels;
    Vocabulary vocab; // built from the training examples only
    std::vector<LabelledExample> train, valid;
    std::uint64_t trainUnk = 0, validUnk = 0; // tokens mapped to <unk>
    std::uint64_t trainTokens = 0, validTokens = 0;
};

// Reads path (and options.validPath), splits off the validation examples (the last
// round(fraction * n) of the file, at least one and leaving one for training when fraction > 0),
// builds the vocabulary from the training texts and encodes both. Throws Error naming the file.
LabelledCorpus loadLabelledCorpus(const std::string &path, const LabelledOptions &options);
// The same from memory; name stands for the path in messages.
LabelledCorpus buildLabelledCorpus(
    std::string_view text, const LabelledOptions &options, const std::string &name = "<text>");

// The examples' texts as id sequences of an existing vocabulary; labels are looked up in `labels`
// (a label not there throws Error naming the file and line). Unknown tokens become <unk> and are
// added to *unk.
std::vector<LabelledExample> encodeExamples(const std::vector<RawExample> &raw,
    const Vocabulary &vocab, const std::vector<std::string> &labels,
    const TokenizerOptions &tokenizer, const std::string &name, std::uint64_t *unk = nullptr);

// Reads a labelled file in the given format (Csv needs the columns).
std::vector<RawExample> readLabelledFile(const std::string &path, LabelledFormat format,
    const std::string &labelColumn = "label", const std::string &textColumn = "text",
    LabelledFormat *detected = nullptr);

} // namespace embedlab
