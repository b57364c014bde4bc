#include "core/runlog.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/jsonfields.h"
#include "core/safetensors.h"
#include "core/snapshotfile.h"
#include "core/tfevents.h"
#include "core/trainstate.h"

#include <nlohmann/json.hpp>

namespace embedlab {

namespace {

using Json = nlohmann::ordered_json;

double wallNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string isoNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

Json settingsToJson(const RunSettings &s)
{
    Json j = Json::object();
    j["format"] = RunFormat;
    j["version"] = 1;
    j["name"] = s.name;
    j["created"] = s.created;
    j["status"] = s.status;
    j["steps"] = s.steps;
    j["model"] = { { "cell", cellName(s.model.cell) }, { "vocab_size", s.model.vocabSize },
        { "embedding_dim", s.model.embeddingDim }, { "hidden_size", s.model.hiddenSize },
        { "layers", s.model.layers }, { "dropout", s.model.dropout }, { "tied", s.model.tied } };
    const TrainConfig &t = s.train;
    j["training"] = { { "optimizer", optimizerName(t.optimizer) }, { "lr", t.lr },
        { "batch", t.batch }, { "bptt", t.bptt }, { "epochs", t.epochs },
        { "max_steps", t.maxSteps }, { "clip", t.clip }, { "anneal_factor", t.annealFactor },
        { "seed", std::to_string(t.seed) }, { "frozen_embedding", t.freezeEmbedding } };
    j["tokenizer"] = { { "mode", tokenizerModeName(s.tokenizer.mode) },
        { "lowercase", s.tokenizer.lowercase }, { "cjk", cjkSegmentationName(s.tokenizer.cjk) },
        { "normalize", normalizationName(s.tokenizer.normalize) },
        { "case_folding", caseFoldingName(s.tokenizer.folding) } };
    j["corpus"] = { { "path", s.corpus.path }, { "name", s.corpus.name },
        { "bytes", s.corpus.bytes }, { "fingerprint", s.corpus.fingerprint },
        { "train_tokens", s.corpus.trainTokens }, { "valid_tokens", s.corpus.validTokens } };
    j["init"] = { { "kind", s.init }, { "vectors", s.vectors } };
    j["compared_with"] = s.comparedWith;
    j["difference"] = s.difference;
    j["colour"] = s.colour;
    j["snapshot_every"] = s.snapshotEvery;
    return j;
}

RunSettings settingsFromJson(const Json &j)
{
    if (!j.is_object() || fieldOr<std::string>(j, "format", "") != RunFormat)
        throw Error(
            std::string("not an Embedding Lab run: expected a JSON object with \"format\": \"")
            + RunFormat + "\"");
    RunSettings s;
    s.name = fieldOr<std::string>(j, "name", "");
    s.created = fieldOr<std::string>(j, "created", "");
    s.status = fieldOr<std::string>(j, "status", "running");
    s.steps = fieldOr<std::int64_t>(j, "steps", 0);
    const Json &m = j.at("model");
    if (!parseCell(fieldOr<std::string>(m, "cell", "lstm"), s.model.cell))
        throw Error("unknown cell '" + field<std::string>(m, "cell") + "'");
    s.model.vocabSize = field<int>(m, "vocab_size");
    s.model.embeddingDim = field<int>(m, "embedding_dim");
    s.model.hiddenSize = field<int>(m, "hidden_size");
    s.model.layers = field<int>(m, "layers");
    s.model.dropout = field<double>(m, "dropout");
    s.model.tied = field<bool>(m, "tied");
    const Json &t = j.at("training");
    if (!parseOptimizer(field<std::string>(t, "optimizer"), s.train.optimizer))
        throw Error("unknown optimizer '" + field<std::string>(t, "optimizer") + "'");
    s.train.lr = field<double>(t, "lr");
    s.train.batch = field<int>(t, "batch");
    s.train.bptt = field<int>(t, "bptt");
    s.train.epochs = fieldOr<int>(t, "epochs", 1);
    s.train.maxSteps = fieldOr<std::int64_t>(t, "max_steps", 0);
    s.train.clip = fieldOr<double>(t, "clip", s.train.clip);
    s.train.annealFactor = fieldOr<double>(t, "anneal_factor", s.train.annealFactor);
    s.train.seed = std::stoull(fieldOr<std::string>(t, "seed", "1"));
    s.train.freezeEmbedding = fieldOr<bool>(t, "frozen_embedding", false);
    // A run recorded before ICU has no cjk and case_folding: it was tokenised the old way.
    s.tokenizer = legacyTokenizerOptions();
    if (const auto tok = j.find("tokenizer"); tok != j.end()) {
        if (!parseTokenizerMode(field<std::string>(*tok, "mode"), s.tokenizer.mode))
            throw Error("unknown tokenizer '" + field<std::string>(*tok, "mode") + "'");
        s.tokenizer.lowercase = field<bool>(*tok, "lowercase");
        const std::string cjk = fieldOr<std::string>(*tok, "cjk", "chars");
        if (!parseCjkSegmentation(cjk, s.tokenizer.cjk))
            throw Error("unknown cjk segmentation '" + cjk + "'");
        const std::string normalize = fieldOr<std::string>(*tok, "normalize", "none");
        if (!parseNormalization(normalize, s.tokenizer.normalize))
            throw Error("unknown normalization '" + normalize + "'");
        const std::string folding = fieldOr<std::string>(*tok, "case_folding", "simple");
        if (!parseCaseFolding(folding, s.tokenizer.folding))
            throw Error("unknown case folding '" + folding + "'");
    }
    if (const auto c = j.find("corpus"); c != j.end()) {
        s.corpus.path = fieldOr<std::string>(*c, "path", "");
        s.corpus.name = fieldOr<std::string>(*c, "name", "");
        s.corpus.bytes = fieldOr<std::uint64_t>(*c, "bytes", 0);
        s.corpus.fingerprint = fieldOr<std::string>(*c, "fingerprint", "");
        s.corpus.trainTokens = fieldOr<std::uint64_t>(*c, "train_tokens", 0);
        s.corpus.validTokens = fieldOr<std::uint64_t>(*c, "valid_tokens", 0);
    }
    if (const auto i = j.find("init"); i != j.end()) {
        s.init = fieldOr<std::string>(*i, "kind", "random");
        s.vectors = fieldOr<std::string>(*i, "vectors", "");
    }
    s.comparedWith = fieldOr<std::string>(j, "compared_with", "");
    s.difference = fieldOr<std::string>(j, "difference", "");
    s.colour = fieldOr<std::string>(j, "colour", "");
    s.snapshotEvery = fieldOr<std::int64_t>(j, "snapshot_every", DefaultSnapshotEvery);
    return s;
}

std::FILE *openAppend(const std::string &path)
{
    std::FILE *f = std::fopen(path.c_str(), "ab");
    if (!f)
        throw Error(
            fileMessage(path, std::string("cannot open for writing: ") + std::strerror(errno)));
    return f;
}

} // namespace

std::string runSnapshotFile(std::int64_t step)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "snapshots/step-%010lld.f16.zst", static_cast<long long>(step));
    return buf;
}

