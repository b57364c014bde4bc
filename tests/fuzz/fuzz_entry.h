#pragma once
// The fuzz targets' entry points, shared by the libFuzzer executables (fuzz_main.cpp) and the
// regression suite (tst_fuzz_regressions), so a stored crasher replays exactly as it was found.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab::fuzz {

// Thrown when a reader accepted an input but returned something inconsistent (ids out of range,
// a non-finite value kept, a duplicate word...). Not an embedlab::Error, so it counts as a bug.
class InvariantViolation : public std::logic_error
{
public:
    using std::logic_error::logic_error;
};

// One fuzz target: the corpus reader, one per row of vectorFormats(), detection and gzip.
struct Target
{
    std::string name; // "corpus", "glove", ... (the executable is fuzz_<name>)
    std::string what;
    // Feeds one input to the readers. Returns normally when the input was accepted, throws
    // embedlab::Error when it was refused (both fine); anything else is a bug.
    std::function<void(const std::uint8_t *data, std::size_t size)> run;
};

const std::vector<Target> &targets();
const Target *findTarget(std::string_view name); // nullptr if unknown

// The projector target's input: vectors.tsv, then this line, then metadata.tsv (no separator:
// no metadata file, so the labels are row numbers).
inline constexpr std::string_view ProjectorMetadataSeparator = "\n#metadata.tsv\n";
// The npy target's input: the matrix, this line, then the vocabulary file.
inline constexpr std::string_view NumpyVocabularySeparator = "\n#vocab.txt\n";

// A projector directory (vectors.tsv and optional metadata.tsv) as one projector input.
std::string projectorInput(const std::string &vectorsTsv, const std::string &metadataTsv);

} // namespace embedlab::fuzz
