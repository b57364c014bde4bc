// embedlab-cli commands over word vectors: inspect, neighbors, analogy, similarity, doesnt-match,
// evaluate, pca, project, convert.
#include <cstdio>
#include <limits>
#include <memory>

#include "app/cli_common.h"
#include "core/analogy.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/neighbors.h"
#include "core/parallel.h"
#include "core/pca.h"
#include "core/pretrained.h"
#include "core/projection.h"
#include "core/runlog.h"
#include "core/vectors/vectors.h"
#include "core/wordlookup.h"
#include "core/wordpairs.h"

namespace embedlab::cli {

namespace {

// --vectors FILE [--format F] [--limit N], --model MODEL or --run DIR [--step S], and the
// threads that read it.
struct SourceOptions
{
    std::string vectors, model, run, format = "auto";
    std::int64_t step = 0;
    std::uint64_t limit = 0;
    int threads = 0;
};

void addSourceOptions(CLI::App &cmd, SourceOptions &o)
{
    cmd.add_option("--vectors", o.vectors, "the word-vector file")->type_name("FILE");
    cmd.add_option("--model", o.model, "or the embedding of this model")->type_name("MODEL");
    cmd.add_option("--run", o.run, "or the embedding a run folder recorded")->type_name("DIR");
    addInteger(cmd, "--step", o.step, 0, 1LL << 60,
        "with --run: the recorded step (default: the last one)");
    addChoice(
        cmd, "--format", o.format, vectorFormatChoices(false),
        [](const std::string &s) {
            VectorFormat format;
            return parseVectorFormat(s, format);
        },
        "format of --vectors (gzip is detected)");
    addInteger(cmd, "--limit", o.limit, 0, 1LL << 40, "read only the first N rows (0: all)");
    addInteger(cmd, "--threads", o.threads, 0, 1024, "worker threads (0: all cores)");
}

ImportOptions importOptions(const CLI::App &cmd, const SourceOptions &s)
{
    if (cmd.count("--vectors") + cmd.count("--model") + cmd.count("--run") != 1)
        throw UsageError("give one of --vectors FILE, --model MODEL or --run DIR");
    if (cmd.count("--step") && !cmd.count("--run"))
        throw UsageError("--step needs --run");
    ImportOptions o;
    if (cmd.count("--model"))
        o.format = VectorFormat::Checkpoint;
    else
        parseVectorFormat(s.format, o.format);
    o.limit = s.limit;
    o.threads = s.threads;
    return o;
}

std::string tablePath(const CLI::App &cmd, const SourceOptions &s)
{
    return cmd.count("--model") ? s.model : s.vectors;
}

// The table named by --vectors FILE [--format F] or --model MODEL.
WordVectors loadTable(const CLI::App &cmd, const SourceOptions &s, ImportReport *report = nullptr)
{
    const ImportOptions options = importOptions(cmd, s);
    if (cmd.count("--run")) {
        const RunData run = readRun(s.run);
        if (run.snapshots.empty())
            throw Error(fileMessage(s.run, "the run has recorded no embedding snapshots"));
        const std::int64_t step = cmd.count("--step") ? s.step : run.snapshots.back().step;
        // Every row, <pad> too, as --model reads a checkpoint.
        WordVectors table = readRunSnapshot(run, step, true);
        if (s.limit > 0 && s.limit < table.size()) {
            std::vector<std::string> words(table.words().begin(), table.words().begin() + s.limit);
            RowMatrixXf rows = table.vectors().topRows(static_cast<Eigen::Index>(s.limit));
            table = WordVectors(std::move(words), std::move(rows));
        }
        return table;
    }
    return readVectors(tablePath(cmd, s), options, report);
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

void addK(CLI::App &cmd, int &k)
{
    addInteger(cmd, "--k", k, 1, 100000, "how many answers");
}

void addRestrict(CLI::App &cmd, std::size_t &restrict)
{
    addInteger(cmd, "--restrict", restrict, 0, 1LL << 40,
        "search only the first N rows, the most frequent words (0: all)");
}

void addMethod(CLI::App &cmd, std::string &method)
{
    addChoice(
        cmd, "--method", method, "add|mul",
        [](const std::string &s) { return s == "add" || s == "mul"; }, "3CosAdd or 3CosMul");
}

AnalogyMethod methodOf(const std::string &m)
{
    return m == "mul" ? AnalogyMethod::Mul : AnalogyMethod::Add;
}

Json neighborList(const std::vector<Neighbor> &list)
{
    Json out = Json::array();
    for (const auto &n : list)
        out.push_back({ { "word", n.word }, { "score", static_cast<double>(n.score) } });
    return out;
}

// A word known only in another case stands for that case ("elizabeth" -> "Elizabeth", the most
// frequent such row), with a note on stderr; a fastText model keeps the word (it answers by its
// n-grams), and so does a word with no such variant (the query then says "did you mean").
std::string resolveCase(const WordVectors &table, const std::string &word, const char *command)
{
    if (table.subwords())
        return word;
    const std::string variant = caseVariant(table, word);
    if (variant.empty())
        return word;
    std::fprintf(stderr, "embedlab-cli %s: \"%s\" is not in the vocabulary; read as \"%s\"\n",
        command, word.c_str(), variant.c_str());
    return variant;
}

std::vector<std::string> resolveCase(
    const WordVectors &table, std::vector<std::string> words, const char *command)
{
    for (std::string &w : words)
        w = resolveCase(table, w, command);
    return words;
}

void addInspect(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand(
        "inspect", "read a vector file and print its import report (and coverage of a corpus)");
    struct Options
    {
        SourceOptions source;
        std::string corpus, tokenizer = "word";
        bool lowercase = false;
        std::string cjk = "words", normalize = "none";
        std::uint64_t minCount = 1;
        std::size_t maxVocab = 0;
        double validFraction = 0.1;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--corpus", o->corpus, "report how much of this text the vectors cover")
        ->type_name("FILE");
    addChoice(
        *cmd, "--tokenizer", o->tokenizer, "word|char",
        [](const std::string &s) {
            TokenizerMode mode;
            return parseTokenizerMode(s, mode);
        },
        "how --corpus is split");
    cmd->add_flag("--lowercase", o->lowercase, "case-fold --corpus first");
    addCjkOptions(*cmd, o->cjk, o->normalize);
    addInteger(*cmd, "--min-count", o->minCount, 1, 1LL << 40,
        "words of --corpus seen fewer times are left out");
    addInteger(*cmd, "--max-vocab", o->maxVocab, 0, 1LL << 30,
        "keep the N most frequent words of --corpus (0: all)");
    addNumber(*cmd, "--valid-fraction", o->validFraction,
        "the share of --corpus held out, as train would");
    commands.emplace_back(cmd, [cmd, o] {
        // What the table will take, said before it is read (a big one takes a while).
        const ImportOptions options = importOptions(*cmd, o->source);
        const std::string path = tablePath(*cmd, o->source);
        const MemoryEstimate estimate = estimateVectorMemory(path, options);
        std::cerr << "embedlab-cli inspect: " << path << ": " << vectorFormatName(estimate.format);
        if (estimate.rows > 0)
            std::cerr << ", about " << estimate.rows << " x " << estimate.dim << " vectors";
        std::cerr << ", needs about " << humanBytes(estimate.bytes)
                  << " of memory (this machine has " << humanBytes(estimate.memory) << ")\n"
                  << std::flush;
        ImportReport report;
        const WordVectors table = readVectors(path, options, &report);
        Json out = Json::parse(reportToJson(report));
        if (cmd->count("--corpus")) {
            CorpusOptions co;
            parseTokenizerMode(o->tokenizer, co.tokenizer.mode);
            co.tokenizer.lowercase = o->lowercase;
            parseCjkSegmentation(o->cjk, co.tokenizer.cjk);
            parseNormalization(o->normalize, co.tokenizer.normalize);
            co.minCount = o->minCount;
            co.maxVocab = o->maxVocab;
            co.validFraction = o->validFraction;
            const Corpus corpus = loadCorpus(o->corpus, co);
            const Coverage c = computeCoverage(corpus.vocab, table);
            Json missing = Json::array();
            for (const auto &[word, count] : c.topMissing)
                missing.push_back({ { "word", word }, { "count", count } });
            out["coverage"] = { { "corpus", corpus.path }, { "vocab_words", c.words },
                { "covered_words", c.coveredWords }, { "case_folded_words", c.caseFoldedWords },
                { "ngram_words", c.ngramWords }, { "ngram_tokens", c.ngramTokens },
                { "word_share", c.wordShare() }, { "corpus_tokens", c.tokens },
                { "covered_tokens", c.coveredTokens }, { "token_share", c.tokenShare() },
                { "top_missing", missing } };
        }
        emit(out);
        return 0;
    });
}

void addNeighbors(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("neighbors",
        "the nearest words to a word, or to positive words minus negative ones (gensim's "
        "most_similar and most_similar_cosmul)");
    struct Options
    {
        SourceOptions source;
        std::string word, metric = "cosine", method = "add";
        std::vector<std::string> positive, negative;
        int k = 10;
        std::size_t restrict = 0;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--word", o->word, "the word")->type_name("W");
    cmd->add_option("--positive", o->positive, "or words to add, comma-separated")
        ->delimiter(',')
        ->type_name("W1,W2");
    cmd->add_option("--negative", o->negative, "words to subtract, comma-separated")
        ->delimiter(',')
        ->type_name("W3");
    addK(*cmd, o->k);
    addChoice(
        *cmd, "--metric", o->metric, "cosine|euclidean",
        [](const std::string &s) { return s == "cosine" || s == "euclidean"; },
        "distance (euclidean: --word only)");
    addChoice(
        *cmd, "--method", o->method, "add|mul",
        [](const std::string &s) { return s == "add" || s == "mul"; },
        "with --positive/--negative: the mean of the unit vectors (add) or 3CosMul (mul)");
    addRestrict(*cmd, o->restrict);
    commands.emplace_back(cmd, [cmd, o] {
        const bool words = cmd->count("--positive") || cmd->count("--negative");
        if (cmd->count("--word") == words)
            throw UsageError("give --word W, or --positive W1,W2 [--negative W3]");
        if (cmd->count("--word") && cmd->count("--method"))
            throw UsageError("--method is for --positive and --negative");
        const Metric metric = o->metric == "euclidean" ? Metric::Euclidean : Metric::Cosine;
        if (words && metric == Metric::Euclidean)
            throw UsageError("--metric euclidean is for --word");
        if (words && o->method == "mul" && o->positive.empty())
            throw UsageError("--method mul needs --positive");
        const WordVectors table = loadTable(*cmd, o->source);
        const NeighborIndex index(table);
        if (words)
            emit(neighborList(index.mostSimilar(resolveCase(table, o->positive, "neighbors"),
                resolveCase(table, o->negative, "neighbors"), o->k, methodOf(o->method),
                o->restrict)));
        else
            emit(neighborList(index.nearestToWord(
                resolveCase(table, o->word, "neighbors"), o->k, metric, o->restrict)));
        return 0;
    });
}

void addAnalogy(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd
        = cli.add_subcommand("analogy", "b - a + c: --a man --b king --c woman gives queen");
    struct Options
    {
        SourceOptions source;
        std::string a, b, c, method = "add";
        int k = 10;
        std::size_t restrict = 0;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--a", o->a, "a is to b")->required()->type_name("A");
    cmd->add_option("--b", o->b, "as c is to ?")->required()->type_name("B");
    cmd->add_option("--c", o->c, "")->required()->type_name("C");
    addK(*cmd, o->k);
    addMethod(*cmd, o->method);
    addRestrict(*cmd, o->restrict);
    commands.emplace_back(cmd, [cmd, o] {
        const WordVectors table = loadTable(*cmd, o->source);
        const NeighborIndex index(table);
        emit(neighborList(
            index.analogy(resolveCase(table, o->a, "analogy"), resolveCase(table, o->b, "analogy"),
                resolveCase(table, o->c, "analogy"), o->k, methodOf(o->method), o->restrict)));
        return 0;
    });
}

void addSimilarity(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("similarity", "the cosine similarity of two words");
    struct Options
    {
        SourceOptions source;
        std::string a, b;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--a", o->a, "the first word")->required()->type_name("W1");
    cmd->add_option("--b", o->b, "the second word")->required()->type_name("W2");
    commands.emplace_back(cmd, [cmd, o] {
        const WordVectors table = loadTable(*cmd, o->source);
        const NeighborIndex index(table);
        emit({ { "similarity",
            index.similarity(resolveCase(table, o->a, "similarity"),
                resolveCase(table, o->b, "similarity")) } });
        return 0;
    });
}

void addDoesntMatch(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand(
        "doesnt-match", "the word that goes least with the others (gensim's doesnt_match)");
    struct Options
    {
        SourceOptions source;
        std::vector<std::string> words;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--words", o->words, "the words, comma-separated")
        ->required()
        ->delimiter(',')
        ->type_name("W1,W2,W3,W4");
    commands.emplace_back(cmd, [cmd, o] {
        const WordVectors table = loadTable(*cmd, o->source);
        const NeighborIndex index(table);
        const NeighborIndex::OddOneOut odd
            = index.doesntMatch(resolveCase(table, o->words, "doesnt-match"));
        // gensim ignores them too (with a warning in its log).
        for (const std::string &w : odd.ignored) {
            const std::string hint = didYouMean(table, w);
            std::cerr << "embedlab-cli doesnt-match: ignoring \"" << w
                      << "\", which is not in the vocabulary" << (hint.empty() ? "" : "; ") << hint
                      << "\n";
        }
        std::cerr << std::flush;
        emit({ { "doesnt_match", odd.word }, { "ranked", neighborList(odd.ranked) },
            { "ignored", odd.ignored } });
        return 0;
    });
}

void addEvaluate(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("evaluate",
        "accuracy on an analogy questions file, per section and in total; or the correlation "
        "with the scores of a word-pairs file (gensim's evaluate_word_pairs)");
    struct Options
    {
        SourceOptions source;
        std::string analogies, pairs, method = "add";
        std::size_t restrict = 0;
        bool caseSensitive = false;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--analogies", o->analogies, "': section' lines, then 'a b c d' lines")
        ->type_name("FILE");
    cmd->add_option("--pairs", o->pairs, "or 'word<TAB>word<TAB>score' lines, '#' comments")
        ->type_name("FILE");
    addMethod(*cmd, o->method);
    addInteger(*cmd, "--restrict", o->restrict, 0, 1LL << 40,
        "only the first N rows, the most frequent words (0: all; default: all for --analogies, "
        "300000 for --pairs, as gensim)");
    cmd->add_flag("--case-sensitive", o->caseSensitive, "do not fold case when matching words");
    commands.emplace_back(cmd, [cmd, o] {
        if (cmd->count("--analogies") + cmd->count("--pairs") != 1)
            throw UsageError("give one of --analogies FILE or --pairs FILE");
        if (cmd->count("--pairs")) {
            if (cmd->count("--method"))
                throw UsageError("--method is for --analogies");
            const WordVectors table = loadTable(*cmd, o->source);
            const std::size_t restrict
                = cmd->count("--restrict") ? o->restrict : DefaultPairsRestrict;
            const WordPairEvaluation ev
                = evaluateWordPairs(table, o->pairs, restrict, !o->caseSensitive);
            // NaN (too few pairs, or a constant column) prints as null.
            emit({ { "pearson", ev.pearson }, { "spearman", ev.spearman },
                { "oov_ratio", ev.oovRatio }, { "pairs", ev.pairs }, { "oov_pairs", ev.oovPairs },
                { "restrict", restrict }, { "case_sensitive", o->caseSensitive } });
            return 0;
        }
        const WordVectors table = loadTable(*cmd, o->source);
        const NeighborIndex index(table);
        const AnalogyEvaluation ev = evaluateAnalogies(
            index, o->analogies, methodOf(o->method), o->restrict, !o->caseSensitive);
        auto section = [](const AnalogySection &s) {
            return Json { { "section", s.name }, { "correct", s.correct }, { "total", s.total },
                { "skipped", s.skipped }, { "accuracy", s.accuracy() } };
        };
        Json sections = Json::array();
        for (const auto &s : ev.sections)
            sections.push_back(section(s));
        emit({ { "sections", sections }, { "total", section(ev.total) }, { "skipped", ev.skipped },
            { "malformed_lines", ev.malformed } });
        return 0;
    });
}

void addPca(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("pca", "principal components of the vectors");
    struct Options
    {
        SourceOptions source;
        int components = 2;
        std::size_t top = 0;
        std::string out;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    addInteger(*cmd, "--components", o->components, 1, 1000, "how many components K");
    addInteger(*cmd, "--top", o->top, 0, 1LL << 40, "only the N most frequent words (0: all)");
    cmd->add_option("--out", o->out, "write the coordinates as TSV instead of JSON")
        ->type_name("coords.tsv");
    commands.emplace_back(cmd, [cmd, o] {
        const int k = o->components;
        const WordVectors table = loadTable(*cmd, o->source);
        if (k > table.dim())
            throw UsageError("--components " + std::to_string(k) + " is more than the "
                + std::to_string(table.dim()) + " dimensions of the vectors");
        const PcaResult r = pca(table, k, o->top);
        Json ratios = Json::array();
        for (Eigen::Index i = 0; i < r.explainedVarianceRatio.size(); ++i)
            ratios.push_back(static_cast<double>(r.explainedVarianceRatio(i)));
        Json out = { { "rows", static_cast<std::uint64_t>(r.coords.rows()) }, { "components", k },
            { "explained_variance_ratio", ratios } };
        if (cmd->count("--out")) {
            // word \t pc1 \t pc2 ... with a header, like the Projector's metadata.
            writeFileAtomically(o->out, [&](std::FILE *f) {
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
            out["out"] = o->out;
        } else {
            Json coords = Json::array();
            for (Eigen::Index i = 0; i < r.coords.rows(); ++i) {
                Json row = Json::array();
                for (int c = 0; c < k; ++c)
                    row.push_back(static_cast<double>(r.coords(i, c)));
                coords.push_back(
                    { { "word", table.word(static_cast<std::size_t>(i)) }, { "coords", row } });
            }
            out["coords"] = coords;
        }
        emit(out);
        return 0;
    });
}

// The ids of projectionMethods(), "pca|tsne|...".
std::string projectionChoices()
{
    std::string names;
    for (const ProjectionMethod &m : projectionMethods())
        names += (names.empty() ? "" : "|") + m.id;
    return names;
}

void addProject(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand(
        "project", "place the words on a 2D or 3D map (the methods of the window's map)");
    struct Options
    {
        SourceOptions source;
        std::string method = "pca", out;
        int dims = 2, iterations = 0;
        std::size_t top = 0;
        std::uint64_t seed = 0;
        double perplexity = 30;
        std::vector<std::string> axes;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    cmd->add_option("--method", o->method, "the projection")->type_name(projectionChoices());
    addInteger(*cmd, "--dims", o->dims, 2, 3, "2 or 3 coordinates per word");
    addInteger(*cmd, "--top", o->top, 0, 1LL << 40, "only the N most frequent words (0: all)");
    cmd->add_option("--out", o->out, "write the coordinates there instead of to stdout")
        ->type_name("coords.tsv");
    addInteger(*cmd, "--seed", o->seed, 0, std::numeric_limits<std::int64_t>::max(),
        "for methods that draw random numbers");
    addNumber(*cmd, "--perplexity", o->perplexity, "tsne: effective number of neighbours");
    addInteger(*cmd, "--iterations", o->iterations, 0, 1 << 24,
        "iterative methods: how many (0: the method's default, 1000 for tsne)");
    cmd->add_option("--axis", o->axes,
           "custom: an axis as words joined by + and -, once per axis (\"man - woman\")")
        ->type_name("WORDS");
    commands.emplace_back(cmd, [cmd, o] {
        const ProjectionMethod &method = projectionMethod(o->method);
        if (method.id == "custom") {
            if (o->axes.size() < 2 || o->axes.size() > 3)
                throw UsageError("--method custom needs --axis twice (or three times for 3D), "
                                 "e.g. --axis \"man - woman\" --axis \"king - queen\"");
            if (cmd->count("--dims") && o->dims != static_cast<int>(o->axes.size()))
                throw UsageError("--dims " + std::to_string(o->dims) + " with "
                    + std::to_string(o->axes.size()) + " axes");
            o->dims = static_cast<int>(o->axes.size());
        } else if (!o->axes.empty()) {
            throw UsageError("--axis is for --method custom");
        }
        if (cmd->count("--perplexity") && method.id != "tsne")
            throw UsageError("--perplexity is for --method tsne");
        if (cmd->count("--iterations") && !method.iterative)
            throw UsageError("--iterations is for iterative methods, not " + method.id);
        if (!(o->perplexity > 0))
            throw UsageError("--perplexity must be positive");
        setThreadCount(o->source.threads);
        const WordVectors table = loadTable(*cmd, o->source);
        ProjectionRequest request;
        request.components = o->dims;
        request.rows = o->top;
        request.seed = o->seed;
        request.iterations = o->iterations;
        request.axes = o->axes;
        if (cmd->count("--perplexity"))
            request.perplexity = o->perplexity;
        const Projection p = method.project(table, request);
        // word \t x \t y [\t z], no header.
        auto write = [&](std::FILE *f) {
            for (Eigen::Index i = 0; i < p.coords.rows(); ++i) {
                std::fputs(table.word(static_cast<std::size_t>(i)).c_str(), f);
                for (Eigen::Index c = 0; c < p.coords.cols(); ++c)
                    std::fprintf(f, "\t%.9g", static_cast<double>(p.coords(i, c)));
                std::fputc('\n', f);
            }
        };
        if (cmd->count("--out")) {
            writeFileAtomically(o->out, write);
        } else {
            write(stdout);
            std::fflush(stdout);
        }
        return 0;
    });
}

void addConvert(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("convert", "write the vectors in another format");
    struct Options
    {
        SourceOptions source;
        std::string to, out, metadata;
    };
    auto o = std::make_shared<Options>();
    addSourceOptions(*cmd, o->source);
    addChoice(
        *cmd, "--to", o->to, vectorFormatChoices(true),
        [](const std::string &s) {
            VectorFormat format = VectorFormat::Auto;
            return parseVectorFormat(s, format) && findVectorFormat(format)
                && findVectorFormat(format)->write;
        },
        "the format to write")
        ->required();
    cmd->add_option("--out", o->out, "the file to write")->required()->type_name("PATH");
    cmd->add_option("--metadata", o->metadata,
           "projector: where to write the words (default: NAME_metadata.tsv beside OUT)")
        ->type_name("PATH");
    commands.emplace_back(cmd, [cmd, o] {
        WriteFormat format = VectorFormat::Auto;
        parseVectorFormat(o->to, format);
        ImportReport report;
        const WordVectors table = loadTable(*cmd, o->source, &report);
        writeVectors(o->out, table, format, o->metadata);
        emit({ { "rows", static_cast<std::uint64_t>(table.size()) }, { "dim", table.dim() },
            { "out", o->out }, { "format", o->to }, { "problems", report.problemCount() } });
        return 0;
    });
}

} // namespace

void addVectorCommands(CLI::App &cli, Commands &commands)
{
    addInspect(cli, commands);
    addNeighbors(cli, commands);
    addAnalogy(cli, commands);
    addSimilarity(cli, commands);
    addDoesntMatch(cli, commands);
    addEvaluate(cli, commands);
    addPca(cli, commands);
    addProject(cli, commands);
    addConvert(cli, commands);
}

} // namespace embedlab::cli
