// embedlab-cli: the engine without a window. Output is JSON on stdout, errors on stderr.
#include "app/cli.h"
#include "app/cli_common.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/generate.h"
#include "core/json.h"
#include "core/model.h"
#include "core/parallel.h"
#include "core/pretrained.h"
#include "core/trainer.h"
#include "core/vectors_io.h"

namespace embedlab {

using namespace cli;

namespace {

std::atomic<bool> g_interrupted { false };

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

const char *kUsage = R"(usage: embedlab-cli COMMAND [options]

commands:
  train     --corpus FILE --out MODEL.safetensors [--valid FILE | --valid-fraction F]
            [--tokenizer word|char] [--lowercase] [--min-count N] [--max-vocab N]
            [--embedding-dim E] [--hidden H] [--layers L] [--dropout P] [--tied]
            [--batch B] [--bptt T] [--epochs N] [--max-steps N] [--optimizer sgd|adam]
            [--lr X] [--clip C] [--seed S] [--threads N] [--freeze-embedding]
            [--log-interval N] [--autosave-minutes M]  (write MODEL every M minutes too)
            [--vectors FILE [--vectors-format F] [--uncovered random|zeros|mean]
             [--adopt-dimension]]      (initialise the embedding from pre-trained vectors)
  eval      --model MODEL --corpus FILE
  generate  --model MODEL [--prompt TEXT] [--tokens N] [--temperature X] [--seed S]
  inspect   --vectors FILE [--format F] [--limit N] [--corpus FILE [text options]]
  neighbors --vectors FILE|--model MODEL --word W [--k 10] [--metric cosine|euclidean]
            [--restrict N]
  analogy   --vectors FILE|--model MODEL --a A --b B --c C [--k 10] [--method add|mul]
            (b - a + c: man : king :: woman : queen)
  evaluate  --vectors FILE|--model MODEL --analogies FILE [--method add|mul] [--restrict N]
  pca       --vectors FILE|--model MODEL [--components K] [--top N] [--out coords.tsv]
  convert   --vectors FILE --to glove|word2vec|word2vec-bin|projector --out PATH
            [--metadata PATH]
  formats: glove, word2vec, word2vec-bin, fasttext, projector, checkpoint (gzip is detected)
  encode    --corpus FILE --out-dir DIR [tokenizer and vocabulary options of train]
            (writes train.txt, valid.txt and vocab.txt: the ids the model trains on)
  encode    --model MODEL --corpus FILE --out-dir DIR
            (the whole file in the model's vocabulary, as train.txt)

Run 'embedlab-cli COMMAND --help' for the defaults.
)";

const std::set<std::string> kTextOptions
    = { "corpus", "valid", "valid-fraction", "tokenizer", "min-count", "max-vocab" };

CorpusOptions corpusOptions(const Args &a)
{
    CorpusOptions o;
    if (a.has("tokenizer") && !parseTokenizerMode(a.str("tokenizer"), o.tokenizer.mode))
        throw UsageError("--tokenizer: expected word or char, got '" + a.str("tokenizer") + "'");
    o.tokenizer.lowercase = a.has("lowercase");
    o.minCount = static_cast<std::uint64_t>(a.integer("min-count", 1, 1, 1LL << 40));
    o.maxVocab = static_cast<std::size_t>(a.integer("max-vocab", 0, 0, 1LL << 30));
    if (o.maxVocab != 0 && o.maxVocab < 4)
        throw UsageError("--max-vocab: must be at least 4 (3 special tokens and one word)");
    o.validFraction = a.number("valid-fraction", 0.1);
    if (o.validFraction < 0 || o.validFraction >= 1)
        throw UsageError("--valid-fraction: must be in [0, 1)");
    if (a.has("valid") && a.has("valid-fraction"))
        throw UsageError("train: use either --valid or --valid-fraction, not both");
    o.validPath = a.str("valid");
    return o;
}

Corpus readCorpus(const Args &a, const std::string &command)
{
    const std::string path = a.required("corpus", command);
    return loadCorpus(path, corpusOptions(a));
}

int cmdTrain(const std::vector<std::string> &argv)
{
    std::set<std::string> valued = kTextOptions;
    valued.insert({ "out", "embedding-dim", "hidden", "layers", "dropout", "batch", "bptt",
        "epochs", "max-steps", "optimizer", "lr", "clip", "seed", "threads", "log-interval",
        "vectors", "vectors-format", "uncovered", "autosave-minutes" });
    const Args a(
        argv, valued, { "lowercase", "tied", "freeze-embedding", "adopt-dimension" }, "train");
    const std::string out = a.required("out", "train");

    ModelConfig mc;
    mc.embeddingDim = static_cast<int>(a.integer("embedding-dim", 200, 1, 65536));
    mc.hiddenSize = static_cast<int>(a.integer("hidden", 200, 1, 65536));
    mc.layers = static_cast<int>(a.integer("layers", 2, 1, 16));
    mc.dropout = a.number("dropout", 0.2);
    mc.tied = a.has("tied");
    TrainConfig tc;
    tc.batch = static_cast<int>(a.integer("batch", 20, 1, 100000));
    tc.bptt = static_cast<int>(a.integer("bptt", 35, 1, 100000));
    tc.epochs = static_cast<int>(a.integer("epochs", 1, 1, 1000000));
    tc.maxSteps = a.integer("max-steps", 0, 0, 1LL << 50);
    if (a.has("optimizer") && !parseOptimizer(a.str("optimizer"), tc.optimizer))
        throw UsageError("--optimizer: expected sgd or adam, got '" + a.str("optimizer") + "'");
    tc.lr = a.number("lr", tc.optimizer == OptimizerKind::Adam ? 0.001 : 20.0);
    tc.clip = a.number("clip", 0.25);
    tc.seed = static_cast<std::uint64_t>(a.integer("seed", 1, 0, 1LL << 62));
    tc.threads = static_cast<int>(a.integer("threads", 0, 0, 1024));
    tc.freezeEmbedding = a.has("freeze-embedding");
    tc.validate();
    const long long logInterval = a.integer("log-interval", 50, 1, 1LL << 40);

    UncoveredInit uncovered = UncoveredInit::Random;
    if (a.has("uncovered") && !parseUncoveredInit(a.str("uncovered"), uncovered))
        throw UsageError(
            "--uncovered: expected random, zeros or mean, got '" + a.str("uncovered") + "'");
    ImportOptions vectorOptions;
    if (a.has("vectors-format")
        && !parseVectorFormat(a.str("vectors-format"), vectorOptions.format))
        throw UsageError("--vectors-format: unknown format '" + a.str("vectors-format") + "'");
    if (!a.has("vectors")
        && (a.has("uncovered") || a.has("adopt-dimension") || a.has("vectors-format")))
        throw UsageError(
            "train: --uncovered, --adopt-dimension and --vectors-format need --vectors");

    const auto t0 = std::chrono::steady_clock::now();
    Corpus corpus = readCorpus(a, "train");
    // Both would train without error and teach nothing; say which file is at fault.
    if (corpus.vocab.size() <= Vocabulary::SpecialCount)
        throw Error(fileMessage(corpus.path,
            "no word occurs at least " + a.str("min-count", "1")
                + " times (--min-count), so the vocabulary would hold "
                  "only <pad>, <unk> and <eos>"));
    if (corpus.train.size() < 2 * static_cast<std::size_t>(tc.batch))
        throw Error(fileMessage(corpus.path,
            "training text too short: " + std::to_string(corpus.train.size())
                + " tokens for batch size " + std::to_string(tc.batch) + " (need at least "
                + std::to_string(2 * tc.batch) + ")"));
    WordVectors vectors;
    ImportReport vectorReport;
    if (a.has("vectors")) {
        vectors = readVectors(a.str("vectors"), vectorOptions, &vectorReport);
        if (a.has("adopt-dimension") && vectors.dim() != mc.embeddingDim) {
            mc.embeddingDim = vectors.dim();
            if (mc.tied)
                mc.hiddenSize = vectors.dim();
        }
    }
    mc.vocabSize = corpus.vocab.size();
    mc.validate();
    LanguageModel<float> model(mc);
    model.initRandom(tc.seed);
    if (a.has("vectors")) {
        const Coverage c = initEmbedding(model, corpus.vocab, vectors, uncovered, tc.seed);
        Json j = Json::object();
        j.set("event", "vectors")
            .set("vectors", a.str("vectors"))
            .set("rows", static_cast<std::uint64_t>(vectors.size()))
            .set("dim", vectors.dim())
            .set("covered_words", c.coveredWords)
            .set("vocab_words", c.words)
            .set("token_share", c.tokenShare())
            .set("uncovered", uncoveredInitName(uncovered))
            .set("frozen", tc.freezeEmbedding);
        emit(j);
    }
    Trainer<float> trainer(model, tc);

    std::size_t params = 0;
    for (auto &p : model.parameters())
        params += static_cast<std::size_t>(p.value->size());
    Json start = Json::object();
    start.set("event", "start")
        .set("corpus", corpus.path)
        .set("vocab_size", corpus.vocab.size())
        .set("train_tokens", static_cast<std::uint64_t>(corpus.train.size()))
        .set("valid_tokens", static_cast<std::uint64_t>(corpus.valid.size()))
        .set("train_unk", corpus.trainUnk)
        .set("invalid_utf8", corpus.stats.invalidUtf8)
        .set("parameters", static_cast<std::uint64_t>(params))
        .set("threads", threadCount() > 0 ? threadCount() : 1);
    emit(start);

    // Autosave: the model so far goes to --out (atomically) every M minutes, so a crash, a
    // power cut or a kill loses at most M minutes.
    const double autosaveSeconds = 60.0 * a.number("autosave-minutes", 0);
    if (!(autosaveSeconds >= 0))
        throw UsageError("--autosave-minutes: must be a number >= 0");
    auto lastAutosave = std::chrono::steady_clock::now();

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const TrainResult r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (g_interrupted.load())
            trainer.requestStop();
        Json j = Json::object();
        if (e.kind == TrainEvent::Kind::Window && autosaveSeconds > 0
            && std::chrono::steady_clock::now() - lastAutosave
                >= std::chrono::duration<double>(autosaveSeconds)) {
            lastAutosave = std::chrono::steady_clock::now();
            Json saved = Json::object();
            saved.set("event", "autosave").set("step", e.step).set("model", out);
            try {
                saveCheckpoint(out, model, corpus.vocab, corpusOptions(a).tokenizer,
                    { { "embedlab.autosave_step", std::to_string(e.step) } });
            } catch (const Error &err) {
                // Training goes on; the previous file is intact.
                saved.set("event", "autosave_failed").set("error", std::string(err.what()));
            }
            emit(saved);
        }
        if (e.kind == TrainEvent::Kind::Window) {
            if (e.step % logInterval != 0 && e.window != e.windowsPerEpoch)
                return;
            j.set("event", "progress")
                .set("epoch", e.epoch)
                .set("step", e.step)
                .set("window", e.window)
                .set("windows", e.windowsPerEpoch)
                .set("loss", e.loss)
                .set("perplexity", std::exp(e.loss))
                .set("grad_norm", e.gradNorm)
                .set("lr", e.lr)
                .set("tokens_per_sec", e.tokensPerSec);
        } else {
            j.set("event", "epoch")
                .set("epoch", e.epoch)
                .set("step", e.step)
                .set("train_loss", finiteOrNull(e.trainLoss))
                .set("valid_loss", finiteOrNull(e.validLoss))
                .set("valid_perplexity", finiteOrNull(e.validPerplexity))
                .set("lr", e.lr)
                .set("lr_cut", e.lrCut)
                .set("tokens_per_sec", e.tokensPerSec)
                .set("seconds", e.seconds);
        }
        emit(j);
    });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    std::map<std::string, std::string> extra;
    Json training = Json::object();
    training.set("corpus", corpus.path)
        .set("steps", r.steps)
        .set("epochs_completed", r.epochsCompleted)
        .set("optimizer", optimizerName(tc.optimizer))
        .set("lr", r.finalLr)
        .set("batch", tc.batch)
        .set("bptt", tc.bptt)
        .set("valid_loss", finiteOrNull(r.validLoss))
        .set("frozen_embedding", tc.freezeEmbedding);
    extra["embedlab.training"] = training.dump();
    // A diverged run saves the weights it was put back to, even the initial ones.
    const bool writeModel = r.steps > 0 || r.diverged;
    if (writeModel)
        saveCheckpoint(out, model, corpus.vocab, corpusOptions(a).tokenizer, extra);

