// This project's checkpoints (.safetensors): the encoder's rows and the vocabulary's words.
#include "core/checkpoint.h"
#include "core/vectors/formats.h"
#include "core/vectors/reader.h"

#include <cstring>

namespace embedlab::vectors {

namespace {

bool looksLikeSafetensors(std::string_view s)
{
    if (s.size() < 10 || s[8] != '{')
        return false;
    std::uint64_t n = 0;
    std::memcpy(&n, s.data(), 8);
    // A length no reader accepts still has the NUL bytes of a binary length, never of text:
    // such a file is a broken checkpoint, and the checkpoint reader says what is wrong with it.
    return (n >= 2 && n < (std::uint64_t(100) << 20)) || std::memchr(s.data(), '\0', 8);
}

WordVectors readCheckpointVectors(Context &ctx)
{
    ctx.progress(0);
    LoadedCheckpoint<float> ck = loadCheckpoint<float>(ctx.path);
    const auto &enc = ck.model->encoder(); // (E, V): column v is word v, i.e. [V, E] row-major
    const std::uint64_t V = static_cast<std::uint64_t>(enc.cols());
    const int dim = static_cast<int>(enc.rows());
    const std::uint64_t n = ctx.opts.limit ? std::min(ctx.opts.limit, V) : V;
    RowMatrixXf vectors = Eigen::Map<const RowMatrixXf>(enc.data(), enc.cols(), enc.rows())
                              .topRows(static_cast<Eigen::Index>(n));
    std::vector<std::string> words(ck.vocab.words().begin(), ck.vocab.words().begin() + n);
    std::vector<std::uint64_t> counts;
    if (ck.vocab.counts().size() == V)
        counts.assign(ck.vocab.counts().begin(), ck.vocab.counts().begin() + n);
    ck.model.reset(); // enc is gone from here on
    ImportReport &r = ctx.report;
    r.rows = n;
    r.rowsInFile = V;
    r.dim = dim;
    r.limited = n < V;
    ctx.progress(ctx.total);
    return WordVectors(std::move(words), std::move(vectors), std::move(counts));
}

WordVectors readCheckpoint(ReadJob &job)
{
    if (job.ctx.report.gzip)
        fail(job.ctx.path, "a gzip-compressed checkpoint: decompress it first");
    return readCheckpointVectors(job.ctx);
}

} // namespace

VectorFormatInfo checkpointFormat()
{
    return { VectorFormat::Checkpoint, "checkpoint", "Embedding Lab model", { "safetensors" },
        VectorLayout::Document, false, looksLikeSafetensors, nullptr, readCheckpoint, nullptr };
}

} // namespace embedlab::vectors
