// embedlab-cli: the engine without a window. Output is JSON on stdout, errors on stderr.
#include "app/cli.h"
#include "app/cli_classify.h"
#include "app/cli_common.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/checkpoint.h"
#include "core/classifier.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/generate.h"
#include "core/model.h"
#include "core/padding.h"
#include "core/parallel.h"
#include "core/pretrained.h"
#include "core/runhistory.h"
#include "core/runlog.h"
#include "core/trainer.h"
#include "core/trainstate.h"
#include "core/vectors/vectors.h"

namespace embedlab {

using namespace cli;

namespace {

std::atomic<bool> g_interrupted { false };

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

std::string footer()
{
    std::string formats;
    for (const VectorFormatInfo &f : vectorFormats())
        formats += (formats.empty() ? "" : ", ") + std::string(f.name);
    return "\nformats: " + formats + " (gzip is detected)\n"
        + "Run 'embedlab-cli COMMAND --help' for the options of a command and their defaults.\n";
}

// The tokenizer and vocabulary options of train and encode.
struct TextOptions
{
    std::string corpus, valid;
    std::string tokenizer = "word";
    bool lowercase = false;
    std::string cjk = "words", normalize = "none";
    std::uint64_t minCount = 1;
    std::size_t maxVocab = 0;
    double validFraction = 0.1;
};

void addTextOptions(CLI::App &cmd, TextOptions &o)
{
    cmd.add_option("--corpus", o.corpus, "the text, UTF-8")->required()->type_name("FILE");
    cmd.add_option("--valid", o.valid, "validation text (instead of --valid-fraction)")
        ->type_name("FILE");
    addNumber(cmd, "--valid-fraction", o.validFraction,
        "the share of the corpus held out for validation, in [0, 1)");
    addChoice(
        cmd, "--tokenizer", o.tokenizer, "word|char",
        [](const std::string &s) {
            TokenizerMode mode;
            return parseTokenizerMode(s, mode);
        },
        "split the text into words or into characters");
    cmd.add_flag("--lowercase", o.lowercase,
        "case-fold the text first (Unicode full folding: Straße and STRASSE give strasse)");
    addCjkOptions(cmd, o.cjk, o.normalize);
    addInteger(cmd, "--min-count", o.minCount, 1, 1LL << 40, "words seen fewer times become <unk>");
    addInteger(
        cmd, "--max-vocab", o.maxVocab, 0, 1LL << 30, "keep the N most frequent words (0: all)");
}

CorpusOptions corpusOptions(const CLI::App &cmd, const TextOptions &t)
{
    CorpusOptions o;
    parseTokenizerMode(t.tokenizer, o.tokenizer.mode);
    o.tokenizer.lowercase = t.lowercase;
    parseCjkSegmentation(t.cjk, o.tokenizer.cjk);
    parseNormalization(t.normalize, o.tokenizer.normalize);
    o.minCount = t.minCount;
    o.maxVocab = t.maxVocab;
    if (o.maxVocab != 0 && o.maxVocab < 4)
        throw UsageError("--max-vocab: must be at least 4 (3 special tokens and one word)");
    o.validFraction = t.validFraction;
    if (o.validFraction < 0 || o.validFraction >= 1)
        throw UsageError("--valid-fraction: must be in [0, 1)");
    if (cmd.count("--valid") && cmd.count("--valid-fraction"))
        throw UsageError("use either --valid or --valid-fraction, not both");
    o.validPath = t.valid;
    return o;
}

struct TrainOptions
{
    TextOptions text;
    std::string out;
    std::string cell = "lstm";
    int embeddingDim = 200, hidden = 200, layers = 2;
    double dropout = 0.2;
    bool tied = false;
    int batch = 20, bptt = 35, epochs = 1;
    std::int64_t maxSteps = 0;
    std::string optimizer = "sgd";
    double lr = 20.0; // SGD's; Adam's unless given
    double clip = 0.25;
    std::uint64_t seed = 1;
    int threads = 0;
    bool freezeEmbedding = false;
    long long logInterval = 50;
    std::string vectors, vectorsFormat = "auto", uncovered = "random";
    bool adoptDimension = false;
    double autosaveMinutes = 0;
    std::string runDir;
    std::int64_t snapshotEvery = DefaultSnapshotEvery;
    // --task classify
    std::string task = "lm";
    int maxLength = 0;
    std::string padding = "pre", truncating = "pre", pooling = "last";
    std::string format = "auto", labelColumn = "label", textColumn = "text";
};

// train --task classify: the shared options, with the classifier's defaults where not given.
int runTrainClassifyFrom(const CLI::App &cmd, const TrainOptions &o)
{
    const auto given = [&cmd](const char *name) { return cmd.count(name) > 0; };
    for (const char *option : { "--run-dir", "--snapshot-every", "--tied", "--dropout", "--bptt",
             "--max-steps", "--autosave-minutes" })
        if (given(option))
            throw UsageError(std::string(option) + " is for language models, not --task classify");
    if (given("--valid") && given("--valid-fraction"))
        throw UsageError("use either --valid or --valid-fraction, not both");
    if (!given("--vectors")
        && (given("--uncovered") || given("--adopt-dimension") || given("--vectors-format")))
        throw UsageError("--uncovered, --adopt-dimension and --vectors-format need --vectors");
    ClassifyTrainArgs a;
    a.vectors = o.vectors;
    a.vectorsFormat = o.vectorsFormat;
    a.uncovered = o.uncovered;
    a.adoptDimension = o.adoptDimension;
    a.freezeEmbedding = o.freezeEmbedding;
    a.corpus = o.text.corpus;
    a.valid = o.text.valid;
    a.tokenizer = o.text.tokenizer;
    a.lowercase = o.text.lowercase;
    a.cjk = o.text.cjk;
    a.normalize = o.text.normalize;
    a.minCount = o.text.minCount;
    a.maxVocab = o.text.maxVocab;
    a.validFraction = o.text.validFraction;
    a.out = o.out;
    a.cell = o.cell;
    a.pooling = o.pooling;
    a.maxLength = o.maxLength;
    a.padding = o.padding;
    a.truncating = o.truncating;
    a.format = o.format;
    a.labelColumn = o.labelColumn;
    a.textColumn = o.textColumn;
    if (given("--label-column") || given("--text-column"))
        if (!given("--format"))
            a.format = "csv";
    if (given("--embedding-dim"))
        a.embeddingDim = o.embeddingDim;
    if (given("--hidden"))
        a.hidden = o.hidden;
    if (given("--layers"))
        a.layers = o.layers;
    if (given("--batch"))
        a.batch = o.batch;
    if (given("--epochs"))
        a.epochs = o.epochs;
    if (given("--optimizer"))
        a.optimizer = o.optimizer;
    if (given("--lr"))
        a.lr = o.lr;
    else if (a.optimizer == "sgd")
        a.lr = 0.1;
    if (given("--clip"))
        a.clip = o.clip;
    a.seed = o.seed;
    a.threads = o.threads;
    a.logInterval = o.logInterval;
    return runTrainClassify(a);
}

constexpr double AdamLr = 0.001;

int runTrain(const CLI::App &cmd, const TrainOptions &o)
{
    const auto given = [&cmd](const char *name) { return cmd.count(name) > 0; };
    if (o.task == "classify")
        return runTrainClassifyFrom(cmd, o);
    for (const char *option : { "--max-length", "--padding", "--truncating", "--pooling",
             "--format", "--label-column", "--text-column" })
        if (given(option))
            throw UsageError(std::string(option) + " needs --task classify");
    const std::string &out = o.out;
    const bool recording = given("--run-dir");
    if (!given("--out") && !recording)
        throw UsageError("--out: where to write the model is required (or --run-dir, whose "
                         "checkpoint.safetensors then holds it)");
    if (given("--snapshot-every") && !recording)
        throw UsageError("--snapshot-every needs --run-dir");
    ModelConfig mc;
    parseCell(o.cell, mc.cell);
    mc.embeddingDim = o.embeddingDim;
    mc.hiddenSize = o.hidden;
    mc.layers = o.layers;
    mc.dropout = o.dropout;
    mc.tied = o.tied;
    TrainConfig tc;
    tc.batch = o.batch;
    tc.bptt = o.bptt;
    tc.epochs = o.epochs;
    tc.maxSteps = o.maxSteps;
    parseOptimizer(o.optimizer, tc.optimizer);
    tc.lr = given("--lr") || tc.optimizer != OptimizerKind::Adam ? o.lr : AdamLr;
    tc.clip = o.clip;
    tc.seed = o.seed;
    tc.threads = o.threads;
    tc.freezeEmbedding = o.freezeEmbedding;
    tc.validate();
    const long long logInterval = o.logInterval;

    UncoveredInit uncovered = UncoveredInit::Random;
    parseUncoveredInit(o.uncovered, uncovered);
    ImportOptions vectorOptions;
    parseVectorFormat(o.vectorsFormat, vectorOptions.format);
    const bool withVectors = given("--vectors");
    if (!withVectors
        && (given("--uncovered") || given("--adopt-dimension") || given("--vectors-format")))
        throw UsageError("--uncovered, --adopt-dimension and --vectors-format need --vectors");

    const CorpusOptions textOptions = corpusOptions(cmd, o.text);
    const auto t0 = std::chrono::steady_clock::now();
    Corpus corpus = loadCorpus(o.text.corpus, textOptions);
    // Both would train without error and teach nothing; say which file is at fault.
    if (corpus.vocab.size() <= Vocabulary::SpecialCount)
        throw Error(fileMessage(corpus.path,
            "no word occurs at least " + std::to_string(o.text.minCount)
                + " times (--min-count), so the vocabulary would hold "
                  "only <pad>, <unk> and <eos>"));
    if (corpus.train.size() < 2 * static_cast<std::size_t>(tc.batch))
        throw Error(fileMessage(corpus.path,
            "training text too short: " + std::to_string(corpus.train.size())
                + " tokens for batch size " + std::to_string(tc.batch) + " (need at least "
                + std::to_string(2 * tc.batch) + ")"));
    WordVectors vectors;
    ImportReport vectorReport;
    if (withVectors) {
        vectors = readVectors(o.vectors, vectorOptions, &vectorReport);
        if (o.adoptDimension && vectors.dim() != mc.embeddingDim) {
            mc.embeddingDim = vectors.dim();
            if (mc.tied)
                mc.hiddenSize = vectors.dim();
        }
    }
    mc.vocabSize = corpus.vocab.size();
    mc.validate();
    // A run folder that holds a run: it goes on from its checkpoint, exactly.
    const bool continuing = recording && isRunFolder(o.runDir);
    std::unique_ptr<LoadedCheckpoint<float>> previous;
    std::unique_ptr<TrainState<float>> previousState;
    if (continuing) {
        if (withVectors)
            throw UsageError("--vectors: " + o.runDir
                + " holds a run already, which goes on from its own weights");
        const std::string ckPath = o.runDir + "/" + RunCheckpointFile;
        previous = std::make_unique<LoadedCheckpoint<float>>(loadCheckpoint<float>(ckPath));
        if (previous->vocab.words() != corpus.vocab.words())
            throw Error(fileMessage(corpus.path,
                "gives another vocabulary than the run in " + o.runDir
                    + " was trained with (another text, or other --min-count, --max-vocab, "
                      "--lowercase, --cjk or --normalize settings)"));
        auto loaded = loadTrainState(ckPath, previous->metadata, *previous->model);
        if (!loaded.notice.empty())
            std::cerr << "embedlab-cli train: " << loaded.notice << '\n';
        previousState = std::move(loaded.state);
        // The architecture is the run's; asking for another one means a new run.
        const ModelConfig &was = previous->model->config();
        if (given("--cell") && mc.cell != was.cell)
            throw Error(fileMessage(o.runDir,
                std::string("holds another run, whose model has --cell ") + cellName(was.cell)
                    + "; choose an empty folder for a new run"));
        for (const auto &[option, asked, has] :
            { std::tuple { "--embedding-dim", mc.embeddingDim, was.embeddingDim },
                std::tuple { "--hidden", mc.hiddenSize, was.hiddenSize },
                std::tuple { "--layers", mc.layers, was.layers } })
            if (given(option) && asked != has)
                throw Error(fileMessage(o.runDir,
                    std::string("holds another run, whose model has ") + option + " "
                        + std::to_string(has) + "; choose an empty folder for a new run"));
        mc = was;
    }
    LanguageModel<float> model
        = continuing ? std::move(*previous->model) : LanguageModel<float>(mc);
    if (!continuing)
        model.initRandom(tc.seed);
    if (withVectors) {
        emitVectorsEvent(o.vectors, vectors,
            initEmbedding(model, corpus.vocab, vectors, uncovered, tc.seed), uncovered,
            tc.freezeEmbedding);
    }
    Trainer<float> trainer(model, tc);
    if (previousState)
        trainer.resumeFrom(std::move(*previousState));

    std::unique_ptr<RunRecorder> recorder;
    if (recording) {
        RunSettings run;
        run.model = mc;
        run.train = tc;
        run.tokenizer = textOptions.tokenizer;
        run.corpus.path = corpus.path;
        run.corpus.name = corpus.path;
        run.corpus.bytes = corpus.stats.bytes;
        run.corpus.fingerprint = corpus.fingerprint;
        run.corpus.trainTokens = corpus.train.size();
        run.corpus.validTokens = corpus.valid.size();
        run.init = withVectors ? "vectors" : "random";
        run.vectors = withVectors ? o.vectors : std::string();
        run.snapshotEvery = o.snapshotEvery;
        recorder = std::make_unique<RunRecorder>(o.runDir, run, corpus.vocab);
        if (!recorder->continued())
            recorder->recordSnapshot(0, model); // the initialisation
    }

    std::size_t params = 0;
    for (auto &p : model.parameters())
        params += static_cast<std::size_t>(p.value->size());
    Json start = Json::object();
    start["event"] = "start";
    start["corpus"] = corpus.path;
    start["cell"] = cellName(model.config().cell);
    start["vocab_size"] = corpus.vocab.size();
    start["train_tokens"] = static_cast<std::uint64_t>(corpus.train.size());
    start["valid_tokens"] = static_cast<std::uint64_t>(corpus.valid.size());
    start["train_unk"] = corpus.trainUnk;
    start["invalid_utf8"] = corpus.stats.invalidUtf8;
    start["parameters"] = static_cast<std::uint64_t>(params);
    start["threads"] = threadCount() > 0 ? threadCount() : 1;
    emit(start);

    // Autosave: the model so far goes to --out (atomically) every M minutes, so a crash, a
    // power cut or a kill loses at most M minutes.
    const double autosaveSeconds = 60.0 * o.autosaveMinutes;
    if (!(autosaveSeconds >= 0))
        throw UsageError("--autosave-minutes: must be a number >= 0");
    auto lastAutosave = std::chrono::steady_clock::now();

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const TrainResult r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (g_interrupted.load())
            trainer.requestStop();
        if (recorder) {
            if (e.kind == TrainEvent::Kind::Window) {
                recorder->recordWindow(e);
                if (recorder->snapshotDue(e.step))
                    recorder->recordSnapshot(e, model);
            } else {
                recorder->recordEpoch(e);
            }
        }
        Json j = Json::object();
        if (e.kind == TrainEvent::Kind::Window && autosaveSeconds > 0
            && std::chrono::steady_clock::now() - lastAutosave
                >= std::chrono::duration<double>(autosaveSeconds)) {
            lastAutosave = std::chrono::steady_clock::now();
            Json saved = Json::object();
            saved["event"] = "autosave";
            saved["step"] = e.step;
            saved["model"] = recording && out.empty() ? o.runDir + "/" + RunCheckpointFile : out;
            try {
                if (!out.empty())
                    saveTrainingCheckpoint(out, model, corpus.vocab, textOptions.tokenizer,
                        trainer.state(), tc, { { "corpus", jsonQuote(corpus.path) } },
                        { { "embedlab.autosave_step", std::to_string(e.step) } });
                if (recorder)
                    recorder->writeCheckpoint(model, corpus.vocab, trainer.state(), tc);
            } catch (const Error &err) {
                // Training goes on; the previous file is intact.
                saved["event"] = "autosave_failed";
                saved["error"] = std::string(err.what());
            }
            emit(saved);
        }
        if (e.kind == TrainEvent::Kind::Window) {
            if (e.step % logInterval != 0 && e.window != e.windowsPerEpoch)
                return;
            j["event"] = "progress";
            j["epoch"] = e.epoch;
            j["step"] = e.step;
            j["window"] = e.window;
            j["windows"] = e.windowsPerEpoch;
            j["loss"] = e.loss;
            j["perplexity"] = std::exp(e.loss);
            j["grad_norm"] = e.gradNorm;
            j["lr"] = e.lr;
            j["tokens_per_sec"] = e.tokensPerSec;
        } else {
            j["event"] = "epoch";
            j["epoch"] = e.epoch;
            j["step"] = e.step;
            j["train_loss"] = finiteOrNull(e.trainLoss);
            j["valid_loss"] = finiteOrNull(e.validLoss);
            j["valid_perplexity"] = finiteOrNull(e.validPerplexity);
            j["lr"] = e.lr;
            j["lr_cut"] = e.lrCut;
            j["tokens_per_sec"] = e.tokensPerSec;
            j["seconds"] = e.seconds;
        }
        emit(j);
    });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    // A diverged run saves the weights it was put back to, even the initial ones.
    const bool writeModel = (r.steps > 0 || r.diverged) && !out.empty();
    if (writeModel)
        saveTrainingCheckpoint(out, model, corpus.vocab, textOptions.tokenizer, trainer.state(), tc,
            { { "corpus", jsonQuote(corpus.path) } });
    std::string runError;
    if (recorder) {
        recorder->recordSnapshot(r.steps, model); // the last step, unless just recorded
        recorder->writeCheckpoint(model, corpus.vocab, trainer.state(), tc);
        recorder->finish(r.diverged ? "diverged" : r.stopped ? "stopped" : "finished", r.steps);
        runError = recorder->error();
    }