namespace {

// Reads a JSON-lines file: every complete line must be a JSON object; a last line without its
// newline was cut off by a crash and is skipped with a warning.
void readLines(const std::string &path, std::vector<std::string> &warnings,
    const std::function<void(const Json &)> &record)
{
    if (!fileExists(path))
        return;
    const std::string text = readFile(path);
    std::size_t pos = 0;
    std::size_t line = 0;
    while (pos < text.size()) {
        ++line;
        const std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) {
            warnings.push_back(path + " line " + std::to_string(line)
                + ": cut off (the run was interrupted while writing it); skipped");
            break;
        }
        const std::string_view l(text.data() + pos, end - pos);
        pos = end + 1;
        if (l.empty())
            continue;
        try {
            const Json j = parseJsonStrict(l);
            if (!j.is_object())
                throw Error("expected a JSON object");
            record(j);
        } catch (const Error &e) {
            throw Error(path + " line " + std::to_string(line) + ": " + e.what()
                + " (each line holds one JSON object of a recorded step)");
        }
    }
}

// Lines of a continued run that went back to an earlier step replace the later ones: keep, for
// each step, the last record written, and drop those after it that the new ones overtook.
template <typename T> void keepLatest(std::vector<T> &records)
{
    std::vector<T> out;
    for (auto &r : records) {
        while (!out.empty() && out.back().step >= r.step)
            out.pop_back();
        out.push_back(std::move(r));
    }
    records = std::move(out);
}

} // namespace

std::string runSettingsJson(const RunSettings &settings)
{
    return dumpJson(settingsToJson(settings));
}

