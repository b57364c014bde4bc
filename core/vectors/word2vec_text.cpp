// word2vec text: a "count dim" header, then GloVe-style rows.
#include "core/fileio.h"
#include "core/vectors/formats.h"
#include "core/vectors/text_rows.h"

namespace embedlab::vectors {

namespace {

WordVectors readWord2VecText(ReadJob &job)
{
    return readTable(job, readTextRows);
}

void writeWord2VecText(const std::string &path, const WordVectors &wv, const std::string &)
{
    checkWritable(path, wv, textWordProblem);
    writeFileAtomically(path, [&](std::FILE *f) { writeText(f, wv, true, true, ' '); });
}

} // namespace

VectorFormatInfo word2vecTextFormat()
{
    return { VectorFormat::Word2VecText, "word2vec", "word2vec text", { "txt" },
        VectorLayout::WordRows, true, nullptr, nullptr, readWord2VecText, writeWord2VecText };
}

} // namespace embedlab::vectors