    Json done = Json::object();
    done["event"] = "done";
    done["train_loss"] = finiteOrNull(r.trainLoss);
    done["valid_loss"] = finiteOrNull(r.validLoss);
    done["valid_perplexity"] = finiteOrNull(r.validPerplexity);
    done["tokens_per_sec"] = r.tokensPerSec;
    done["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done["train_seconds"] = r.seconds;
    done["steps"] = r.steps;
    done["epochs_completed"] = r.epochsCompleted;
    done["stopped"] = r.stopped;
    done["diverged"] = r.diverged;
    done["model"] = writeModel ? Json(out) : Json(nullptr);
    if (recording)
        done["run"] = o.runDir;
    emit(done);
    if (!runError.empty()) {
        std::cerr << "embedlab-cli train: the run folder could not be written in full: " << runError
                  << '\n';
        return 1;
    }
    if (r.diverged) {
        std::cerr << "embedlab-cli train: " << r.message << " The last good weights were saved to "
                  << out << "." << '\n';
        return 3;
    }
    return 0;
}

void addTrain(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand(
        "train", "train a recurrent language model, or a text classifier, on a corpus");
    auto o = std::make_shared<TrainOptions>();
    addTextOptions(*cmd, o->text);
    addChoice(
        *cmd, "--task", o->task, "lm|classify",
        [](const std::string &s) { return s == "lm" || s == "classify"; },
        "lm: a language model; classify: a text classifier on labelled lines (label<TAB>text, "
        "__label__name text, or CSV), whose defaults, where an option is not given, are E = H "
        "= 64, 1 layer, batch 32, 3 epochs, Adam at 0.002 (SGD 0.1), no clipping");
    addInteger(*cmd, "--max-length", o->maxLength, 0, 1 << 20,
        "classify: pad or cut every text to N tokens (0: the longest training text)");
    for (auto [name, value, help] :
        { std::tuple { "--padding", &o->padding, "classify: pads before (pre) or after the text" },
            std::tuple { "--truncating", &o->truncating,
                "classify: a long text loses tokens at its start (pre) or end" } })
        addChoice(
            *cmd, name, *value, "pre|post",
            [](const std::string &s) {
                PadSide side;
                return parsePadSide(s, side);
            },
            help);
    addChoice(
        *cmd, "--pooling", o->pooling, "last|mean|max",
        [](const std::string &s) {
            Pooling p;
            return parsePooling(s, p);
        },
        "classify: the state at the last real token, or the mean or max over the real tokens");
    addChoice(*cmd, "--format", o->format, "auto|tab|fasttext|csv", parseLabelledFormat,
        "classify: the corpus format (auto: fastText if it starts with __label__, else tab)");
    cmd->add_option("--label-column", o->labelColumn, "classify, CSV: the label column")
        ->type_name("NAME");
    cmd->add_option("--text-column", o->textColumn, "classify, CSV: the text column")
        ->type_name("NAME");
    cmd->add_option(
           "--out", o->out, "where to write the model (safetensors); required unless --run-dir")
        ->type_name("MODEL");
    cmd->add_option("--run-dir", o->runDir,
           "record the run in this folder (continues the run already there)")
        ->type_name("DIR");
    addInteger(*cmd, "--snapshot-every", o->snapshotEvery, 1, 1LL << 40,
        "with --run-dir: record the embedding every N windows");
    addChoice(
        *cmd, "--cell", o->cell, cellChoices(),
        [](const std::string &s) {
            CellKind kind;
            return parseCell(s, kind);
        },
        "recurrent cell, as word_language_model's --model LSTM|GRU|RNN_TANH|RNN_RELU");
    addInteger(*cmd, "--embedding-dim", o->embeddingDim, 1, 65536, "embedding size E");
    addInteger(*cmd, "--hidden", o->hidden, 1, 65536, "hidden size H of the recurrent layers");
    addInteger(*cmd, "--layers", o->layers, 1, 16, "recurrent layers");
    addNumber(*cmd, "--dropout", o->dropout, "dropout probability");
    cmd->add_flag("--tied", o->tied, "share the embedding with the decoder (needs E == H)");
    addInteger(*cmd, "--batch", o->batch, 1, 100000, "parallel streams B");
    addInteger(*cmd, "--bptt", o->bptt, 1, 100000, "window length T");
    addInteger(*cmd, "--epochs", o->epochs, 1, 1000000, "passes over the training text");
    addInteger(
        *cmd, "--max-steps", o->maxSteps, 0, 1LL << 50, "stop after N windows (0: no limit)");
    addChoice(
        *cmd, "--optimizer", o->optimizer, "sgd|adam",
        [](const std::string &s) {
            OptimizerKind kind;
            return parseOptimizer(s, kind);
        },
        "optimizer");
    addNumber(*cmd, "--lr", o->lr, "learning rate (with --optimizer adam the default is 0.001)");
    addNumber(*cmd, "--clip", o->clip, "clip the global gradient norm (0: no clipping)");
    addInteger(*cmd, "--seed", o->seed, 0, 1LL << 62, "seed for the weights and dropout");
    addInteger(*cmd, "--threads", o->threads, 0, 1024, "worker threads (0: all cores)");
    cmd->add_flag("--freeze-embedding", o->freezeEmbedding, "do not train the embedding");
    addInteger(
        *cmd, "--log-interval", o->logInterval, 1, 1LL << 40, "print progress every N windows");
    addNumber(*cmd, "--autosave-minutes", o->autosaveMinutes,
        "also write the model to --out every M minutes (0: only at the end)");
    cmd->add_option("--vectors", o->vectors, "initialise the embedding from pre-trained vectors")
        ->type_name("FILE");
    addChoice(
        *cmd, "--vectors-format", o->vectorsFormat, vectorFormatChoices(false),
        [](const std::string &s) {
            VectorFormat format;
            return parseVectorFormat(s, format);
        },
        "format of --vectors");
    addChoice(
        *cmd, "--uncovered", o->uncovered, "random|zeros|mean",
        [](const std::string &s) {
            UncoveredInit init;
            return parseUncoveredInit(s, init);
        },
        "embedding of the words --vectors lacks");
    cmd->add_flag(
        "--adopt-dimension", o->adoptDimension, "take E (and H, with --tied) from --vectors");
    commands.emplace_back(cmd, [cmd, o] { return runTrain(*cmd, *o); });
}

void addRuns(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("runs", "what a run folder recorded");
    auto dir = std::make_shared<std::string>();
    cmd->add_option("--run-dir", *dir, "the run folder (embedlab-cli train --run-dir)")
        ->required()
        ->type_name("DIR");
    commands.emplace_back(cmd, [dir] {
        const RunData run = readRun(*dir);
        Json j = Json::object();
        j["dir"] = *dir;
        j["config"] = parseJsonStrict(runSettingsJson(run.settings));
        Json steps = Json::array();
        for (const auto &s : run.snapshots)
            steps.push_back(s.step);
        j["steps"] = steps;
        j["windows"] = static_cast<std::uint64_t>(run.scalars.size());
        j["last_step"] = run.scalars.empty() ? 0 : run.scalars.back().step;
        Json epochs = Json::array();
        for (const auto &e : run.epochs)
            epochs.push_back({ { "epoch", e.epoch }, { "step", e.step },
                { "train_loss", finiteOrNull(e.trainLoss) },
                { "valid_loss", finiteOrNull(e.validLoss) }, { "lr", e.lr },
                { "lr_cut", e.lrCut } });
        j["epochs"] = epochs;
        Json warnings = Json::array();
        for (const auto &w : run.warnings)
            warnings.push_back(w);
        j["warnings"] = warnings;
        emit(j);
        return 0;
    });
}

void addHistory(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("history",
        "how a run's embedding settled: neighbourhood change and analogy accuracy per snapshot");
    struct Options
    {
        std::string run, analogies;
        HistoryOptions history;
        int threads = 0;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--run", o->run, "the run folder (embedlab-cli train --run-dir)")
        ->required()
        ->type_name("DIR");
    cmd->add_option("--analogies", o->analogies,
           "also the analogy accuracy on this questions file (as evaluate gives it)")
        ->type_name("FILE");
    addInteger(*cmd, "--words", o->history.words, 1, 1 << 30,
        "compare the neighbourhoods of the N most frequent words");
    addInteger(*cmd, "--k", o->history.k, 1, 100000, "neighbours per word");
    addInteger(*cmd, "--threads", o->threads, 0, 1024, "worker threads (0: all cores)");
    commands.emplace_back(cmd, [o] {
        setThreadCount(o->threads);
        const RunData run = readRun(o->run);
        o->history.analogies = o->analogies;
        // Kept in the run folder (history.jsonl): asked again, only new snapshots are computed.
        const RunHistory h = updateRunHistory(run, o->history);
        Json steps = Json::array();
        for (const HistoryPoint &p : h.points) {
            Json j = { { "step", p.step }, { "epoch", p.epoch }, { "tokens", p.tokens },
                { "overlap_with_previous", finiteOrNull(p.overlap) } };
            if (!o->analogies.empty()) {
                j["analogy_accuracy"] = finiteOrNull(p.analogyAccuracy);
                j["analogy_correct"] = p.analogyCorrect;
                j["analogy_total"] = p.analogyTotal;
            }
            steps.push_back(j);
        }
        Json out = { { "run", o->run }, { "words", h.words }, { "k", h.k } };
        if (!o->analogies.empty())
            out["analogies"] = o->analogies;
        out["steps"] = steps;
        if (!h.cacheError.empty())
            out["warnings"] = Json::array({ "not cached: " + h.cacheError });
        emit(out);
        return 0;
    });
}

void addEval(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("eval", "the model's loss and perplexity on a text");
    struct Options
    {
        std::string model, corpus;
        int threads = 0;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--model", o->model, "the model (safetensors)")->required()->type_name("MODEL");
    cmd->add_option("--corpus", o->corpus, "the text")->required()->type_name("FILE");
    addInteger(*cmd, "--threads", o->threads, 0, 1024, "worker threads (0: all cores)");
    commands.emplace_back(cmd, [o] {
        setThreadCount(o->threads);
        auto ck = loadCheckpoint<float>(o->model);
        std::uint64_t unk = 0;
        const auto ids = encodeFile(o->corpus, ck.vocab, ck.tokenizer, &unk);
        std::uint64_t predicted = 0;
        const double loss = evaluateLoss(*ck.model, ids, 1, 256, &predicted);
        if (predicted == 0)
            throw Error(fileMessage(o->corpus, "needs at least two tokens to evaluate"));
        emit({ { "loss", loss }, { "perplexity", std::exp(loss) }, { "tokens", predicted },
            { "unk", unk } });
        return 0;
    });
}

void addGenerate(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand("generate", "sample text from a model");
    struct Options
    {
        std::string model, prompt;
        int tokens = 50;
        double temperature = 1.0;
        std::uint64_t seed = 1;
        int threads = 1;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--model", o->model, "the model (safetensors)")->required()->type_name("MODEL");
    cmd->add_option("--prompt", o->prompt, "text to continue")->type_name("TEXT");
    addInteger(*cmd, "--tokens", o->tokens, 0, 1000000, "tokens to generate");
    addNumber(*cmd, "--temperature", o->temperature, "sampling temperature (0: the likeliest)");
    addInteger(*cmd, "--seed", o->seed, 0, 1LL << 62, "seed for sampling");
    addInteger(*cmd, "--threads", o->threads, 0, 1024, "worker threads (0: all cores)");
    commands.emplace_back(cmd, [o] {
        if (o->temperature < 0)
            throw UsageError("--temperature: must not be negative (0 picks the likeliest token)");
        setThreadCount(o->threads);
        auto ck = loadCheckpoint<float>(o->model);
        GenerateOptions options;
        options.tokens = o->tokens;
        options.temperature = o->temperature;
        options.seed = o->seed;
        std::vector<std::string> unknown;
        const std::string text
            = generateText(*ck.model, ck.vocab, ck.tokenizer, o->prompt, options, &unknown);
        if (!unknown.empty()) {
            std::cerr << "embedlab-cli generate: not in the vocabulary, read as <unk>: ";
            for (std::size_t i = 0; i < unknown.size(); ++i)
                std::cerr << (i ? ", " : "") << unknown[i];
            std::cerr << '\n' << std::flush;
        }
        std::cout << text << (text.empty() || text.back() != '\n' ? "\n" : "") << std::flush;
        return 0;
    });
}

void writeIds(const std::string &path, const std::vector<std::int32_t> &ids)
{
    writeFileAtomically(path, [&ids](std::FILE *f) {
        for (std::size_t i = 0; i < ids.size(); ++i)
            std::fprintf(f, "%d%c", ids[i], (i + 1) % 64 == 0 ? '\n' : ' ');
        std::fputc('\n', f);
    });
}

void addEncode(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand(
        "encode", "write the ids the model trains on: train.txt, valid.txt and vocab.txt");
    struct Options
    {
        TextOptions text;
        std::string outDir, model;
    };
    auto o = std::make_shared<Options>();
    addTextOptions(*cmd, o->text);
    cmd->add_option("--out-dir", o->outDir, "folder for the files (made if missing)")
        ->required()
        ->type_name("DIR");
    cmd->add_option("--model", o->model,
           "the whole corpus in this model's vocabulary and tokenizer, as train.txt")
        ->type_name("MODEL");
    commands.emplace_back(cmd, [cmd, o] {
        Corpus corpus;
        if (cmd->count("--model")) {
            // The whole file with the model's own vocabulary and tokenizer (train.txt only).
            auto ck = loadCheckpoint<float>(o->model);
            corpus.path = o->text.corpus;
            corpus.train = encodeFile(corpus.path, ck.vocab, ck.tokenizer, &corpus.trainUnk);
            corpus.vocab = ck.vocab;
        } else {
            corpus = loadCorpus(o->text.corpus, corpusOptions(*cmd, o->text));
        }
        const std::string &dir = o->outDir;
        makeDirectories(dir);
        writeIds(dir + "/train.txt", corpus.train);
        writeIds(dir + "/valid.txt", corpus.valid);
        std::string words;
        for (const auto &w : corpus.vocab.words())
            words += w + '\n';
        writeFileAtomically(dir + "/vocab.txt", words);
        emit({ { "vocab_size", corpus.vocab.size() },
            { "train_tokens", static_cast<std::uint64_t>(corpus.train.size()) },
            { "valid_tokens", static_cast<std::uint64_t>(corpus.valid.size()) } });
        return 0;
    });
}

} // namespace

int runCli(int argc, char **argv)
{
    CLI::App cli(
        "Embedding Lab without a window: JSON on stdout, errors on stderr.", "embedlab-cli");
    cli.get_formatter()->label("Usage", "usage");
    cli.get_formatter()->column_width(34);
    cli.set_version_flag("--version", std::string("embedlab-cli ") + EMBEDLAB_VERSION);
    // Every option shows its default in --help; given twice, the last one counts.
    cli.option_defaults()->always_capture_default()->multi_option_policy(
        CLI::MultiOptionPolicy::TakeLast);
    cli.require_subcommand(0, 1);
    Commands commands;
    addTrain(cli, commands);
    addRuns(cli, commands);
    addHistory(cli, commands);
    addEval(cli, commands);
    addGenerate(cli, commands);
    addEncode(cli, commands);
    addClassify(cli, commands);
    addVectorCommands(cli, commands);
    cli.footer(footer()); // after the commands, which would inherit it

    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help") {
        (args.empty() ? std::cerr : std::cout) << cli.help();
        return args.empty() ? 2 : 0;
    }
    const std::string &command = args[0];
    const bool known = command.rfind("-", 0) == 0
        || std::any_of(commands.begin(), commands.end(),
            [&](const auto &c) { return c.first->get_name() == command; });
    if (!known) {
        std::cerr << "embedlab-cli: unknown command '" << command << "'\n"
                  << "Run 'embedlab-cli --help' for the commands.\n";
        return 2;
    }
    const auto usageError = [&](const std::string &message) {
        std::cerr << "embedlab-cli " << command << ": " << message << "\nRun 'embedlab-cli "
                  << command << " --help' for its options and their defaults.\n";
        return 2;
    };
    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp &) {
        std::cout << cli.help();
        return 0;
    } catch (const CLI::CallForVersion &e) {
        std::cout << e.what() << '\n';
        return 0;
    } catch (const CLI::ParseError &e) {
        if (command.rfind("-", 0) == 0) {
            std::cerr << "embedlab-cli: " << e.what()
                      << "\nRun 'embedlab-cli --help' for the commands.\n";
            return 2;
        }
        return usageError(e.what());
    }
    const auto selected = std::find_if(
        commands.begin(), commands.end(), [](const auto &c) { return c.first->parsed(); });
    if (selected == commands.end()) {
        std::cerr << "embedlab-cli: no command given\n\n" << cli.help();
        return 2;
    }
    try {
        return selected->second();
    } catch (const UsageError &e) {
        return usageError(e.what());
    } catch (const std::bad_alloc &) {
        std::cerr << "embedlab-cli " << command << ": out of memory\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "embedlab-cli " << command << ": " << e.what() << '\n';
        return 1;
    }
}

} // namespace embedlab
