#include "tests/fuzz/fuzz_entry.h"

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/safetensors.h"
#include "core/tokenizer.h"
#include "core/trainer.h"
#include "core/vectors/vectors.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unordered_set>

#include <unistd.h>

namespace embedlab::fuzz {

namespace {

namespace fs = std::filesystem;

void require(bool ok, const std::string &what)
{
    if (!ok)
        throw InvariantViolation(what);
}

// The readers take paths: every input goes through a file in a private directory, removed when
// the process ends.
class Scratch
{
public:
    Scratch()
    {
        const char *tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/embedlab-fuzz-XXXXXX";
        if (!::mkdtemp(pattern.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        m_dir = pattern;
    }
    ~Scratch()
    {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }

    std::string path(const std::string &name) const { return m_dir + "/" + name; }

    std::string write(const std::string &name, std::string_view bytes) const
    {
        const std::string p = path(name);
        std::FILE *f = std::fopen(p.c_str(), "wb");
        if (!f || (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
            || std::fclose(f) != 0) {
            std::perror(p.c_str());
            std::abort();
        }
        return p;
    }

    void remove(const std::string &name) const { ::unlink(path(name).c_str()); }

private:
    std::string m_dir;
};

const Scratch &scratch()
{
    static const Scratch s;
    return s;
}

std::string_view asText(const std::uint8_t *data, std::size_t size)
{
    return { reinterpret_cast<const char *>(data), size };
}

// ---------------------------------------------------------------------------------------------
// Corpus

void checkStream(const std::vector<std::int32_t> &ids, int vocabSize, const char *what)
{
    for (const std::int32_t id : ids)
        require(id >= 0 && id < vocabSize, std::string(what) + ": id out of range");
    require(ids.empty() || ids.back() == Vocabulary::Eos,
        std::string(what) + ": the stream does not end with <eos>");
}

// First byte: the options; the rest: the text.
void runCorpus(const std::uint8_t *data, std::size_t size)
{
    const std::uint8_t mode = size ? data[0] : 0;
    const std::string_view text = size ? asText(data + 1, size - 1) : std::string_view();
    CorpusOptions opts;
    opts.tokenizer.mode = (mode & 1) ? TokenizerMode::Char : TokenizerMode::Word;
    opts.tokenizer.lowercase = (mode & 2) != 0;
    opts.minCount = 1 + ((mode >> 2) & 3);
    static const std::size_t maxVocab[] = { 0, 4, 8, 100 };
    opts.maxVocab = maxVocab[(mode >> 4) & 3];
    static const double validFraction[] = { 0.1, 0, 0.5, 1.0 };
    opts.validFraction = validFraction[(mode >> 6) & 3];

    // The tokenizer alone, line by line.
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        LineTokenizer tok(text.substr(pos, nl - pos), opts.tokenizer);
        std::string_view t;
        while (tok.next(t))
            require(!t.empty(), "tokenizer: an empty token");
        pos = nl + 1;
    }

    const std::string path = scratch().write("corpus.txt", text);
    const Corpus c = loadCorpus(path, opts);
    const int v = c.vocab.size();
    require(v >= Vocabulary::SpecialCount, "corpus: a vocabulary without the specials");
    require(opts.maxVocab == 0 || static_cast<std::size_t>(v) <= opts.maxVocab
            || v == Vocabulary::SpecialCount,
        "corpus: vocabulary larger than maxVocab");
    checkStream(c.train, v, "corpus train");
    checkStream(c.valid, v, "corpus valid");

    const Corpus m = buildCorpus(text, opts, path);
    require(m.train == c.train && m.valid == c.valid && m.vocab.words() == c.vocab.words(),
        "corpus: loadCorpus and buildCorpus disagree");

    std::uint64_t unk = 0;
    const std::vector<std::int32_t> ids = encodeFile(path, c.vocab, opts.tokenizer, &unk);
    checkStream(ids, v, "encodeFile");
    const std::vector<std::int32_t> ids2 = encodeText(text, c.vocab, opts.tokenizer);
    checkStream(ids2, v, "encodeText");

    const BatchedStream b = batchify(c.train, 1 + (mode % 5));
    require(b.data.size() == b.steps * static_cast<std::size_t>(b.batch),
        "batchify: data does not match steps x batch");
}

// ---------------------------------------------------------------------------------------------
// Word vectors

void checkTable(const WordVectors &wv, const ImportReport &r)
{
    require(wv.size() > 0, "vectors: an empty table returned instead of an Error");
    require(wv.dim() > 0 && wv.dim() == r.dim, "vectors: dimension");
    require(static_cast<std::size_t>(wv.vectors().rows()) == wv.size(), "vectors: rows vs words");
    require(r.rows == wv.size(), "vectors: report rows");
    require(r.rowsInFile >= r.rows, "vectors: more rows kept than read");
    const float *v = wv.vectors().data();
    for (Eigen::Index i = 0; i < wv.vectors().size(); ++i)
        require(std::isfinite(v[i]), "vectors: a non-finite value kept");
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < wv.size(); ++i) {
        require(seen.insert(wv.word(i)).second, "vectors: a duplicate word kept");
        require(wv.find(wv.word(i)) == static_cast<int>(i), "vectors: find() disagrees");
    }
    (void)reportToJson(r);
}

// What one read gave: the table and report, or the refusal.
struct Outcome
{
    std::string error;
    std::vector<std::string> words;
    std::vector<float> values;
    std::string report; // JSON, without the time taken