RunRecorder::RunRecorder(const std::string &dir, RunSettings settings, const Vocabulary &vocab)
    : m_dir(dir)
    , m_settings(std::move(settings))
{
    makeDirectories(joinPath(m_dir, "snapshots"));
    const std::string settingsPath = joinPath(m_dir, RunSettingsFile);
    if (fileExists(settingsPath)) {
        RunSettings old;
        try {
            old = settingsFromJson(parseJsonStrict(readFile(settingsPath)));
        } catch (const std::exception &e) {
            throw Error(fileMessage(settingsPath, e.what()));
        }
        if (old.model.cell != m_settings.model.cell
            || old.model.vocabSize != m_settings.model.vocabSize
            || old.model.embeddingDim != m_settings.model.embeddingDim
            || old.model.hiddenSize != m_settings.model.hiddenSize
            || old.model.layers != m_settings.model.layers)
            throw Error(fileMessage(settingsPath,
                "the folder holds another run (a model of another cell or size); choose an empty "
                "folder for a new run"));
        // The run keeps its name, origin and creation; the settings are the new session's.
        m_settings.name = old.name;
        m_settings.created = old.created;
        m_settings.init = old.init;
        m_settings.vectors = old.vectors;
        m_settings.comparedWith = old.comparedWith;
        m_settings.difference = old.difference;
        m_settings.colour = old.colour;
        m_continued = true;
    }
    if (m_settings.created.empty())
        m_settings.created = isoNow();
    m_settings.status = "running";
    writeSettings();
    if (!m_continued) {
        Json words = Json::array(), counts = Json::array();
        for (const auto &w : vocab.words())
            words.push_back(w);
        for (auto c : vocab.counts())
            counts.push_back(static_cast<std::uint64_t>(c));
        writeFileAtomically(joinPath(m_dir, "vocab.json"),
            dumpJson(Json { { "words", words }, { "counts", counts } }) + "\n");
    }
    m_scalars = openAppend(joinPath(m_dir, "scalars.jsonl"));
    m_epochs = openAppend(joinPath(m_dir, "epochs.jsonl"));
    m_snapshots = openAppend(joinPath(m_dir, "snapshots.jsonl"));
    m_events = std::make_unique<EventFileWriter>(m_dir);
    m_thread = std::thread([this] { writerLoop(); });
}

RunRecorder::~RunRecorder()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_quit = true;
        m_wake.notify_all();
    }
    m_thread.join();
    for (std::FILE *f : { m_scalars, m_epochs, m_snapshots })
        if (f)
            std::fclose(f);
}

void RunRecorder::writeSettings()
{
    writeFileAtomically(
        joinPath(m_dir, RunSettingsFile), dumpJson(settingsToJson(m_settings)) + "\n");
}

void RunRecorder::post(std::function<void()> task)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_error.empty())
        return; // a failed write: the run is recorded up to there
    m_queue.push_back(std::move(task));
    m_wake.notify_one();
}

void RunRecorder::writerLoop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_quit || !m_queue.empty(); });
        if (m_queue.empty()) {
            if (m_quit)
                return;
            continue;
        }
        auto task = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        const bool last = m_queue.empty();
        lock.unlock();
        std::string error;
        try {
            task();
            if (last) {
                // Nothing else waiting: hand what is written to the system, so a crash keeps it.
                for (std::FILE *f : { m_scalars, m_epochs, m_snapshots })
                    if (std::fflush(f) != 0)
                        throw Error(fileMessage(
                            m_dir, std::string("cannot write: ") + std::strerror(errno)));
                m_events->flush();
            }
        } catch (const std::exception &e) {
            error = e.what();
        }
        lock.lock();
        m_busy = false;
        if (!error.empty() && m_error.empty()) {
            m_error = error;
            m_queue.clear();
        }
        if (m_queue.empty())
            m_idle.notify_all();
    }
}

void RunRecorder::appendLine(std::FILE *file, const std::string &name, const std::string &line)
{
    if (std::fwrite(line.data(), 1, line.size(), file) != line.size()
        || std::fputc('\n', file) == EOF)
        throw Error(fileMessage(
            joinPath(m_dir, name), std::string("cannot write: ") + std::strerror(errno)));
}

namespace {
// Where in the run a line was recorded: the fields every line of the run's files begins with.
Json positionJson(const TrainEvent &e, double wall)
{
    return { { "step", e.step }, { "epoch", e.epoch }, { "tokens", e.tokens },
        { "seconds", e.seconds }, { "wall", wall } };
}
} // namespace

