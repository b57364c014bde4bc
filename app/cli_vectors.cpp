// embedlab-cli commands over word vectors: inspect, neighbors, analogy, evaluate, pca, convert.
#include <cstdio>
#include <fstream>

#include "app/cli_common.h"
#include "core/analogy.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/neighbors.h"
#include "core/pca.h"
#include "core/pretrained.h"
#include "core/vectors_io.h"

namespace embedlab::cli {

namespace {

const std::set<std::string> kSource = { "vectors", "model", "format", "limit", "threads" };

std::set<std::string> with(std::set<std::string> a, std::initializer_list<std::string> b)
{
    a.insert(b);
    return a;
}

// The options of --vectors FILE [--format F] [--limit N] or --model MODEL.
ImportOptions importOptions(const Args &a, const std::string &command)
{
    if (a.has("vectors") == a.has("model"))
        throw UsageError(command + ": give either --vectors FILE or --model MODEL");
    ImportOptions o;
    if (a.has("model")) {
        o.format = VectorFormat::Checkpoint;
    } else if (a.has("format") && !parseVectorFormat(a.str("format"), o.format)) {
        throw UsageError("--format: expected glove, word2vec, word2vec-bin, fasttext, projector, "
                         "checkpoint or auto, got '"
            + a.str("format") + "'");
    }
    o.limit = static_cast<std::uint64_t>(a.integer("limit", 0, 0, 1LL << 40));
    o.threads = static_cast<int>(a.integer("threads", 0, 0, 1024));
    return o;
}

std::string tablePath(const Args &a)
{
    return a.has("model") ? a.str("model") : a.str("vectors");
}

// The table named by --vectors FILE [--format F] or --model MODEL.
WordVectors loadTable(const Args &a, const std::string &command, ImportReport *report = nullptr)
{
    const ImportOptions o = importOptions(a, command);
    return readVectors(tablePath(a), o, report);
}

// "1.3 GB", "120.5 MB", "812 bytes".
std::string humanBytes(std::uint64_t n)
{
    char buf[32];
    if (n >= 1000000000)
        std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(n) / 1e9);
    else if (n >= 1000000)
        std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / 1e6);
    else if (n >= 1000)
        std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
    return buf;
}

Metric metricOf(const Args &a)
{
    const std::string m = a.str("metric", "cosine");
    if (m == "cosine")
        return Metric::Cosine;
    if (m == "euclidean")
        return Metric::Euclidean;
    throw UsageError("--metric: expected cosine or euclidean, got '" + m + "'");
}

AnalogyMethod methodOf(const Args &a)
{
    const std::string m = a.str("method", "add");
    if (m == "add")
        return AnalogyMethod::Add;
    if (m == "mul")
        return AnalogyMethod::Mul;
    throw UsageError("--method: expected add or mul, got '" + m + "'");
}

Json neighborList(const std::vector<Neighbor> &list)
{
    Json out = Json::array();
    for (const auto &n : list) {
        Json j = Json::object();
        j.set("word", n.word).set("score", static_cast<double>(n.score));
        out.push(j);
    }
    return out;
}

} // namespace

int cmdInspect(const std::vector<std::string> &argv)
{
    const Args a(argv,
        with(kSource, { "corpus", "tokenizer", "min-count", "max-vocab", "valid-fraction" }),
        { "lowercase" }, "inspect");
    // What the table will take, said before it is read (a big one takes a while).
    const ImportOptions options = importOptions(a, "inspect");
    const MemoryEstimate estimate = estimateVectorMemory(tablePath(a), options);
    std::cerr << "embedlab-cli inspect: " << tablePath(a) << ": "
              << vectorFormatName(estimate.format);
    if (estimate.rows > 0)
        std::cerr << ", about " << estimate.rows << " x " << estimate.dim << " vectors";
    std::cerr << ", needs about " << humanBytes(estimate.bytes) << " of memory (this machine has "
              << humanBytes(estimate.memory) << ")\n"
              << std::flush;
    ImportReport report;
    const WordVectors table = readVectors(tablePath(a), options, &report);
    Json out = Json::parse(reportToJson(report));
    if (a.has("corpus")) {
        CorpusOptions o;
        if (a.has("tokenizer") && !parseTokenizerMode(a.str("tokenizer"), o.tokenizer.mode))
            throw UsageError("--tokenizer: expected word or char");
        o.tokenizer.lowercase = a.has("lowercase");
        o.minCount = static_cast<std::uint64_t>(a.integer("min-count", 1, 1, 1LL << 40));
        o.maxVocab = static_cast<std::size_t>(a.integer("max-vocab", 0, 0, 1LL << 30));
        o.validFraction = a.number("valid-fraction", 0.1);
        const Corpus corpus = loadCorpus(a.str("corpus"), o);
        const Coverage c = computeCoverage(corpus.vocab, table);
        Json cov = Json::object();
        Json missing = Json::array();
        for (const auto &[word, count] : c.topMissing) {
            Json m = Json::object();
            m.set("word", word).set("count", count);
            missing.push(m);
        }
        cov.set("corpus", corpus.path)
            .set("vocab_words", c.words)
            .set("covered_words", c.coveredWords)
            .set("case_folded_words", c.caseFoldedWords)
            .set("word_share", c.wordShare())
            .set("corpus_tokens", c.tokens)
            .set("covered_tokens", c.coveredTokens)
            .set("token_share", c.tokenShare())
            .set("top_missing", missing);
        out.set("coverage", cov);
    }
    emit(out);
    return 0;
}

