// GloVe text: "word v1 ... vD" per line, no header.
#include "core/fileio.h"
#include "core/vectors/formats.h"
#include "core/vectors/text_rows.h"

namespace embedlab::vectors {

namespace {

WordVectors readGlove(ReadJob &job)
{
    return readTable(job, readTextRows);
}

void writeGlove(const std::string &path, const WordVectors &wv, const std::string &)
{
    checkWritable(path, wv, textWordProblem);
    writeFileAtomically(path, [&](std::FILE *f) { writeText(f, wv, false, true, ' '); });
}

} // namespace

VectorFormatInfo gloveFormat()
{
    return { VectorFormat::Glove, "glove", "GloVe text", { "glove.txt" }, VectorLayout::WordRows,
        false, nullptr, nullptr, readGlove, writeGlove };
}

} // namespace embedlab::vectors