void RunRecorder::recordWindow(const TrainEvent &e)
{
    const double wall = wallNow();
    post([this, e, wall] {
        Json j = positionJson(e, wall);
        j["loss"] = finiteOrNull(e.loss);
        j["lr"] = e.lr;
        j["grad_norm"] = finiteOrNull(e.gradNorm);
        j["tokens_per_sec"] = e.tokensPerSec;
        appendLine(m_scalars, "scalars.jsonl", dumpJson(j));
        m_events->addScalars(e.step, wall,
            { { "train/loss", static_cast<float>(e.loss) },
                { "train/lr", static_cast<float>(e.lr) },
                { "train/grad_norm", static_cast<float>(e.gradNorm) },
                { "train/tokens_per_sec", static_cast<float>(e.tokensPerSec) } });
    });
}

void RunRecorder::recordEpoch(const TrainEvent &e)
{
    const double wall = wallNow();
    post([this, e, wall] {
        Json j = positionJson(e, wall);
        j["train_loss"] = finiteOrNull(e.trainLoss);
        j["valid_loss"] = finiteOrNull(e.validLoss);
        j["valid_perplexity"] = finiteOrNull(e.validPerplexity);
        j["lr"] = e.lr;
        j["lr_cut"] = e.lrCut;
        appendLine(m_epochs, "epochs.jsonl", dumpJson(j));
        std::vector<std::pair<std::string, float>> values
            = { { "train/epoch_loss", static_cast<float>(e.trainLoss) } };
        if (std::isfinite(e.validLoss)) {
            values.push_back({ "valid/loss", static_cast<float>(e.validLoss) });
            values.push_back({ "valid/perplexity", static_cast<float>(e.validPerplexity) });
        }
        m_events->addScalars(e.step, wall, values);
    });
}

bool RunRecorder::snapshotDue(std::int64_t step) const
{
    if (step == m_lastSnapshot)
        return false;
    return step == 0 || (m_settings.snapshotEvery > 0 && step % m_settings.snapshotEvery == 0);
}

void RunRecorder::recordSnapshot(std::int64_t step, const LanguageModel<float> &model)
{
    TrainEvent e;
    e.step = step;
    recordSnapshot(e, model);
}

void RunRecorder::recordSnapshot(const TrainEvent &e, const LanguageModel<float> &model)
{
    if (e.step == m_lastSnapshot)
        return;
    m_lastSnapshot = e.step;
    // encoder (E, V) column-major is the (V, E) row-major table: one copy, on this thread.
    const auto &enc = model.encoder();
    auto table = std::make_shared<std::vector<float>>(enc.data(), enc.data() + enc.size());
    const EmbeddingSnapshotHeader header { e.step, static_cast<std::int32_t>(enc.cols()),
        static_cast<std::int32_t>(enc.rows()) };
    const double wall = wallNow();
    post([this, e, table, header, wall] {
        const std::string name = runSnapshotFile(e.step);
        writeEmbeddingSnapshot(joinPath(m_dir, name), header, table->data());
        Json j = positionJson(e, wall);
        j["file"] = name;
        appendLine(m_snapshots, "snapshots.jsonl", dumpJson(j));
    });
}

void RunRecorder::writeCheckpoint(LanguageModel<float> &model, const Vocabulary &vocab,
    const TrainState<float> &state, const TrainConfig &config)
{
    saveTrainingCheckpoint(joinPath(m_dir, RunCheckpointFile), model, vocab, m_settings.tokenizer,
        state, config,
        { { "corpus",
            jsonQuote(m_settings.corpus.path.empty() ? m_settings.corpus.name
                                                     : m_settings.corpus.path) } });
}

void RunRecorder::finish(const std::string &status, std::int64_t steps)
{
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_idle.wait(lock, [this] { return m_queue.empty() && !m_busy; });
    }
    m_settings.status = status;
    m_settings.steps = steps;
    // The user may have renamed the run or changed its colour meanwhile.
    try {
        const RunSettings now
            = settingsFromJson(parseJsonStrict(readFile(joinPath(m_dir, RunSettingsFile))));
        m_settings.name = now.name;
        m_settings.colour = now.colour;
    } catch (const std::exception &) {
        // Unreadable now: the recorder's own copy is written instead.
    }
    writeSettings();
}

std::string RunRecorder::error() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_error;
}

