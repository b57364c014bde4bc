// The real window driven as a user would: it opens on the sample corpus, Start grows the loss
// chart and the map, Pause / Resume / Stop act, imported vectors fill the neighbours table with
// gensim's answers, a saved model reopens identically, and bad files leave the state alone.
#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGlyphRun>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRawFont>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextLayout>
#include <QToolButton>

#include <qcustomplot.h>

#include "core/checkpoint.h"
#include "core/fileio.h"
#include "core/generate.h"
#include "core/runlog.h"
#include "core/trainstate.h"
#include "core/vectors/vectors.h"
#include "ui/comparedialog.h"
#include "ui/corpuspanel.h"
#include "ui/document.h"
#include "ui/embeddingmap.h"
#include "ui/generatepanel.h"
#include "ui/importvectorsdialog.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/neighborspanel.h"
#include "ui/runspanel.h"
#include "ui/runtimeline.h"
#include "ui/screenshot.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "dialogpilot.h"
#include "maplabels.h"
#include "testworkspace.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

// The longest training window the chart has seen, in seconds.
double longestWindowSeconds(const LossChart &chart)
{
    const auto &points = chart.points();
    double longest = points.isEmpty() ? 0 : points.first().seconds;
    for (int i = 1; i < points.size(); ++i)
        longest = std::max(longest, points[i].seconds - points[i - 1].seconds);
    return longest;
}

void openSample(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
}

// A small, fast model so the tests do not wait on training.
void useSmallModel(MainWindow &w)
{
    ModelConfig small;
    small.embeddingDim = 24;
    small.hiddenSize = 24;
    small.layers = 1;
    small.dropout = 0.1;
    w.trainingPanel()->setModelConfig(small);
}

// Empty when `font` (with the fallbacks Qt picks for it) draws every character of `text` with a
// real glyph; otherwise what is missing. Glyph 0 is the empty box of a font without the character.
QString missingGlyphs(const QFont &font, const QString &text)
{
    QTextLayout layout(text, font);
    layout.beginLayout();
    layout.createLine();
    layout.endLayout();
    QList<QRawFont> fonts;
    QStringList families;
    for (const QGlyphRun &run : layout.glyphRuns()) {
        fonts << run.rawFont();
        families << run.rawFont().familyName();
        for (quint32 g : run.glyphIndexes())
            if (g == 0)
                return QStringLiteral("an empty box in \"%1\" (fonts: %2)")
                    .arg(text, families.join(", "));
    }
    for (QChar ch : text) {
        if (ch.isSpace())
            continue;
        bool covered = false;
        for (const QRawFont &f : std::as_const(fonts))
            covered = covered || f.supportsCharacter(ch);
        if (!covered)
            return QStringLiteral("no font for %1 (fonts: %2)").arg(ch).arg(families.join(", "));
    }
    return {};
}

// The Neighbours panel's word box (the one whose placeholder says "Word").
QLineEdit *neighboursWordBox(MainWindow &w)
{
    for (QLineEdit *e : w.neighborsPanel()->findChildren<QLineEdit *>())
        if (e->placeholderText() == QLatin1String("Word"))
            return e;
    return nullptr;
}

// The first word of letters alone from row `from` of the model's vocabulary on.
QString plainWordFrom(const Vocabulary &vocab, int from)
{
    for (int i = from; i < vocab.size(); ++i) {
        const QString w = QString::fromStdString(vocab.word(i));
        if (w.size() >= 3 && std::all_of(w.begin(), w.end(), [](QChar c) { return c.isLetter(); }))
            return w;
    }
    return {};
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void opensTheSampleCorpus();
    void trainingGrowsTheChartAndTheMap();
    void pauseResumeStop();
    void cellChoiceReachesTheTraining();
    void importedVectorsFillTheNeighbors();
    void savedModelReopensIdentically();
    void savingDuringAPause();
    void continuingAfterStopContinuesTheRun();
    void reopenedModelContinuesItsRun();
    void twoRunsAreTwoCurvesAndTheTimelineScrubs();
    void runFolderReopensWithoutItsCorpus();
    void generateAndExportFollowTheSelectedRun();
    void compareTrainsASiblingThatDiffersInOneSetting();
    void compareOpensTheBaseCorpus();
    void badCorpusKeepsThePreviousCorpus();
    void badModelKeepsThePreviousModel();
    void closingWhileTrainingEndsPromptly();
    void screenshotShowsTheRunPaused();
    void screenshotFromTheCommandLine();
    void helpShowsTheGuide();
    void darkPaletteReachesThePlots();
    void mapLabelsNeverOverlap();
    void mapRanksWordsByTheirCounts();
    void chineseTextHasGlyphs();
    void characterTokensAreVisible();
    void viewMenuNamesTheToolbar();
    void fitsA1024By700Screen();
    void tenNeighboursShowAt1280By800();
    void generateJoinsChineseAndNamesUnknownWords();
    void neighboursQuerySelectsTheWordOnTheMap();
    void showingBoxSwitchesBetweenModelAndImported();
};

void TestMainWindow::initTestCase()
{
    useTemporaryWorkspace();
}

void TestMainWindow::opensTheSampleCorpus()
{
    MainWindow w;
    w.show();
    openSample(w);
    QVERIFY(w.corpus());
    QVERIFY(w.corpus()->vocab.size() > 5000);
    QVERIFY(w.corpus()->train.size() > 100000);
    auto *table = w.findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("<eos>"));
    QCOMPARE(table->item(5, 1)->text(), QStringLiteral("the"));
    QVERIFY(w.windowTitle().contains(QStringLiteral("Pride and Prejudice")));
    QVERIFY(w.trainingPanel()->startButton()->isEnabled());
}

