#include "ui/mainwindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>
#include <utility>

#include "core/classifiercheckpoint.h"
#include "core/vectors/vectors.h"
#include "ui/classifierwindow.h"
#include "ui/corpuspanel.h"
#include "ui/embeddingmap.h"
#include "ui/filedialogs.h"
#include "ui/generatepanel.h"
#include "ui/importvectorsdialog.h"
#include "ui/language.h"
#include "ui/losschart.h"
#include "ui/neighborspanel.h"
#include "ui/runspanel.h"
#include "ui/runtimeline.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

namespace embedlab {

namespace {

// The bundled sample corpora; the one in the interface's language opens on first start.
struct BundledSample
{
    const char *resource;
    const char *name; // translated in the context "embedlab::MainWindow"
    const char *language;
};
const BundledSample Samples[] = {
    { ":/sample/pride-and-prejudice.txt",
        QT_TRANSLATE_NOOP("embedlab::MainWindow", "Pride and Prejudice (sample)"), "en" },
    { ":/sample/luxun-nahan-panghuang.txt",
        QT_TRANSLATE_NOOP("embedlab::MainWindow", "Lu Xun, Call to Arms and Wandering (sample)"),
        "zh_CN" },
};

// The sample a run trained on: runs record no path for a sample, but its size tells which.
const BundledSample &sampleOfSize(std::uint64_t bytes)
{
    for (const BundledSample &sample : Samples)
        if (static_cast<std::uint64_t>(QFileInfo(QString::fromLatin1(sample.resource)).size())
            == bytes)
            return sample;
    return Samples[0];
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

bool sameArchitecture(const ModelConfig &a, const ModelConfig &b)
{
    return a.cell == b.cell && a.vocabSize == b.vocabSize && a.embeddingDim == b.embeddingDim
        && a.hiddenSize == b.hiddenSize && a.layers == b.layers && a.tied == b.tied;
}

QVector<LossPoint> lossPoints(const RunData &run)
{
    QVector<LossPoint> points;
    points.reserve(static_cast<int>(run.scalars.size()));
    for (const auto &s : run.scalars)
        points.push_back({ s.step, s.tokens, s.seconds, s.loss, s.lr, s.gradNorm, s.epoch });
    return points;
}

QVector<EpochPoint> epochPoints(const RunData &run)
{
    QVector<EpochPoint> epochs;
    for (const auto &e : run.epochs)
        epochs.push_back({ e.epoch, e.step, e.tokens, e.seconds, e.trainLoss, e.validLoss,
            e.validPerplexity, e.lr, e.lrCut });
    return epochs;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Embedding Lab"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    m_document = new Document(this);
    m_controller = new TrainingController(this);
    m_lossChart = new LossChart(this);
    createCentralTabs();
    createDocks();
    createActions();

    m_epochLabel = new QLabel(this);
    m_stepLabel = new QLabel(this);
    m_speedLabel = new QLabel(this);
    m_etaLabel = new QLabel(this);
    m_epochLabel->setObjectName(QStringLiteral("epochLabel"));
    m_stepLabel->setObjectName(QStringLiteral("stepLabel"));
    m_speedLabel->setObjectName(QStringLiteral("speedLabel"));
    m_etaLabel->setObjectName(QStringLiteral("etaLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_busyTimer = new QTimer(this);
    m_busyTimer->setInterval(100);
    connect(m_busyTimer, &QTimer::timeout, this, &MainWindow::showLoadProgress);
    m_settingsNote = new QLabel(this);
    m_settingsNote->setObjectName(QStringLiteral("settingsNote"));
    m_settingsNote->setTextFormat(Qt::RichText);
    m_settingsNote->hide();
    connect(m_settingsNote, &QLabel::linkActivated, this,
        [this] { restoreDefaultSettings(true, true); });
    statusBar()->addPermanentWidget(m_settingsNote);
    for (QLabel *l : { m_epochLabel, m_stepLabel, m_speedLabel, m_etaLabel })
        statusBar()->addPermanentWidget(l);
    statusBar()->addPermanentWidget(m_progress);

    connect(m_controller, &TrainingController::progressAvailable, this, &MainWindow::onProgress);
    connect(m_controller, &TrainingController::epochFinished, this, &MainWindow::onEpoch);
    connect(m_controller, &TrainingController::finished, this, &MainWindow::onTrainingFinished);
    connect(m_controller, &TrainingController::failed, this, &MainWindow::onTrainingFailed);
    connect(m_controller, &TrainingController::autosaved, this,
        [this](const QString &path, qint64 step) {
            m_document->setLastAutosave(path);
            statusBar()->showMessage(
                tr("Autosaved the model at step %1 to %2")
                    .arg(QLocale().toString(step), QDir::toNativeSeparators(path)),
                10000);
        });
    connect(
        m_controller, &TrainingController::autosaveFailed, this, [this](const QString &message) {
            // Training goes on; the previous autosave (if any) is intact.
            statusBar()->showMessage(
                tr("Autosave failed, training continues: %1").arg(message), 30000);
        });
    connect(m_controller, &TrainingController::embeddingAvailable, this,
        [this](const EmbeddingSnapshot &snap) {
            m_liveTable = snap.table;
            m_modelStep = snap.step;
            // While the user looks at a recorded step or imported vectors, the live table waits.
            if (!m_scrubbing)
                showTable(snap.table, tr("model, step %1").arg(snap.step), snap.step > 0, true);
            else
                updateSourceBox(); // the model's entry names its newest step
        });
    connectRuns();
    connectHistory();
    connect(m_controller, &TrainingController::pausedChanged, this, [this](bool paused) {
        m_trainingPanel->setState(
            paused ? TrainingPanel::State::Paused : TrainingPanel::State::Running);
        statusBar()->showMessage(paused ? tr("Paused") : tr("Training..."));
        if (!paused)
            m_document->markModelDirty(); // a model saved during the pause changes from here on
        updateActions();
    });
    // Saving and exporting become possible once the pause holds the training thread.
    connect(m_controller, &TrainingController::pauseReached, this, &MainWindow::updateActions);
    connect(m_trainingPanel, &TrainingPanel::startRequested, this, &MainWindow::startTraining);
    connect(
        m_trainingPanel, &TrainingPanel::pauseRequested, m_controller, &TrainingController::pause);
    connect(m_trainingPanel, &TrainingPanel::resumeRequested, m_controller,
        &TrainingController::resume);
    connect(
        m_trainingPanel, &TrainingPanel::stopRequested, m_controller, &TrainingController::stop);
    connect(m_trainingPanel, &TrainingPanel::resetRequested, m_resetAct, &QAction::trigger);
    connect(m_corpusPanel, &CorpusPanel::optionsChanged, this, &MainWindow::retokenize);
    connect(m_corpusPanel, &CorpusPanel::settingsEdited, this, &MainWindow::updateSettingsNote);
    connect(
        m_trainingPanel, &TrainingPanel::settingsChanged, this, &MainWindow::updateSettingsNote);
    connect(m_corpusPanel, &CorpusPanel::restoreDefaultsRequested, this,
        [this] { restoreDefaultSettings(true, false); });
    connect(m_trainingPanel, &TrainingPanel::restoreDefaultsRequested, this,
        [this] { restoreDefaultSettings(false, true); });
    connectDocument();
    // Whatever ends a file operation or a corpus load re-enables what waited for it (Compare,
    // Save, Export), after the document has cleared its busy state.
    for (auto signal : { &Document::corpusChanged })
        connect(m_document, signal, this, &MainWindow::updateActions, Qt::QueuedConnection);
    for (auto signal : { &Document::corpusFailed })
        connect(m_document, signal, this, &MainWindow::updateActions, Qt::QueuedConnection);
    for (auto signal : { &Document::modelOpened })
        connect(m_document, signal, this, &MainWindow::updateActions, Qt::QueuedConnection);
    connect(m_document, &Document::modelChanged, this, &MainWindow::updateActions,
        Qt::QueuedConnection);
    for (auto signal : { &Document::modelOpenFailed, &Document::saveFailed, &Document::exportFailed,
             &Document::saved, &Document::exported })
        connect(m_document, signal, this, &MainWindow::updateActions, Qt::QueuedConnection);

    readSettings();
    updateSettingsNote();
    updateActions();
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    stopHistory();
}

void MainWindow::createDocks()
{
    // The map in the middle, the largest; the settings tabbed in a column on the left, each
    // scrolling when the window is short; the charts over the neighbours on the right.
    const auto scrolled = [this](QWidget *panel) {
        auto *area = new QScrollArea(this);
        area->setWidget(panel);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        return area;
    };
    m_corpusPanel = new CorpusPanel(this);
    m_runs = new RunsPanel(this);
    auto *runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName(QStringLiteral("runsDock"));
    runsDock->setWidget(m_runs);

    auto *corpusDock = new QDockWidget(tr("Corpus"), this);
    corpusDock->setObjectName(QStringLiteral("corpusDock"));
    corpusDock->setWidget(m_corpusPanel);
    addDockWidget(Qt::LeftDockWidgetArea, corpusDock);

    m_trainingPanel = new TrainingPanel(this);
    auto *trainingDock = new QDockWidget(tr("Training"), this);
    trainingDock->setObjectName(QStringLiteral("trainingDock"));
    trainingDock->setWidget(scrolled(m_trainingPanel));
    addDockWidget(Qt::LeftDockWidgetArea, trainingDock);
    tabifyDockWidget(corpusDock, trainingDock);
    tabifyDockWidget(trainingDock, runsDock);
    trainingDock->raise();

    m_map = new EmbeddingMap(this);
    // The timeline under the map scrubs the selected run's recorded steps.
    auto *mapArea = new QWidget(this);
    mapArea->setObjectName(QStringLiteral("mapArea"));
    auto *mapLayout = new QVBoxLayout(mapArea);
    mapLayout->setContentsMargins(4, 4, 4, 0);
    mapLayout->setSpacing(0);
    mapLayout->addWidget(m_map, 1);
    m_timeline = new RunTimeline(mapArea);
    mapLayout->addWidget(m_timeline);
    setCentralWidget(mapArea);

    auto *chartsDock = new QDockWidget(tr("Charts"), this);
    chartsDock->setObjectName(QStringLiteral("chartsDock"));
    chartsDock->setWidget(m_centralTabs);
    addDockWidget(Qt::RightDockWidgetArea, chartsDock);

    m_neighbors = new NeighborsPanel(this);
    auto *neighborsDock = new QDockWidget(tr("Neighbours"), this);
    neighborsDock->setObjectName(QStringLiteral("neighborsDock"));
    neighborsDock->setWidget(m_neighbors);
    addDockWidget(Qt::RightDockWidgetArea, neighborsDock);
    m_generate = new GeneratePanel(this);
    auto *generateDock = new QDockWidget(tr("Generate"), this);
    generateDock->setObjectName(QStringLiteral("generateDock"));
    generateDock->setWidget(m_generate);
    addDockWidget(Qt::RightDockWidgetArea, generateDock);
    tabifyDockWidget(neighborsDock, generateDock);
    neighborsDock->raise();
    m_generate->setSourceProvider([this] {
        // The selected run's saved model when it is another run than the model's.
        const QString checkpoint = selectedRunCheckpoint();
        if (!checkpoint.isEmpty())
            return GeneratePanel::Source { nullptr, {}, {},
                QFile::encodeName(checkpoint).toStdString() };
        // Generate samples from its own copy: training may start or resume while it runs.
        std::shared_ptr<LanguageModel<float>> copy;
        if (model() && modelIsStill())
            copy = std::make_shared<LanguageModel<float>>(*model());
        return GeneratePanel::Source { std::move(copy), m_document->modelVocab(),
            m_document->modelTokenizer(), {} };
    });
    resizeDocks({ trainingDock, chartsDock }, { 300, 440 }, Qt::Horizontal);
    resizeDocks({ chartsDock, neighborsDock }, { 330, 470 }, Qt::Vertical);

    connect(m_map, &EmbeddingMap::wordSelected, this, [this](const QString &word) {
        if (word != m_neighbors->currentWord()) // not the answer the map was told to select
            m_neighbors->query(word);
    });
    connect(m_neighbors, &NeighborsPanel::wordActivated, m_map, &EmbeddingMap::selectWord);
    connect(m_map, &EmbeddingMap::metadataRequested, this, &MainWindow::chooseMapMetadata);
    // Both ways: a word asked in the Neighbours panel is selected on the map too (the map says
    // when it does not draw it).
    connect(m_neighbors, &NeighborsPanel::wordAnswered, this, [this](const QString &word) {
        if (m_map->selectedWord() != word)
            m_map->selectWord(word);
    });
    createSourceBox();
}

void MainWindow::showTable(
    std::shared_ptr<const WordVectors> table, const QString &source, bool live, bool ofModel)
{
    m_viewsShowModel = ofModel;
    ++m_tableGeneration;
    m_map->setTable(table, source, live);
    m_neighbors->setTable(std::move(table), source);
    updateSourceBox();
}

void MainWindow::showModelTable(qint64 step)
{
    if (!model())
        return;
    m_modelStep = step;
    showTable(std::make_shared<const WordVectors>(
                  embeddingTable(*model(), m_document->modelVocab(), false)),
        step > 0 ? tr("model, step %1").arg(step) : tr("model"), false, true);
}

void MainWindow::connectRuns()
{
    connect(m_map, &EmbeddingMap::historyTableAvailable, this, &MainWindow::onHistoryTable);
    connect(m_document, &Document::runsChanged, this, &MainWindow::refreshRuns);
    connect(m_document, &Document::runFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("A run could not be read: %1").arg(message), 15000);
    });
    connect(m_runs, &RunsPanel::selectionChanged, this, [this](const QString &dir) {
        if (!dir.isEmpty() && dir != m_selectedRun)
            selectRun(dir);
    });
    connect(m_runs, &RunsPanel::visibilityChanged, this, [this](const QStringList &visible) {
        m_hiddenRuns.clear();
        for (const auto &r : m_document->runs()) {
            const QString dir = QString::fromStdString(r->dir);
            if (!visible.contains(dir))
                m_hiddenRuns.insert(dir);
        }
        refreshRuns();
    });
    connect(
        m_runs, &RunsPanel::renameRequested, this, [this](const QString &dir, const QString &name) {
            QString error;
            if (!m_document->renameRun(dir, name, &error))
                showError(tr("Could not rename the run"), error);
        });
    connect(m_runs, &RunsPanel::colourChangeRequested, this,
        [this](const QString &dir, const QColor &colour) {
            QString error;
            if (!m_document->setRunColour(dir, colour.name(), &error))
                showError(tr("Could not change the run's colour"), error);
        });
    connect(m_runs, &RunsPanel::deleteRequested, this, [this](const QStringList &dirs) {
        QStringList names;
        for (const QString &d : dirs)
            if (const auto r = m_document->run(d))
                names << QString::fromStdString(r->settings.name);
        QMessageBox box(QMessageBox::Warning, tr("Delete runs"),
            tr("Delete %n run(s) and their recorded history? This cannot be undone.", nullptr,
                static_cast<int>(dirs.size())),
            QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("deleteRunsPrompt"));
        box.setInformativeText(names.join(QStringLiteral("\n")));
        box.setDefaultButton(QMessageBox::Cancel);
        box.button(QMessageBox::Yes)->setText(tr("Delete"));
        if (box.exec() != QMessageBox::Yes)
            return;
        for (const QString &d : dirs) {
            if (d == m_liveRunDir)
                continue;
            QString error;
            if (!m_document->deleteRun(d, &error))
                showError(tr("Could not delete the run"), error);
            if (d == m_selectedRun) {
                m_selectedRun.clear();
                m_timeline->setSteps({});
            }
        }
    });
    connect(m_runs, &RunsPanel::compareRequested, this, &MainWindow::compareRun);
    connect(m_timeline, &RunTimeline::stepChosen, this,
        [this](qint64 step, bool latest) { showRunStep(m_selectedRun, step, latest); });
    connect(m_controller, &TrainingController::snapshotRecorded, this,
        [this](const QString &dir, qint64 step) {
            if (!m_document->run(dir))
                m_document->reloadRun(dir); // its run.json and vocabulary are on disk now
            if (dir == m_selectedRun) {
                m_timeline->addStep(step);
                updateSourceBox();
            }
        });
    connect(
        m_controller, &TrainingController::recordingFailed, this, [this](const QString &message) {
            statusBar()->showMessage(
                tr("The run is not recorded any more, training continues: %1").arg(message), 30000);
        });
    m_document->reloadRuns();
}

QColor MainWindow::runColour(const RunData &run) const
{
    const QColor set(QString::fromStdString(run.settings.colour));
    if (set.isValid())
        return set;
    const auto &runs = m_document->runs();
    for (int i = 0; i < runs.size(); ++i)
        if (runs[i]->dir == run.dir)
            return RunsPanel::runColour(i);
    return RunsPanel::runColour(static_cast<int>(runs.size()));
}

void MainWindow::refreshRuns()
{
    const QString mainRun = m_document->currentRunDir();
    QVector<RunEntry> entries;
    QVector<RunCurve> overlays;
    const QLocale loc;
    for (const auto &r : m_document->runs()) {
        const QString dir = QString::fromStdString(r->dir);
        RunEntry e;
        e.id = dir;
        e.name = QString::fromStdString(r->settings.name);
        e.status = QString::fromStdString(r->settings.status);
        e.steps = r->scalars.empty() ? r->settings.steps : r->scalars.back().step;
        e.created = QString::fromStdString(r->settings.created);
        const QString corpus = QFileInfo(
            QString::fromStdString(r->settings.corpus.name.empty() ? r->settings.corpus.path
                                                                   : r->settings.corpus.name))
                                   .fileName();
        e.detail = r->settings.init == "vectors"
            ? tr("%1, from %2")
                  .arg(corpus, QFileInfo(QString::fromStdString(r->settings.vectors)).fileName())
            : corpus;
        if (r->settings.train.freezeEmbedding)
            e.detail += tr(", frozen");
        if (!r->settings.comparedWith.empty()) {
            const QString baseDir = QString::fromStdString(r->settings.comparedWith);
            const auto base = m_document->run(baseDir);
            e.detail += tr("; vs %1: %2")
                            .arg(base ? QString::fromStdString(base->settings.name)
                                      : QFileInfo(baseDir).fileName(),
                                QString::fromStdString(r->settings.difference));
        }
        e.colour = runColour(*r);
        e.visible = !m_hiddenRuns.contains(dir);
        e.live = dir == m_liveRunDir && m_controller->isRunning();
        entries.push_back(e);
        if (dir == mainRun) {
            m_lossChart->setMainRun(e.name, e.colour);
            continue; // the chart's own curve
        }
        if (e.visible)
            overlays.push_back({ dir, e.name, e.colour, lossPoints(*r), epochPoints(*r) });
    }
    m_runs->setRuns(entries);
    updateSourceBox(); // a run renamed, added or gone
    // The row highlighted is the run the views follow (a new or a sibling run once it is read).
    if (!m_selectedRun.isEmpty() && m_runs->selectedId() != m_selectedRun
        && m_document->run(m_selectedRun))
        m_runs->setSelectedId(m_selectedRun);
    m_lossChart->setOverlays(overlays);
    if (m_selectedRun.isEmpty() && !entries.isEmpty() && !m_controller->isRunning())
        selectRun(mainRun.isEmpty() ? entries.back().id : mainRun, true);
    else if (!m_selectedRun.isEmpty() && !m_controller->isRunning()) {
        // A finished or reread run: the timeline gets its recorded steps.
        if (const auto r = m_document->run(m_selectedRun)) {
            QVector<qint64> steps;
            for (const auto &s : r->snapshots)
                steps.push_back(s.step);
            if (steps.size() >= m_timeline->steps().size())
                m_timeline->setSteps(steps);
        }
    }
}

void MainWindow::selectRun(const QString &dir)
{
    selectRun(dir, false);
}

void MainWindow::selectRun(const QString &dir, bool automatic)
{
    const auto run = m_document->run(dir);
    if (!run)
        return;
    m_selectedRun = dir;
    if (m_runs->selectedId() != dir)
        m_runs->setSelectedId(dir);
    updateActions(); // Generate and Export follow the selected run
    QVector<qint64> steps;
    for (const auto &s : run->snapshots)
        steps.push_back(s.step);
    m_timeline->setSteps(steps);
    m_timeline->setLive(dir == m_liveRunDir && m_controller->isRunning());
    updateSourceBox();
    if (dir == m_liveRunDir && m_controller->isRunning()) {
        m_scrubbing = false;
        return;
    }
    if (!steps.isEmpty())
        showRunStep(dir, steps.back(), true, automatic);
}

void MainWindow::openRunFolder(const QString &dir)
{
    const QString abs = QFileInfo(dir).absoluteFilePath();
    m_document->addRunFolder(abs);
    // Selected once read.
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_document, &Document::runsChanged, this, [this, abs, conn] {
        if (m_document->run(abs)) {
            disconnect(*conn);
            selectRun(abs);
        }
    });
}

void MainWindow::showRunStep(const QString &dir, qint64 step, bool latest, bool automatic)
{
    if (dir.isEmpty())
        return;
    if (dir == m_liveRunDir && m_controller->isRunning() && latest) {
        m_scrubbing = false; // back to the live table, from its next copy
        return;
    }
    const auto run = m_document->run(dir);
    if (!run)
        return;
    // A run selected on start-up fills an empty map, never one the user filled already.
    if (automatic && m_tableGeneration != 0)
        return;
    m_scrubbing = m_controller->isRunning();
    // The map projects the run's recorded steps in the background, this one first, and hands
    // on the step's table for the neighbours (historyTableAvailable).
    const QVector<qint64> steps = m_timeline->steps();
    // The steps the timeline knows, a live run's newest ones too.
    auto data = std::make_shared<const RunData>(runHeader(*run));
    m_map->setHistory(
        dir, steps, [data](qint64 s) { return readRunSnapshotFile(*data, s, false); });
    ++m_tableGeneration;
    m_viewsShowModel = false;
    m_map->showHistoryStep(step,
        tr("%1, step %2")
            .arg(QString::fromStdString(run->settings.name), QLocale().toString(step)));
    updateSourceBox();
}

void MainWindow::onHistoryTable(qint64 step, std::shared_ptr<const WordVectors> table)
{
    // The map shows this step of its history now; the neighbours answer for it too.
    const QString dir = m_map->historyId();
    const auto run = m_document->run(dir);
    if (!run)
        return;
    m_neighbors->setTable(std::move(table),
        tr("%1, step %2")
            .arg(QString::fromStdString(run->settings.name), QLocale().toString(step)));
    updateSourceBox();
    emit runStepShown(dir, step);
}

RunSettings MainWindow::newRunSettings(const TrainConfig &config) const
{
    RunSettings s;
    s.model = model()->config();
    s.train = config;
    s.tokenizer = m_document->modelTokenizer();
    const auto &source = m_document->corpusSource();
    s.corpus.path = QFile::encodeName(source.path).toStdString();
    s.corpus.name = source.displayName.toStdString();
    s.corpus.bytes = corpus()->stats.bytes;
    s.corpus.fingerprint = corpus()->fingerprint;
    s.corpus.trainTokens = corpus()->train.size();
    s.corpus.validTokens = corpus()->valid.size();
    s.name = source.displayName.toStdString();
    if (!m_importedVectors.isEmpty()) {
        s.init = "vectors";
        s.vectors = QFile::encodeName(m_importedVectors).toStdString();
        s.name += " · " + QFileInfo(m_importedVectors).completeBaseName().toStdString();
    }
    if (config.freezeEmbedding)
        s.name += " · " + tr("frozen").toStdString();
    s.name = m_document->uniqueRunName(QString::fromStdString(s.name)).toStdString();
    return s;
}

QString MainWindow::corpusMismatch(const RunData &run) const
{
    const RunSettings &s = run.settings;
    const QString name
        = QString::fromStdString(s.corpus.name.empty() ? s.corpus.path : s.corpus.name);
    if (!corpus() || corpus()->fingerprint != s.corpus.fingerprint)
        return tr("%1 was trained on %2, and another text is loaded.")
            .arg(QString::fromStdString(s.name), name);
    const TokenizerOptions &t = m_document->corpusOptions().tokenizer;
    if (!sameTokenization(t, s.tokenizer))
        return tr("%1 is loaded with another tokenizer than %2 was trained with.")
            .arg(name, QString::fromStdString(s.name));
    if (corpus()->vocab.words() != run.words || corpus()->train.size() != s.corpus.trainTokens
        || corpus()->valid.size() != s.corpus.validTokens)
        return tr("%1 is loaded with other settings than %2 was trained with: its vocabulary or "
                  "its validation share differ (the Corpus panel's minimum count, vocabulary "
                  "size or validation share).")
            .arg(name, QString::fromStdString(s.name));
    return {};
}

void MainWindow::compareRun(const QString &dir)
{
    const auto base = m_document->run(dir);
    if (!base || m_controller->isRunning() || !m_runs->isCompareAvailable())
        return;
    CompareDialog dialog(base->settings, this);
    if (dialog.exec() != QDialog::Accepted || !dialog.isComplete())
        return;
    startSibling(dir, dialog.change());
}

void MainWindow::startSibling(const QString &baseDir, const RunChange &change, bool corpusOpened)
{
    const auto base = m_document->run(baseDir);
    if (!base || m_controller->isRunning() || m_document->isLoadingCorpus() || m_document->isBusy()
        || m_readingSiblingVectors)
        return;
    const RunSettings &s = base->settings;
    const QString baseName = QString::fromStdString(s.name);
    if (const QString mismatch = corpusMismatch(*base); !mismatch.isEmpty()) {
        if (corpusOpened) {
            showError(tr("Cannot compare with %1").arg(baseName), mismatch);
            return;
        }
        // Read the base's text with the base's tokenizer, then go on.
        CorpusSource source;
        QString what;
        if (corpus() && corpus()->fingerprint == s.corpus.fingerprint) {
            source = m_document->corpusSource();
            what = tr("Read %1 again with the tokenizer of %2?").arg(source.displayName, baseName);
        } else if (s.corpus.path.empty()) {
            const BundledSample &sample = sampleOfSize(s.corpus.bytes);
            QFile f(QString::fromLatin1(sample.resource));
            if (!f.open(QIODevice::ReadOnly)) {
                showError(tr("Could not open the sample corpus"), f.errorString());
                return;
            }
            source = { QString(), tr(sample.name), f.readAll() };
            what = tr("Open %1 to train the sibling on?").arg(source.displayName);
        } else {
            const QString path = QFile::decodeName(s.corpus.path.c_str());
            if (!QFileInfo(path).isFile()) {
                showError(tr("Corpus not found"),
                    tr("%1 was trained on %2, which does not exist any more. Put the file back or "
                       "open the same text, then compare again.")
                        .arg(baseName, QDir::toNativeSeparators(path)));
                return;
            }
            source = { path, QFileInfo(path).fileName(), {} };
            what = tr("Open %1 to train the sibling on?").arg(QDir::toNativeSeparators(path));
        }
        QMessageBox box(QMessageBox::Question, tr("Compare with %1").arg(baseName), mismatch,
            QMessageBox::Open | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("openBaseCorpusPrompt"));
        box.setInformativeText(what);
        box.setDefaultButton(QMessageBox::Open);
        if (box.exec() != QMessageBox::Open)
            return;
        CorpusOptions options = m_corpusPanel->options();
        options.tokenizer = s.tokenizer;
        m_corpusPanel->setOptions(options);
        // Goes on once this read is done; a failed read has said why already.
        auto *waiter = new QObject(this);
        connect(m_document, &Document::corpusChanged, waiter, [this, waiter, baseDir, change] {
            waiter->deleteLater();
            startSibling(baseDir, change, true);
        });
        connect(m_document, &Document::corpusFailed, waiter, &QObject::deleteLater);
        loadCorpus(source);
        return;
    }
    if (!mayReplaceModel(tr("Comparing with %1 trains a new model in its place.").arg(baseName),
            [this, baseDir, change] { startSibling(baseDir, change); }))
        return;

    // A sibling of a run initialised from vectors starts from the same vectors.
    const QString vectorsFile = change.kind == RunChange::Kind::Initialisation
        ? change.vectors
        : (s.init == "vectors" ? QFile::decodeName(s.vectors.c_str()) : QString());
    if (vectorsFile.isEmpty()) {
        createSibling(baseDir, change, nullptr, QString());
        return;
    }
    if (!QFileInfo(vectorsFile).isFile()) {
        showError(tr("Vectors not found"),
            tr("%1 does not exist (any more), so the sibling of %2 cannot start from it.")
                .arg(QDir::toNativeSeparators(vectorsFile), baseName));
        return;
    }
    struct Read
    {
        std::shared_ptr<const WordVectors> vectors;
        VectorFormat format = VectorFormat::Auto;
    };
    m_readingSiblingVectors = true;
    setBusy(tr("Reading %1...").arg(QFileInfo(vectorsFile).fileName()), true);
    const std::string file = QFile::encodeName(vectorsFile).toStdString();
    runInBackground<Read>(
        this,
        [file] {
            ImportReport report;
            Read r;
            r.vectors = std::make_shared<const WordVectors>(readVectors(file, {}, &report));
            r.format = report.format;
            return r;
        },
        [this, baseDir, change, vectorsFile](std::shared_ptr<Read> read, QString error) {
            m_readingSiblingVectors = false;
            setBusy(QString(), false);
            if (!read) {
                showError(tr("Could not read %1").arg(QFileInfo(vectorsFile).fileName()), error);
                return;
            }
            // The user may have loaded or trained something else meanwhile.
            const auto base = m_document->run(baseDir);
            if (!base || m_controller->isRunning() || !corpusMismatch(*base).isEmpty()) {
                statusBar()->showMessage(
                    tr("The corpus or the model changed while the vectors were read; the "
                       "sibling was not started"),
                    10000);
                return;
            }
            const VectorFormatInfo *info = findVectorFormat(read->format);
            createSibling(baseDir, change, read->vectors, info ? tr(info->label) : QString());
        });
}

void MainWindow::createSibling(const QString &baseDir, const RunChange &change,
    std::shared_ptr<const WordVectors> vectors, const QString &formatLabel)
{
    const auto base = m_document->run(baseDir);
    if (!base)
        return;
    const RunSettings &s = base->settings;
    ModelConfig config = s.model;
    config.vocabSize = corpus()->vocab.size();
    TrainConfig train = s.train;
    // As long as the base trained, so the curves compare like for like (a base stopped early
    // included).
    const std::int64_t baseSteps = base->scalars.empty() ? s.steps : base->scalars.back().step;
    if (baseSteps > 0)
        train.maxSteps = baseSteps;
    QString difference = describeChange(change, formatLabel);
    switch (change.kind) {
    case RunChange::Kind::Frozen:
        train.freezeEmbedding = change.frozen;
        break;
    case RunChange::Kind::EmbeddingSize:
        config.embeddingDim = change.embeddingDim;
        if (config.tied)
            config.hiddenSize = change.embeddingDim;
        break;
    case RunChange::Kind::Cell:
        config.cell = change.cell;
        break;
    case RunChange::Kind::Initialisation:
        break;
    }
    // As when the import dialog initialises a model: the embedding takes the vectors' size.
    if (vectors && vectors->dim() != config.embeddingDim) {
        config.embeddingDim = vectors->dim();
        if (config.tied)
            config.hiddenSize = vectors->dim();
        if (change.kind == RunChange::Kind::Initialisation)
            difference += tr(", embedding size %1").arg(vectors->dim());
    }
    try {
        if (vectors)
            m_document->createModelFromVectors(
                config, train.seed, s.tokenizer, *vectors, UncoveredInit::Random);
        else
            m_document->createModel(config, train.seed, s.tokenizer);
    } catch (const std::exception &e) {
        showError(tr("Cannot create the sibling's model"), QString::fromStdString(e.what()));
        return;
    }
    const QString vectorsFile = change.kind == RunChange::Kind::Initialisation
        ? change.vectors
        : QFile::decodeName(s.vectors.c_str());
    m_importedVectors = vectors ? vectorsFile : QString();
    // The Training panel shows what trains.
    m_trainingPanel->setModelConfig(config);
    m_trainingPanel->setTrainConfig(train);
    m_trainingPanel->setEpochs(train.epochs);
    m_lossChart->clear();
    showModelTable(0);
    m_hiddenRuns.remove(baseDir); // drawn behind its sibling
    const std::string name = s.name + " · " + difference.toStdString();
    beginTraining(train, false, [&](RunSettings &r) {
        r.name = name;
        r.comparedWith = base->dir;
        r.difference = difference.toStdString();
    });
    statusBar()->showMessage(
        tr("Training a sibling of %1: %2").arg(QString::fromStdString(s.name), difference));
    emit siblingStarted(m_liveRunDir, baseDir);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QToolBar *tools = addToolBar(tr("Main Toolbar"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_openAct = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
        tr("&Open Corpus..."), this, &MainWindow::chooseCorpus);
    m_openAct->setShortcut(QKeySequence::Open);
    m_openAct->setStatusTip(tr("Open a UTF-8 text file to train on"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QMenu *samples = file->addMenu(tr("Open S&ample Corpus"));
    samples->setObjectName(QStringLiteral("sampleMenu"));
    for (const BundledSample &sample : Samples) {
        const QString language = QString::fromLatin1(sample.language);
        samples->addAction(tr(sample.name), this, [this, language] { openSampleCorpus(language); });
    }
    m_sampleAct = samples->menuAction();
    QAction *classify = file->addAction(tr("Text &Classification..."), this, [this] {
        ClassifierWindow *w = showClassifierWindow();
        if (!w->corpus())
            w->openSampleCorpus();
    });
    classify->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    classify->setToolTip(tr("Train a classifier of labelled texts (spam or not, sentiment, "
                            "topic) in its own window"));
    file->addSeparator();
    m_openModelAct = file->addAction(tr("Open &Model..."), this, &MainWindow::chooseModelToOpen);
    m_openModelAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_saveAct = file->addAction(
        style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save Model"), this, [this] {
            if (m_document->modelPath().isEmpty())
                chooseModelToSave();
            else
                saveModel(m_document->modelPath());
        });
    m_saveAct->setShortcut(QKeySequence::Save);
    m_saveAsAct = file->addAction(tr("Save Model &As..."), this, &MainWindow::chooseModelToSave);
    m_saveAsAct->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction *openRun = file->addAction(tr("Open R&un Folder..."), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Open Run Folder"), m_document->workspaceDir());
        if (dir.isEmpty())
            return;
        if (QFileInfo::exists(dir + QStringLiteral("/run.json"))) {
            openRunFolder(dir);
            return;
        }
        // A folder of runs becomes the workspace the Runs list shows.
        m_document->setWorkspaceDir(dir);
        statusBar()->showMessage(
            tr("Runs are now kept in %1").arg(QDir::toNativeSeparators(dir)), 8000);
    });
    openRun->setStatusTip(tr("Show a recorded run, or use a folder of runs as the workspace"));
    file->addSeparator();
    m_importAct = file->addAction(tr("&Import Vectors..."), this, [this] { importVectors(); });
    m_importAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_importAct->setStatusTip(tr("Read GloVe, word2vec, fastText or Projector vectors"));
    m_exportAct = file->addAction(tr("&Export Embedding..."), this, [this] {
        // The step the map shows of a recorded run, else the model's embedding.
        const qint64 step = shownRunStep();
        const auto run = step >= 0 ? m_document->run(m_map->historyId()) : nullptr;
        QString selected;
        QString name = suggestedFileName(QStringLiteral("embedding"), QStringLiteral(".txt"));
        if (run) {
            // The run's name and the step, in characters every file system takes.
            QString stem = QString::fromStdString(run->settings.name);
            stem.replace(QRegularExpression(QStringLiteral("[^\\w.-]+")), QStringLiteral("-"));
            name = QStringLiteral("%1-step-%2.txt").arg(stem).arg(step);
        }
        QString path = remembered(QFileDialog::getSaveFileName(this,
            run ? tr("Export the embedding of %1 at step %2")
                      .arg(QString::fromStdString(run->settings.name), QLocale().toString(step))
                : tr("Export Embedding"),
            dialogPath(name), vectorExportFilters(), &selected));
        // A name without an extension takes the chosen filter's first one, so the format is the
        // one chosen.
        static const QRegularExpression firstPattern(QStringLiteral("\\(\\*(\\.[^ )]+)"));
        if (const auto m = firstPattern.match(selected);
            !path.isEmpty() && QFileInfo(path).suffix().isEmpty() && m.hasMatch())
            path += m.captured(1);
        if (!path.isEmpty())
            exportEmbeddingAs(path);
    });
    m_exportAct->setStatusTip(
        tr("Write the embedding the map shows (the model's, or a recorded "
           "step of a run) as GloVe, word2vec, fastText or Projector vectors"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *training = menuBar()->addMenu(tr("&Training"));
    m_startAct = training->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"),
        this, &MainWindow::startTraining);
    m_startAct->setShortcut(Qt::Key_F5);
    m_pauseAct = training->addAction(
        style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this, [this] {
            if (m_controller->isPaused())
                m_controller->resume();
            else
                m_controller->pause();
        });
    m_pauseAct->setShortcut(Qt::Key_F6);
    m_stopAct = training->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("S&top"),
        m_controller, &TrainingController::stop);
    m_stopAct->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    training->addSeparator();
    m_resetAct = training->addAction(tr("&Reset Model"), this, [this] {
        if (!mayReplaceModel(tr("Reset Model discards it, and Start then trains a new one."),
                [this] { m_resetAct->trigger(); }))
            return;
        discardModelAndViews();
        statusBar()->showMessage(tr("Model discarded; Start trains a new one"), 5000);
        updateActions();
    });
    training->addSeparator();
    m_restoreDefaultsAct = training->addAction(
        tr("Restore &Default Settings..."), this, [this] { restoreDefaultSettings(true, true); });
    m_restoreDefaultsAct->setObjectName(QStringLiteral("restoreDefaultsAction"));
    m_restoreDefaultsAct->setStatusTip(
        tr("Put the corpus options and the training settings back to their defaults"));
    addHistoryActions(training);

    tools->addAction(m_openAct);
    tools->addAction(m_saveAct);
    tools->addSeparator();
    tools->addAction(m_startAct);
    tools->addAction(m_pauseAct);
    tools->addAction(m_stopAct);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addAction(tools->toggleViewAction());
    QAction *resetLayout = m_viewMenu->addAction(tr("&Reset Layout"), this, [this] {
        restoreState(m_defaultLayout, LayoutVersion);
        for (QDockWidget *dock : findChildren<QDockWidget *>())
            if (dock->isFloating())
                dock->setFloating(false);
        placePanels();
    });
    resetLayout->setObjectName(QStringLiteral("resetLayoutAction"));
    resetLayout->setStatusTip(tr("Put every panel back where it was when first opened"));
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("Export Map &Image..."), this, [this] {
        const QString path = remembered(QFileDialog::getSaveFileName(this, tr("Export Map Image"),
            dialogPath(suggestedFileName(QStringLiteral("map"), QStringLiteral(".png"))),
            tr("PNG image (*.png);;PDF (*.pdf)")));
        if (!path.isEmpty() && !m_map->exportImage(path))
            showError(tr("Could not export the map"), tr("Writing %1 failed.").arg(path));
    });
    m_viewMenu->addAction(tr("Export Map &Coordinates..."), this, [this] {
        const QString path = remembered(QFileDialog::getSaveFileName(this,
            tr("Export Map Coordinates"),
            dialogPath(suggestedFileName(QStringLiteral("coordinates"), QStringLiteral(".tsv"))),
            tr("Tab-separated values (*.tsv)")));
        if (!path.isEmpty() && !m_map->exportCoordinates(path))
            showError(tr("Could not export the coordinates"), tr("Writing %1 failed.").arg(path));
    });
    QAction *metadata = m_viewMenu->addAction(
        tr("Colour Map by &Metadata..."), this, [this] { chooseMapMetadata(); });
    metadata->setObjectName(QStringLiteral("mapMetadataAction"));
    metadata->setStatusTip(tr("Read a metadata file (a header naming its columns, then a word and "
                              "its values per line, separated by tabs) to colour and label the "
                              "map's words by a column"));

    m_viewMenu->addSeparator();
    QMenu *languages = m_viewMenu->addMenu(tr("&Language"));
    languages->setObjectName(QStringLiteral("languageMenu"));
    auto *languageGroup = new QActionGroup(languages);
    const QString chosen = languageSetting();
    for (const InterfaceLanguage &language : interfaceLanguages()) {
        QAction *act = languages->addAction(language.nativeName);
        act->setCheckable(true);
        act->setChecked(language.code == chosen);
        act->setData(language.code);
        languageGroup->addAction(act);
        connect(act, &QAction::triggered, this, [this, language] {
            if (language.code == languageSetting())
                return;
            setLanguageSetting(language.code);
            if (resolveLanguage(language.code) == currentLanguage())
                return;
            QMessageBox::information(this, tr("Language"),
                tr("Embedding Lab shows %1 from its next start.").arg(language.nativeName));
        });
    }

    createBookmarksMenu();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *helpAct = help->addAction(tr("Embedding Lab &Help"), this, &MainWindow::showHelp);
    helpAct->setShortcut(QKeySequence::HelpContents);
    help->addSeparator();
    help->addAction(tr("&About Embedding Lab"), this, &MainWindow::showAbout)
        ->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::clearRunStatus()
{
    for (QLabel *l : { m_epochLabel, m_stepLabel, m_speedLabel, m_etaLabel })
        l->clear();
}

void MainWindow::discardModelAndViews()
{
    // The model's run, shown as a recorded step, goes with it from the views.
    const bool showsModelRun = !m_viewsShowModel && shownRunStep() >= 0
        && m_map->historyId() == m_document->currentRunDir();
    m_document->discardModel();
    m_importedVectors.clear();
    m_lossChart->clear();
    clearRunStatus();
    m_liveTable.reset();
    m_modelStep = 0;
    if (m_viewsShowModel || showsModelRun) { // imported vectors being explored stay
        m_map->clear();
        m_neighbors->clear();
        m_viewsShowModel = false;
    }
    updateSourceBox();
    refreshRuns(); // the discarded model's run becomes one curve among the others
    updateActions();
}

void MainWindow::openCorpus(const QString &path)
{
    if (m_controller->isRunning())
        return;
    // Another text: the model of this one goes once it is read (its vocabulary is another).
    const bool sameFile = !m_document->corpusSource().path.isEmpty()
        && QFileInfo(m_document->corpusSource().path) == QFileInfo(path);
    if (!sameFile
        && !mayReplaceModel(tr("Opening %1 replaces it, unless its vocabulary is the model's.")
                                .arg(QFileInfo(path).fileName()),
            [this, path] { openCorpus(path); }))
        return;
    m_replaceModelOnLoad = !sameFile;
    loadCorpus({ path, QFileInfo(path).fileName(), {} });
}

void MainWindow::openSampleCorpus(const QString &language)
{
    const QString wanted = language.isEmpty() ? currentLanguage() : language;
    const BundledSample *sample = &Samples[0];
    for (const BundledSample &s : Samples)
        if (wanted == QLatin1String(s.language))
            sample = &s;
    if (m_controller->isRunning())
        return;
    const bool sameText = m_document->corpusSource().path.isEmpty()
        && m_document->corpusSource().displayName == tr(sample->name);
    if (!sameText
        && !mayReplaceModel(tr("Opening %1 replaces it, unless its vocabulary is the model's.")
                                .arg(tr(sample->name)),
            [this, language] { openSampleCorpus(language); }))
        return;
    QFile f(QString::fromLatin1(sample->resource));
    if (!f.open(QIODevice::ReadOnly)) {
        showError(tr("Could not open the sample corpus"), f.errorString());
        return;
    }
    m_replaceModelOnLoad = !sameText;
    loadCorpus({ QString(), tr(sample->name), f.readAll() });
}

void MainWindow::loadCorpus(const CorpusSource &source)
{
    if (m_controller->isRunning())
        return;
    m_document->loadCorpus(source, m_corpusPanel->options());
    setBusy(tr("Reading %1...").arg(source.displayName), true);
}

void MainWindow::connectDocument()
{
    connect(m_document, &Document::corpusFailed, this,
        [this](const QString &displayName, const QString &error) {
            setBusy(QString(), false);
            m_replaceModelOnLoad = false; // the model stays, with the text it was trained on
            showError(tr("Could not open %1").arg(displayName), error);
            if (corpus())
                m_corpusPanel->showCorpus(m_document->corpusSource().displayName, *corpus(),
                    m_document->corpusOptions().tokenizer.mode);
            emit corpusFailed(error);
        });
    connect(m_document, &Document::corpusChanged, this, [this](bool sameText) {
        setBusy(QString(), false);
        const QString &displayName = m_document->corpusSource().displayName;
        m_corpusPanel->showCorpus(
            displayName, *corpus(), m_document->corpusOptions().tokenizer.mode);
        setWindowTitle(tr("%1 - Embedding Lab").arg(displayName));
        m_lossChart->setExportStem(fileNameStem(m_document->corpusSource().path.isEmpty()
                ? displayName
                : m_document->corpusSource().path,
            QString()));
        // The model of the text before, whose words are not this one's, leaves the views too.
        if (std::exchange(m_replaceModelOnLoad, false) && !sameText && model()
            && m_document->modelVocab().words() != corpus()->vocab.words())
            discardModelAndViews();
        statusBar()->showMessage(
            sameText ? tr("Re-tokenised %1").arg(displayName) : tr("Opened %1").arg(displayName),
            5000);
        updateActions();
        emit corpusLoaded();
    });
    connect(m_document, &Document::modelOpenFailed, this, [this](const QString &error) {
        setBusy(QString(), false);
        updateActions();
        showError(tr("Could not open the model"), error);
        emit modelFailed(error);
    });
    connect(m_document, &Document::modelOpened, this,
        [this](const QString &path, const QString &notice) {
            setBusy(QString(), false);
            updateActions();
            m_trainingPanel->setModelConfig(model()->config());
            const auto state = m_document->trainState();
            if (state)
                m_trainingPanel->setTrainConfig(m_document->trainConfig());
            m_importedVectors.clear();
            m_lossChart->clear();
            // The position of the run before is not this model's.
            clearRunStatus();
            if (state && state->started)
                m_stepLabel->setText(tr("Step %1").arg(QLocale().toString(state->step)));
            // A run folder's model: its curve goes on where the recorded one ends.
            if (const auto run = m_document->run(m_document->currentRunDir()))
                m_lossChart->addPoints(lossPoints(*run));
            showModelTable(state ? state->step : 0);
            QString message = tr("Opened model %1: %2 words, %3 dimensions")
                                  .arg(QFileInfo(path).fileName())
                                  .arg(m_document->modelVocab().size())
                                  .arg(model()->config().embeddingDim);
            if (state && state->started)
                message += tr("; trained %n step(s), Start continues from there", nullptr,
                    static_cast<int>(std::min<qint64>(state->step, INT_MAX)));
            if (!notice.isEmpty())
                message += QStringLiteral(". ") + notice;
            statusBar()->showMessage(message, notice.isEmpty() ? 8000 : 20000);
            updateActions();
            emit modelLoaded();
        });
    connect(m_document, &Document::saveFailed, this, [this](const QString &error) {
        m_afterSave = nullptr;
        setBusy(QString(), false);
        updateActions();
        showError(tr("Could not save the model"), error);
        emit modelFailed(error);
    });
    connect(m_document, &Document::saved, this, [this](const QString &path) {
        const auto then = std::exchange(m_afterSave, nullptr);
        setBusy(QString(), false);
        updateActions();
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
        emit modelSaved(path);
        if (then)
            then();
    });
    connect(m_document, &Document::exportFailed, this, [this](const QString &error) {
        setBusy(QString(), false);
        showError(tr("Could not export the embedding"), error);
    });
    connect(m_document, &Document::exported, this, [this](const QString &path) {
        setBusy(QString(), false);
        const QString labels = exportCompanion(path);
        statusBar()->showMessage(labels.isEmpty()
                ? tr("Exported %1").arg(path)
                : tr("Exported the vectors to %1 and their words to %2")
                      .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(labels)),
            labels.isEmpty() ? 5000 : 10000);
        emit embeddingExported(path);
    });
    connect(m_document, &Document::recentFilesChanged, this, &MainWindow::rebuildRecentMenu);
    // What was typed or generated for the model before is not about this one.
    connect(m_document, &Document::modelChanged, this, [this] {
        m_map->clearSearch();
        m_generate->clearOutput();
        m_liveTable.reset(); // of the model before
        m_modelStep = m_document->trainState() ? m_document->trainState()->step : 0;
        updateSourceBox();
    });
}

void MainWindow::retokenize()
{
    if (corpus() && !m_controller->isRunning())
        loadCorpus(m_document->corpusSource());
}

void MainWindow::startTraining()
{
    const Corpus *corpus = m_document->corpus();
    if (!corpus || m_controller->isRunning())
        return;
    if (corpus->vocab.size() <= Vocabulary::SpecialCount) {
        // It would train without error and teach nothing.
        const QString error = tr("%1: no word occurs at least %2 times (the minimum count), so the "
                                 "vocabulary holds only <pad>, <unk> and <eos>. Lower the minimum "
                                 "count in the Corpus panel.")
                                  .arg(m_document->corpusSource().displayName)
                                  .arg(m_corpusPanel->options().minCount);
        showError(tr("Nothing to learn"), error);
        emit trainingRefused(error);
        return;
    }
    const ModelConfig config = m_trainingPanel->modelConfig(corpus->vocab.size());
    const bool continues = model() && sameArchitecture(model()->config(), config)
        && m_document->modelVocab().words() == corpus->vocab.words();
    if (!continues
        && !mayReplaceModel(tr("The settings or the vocabulary differ from the model's, so "
                               "Start trains a new model in its place."),
            [this] { startTraining(); }))
        return;
    if (!continues) {
        try {
            m_document->createModel(
                config, m_trainingPanel->trainConfig().seed, m_corpusPanel->options().tokenizer);
        } catch (const std::exception &e) {
            showError(tr("Cannot create the model"), QString::fromStdString(e.what()));
            return;
        }
        m_importedVectors.clear();
        m_lossChart->clear();
        clearRunStatus();
    }
    beginTraining(m_trainingPanel->trainConfig(), continues);
}

void MainWindow::beginTraining(
    const TrainConfig &config, bool continues, const std::function<void(RunSettings &)> &amend)
{
    m_document->markModelDirty();
    m_trainingPanel->setState(TrainingPanel::State::Running);
    m_corpusPanel->setSettingsEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->show();
    // A model initialised (from vectors too) but never trained starts, it does not continue.
    const bool trained = m_document->trainState() && m_document->trainState()->started;
    statusBar()->showMessage(
        continues && trained ? tr("Continuing training...") : tr("Training..."));
    m_controller->setAutosave(
        { autosavePath(), 60.0 * m_trainingPanel->autosaveMinutes(), m_document->modelTokenizer(),
            m_document->corpusSource().path.isEmpty() ? m_document->corpusSource().displayName
                                                      : m_document->corpusSource().path });
    // The run goes on from where it stands: its steps, epochs, schedule and optimiser state.
    m_runConfig = config;
    // Recorded in the model's run folder, or a new one in the workspace.
    if (m_document->currentRunDir().isEmpty())
        m_document->setCurrentRunDir(m_document->newRunDir());
    m_liveRunDir = m_document->currentRunDir();
    m_selectedRun = m_liveRunDir;
    m_scrubbing = false;
    {
        // A continued run keeps the steps it recorded; the new ones are added as they come.
        QVector<qint64> steps;
        if (const auto run = m_document->run(m_liveRunDir))
            for (const auto &s : run->snapshots)
                steps.push_back(s.step);
        m_timeline->setSteps(steps);
        m_timeline->setLive(true);
    }
    RunSettings settings = newRunSettings(m_runConfig);
    if (amend)
        amend(settings);
    m_controller->start(m_document->sharedCorpus(), m_document->sharedModel(), m_runConfig,
        m_document->trainState(), { m_liveRunDir, settings });
    refreshRuns();
    updateActions();
}

void MainWindow::onProgress(const QVector<LossPoint> &points, const TrainingStatus &status)
{
    m_lossChart->addPoints(points);
    // The live run's row counts its steps, a few times a second.
    if (!m_liveRunDir.isEmpty() && (!m_liveRowClock.isValid() || m_liveRowClock.elapsed() > 400)) {
        m_liveRowClock.start();
        for (RunEntry entry : m_runs->runs())
            if (entry.id == m_liveRunDir) {
                entry.steps = status.step;
                entry.live = true;
                m_runs->updateRun(entry);
            }
    }
    const QLocale loc;
    m_epochLabel->setText(tr("Epoch %1/%2").arg(status.epoch).arg(status.epochs));
    m_stepLabel->setText(tr("Step %1").arg(loc.toString(status.step)));
    m_speedLabel->setText(tr("%1 tokens/s").arg(loc.toString(status.tokensPerSec, 'f', 0)));
    m_etaLabel->setText(tr("ETA %1").arg(formatDuration(status.etaSeconds)));
    if (status.totalSteps > status.firstStep)
        m_progress->setValue(static_cast<int>(1000.0 * (status.step - status.firstStep)
            / static_cast<double>(status.totalSteps - status.firstStep)));
}

void MainWindow::onEpoch(const EpochPoint &epoch)
{
    m_lossChart->addEpoch(epoch);
    QString msg = tr("Epoch %1 done").arg(epoch.epoch);
    if (std::isfinite(epoch.validLoss))
        msg += tr(": validation loss %1, perplexity %2")
                   .arg(epoch.validLoss, 0, 'f', 3)
                   .arg(epoch.validPerplexity, 0, 'f', 1);
    if (epoch.lrCut)
        msg += tr("; learning rate now %1").arg(epoch.lr);
    statusBar()->showMessage(msg, 10000);
}

void MainWindow::onTrainingFinished(const TrainingSummary &summary)
{
    m_document->setTrainState(summary.state, m_runConfig);
    m_liveTable.reset(); // the model itself can be read again
    m_modelStep = summary.steps;
    // The last live frame was aligned to the frames before it; the model as it now stands is
    // projected afresh, so it looks as it does when its file is opened again.
    if (!m_scrubbing && m_viewsShowModel && model())
        showModelTable(summary.steps);
    m_scrubbing = false;
    m_timeline->setLive(false);
    updateSourceBox();
    m_document->reloadRun(m_liveRunDir); // its status, its last steps
    m_trainingPanel->setState(TrainingPanel::State::Idle);
    m_corpusPanel->setSettingsEnabled(true);
    m_progress->hide();
    m_etaLabel->clear();
    updateActions();
    if (summary.diverged) {
        showError(tr("Training diverged"), summary.message);
        return;
    }
    QString msg = summary.stopped
        ? tr("Training stopped at step %1").arg(QLocale().toString(summary.steps))
        : tr("Training finished: %n epoch(s)", nullptr, static_cast<int>(summary.epochsCompleted));
    if (std::isfinite(summary.validPerplexity))
        msg += tr(", validation perplexity %1").arg(summary.validPerplexity, 0, 'f', 1);
    if (!summary.notice.isEmpty())
        msg += QStringLiteral(". ") + summary.notice;
    statusBar()->showMessage(msg);
}

void MainWindow::onTrainingFailed(const QString &message)
{
    m_trainingPanel->setState(TrainingPanel::State::Idle);
    m_corpusPanel->setSettingsEnabled(true);
    m_progress->hide();
    updateActions();
    showError(tr("Training failed"), message);
}

namespace {

// A classifier checkpoint names its format in the header's metadata (core/classifiercheckpoint.h);
// reading the header alone tells.
bool isClassifierFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.read(8);
    if (head.size() != 8)
        return false;
    quint64 length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | static_cast<unsigned char>(head[i]);
    if (length > (100u << 20))
        return false;
    return f.read(static_cast<qint64>(length)).contains(ClassifierCheckpointFormat);
}

} // namespace

ClassifierWindow *MainWindow::classifierWindow() const
{
    return m_classifier.data();
}

ClassifierWindow *MainWindow::showClassifierWindow()
{
    if (!m_classifier) {
        m_classifier = new ClassifierWindow(this);
        m_classifier->setWindowFlag(Qt::Window);
    }
    m_classifier->show();
    m_classifier->raise();
    m_classifier->activateWindow();
    return m_classifier;
}

void MainWindow::openModel(const QString &path)
{
    if (isClassifierFile(path)) {
        showClassifierWindow()->openModel(path);
        return;
    }
    if (m_controller->isRunning() || m_document->isBusy())
        return;
    if (!mayReplaceModel(tr("Opening %1 replaces it.").arg(QFileInfo(path).fileName()),
            [this, path] { openModel(path); }))
        return;
    if (!m_document->openModel(path))
        return;
    setBusy(tr("Opening model %1...").arg(QFileInfo(path).fileName()), true);
    updateActions();
}

void MainWindow::saveModel(const QString &path)
{
    saveModelThen(path, {});
}

void MainWindow::saveModelThen(const QString &path, std::function<void()> then)
{
    // During a pause the run goes on after Resume: save a copy of the model as it is now, with
    // the run's state as it is now.
    if (!modelIsStill())
        return;
    if (m_controller->isRunning())
        m_document->setTrainState(m_controller->pausedState(), m_runConfig);
    if (!m_document->saveModel(path, m_controller->isRunning()))
        return;
    m_afterSave = std::move(then);
    setBusy(tr("Saving %1...").arg(QFileInfo(path).fileName()), true);
    updateActions();
}

void MainWindow::importVectors(const QString &path)
{
    if (m_controller->isRunning())
        return;
    std::shared_ptr<const Vocabulary> vocab;
    if (const auto corpus = m_document->sharedCorpus())
        vocab = std::shared_ptr<const Vocabulary>(corpus, &corpus->vocab);
    ImportVectorsDialog dialog(vocab, m_trainingPanel->modelConfig(3).embeddingDim, this);
    if (!path.isEmpty()) {
        dialog.setPath(path);
        dialog.startImport();
    }
    if (dialog.exec() != QDialog::Accepted || !dialog.vectors())
        return;
    useImportedVectors(dialog.vectors(), dialog.path(),
        dialog.use() == ImportVectorsDialog::Use::InitEmbedding, dialog.frozen(),
        dialog.adoptDimension(), dialog.uncoveredInit());
}

void MainWindow::exploreVectors(std::shared_ptr<const WordVectors> vectors, const QString &path)
{
    useImportedVectors(std::move(vectors), path, false, false, false, UncoveredInit::Random);
}

void MainWindow::useImportedVectors(std::shared_ptr<const WordVectors> vectors, const QString &path,
    bool initialise, bool frozen, bool adopt, UncoveredInit uncovered)
{
    const QString name = QFileInfo(path).fileName();
    if (!initialise || !corpus()) {
        m_explored = vectors;
        m_exploredPath = path;
        m_scrubbing = m_controller->isRunning();
        showTable(std::move(vectors), name, false, false);
        statusBar()->showMessage(tr("Exploring %1").arg(name), 5000);
        emit vectorsImported(path);
        return;
    }
    if (!mayReplaceModel(
            tr("Initialising the embedding from %1 starts a new model in its place.").arg(name),
            [=] { useImportedVectors(vectors, path, initialise, frozen, adopt, uncovered); }))
        return;
    ModelConfig config = m_trainingPanel->modelConfig(corpus()->vocab.size());
    if (config.embeddingDim != vectors->dim()) {
        if (!adopt) {
            showError(tr("Dimensions differ"),
                tr("The vectors have %1 dimensions but the model's embedding has %2. "
                   "Change the embedding size or let the model adopt the file's dimension.")
                    .arg(vectors->dim())
                    .arg(config.embeddingDim));
            return;
        }
        config.embeddingDim = vectors->dim();
        if (config.tied)
            config.hiddenSize = vectors->dim();
        m_trainingPanel->setModelConfig(config);
        m_trainingPanel->setEmbeddingSource(name);
    }
    try {
        const Coverage c
            = m_document->createModelFromVectors(config, m_trainingPanel->trainConfig().seed,
                m_corpusPanel->options().tokenizer, *vectors, uncovered);
        m_trainingPanel->setFrozenEmbedding(frozen);
        m_importedVectors = path;
        m_lossChart->clear();
        clearRunStatus();
        showModelTable(0);
        statusBar()->showMessage(tr("Embedding initialised from %1: %2 of %3 words covered")
                                     .arg(name)
                                     .arg(c.coveredWords)
                                     .arg(c.words),
            8000);
    } catch (const std::exception &e) {
        showError(tr("Cannot initialise the embedding"), QString::fromStdString(e.what()));
        return;
    }
    updateActions();
    emit vectorsImported(path);
}

void MainWindow::chooseMapMetadata()
{
    const QString path = remembered(QFileDialog::getOpenFileName(this, tr("Colour Map by Metadata"),
        dialogPath(QString()), tr("Metadata (*.tsv *.txt);;All files (*)")));
    if (!path.isEmpty())
        loadMapMetadata(path);
}

bool MainWindow::loadMapMetadata(const QString &path)
{
    std::shared_ptr<const WordMetadata> meta;
    try {
        meta = std::make_shared<const WordMetadata>(
            readWordMetadata(QFile::encodeName(path).toStdString()));
    } catch (const std::exception &e) {
        showError(tr("Could not read the metadata"), QString::fromUtf8(e.what()));
        return false;
    }
    const QLocale locale;
    const QString name = QFileInfo(path).fileName();
    if (m_map->pointCount() > 0 && m_map->table()) {
        const MetadataKey key = metadataKey(*meta, *m_map->table());
        if (key.matched == 0) {
            // Say what the file holds, so a file for other vectors is recognised as such.
            QStringList first;
            for (std::size_t i = 0; i < meta->rows.size() && i < 3; ++i)
                first << QString::fromStdString(meta->rows[i][0]);
            showError(tr("Could not read the metadata"),
                tr("None of the %n rows of %1 names a word on the map (its first column begins "
                   "%2).",
                    nullptr, static_cast<int>(meta->rows.size()))
                    .arg(path, first.join(QStringLiteral(", "))));
            return false;
        }
        m_map->setMetadata(meta);
        statusBar()->showMessage(
            tr("%1: %2 of its %n rows name words on the map, by its column “%3”", nullptr,
                static_cast<int>(meta->rows.size()))
                .arg(name, locale.toString(static_cast<qulonglong>(key.matched)),
                    QString::fromStdString(meta->columns[key.column])),
            10000);
        return true;
    }
    m_map->setMetadata(meta);
    statusBar()->showMessage(
        tr("%1: read; the map colours its words as they come").arg(name), 8000);
    return true;
}

void MainWindow::exportEmbedding(const QString &path)
{
    if (!modelIsStill() || !m_document->exportEmbedding(path))
        return;
    setBusy(tr("Exporting %1...").arg(QFileInfo(path).fileName()), true);
}

QString MainWindow::dialogPath(const QString &fileName) const
{
    return embedlab::dialogPath(fileName);
}

QString MainWindow::remembered(const QString &path) const
{
    return rememberDialogPath(path);
}

QString MainWindow::suggestedFileName(const QString &what, const QString &suffix) const
{
    // From the corpus the user knows ("austen.txt" -> "austen_embedding.txt"); `what` alone
    // without one.
    const auto &source = m_document->corpusSource();
    const QString stem = corpus()
        ? fileNameStem(source.path.isEmpty() ? source.displayName : source.path, QString())
        : QString();
    if (stem.isEmpty())
        return (what.isEmpty() ? QStringLiteral("model") : what) + suffix;
    return what.isEmpty() ? stem + suffix : stem + QLatin1Char('_') + what + suffix;
}

qint64 MainWindow::shownRunStep() const
{
    return m_viewsShowModel || m_map->historyId().isEmpty() ? -1 : m_map->historyStep();
}

QString MainWindow::selectedRunCheckpoint() const
{
    if (m_selectedRun.isEmpty() || m_selectedRun == m_document->currentRunDir())
        return {};
    const QString path = QDir(m_selectedRun).filePath(QString::fromLatin1(RunCheckpointFile));
    return QFileInfo::exists(path) ? path : QString();
}

QString MainWindow::exportCompanion(const QString &path)
{
    if (exportFormatForPath(QFile::encodeName(path).toStdString()) != VectorFormat::ProjectorTsv)
        return {};
    return QFile::decodeName(projectorMetadataPath(QFile::encodeName(path).toStdString()).c_str());
}

bool MainWindow::exportEmbeddingAs(const QString &path)
{
    // The save dialog asked about the vectors' file; the labels' file beside it is asked about
    // here, before either is written.
    const QString labels = exportCompanion(path);
    if (!labels.isEmpty() && QFileInfo::exists(labels)) {
        QMessageBox box(QMessageBox::Question, tr("Replace the Labels?"),
            tr("A Projector export writes the vectors to %1 and their words to %2, which exists "
               "already.")
                .arg(QFileInfo(path).fileName(), QFileInfo(labels).fileName()),
            QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("replaceLabelsPrompt"));
        box.setInformativeText(tr("Replace %1?").arg(QDir::toNativeSeparators(labels)));
        box.button(QMessageBox::Yes)->setText(tr("Replace"));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Yes)
            return false;
    }
    exportShownEmbedding(path);
    return true;
}