std::int64_t RunData::nearestSnapshotStep(std::int64_t step) const
{
    std::int64_t best = -1;
    for (const auto &s : snapshots)
        if (best < 0 || std::llabs(s.step - step) < std::llabs(best - step))
            best = s.step;
    return best;
}

const RunSnapshotEntry *RunData::findSnapshot(std::int64_t step) const
{
    const auto it = std::lower_bound(snapshots.begin(), snapshots.end(), step,
        [](const RunSnapshotEntry &s, std::int64_t v) { return s.step < v; });
    return it != snapshots.end() && it->step == step ? &*it : nullptr;
}

void updateRunSettings(const std::string &dir, const std::function<void(RunSettings &)> &change)
{
    const std::string path = joinPath(dir, RunSettingsFile);
    RunSettings s;
    try {
        s = settingsFromJson(parseJsonStrict(readFile(path)));
    } catch (const std::exception &e) {
        throw Error(fileMessage(path, e.what()));
    }
    change(s);
    writeFileAtomically(path, dumpJson(settingsToJson(s)) + "\n");
}

bool isRunFolder(const std::string &dir)
{
    return fileExists(joinPath(dir, RunSettingsFile));
}

RunData readRun(const std::string &dir)
{
    RunData run;
    run.dir = dir;
    const std::string settingsPath = joinPath(dir, RunSettingsFile);
    if (!fileExists(settingsPath))
        throw Error(fileMessage(dir,
            "not a run folder: it has no run.json (a run folder is what embedlab-cli train "
            "--run-dir or the window's Runs list records)"));
    try {
        run.settings = settingsFromJson(parseJsonStrict(readFile(settingsPath)));
    } catch (const Error &e) {
        throw Error(fileMessage(settingsPath, e.what()));
    } catch (const std::exception &e) {
        throw Error(
            fileMessage(settingsPath, std::string("a field is missing or wrong: ") + e.what()));
    }
    if (run.settings.name.empty()) {
        std::string base = dir;
        while (base.size() > 1 && base.back() == '/')
            base.pop_back();
        const auto slash = base.find_last_of('/');
        run.settings.name = slash == std::string::npos ? base : base.substr(slash + 1);
    }
    const std::string vocabPath = joinPath(dir, "vocab.json");
    try {
        const Json v = parseJsonStrict(readFile(vocabPath));
        for (const auto &w : v.at("words"))
            run.words.push_back(w.get<std::string>());
        for (const auto &c : v.at("counts"))
            run.counts.push_back(c.get<std::uint64_t>());
    } catch (const std::exception &e) {
        throw Error(fileMessage(vocabPath,
            std::string(e.what()) + " (expected {\"words\": [...], \"counts\": [...]})"));
    }
    if (static_cast<int>(run.words.size()) != run.settings.model.vocabSize)
        throw Error(fileMessage(vocabPath,
            "holds " + std::to_string(run.words.size())
                + " words but run.json says the vocabulary has "
                + std::to_string(run.settings.model.vocabSize)));

    readLines(joinPath(dir, "scalars.jsonl"), run.warnings, [&](const Json &j) {
        RunScalar s;
        s.step = field<std::int64_t>(j, "step");
        s.epoch = field<int>(j, "epoch");
        s.tokens = field<double>(j, "tokens");
        s.seconds = field<double>(j, "seconds");
        s.wallTime = field<double>(j, "wall");
        s.loss = field<double>(j, "loss");
        s.lr = field<double>(j, "lr");
        s.gradNorm = field<double>(j, "grad_norm");
        s.tokensPerSec = fieldOr<double>(j, "tokens_per_sec", 0);
        run.scalars.push_back(s);
    });
    readLines(joinPath(dir, "epochs.jsonl"), run.warnings, [&](const Json &j) {
        RunEpoch e;
        e.epoch = field<int>(j, "epoch");
        e.step = field<std::int64_t>(j, "step");
        e.tokens = field<double>(j, "tokens");
        e.seconds = field<double>(j, "seconds");
        e.wallTime = field<double>(j, "wall");
        e.trainLoss = field<double>(j, "train_loss");
        e.validLoss = field<double>(j, "valid_loss");
        e.validPerplexity = field<double>(j, "valid_perplexity");
        e.lr = field<double>(j, "lr");
        e.lrCut = field<bool>(j, "lr_cut");
        run.epochs.push_back(e);
    });
    readLines(joinPath(dir, "snapshots.jsonl"), run.warnings, [&](const Json &j) {
        RunSnapshotEntry s;
        s.step = field<std::int64_t>(j, "step");
        s.epoch = field<int>(j, "epoch");
        s.tokens = field<double>(j, "tokens");
        s.seconds = field<double>(j, "seconds");
        s.wallTime = field<double>(j, "wall");
        s.file = field<std::string>(j, "file");
        if (s.file.find("..") != std::string::npos || s.file.empty() || s.file[0] == '/')
            throw Error("'file' must name a file inside the run folder");
        run.snapshots.push_back(s);
    });
    keepLatest(run.scalars);
    keepLatest(run.snapshots);
    // Epoch lines of an epoch recorded again (a continued run) replace the earlier ones.
    std::vector<RunEpoch> epochs;
    for (auto &e : run.epochs) {
        while (!epochs.empty() && epochs.back().step >= e.step)
            epochs.pop_back();
        epochs.push_back(e);
    }
    run.epochs = std::move(epochs);
    std::vector<RunSnapshotEntry> present;
    for (auto &s : run.snapshots) {
        if (fileExists(joinPath(dir, s.file)))
            present.push_back(std::move(s));
        else
            run.warnings.push_back(joinPath(dir, s.file) + ": missing; step "
                + std::to_string(s.step) + " is left out");
    }
    run.snapshots = std::move(present);
    return run;
}

