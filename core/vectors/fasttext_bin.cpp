// fastText's native model (.bin): the training arguments, the dictionary, the input matrix
// (a row per word, then one per n-gram bucket) and the output matrix, as fastText 0.9 saves
// them (magic 793712314, version 12) and as it did before it wrote a magic number. The words'
// vectors are composed from their rows and n-gram rows as gensim 4.2's load_facebook_vectors
// does, and the buckets are kept so that words outside the vocabulary get vectors too.
#include "core/subwords.h"
#include "core/utf8.h"
#include "core/vectors/formats.h"
#include "core/vectors/numbers.h"
#include "core/vectors/reader.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_set>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "fastText models hold little-endian numbers; this reader copies them as they are");

namespace embedlab::vectors {

namespace {

constexpr std::int32_t FastTextMagic = 793712314;
constexpr std::int32_t FastTextVersion = 12;
constexpr std::int32_t ModelSupervised = 3; // fastText's model_name::sup
constexpr std::int32_t EntryWord = 0, EntryLabel = 1;

// The arguments as fastText's Args::save writes them; before the magic number, the file began
// with dim and ws.
struct Args
{
    std::int32_t dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
        lrUpdateRate;
    double t;
};
constexpr std::size_t ArgsBytes = 12 * 4 + 8;

Args parseArgs(const char *p)
{
    Args a;
    std::int32_t v[12];
    std::memcpy(v, p, sizeof v);
    a.dim = v[0];
    a.ws = v[1];
    a.epoch = v[2];
    a.minCount = v[3];
    a.neg = v[4];
    a.wordNgrams = v[5];
    a.loss = v[6];
    a.model = v[7];
    a.bucket = v[8];
    a.minn = v[9];
    a.maxn = v[10];
    a.lrUpdateRate = v[11];
    std::memcpy(&a.t, p + 48, 8);
    return a;
}

// Arguments fastText could have written: its losses are 1-4 (hs, ns, softmax, one-vs-all), its
// models 1-3 (cbow, skipgram, supervised), the sampling threshold a small positive number.
bool plausibleArgs(const Args &a)
{
    return a.dim > 0 && a.dim <= MaxDim && a.ws >= 0 && a.epoch >= 0 && a.minCount >= 0
        && a.neg >= 0 && a.wordNgrams >= 0 && a.loss >= 1 && a.loss <= 4 && a.model >= 1
        && a.model <= 3 && a.bucket >= 0 && a.minn >= 0 && a.maxn >= 0 && a.maxn <= 1024
        && std::isfinite(a.t) && a.t >= 0 && a.t <= 1;
}

std::int32_t int32At(std::string_view s, std::size_t at)
{
    std::int32_t v;
    std::memcpy(&v, s.data() + at, 4);
    return v;
}

bool looksLikeFastTextBin(std::string_view s)
{
    if (s.size() < 8)
        return false;
    if (int32At(s, 0) == FastTextMagic)
        return true;
    // The format before the magic number: arguments fastText could have written.
    return s.size() >= ArgsBytes && plausibleArgs(parseArgs(s.data()));
}

// The content in order, with the offset of every field for the errors.
class Cursor
{
public:
    explicit Cursor(ReadJob &job)
        : m_job(job)
    { }

    std::uint64_t offset() const { return m_offset; }

    // Up to n bytes into dst (null: skipped); fewer only at the end of the content.
    std::size_t readUpTo(void *dst, std::size_t n)
    {
        StreamBuffer &buf = m_job.buf;
        auto *out = static_cast<char *>(dst);
        std::size_t have = 0;
        while (have < n) {
            if (buf.size() == 0 && !buf.fill(m_job.in, std::max(BlockBytes, n - have)))
                break;
            const std::size_t k = std::min(buf.size(), n - have);
            if (out)
                std::memcpy(out + have, buf.data(), k);
            buf.begin += k;
            have += k;
            m_offset += k;
            if (buf.size() == 0)
                m_job.ctx.progressThrottled(m_job.in.position());
        }
        return have;
    }

    // Exactly n bytes into dst (null: skipped), or an error naming what was being read.
    void read(void *dst, std::size_t n, const std::string &what)
    {
        if (readUpTo(dst, n) < n)
            truncated(what, m_offset);
    }