void MainWindow::exportShownEmbedding(const QString &path)
{
    const qint64 step = shownRunStep();
    if (step < 0) {
        exportEmbedding(path);
        return;
    }
    if (m_document->exportRunStep(path, m_map->historyId(), step))
        setBusy(tr("Exporting %1...").arg(QFileInfo(path).fileName()), true);
}

bool MainWindow::modelIsStill() const
{
    return !m_controller->isRunning() || m_controller->isPauseReached();
}

void MainWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    const bool loading = m_document->isLoadingCorpus();
    const bool busyFile = m_document->isBusy();
    const bool hasModel = model();
    const bool hasCorpus = corpus();
    m_openAct->setEnabled(!running);
    m_sampleAct->setEnabled(!running);
    m_recentMenu->setEnabled(!running);
    m_openModelAct->setEnabled(!running && !busyFile);
    const bool still = modelIsStill();
    m_saveAct->setEnabled(hasModel && still && !busyFile);
    m_saveAsAct->setEnabled(hasModel && still && !busyFile);
    m_startAct->setEnabled(hasCorpus && !running && !loading);
    m_pauseAct->setEnabled(running);
    m_pauseAct->setText(m_controller->isPaused() ? tr("&Resume") : tr("&Pause"));
    m_stopAct->setEnabled(running);
    m_resetAct->setEnabled(hasModel && !running);
    m_restoreDefaultsAct->setEnabled(!running);
    m_importAct->setEnabled(!running);
    m_exportAct->setEnabled(((hasModel && still) || shownRunStep() >= 0) && !busyFile);
    const QString checkpoint = selectedRunCheckpoint();
    m_generate->setAvailable((hasModel && still) || !checkpoint.isEmpty());
    if (!checkpoint.isEmpty()) {
        const auto run = m_document->run(m_selectedRun);
        m_generate->setSourceName(tr("the model the run %1 wrote at its last stop (step %2)")
                                      .arg(QString::fromStdString(run->settings.name),
                                          QLocale().toString(run->settings.steps)));
    } else if (hasModel) {
        m_generate->setSourceName(m_document->currentRunDir().isEmpty()
                ? tr("the model")
                : tr("the model of the run %1")
                      .arg(m_document->run(m_document->currentRunDir())
                              ? QString::fromStdString(
                                  m_document->run(m_document->currentRunDir())->settings.name)
                              : QFileInfo(m_document->currentRunDir()).fileName()));
    } else {
        m_generate->setSourceName({});
    }
    m_trainingPanel->setStartEnabled(hasCorpus && !loading);
    if (running)
        m_runs->setCompareAvailable(false,
            tr("Compare starts a run of its own: stop the training first, or wait until it "
               "finishes"));
    else if (loading || busyFile || m_readingSiblingVectors)
        m_runs->setCompareAvailable(false, tr("Compare waits until the file being read is done"));
    else
        m_runs->setCompareAvailable(true);
}