void TestMainWindow::trainingGrowsTheChartAndTheMap()
{
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    QSignalSpy map(w.embeddingMap(), &EmbeddingMap::projectionUpdated);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QVERIFY(w.controller()->isRunning());
    QVERIFY(!w.trainingPanel()->startButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 20, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(map.count() >= 2, 30000);
    QCOMPARE(w.embeddingMap()->pointCount(), w.corpus()->vocab.size() - 1); // all but <pad>
    const int before = w.lossChart()->pointCount();
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > before + 20, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(w.model());
}

// The cell chosen beside the model settings is the cell of the model Start trains, is locked while
// it trains, is saved and restored with the other settings, and follows a model that is opened.
void TestMainWindow::cellChoiceReachesTheTraining()
{
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    auto *cell = w.trainingPanel()->findChild<QComboBox *>(QStringLiteral("cell"));
    QVERIFY(cell);
    QCOMPARE(cell->currentData().toString(), QStringLiteral("lstm")); // the default
    QCOMPARE(cell->count(), 4);
    const int gru = cell->findData(QStringLiteral("gru"));
    QVERIFY(gru >= 0);
    cell->setFocus();
    while (cell->currentIndex() != gru) // as a user picks it, with the arrow keys
        QTest::keyClick(cell, cell->currentIndex() < gru ? Qt::Key_Down : Qt::Key_Up);
    QVERIFY(w.trainingPanel()->modelConfig(3).cell == CellKind::Gru);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QVERIFY(!cell->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 5, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(cell->isEnabled());
    QVERIFY(w.model());
    QVERIFY(w.model()->config().cell == CellKind::Gru);
    // weight_ih_l0 [3H, E] is stored as (E, 3H)
    QCOMPARE(w.model()->layer(0)[0].cols(), Eigen::Index(3 * 24));

    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    cell->setCurrentIndex(cell->findData(QStringLiteral("rnn_relu")));
    w.trainingPanel()->saveSettings(settings);
    TrainingPanel restored;
    QVERIFY(restored.modelConfig(3).cell == CellKind::Lstm);
    restored.restoreSettings(settings);
    QVERIFY(restored.modelConfig(3).cell == CellKind::RnnRelu);
    restored.setModelConfig(w.model()->config());
    QVERIFY(restored.modelConfig(3).cell == CellKind::Gru);
}

void TestMainWindow::pauseResumeStop()
{
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 5, 30000);
    QTest::mouseClick(w.trainingPanel()->pauseButton(), Qt::LeftButton);
    QVERIFY(w.controller()->isPaused());
    QCOMPARE(w.trainingPanel()->pauseButton()->text(), QStringLiteral("&Resume"));
    // The window in flight ends and its point arrives; then nothing more may come.
    int atPause = -1;
    const int settleMs
        = std::max(250, static_cast<int>(3000 * longestWindowSeconds(*w.lossChart())));
    for (int i = 0; i < 20 && w.lossChart()->pointCount() != atPause; ++i) {
        atPause = w.lossChart()->pointCount();
        QTest::qWait(settleMs);
    }
    QTest::qWait(600);
    QCOMPARE(w.lossChart()->pointCount(), atPause);
    QTest::mouseClick(w.trainingPanel()->pauseButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > atPause + 5, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(!w.controller()->isRunning());
    QVERIFY(w.trainingPanel()->startButton()->isEnabled());
}

void TestMainWindow::importedVectorsFillTheNeighbors()
{
    const Json ref = Json::parse(readFile(EMBEDLAB_TEST_DATA "/queries/reference.json"));
    const Json *king = nullptr;
    for (const auto &q : ref.at("neighbors"))
        if (q.contains("word") && q.at("word").get<std::string>() == "king"
            && q.at("metric").get<std::string>() == "cosine"
            && q.at("restrict").get<std::int64_t>() == 0)
            king = &q;
    QVERIFY(king);

    MainWindow w;
    w.show();
    DialogPilot pilot;
    QSignalSpy imported(&w, &MainWindow::vectorsImported);
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"));
    QCOMPARE(imported.count(), 1);
    QSignalSpy results(w.neighborsPanel(), &NeighborsPanel::resultsChanged);
    w.neighborsPanel()->query(QStringLiteral("king"));
    QTRY_VERIFY_WITH_TIMEOUT(
        results.count() >= 1 && !w.neighborsPanel()->results().isEmpty(), 20000);
    const auto got = w.neighborsPanel()->results();
    const Json &want = king->at("result");
    QCOMPARE(got.size(), static_cast<int>(want.size()));
    for (int i = 0; i < got.size(); ++i) {
        QCOMPARE(
            got[i].first.toStdString(), want[static_cast<std::size_t>(i)][0].get<std::string>());
        QVERIFY(
            std::abs(got[i].second - want[static_cast<std::size_t>(i)][1].get<double>()) < 1e-4);
    }
    // The map shows the same table.
    QTRY_VERIFY_WITH_TIMEOUT(
        w.embeddingMap()->pointCount() == ref.at("rows").get<std::int64_t>(), 20000);
}

void TestMainWindow::savedModelReopensIdentically()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("model.safetensors"));
    LanguageModel<float>::Mat encoder;
    {
        MainWindow w;
        w.show();
        openSample(w);
        useSmallModel(w);
        QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 10, 30000);
        QSignalSpy finished(w.controller(), &TrainingController::finished);
        w.controller()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QSignalSpy saved(&w, &MainWindow::modelSaved);
        w.saveModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        encoder = w.model()->encoder();
    }
    MainWindow w2;
    QSignalSpy loaded(&w2, &MainWindow::modelLoaded);
    w2.openModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QVERIFY(w2.model());
    QCOMPARE(w2.model()->config().embeddingDim, 24);
    QVERIFY(w2.model()->encoder() == encoder);
    QCOMPARE(w2.trainingPanel()->modelConfig(3).hiddenSize, 24);
}

// The steps of a chart's windows go up by one from `from` on: no line back to step 1.
void verifyOneCurve(const LossChart &chart, int from = 1)
{
    const auto &points = chart.points();
    for (int i = std::max(from, 1); i < points.size(); ++i) {
        QCOMPARE(points[i].step, points[i - 1].step + 1);
        QVERIFY(points[i].tokens > points[i - 1].tokens);
        QVERIFY(points[i].seconds >= points[i - 1].seconds);
    }
}

void TestMainWindow::continuingAfterStopContinuesTheRun()
{
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 10, 30000);
    QTest::mouseClick(w.trainingPanel()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(w.document()->trainState());
    const qint64 stoppedAt = w.document()->trainState()->step;
    const int before = w.lossChart()->pointCount();
    QCOMPARE(w.lossChart()->points().last().step, stoppedAt);

    // Start again with the same settings: no prompt, the same run goes on.
    // The initialisation and the stop, once the finished run is read back.
    QTRY_VERIFY_WITH_TIMEOUT(w.document()->run(w.document()->currentRunDir())
            && w.document()->run(w.document()->currentRunDir())->snapshots.size() >= 2,
        20000);
    const auto recorded = w.document()->run(w.document()->currentRunDir())->snapshots;
    QVERIFY(!w.timeline()->isLive());
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QVERIFY(w.controller()->isRunning());
    // The timeline keeps the steps the run recorded and says the map follows training.
    QCOMPARE(w.timeline()->steps().size(), int(recorded.size()));
    QCOMPARE(w.timeline()->steps().last(), recorded.back().step);
    QVERIFY(w.timeline()->isLive());
    QVERIFY2(w.timeline()->labelText().startsWith(QStringLiteral("Live")),
        qPrintable(w.timeline()->labelText()));
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > before + 10, 30000);
    QTest::mouseClick(w.trainingPanel()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
    const auto &points = w.lossChart()->points();
    QCOMPARE(points[before].step, stoppedAt + 1);
    QCOMPARE(points[before].epoch, points[before - 1].epoch);
    verifyOneCurve(*w.lossChart());
    QCOMPARE(w.document()->trainState()->step, points.last().step);
    const QString shown = w.statusBar()->currentMessage();
    QVERIFY2(shown.contains(QLocale().toString(points.last().step)), qPrintable(shown));
}

// A saved model whose schedule had cut its rate, reopened: Start continues its steps at the rate
// the schedule reached, and a save from the window records the run for the next time.
void TestMainWindow::reopenedModelContinuesItsRun()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("model.safetensors"));
    double baseLr = 0;
    {
        MainWindow w;
        w.show();
        openSample(w);
        useSmallModel(w);
        QSignalSpy finished(w.controller(), &TrainingController::finished);
        QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 10, 30000);
        w.controller()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QSignalSpy saved(&w, &MainWindow::modelSaved);
        w.saveModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        baseLr = w.trainingPanel()->trainConfig().lr;
    }
    const std::string file = path.toStdString();
    auto ck = loadCheckpoint<float>(file);
    // Saved from the window, the file records the run (the README's embedlab.training).
    const Json training = Json::parse(ck.metadata.at(MetaTraining));
    QVERIFY(training.at("steps").get<std::int64_t>() > 10);
    QCOMPARE(training.at("corpus").get<std::string>(), std::string("Pride and Prejudice (sample)"));
    auto loaded = loadTrainState(file, ck.metadata, *ck.model);
    QVERIFY2(loaded.notice.empty(), loaded.notice.c_str());
    QVERIFY(loaded.state);
    const std::int64_t savedStep = loaded.state->step;
    // As if two epochs had stalled.
    loaded.state->lr = baseLr / 16;
    saveTrainingCheckpoint(file, *ck.model, ck.vocab, ck.tokenizer, *loaded.state, loaded.config);

    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    w.trainingPanel()->setTrainConfig(TrainConfig {}); // other settings, which the model's replace
    QSignalSpy opened(&w, &MainWindow::modelLoaded);
    w.openModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QCOMPARE(w.trainingPanel()->trainConfig().lr, baseLr);
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("Start continues")),
        qPrintable(w.statusBar()->currentMessage()));
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QVERIFY(w.controller()->isRunning()); // no prompt: it continues
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 5, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const auto &points = w.lossChart()->points();
    QCOMPARE(points.first().step, savedStep + 1);
    QCOMPARE(points.first().lr, baseLr / 16);
    QCOMPARE(points.last().lr, baseLr / 16);
    verifyOneCurve(*w.lossChart());
}

