#include "core/vectors/reader.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/vectors/numbers.h"
#include "core/vectors/report.h"

#include <algorithm>

namespace embedlab {

namespace vectors {

namespace {

WordVectors readVectorsImpl(Context &ctx)
{
    const std::string &path = ctx.path;
    ImportReport &r = ctx.report;
    InputFile file(path);
    r.bytes = file.size();
    ctx.total = file.size();
    if (file.size() == 0)
        fail(path, "the file is empty");
    r.gzip = isGzip(file);
    ByteStream in(file, r.gzip);
    StreamBuffer buf;
    const Layout lay = sniff(path, in, buf, ctx.opts.format, file.size(), r.gzip);
    const VectorFormatInfo &format = *findVectorFormat(lay.format);
    r.format = lay.format;
    r.hasHeader = lay.hasHeader;
    r.headerRows = lay.headerRows;
    r.headerDim = lay.headerDim;
    const std::uint64_t contentBytes
        = r.gzip ? std::max<std::uint64_t>(gzipContentHint(file), buf.size()) : file.size();
    const MemoryEstimate estimate = estimateLayout(lay, file.size(), contentBytes, ctx.opts.limit);
    r.estimatedRows = estimate.rows;
    r.estimatedBytes = estimate.bytes;
    if (format.layout != VectorLayout::Document && estimate.bytes > estimate.memory)
        checkTableSize(path, estimate.rows, lay.dim); // refuses, before reading any further
    ReadJob job { ctx, lay, file, in, buf, contentBytes };
    return format.read(job);
}

} // namespace

WordVectors readTable(ReadJob &job, RowReader readRowsBody, LabelReader readLabels)
{
    Context &ctx = job.ctx;
    const Layout &lay = job.lay;
    const std::string &path = ctx.path;
    ImportReport &r = ctx.report;
    ctx.progress(0);
    job.in.startReadAhead();

    std::vector<std::string> labels;
    std::vector<std::string> *labelList = readLabels && readLabels(job, labels) ? &labels : nullptr;

    Table table;
    table.dim = lay.dim;
    Collector collect(r, table, ctx.opts.limit,
        findVectorFormat(lay.format)->layout == VectorLayout::NumberRows, labelList);
    readRowsBody(job, table, collect);
    r.rows = table.kept;
    r.rowsInFile = collect.rowsInFile();
    r.dim = lay.dim;
    if (lay.hasHeader && !r.limited && !r.cancelled)
        r.headerCountMismatch = collect.rowsInFile() != lay.headerRows;
    if (labelList
        && (r.limited ? labels.size() < collect.rowsInFile()
                      : labels.size() != collect.rowsInFile()))
        fail(r.metadataPath,
            std::to_string(labels.size()) + " labels for the "
                + std::to_string(collect.rowsInFile()) + " vectors of " + path);
    if (table.kept == 0) {
        const std::string problems = problemSummary(r);
        fail(path, "no usable word vectors" + (problems.empty() ? std::string() : ": " + problems));
    }
    table.shrink();
    ctx.progress(ctx.total);
    return WordVectors(std::move(table.words), std::move(table.vectors));
}

std::string pathSibling(const std::string &path, const std::string &name)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

void checkWritable(const std::string &path, const WordVectors &wv, WordProblem problem)
{
    if (wv.empty() || wv.dim() == 0)
        fail(path, "nothing to write: the table is empty");
    const auto &m = wv.vectors();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        if (!allFinite(m.row(i).data(), wv.dim()))
            fail(path,
                "cannot write row " + std::to_string(i + 1) + " ('" + wv.word(i)
                    + "'): it holds NaN or infinite values");
    }
    for (std::size_t i = 0; i < wv.size(); ++i) {
        const std::string &w = wv.word(i);
        const char *why = nullptr;
        if (w.empty())
            why = "it is empty";
        else if (w.find_first_of("\n\r") != std::string::npos)
            why = "it contains a line break";
        else
            why = problem(w);
        if (why)
            fail(path, "cannot write word " + std::to_string(i + 1) + " ('" + w + "'): " + why);
    }
}

} // namespace vectors

using namespace vectors;

WordVectors readVectors(const std::string &path, const ImportOptions &opts, ImportReport *report)
{
    const auto start = Clock::now();
    ImportReport local;
    ImportReport &r = report ? *report : local;
    r = ImportReport();
    r.path = path;
    r.format = opts.format;
    Context ctx { path, opts, r };
    try {
        WordVectors wv = readVectorsImpl(ctx);
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return wv;
    } catch (...) {
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        throw;
    }
}

VectorFormat detectVectorFormat(const std::string &path)
{
    InputFile file(path);
    if (file.size() == 0)
        fail(path, "the file is empty");
    const bool gzip = isGzip(file);
    ByteStream in(file, gzip);
    StreamBuffer buf;
    return sniff(path, in, buf, VectorFormat::Auto, file.size(), gzip).format;
}

MemoryEstimate estimateVectorMemory(const std::string &path, const ImportOptions &opts)
{
    InputFile file(path);
    if (file.size() == 0)
        fail(path, "the file is empty");
    const bool gzip = isGzip(file);
    ByteStream in(file, gzip);
    StreamBuffer buf;
    const Layout lay = sniff(path, in, buf, opts.format, file.size(), gzip);
    const std::uint64_t contentBytes
        = gzip ? std::max<std::uint64_t>(gzipContentHint(file), buf.size()) : file.size();
    return estimateLayout(lay, file.size(), contentBytes, opts.limit);
}

void writeVectors(const std::string &path, const WordVectors &vectors, WriteFormat format,
    const std::string &metadataPath)
{
    const VectorFormatInfo *info = findVectorFormat(format);
    if (!info || !info->write)
        fail(path,
            std::string("cannot write word vectors as ") + vectorFormatName(format)
                + ": the format is only read");
    info->write(path, vectors, metadataPath);
}

} // namespace embedlab
