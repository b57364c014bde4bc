#pragma once
// What the window shows and the user saves: the corpus, the model with the vocabulary and
// tokenizer it was trained with, their files and whether the model has changed since it was last
// saved or opened. Every file operation (corpus, model, exported vectors, autosave location,
// recent files) goes through here; files are read and written on worker threads, and a failed
// load or save leaves the document as it was.
#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>

#include "core/corpus.h"
#include "core/model.h"
#include "core/pretrained.h"
#include "core/runlog.h"
#include "core/tokenizer.h"
#include "core/trainer.h"
#include "core/vocabulary.h"

namespace embedlab {

class Document : public QObject
{
    Q_OBJECT
public:
    struct CorpusSource
    {
        QString path; // empty for the bundled sample
        QString displayName;
        QByteArray sample; // the bundled text
    };

    static constexpr int MaxRecentFiles = 8;

    explicit Document(QObject *parent = nullptr);
    ~Document() override; // a corpus being read stops at its next progress report

    // The corpus, or nullptr before the first one has loaded.
    const Corpus *corpus() const { return m_corpus.get(); }
    std::shared_ptr<const Corpus> sharedCorpus() const { return m_corpus; }
    const CorpusSource &corpusSource() const { return m_source; }
    // The options the corpus was read with.
    const CorpusOptions &corpusOptions() const { return m_corpusOptions; }
    // The model, or nullptr before training or opening one. Not to be touched while training.
    const LanguageModel<float> *model() const { return m_model.get(); }
    std::shared_ptr<LanguageModel<float>> sharedModel() const { return m_model; }
    const Vocabulary &modelVocab() const { return m_modelVocab; } // the model's rows
    const TokenizerOptions &modelTokenizer() const { return m_modelTokenizer; }
    // The file the model was last opened from or saved to; empty for a new model.
    QString modelPath() const { return m_modelPath; }
    // Trained or initialised since it was last saved or opened.
    bool isModelDirty() const { return m_model && m_modelDirty; }
    // Training starts or resumes: the model changes from here on, even if it was just saved.
    void markModelDirty();
    // Where the model's run stands (nullptr: never trained here, or opened from a file that
    // records no training) and the settings it was trained with; saved with the model, and Start
    // continues from it.
    std::shared_ptr<const TrainState<float>> trainState() const { return m_trainState; }
    const TrainConfig &trainConfig() const { return m_trainConfig; }
    void setTrainState(std::shared_ptr<const TrainState<float>> state, const TrainConfig &config);

    // Reads a corpus on a worker thread; a newer request cancels and replaces an older one.
    void loadCorpus(const CorpusSource &source, const CorpusOptions &options);
    bool isLoadingCorpus() const { return m_pendingLoads > 0; }
    // Progress of the newest corpus read in thousandths (0 until it reports).
    int corpusLoadPermille() const;

    // A model is being opened, saved or exported; the next such request is refused until then.
    bool isBusy() const { return m_busyFile; }
    // Each returns false (and does nothing) while busy, and saving and exporting without a model.
    bool openModel(const QString &path);
    // copyFirst: the model belongs to a paused run that goes on after Resume, so a copy of it as
    // it is now is written.
    bool saveModel(const QString &path, bool copyFirst);
    // The format follows the file name (exportFormatForPath); a Projector export (NAME.tsv)
    // writes its labels to NAME_metadata.tsv beside it.
    bool exportEmbedding(const QString &path);
    // Writes the embedding of `run` at its recorded `step`, every row, in the background; the
    // same signals and refusals.
    bool exportRunStep(const QString &path, const QString &run, qint64 step);
    // Whether an export to `path` keeps the <pad> row: every format but the Projector's, whose
    // map would show the untrained row as a point of its own.
    static bool exportKeepsPad(const QString &path);

    // A new model for the loaded corpus's vocabulary, randomly initialised; throws (leaving the
    // previous model) when the configuration is refused.
    void createModel(
        const ModelConfig &config, std::uint64_t seed, const TokenizerOptions &tokenizer);
    // The same with the embedding initialised from `vectors`; returns how well they cover the
    // vocabulary.
    Coverage createModelFromVectors(const ModelConfig &config, std::uint64_t seed,
        const TokenizerOptions &tokenizer, const WordVectors &vectors, UncoveredInit uncovered);
    void discardModel();

    // Where training autosaves: beside the model's own file when it has one, otherwise in the
    // application's data folder under the corpus's name; never over a file the user saved.
    QString autosavePath() const;
    QString lastAutosave() const { return m_lastAutosave; }
    void setLastAutosave(const QString &path) { m_lastAutosave = path; }