// Trains until the chart has `points` more windows, then stops and waits for the run's record.
void trainSome(MainWindow &w, int points)
{
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QSignalSpy runs(w.document(), &Document::runsChanged);
    const int before = w.lossChart()->pointCount();
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QVERIFY(w.controller()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > before + points, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(runs.count() >= 1, 20000); // the finished run read back
}

QColor rowColour(const RunsPanel &panel, const QString &id)
{
    for (const auto &r : panel.runs())
        if (r.id == id)
            return r.colour;
    return {};
}

// Two runs: two rows, two curves in their own colours; the timeline moves the map and the
// neighbours to a recorded step.
void TestMainWindow::twoRunsAreTwoCurvesAndTheTimelineScrubs()
{
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    trainSome(w, 10);
    const QString first = w.document()->currentRunDir();
    QVERIFY(!first.isEmpty());
    w.document()->discardModel(); // the next Start trains a new model: a second run
    trainSome(w, 10);
    const QString second = w.document()->currentRunDir();
    QVERIFY(second != first);
    // Both are rows (beside the runs of the tests before, which the workspace keeps too).
    QTRY_VERIFY_WITH_TIMEOUT(
        rowColour(*w.runsPanel(), first).isValid() && rowColour(*w.runsPanel(), second).isValid(),
        20000);
    // The first run is a curve of its own colour behind the second's, which is the chart's own.
    int firstCurve = -1;
    for (int i = 0; i < w.lossChart()->overlayCount(); ++i) {
        QVERIFY(w.lossChart()->overlay(i).id != second);
        if (w.lossChart()->overlay(i).id == first)
            firstCurve = i;
    }
    QVERIFY(firstCurve >= 0);
    QCOMPARE(w.lossChart()->overlay(firstCurve).colour, rowColour(*w.runsPanel(), first));
    QCOMPARE(w.lossChart()->mainColour(), rowColour(*w.runsPanel(), second));
    QVERIFY(rowColour(*w.runsPanel(), first) != rowColour(*w.runsPanel(), second));
    QVERIFY(w.lossChart()->overlay(firstCurve).points.size() > 10);

    // The timeline of the first run: its recorded steps; step 0 is the initialisation.
    w.selectRun(first);
    const auto steps = w.timeline()->steps();
    QVERIFY2(steps.size() >= 2 && steps.first() == 0, qPrintable(QString::number(steps.size())));
    QSignalSpy shown(&w, &MainWindow::runStepShown);
    QSignalSpy answered(w.neighborsPanel(), &NeighborsPanel::resultsChanged);
    w.timeline()->setCurrentStep(steps.last());
    QTRY_VERIFY_WITH_TIMEOUT(
        !shown.isEmpty() && shown.last().at(1).toLongLong() == steps.last(), 20000);
    w.neighborsPanel()->query(QStringLiteral("Elizabeth"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.neighborsPanel()->results().isEmpty(), 20000);
    const auto trained = w.neighborsPanel()->results();
    QTRY_VERIFY_WITH_TIMEOUT(w.embeddingMap()->pointCount() > 0, 20000);
    shown.clear();
    answered.clear();
    w.timeline()->setCurrentStep(0);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(1).toLongLong() == 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        !answered.isEmpty() && !w.neighborsPanel()->results().isEmpty(), 20000);
    QVERIFY2(w.neighborsPanel()->results() != trained,
        "the neighbours at step 0 equal those after training");
    QCOMPARE(w.embeddingMap()->pointCount(), w.corpus()->vocab.size() - 1);
}

// A recorded run reopens in a new window (the next start of the app) with its curve, its
// timeline, its map and its neighbours, after its corpus file is gone.
void TestMainWindow::runFolderReopensWithoutItsCorpus()
{
    QTemporaryDir dir;
    const QString text = dir.filePath(QStringLiteral("austen-excerpt.txt"));
    QVERIFY(QFile::copy(QStringLiteral(EMBEDLAB_SAMPLE_CORPUS), text));
    QString run;
    int points = 0;
    {
        MainWindow w;
        w.show();
        QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
        w.openCorpus(text);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        useSmallModel(w);
        trainSome(w, 10);
        run = w.document()->currentRunDir();
        points = w.lossChart()->pointCount();
        // Nothing to save: the run folder keeps it.
        w.document()->discardModel();
    }
    QVERIFY(QFile::remove(text));

    MainWindow w;
    w.show();
    QTRY_VERIFY_WITH_TIMEOUT(w.document()->run(run) != nullptr, 20000);
    w.selectRun(run);
    QCOMPARE(w.selectedRun(), run);
    QCOMPARE(w.runsPanel()->selectedId(), run);
    QVERIFY(w.timeline()->steps().size() >= 2);
    QTRY_VERIFY_WITH_TIMEOUT(w.embeddingMap()->pointCount() > 100, 20000);
    w.neighborsPanel()->query(QStringLiteral("Elizabeth"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.neighborsPanel()->results().isEmpty(), 20000);
    bool curve = false;
    for (int i = 0; i < w.lossChart()->overlayCount(); ++i)
        curve = curve
            || (w.lossChart()->overlay(i).id == run
                && w.lossChart()->overlay(i).points.size() == points);
    QVERIFY(curve);
}

// Generate samples from the selected run's saved model, and Export writes the step the map shows.
void TestMainWindow::generateAndExportFollowTheSelectedRun()
{
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    trainSome(w, 10);
    const QString first = w.document()->currentRunDir();
    w.document()->discardModel();
    trainSome(w, 10);
    const QString second = w.document()->currentRunDir();
    QTRY_VERIFY_WITH_TIMEOUT(w.document()->run(first) && w.document()->run(second), 20000);
    const QString firstName = QString::fromStdString(w.document()->run(first)->settings.name);
    const QString secondName = QString::fromStdString(w.document()->run(second)->settings.name);
    QVERIFY(firstName != secondName);

    // The model's own run: Generate samples from the model.
    w.selectRun(second);
    QVERIFY2(w.generatePanel()->sourceName().contains(secondName),
        qPrintable(w.generatePanel()->sourceName()));
    // Another run: from the model that run saved.
    QSignalSpy shown(&w, &MainWindow::runStepShown);
    w.selectRun(first);
    QVERIFY2(w.generatePanel()->sourceName().contains(firstName),
        qPrintable(w.generatePanel()->sourceName()));
    QSignalSpy generated(w.generatePanel(), &GeneratePanel::generated);
    w.generatePanel()->generate();
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 20000);
    const auto saved = loadCheckpoint<float>(
        QDir(first).filePath(QString::fromLatin1(RunCheckpointFile)).toStdString());
    GenerateOptions options; // the panel's defaults
    options.tokens = 60;
    options.temperature = 0.8;
    options.seed = 1;
    const std::string expected
        = generateText(*saved.model, saved.vocab, saved.tokenizer, "", options);
    QCOMPARE(w.generatePanel()->text(), QString::fromStdString(expected));
    QVERIFY(QString::fromStdString(generateText(*w.model(), w.document()->modelVocab(),
                w.document()->modelTokenizer(), "", options))
        != w.generatePanel()->text());

    // Export writes the embedding at the step shown: every row, <pad> too.
    const qint64 step0 = w.timeline()->steps().first();
    w.timeline()->setCurrentStep(step0);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(1).toLongLong() == step0, 20000);
    const QString path = dir.filePath(QStringLiteral("first-step0.bin"));
    QSignalSpy exported(&w, &MainWindow::embeddingExported);
    w.exportShownEmbedding(path);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 20000);
    const WordVectors written = readVectors(path.toStdString());
    const WordVectors recorded = readRunSnapshot(readRun(first.toStdString()), step0, true);
    QCOMPARE(written.size(), recorded.size());
    QCOMPARE(written.word(0), recorded.word(0));
    QVERIFY(written.vectors() == recorded.vectors());
    QVERIFY(
        !(written.vectors() == embeddingTable(*w.model(), w.document()->modelVocab()).vectors()));
}

