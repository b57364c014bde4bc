#pragma once
// The main window: corpus and training panels, the live loss chart, menus, toolbar and status
// bar. It shows a Document (the corpus, the model and their files) and routes the user's actions
// to it; training runs in TrainingController.
#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

#include "core/corpus.h"
#include "core/model.h"
#include "core/pretrained.h"
#include "ui/backgroundtask.h"
#include "ui/comparedialog.h"
#include "ui/document.h"
#include "ui/mapbookmarks.h"
#include "ui/snapshots.h"

class QAction;
class QComboBox;
class QDialog;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QTimer;

namespace embedlab {

class ClassifierWindow;
class CorpusPanel;
class EmbeddingMap;
class GeneratePanel;
class HistoryChart;
class LossChart;
class EvaluateDialog;
class NeighborsPanel;
class RunsPanel;
class RunTimeline;
class TrainingController;
class TrainingPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void openCorpus(const QString &path);
    // Opens the bundled sample in language ("en", "zh_CN"; default: the interface's).
    void openSampleCorpus(const QString &language = QString());
    void openModel(const QString &path);
    // Shows vectors already read on the map and in the Neighbours panel, as Import Vectors does
    // when the user chooses to explore them.
    void exploreVectors(std::shared_ptr<const WordVectors> vectors, const QString &path);
    void saveModel(const QString &path);
    // Before an action replaces a trained model that has not been saved, asks Save / Discard /
    // Cancel (one prompt, object name "discardPrompt", for every such action). Returns true
    // when the action may go on now (nothing to lose, or Discard). Save writes the model (asking
    // for a file name if it has none, pausing a run first) and calls `retry` once the save
    // succeeded; Cancel returns false and nothing happens.
    bool mayReplaceModel(const QString &consequence, const std::function<void()> &retry);
    // Reads vectors with the import dialog; `path` pre-fills it (and starts reading).
    void importVectors(const QString &path = QString());
    void exportEmbedding(const QString &path);
    // The embedding the views show: a recorded step of a run, else the model's.
    void exportShownEmbedding(const QString &path);
    // As File > Export Embedding once its save dialog returned `path`: a Projector export asks
    // before replacing an existing labels file (object name "replaceLabelsPrompt"). Returns
    // false when the user cancelled.
    bool exportEmbeddingAs(const QString &path);
    // The second file an export to `path` writes: a Projector export's labels
    // (NAME_metadata.tsv), else empty.
    static QString exportCompanion(const QString &path);