    Json done = Json::object();
    done.set("event", "done")
        .set("train_loss", finiteOrNull(r.trainLoss))
        .set("valid_loss", finiteOrNull(r.validLoss))
        .set("valid_perplexity", finiteOrNull(r.validPerplexity))
        .set("tokens_per_sec", r.tokensPerSec)
        .set(
            "seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count())
        .set("train_seconds", r.seconds)
        .set("steps", r.steps)
        .set("epochs_completed", r.epochsCompleted)
        .set("stopped", r.stopped)
        .set("diverged", r.diverged)
        .set("model", writeModel ? Json(out) : Json(nullptr));
    emit(done);
    if (r.diverged) {
        std::cerr << "embedlab-cli train: " << r.message << " The last good weights were saved to "
                  << out << "." << '\n';
        return 3;
    }
    return 0;
}

int cmdEval(const std::vector<std::string> &argv)
{
    const Args a(argv, { "model", "corpus", "threads" }, {}, "eval");
    const std::string modelPath = a.required("model", "eval");
    const std::string corpusPath = a.required("corpus", "eval");
    setThreadCount(static_cast<int>(a.integer("threads", 0, 0, 1024)));
    auto ck = loadCheckpoint<float>(modelPath);
    std::uint64_t unk = 0;
    const auto ids = encodeFile(corpusPath, ck.vocab, ck.tokenizer, &unk);
    std::uint64_t predicted = 0;
    const double loss = evaluateLoss(*ck.model, ids, 1, 256, &predicted);
    if (predicted == 0)
        throw Error(fileMessage(corpusPath, "needs at least two tokens to evaluate"));
    Json j = Json::object();
    j.set("loss", loss).set("perplexity", std::exp(loss)).set("tokens", predicted).set("unk", unk);
    emit(j);
    return 0;
}

int cmdGenerate(const std::vector<std::string> &argv)
{
    const Args a(
        argv, { "model", "prompt", "tokens", "temperature", "seed", "threads" }, {}, "generate");
    const std::string modelPath = a.required("model", "generate");
    const long long count = a.integer("tokens", 50, 0, 1000000);
    const double temperature = a.number("temperature", 1.0);
    if (temperature < 0)
        throw UsageError("--temperature: must not be negative (0 picks the likeliest token)");
    setThreadCount(static_cast<int>(a.integer("threads", 1, 0, 1024)));
    auto ck = loadCheckpoint<float>(modelPath);
    GenerateOptions options;
    options.tokens = static_cast<int>(count);
    options.temperature = temperature;
    options.seed = static_cast<std::uint64_t>(a.integer("seed", 1, 0, 1LL << 62));
    const std::string text
        = generateText(*ck.model, ck.vocab, ck.tokenizer, a.str("prompt"), options);
    std::cout << text << (text.empty() || text.back() != '\n' ? "\n" : "") << std::flush;
    return 0;
}

void writeIds(const std::string &path, const std::vector<std::int32_t> &ids)
{
    writeFileAtomically(path, [&ids](std::FILE *f) {
        for (std::size_t i = 0; i < ids.size(); ++i)
            std::fprintf(f, "%d%c", ids[i], (i + 1) % 64 == 0 ? '\n' : ' ');
        std::fputc('\n', f);
    });
}

int cmdEncode(const std::vector<std::string> &argv)
{
    std::set<std::string> valued = kTextOptions;
    valued.insert({ "out-dir", "model" });
    const Args a(argv, valued, { "lowercase" }, "encode");
    const std::string dir = a.required("out-dir", "encode");
    Corpus corpus;
    if (a.has("model")) {
        // The whole file with the model's own vocabulary and tokenizer (train.txt only).
        auto ck = loadCheckpoint<float>(a.str("model"));
        corpus.path = a.required("corpus", "encode");
        corpus.train = encodeFile(corpus.path, ck.vocab, ck.tokenizer, &corpus.trainUnk);
        corpus.vocab = ck.vocab;
    } else {
        corpus = readCorpus(a, "encode");
    }
    makeDirectories(dir);
    writeIds(dir + "/train.txt", corpus.train);
    writeIds(dir + "/valid.txt", corpus.valid);
    std::string words;
    for (const auto &w : corpus.vocab.words())
        words += w + '\n';
    writeFileAtomically(dir + "/vocab.txt", words);
    Json j = Json::object();
    j.set("vocab_size", corpus.vocab.size())
        .set("train_tokens", static_cast<std::uint64_t>(corpus.train.size()))
        .set("valid_tokens", static_cast<std::uint64_t>(corpus.valid.size()));
    emit(j);
    return 0;
}

} // namespace

int runCli(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        (args.empty() ? std::cerr : std::cout) << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "embedlab-cli " << EMBEDLAB_VERSION << '\n';
        return 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    for (const auto &a : args)
        if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        }
    try {
        if (command == "train")
            return cmdTrain(args);
        if (command == "eval")
            return cmdEval(args);
        if (command == "generate")
            return cmdGenerate(args);
        if (command == "encode")
            return cmdEncode(args);
        if (command == "inspect")
            return cmdInspect(args);
        if (command == "neighbors")
            return cmdNeighbors(args);
        if (command == "analogy")
            return cmdAnalogy(args);
        if (command == "evaluate")
            return cmdEvaluate(args);
        if (command == "pca")
            return cmdPca(args);
        if (command == "convert")
            return cmdConvert(args);
        throw UsageError("unknown command '" + command + "'");
    } catch (const UsageError &e) {
        std::cerr << "embedlab-cli: " << e.what() << "\n\n" << kUsage;
        return 2;
    } catch (const std::bad_alloc &) {
        std::cerr << "embedlab-cli " << command << ": out of memory\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "embedlab-cli " << command << ": " << e.what() << '\n';
        return 1;
    }
}

} // namespace embedlab