// The settings of `sibling` with what Compare sets apart put back to `base`'s: equal to base's
// when the sibling differs in nothing else.
std::string settingsApartFromTheChange(RunSettings sibling, const RunSettings &base)
{
    sibling.name = base.name;
    sibling.created = base.created;
    sibling.status = base.status;
    sibling.steps = base.steps;
    sibling.comparedWith = base.comparedWith;
    sibling.difference = base.difference;
    sibling.colour = base.colour;
    sibling.train.maxSteps = base.train.maxSteps; // as many windows as the base trained
    return runSettingsJson(sibling);
}

// Compare on the run `baseDir`: `pick` chooses in the dialog, the unsaved model is discarded,
// and the sibling trains to its end. Returns the sibling's folder.
QString compareAndTrain(MainWindow &w, const QString &baseDir,
    const std::function<void(CompareDialog *)> &pick, QList<RunChange::Kind> *offered = nullptr)
{
    DialogPilot pilot;
    pilot.compare = [&](CompareDialog *d) {
        if (offered)
            *offered = d->offered();
        pick(d);
    };
    w.selectRun(baseDir);
    QSignalSpy started(&w, &MainWindow::siblingStarted);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    auto *compare = w.runsPanel()->findChild<QToolButton *>(QStringLiteral("compareButton"));
    // Available once the window has read what it needs (the corpus, the run).
    if (!QTest::qWaitFor([&] { return compare->isVisible() && compare->isEnabled(); }, 20000))
        return QStringLiteral("Compare is not available");
    QTest::mouseClick(compare, Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return started.count() == 1; }, 30000))
        return QStringLiteral("no sibling started");
    const QString dir = started.at(0).at(0).toString();
    if (started.at(0).at(1).toString() != baseDir || dir == baseDir)
        return QStringLiteral("a sibling of another run");
    // While it trains, Compare waits, and says why.
    if (w.controller()->isRunning()
        && (compare->isEnabled() || !compare->toolTip().contains(QLatin1String("training"))))
        return QStringLiteral("Compare available while training");
    if (!QTest::qWaitFor([&] { return finished.count() == 1; }, 60000))
        return QStringLiteral("the sibling did not finish");
    if (!QTest::qWaitFor(
            [&] {
                const auto run = w.document()->run(dir);
                return run && run->settings.status != "running";
            },
            20000))
        return QStringLiteral("the sibling's run was not read back");
    if (w.document()->run(dir)->settings.status != "finished")
        return pilot.messages.join(QLatin1Char('\n'));
    return dir;
}

// Compare trains a sibling of a run on the same corpus, with the same seed and every other
// setting, changed in the one picked; its run folder says what it is compared with, and the
// chart draws the base behind it.
void TestMainWindow::compareTrainsASiblingThatDiffersInOneSetting()
{
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openCorpus(QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    useSmallModel(w);
    w.trainingPanel()->findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(2);
    w.trainingPanel()->findChild<QSpinBox *>(QStringLiteral("seed"))->setValue(17);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const QString baseDir = w.document()->currentRunDir();
    QTRY_VERIFY_WITH_TIMEOUT(
        w.document()->run(baseDir) && w.document()->run(baseDir)->settings.status == "finished",
        20000);
    const RunData base = readRun(baseDir.toStdString());
    QCOMPARE(base.settings.train.seed, std::uint64_t(17));

    struct Case
    {
        const char *what;
        std::function<void(CompareDialog *)> pick;
        std::string difference;
        std::function<void(RunSettings &)> expect; // base's settings as the sibling's should be
    };
    const QString vectors = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");
    const std::vector<Case> cases {
        { "frozen", [](CompareDialog *d) { d->choose(RunChange::Kind::Frozen); },
            "frozen embedding", [](RunSettings &s) { s.train.freezeEmbedding = true; } },
        { "size",
            [](CompareDialog *d) {
                d->choose(RunChange::Kind::EmbeddingSize);
                d->setEmbeddingDim(16);
            },
            "embedding size 16", [](RunSettings &s) { s.model.embeddingDim = 16; } },
        { "cell",
            [](CompareDialog *d) {
                d->choose(RunChange::Kind::Cell);
                d->setCell(CellKind::Gru);
            },
            "GRU cell", [](RunSettings &s) { s.model.cell = CellKind::Gru; } },
        // These vectors have 50 dimensions: the embedding takes them, as the import dialog's does.
        { "vectors",
            [&](CompareDialog *d) {
                d->choose(RunChange::Kind::Initialisation);
                d->setVectorsPath(vectors);
            },
            "GloVe text initialisation (vectors.txt), embedding size 50",
            [&](RunSettings &s) {
                s.model.embeddingDim = 50;
                s.init = "vectors";
                s.vectors = QFile::encodeName(QFileInfo(vectors).absoluteFilePath()).toStdString();
            } },
    };
    for (const Case &c : cases) {
        QList<RunChange::Kind> offered;
        const QString dir = compareAndTrain(w, baseDir, c.pick, &offered);
        QVERIFY2(
            QFileInfo(dir).isAbsolute(), qPrintable(QStringLiteral("%1: %2").arg(c.what, dir)));
        QCOMPARE(offered.size(), 4); // a random, trainable, untied base offers every change
        QVERIFY(QFileInfo(dir).absolutePath() == QFileInfo(baseDir).absolutePath()); // workspace
        const RunData sibling = readRun(dir.toStdString());
        QCOMPARE(sibling.settings.comparedWith, baseDir.toStdString());
        QCOMPARE(sibling.settings.difference, c.difference);
        QCOMPARE(sibling.settings.name, base.settings.name + " · " + c.difference);
        QVERIFY2(sibling.settings.status == "finished", sibling.settings.status.c_str());
        QCOMPARE(sibling.settings.train.seed, base.settings.train.seed);
        QCOMPARE(sibling.settings.corpus.fingerprint, base.settings.corpus.fingerprint);
        QCOMPARE(sibling.words, base.words);
        QVERIFY(!sibling.scalars.empty());
        // It trains as many windows as the base did.
        QCOMPARE(sibling.settings.train.maxSteps, base.scalars.back().step);
        QCOMPARE(sibling.scalars.back().step, base.scalars.back().step);
        RunSettings expected = base.settings;
        c.expect(expected);
        QVERIFY(runSettingsJson(expected) != runSettingsJson(base.settings));
        QCOMPARE(settingsApartFromTheChange(sibling.settings, expected), runSettingsJson(expected));

        // The Training panel shows what trained.
        QCOMPARE(w.trainingPanel()->modelConfig(3).embeddingDim, expected.model.embeddingDim);
        QCOMPARE(w.trainingPanel()->trainConfig().freezeEmbedding, expected.train.freezeEmbedding);
        QCOMPARE(w.trainingPanel()->trainConfig().seed, std::uint64_t(17));
        // The sibling is the chart's curve, the base one behind it in its own colour.
        QCOMPARE(w.document()->currentRunDir(), dir);
        // The overlays follow the runs read back, on the next turns of the event loop.
        int baseCurve = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int i = 0; i < w.lossChart()->overlayCount(); ++i)
                    if (w.lossChart()->overlay(i).id == baseDir)
                        baseCurve = i;
                return baseCurve >= 0;
            }(),
            20000);
        QCOMPARE(
            w.lossChart()->overlay(baseCurve).points.size(), static_cast<int>(base.scalars.size()));
        QVERIFY(w.lossChart()->overlay(baseCurve).colour != w.lossChart()->mainColour());
        QCOMPARE(w.lossChart()->pointCount(), static_cast<int>(sibling.scalars.size()));
        // Its row says what it is.
        QString detail;
        for (const auto &r : w.runsPanel()->runs())
            if (r.id == dir)
                detail = r.detail;
        const QString vs = QStringLiteral("vs %1: %2")
                               .arg(QString::fromStdString(base.settings.name),
                                   QString::fromStdString(c.difference));
        QVERIFY2(detail.contains(vs), qPrintable(detail));
    }
}

