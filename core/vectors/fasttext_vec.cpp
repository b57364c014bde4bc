// fastText .vec: word2vec text as fastText writes it (read the same way, never written).
#include "core/vectors/formats.h"
#include "core/vectors/text_rows.h"

namespace embedlab::vectors {

namespace {

// fastText ends every row with a space; word2vec.c also may, but writes "</s>" first.
bool claimsFastText(std::string_view row)
{
    const bool trailingSpace = !row.empty()
        && (row.back() == ' '
            || (row.back() == '\r' && row.size() > 1 && row[row.size() - 2] == ' '));
    return trailingSpace && row.substr(0, 5) != "</s> ";
}

WordVectors readFastText(ReadJob &job)
{
    return readTable(job, readTextRows);
}

} // namespace

VectorFormatInfo fastTextFormat()
{
    return { VectorFormat::FastText, "fasttext", "fastText .vec", { "vec" }, VectorLayout::WordRows,
        true, nullptr, claimsFastText, readFastText, nullptr };
}

} // namespace embedlab::vectors