void MainWindow::chooseCorpus()
{
    const QString path = remembered(QFileDialog::getOpenFileName(
        this, tr("Open Corpus"), dialogPath({}), tr("Text files (*.txt);;All files (*)")));
    if (!path.isEmpty())
        openCorpus(path);
}

void MainWindow::chooseModelToOpen()
{
    const QString path = remembered(QFileDialog::getOpenFileName(
        this, tr("Open Model"), dialogPath({}), tr("Models (*.safetensors);;All files (*)")));
    if (!path.isEmpty())
        openModel(path);
}

QString MainWindow::askModelSavePath()
{
    QString path = remembered(QFileDialog::getSaveFileName(this, tr("Save Model"),
        m_document->modelPath().isEmpty()
            ? dialogPath(suggestedFileName(QString(), QStringLiteral(".safetensors")))
            : m_document->modelPath(),
        tr("Models (*.safetensors)")));
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".safetensors");
    return path;
}

void MainWindow::chooseModelToSave()
{
    const QString path = askModelSavePath();
    if (!path.isEmpty())
        saveModel(path);
}

bool MainWindow::mayReplaceModel(const QString &consequence, const std::function<void()> &retry)
{
    if (!m_document->isModelDirty())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Model"),
        tr("The trained model has not been saved."),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("discardPrompt"));
    box.setInformativeText(consequence + QLatin1Char(' ') + tr("Save the model first?"));
    box.setDefaultButton(QMessageBox::Save);
    box.setEscapeButton(QMessageBox::Cancel);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save || m_document->isBusy())
        return false; // Cancel, or the box was closed
    const QString path
        = m_document->modelPath().isEmpty() ? askModelSavePath() : m_document->modelPath();
    if (path.isEmpty())
        return false;
    if (modelIsStill()) {
        saveModelThen(path, retry);
    } else {
        // A running model is saved once the pause holds the training thread.
        connect(
            m_controller, &TrainingController::pauseReached, this,
            [this, path, retry] { saveModelThen(path, retry); }, Qt::SingleShotConnection);
        m_controller->pause();
    }
    return false;
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = Document::recentFiles();
    for (const QString &f : files) {
        m_recentMenu
            ->addAction(QFileInfo(f).fileName(), this,
                [this, f] {
                    if (f.endsWith(QLatin1String(".safetensors")))
                        openModel(f);
                    else
                        openCorpus(f);
                })
            ->setStatusTip(f);
    }
    if (files.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    statusBar()->showMessage(title, 8000);
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box.exec();
}

