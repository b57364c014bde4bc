// embedlab-cli train --task classify, and embedlab-cli classify.
#include "app/cli_classify.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>

#include "core/classifier.h"
#include "core/classifiercheckpoint.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/labelled.h"
#include "core/padding.h"
#include "core/parallel.h"
#include "core/pretrained.h"
#include "core/vectors/vectors.h"

namespace embedlab::cli {

namespace {

std::atomic<bool> g_stop { false };

extern "C" void onClassifyInterrupt(int)
{
    g_stop.store(true);
}

bool parseFormat(const std::string &s, LabelledFormat &out)
{
    for (LabelledFormat f : { LabelledFormat::Auto, LabelledFormat::Tab, LabelledFormat::FastText,
             LabelledFormat::Csv })
        if (s == labelledFormatName(f)) {
            out = f;
            return true;
        }
    return false;
}

Json confusionJson(const ClassifierEvaluation &e)
{
    Json rows = Json::array();
    for (const auto &row : e.confusion) {
        Json r = Json::array();
        for (auto n : row)
            r.push_back(n);
        rows.push_back(r);
    }
    return rows;
}

Json labelsJson(const std::vector<std::string> &labels)
{
    Json j = Json::array();
    for (const auto &l : labels)
        j.push_back(l);
    return j;
}

} // namespace

int runTrainClassify(const ClassifyTrainArgs &a)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (a.out.empty())
        throw UsageError("--out: where to write the classifier is required");
    LabelledOptions lo;
    parseTokenizerMode(a.tokenizer, lo.tokenizer.mode);
    lo.tokenizer.lowercase = a.lowercase;
    parseCjkSegmentation(a.cjk, lo.tokenizer.cjk);
    parseNormalization(a.normalize, lo.tokenizer.normalize);
    lo.minCount = a.minCount;
    lo.maxVocab = a.maxVocab;
    if (lo.maxVocab != 0 && lo.maxVocab < 4)
        throw UsageError("--max-vocab: must be at least 4 (3 special tokens and one word)");
    lo.validFraction = a.validFraction;
    if (!(lo.validFraction >= 0 && lo.validFraction < 1))
        throw UsageError("--valid-fraction: must be in [0, 1)");
    lo.validPath = a.valid;
    parseFormat(a.format, lo.format);
    lo.labelColumn = a.labelColumn;
    lo.textColumn = a.textColumn;

    ClassifierTrainConfig tc;
    tc.batch = a.batch;
    tc.epochs = a.epochs;
    parseOptimizer(a.optimizer, tc.optimizer);
    tc.lr = a.lr;
    tc.clip = a.clip;
    tc.seed = a.seed;
    tc.pad.maxLength = a.maxLength;
    parsePadSide(a.padding, tc.pad.padding);
    parsePadSide(a.truncating, tc.pad.truncating);
    tc.validate();
    setThreadCount(a.threads);

    const LabelledCorpus corpus = loadLabelledCorpus(a.corpus, lo);
    if (corpus.vocab.size() <= Vocabulary::SpecialCount)
        throw Error(fileMessage(corpus.path,
            "no word occurs at least " + std::to_string(a.minCount)
                + " times (--min-count), so the vocabulary would hold only <pad>, <unk> and "
                  "<eos>"));
    if (corpus.labels.size() < 2)
        throw Error(fileMessage(corpus.path,
            "every example has the label '" + corpus.labels.front()
                + "'; a classifier needs at least two"));
    ClassifierConfig mc;
    parseCell(a.cell, mc.cell);
    parsePooling(a.pooling, mc.pooling);
    mc.vocabSize = corpus.vocab.size();
    mc.embeddingDim = a.embeddingDim;
    mc.hiddenSize = a.hidden;
    mc.layers = a.layers;
    mc.classes = static_cast<int>(corpus.labels.size());
    WordVectors vectors;
    UncoveredInit uncovered = UncoveredInit::Random;
    parseUncoveredInit(a.uncovered, uncovered);
    if (!a.vectors.empty()) {
        ImportOptions vectorOptions;
        parseVectorFormat(a.vectorsFormat, vectorOptions.format);
        vectors = readVectors(a.vectors, vectorOptions);
        if (a.adoptDimension)
            mc.embeddingDim = vectors.dim();
    }
    mc.validate();
    TextClassifier<float> model(mc);
    model.initRandom(a.seed);
    tc.freezeEmbedding = a.freezeEmbedding;
    if (!a.vectors.empty()) {
        emitVectorsEvent(a.vectors, vectors, initEmbedding(model, corpus.vocab, vectors, uncovered),
            uncovered, tc.freezeEmbedding);
    }