int cmdNeighbors(const std::vector<std::string> &argv)
{
    const Args a(argv, with(kSource, { "word", "k", "metric", "restrict" }), {}, "neighbors");
    const std::string word = a.required("word", "neighbors");
    const int k = static_cast<int>(a.integer("k", 10, 1, 100000));
    const Metric metric = metricOf(a);
    const auto restrict = static_cast<std::size_t>(a.integer("restrict", 0, 0, 1LL << 40));
    const WordVectors table = loadTable(a, "neighbors");
    const NeighborIndex index(table);
    emit(neighborList(index.nearestToWord(word, k, metric, restrict)));
    return 0;
}

int cmdAnalogy(const std::vector<std::string> &argv)
{
    const Args a(argv, with(kSource, { "a", "b", "c", "k", "method", "restrict" }), {}, "analogy");
    const std::string wa = a.required("a", "analogy"), wb = a.required("b", "analogy"),
                      wc = a.required("c", "analogy");
    const int k = static_cast<int>(a.integer("k", 10, 1, 100000));
    const AnalogyMethod method = methodOf(a);
    const auto restrict = static_cast<std::size_t>(a.integer("restrict", 0, 0, 1LL << 40));
    const WordVectors table = loadTable(a, "analogy");
    const NeighborIndex index(table);
    emit(neighborList(index.analogy(wa, wb, wc, k, method, restrict)));
    return 0;
}

int cmdEvaluate(const std::vector<std::string> &argv)
{
    const Args a(argv, with(kSource, { "analogies", "method", "restrict" }), { "case-sensitive" },
        "evaluate");
    const std::string questions = a.required("analogies", "evaluate");
    const AnalogyMethod method = methodOf(a);
    const auto restrict = static_cast<std::size_t>(a.integer("restrict", 0, 0, 1LL << 40));
    const WordVectors table = loadTable(a, "evaluate");
    const NeighborIndex index(table);
    const AnalogyEvaluation ev
        = evaluateAnalogies(index, questions, method, restrict, !a.has("case-sensitive"));
    auto section = [](const AnalogySection &s) {
        Json j = Json::object();
        j.set("section", s.name)
            .set("correct", s.correct)
            .set("total", s.total)
            .set("skipped", s.skipped)
            .set("accuracy", s.accuracy());
        return j;
    };
    Json sections = Json::array();
    for (const auto &s : ev.sections)
        sections.push(section(s));
    Json out = Json::object();
    out.set("sections", sections)
        .set("total", section(ev.total))
        .set("skipped", ev.skipped)
        .set("malformed_lines", ev.malformed);
    emit(out);
    return 0;
}

int cmdPca(const std::vector<std::string> &argv)
{
    const Args a(argv, with(kSource, { "components", "top", "out" }), {}, "pca");
    const int k = static_cast<int>(a.integer("components", 2, 1, 1000));
    const auto top = static_cast<std::size_t>(a.integer("top", 0, 0, 1LL << 40));
    const WordVectors table = loadTable(a, "pca");
    if (k > table.dim())
        throw UsageError("pca: --components " + std::to_string(k) + " is more than the "
            + std::to_string(table.dim()) + " dimensions of the vectors");
    const PcaResult r = pca(table, k, top);
    Json ratios = Json::array();
    for (Eigen::Index i = 0; i < r.explainedVarianceRatio.size(); ++i)
        ratios.push(static_cast<double>(r.explainedVarianceRatio(i)));
    Json out = Json::object();
    out.set("rows", static_cast<std::uint64_t>(r.coords.rows()))
        .set("components", k)
        .set("explained_variance_ratio", ratios);
    if (a.has("out")) {
        // word \t pc1 \t pc2 ... with a header, like the Projector's metadata.
        writeFileAtomically(a.str("out"), [&](std::FILE *f) {
            std::fputs("word", f);
            for (int c = 0; c < k; ++c)
                std::fprintf(f, "\tpc%d", c + 1);
            std::fputc('\n', f);
            for (Eigen::Index i = 0; i < r.coords.rows(); ++i) {
                std::fputs(table.word(static_cast<std::size_t>(i)).c_str(), f);
                for (int c = 0; c < k; ++c)
                    std::fprintf(f, "\t%.9g", static_cast<double>(r.coords(i, c)));
                std::fputc('\n', f);
            }
        });
        out.set("out", a.str("out"));
    } else {
        Json coords = Json::array();
        for (Eigen::Index i = 0; i < r.coords.rows(); ++i) {
            Json row = Json::array();
            for (int c = 0; c < k; ++c)
                row.push(static_cast<double>(r.coords(i, c)));
            Json j = Json::object();
            j.set("word", table.word(static_cast<std::size_t>(i))).set("coords", row);
            coords.push(j);
        }
        out.set("coords", coords);
    }
    emit(out);
    return 0;
}

int cmdConvert(const std::vector<std::string> &argv)
{
    const Args a(argv, with(kSource, { "to", "out", "metadata" }), {}, "convert");
    const std::string to = a.required("to", "convert");
    const std::string outPath = a.required("out", "convert");
    WriteFormat format = VectorFormat::Auto;
    if (!parseVectorFormat(to, format) || !findVectorFormat(format)
        || !findVectorFormat(format)->write) {
        std::vector<std::string> names; // the formats with a writer
        for (const VectorFormatInfo &f : vectorFormats())
            if (f.write)
                names.push_back(f.name);
        std::string expected;
        for (std::size_t i = 0; i < names.size(); ++i)
            expected += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
        throw UsageError("--to: expected " + expected + ", got '" + to + "'");
    }
    ImportReport report;
    const WordVectors table = loadTable(a, "convert", &report);
    writeVectors(outPath, table, format, a.str("metadata"));
    Json out = Json::object();
    out.set("rows", static_cast<std::uint64_t>(table.size()))
        .set("dim", table.dim())
        .set("out", outPath)
        .set("format", to)
        .set("problems", report.problemCount());
    emit(out);
    return 0;
}

} // namespace embedlab::cli