// Another corpus loaded: Compare offers to open the base's, and the sibling starts once it is
// read; when the base's corpus file is gone, the message names it and nothing starts.
void TestMainWindow::compareOpensTheBaseCorpus()
{
    QTemporaryDir dir;
    const QString text = dir.filePath(QStringLiteral("excerpt-copy.txt"));
    QVERIFY(QFile::copy(QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt"), text));
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openCorpus(text);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    useSmallModel(w);
    w.trainingPanel()->findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(1);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const QString baseDir = w.document()->currentRunDir();
    QTRY_VERIFY_WITH_TIMEOUT(
        w.document()->run(baseDir) && w.document()->run(baseDir)->settings.status != "running",
        20000);

    DialogPilot pilot; // opening another text asks about the unsaved model first
    pilot.compare = [](CompareDialog *d) { d->choose(RunChange::Kind::Frozen); };
    openSample(w);
    w.selectRun(baseDir);
    auto *compare = w.runsPanel()->findChild<QToolButton *>(QStringLiteral("compareButton"));
    // Available once the window has read what it needs (the corpus, the run).
    QTRY_VERIFY_WITH_TIMEOUT(compare->isVisible() && compare->isEnabled(), 20000);
    QSignalSpy started(&w, &MainWindow::siblingStarted);
    QTest::mouseClick(compare, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 30000);
    QVERIFY2(pilot.prompts.join(QLatin1Char('\n')).contains(QLatin1String("excerpt-copy.txt")),
        qPrintable(pilot.prompts.join(QLatin1Char('\n'))));
    QCOMPARE(w.document()->corpusSource().path, text);
    QCOMPARE(w.corpus()->fingerprint, readRun(baseDir.toStdString()).settings.corpus.fingerprint);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);

    openSample(w);
    QVERIFY(QFile::remove(text));
    pilot.messages.clear();
    w.selectRun(baseDir);
    QTest::mouseClick(compare, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!pilot.messages.isEmpty(), 20000);
    QVERIFY2(pilot.messages.join(QLatin1Char('\n')).contains(QDir::toNativeSeparators(text)),
        qPrintable(pilot.messages.join(QLatin1Char('\n'))));
    QCOMPARE(started.count(), 1);
    QVERIFY(!w.controller()->isRunning());
    QVERIFY(w.corpus()->fingerprint != readRun(baseDir.toStdString()).settings.corpus.fingerprint);
}

void TestMainWindow::savingDuringAPause()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("paused.safetensors"));
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    QAction *saveAs = nullptr;
    for (QAction *a : w.findChildren<QAction *>())
        if (a->text() == QStringLiteral("Save Model &As..."))
            saveAs = a;
    QVERIFY(saveAs);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 10, 30000);
    QVERIFY(!saveAs->isEnabled()); // the model changes with every window
    QTest::mouseClick(w.trainingPanel()->pauseButton(), Qt::LeftButton);
    // Once the pause holds the training thread, the model can be saved.
    QTRY_VERIFY_WITH_TIMEOUT(saveAs->isEnabled(), 30000);
    QVERIFY(w.controller()->isPauseReached());
    const LanguageModel<float>::Mat atPause = w.model()->encoder();
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    w.saveModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    QVERIFY(loadCheckpoint<float>(path.toStdString()).model->encoder() == atPause);
    // The run goes on; the saved file keeps the paused state.
    const int points = w.lossChart()->pointCount();
    QTest::mouseClick(w.trainingPanel()->pauseButton(), Qt::LeftButton);
    QVERIFY(!saveAs->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > points + 5, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(w.model()->encoder() != atPause);
    QVERIFY(loadCheckpoint<float>(path.toStdString()).model->encoder() == atPause);
}

void TestMainWindow::badCorpusKeepsThePreviousCorpus()
{
    MainWindow w;
    openSample(w);
    const Corpus *before = w.corpus();
    const int vocab = before->vocab.size();
    DialogPilot pilot;
    QSignalSpy failed(&w, &MainWindow::corpusFailed);
    const QString bad = QStringLiteral(EMBEDLAB_TEST_DATA "/text/utf16le.txt");
    w.openCorpus(bad);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(
        message.contains(bad) && message.contains(QStringLiteral("UTF-16")), qPrintable(message));
    QVERIFY(pilot.messages.join(' ').contains(QStringLiteral("UTF-16")));
    QCOMPARE(w.corpus(), before);
    QCOMPARE(w.corpus()->vocab.size(), vocab);
    QVERIFY(w.windowTitle().contains(QStringLiteral("Pride and Prejudice")));
}

void TestMainWindow::badModelKeepsThePreviousModel()
{
    QTemporaryDir dir;
    const QString good = dir.filePath(QStringLiteral("good.safetensors"));
    MainWindow w;
    w.show();
    openSample(w);
    useSmallModel(w);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 3, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const LanguageModel<float> *model = w.model();
    const auto encoder = model->encoder();

    DialogPilot pilot;
    QSignalSpy failed(&w, &MainWindow::modelFailed);
    const QString bad = QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt");
    w.openModel(bad);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    QVERIFY2(
        failed.at(0).at(0).toString().contains(bad), qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(w.model(), model);
    QVERIFY(w.model()->encoder() == encoder);
    // Saving into a directory that does not exist fails and says so; nothing else changes.
    w.saveModel(dir.filePath(QStringLiteral("missing/dir/m.safetensors")));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 20000);
    QCOMPARE(w.model(), model);
}

void TestMainWindow::closingWhileTrainingEndsPromptly()
{
    auto w = std::make_unique<MainWindow>();
    w->show();
    openSample(*w);
    QTest::mouseClick(w->trainingPanel()->startButton(), Qt::LeftButton); // default model
    QTRY_VERIFY_WITH_TIMEOUT(w->lossChart()->pointCount() > 2, 30000);
    // Within a second, plus the window in flight, which cannot be cut short (a tenth of a
    // second here; far more in an instrumented build on a busy machine).
    const qint64 budgetMs
        = 1000 + static_cast<qint64>(2000 * longestWindowSeconds(*w->lossChart()));
    QElapsedTimer timer;
    timer.start();
    w.reset();
    QVERIFY2(timer.elapsed() < budgetMs,
        qPrintable(QStringLiteral("%1 ms (budget %2 ms)").arg(timer.elapsed()).arg(budgetMs)));
}

