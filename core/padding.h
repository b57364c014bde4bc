#pragma once
// Fixed-length inputs exactly as Keras' pad_sequences (keras.utils.pad_sequences) makes them.
#include <cstdint>
#include <string>
#include <vector>

namespace embedlab {

enum class PadSide { Pre, Post };
const char *padSideName(PadSide side); // "pre" / "post"
bool parsePadSide(const std::string &name, PadSide &out);

struct PadOptions
{
    int maxLength = 0; // 0: the longest sequence's length (Keras' maxlen=None)
    PadSide padding = PadSide::Pre; // Keras' defaults: pad and cut at the start
    PadSide truncating = PadSide::Pre;
    std::int32_t value = 0; // <pad>
};

// Keras semantics: a sequence longer than maxLength loses tokens from its start (truncating
// pre: keeps the last maxLength) or its end (post: keeps the first maxLength); a shorter one gets
// `value` before it (padding pre) or after it (post); an empty sequence is all `value`.
// Returns the rows one after the other: (sequences, length) row-major, and sets *length to the
// row length used.
std::vector<std::int32_t> padSequences(const std::vector<std::vector<std::int32_t>> &sequences,
    const PadOptions &options, int *length = nullptr);
// One sequence into row (length values), the same rule.
void padSequence(const std::vector<std::int32_t> &sequence, int length, PadSide padding,
    PadSide truncating, std::int32_t value, std::int32_t *row);

} // namespace embedlab
