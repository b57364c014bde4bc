// word2vec binary: a "count dim" header, then per row the word, a space, dim little-endian
// float32 and, as word2vec.c writes it, a '\n'.
#include "core/fileio.h"
#include "core/vectors/formats.h"
#include "core/vectors/reader.h"

#include <algorithm>
#include <cstdio>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "word2vec binary files hold little-endian floats; this reader copies them as they are");

namespace embedlab::vectors {

namespace {

// word2vec binary: "count dim\n", then per row the word, a space, dim little-endian floats and,
// as word2vec.c writes it, a '\n' (skipped before the next word, as gensim does).
void readBinary(Context &ctx, const Layout &lay, ByteStream &in, StreamBuffer &buf,
    std::uint64_t contentBytes, Table &table, Collector &collect)
{
    const std::uint64_t limit = ctx.opts.limit;
    const std::size_t rowBytes = sizeof(float) * static_cast<std::size_t>(lay.dim);
    buf.begin += lay.dataOffset;
    // The header is a promise, not a size to allocate: never more rows than the file can hold.
    std::uint64_t rows = std::min<std::uint64_t>(lay.headerRows,
        (std::max<std::uint64_t>(contentBytes, lay.dataOffset) - lay.dataOffset) / (rowBytes + 2)
            + 1);
    if (limit)
        rows = std::min(rows, limit);
    table.reserve(ctx.path, std::max<std::uint64_t>(rows, 1), limit);
    collect.reserve(rows);

    std::uint64_t rowNumber = 0, lastCheck = 0;
    std::string raw;
    for (;;) {
        // Skip the '\n' that ends the previous row.
        for (;;) {
            while (buf.size() > 0 && *buf.data() == '\n')
                ++buf.begin;
            if (buf.size() > 0 || !buf.fill(in))
                break;
        }
        if (buf.size() == 0)
            break;
        if (!collect.wantsMore(RowOk))
            break;
        ++rowNumber;
        if (rowNumber - lastCheck >= 1024) {
            lastCheck = rowNumber;
            ctx.progressThrottled(in.position());
        }
        // The word, up to the space.
        raw.clear();
        bool cut = false;
        for (;;) {
            const char *p = buf.data();
            const char *sp = static_cast<const char *>(std::memchr(p, ' ', buf.size()));
            const std::size_t n = sp ? static_cast<std::size_t>(sp - p) : buf.size();
            raw.append(p, n);
            buf.begin += n;
            if (sp) {
                ++buf.begin;
                break;
            }
            if (raw.size() > MaxBinaryWordBytes)
                fail(ctx.path,
                    "no space after the word within " + std::to_string(MaxBinaryWordBytes)
                        + " bytes: not a word2vec binary file, or a corrupt one",
                    rowNumber);
            if (!buf.fill(in)) {
                cut = true;
                break;
            }
        }
        if (cut) {
            ctx.report.truncated = true;
            break;
        }
        // The numbers, straight into the table.
        table.reserve(ctx.path, table.kept + 1, limit);
        const std::size_t row = static_cast<std::size_t>(table.kept);
        char *dst = reinterpret_cast<char *>(table.vectors.data() + row * lay.dim);
        std::size_t have = 0;
        while (have < rowBytes) {
            if (buf.size() == 0 && !buf.fill(in, std::max(BlockBytes, rowBytes - have)))
                break;
            const std::size_t n = std::min(buf.size(), rowBytes - have);
            std::memcpy(dst + have, buf.data(), n);
            buf.begin += n;
            have += n;
        }
        if (have < rowBytes) {
            ctx.report.truncated = true;
            break;
        }
        std::uint8_t s = RowOk;
        if (raw.empty())
            s = RowWrongFields;
        else if (!allFinite(reinterpret_cast<const float *>(dst), lay.dim))
            s = RowNonFinite;
        else
            s = assignWord(table.words[row], raw.data(), raw.data() + raw.size());
        collect.add(row, s, rowNumber);
    }
    if (in.truncated())
        ctx.report.truncated = true;
}

void readBinaryRows(ReadJob &job, Table &table, Collector &collect)
{
    readBinary(job.ctx, job.lay, job.in, job.buf, job.contentBytes, table, collect);
}

WordVectors readWord2VecBinary(ReadJob &job)
{
    return readTable(job, readBinaryRows);
}

const char *binaryWordProblem(const std::string &word)
{
    if (word.find(' ') != std::string::npos)
        return "word2vec binary cannot hold a space in a word";
    return nullptr;
}

void writeBinary(std::FILE *f, const WordVectors &wv)
{
    const std::string header = std::to_string(wv.size()) + " " + std::to_string(wv.dim()) + "\n";
    std::fwrite(header.data(), 1, header.size(), f);
    const auto &m = wv.vectors();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        const std::string &w = wv.word(static_cast<std::size_t>(i));
        std::fwrite(w.data(), 1, w.size(), f);
        std::fputc(' ', f);
        std::fwrite(m.row(i).data(), sizeof(float), static_cast<std::size_t>(wv.dim()), f);
        std::fputc('\n', f);
    }
}

void writeWord2VecBinary(const std::string &path, const WordVectors &wv, const std::string &)
{
    checkWritable(path, wv, binaryWordProblem);
    writeFileAtomically(path, [&](std::FILE *f) { writeBinary(f, wv); });
}

} // namespace

VectorFormatInfo word2vecBinaryFormat()
{
    return { VectorFormat::Word2VecBinary, "word2vec-bin", "word2vec binary", { "bin" },
        VectorLayout::BinaryRows, true, nullptr, nullptr, readWord2VecBinary, writeWord2VecBinary };
}

} // namespace embedlab::vectors