void TestMainWindow::screenshotShowsTheRunPaused()
{
    QTemporaryDir dir;
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    openSample(w);
    useSmallModel(w);
    const QString png = dir.filePath(QStringLiteral("window.png"));
    bool done = false;
    QString error = QStringLiteral("not called");
    takeScreenshot(&w, { png, 5 }, [&](const QString &e) {
        error = e;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QImage image(png);
    QCOMPARE(image.size(), w.size() * w.devicePixelRatio());
    // Trained as asked, with the map and the neighbours filled in, and the run ended after.
    QVERIFY(w.lossChart()->pointCount() >= 5);
    QVERIFY(w.embeddingMap()->pointCount() > 0);
    QVERIFY(!w.neighborsPanel()->results().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isRunning(), 5000);

    // An unwritable destination is an error, not a silent success.
    done = false;
    takeScreenshot(
        &w, { dir.filePath(QStringLiteral("missing/dir/window.png")), 0 }, [&](const QString &e) {
            error = e;
            done = true;
        });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QVERIFY2(error.contains(QStringLiteral("missing/dir/window.png")), qPrintable(error));
}

void TestMainWindow::screenshotFromTheCommandLine()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("app.png"));
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // it must not need a display
    env.remove(QStringLiteral("DISPLAY"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(EMBEDLAB_GUI),
        { QStringLiteral("--screenshot"), png, QStringLiteral("--train-steps"),
            QStringLiteral("2") });
    QVERIFY(app.waitForFinished(120000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1400, 900));

    app.start(QStringLiteral(EMBEDLAB_GUI),
        { QStringLiteral("--screenshot"), png, QStringLiteral("--train-steps"),
            QStringLiteral("many") });
    QVERIFY(app.waitForFinished(60000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(app.readAllStandardError().contains("--train-steps"));
}

void TestMainWindow::helpShowsTheGuide()
{
    MainWindow w;
    w.show();
    QVERIFY(!w.helpWindow());
    w.showHelp();
    QVERIFY(w.helpWindow() && w.helpWindow()->isVisible());
    QVERIFY(!w.helpWindow()->isModal()); // the guide stays open beside the window
    auto *browser = w.helpWindow()->findChild<QTextBrowser *>();
    QVERIFY(browser);
    const QString text = browser->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Getting started")), qPrintable(text.left(200)));
    QVERIFY(text.contains(QStringLiteral("Shift+F5")));
    QDialog *first = w.helpWindow();
    w.showHelp(); // F1 again raises the same window
    QCOMPARE(w.helpWindow(), first);
}

void TestMainWindow::darkPaletteReachesThePlots()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    DialogPilot pilot;
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(w.embeddingMap()->pointCount() > 0, 20000);
    const auto cornerLightness = [](QWidget *plot) {
        const QImage img = plot->grab().toImage();
        return img.pixelColor(2, 2).lightness();
    };
    QVERIFY(cornerLightness(w.embeddingMap()->plot()) > 128);
    w.setPalette(darkPalette());
    QTRY_VERIFY(cornerLightness(w.embeddingMap()->plot()) < 128);
    QCustomPlot *chart = w.lossChart()->findChild<QCustomPlot *>();
    QVERIFY(chart);
    QTRY_VERIFY(cornerLightness(chart) < 128);
    w.setPalette(QPalette());
    QTRY_VERIFY(cornerLightness(w.embeddingMap()->plot()) > 128);
}

void TestMainWindow::mapLabelsNeverOverlap()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    DialogPilot pilot;
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"));
    EmbeddingMap *map = w.embeddingMap();
    QTRY_VERIFY_WITH_TIMEOUT(map->pointCount() > 1000, 20000);
    // The neighbours panel starts on a frequent word rather than empty.
    QTRY_VERIFY_WITH_TIMEOUT(!w.neighborsPanel()->results().isEmpty(), 20000);
    QVERIFY(!w.neighborsPanel()->currentWord().isEmpty());

    map->setLabelCount(1000);
    map->plot()->replot(QCustomPlot::rpImmediateRefresh);
    const int fitted = map->visibleLabelCount();
    QVERIFY2(fitted > 5 && fitted < 1000, qPrintable(QString::number(fitted)));
    QVector<QRectF> shown;
    for (int i = 0; i < map->plot()->itemCount(); ++i) {
        auto *t = qobject_cast<QCPItemText *>(map->plot()->item(i));
        if (!t || !t->visible())
            continue;
        const QRectF r = labelRect(t);
        for (const QRectF &q : std::as_const(shown))
            QVERIFY2(!q.intersects(r.adjusted(1, 1, -1, -1)),
                qPrintable(QStringLiteral("%1 at (%2, %3) %4x%5 overlaps (%6, %7) %8x%9")
                               .arg(t->text())
                               .arg(r.x())
                               .arg(r.y())
                               .arg(r.width())
                               .arg(r.height())
                               .arg(q.x())
                               .arg(q.y())
                               .arg(q.width())
                               .arg(q.height())));
        shown.append(r);
    }
    // Zoomed in, there is room for more of them.
    for (QCPAxis *ax : { map->plot()->xAxis, map->plot()->yAxis })
        ax->scaleRange(0.25, ax->range().center());
    map->plot()->replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY2(map->visibleLabelCount() > 0, "labels at the zoomed centre");
}

void TestMainWindow::mapRanksWordsByTheirCounts()
{
    // A model's table: specials first whatever their counts (<unk> unseen here), then by count.
    const std::vector<std::string> words { "<unk>", "<eos>", "the", "of", "cat", "sat" };
    const std::vector<std::uint64_t> counts { 0, 300, 500, 200, 7, 5 };
    RowMatrixXf vectors(6, 3);
    vectors << 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1;
    EmbeddingMap map;
    map.resize(600, 400);
    map.show();
    QSignalSpy projected(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(words, vectors, counts),
        QStringLiteral("model"), false);
    QTRY_COMPARE_WITH_TIMEOUT(projected.count(), 1, 10000);
    map.setLabelCount(3); // the three most frequent are labelled, the unseen <unk> is not
    QStringList labelled;
    for (int i = 0; i < map.plot()->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(map.plot()->item(i)))
            if (t->objectName() != QLatin1String("outsideNote")) // the corner note
                labelled << t->text();
    labelled.sort();
    QCOMPARE(labelled, (QStringList { "<eos>", "of", "the" }));
    // The coordinates file gives each word its frequency rank.
    QTemporaryDir dir;
    const QString tsv = dir.filePath(QStringLiteral("map.tsv"));
    QVERIFY(map.exportCoordinates(tsv));
    QFile f(tsv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QMap<QString, int> rank;
    for (const QByteArray &line : f.readAll().split('\n').mid(1))
        if (!line.isEmpty())
            rank[QString::fromUtf8(line.split('\t').at(0))] = line.split('\t').at(1).toInt();
    QCOMPARE(rank.value("the"), 1);
    QCOMPARE(rank.value("<eos>"), 2);
    QCOMPARE(rank.value("of"), 3);
    QCOMPARE(rank.value("cat"), 4);
    QCOMPARE(rank.value("sat"), 5);
    QCOMPARE(rank.value("<unk>"), 6);
}

// Character tokens: the space is a visible "␣" in the vocabulary (not an empty cell), and the
// panel counts characters, not words.
void TestMainWindow::characterTokensAreVisible()
{
    MainWindow w;
    w.show();
    CorpusOptions options = w.corpusPanel()->options();
    options.tokenizer.mode = TokenizerMode::Char;
    w.corpusPanel()->setOptions(options);
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openCorpus(QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    const int space = w.corpus()->vocab.find(" ");
    QVERIFY(space >= 0);
    auto *table = w.corpusPanel()->findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->item(space, 1)->text(), QStringLiteral("\u2423"));
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("Character"));
    for (int i = 0; i < table->rowCount(); ++i)
        QVERIFY2(!table->item(i, 1)->text().trimmed().isEmpty(), qPrintable(QString::number(i)));
    QString stats;
    for (QLabel *l : w.corpusPanel()->findChildren<QLabel *>())
        if (l->text().contains(QLatin1String("Vocabulary")))
            stats = l->text();
    QVERIFY2(stats.contains(QStringLiteral("Vocabulary %1 characters")
                                .arg(QLocale().toString(w.corpus()->vocab.size()))),
        qPrintable(stats));
    // Words again, chosen as a user does (setOptions is silent): words.
    QComboBox *mode = nullptr;
    for (QComboBox *c : w.corpusPanel()->findChildren<QComboBox *>())
        if (c->findData(QStringLiteral("char")) >= 0)
            mode = c;
    QVERIFY(mode);
    mode->setCurrentIndex(mode->findData(QStringLiteral("word")));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 30000);
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("Word"));
    for (QLabel *l : w.corpusPanel()->findChildren<QLabel *>())
        if (l->text().contains(QLatin1String("Vocabulary")))
            stats = l->text();
    QVERIFY2(stats.contains(QStringLiteral("Vocabulary %1 words")
                                .arg(QLocale().toString(w.corpus()->vocab.size()))),
        qPrintable(stats));
}

