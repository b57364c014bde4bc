// NumPy .npy: the embedding matrix as Keras' Embedding(weights=[matrix]) takes it, float32 rows
// in the order of a vocabulary file beside it (NAME.vocab.txt, one word a line). The format is
// NumPy's version 1.0 (numpy/lib/format.py): the magic "\x93NUMPY", the version, a 2-byte header
// length, a Python dict literal ('descr', 'fortran_order', 'shape') padded with spaces and a
// newline so that the data starts at a multiple of 64 bytes, then the row-major data.
#include "core/fileio.h"
#include "core/vectors/formats.h"
#include "core/vectors/input.h"
#include "core/vectors/reader.h"

#include <cstring>
#include <regex>

namespace embedlab::vectors {

namespace {

constexpr char Magic[] = "\x93NUMPY";
constexpr std::size_t MagicBytes = 6;

bool sniffNumpy(std::string_view s)
{
    return s.size() >= MagicBytes && s.compare(0, MagicBytes, std::string_view(Magic, 6)) == 0;
}

// NAME.npy -> NAME.vocab.txt (any other name: NAME.vocab.txt as well).
std::string vocabularyPathFor(const std::string &path, const std::string &given)
{
    if (!given.empty())
        return given;
    const std::string stem = path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0
        ? path.substr(0, path.size() - 4)
        : path;
    return stem + ".vocab.txt";
}

std::string header(std::uint64_t rows, int dim)
{
    std::string h = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows)
        + ", " + std::to_string(dim) + "), }";
    const std::size_t unpadded = MagicBytes + 2 + 2 + h.size() + 1; // + the final newline
    h.append((64 - unpadded % 64) % 64, ' ');
    h += '\n';
    return h;
}

const char *vocabularyProblem(const std::string &word)
{
    return word.find('\n') != std::string::npos ? "a vocabulary file cannot hold a line break"
                                                : nullptr;
}

void writeNumpy(const std::string &path, const WordVectors &vectors, const std::string &vocabPath)
{
    checkWritable(path, vectors, vocabularyProblem);
    const std::string vocab = vocabularyPathFor(path, vocabPath);
    if (vocab == path)
        fail(path, "the matrix and the vocabulary cannot go to the same file");
    const std::string h = header(vectors.size(), vectors.dim());
    writeFileAtomically(path, [&](std::FILE *f) {
        std::fwrite(Magic, 1, MagicBytes, f);
        const unsigned char version[2] = { 1, 0 };
        std::fwrite(version, 1, 2, f);
        const unsigned char length[2] = { static_cast<unsigned char>(h.size() & 0xff),
            static_cast<unsigned char>(h.size() >> 8) };
        std::fwrite(length, 1, 2, f);
        std::fwrite(h.data(), 1, h.size(), f);
        // Little-endian float32, row after row (RowMatrixXf is row-major).
        std::fwrite(vectors.vectors().data(), sizeof(float),
            static_cast<std::size_t>(vectors.vectors().size()), f);
    });
    writeFileAtomically(vocab, [&](std::FILE *f) {
        for (const std::string &w : vectors.words()) {
            std::fwrite(w.data(), 1, w.size(), f);
            std::fputc('\n', f);
        }
    });
}

WordVectors readNumpy(ReadJob &job)
{
    Context &ctx = job.ctx;
    if (ctx.report.gzip)
        fail(ctx.path, "a gzip-compressed .npy: decompress it first");
    ctx.progress(0);
    const std::string bytes = readFile(ctx.path);
    if (bytes.size() < MagicBytes + 4 || !sniffNumpy(bytes))
        fail(ctx.path, "not a NumPy .npy file (it starts with \\x93NUMPY)");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLength = 0, offset = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8])
            | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            fail(ctx.path, "the .npy header is cut short");
        std::uint32_t n = 0;
        std::memcpy(&n, bytes.data() + 8, 4);
        headerLength = n;
        offset = 12;
    } else {
        fail(ctx.path, "NumPy format version " + std::to_string(major) + " is not known");
    }
    if (offset + headerLength > bytes.size())
        fail(ctx.path, "the .npy header is cut short");
    const std::string h = bytes.substr(offset, headerLength);
    std::smatch m;
    static const std::regex descr(R"('descr'\s*:\s*'([<>|=]?)(f4|f8)')");
    static const std::regex fortran(R"('fortran_order'\s*:\s*(True|False))");
    static const std::regex shape(R"('shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\))");
    if (!std::regex_search(h, m, descr) || m[1] == ">")
        fail(ctx.path,
            "the .npy matrix must hold little-endian float32 or float64 numbers ('<f4' or "
            "'<f8'); its header says "
                + h);
    const bool doubles = m[2] == "f8";
    if (!std::regex_search(h, m, fortran) || m[1] == "True")
        fail(ctx.path, "the .npy matrix must be in C (row-major) order; its header says " + h);
    if (!std::regex_search(h, m, shape))
        fail(ctx.path,
            "the .npy file must hold a 2-D matrix (words, dimensions); its header says " + h);
    const std::uint64_t rows = std::stoull(m[1]);
    const std::uint64_t dim = std::stoull(m[2]);
    const std::size_t width = doubles ? 8 : 4;
    const std::size_t data = offset + headerLength;
    if (dim == 0 || dim > 1000000)
        fail(ctx.path, "the .npy matrix has " + std::to_string(dim) + " columns");
    if ((bytes.size() - data) / width / dim < rows)
        fail(ctx.path,
            "the .npy file is cut short: its header announces " + std::to_string(rows) + " x "
                + std::to_string(dim) + " numbers");

    const std::string vocabPath = vocabularyPathFor(ctx.path, ctx.opts.metadataPath);
    if (!fileExists(vocabPath))
        fail(ctx.path,
            "a .npy matrix needs its vocabulary, one word a line in row order: " + vocabPath
                + " does not exist");
    const std::string text = readFile(vocabPath);
    std::vector<std::string> words;
    std::size_t pos = 0;
    while (pos < text.size() && words.size() < rows) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string w = text.substr(pos, nl - pos);
        if (!w.empty() && w.back() == '\r')
            w.pop_back();
        words.push_back(std::move(w));
        pos = nl + 1;
    }
    if (words.size() != rows)
        fail(vocabPath,
            "the vocabulary has " + std::to_string(words.size()) + " words but the matrix "
                + ctx.path + " has " + std::to_string(rows) + " rows");
    ctx.report.metadataPath = vocabPath;

    const std::uint64_t n = ctx.opts.limit ? std::min<std::uint64_t>(ctx.opts.limit, rows) : rows;
    RowMatrixXf v(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dim));
    const char *p = bytes.data() + data;
    for (std::uint64_t i = 0; i < n; ++i)
        for (std::uint64_t j = 0; j < dim; ++j, p += width) {
            float x;
            if (doubles) {
                double d;
                std::memcpy(&d, p, 8);
                x = static_cast<float>(d);
            } else {
                std::memcpy(&x, p, 4);
            }
            if (!std::isfinite(x))
                fail(ctx.path,
                    "row " + std::to_string(i + 1) + " (\"" + words[i]
                        + "\") holds a number that is not finite");
            v(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = x;
        }
    words.resize(n);
    ImportReport &r = ctx.report;
    r.rows = n;
    r.rowsInFile = rows;
    r.dim = static_cast<int>(dim);
    r.limited = n < rows;
    ctx.progress(ctx.total);
    return WordVectors(std::move(words), std::move(v));
}

} // namespace

VectorFormatInfo numpyFormat()
{
    return { VectorFormat::Numpy, "npy", "NumPy matrix (.npy) + vocabulary", { "npy" },
        VectorLayout::Document, false, sniffNumpy, nullptr, readNumpy, writeNumpy };
}

} // namespace embedlab::vectors