void MainWindow::setBusy(const QString &message, bool busy)
{
    if (busy) {
        statusBar()->showMessage(message);
        if (!m_controller->isRunning()) {
            m_progress->setRange(0, 0); // indeterminate until a corpus read reports progress
            m_progress->show();
            m_busyTimer->start();
        }
    } else if (!m_controller->isRunning()) {
        m_progress->hide();
        m_busyTimer->stop();
    }
    updateActions();
}

void MainWindow::showLoadProgress()
{
    if (m_controller->isRunning() || !m_document->isLoadingCorpus())
        return;
    const int permille = m_document->corpusLoadPermille();
    if (permille > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(permille);
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Embedding Lab"),
        tr("<h3>Embedding Lab %1</h3>"
           "<p>Train word embeddings with a recurrent language model (LSTM, GRU or plain RNN) and "
           "watch them learn.</p>"
           "<p>Built with Qt %2, Eigen, OpenBLAS and QCustomPlot. Checkpoints are "
           "safetensors files that PyTorch's word_language_model loads directly.</p>"
           "<p>Licences: Qt (LGPL 3), Eigen (MPL 2), OpenBLAS (BSD), QCustomPlot "
           "(GPL 3), zlib (zlib), ICU (Unicode licence). Sample texts: Jane Austen, <i>Pride "
           "and Prejudice</i> (1813), and Lu Xun, <i>Call to Arms</i> (呐喊, 1923) and "
           "<i>Wandering</i> (彷徨, 1926), all in the public domain.</p>")
            .arg(QStringLiteral(EMBEDLAB_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::showHelp()
{
    // A non-modal window with the user guide, kept open beside the main window.
    if (!m_help) {
        m_help = new QDialog(this);
        m_help->setWindowTitle(tr("Embedding Lab Help"));
        m_help->setObjectName(QStringLiteral("helpWindow"));
        auto *browser = new QTextBrowser(m_help);
        browser->setObjectName(QStringLiteral("helpBrowser"));
        browser->setOpenExternalLinks(true);
        browser->setSource(QUrl(helpGuideUrl()), QTextDocument::MarkdownResource);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, m_help);
        connect(buttons, &QDialogButtonBox::rejected, m_help, &QDialog::close);
        auto *layout = new QVBoxLayout(m_help);
        layout->addWidget(browser);
        layout->addWidget(buttons);
        m_help->resize(640, 720);
    }
    m_help->show();
    m_help->raise();
    m_help->activateWindow();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_layoutPlaced && !m_layoutRestored)
        placePanels();
    m_layoutPlaced = true;
}

void MainWindow::placePanels()
{
    // Shares of the window as first shown: the settings as wide as they need, the charts and
    // neighbours about 30%, the map the rest; the charts over the neighbours, 40:60.
    auto *training = findChild<QDockWidget *>(QStringLiteral("trainingDock"));
    auto *charts = findChild<QDockWidget *>(QStringLiteral("chartsDock"));
    auto *neighbors = findChild<QDockWidget *>(QStringLiteral("neighborsDock"));
    if (!training || !charts || !neighbors)
        return;
    const int w = width(), h = height();
    const int settings = std::clamp(
        m_trainingPanel->sizeHint().width() + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4,
        w / 6, w * 3 / 10);
    resizeDocks({ training, charts }, { settings, std::max(w * 3 / 10, 340) }, Qt::Horizontal);
    resizeDocks({ charts, neighbors }, { h * 40 / 100, h * 60 / 100 }, Qt::Vertical);
}

namespace {

// "Tokens: Characters (default: Words)", with where the value came from.
QString describe(const SettingChange &c)
{
    QString value = c.value;
    if (!c.note.isEmpty())
        value = MainWindow::tr("%1, %2").arg(value, c.note.at(0).toLower() + c.note.mid(1));
    return MainWindow::tr("%1: %2 (default: %3)").arg(c.name, value, c.defaultValue);
}

} // namespace

QString MainWindow::settingsNote() const
{
    return m_settingsNote->isHidden() ? QString() : m_settingsNote->text();
}

void MainWindow::updateSettingsNote()
{
    const QList<SettingChange> changes
        = m_corpusPanel->changedSettings() + m_trainingPanel->changedSettings();
    if (changes.isEmpty()) {
        m_settingsNote->hide();
        m_settingsNote->clear();
        return;
    }
    // The first two by name and value, the rest counted; every one in the tooltip.
    QStringList shown, all;
    for (const SettingChange &c : changes) {
        if (shown.size() < 2)
            shown << tr("%1 %2").arg(c.name, c.value);
        all << describe(c);
    }
    QString list = shown.join(tr(", "));
    if (changes.size() > 2)
        list = tr("%1 and %n more", nullptr, static_cast<int>(changes.size() - 2)).arg(list);
    m_settingsNote->setText(tr("Not the defaults: %1 · <a href=\"restore\">Restore Defaults</a>")
                                .arg(list.toHtmlEscaped()));
    m_settingsNote->setToolTip(tr("Settings that differ from the defaults:") + QLatin1Char('\n')
        + all.join(QLatin1Char('\n')));
    m_settingsNote->show();
}

void MainWindow::restoreDefaultSettings(bool corpusOptions, bool trainingSettings)
{
    if (m_controller->isRunning())
        return;
    QList<SettingChange> changes;
    if (corpusOptions)
        changes += m_corpusPanel->changedSettings();
    if (trainingSettings)
        changes += m_trainingPanel->changedSettings();
    if (changes.isEmpty()) {
        statusBar()->showMessage(tr("The settings are the defaults already"), 5000);
        return;
    }
    QStringList lines;
    for (const SettingChange &c : std::as_const(changes))
        lines << describe(c);
    // What follows: the text read again, and a model the settings no longer describe.
    CorpusOptions options = m_corpusPanel->options();
    if (corpusOptions)
        options = CorpusPanel::defaultOptions();
    const bool retokenise = corpus() && !m_document->isLoadingCorpus()
        && (!sameTokenization(options.tokenizer, m_document->corpusOptions().tokenizer)
            || options.minCount != m_document->corpusOptions().minCount
            || options.maxVocab != m_document->corpusOptions().maxVocab
            || options.validFraction != m_document->corpusOptions().validFraction);
    QStringList consequences;
    if (retokenise)
        consequences << tr("%1 is tokenised again.").arg(m_document->corpusSource().displayName);
    // Start continues a model only with its tokenizer and its architecture.
    if (model()
        && ((retokenise && !sameTokenization(options.tokenizer, m_document->modelTokenizer()))
            || (trainingSettings && !sameArchitecture(model()->config(), [&] {
                   ModelConfig d = TrainingPanel::defaultModelConfig();
                   d.vocabSize = model()->config().vocabSize;
                   return d;
               }()))))
        consequences << (isModelDirty()
                ? tr("The model does not match the default settings: Start then trains a new "
                     "model in its place, and asks about the unsaved one first.")
                : tr("The model does not match the default settings: Start then trains a new "
                     "model in its place."));
    QMessageBox box(QMessageBox::Question, tr("Restore Default Settings"),
        tr("Put these settings back to their defaults?"), QMessageBox::Yes | QMessageBox::Cancel,
        this);
    box.setObjectName(QStringLiteral("restoreDefaultsPrompt"));
    box.setInformativeText(lines.join(QLatin1Char('\n'))
        + (consequences.isEmpty() ? QString()
                                  : QStringLiteral("\n\n") + consequences.join(QLatin1Char(' '))));
    box.button(QMessageBox::Yes)->setText(tr("Restore Defaults"));
    box.setDefaultButton(QMessageBox::Yes);
    if (box.exec() != QMessageBox::Yes)
        return;
    QSettings settings;
    if (corpusOptions) {
        m_corpusPanel->restoreDefaults();
        m_corpusPanel->saveSettings(settings);
    }
    if (trainingSettings) {
        m_trainingPanel->restoreDefaults();
        m_trainingPanel->saveSettings(settings);
    }
    updateSettingsNote();
    statusBar()->showMessage(tr("Default settings restored"), 5000);
    if (retokenise)
        retokenize();
}

void MainWindow::readSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_defaultLayout = saveState(LayoutVersion);
    // A layout saved by a version with other panels is not restored (restoreState refuses it).
    m_layoutRestored
        = restoreState(settings.value(QStringLiteral("window/state")).toByteArray(), LayoutVersion);
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 800);
    m_trainingPanel->restoreSettings(settings);
    m_corpusPanel->restoreSettings(settings);
    rebuildRecentMenu();
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState(LayoutVersion));
    m_trainingPanel->saveSettings(settings);
    m_corpusPanel->saveSettings(settings);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The classifier's window asks about its own unsaved model first.
    if (m_classifier && m_classifier->isVisible() && !m_classifier->close()) {
        event->ignore();
        return;
    }
    if (!mayReplaceModel(tr("Quitting loses it."), [this] { close(); })) {
        event->ignore();
        return;
    }
    m_controller->stop();
    writeSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1
        && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = event->mimeData()->urls().first().toLocalFile();
    if (path.endsWith(QLatin1String(".safetensors")))
        openModel(path);
    else
        openCorpus(path);
    event->acceptProposedAction();
}

} // namespace embedlab