namespace {
WordVectors readSnapshotTable(const RunData &run, const std::string &path, bool includePad);
} // namespace

WordVectors readRunSnapshot(const RunData &run, std::int64_t step, bool includePad)
{
    const RunSnapshotEntry *entry = run.findSnapshot(step);
    if (!entry) {
        std::string near;
        if (run.snapshots.empty()) {
            near = "it has no snapshots";
        } else {
            const auto it = std::lower_bound(run.snapshots.begin(), run.snapshots.end(), step,
                [](const RunSnapshotEntry &s, std::int64_t v) { return s.step < v; });
            const auto index = static_cast<std::size_t>(it - run.snapshots.begin());
            near = "the nearest recorded steps are";
            const std::size_t lo = index >= 2 ? index - 2 : 0;
            for (std::size_t i = lo; i < std::min(run.snapshots.size(), index + 2); ++i)
                near += " " + std::to_string(run.snapshots[i].step);
            near += " (" + std::to_string(run.snapshots.size()) + " recorded, from "
                + std::to_string(run.snapshots.front().step) + " to "
                + std::to_string(run.snapshots.back().step) + ")";
        }
        throw Error(fileMessage(
            run.dir, "no embedding was recorded at step " + std::to_string(step) + "; " + near));
    }
    return readSnapshotTable(run, joinPath(run.dir, entry->file), includePad);
}

RunData runHeader(const RunData &run)
{
    RunData header;
    header.dir = run.dir;
    header.settings = run.settings;
    header.words = run.words;
    header.counts = run.counts;
    return header;
}

WordVectors readRunSnapshotFile(const RunData &run, std::int64_t step, bool includePad)
{
    return readSnapshotTable(run, joinPath(run.dir, runSnapshotFile(step)), includePad);
}

namespace {

WordVectors readSnapshotTable(const RunData &run, const std::string &path, bool includePad)
{
    EmbeddingSnapshotData data = readEmbeddingSnapshot(path);
    if (data.header.rows != static_cast<std::int32_t>(run.words.size())
        || data.header.cols != run.settings.model.embeddingDim)
        throw Error(fileMessage(path,
            "holds a " + std::to_string(data.header.rows) + " x " + std::to_string(data.header.cols)
                + " table but the run's is " + std::to_string(run.words.size()) + " x "
                + std::to_string(run.settings.model.embeddingDim)));
    const Eigen::Index skip = includePad ? 0 : 1;
    const Eigen::Index rows = data.header.rows - skip, cols = data.header.cols;
    RowMatrixXf table = Eigen::Map<const RowMatrixXf>(data.values.data(), data.header.rows, cols)
                            .bottomRows(rows);
    std::vector<std::string> words(run.words.begin() + skip, run.words.end());
    std::vector<std::uint64_t> counts;
    if (run.counts.size() == run.words.size())
        counts.assign(run.counts.begin() + skip, run.counts.end());
    return WordVectors(std::move(words), std::move(table), std::move(counts));
}

} // namespace

} // namespace embedlab
