#include "core/padding.h"

#include <algorithm>

#include "core/error.h"

namespace embedlab {

const char *padSideName(PadSide side)
{
    return side == PadSide::Pre ? "pre" : "post";
}

bool parsePadSide(const std::string &name, PadSide &out)
{
    if (name == "pre")
        out = PadSide::Pre;
    else if (name == "post")
        out = PadSide::Post;
    else
        return false;
    return true;
}

void padSequence(const std::vector<std::int32_t> &s, int length, PadSide padding,
    PadSide truncating, std::int32_t value, std::int32_t *row)
{
    const auto L = static_cast<std::size_t>(length);
    std::fill(row, row + L, value);
    const std::size_t n = std::min(s.size(), L);
    // truncating pre: s[-maxlen:]; post: s[:maxlen]
    const auto first
        = truncating == PadSide::Pre ? s.end() - static_cast<std::ptrdiff_t>(n) : s.begin();
    // padding post: x[:len(trunc)] = trunc; pre: x[-len(trunc):] = trunc
    std::int32_t *to = padding == PadSide::Post ? row : row + (L - n);
    std::copy(first, first + static_cast<std::ptrdiff_t>(n), to);
}

std::vector<std::int32_t> padSequences(
    const std::vector<std::vector<std::int32_t>> &sequences, const PadOptions &options, int *length)
{
    if (options.maxLength < 0)
        throw Error("pad_sequences: the length must be at least 0");
    std::size_t L = static_cast<std::size_t>(options.maxLength);
    if (L == 0)
        for (const auto &s : sequences)
            L = std::max(L, s.size());
    std::vector<std::int32_t> out(sequences.size() * L);
    for (std::size_t i = 0; i < sequences.size(); ++i)
        padSequence(sequences[i], static_cast<int>(L), options.padding, options.truncating,
            options.value, out.data() + i * L);
    if (length)
        *length = static_cast<int>(L);
    return out;
}

} // namespace embedlab