    Document *document() const { return m_document; }
    // The corpus shown, or nullptr before the first one has loaded.
    const Corpus *corpus() const { return m_document->corpus(); }
    // The model, or nullptr before training or opening one. Not to be touched while training.
    const LanguageModel<float> *model() const { return m_document->model(); }
    // Trained or initialised since it was last saved or opened.
    bool isModelDirty() const { return m_document->isModelDirty(); }
    TrainingController *controller() const { return m_controller; }
    TrainingPanel *trainingPanel() const { return m_trainingPanel; }
    CorpusPanel *corpusPanel() const { return m_corpusPanel; }
    LossChart *lossChart() const { return m_lossChart; }
    EmbeddingMap *embeddingMap() const { return m_map; }
    // Colours and labels the map's words by a metadata file's columns (core/wordmetadata.h);
    // false, with a message naming the file and the line, when it cannot.
    bool loadMapMetadata(const QString &path);
    NeighborsPanel *neighborsPanel() const { return m_neighbors; }
    // The Evaluate Vectors dialog (word pairs, analogies) over the table the map shows; created
    // on first use.
    void showEvaluateDialog();
    EvaluateDialog *evaluateDialog() const { return m_evaluate; }
    RunsPanel *runsPanel() const { return m_runs; }
    GeneratePanel *generatePanel() const { return m_generate; }
    RunTimeline *timeline() const { return m_timeline; }
    // "Showing:" on the map's top line: what the map and the neighbours show (the model, the
    // imported vectors being explored, or a run's recorded step), and the choice between them.
    QComboBox *sourceBox() const { return m_sourceBox; }
    // The central area: the loss chart ("Loss") and the history chart ("History") as tabs.
    QTabWidget *centralTabs() const { return m_centralTabs; }
    HistoryChart *historyChart() const { return m_historyChart; }
    // The analogy questions file the history chart evaluates at every snapshot (remembered in the
    // settings), or empty; setting it evaluates the selected run again.
    QString historyAnalogies() const { return m_historyAnalogies; }
    void setHistoryAnalogies(const QString &path);
    // The run the timeline, the map and the neighbours follow (a run folder), or empty.
    QString selectedRun() const { return m_selectedRun; }
    void selectRun(const QString &dir);
    // Adds a run folder from anywhere to the Runs list and selects it once read.
    void openRunFolder(const QString &dir);
    // The text classification window (File > Text Classification), created on first use; a
    // classifier checkpoint opened here opens there.
    ClassifierWindow *showClassifierWindow();
    ClassifierWindow *classifierWindow() const;
    // Training > Restore Default Settings (and the panels' Restore Defaults buttons): after a
    // prompt (object name "restoreDefaultsPrompt") that lists what changes and what follows, the
    // corpus options and/or the training settings go back to their defaults, in the saved
    // settings too, and the corpus is tokenised again if its options changed.
    void restoreDefaultSettings(bool corpusOptions, bool trainingSettings);
    // The status bar's note while settings differ from the defaults ("settingsNote"), or empty.
    QString settingsNote() const;
    // The user guide (F1): a window beside this one, created on first use.
    void showHelp();
    QDialog *helpWindow() const { return m_help; }
    // Where training autosaves (Training panel, "Autosave every"); the last file written.
    QString autosavePath() const { return m_document->autosavePath(); }
    QString lastAutosave() const { return m_document->lastAutosave(); }

    // Bookmarks (mainwindow_bookmarks.cpp): named views of the map, kept in the settings.
    // Saves the map's view and what it shows (the model, the imported vectors or a run's step)
    // under `name`; a name taken asks before replacing it (object name "replaceBookmarkPrompt").
    // Returns false when nothing was saved.
    bool addBookmark(const QString &name);
    // Shows what the bookmark showed and restores its view (the zoom and the selection once its
    // projection has arrived). What cannot be shown any more (a run folder gone, no model, other
    // vectors imported) is said in the status bar, and the rest is restored. False when there is
    // no bookmark of that name.
    bool restoreBookmark(const QString &name);
    QStringList bookmarkNames() const;
    // "PCA · king · step 400": the method, the selected word, the step or the file shown.
    QString suggestedBookmarkName() const;
    void manageBookmarks(); // the Manage Bookmarks dialog
    QMenu *bookmarksMenu() const { return m_bookmarksMenu; }

signals:
    void corpusLoaded();
    void corpusFailed(const QString &message);
    void modelLoaded();
    void modelSaved(const QString &path);
    void modelFailed(const QString &message);
    void trainingRefused(const QString &message); // Start with a corpus that cannot be trained on
    void vectorsImported(const QString &path);
    void embeddingExported(const QString &path);
    // The map and the neighbours show `dir`'s embedding at `step` (from its run folder).
    void runStepShown(const QString &dir, qint64 step);
    // Compare started training `dir`, a sibling of the run `baseDir`.
    void siblingStarted(const QString &dir, const QString &baseDir);
    // The history chart shows `dir`'s figures (all of its snapshots unless a newer request
    // stopped the evaluation).
    void historyShown(const QString &dir);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    using CorpusSource = Document::CorpusSource;

