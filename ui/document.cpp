#include "ui/document.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>

#include "core/checkpoint.h"
#include "core/safetensors.h"
#include "core/trainstate.h"
#include "core/vectors/vectors.h"
#include "ui/backgroundtask.h"

namespace embedlab {

Document::Document(QObject *parent)
    : QObject(parent)
{ }

Document::~Document()
{
    if (m_loadState)
        m_loadState->cancel = true; // a corpus being read stops at its next progress report
}

void Document::loadCorpus(const CorpusSource &source, const CorpusOptions &options)
{
    const quint64 generation = ++m_loadGeneration;
    ++m_pendingLoads;
    // A newer request (or closing the window) cancels the read in progress.
    if (m_loadState)
        m_loadState->cancel = true;
    auto state = std::make_shared<LoadState>();
    m_loadState = state;
    runInBackground<Corpus>(
        this,
        [source, options, state] {
            if (source.path.isEmpty())
                return buildCorpus(std::string_view(source.sample.constData(),
                                       static_cast<std::size_t>(source.sample.size())),
                    options, source.displayName.toStdString());
            return embedlab::loadCorpus(QFile::encodeName(source.path).toStdString(), options,
                [state](std::uint64_t done, std::uint64_t total) {
                    if (total > 0)
                        state->permille = static_cast<int>(1000.0 * done / total);
                    return !state->cancel.load();
                });
        },
        [this, source, options, generation](std::shared_ptr<Corpus> corpus, QString error) {
            --m_pendingLoads;
            if (generation != m_loadGeneration)
                return; // a newer request replaced this one
            if (!corpus) {
                emit corpusFailed(source.displayName, error);
                return;
            }
            const bool sameText
                = source.path == m_source.path && source.displayName == m_source.displayName;
            m_source = source;
            m_corpusOptions = options;
            m_corpus = std::move(corpus);
            if (!source.path.isEmpty())
                addRecentFile(source.path);
            emit corpusChanged(sameText);
        });
}

int Document::corpusLoadPermille() const
{
    return m_loadState ? m_loadState->permille.load() : 0;
}

bool Document::openModel(const QString &path)
{
    if (m_busyFile)
        return false;
    m_busyFile = true;
    struct Opened
    {
        LoadedCheckpoint<float> checkpoint;
        LoadedTrainState<float> training;
    };
    runInBackground<Opened>(
        this,
        [path] {
            const std::string file = QFile::encodeName(path).toStdString();
            Opened opened { loadCheckpoint<float>(file), {} };
            opened.training
                = loadTrainState(file, opened.checkpoint.metadata, *opened.checkpoint.model);
            return opened;
        },
        [this, path](std::shared_ptr<Opened> opened, QString error) {
            m_busyFile = false;
            if (!opened) {
                emit modelOpenFailed(error);
                return;
            }
            LoadedCheckpoint<float> &ck = opened->checkpoint;
            setModel(std::shared_ptr<LanguageModel<float>>(std::move(ck.model)),
                std::move(ck.vocab), ck.tokenizer, path, false);
            m_trainState = std::move(opened->training.state);
            m_trainConfig = opened->training.config;
            // A run folder's checkpoint: Start continues that run's record.
            const QString folder = QFileInfo(path).absolutePath();
            if (QFileInfo(path).fileName() == QLatin1String(RunCheckpointFile)
                && QFileInfo::exists(folder + QStringLiteral("/run.json")))
                m_runDir = folder;
            addRecentFile(path);
            emit modelOpened(path, QString::fromStdString(opened->training.notice));
        });
    return true;
}

bool Document::saveModel(const QString &path, bool copyFirst)
{
    if (!m_model || m_busyFile)
        return false;
    m_busyFile = true;
    auto model = copyFirst ? std::make_shared<LanguageModel<float>>(*m_model) : m_model;
    const Vocabulary vocab = m_modelVocab;
    const TokenizerOptions tokenizer = m_modelTokenizer;
    auto state = m_trainState ? m_trainState : std::make_shared<const TrainState<float>>();
    const TrainConfig config = m_trainConfig;
    const std::string corpusName
        = (m_source.path.isEmpty() ? m_source.displayName : m_source.path).toStdString();
    runInBackground<bool>(
        this,
        [path, model, vocab, tokenizer, state, config, corpusName] {
            saveTrainingCheckpoint(QFile::encodeName(path).toStdString(), *model, vocab, tokenizer,
                *state, config, { { "corpus", jsonQuote(corpusName) } });
            return true;
        },
        [this, path](std::shared_ptr<bool> ok, QString error) {
            m_busyFile = false;
            if (!ok) {
                emit saveFailed(error);
                return;
            }
            m_modelPath = path;
            setModelDirty(false);
            addRecentFile(path);
            emit saved(path);
        });
    return true;
}

bool Document::exportEmbedding(const QString &path)
{
    if (!m_model || m_busyFile)
        return false;
    auto table = std::make_shared<const WordVectors>(
        embeddingTable(*m_model, m_modelVocab, exportKeepsPad(path)));
    return exportVectors(path, [table] { return table; });
}

bool Document::exportRunStep(const QString &path, const QString &dir, qint64 step)
{
    const auto data = run(dir);
    if (!data || m_busyFile)
        return false;
    auto one = std::make_shared<const RunData>(runHeader(*data));
    const bool pad = exportKeepsPad(path);
    return exportVectors(path, [one, step, pad] {
        return std::make_shared<const WordVectors>(readRunSnapshotFile(*one, step, pad));
    });
}

bool Document::exportKeepsPad(const QString &path)
{
    // The Projector shows every row it is given, and the untrained all-zero <pad> would be a
    // point at the origin the map never shows; a matrix for Keras keeps it as row 0.
    return exportFormatForPath(QFile::encodeName(path).toStdString()) != VectorFormat::ProjectorTsv;
}

bool Document::exportVectors(
    const QString &path, std::function<std::shared_ptr<const WordVectors>()> table)
{
    const WriteFormat format = exportFormatForPath(QFile::encodeName(path).toStdString());
    m_busyFile = true;
    runInBackground<bool>(
        this,
        [path, table, format] {
            writeVectors(QFile::encodeName(path).toStdString(), *table(), format);
            return true;
        },
        [this, path](std::shared_ptr<bool> ok, QString error) {
            m_busyFile = false;
            if (!ok) {
                emit exportFailed(error);
                return;
            }
            emit exported(path);
        });
    return true;
}

void Document::createModel(
    const ModelConfig &config, std::uint64_t seed, const TokenizerOptions &tokenizer)
{
    auto model = std::make_shared<LanguageModel<float>>(config);
    model->initRandom(seed);
    setModel(std::move(model), m_corpus->vocab, tokenizer, QString(), true);
}

Coverage Document::createModelFromVectors(const ModelConfig &config, std::uint64_t seed,
    const TokenizerOptions &tokenizer, const WordVectors &vectors, UncoveredInit uncovered)
{
    auto model = std::make_shared<LanguageModel<float>>(config);
    model->initRandom(seed);
    const Coverage c = initEmbedding(*model, m_corpus->vocab, vectors, uncovered, seed);
    setModel(std::move(model), m_corpus->vocab, tokenizer, QString(), true);
    return c;
}

void Document::discardModel()
{
    const bool wasDirty = isModelDirty();
    m_model.reset();
    m_trainState.reset();
    m_runDir.clear();
    m_modelPath.clear();
    m_modelDirty = false;
    emit modelChanged();
    if (wasDirty)
        emit dirtyChanged(false);
}

void Document::setModel(std::shared_ptr<LanguageModel<float>> model, Vocabulary vocab,
    const TokenizerOptions &tokenizer, const QString &path, bool dirty)
{
    const bool wasDirty = isModelDirty();
    m_model = std::move(model);
    m_trainState.reset(); // a new model starts a new run
    m_runDir.clear();
    m_modelVocab = std::move(vocab);
    m_modelTokenizer = tokenizer;
    m_modelPath = path;
    m_modelDirty = dirty;
    emit modelChanged();
    if (isModelDirty() != wasDirty)
        emit dirtyChanged(isModelDirty());
}

void Document::setTrainState(
    std::shared_ptr<const TrainState<float>> state, const TrainConfig &config)
{
    m_trainState = std::move(state);
    m_trainConfig = config;
}

void Document::markModelDirty()
{
    setModelDirty(true);
}

void Document::setModelDirty(bool dirty)
{
    const bool wasDirty = isModelDirty();
    m_modelDirty = dirty;
    if (isModelDirty() != wasDirty)
        emit dirtyChanged(isModelDirty());
}

QString Document::workspaceDir() const
{
    const QString set = QSettings().value(QStringLiteral("workspace")).toString();
    if (!set.isEmpty())
        return set;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/runs");
}

void Document::setWorkspaceDir(const QString &dir)
{
    QSettings().setValue(QStringLiteral("workspace"), QFileInfo(dir).absoluteFilePath());
    reloadRuns();
}

QString Document::newRunDir() const
{
    QString stem = QFileInfo(m_source.path.isEmpty() ? QStringLiteral("sample") : m_source.path)
                       .completeBaseName();
    stem.replace(QRegularExpression(QStringLiteral("[^\\w.-]+")), QStringLiteral("-"));
    const QString base = workspaceDir() + QLatin1Char('/')
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd_HH-mm-ss_")) + stem;
    QString dir = base;
    for (int i = 2; QFileInfo::exists(dir); ++i)
        dir = base + QStringLiteral("_%1").arg(i);
    return dir;
}

QString Document::uniqueRunName(const QString &name) const
{
    const auto taken = [this](const QString &n) {
        for (const auto &r : m_runs)
            if (QString::fromStdString(r->settings.name) == n)
                return true;
        return false;
    };
    QString unique = name;
    for (int i = 2; taken(unique); ++i)
        unique = QStringLiteral("%1 (%2)").arg(name).arg(i);
    return unique;
}

std::shared_ptr<const RunData> Document::run(const QString &dir) const
{
    for (const auto &r : m_runs)
        if (QString::fromStdString(r->dir) == dir)
            return r;
    return nullptr;
}

namespace {
struct ReadRuns
{
    QVector<std::shared_ptr<const RunData>> runs;
    QStringList problems;
};

ReadRuns readRuns(const QStringList &dirs)
{
    ReadRuns out;
    for (const QString &dir : dirs) {
        try {
            out.runs.push_back(
                std::make_shared<const RunData>(readRun(QFile::encodeName(dir).toStdString())));
        } catch (const std::exception &e) {
            out.problems << QString::fromStdString(e.what());
        }
    }
    std::stable_sort(out.runs.begin(), out.runs.end(),
        [](const auto &a, const auto &b) { return a->settings.created < b->settings.created; });
    return out;
}
} // namespace

void Document::reloadRuns()
{
    QStringList dirs;
    const QDir workspace(workspaceDir());
    for (const QFileInfo &fi : workspace.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (QFileInfo::exists(fi.filePath() + QStringLiteral("/run.json")))
            dirs << fi.absoluteFilePath();
    for (const QString &d : std::as_const(m_extraRuns))
        if (!dirs.contains(d))
            dirs << d;
    const quint64 request = ++m_runRequests;
    m_runsGeneration = request;
    runInBackground<ReadRuns>(
        this, [dirs] { return readRuns(dirs); },
        [this, request](std::shared_ptr<ReadRuns> read, QString error) {
            if (request != m_runsGeneration)
                return; // a newer read of every run is on its way
            if (!read) {
                emit runFailed(error);
                return;
            }
            // The folders were listed when this read was asked for: a run read again or deleted
            // since then stays as the window knows it, and a run created since then stays too.
            QVector<std::shared_ptr<const RunData>> runs;
            QSet<QString> found;
            for (const auto &r : std::as_const(read->runs)) {
                const QString dir = QString::fromStdString(r->dir);
                found.insert(dir);
                if (m_runReadAt.value(dir) > request) {
                    if (auto known = run(dir))
                        runs.push_back(std::move(known));
                    continue;
                }
                m_runReadAt.insert(dir, request);
                runs.push_back(r);
            }
            for (const auto &r : std::as_const(m_runs)) {
                const QString dir = QString::fromStdString(r->dir);
                if (!found.contains(dir) && m_runReadAt.value(dir) > request)
                    runs.push_back(r);
            }
            m_runs = std::move(runs);
            m_runsReadAt = request;
            for (const QString &p : std::as_const(read->problems))
                emit runFailed(p);
            emit runsChanged();
        });
}

void Document::reloadRun(const QString &dir)
{
    const quint64 request = ++m_runRequests;
    runInBackground<ReadRuns>(
        this, [dir] { return readRuns({ dir }); },
        [this, dir, request](std::shared_ptr<ReadRuns> read, QString) {
            // A read of every run, or of this one, asked for later has been applied already.
            if (!read || request < m_runsReadAt || request < m_runReadAt.value(dir))
                return;
            for (const QString &p : std::as_const(read->problems))
                emit runFailed(p);
            if (read->runs.isEmpty())
                return;
            m_runReadAt.insert(dir, request);
            bool replaced = false;
            for (auto &r : m_runs)
                if (QString::fromStdString(r->dir) == dir) {
                    r = read->runs.front();
                    replaced = true;
                }
            if (!replaced)
                m_runs.push_back(read->runs.front());
            emit runsChanged();
        });
}

void Document::addRunFolder(const QString &dir)
{
    const QString abs = QFileInfo(dir).absoluteFilePath();
    if (!m_extraRuns.contains(abs))
        m_extraRuns << abs;
    reloadRun(abs);
}

bool Document::renameRun(const QString &dir, const QString &name, QString *error)
{
    try {
        updateRunSettings(QFile::encodeName(dir).toStdString(),
            [&](RunSettings &s) { s.name = name.toStdString(); });
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    reloadRun(dir);
    return true;
}

bool Document::setRunColour(const QString &dir, const QString &colour, QString *error)
{
    try {
        updateRunSettings(QFile::encodeName(dir).toStdString(),
            [&](RunSettings &s) { s.colour = colour.toStdString(); });
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    reloadRun(dir);
    return true;
}

bool Document::deleteRun(const QString &dir, QString *error)
{
    QDir d(dir);
    if (!QFileInfo::exists(d.filePath(QStringLiteral("run.json")))) {
        if (error)
            *error = tr("%1 is not a run folder").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    // Only what a run folder holds: a folder the user put other files in keeps them.
    bool ok = true;
    QDir snapshots(d.filePath(QStringLiteral("snapshots")));
    for (const QString &f : snapshots.entryList({ QStringLiteral("step-*.f16.zst") }, QDir::Files))
        ok = snapshots.remove(f) && ok;
    d.rmdir(QStringLiteral("snapshots"));
    for (const QString &f :
        d.entryList({ QStringLiteral("run.json"), QStringLiteral("vocab.json"),
                        QStringLiteral("*.jsonl"), QStringLiteral("events.out.tfevents.*"),
                        QStringLiteral("checkpoint*.safetensors") },
            QDir::Files))
        ok = d.remove(f) && ok;
    QDir().rmdir(dir);
    if (!ok && error)
        *error = tr("some files of %1 could not be deleted").arg(QDir::toNativeSeparators(dir));
    m_extraRuns.removeAll(dir);
    m_runReadAt.insert(dir, ++m_runRequests); // a read asked for before does not bring it back
    m_runs.erase(std::remove_if(m_runs.begin(), m_runs.end(),
                     [&](const auto &r) { return QString::fromStdString(r->dir) == dir; }),
        m_runs.end());
    if (m_runDir == dir)
        m_runDir.clear();
    emit runsChanged();
    return ok;
}

QString Document::autosavePath() const
{
    // Beside the model's own file when it has one, otherwise in the application's data folder
    // under the corpus's name; never over a file the user saved.
    if (!m_modelPath.isEmpty()) {
        const QFileInfo fi(m_modelPath);
        return fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".autosave.safetensors"));
    }
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/autosave");
    QDir().mkpath(dir);
    QString stem = QFileInfo(m_source.path.isEmpty() ? QStringLiteral("sample") : m_source.path)
                       .completeBaseName();
    if (stem.isEmpty())
        stem = QStringLiteral("model");
    return dir + QLatin1Char('/') + stem + QStringLiteral(".autosave.safetensors");
}

void Document::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList files = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    files.removeAll(abs);
    files.prepend(abs);
    while (files.size() > MaxRecentFiles)
        files.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), files);
    emit recentFilesChanged();
}

QStringList Document::recentFiles()
{
    return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

} // namespace embedlab