    // Runs. Every training is recorded in a run folder in the workspace (by default the
    // application's data folder, "runs"); continuing a model continues its run's folder.
    QString workspaceDir() const;
    void setWorkspaceDir(const QString &dir);
    // The run folder the model belongs to (empty: a new model, whose run starts with Start).
    QString currentRunDir() const { return m_runDir; }
    // A new folder in the workspace for a run of the current model: date, time and corpus.
    QString newRunDir() const;
    // `name`, or with " (2)", " (3)"... when a run in the list has it already.
    QString uniqueRunName(const QString &name) const;
    void setCurrentRunDir(const QString &dir) { m_runDir = dir; }
    // The runs of the workspace as last read (reloadRuns), oldest first, and the ones opened
    // from elsewhere (File > Open Run Folder).
    const QVector<std::shared_ptr<const RunData>> &runs() const { return m_runs; }
    std::shared_ptr<const RunData> run(const QString &dir) const;
    // Reads every run of the workspace (and the extra ones) on a worker thread; runsChanged()
    // when done. A folder that cannot be read is left out and reported by runFailed(). A run read
    // again, added or deleted after this was asked for stays as that left it.
    void reloadRuns();
    // Reads one run again (it grew, or was renamed) or adds it; a read of it (or of every run)
    // asked for later wins, whichever ends first.
    void reloadRun(const QString &dir);
    void addRunFolder(const QString &dir);
    bool renameRun(const QString &dir, const QString &name, QString *error = nullptr);
    bool setRunColour(const QString &dir, const QString &colour, QString *error = nullptr);
    // Deletes the run's files (only those a run folder holds) and the folder if it is then
    // empty; refuses the current run while it trains (the caller knows).
    bool deleteRun(const QString &dir, QString *error = nullptr);

    // Corpora and models opened or saved, newest first (absolute paths, at most MaxRecentFiles).
    static QStringList recentFiles();

signals:
    // retokenised: the same text read again with other options.
    void corpusChanged(bool retokenised);
    void corpusFailed(const QString &displayName, const QString &message);
    // Opened, created, initialised or discarded.
    void modelChanged();
    // notice: what of the run cannot go on exactly (its training state is missing, for example).
    void modelOpened(const QString &path, const QString &notice);
    void modelOpenFailed(const QString &message);
    void saved(const QString &path);
    void saveFailed(const QString &message);
    void exported(const QString &path);
    void exportFailed(const QString &message);
    void dirtyChanged(bool dirty);
    void recentFilesChanged();
    void runsChanged();
    void runFailed(const QString &message);

private:
    bool exportVectors(
        const QString &path, std::function<std::shared_ptr<const WordVectors>()> table);
    void setModel(std::shared_ptr<LanguageModel<float>> model, Vocabulary vocab,
        const TokenizerOptions &tokenizer, const QString &path, bool dirty);
    void setModelDirty(bool dirty);
    void addRecentFile(const QString &path);

    // Shared with the worker reading a corpus: its progress, and a flag that cancels it.
    struct LoadState
    {
        std::atomic<bool> cancel { false };
        std::atomic<int> permille { 0 };
    };
    std::shared_ptr<LoadState> m_loadState;

    CorpusSource m_source;
    CorpusOptions m_corpusOptions;
    std::shared_ptr<const Corpus> m_corpus;
    quint64 m_loadGeneration = 0; // the newest corpus request wins
    int m_pendingLoads = 0;
    std::shared_ptr<LanguageModel<float>> m_model;
    std::shared_ptr<const TrainState<float>> m_trainState;
    TrainConfig m_trainConfig;
    Vocabulary m_modelVocab; // the vocabulary the model's rows belong to
    TokenizerOptions m_modelTokenizer;
    QString m_modelPath;
    QString m_lastAutosave;
    QString m_runDir;
    QVector<std::shared_ptr<const RunData>> m_runs;
    QStringList m_extraRuns; // opened from outside the workspace
    // Every read of runs (all of them or one) and every deletion is numbered in the order it is
    // asked for, and the list keeps for each run folder the newest of them: a read that ends late
    // never replaces what a later one found (a run that a training created or finished meanwhile).
    quint64 m_runRequests = 0;
    quint64 m_runsGeneration = 0; // the newest read of every run asked for
    quint64 m_runsReadAt = 0; // the read of every run the list is made of
    QHash<QString, quint64> m_runReadAt; // a run folder: the newest read or deletion the list has
    bool m_modelDirty = false;
    bool m_busyFile = false; // a model is being opened, saved or exported
};

} // namespace embedlab