    void createActions();
    void createDocks();
    void connectDocument();
    void loadCorpus(const CorpusSource &source);
    void retokenize();
    void startTraining();
    // Trains the document's model with `config`, in its run folder or a new one in the
    // workspace; `amend` completes a new run's settings (a sibling's name and origin).
    void beginTraining(const TrainConfig &config, bool continues,
        const std::function<void(RunSettings &)> &amend = {});
    void onProgress(const QVector<LossPoint> &points, const TrainingStatus &status);
    void onEpoch(const EpochPoint &epoch);
    void onTrainingFinished(const TrainingSummary &summary);
    void onTrainingFailed(const QString &message);
    // The status bar's epoch, step, speed and ETA of a run that is not the model's any more.
    void clearRunStatus();
    // Reset Model, or another text opened: the model goes, with its curve, its status and the
    // views that showed it (imported vectors being explored stay).
    void discardModelAndViews();
    void updateActions();
    // No run, or a paused one holding the training thread: the model can be read (saved, exported).
    bool modelIsStill() const;
    void chooseCorpus();
    void chooseModelToOpen();
    void chooseMapMetadata();
    void chooseModelToSave();
    // The path the user picks to save the model to (".safetensors" added), or empty.
    QString askModelSavePath();
    void saveModelThen(const QString &path, std::function<void()> then);
    void rebuildRecentMenu();
    void showError(const QString &title, const QString &message);
    void showAbout();
    void setBusy(const QString &message, bool busy);
    void useImportedVectors(std::shared_ptr<const WordVectors> vectors, const QString &path,
        bool initialise, bool frozen, bool adopt, UncoveredInit uncovered);
    // ofModel: the table is the model's embedding (not imported vectors being explored).
    void showTable(
        std::shared_ptr<const WordVectors> table, const QString &source, bool live, bool ofModel);
    void showModelTable(qint64 step);
    // The "Showing" box (mainwindow_source.cpp): what each entry shows, refreshed whenever the
    // views or what they could show change; choosing one shows it in the map and the neighbours.
    enum class ViewSource { Model, Imported, Run };
    void createSourceBox();
    void updateSourceBox();
    void showSource(ViewSource source);
    void connectRuns();
    // Compare: asks what the sibling of run `dir` changes, then startSibling().
    void compareRun(const QString &dir);
    // Checks the corpus (offering to open the base's), asks before discarding the model, reads
    // the vectors the sibling starts from, then createSibling(). corpusOpened: the base's corpus
    // was just read for it, so a mismatch now is final.
    void startSibling(const QString &baseDir, const RunChange &change, bool corpusOpened = false);
    void createSibling(const QString &baseDir, const RunChange &change,
        std::shared_ptr<const WordVectors> vectors, const QString &formatLabel);
    // Empty when the loaded corpus, read as it is, is the one `run` was trained on; otherwise why
    // not.
    QString corpusMismatch(const RunData &run) const;
    RunSettings newRunSettings(const TrainConfig &config) const;
    // The Runs list and the chart's other curves, from the document's runs.
    void refreshRuns();
    // automatic: not asked for by the user (a run selected on start-up); it then shows only if
    // no table was shown before or meanwhile.
    void showRunStep(const QString &dir, qint64 step, bool latest, bool automatic = false);
    void onHistoryTable(qint64 step, std::shared_ptr<const WordVectors> table);
    // The recorded step of a run the map and neighbours show, or -1 (the model, vectors).
    qint64 shownRunStep() const;
    // A file dialog's starting path for `fileName`: the folder of the last one, or Documents.
    QString dialogPath(const QString &fileName) const;
    // Remembers the folder of a path a file dialog returned, and returns the path.
    QString remembered(const QString &path) const;
    // A save dialog's suggested name: the corpus's stem, `what` and `suffix` ("austen",
    // "embedding", ".txt" -> "austen_embedding.txt"; "" and ".safetensors" ->
    // "austen.safetensors").
    QString suggestedFileName(const QString &what, const QString &suffix) const;
    // The saved model of the selected run when it is not the model's run, or "".
    QString selectedRunCheckpoint() const;
    void selectRun(const QString &dir, bool automatic);
    QColor runColour(const RunData &run) const;
    void readSettings();
    void writeSettings();
    void updateSettingsNote();
    // The history chart (historychart.h): the central tabs, the Training menu's action, and the
    // evaluation of the selected run on a worker whenever it or its snapshots change.
    // The version of the saved panel layout: a layout of another is not restored.
    static constexpr int LayoutVersion = 2;
    QByteArray m_defaultLayout; // the panels as first opened, for View > Reset Layout
    bool m_layoutRestored = false; // a saved layout of this version was restored
    bool m_layoutPlaced = false; // shown once
    void placePanels(); // the default panel sizes for the window's size
    void createBookmarksMenu();
    void rebuildBookmarksMenu();
    void askBookmarkName();
    void createCentralTabs();
    void addHistoryActions(QMenu *menu);
    void connectHistory();
    void requestHistory();
    void showHistoryProgress();
    void stopHistory(); // the evaluation running ends at its next progress report