// Every entry of the View menu names what it shows.
void TestMainWindow::viewMenuNamesTheToolbar()
{
    MainWindow w;
    QMenu *view = nullptr;
    for (QMenu *m : w.findChildren<QMenu *>())
        if (m->title() == QLatin1String("&View"))
            view = m;
    QVERIFY(view);
    QStringList names;
    for (QAction *a : view->actions())
        if (!a->isSeparator())
            names << a->text();
    QVERIFY2(names.contains(QStringLiteral("Main Toolbar")), qPrintable(names.join(", ")));
    QVERIFY2(!names.contains(QStringLiteral("Main")), qPrintable(names.join(", ")));
}

// Generate on a Chinese model: the characters come without spaces between them, and the words
// of the prompt the vocabulary lacks are named under it.
void TestMainWindow::generateJoinsChineseAndNamesUnknownWords()
{
    MainWindow w;
    w.show();
    useSmallModel(w);
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus(QStringLiteral("zh_CN"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    trainSome(w, 1);
    const Vocabulary &vocab = w.document()->modelVocab();
    QVERIFY(vocab.find("我们") >= 0);
    QVERIFY(vocab.find("电脑") < 0 && vocab.find("qzxv") < 0);
    auto *prompt = w.generatePanel()->findChild<QLineEdit *>();
    auto *tokens = w.generatePanel()->findChild<QSpinBox *>();
    QVERIFY(prompt && tokens);
    tokens->setValue(300);
    // A model trained this little mostly repeats its commonest tokens: sampled hot, it draws
    // from the whole vocabulary.
    auto *temperature = w.generatePanel()->findChild<QDoubleSpinBox *>();
    QVERIFY(temperature);
    temperature->setValue(3);
    const QString typed = QStringLiteral("电脑 qzxv 电脑 我们");
    prompt->setText(typed);
    QSignalSpy generated(w.generatePanel(), &GeneratePanel::generated);
    QTest::keyClick(prompt, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 20000);
    const QString text = w.generatePanel()->text();
    QVERIFY2(text.startsWith(typed), qPrintable(text));
    const QString sampled = text.mid(typed.size());
    QVERIFY2(sampled.count(QRegularExpression(QStringLiteral("\\p{Han}"))) > 100, qPrintable(text));
    QVERIFY2(!sampled.contains(QRegularExpression(QStringLiteral("\\p{Han} +\\p{Han}"))),
        qPrintable(text));
    QCOMPARE(w.generatePanel()->unknownWords(), (QStringList { "电脑", "qzxv" }));
    auto *unknown = w.generatePanel()->findChild<QLabel *>(QStringLiteral("generateUnknown"));
    QVERIFY(unknown && unknown->isVisible());
    QCOMPARE(unknown->text(), QStringLiteral("Not in the vocabulary: 电脑, qzxv — read as <unk>"));
    // A prompt of known words names none.
    prompt->setText(QStringLiteral("我们"));
    QTest::keyClick(prompt, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 2, 20000);
    QVERIFY(w.generatePanel()->unknownWords().isEmpty());
    QVERIFY(!unknown->isVisible());
}

// Both ways: a word asked in the Neighbours panel is selected on the map, and the map says when
// it does not draw the word.
void TestMainWindow::neighboursQuerySelectsTheWordOnTheMap()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    useSmallModel(w);
    openSample(w);
    trainSome(w, 1);
    EmbeddingMap *map = w.embeddingMap();
    // Every row of the model but <pad>, which never trains.
    QTRY_VERIFY_WITH_TIMEOUT(map->pointCount() == w.document()->modelVocab().size() - 1, 20000);
    const QString word = plainWordFrom(w.document()->modelVocab(), Vocabulary::SpecialCount);
    QVERIFY(!word.isEmpty());
    QLineEdit *query = neighboursWordBox(w);
    QVERIFY(query);
    query->setText(word);
    QTest::keyClick(query, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(map->selectedWord(), word, 20000);
    QCOMPARE(w.neighborsPanel()->currentWord(), word);

    // With the map drawing the 30 most frequent words, a rarer one is not among them.
    auto *limit = map->findChild<QSpinBox *>(QStringLiteral("mapLimit"));
    QVERIFY(limit);
    limit->setValue(30);
    QTRY_COMPARE_WITH_TIMEOUT(map->pointCount(), 30, 20000);
    const QString rare = plainWordFrom(w.document()->modelVocab(), 200);
    QVERIFY(!rare.isEmpty());
    query->setText(rare);
    QTest::keyClick(query, Qt::Key_Return);
    auto *info = map->findChild<QLabel *>(QStringLiteral("mapInfo"));
    QVERIFY(info);
    QTRY_VERIFY2_WITH_TIMEOUT(
        info->text().contains(QStringLiteral("“%1” is not among the 30 words drawn").arg(rare)),
        qPrintable(info->text()), 20000);
    QVERIFY(map->selectedWord().isEmpty());
    // A word of no table.
    query->setText(QStringLiteral("qzxv"));
    QTest::keyClick(query, Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(info->text() == QStringLiteral("“qzxv” is not on the map"),
        qPrintable(info->text()), 20000);
}

// The "Showing" box says what the map and the neighbours show, with the model's step; after
// imported vectors it says so, and choosing the model brings the model's words back to both.
void TestMainWindow::showingBoxSwitchesBetweenModelAndImported()
{
    MainWindow w;
    w.show();
    useSmallModel(w);
    openSample(w);
    trainSome(w, 1);
    QComboBox *box = w.sourceBox();
    QVERIFY(box);
    QVERIFY(w.document()->trainState());
    const qint64 step = w.document()->trainState()->step;
    QVERIFY(step > 0);
    const QString modelEntry = QStringLiteral("Model, step %1").arg(QLocale().toString(step));
    QTRY_COMPARE_WITH_TIMEOUT(box->currentText(), modelEntry, 20000);
    const int modelRows = w.document()->modelVocab().size() - 1; // all but <pad>
    QTRY_COMPARE_WITH_TIMEOUT(w.embeddingMap()->pointCount(), modelRows, 20000);

    DialogPilot pilot;
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"));
    QCOMPARE(box->currentText(), QStringLiteral("Imported: vectors.txt"));
    QCOMPARE(w.neighborsPanel()->tableSource(), QStringLiteral("vectors.txt"));
    QTRY_COMPARE_WITH_TIMEOUT(w.embeddingMap()->pointCount(), 1275, 20000);
    QVERIFY(box->findText(modelEntry) >= 0); // the model is still there to go back to

    // Back to the model, as the user picks it: the map and the neighbours show its rows.
    QSignalSpy results(w.neighborsPanel(), &NeighborsPanel::resultsChanged);
    box->setCurrentIndex(box->findText(modelEntry));
    QCOMPARE(box->currentText(), modelEntry);
    QVERIFY(w.neighborsPanel()->tableSource().startsWith(QLatin1String("model")));
    QCOMPARE(static_cast<int>(w.neighborsPanel()->table()->size()), modelRows);
    QTRY_COMPARE_WITH_TIMEOUT(w.embeddingMap()->pointCount(), modelRows, 20000);
    const QString word = plainWordFrom(w.document()->modelVocab(), Vocabulary::SpecialCount);
    w.neighborsPanel()->query(word);
    QTRY_VERIFY_WITH_TIMEOUT(!w.neighborsPanel()->results().isEmpty()
            && w.neighborsPanel()->statusText().contains(QLatin1String(" in model")),
        20000);
    for (const auto &r : w.neighborsPanel()->results())
        QVERIFY2(w.document()->modelVocab().find(r.first.toStdString()) >= 0, qPrintable(r.first));

    // And to the imported vectors again, from the same box.
    box->setCurrentIndex(box->findText(QStringLiteral("Imported: vectors.txt")));
    QCOMPARE(w.neighborsPanel()->tableSource(), QStringLiteral("vectors.txt"));
    QTRY_COMPARE_WITH_TIMEOUT(w.embeddingMap()->pointCount(), 1275, 20000);

    // The run's recorded step the timeline is at, named with its step.
    const qint64 recorded = w.timeline()->currentStep();
    QVERIFY(recorded > 0);
    const int runEntry = box->findText(QStringLiteral("Run "), Qt::MatchStartsWith);
    QVERIFY2(runEntry >= 0, qPrintable(box->itemText(box->count() - 1)));
    QVERIFY2(box->itemText(runEntry).endsWith(
                 QStringLiteral(", step %1").arg(QLocale().toString(recorded))),
        qPrintable(box->itemText(runEntry)));
    box->setCurrentIndex(runEntry);
    QCOMPARE(w.embeddingMap()->historyStep(), recorded);
    QVERIFY(box->currentText().startsWith(QLatin1String("Run ")));
    QTRY_VERIFY_WITH_TIMEOUT(w.neighborsPanel()->tableSource().endsWith(
                                 QStringLiteral(", step %1").arg(QLocale().toString(recorded))),
        20000);
    box->setCurrentIndex(box->findText(modelEntry));
    QCOMPARE(w.embeddingMap()->historyStep(), -1);
    QCOMPARE(box->currentText(), modelEntry);
}

namespace {

// A first launch: no window size or panel layout saved.
void forgetTheLayout()
{
    QSettings settings;
    settings.remove(QStringLiteral("window/geometry"));
    settings.remove(QStringLiteral("window/state"));
}

} // namespace

// The window shrinks to a 1024x700 screen, in English and with every panel in place.
void TestMainWindow::fitsA1024By700Screen()
{
    forgetTheLayout();
    MainWindow w;
    w.show();
    const QSize least = w.minimumSizeHint().expandedTo(w.minimumSize());
    QVERIFY2(least.width() <= 1024 && least.height() <= 700,
        qPrintable(QStringLiteral("%1x%2").arg(least.width()).arg(least.height())));
    w.resize(1024, 700);
    QTRY_COMPARE(w.size(), QSize(1024, 700));
    // The map keeps a usable size beside the panels.
    QVERIFY(w.embeddingMap()->plot()->width() >= 250);
    QVERIFY(w.embeddingMap()->plot()->height() >= 200);
}

// At 1280x800, as first opened, the Neighbours table shows ten answers whole.
void TestMainWindow::tenNeighboursShowAt1280By800()
{
    forgetTheLayout();
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    DialogPilot pilot;
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"));
    QSignalSpy results(w.neighborsPanel(), &NeighborsPanel::resultsChanged);
    w.neighborsPanel()->query(QStringLiteral("king"));
    QTRY_VERIFY_WITH_TIMEOUT(w.neighborsPanel()->results().size() >= 10, 20000);
    auto *table = w.neighborsPanel()->findChild<QTableWidget *>(QStringLiteral("results"));
    QVERIFY(table);
    QCoreApplication::processEvents();
    const QRect viewport = table->viewport()->rect();
    for (int row = 0; row < 10; ++row) {
        const QRect r = table->visualRect(table->model()->index(row, 0));
        QVERIFY2(viewport.contains(r),
            qPrintable(QStringLiteral("row %1 at %2, viewport %3 high")
                           .arg(row + 1)
                           .arg(r.bottom())
                           .arg(viewport.height())));
    }
    // Rows of a list's usual height, not the style's tall default.
    QVERIFY(table->verticalHeader()->defaultSectionSize() <= table->fontMetrics().height() + 8);
}

void TestMainWindow::chineseTextHasGlyphs()
{
    // The fonts of the vocabulary list, the map labels and the neighbours table draw Chinese,
    // not empty boxes (the set-up installs a CJK font; without one this fails).
    const QString sample = QStringLiteral("向量神经网络道天地");
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openCorpus(QStringLiteral(EMBEDLAB_TEST_DATA "/cjk/daodejing.txt"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    auto *vocab = w.corpusPanel()->findChild<QTableWidget *>();
    QVERIFY(vocab && vocab->rowCount() > 10);
    // The most frequent ideograph of the text (punctuation such as ， comes first).
    const QTableWidgetItem *word = nullptr;
    for (int r = Vocabulary::SpecialCount; r < vocab->rowCount() && !word; ++r)
        if (vocab->item(r, 1)->text().at(0).script() == QChar::Script_Han)
            word = vocab->item(r, 1);
    QVERIFY(word);
    const QString fromCorpus = word->text();
    QString missing = missingGlyphs(word->font(), fromCorpus + sample);
    QVERIFY2(missing.isEmpty(), qPrintable("vocabulary list: " + missing));

    DialogPilot pilot;
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/cjk/vectors.txt"));
    EmbeddingMap *map = w.embeddingMap();
    QTRY_COMPARE_WITH_TIMEOUT(map->pointCount(), 12, 20000);
    map->setLabelCount(12);
    map->plot()->replot(QCustomPlot::rpImmediateRefresh);
    int labels = 0;
    for (int i = 0; i < map->plot()->itemCount(); ++i) {
        auto *t = qobject_cast<QCPItemText *>(map->plot()->item(i));
        if (!t)
            continue;
        ++labels;
        missing = missingGlyphs(t->font(), t->text());
        QVERIFY2(missing.isEmpty(), qPrintable("map label: " + missing));
    }
    QVERIFY(labels > 0);
    // The neighbours panel starts on a Chinese word, as it does on an English one.
    QTRY_VERIFY_WITH_TIMEOUT(!w.neighborsPanel()->results().isEmpty(), 20000);
    QCOMPARE(w.neighborsPanel()->currentWord(), QStringLiteral("向量"));

    w.neighborsPanel()->query(QStringLiteral("向量"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.neighborsPanel()->results().isEmpty()
            && w.neighborsPanel()->currentWord() == QStringLiteral("向量"),
        20000);
    auto *results = w.neighborsPanel()->findChild<QTableWidget *>();
    QVERIFY(results && results->rowCount() > 0);
    for (int r = 0; r < results->rowCount(); ++r) {
        missing = missingGlyphs(results->item(r, 0)->font(), results->item(r, 0)->text());
        QVERIFY2(missing.isEmpty(), qPrintable("neighbours table: " + missing));
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