    template <typename T> T get(const std::string &what)
    {
        T v;
        read(&v, sizeof v, what);
        return v;
    }

    // Bytes up to a NUL, which is consumed.
    void word(std::string &out, const std::string &what)
    {
        out.clear();
        StreamBuffer &buf = m_job.buf;
        for (;;) {
            if (buf.size() == 0 && !buf.fill(m_job.in))
                truncated(what, m_offset + out.size());
            const char *p = buf.data();
            const char *nul = static_cast<const char *>(std::memchr(p, '\0', buf.size()));
            const std::size_t n = nul ? static_cast<std::size_t>(nul - p) : buf.size();
            out.append(p, n);
            buf.begin += n;
            if (nul) {
                ++buf.begin;
                break;
            }
            if (out.size() > MaxBinaryWordBytes)
                fail(m_job.ctx.path,
                    "no end to " + what + " at byte " + std::to_string(m_offset) + " within "
                        + std::to_string(MaxBinaryWordBytes)
                        + " bytes: not a fastText model, or a corrupt one");
        }
        m_offset += out.size() + 1;
    }

    bool atEnd() { return m_job.buf.size() == 0 && !m_job.buf.fill(m_job.in); }

    [[noreturn]] void truncated(const std::string &what, std::uint64_t at)
    {
        m_job.ctx.report.truncated = true;
        fail(m_job.ctx.path,
            "the file ends at byte " + std::to_string(at) + ", inside " + what
                + ": a truncated fastText model");
    }

private:
    ReadJob &m_job;
    std::uint64_t m_offset = 0;
};

// A matrix's header: the quantization flag (from version 12's format on) and its shape.
void matrixHeader(Cursor &in, const std::string &path, bool newFormat, const char *name,
    std::int64_t &rows, std::int64_t &cols)
{
    if (newFormat) {
        const auto quantized = in.get<std::uint8_t>(std::string("the ") + name + " matrix header");
        if (quantized)
            fail(path,
                std::string("a quantized fastText model (.ftz, made by fasttext quantize): its ")
                    + name
                    + " vectors are compressed codes, which this reader does not expand; use "
                      "the .bin it was quantized from, or a .vec");
    }
    const std::uint64_t at = in.offset();
    rows = in.get<std::int64_t>(std::string("the ") + name + " matrix header");
    cols = in.get<std::int64_t>(std::string("the ") + name + " matrix header");
    if (rows < 0 || cols < 0 || cols > MaxDim)
        fail(path,
            std::string("the ") + name + " matrix at byte " + std::to_string(at) + " says "
                + std::to_string(rows) + " x " + std::to_string(cols)
                + ": not a fastText model, or a corrupt one");
}

WordVectors readFastTextBin(ReadJob &job)
{
    Context &ctx = job.ctx;
    const std::string &path = ctx.path;
    ImportReport &r = ctx.report;
    ctx.progress(0);
    job.in.startReadAhead();
    Cursor in(job);

    // The header: magic and version, then the arguments.
    char head[8 + ArgsBytes];
    in.read(head, 8, "the header");
    const bool newFormat = int32At(std::string_view(head, 8), 0) == FastTextMagic;
    std::int32_t version = 0;
    if (newFormat) {
        version = int32At(std::string_view(head, 8), 4);
        if (version > FastTextVersion || version < 11)
            fail(path,
                "a fastText model of file format version " + std::to_string(version)
                    + "; this reader knows versions 11 and " + std::to_string(FastTextVersion));
        in.read(head, ArgsBytes, "the training arguments");
    } else {
        in.read(head + 8, ArgsBytes - 8, "the training arguments");
    }
    Args args = parseArgs(head);
    if (!plausibleArgs(args))
        fail(path,
            "training arguments fastText does not write (dimension " + std::to_string(args.dim)
                + ", model " + std::to_string(args.model) + ", loss " + std::to_string(args.loss)
                + "): not a fastText model, or a corrupt one");
    // fastText itself reads version 11 supervised models without character n-grams.
    if (version == 11 && args.model == ModelSupervised)
        args.maxn = 0;

    // The dictionary: words (then labels), each NUL-terminated with a count and an entry type.
    const std::uint64_t dictAt = in.offset();
    const auto size = in.get<std::int32_t>("the dictionary header");
    const auto nwords = in.get<std::int32_t>("the dictionary header");
    const auto nlabels = in.get<std::int32_t>("the dictionary header");
    in.get<std::int64_t>("the dictionary header"); // tokens in the training text
    std::int64_t pruneidxSize = -1;
    if (newFormat)
        pruneidxSize = in.get<std::int64_t>("the dictionary header");
    if (size < 0 || nwords < 0 || nlabels < 0
        || static_cast<std::int64_t>(nwords) + nlabels != size)
        fail(path,
            "the dictionary at byte " + std::to_string(dictAt) + " says " + std::to_string(size)
                + " entries, " + std::to_string(nwords) + " words and " + std::to_string(nlabels)
                + " labels: not a fastText model, or a corrupt one");
    if (nwords == 0)
        fail(path, "a fastText model without words");
    if (pruneidxSize >= 0)
        fail(path,
            "a pruned fastText model (fasttext quantize -cutoff): its n-gram rows are "
            "renumbered and its vectors quantized; use the .bin it was quantized from");

    // The counts are promises too: every entry takes at least 10 bytes.
    const auto promised = static_cast<std::size_t>(
        std::min<std::uint64_t>(static_cast<std::uint64_t>(nwords), job.contentBytes / 10 + 1));
    std::vector<std::string> raw;
    raw.reserve(promised);
    std::vector<std::uint64_t> counts;
    counts.reserve(promised);
    std::string entry;
    for (std::int32_t i = 0; i < size; ++i) {
        const std::string what
            = "dictionary entry " + std::to_string(i + 1) + " of " + std::to_string(size);
        in.word(entry, what);
        const auto count = in.get<std::int64_t>(what);
        const auto type = in.get<std::int8_t>(what);
        if (type != EntryWord && type != EntryLabel)
            fail(path,
                what + " at byte " + std::to_string(in.offset() - 1) + " has entry type "
                    + std::to_string(type) + ": not a fastText model, or a corrupt one");
        // fastText keeps the words before the labels; the labels have no input rows.
        if ((type == EntryWord) != (i < nwords))
            fail(path,
                what + " is a " + (type == EntryWord ? "word" : "label") + " where "
                    + std::to_string(nwords)
                    + " words should come before the labels: a corrupt fastText model");
        if (type == EntryWord) {
            raw.push_back(entry);
            counts.push_back(count < 0 ? 0 : static_cast<std::uint64_t>(count));
        }
    }

    // The input matrix: the words' rows, then the buckets' rows.
    std::int64_t rows = 0, cols = 0;
    matrixHeader(in, path, newFormat, "input", rows, cols);
    const std::int64_t expected = static_cast<std::int64_t>(nwords) + args.bucket;
    if (cols != args.dim || rows != expected)
        fail(path,
            "the input matrix is " + std::to_string(rows) + " x " + std::to_string(cols)
                + " where the dictionary and arguments make it " + std::to_string(expected) + " x "
                + std::to_string(args.dim) + ": a corrupt fastText model");
    const std::uint64_t matrixAt = in.offset();
    const std::uint64_t rowBytes = static_cast<std::uint64_t>(cols) * sizeof(float);
    // The shape is a promise, not a size to allocate: the file must hold the rows (gzip: the
    // most it could inflate to).
    const std::uint64_t room
        = r.gzip ? std::max(job.contentBytes, job.file.size() * MaxGzipRatio) : job.contentBytes;
    if (room < matrixAt + static_cast<std::uint64_t>(rows) * rowBytes) {
        r.truncated = true;
        fail(path,
            "the input matrix of " + std::to_string(rows) + " x " + std::to_string(cols)
                + " floats needs " + std::to_string(static_cast<std::uint64_t>(rows) * rowBytes)
                + " bytes from byte " + std::to_string(matrixAt)
                + (r.gzip ? std::string(", more than the compressed file can hold")
                          : ", but the file ends at byte " + std::to_string(job.contentBytes))
                + ": a truncated fastText model");
    }
    const std::uint64_t limit = ctx.opts.limit;
    const auto kept = static_cast<std::size_t>(
        limit ? std::min<std::uint64_t>(limit, static_cast<std::uint64_t>(nwords)) : nwords);
    checkTableSize(path, static_cast<std::uint64_t>(rows), args.dim);
    RowMatrixXf wordRows(static_cast<Eigen::Index>(nwords), cols);
    RowMatrixXf buckets(static_cast<Eigen::Index>(args.bucket), cols);
    const auto readRows = [&](RowMatrixXf &m, std::int64_t first) {
        const std::size_t bytes = static_cast<std::size_t>(m.size()) * sizeof(float);
        const std::size_t got = in.readUpTo(m.data(), bytes);
        if (got < bytes)
            in.truncated("row " + std::to_string(first + 1 + std::int64_t(got / rowBytes))
                    + " of the input matrix's " + std::to_string(rows),
                in.offset());
    };
    readRows(wordRows, 0);
    readRows(buckets, nwords);
    // A word or n-gram row with NaN or infinity would spread to every vector built from it.
    for (const RowMatrixXf *m : { &wordRows, &buckets }) {
        for (Eigen::Index i = 0; i < m->rows(); ++i) {
            if (!allFinite(m->row(i).data(), args.dim))
                fail(path,
                    "row " + std::to_string(i + 1 + (m == &buckets ? nwords : 0))
                        + " of the input matrix holds NaN or infinite values: a corrupt "
                          "fastText model");
        }
    }

    // The output matrix is for training and predicting only; it is checked, not kept.
    std::int64_t outRows = 0, outCols = 0;
    matrixHeader(in, path, newFormat, "output", outRows, outCols);
    const std::uint64_t outRowBytes = static_cast<std::uint64_t>(outCols) * sizeof(float);
    for (std::int64_t i = 0; i < outRows; i += 1024) {
        const std::uint64_t n
            = static_cast<std::uint64_t>(std::min<std::int64_t>(1024, outRows - i));
        const std::size_t got = in.readUpTo(nullptr, n * outRowBytes);
        if (got < n * outRowBytes)
            in.truncated("row " + std::to_string(i + 1 + std::int64_t(got / outRowBytes))
                    + " of the output matrix's " + std::to_string(outRows),
                in.offset());
    }
    if (!in.atEnd())
        fail(path,
            "more bytes after the output matrix, which ends at byte " + std::to_string(in.offset())
                + ": not a fastText model, or a corrupt one");

    // The vectors gensim gives the words: (row + n-gram rows) / (1 + n-grams).
    std::shared_ptr<const SubwordModel> subwords;
    if (args.bucket > 0)
        subwords = std::make_shared<const SubwordModel>(args.minn, args.maxn, std::move(buckets));
    // A word seen before (fastText writes none; a corrupt file, or two spellings made the same
    // by replacing invalid UTF-8) is dropped, as in every other format: the first one stays.
    RowMatrixXf vectors(static_cast<Eigen::Index>(kept), cols);
    std::vector<std::string> words;
    words.reserve(kept);
    std::vector<std::uint64_t> keptCounts;
    keptCounts.reserve(kept);
    std::unordered_set<std::string> seen;
    std::size_t i = 0;
    for (; i < raw.size() && words.size() < kept; ++i) {
        std::size_t invalid = 0;
        std::string word = sanitizeUtf8(raw[i], &invalid);
        if (invalid)
            r.invalidUtf8.add(i + 1);
        if (!seen.insert(word).second) {
            r.duplicates.add(i + 1);
            continue;
        }
        const auto row = static_cast<Eigen::Index>(words.size());
        const auto from = static_cast<Eigen::Index>(i);
        if (subwords)
            subwords->composeWordVector(
                raw[i], wordRows.row(from).transpose(), vectors.row(row).transpose());
        else
            vectors.row(row) = wordRows.row(from);
        words.push_back(std::move(word));
        keptCounts.push_back(counts[i]);
    }
    vectors.conservativeResize(static_cast<Eigen::Index>(words.size()), cols);
    r.rows = words.size();
    r.rowsInFile = i;
    r.dim = args.dim;
    r.limited = i < raw.size();
    ctx.progress(ctx.total);
    WordVectors wv(std::move(words), std::move(vectors), std::move(keptCounts));
    wv.setSubwords(std::move(subwords));
    return wv;
}

} // namespace

VectorFormatInfo fastTextBinFormat()
{
    return { VectorFormat::FastTextBin, "fasttext-bin", "fastText model (.bin)", { "bin" },
        VectorLayout::Document, false, looksLikeFastTextBin, nullptr, readFastTextBin, nullptr };
}

} // namespace embedlab::vectors