    Document *m_document = nullptr;
    CorpusPanel *m_corpusPanel = nullptr;
    TrainingPanel *m_trainingPanel = nullptr;
    LossChart *m_lossChart = nullptr;
    EmbeddingMap *m_map = nullptr;
    NeighborsPanel *m_neighbors = nullptr;
    EvaluateDialog *m_evaluate = nullptr;
    RunsPanel *m_runs = nullptr;
    RunTimeline *m_timeline = nullptr;
    QString m_selectedRun; // the run the timeline shows
    QString m_liveRunDir; // the run being trained, while it is
    QElapsedTimer m_liveRowClock; // since the live run's row was last updated
    QString m_importedVectors; // the file the model's embedding started from, if any
    QSet<QString> m_hiddenRuns; // unticked in the Runs list
    bool m_scrubbing = false; // the map shows a recorded step, not the live table
    quint64 m_tableGeneration = 0; // counts the tables shown, so a late automatic one yields
    GeneratePanel *m_generate = nullptr;
    QComboBox *m_sourceBox = nullptr;
    // The vectors last imported to explore (they stay when the views show something else).
    std::shared_ptr<const WordVectors> m_explored;
    QString m_exploredPath;
    // The newest live table of the model while it trains, and the step of the model's embedding.
    std::shared_ptr<const WordVectors> m_liveTable;
    qint64 m_modelStep = 0;
    QTabWidget *m_centralTabs = nullptr;
    HistoryChart *m_historyChart = nullptr;
    std::unique_ptr<LatestTask> m_historyTask;
    struct HistoryProgress; // shared with the worker (mainwindow_history.cpp)
    std::shared_ptr<HistoryProgress> m_historyProgress; // of the newest request
    QTimer *m_historyTimer = nullptr; // shows the progress while a request runs
    QString m_historyAnalogies;
    QString m_historyRun; // the run last asked for
    QString m_historyChartRun; // the run the history chart shows
    bool m_historyStale = true; // asked for while the History tab was hidden
    TrainingController *m_controller = nullptr;

    QAction *m_openAct = nullptr, *m_saveAct = nullptr, *m_saveAsAct = nullptr,
            *m_openModelAct = nullptr, *m_sampleAct = nullptr, *m_startAct = nullptr,
            *m_pauseAct = nullptr, *m_stopAct = nullptr, *m_resetAct = nullptr,
            *m_importAct = nullptr, *m_exportAct = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_bookmarksMenu = nullptr;
    QAction *m_manageBookmarksAct = nullptr;
    QList<QAction *> m_bookmarkEntries; // one per bookmark, after the menu's separator
    BookmarkStore m_bookmarkStore;
    QLabel *m_epochLabel = nullptr, *m_stepLabel = nullptr, *m_speedLabel = nullptr,
           *m_etaLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_settingsNote = nullptr; // settings that differ from the defaults
    QAction *m_restoreDefaultsAct = nullptr;
    QDialog *m_help = nullptr;
    QPointer<ClassifierWindow> m_classifier;

    QTimer *m_busyTimer = nullptr;
    void showLoadProgress();

    TrainConfig m_runConfig; // the settings of the training running or last run
    std::function<void()> m_afterSave; // what saveModelThen() goes on with once the save is done
    bool m_viewsShowModel = false; // the map and the neighbours show the model's embedding
    bool m_readingSiblingVectors = false; // Compare reads the vectors its sibling starts from
    // The user opened another text: once it is read, a model of another vocabulary goes.
    bool m_replaceModelOnLoad = false;
};

} // namespace embedlab