    bool operator==(const Outcome &o) const
    {
        return error == o.error && words == o.words && report == o.report
            && values.size() == o.values.size()
            && (values.empty() // memcmp must not see the null data() of an empty vector
                || std::memcmp(values.data(), o.values.data(), values.size() * sizeof(float)) == 0);
    }
};

Outcome readOnce(const std::string &path, const ImportOptions &opts)
{
    Outcome out;
    try {
        ImportReport report;
        const WordVectors wv = readVectors(path, opts, &report);
        checkTable(wv, report);
        require(!opts.limit || wv.size() <= opts.limit, "vectors: more rows than the limit");
        out.words = wv.words();
        out.values.assign(wv.vectors().data(), wv.vectors().data() + wv.vectors().size());
        report.seconds = 0;
        out.report = reportToJson(report);
    } catch (const Error &e) {
        out.error = e.what();
    }
    return out;
}

// One parser thread, then (plain text, no limit) four threads over ranges of a few bytes, the
// path real files take above 4 MB: the same table, the same report, or the same refusal.
void readAs(const std::string &path, VectorFormat format, std::uint64_t limit = 0)
{
    ImportOptions opts;
    opts.format = format;
    opts.threads = 1;
    opts.limit = limit;
    const Outcome serial = readOnce(path, opts);
    if (limit == 0 && format != VectorFormat::Word2VecBinary) {
        opts.threads = 4;
        opts.bytesPerThread = 1;
        const Outcome parallel = readOnce(path, opts);
        require(parallel == serial,
            "vectors: four parser threads disagree with one (" + serial.error + " | "
                + parallel.error + " | " + serial.report + " | " + parallel.report + ")");
    }
    if (!serial.error.empty())
        throw Error(serial.error);
}

void runVectorsAs(VectorFormat format, const std::uint8_t *data, std::size_t size)
{
    readAs(scratch().write("vectors", asText(data, size)), format);
}

// Rows of numbers with their labels in another file: the input holds both.
void runNumberRows(VectorFormat format, const std::uint8_t *data, std::size_t size)
{
    const std::string_view all = asText(data, size);
    const std::size_t sep = all.find(ProjectorMetadataSeparator);
    const Scratch &s = scratch();
    if (sep == std::string_view::npos) {
        s.remove("metadata.tsv");
    } else {
        s.write("metadata.tsv", all.substr(sep + ProjectorMetadataSeparator.size()));
    }
    const std::string path = s.write("vectors.tsv", all.substr(0, sep));
    readAs(path, format);
}

// A .npy matrix and, after the separator line, its vocabulary (vectors.vocab.txt).
void runNumpy(VectorFormat format, const std::uint8_t *data, std::size_t size)
{
    const std::string_view all = asText(data, size);
    const std::size_t sep = all.find(NumpyVocabularySeparator);
    const Scratch &s = scratch();
    if (sep == std::string_view::npos)
        s.remove("vectors.vocab.txt");
    else
        s.write("vectors.vocab.txt", all.substr(sep + NumpyVocabularySeparator.size()));
    const std::string path = s.write("vectors.npy", all.substr(0, sep));
    readAs(path, format);
}

// Detection decides; then the same file once more with a limit of 3 rows, and the estimate.
void runVectorsAuto(const std::uint8_t *data, std::size_t size)
{
    const std::string path = scratch().write("vectors", asText(data, size));
    try {
        readAs(path, VectorFormat::Auto);
    } catch (const Error &) { }
    try {
        readAs(path, VectorFormat::Auto, 3);
    } catch (const Error &) { }
    try {
        (void)estimateVectorMemory(path);
    } catch (const Error &) { }
    (void)detectVectorFormat(path);
}

std::string gzipCompress(std::string_view in)
{
    z_stream z {};
    // windowBits 15 + 16: a gzip wrapper.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        std::abort();
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        std::abort();
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// First byte: bit 0 cuts the compressed file at (bits 2-7)/64 of its length, bit 1 splits the
// content over two gzip members; the rest is the content, compressed here, so the fuzzer works
// on what the gzip reader decompresses (raw .gz bytes reach the readers through vectors_auto).
void runVectorsGzip(const std::uint8_t *data, std::size_t size)
{
    const std::uint8_t mode = size ? data[0] : 0;
    const std::string_view content = size ? asText(data + 1, size - 1) : std::string_view();
    std::string gz;
    if (mode & 2) {
        const std::size_t half = content.size() / 2;
        gz = gzipCompress(content.substr(0, half)) + gzipCompress(content.substr(half));
    } else {
        gz = gzipCompress(content);
    }
    if (mode & 1)
        gz.resize(gz.size() * (mode >> 2) / 64);
    readAs(scratch().write("vectors.gz", gz), VectorFormat::Auto);
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

void runCheckpoint(VectorFormat format, const std::uint8_t *data, std::size_t size)
{
    const std::string path = scratch().write("model.safetensors", asText(data, size));
    try {
        const SafeTensorsReader reader(path);
        std::vector<float> values;
        for (const TensorInfo &t : reader.tensors()) {
            require(t.begin <= t.end, "safetensors: a tensor ends before it begins");
            require(reader.find(t.name) == &t, "safetensors: find() disagrees");
            if (isFloatingPoint(t.dtype)) {
                require(t.elements() * dtypeSize(t.dtype) == t.end - t.begin,
                    "safetensors: shape and byte range disagree");
                values.resize(static_cast<std::size_t>(t.elements()));
                reader.read<float>(t.name, values.data(), values.size());
            } else {
                const unsigned char *b = reader.bytes(t);
                volatile unsigned sum = 0;
                for (std::uint64_t i = 0; i < t.end - t.begin; ++i)
                    sum = sum + b[i];
            }
        }
        for (const auto &kv : reader.metadata())
            (void)kv;
    } catch (const Error &) { }

    try {
        ImportOptions opts;
        opts.format = format;
        ImportReport report;
        const WordVectors wv = readVectors(path, opts, &report);
        checkTable(wv, report);
    } catch (const Error &) { }

    LoadedCheckpoint<float> ck = loadCheckpoint<float>(path);
    const int v = ck.model->config().vocabSize;
    require(v == ck.vocab.size(), "checkpoint: vocabulary size and model disagree");
    // A loaded model must be usable: a few tokens through it.
    std::vector<std::int32_t> stream;
    for (int i = 0; i < 6; ++i)
        stream.push_back(static_cast<std::int32_t>(i % v));
    (void)evaluateLoss(*ck.model, stream, 1, 4);
}

// A fuzz target per row of the format table, named after the format ("word2vec-bin":
// fuzz_word2vec_bin), reading its input as that format.
Target formatTarget(const VectorFormatInfo &f)
{
    std::string name = f.name;
    std::replace(name.begin(), name.end(), '-', '_');
    const VectorFormat id = f.id;
    switch (f.layout) {
    case VectorLayout::NumberRows:
        return { name, std::string(f.label) + " reader (vectors, separator line, metadata)",
            [id](const std::uint8_t *d, std::size_t n) { runNumberRows(id, d, n); } };
    case VectorLayout::Document:
        if (id == VectorFormat::Numpy)
            return { name, std::string(f.label) + " reader (matrix, separator line, vocabulary)",
                [id](const std::uint8_t *d, std::size_t n) { runNumpy(id, d, n); } };
        if (id != VectorFormat::Checkpoint)
            break; // a fastText model: read as the other binary formats are
        return { name, std::string(f.label) + " reader (safetensors and the checkpoint loader)",
            [id](const std::uint8_t *d, std::size_t n) { runCheckpoint(id, d, n); } };
    case VectorLayout::WordRows:
    case VectorLayout::BinaryRows:
        break;
    }
    return { name, std::string(f.label) + " reader",
        [id](const std::uint8_t *d, std::size_t n) { runVectorsAs(id, d, n); } };
}

std::vector<Target> makeTargets()
{
    std::vector<Target> t;
    t.push_back({ "corpus", "tokenizer and corpus loader (first byte: options)", runCorpus });
    for (const VectorFormatInfo &f : vectorFormats())
        t.push_back(formatTarget(f));
    t.push_back({ "vectors_auto", "format detection and the detected reader, raw bytes (gzip too)",
        runVectorsAuto });
    t.push_back({ "vectors_gzip", "gzip-compressed vectors (first byte: truncation, members)",
        runVectorsGzip });
    return t;
}

} // namespace

const std::vector<Target> &targets()
{
    static const std::vector<Target> all = makeTargets();
    return all;
}

const Target *findTarget(std::string_view name)
{
    for (const Target &t : targets())
        if (name == t.name)
            return &t;
    return nullptr;
}

std::string projectorInput(const std::string &vectorsTsv, const std::string &metadataTsv)
{
    std::string s = vectorsTsv;
    s += ProjectorMetadataSeparator;
    s += metadataTsv;
    return s;
}

} // namespace embedlab::fuzz