    std::size_t params = 0;
    for (auto &p : model.parameters())
        params += static_cast<std::size_t>(p.value->size());
    Json start = Json::object();
    start["event"] = "start";
    start["task"] = "classify";
    start["corpus"] = corpus.path;
    start["format"] = labelledFormatName(corpus.format);
    start["cell"] = cellName(mc.cell);
    start["pooling"] = poolingName(mc.pooling);
    start["labels"] = labelsJson(corpus.labels);
    start["vocab_size"] = corpus.vocab.size();
    start["train_examples"] = static_cast<std::uint64_t>(corpus.train.size());
    start["valid_examples"] = static_cast<std::uint64_t>(corpus.valid.size());
    start["train_tokens"] = corpus.trainTokens;
    start["train_unk"] = corpus.trainUnk;
    start["parameters"] = static_cast<std::uint64_t>(params);
    start["threads"] = threadCount() > 0 ? threadCount() : 1;
    emit(start);

    ClassifierTrainer<float> trainer(model, tc);
    std::signal(SIGINT, onClassifyInterrupt);
    std::signal(SIGTERM, onClassifyInterrupt);
    const ClassifierTrainResult r
        = trainer.run(corpus.train, corpus.valid, [&](const ClassifierEvent &e) {
              if (g_stop.load())
                  trainer.requestStop();
              Json j = Json::object();
              if (e.kind == ClassifierEvent::Kind::Batch) {
                  if (e.step % a.logInterval != 0 && e.batch != e.batches)
                      return;
                  j["event"] = "progress";
                  j["epoch"] = e.epoch;
                  j["step"] = e.step;
                  j["batch"] = e.batch;
                  j["batches"] = e.batches;
                  j["loss"] = e.loss;
                  j["grad_norm"] = e.gradNorm;
                  j["lr"] = tc.lr;
              } else {
                  j["event"] = "epoch";
                  j["epoch"] = e.epoch;
                  j["step"] = e.step;
                  j["train_loss"] = finiteOrNull(e.trainLoss);
                  j["train_accuracy"] = finiteOrNull(e.trainAccuracy);
                  j["valid_loss"] = finiteOrNull(e.valid.loss);
                  j["valid_accuracy"] = finiteOrNull(e.valid.accuracy);
                  j["lr"] = tc.lr;
                  j["seconds"] = e.seconds;
              }
              emit(j);
          });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    PadOptions pad = tc.pad;
    pad.maxLength = trainer.maxLength();
    // A diverged run saves the weights it was put back to, even the initial ones.
    const bool writeModel = r.steps > 0 || r.diverged;
    if (writeModel)
        saveClassifierCheckpoint(a.out, model, corpus.vocab, corpus.labels, lo.tokenizer, pad,
            { { "corpus", jsonQuote(corpus.path) } });
    Json done = Json::object();
    done["event"] = "done";
    done["task"] = "classify";
    done["train_loss"] = finiteOrNull(r.trainLoss);
    done["train_accuracy"] = finiteOrNull(r.trainAccuracy);
    done["valid_loss"] = finiteOrNull(r.valid.loss);
    done["valid_accuracy"] = finiteOrNull(r.valid.accuracy);
    done["valid_confusion"] = confusionJson(r.valid);
    done["labels"] = labelsJson(corpus.labels);
    done["max_length"] = pad.maxLength;
    done["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done["train_seconds"] = r.seconds;
    done["steps"] = r.steps;
    done["epochs_completed"] = r.epochsCompleted;
    done["stopped"] = r.stopped;
    done["diverged"] = r.diverged;
    done["model"] = writeModel ? Json(a.out) : Json(nullptr);
    emit(done);
    if (r.diverged) {
        std::cerr << "embedlab-cli train: " << r.message << " Those weights were saved to " << a.out
                  << "." << '\n';
        return 3;
    }
    return 0;
}

namespace {

struct ClassifyOptions
{
    std::string model, text, corpus;
    std::string format = "auto", labelColumn = "label", textColumn = "text";
    bool summaryOnly = false;
    int threads = 0;
};

int runClassify(const CLI::App &cmd, const ClassifyOptions &o)
{
    const bool haveText = cmd.count("--text") > 0, haveCorpus = cmd.count("--corpus") > 0;
    if (haveText == haveCorpus)
        throw UsageError("give either --text or --corpus");
    setThreadCount(o.threads);
    const LoadedClassifier<float> c = loadClassifierCheckpoint<float>(o.model);
    const std::vector<std::string> &labels = c.labels;

    std::vector<RawExample> raw;
    bool labelled = false;
    if (haveText) {
        raw.push_back({ "", o.text, 0 });
    } else {
        LabelledFormat format = LabelledFormat::Auto;
        parseFormat(o.format, format);
        const std::string bytes = readTextFile(o.corpus);
        // auto: labelled when the first example has a tab or a __label__, else one text a line.
        if (format == LabelledFormat::Auto) {
            std::size_t pos = checkUtf8Text(bytes, o.corpus);
            std::string_view first;
            while (pos < bytes.size()) {
                std::size_t nl = bytes.find('\n', pos);
                if (nl == std::string::npos)
                    nl = bytes.size();
                first = std::string_view(bytes).substr(pos, nl - pos);
                if (first.find_first_not_of(" \t\r") != std::string_view::npos)
                    break;
                pos = nl + 1;
            }
            labelled = first.find('\t') != std::string_view::npos
                || first.substr(first.find_first_not_of(" ") == std::string_view::npos
                                ? 0
                                : first.find_first_not_of(" "))
                        .rfind("__label__", 0)
                    == 0;
        } else {
            labelled = true;
        }
        if (!labelled) {
            std::size_t pos = checkUtf8Text(bytes, o.corpus), line = 0;
            while (pos < bytes.size()) {
                std::size_t nl = bytes.find('\n', pos);
                if (nl == std::string::npos)
                    nl = bytes.size();
                ++line;
                const std::string_view t
                    = stripCarriageReturn(std::string_view(bytes).substr(pos, nl - pos));
                if (t.find_first_not_of(" \t") != std::string_view::npos)
                    raw.push_back({ "", std::string(t), line });
                pos = nl + 1;
            }
        } else if (format == LabelledFormat::Csv) {
            raw = readLabelledCsv(bytes, o.corpus, o.labelColumn, o.textColumn);
        } else {
            raw = readLabelledLines(bytes, o.corpus, format);
        }
    }
    // Encoding looks the labels up; unlabelled texts take the first label for the lookup only.
    std::vector<RawExample> lookup = raw;
    if (!labelled)
        for (auto &r : lookup)
            r.label = labels.front();
    std::vector<std::string> sortedLabels = labels; // the model's labels are sorted
    const std::vector<LabelledExample> examples = encodeExamples(
        lookup, c.vocab, sortedLabels, c.tokenizer, haveText ? "--text" : o.corpus);
    std::vector<std::vector<std::int32_t>> ids;
    for (const auto &e : examples)
        ids.push_back(e.ids);
    const Eigen::MatrixXf probs = classifyExamples(*c.model, ids, c.pad);
    if (!o.summaryOnly || !labelled)
        for (std::size_t i = 0; i < examples.size(); ++i) {
            const auto col = probs.col(static_cast<Eigen::Index>(i));
            Eigen::Index best = 0;
            col.maxCoeff(&best);
            Json j = Json::object();
            if (!haveText)
                j["line"] = examples[i].line;
            j["label"] = labels[static_cast<std::size_t>(best)];
            Json p = Json::object();
            for (std::size_t k = 0; k < labels.size(); ++k)
                p[labels[k]] = col(static_cast<Eigen::Index>(k));
            j["probabilities"] = p;
            if (labelled)
                j["true_label"] = labels[static_cast<std::size_t>(examples[i].label)];
            emit(j);
        }
    if (labelled) {
        const ClassifierEvaluation e = evaluateClassifier(*c.model, examples, c.pad);
        Json s = Json::object();
        s["event"] = "summary";
        s["examples"] = e.examples;
        s["accuracy"] = finiteOrNull(e.accuracy);
        s["loss"] = finiteOrNull(e.loss);
        s["labels"] = labelsJson(labels);
        s["confusion"] = confusionJson(e); // rows: true label, columns: predicted
        emit(s);
    }
    return 0;
}

} // namespace

void addClassify(CLI::App &cli, Commands &commands)
{
    CLI::App *cmd = cli.add_subcommand(
        "classify", "predict labels with a classifier (train --task classify)");
    auto o = std::make_shared<ClassifyOptions>();
    cmd->add_option("--model", o->model, "the classifier (safetensors)")
        ->required()
        ->type_name("MODEL");
    cmd->add_option("--text", o->text, "one text to classify")->type_name("TEXT");
    cmd->add_option("--corpus", o->corpus,
           "texts, one a line; labelled ones (label<TAB>text, __label__, or CSV with --format "
           "csv) also give the accuracy and the confusion matrix")
        ->type_name("FILE");
    addChoice(
        *cmd, "--format", o->format, "auto|tab|fasttext|csv",
        [](const std::string &s) {
            LabelledFormat f;
            return parseFormat(s, f);
        },
        "format of --corpus");
    cmd->add_option("--label-column", o->labelColumn, "CSV: the label column")->type_name("NAME");
    cmd->add_option("--text-column", o->textColumn, "CSV: the text column")->type_name("NAME");
    cmd->add_flag("--summary-only", o->summaryOnly,
        "with a labelled --corpus: only the accuracy and confusion matrix");
    addInteger(*cmd, "--threads", o->threads, 0, 1024, "worker threads (0: all cores)");
    commands.emplace_back(cmd, [cmd, o] { return runClassify(*cmd, *o); });
}

bool parseLabelledFormat(const std::string &s)
{
    LabelledFormat f;
    return parseFormat(s, f);
}

} // namespace embedlab::cli
