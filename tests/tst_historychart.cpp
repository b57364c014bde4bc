// The history chart (ui/historychart) and the window's History tab: one point per snapshot for
// the neighbourhood overlap and the analogy accuracy, following the selected run and a live one.
#include "core/analogy.h"
#include "core/fileio.h"
#include "core/runhistory.h"
#include "core/runlog.h"
#include "ui/historychart.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "testworkspace.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace embedlab;

namespace {

constexpr int Words = 60;

Vocabulary smallVocab()
{
    std::vector<std::string> words = { "<pad>", "<unk>", "<eos>" };
    std::vector<std::uint64_t> counts = { 0, 0, 0 };
    for (int i = 0; i < Words; ++i) {
        char w[8];
        std::snprintf(w, sizeof w, "w%02d", i);
        words.push_back(w);
        counts.push_back(static_cast<std::uint64_t>(1000 - i));
    }
    return Vocabulary::fromWords(words, counts);
}

// A run folder with `snapshots` snapshots (steps 0, 10, 20, ...) of a table taking random steps.
void recordRun(const std::string &dir, int snapshots)
{
    RunSettings s;
    s.model.vocabSize = Words + Vocabulary::SpecialCount;
    s.model.embeddingDim = 8;
    s.model.hiddenSize = 4;
    s.model.layers = 1;
    s.corpus.name = "random walk";
    s.snapshotEvery = 10;
    LanguageModel<float> model(s.model);
    model.initRandom(7);
    std::mt19937 rng(11);
    std::normal_distribution<float> step(0.0f, 0.3f);
    RunRecorder rec(dir, s, smallVocab());
    for (int i = 0; i < snapshots; ++i) {
        if (i > 0)
            for (Eigen::Index j = 0; j < model.encoder().size(); ++j)
                model.encoder().data()[j] += step(rng);
        TrainEvent e;
        e.step = 10 * i;
        e.epoch = 1;
        rec.recordSnapshot(e, model);
    }
    rec.finish("finished", 10 * (snapshots - 1));
}

void writeQuestions(const std::string &path)
{
    std::string q = ": section\n";
    for (int i = 0; i + 3 < 30; ++i) {
        char line[64];
        std::snprintf(line, sizeof line, "w%02d w%02d w%02d w%02d\n", i, i + 1, i + 2, i + 3);
        q += line;
    }
    writeFileAtomically(path, q);
}

bool showsEmptyState(const HistoryChart &chart)
{
    const auto *stack = chart.findChild<QStackedWidget *>();
    const auto *empty = chart.findChild<QLabel *>(QStringLiteral("historyEmpty"));
    return stack && empty && stack->currentWidget() == empty;
}

} // namespace

class TestHistoryChart : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void onePointPerSnapshot();
    void windowFollowsTheSelectedRun();
    void liveRunGrowsTheChart();
};

void TestHistoryChart::initTestCase()
{
    useTemporaryWorkspace();
}

void TestHistoryChart::onePointPerSnapshot()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordRun(dir, 4);
    const std::string questions = tmp.filePath("questions.txt").toStdString();
    writeQuestions(questions);
    HistoryChart chart;
    chart.resize(640, 400);
    chart.show();
    QVERIFY(showsEmptyState(chart));
    const auto *empty = chart.findChild<QLabel *>(QStringLiteral("historyEmpty"));
    QVERIFY(empty->text().contains("neighbours"));
    QVERIFY(empty->text().contains("Evaluate Analogies over Training"));

    HistoryOptions options;
    const RunHistory plain = evaluateRunHistory(readRun(dir), options);
    chart.setHistory(QStringLiteral("walk"), plain);
    QVERIFY(!showsEmptyState(chart));
    QCOMPARE(chart.overlapPointCount(), 3); // none for the first snapshot
    QCOMPARE(chart.accuracyPointCount(), 0);

    options.analogies = questions;
    const RunHistory withAnalogies = evaluateRunHistory(readRun(dir), options);
    chart.setHistory(QStringLiteral("walk"), withAnalogies);
    QCOMPARE(chart.overlapPointCount(), 3);
    QCOMPARE(chart.accuracyPointCount(), 4);
    chart.clear();
    QVERIFY(showsEmptyState(chart));
    QCOMPARE(chart.overlapPointCount(), 0);
}

// A run opened in the window: the History tab shows its points, with the analogy file the user
// chose (remembered for the next window), from the run folder's cache the next time.
void TestHistoryChart::windowFollowsTheSelectedRun()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("run-a");
    const QString other = tmp.filePath("run-b");
    recordRun(dir.toStdString(), 5);
    recordRun(other.toStdString(), 3);
    const QString questions = tmp.filePath("questions.txt");
    writeQuestions(questions.toStdString());

    MainWindow w;
    w.setHistoryAnalogies(QString());
    w.show();
    QVERIFY(w.centralTabs());
    QCOMPARE(w.centralTabs()->indexOf(w.lossChart()), 0);
    QCOMPARE(w.centralTabs()->tabText(1), QStringLiteral("History"));
    w.centralTabs()->setCurrentWidget(w.historyChart());
    QSignalSpy shown(&w, &MainWindow::historyShown);
    w.openRunFolder(dir);
    QTRY_COMPARE_WITH_TIMEOUT(w.selectedRun(), dir, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(w.historyChart()->overlapPointCount(), 4, 20000);
    QCOMPARE(w.historyChart()->accuracyPointCount(), 0);
    QVERIFY(QFile::exists(dir + "/history.jsonl"));

    w.setHistoryAnalogies(questions);
    QTRY_COMPARE_WITH_TIMEOUT(w.historyChart()->accuracyPointCount(), 5, 20000);
    QCOMPARE(w.historyChart()->overlapPointCount(), 4);
    const RunData run = readRun(dir.toStdString());
    const RunHistory &h = w.historyChart()->history();
    QCOMPARE(h.points.size(), std::size_t(5));
    for (const HistoryPoint &p : h.points) {
        const WordVectors table = readRunSnapshot(run, p.step);
        const NeighborIndex index(table);
        const AnalogyEvaluation ev = evaluateAnalogies(index, questions.toStdString());
        QCOMPARE(p.analogyCorrect, ev.total.correct);
        QCOMPARE(p.analogyTotal, ev.total.total);
        QCOMPARE(p.analogyTotal, 27);
    }
    QCOMPARE(readRunHistory(dir.toStdString()).analogies, questions.toStdString());
    // The legend says what the accuracy is of: 27 questions with every word known.
    QVERIFY2(w.historyChart()->accuracyName().contains(QStringLiteral("in the vocabulary: 27)")),
        qPrintable(w.historyChart()->accuracyName()));

    // Another run: its own points.
    w.openRunFolder(other);
    QTRY_COMPARE_WITH_TIMEOUT(w.selectedRun(), other, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(w.historyChart()->accuracyPointCount(), 3, 20000);
    QCOMPARE(w.historyChart()->overlapPointCount(), 2);

    // Asked for while the Loss tab shows: computed when the History tab is shown.
    w.centralTabs()->setCurrentWidget(w.lossChart());
    w.selectRun(dir);
    QTest::qWait(50);
    QCOMPARE(w.historyChart()->accuracyPointCount(), 3); // still the other run's
    w.centralTabs()->setCurrentWidget(w.historyChart());
    QTRY_COMPARE_WITH_TIMEOUT(w.historyChart()->accuracyPointCount(), 5, 20000);

    // The file is remembered.
    MainWindow next;
    QCOMPARE(next.historyAnalogies(), QFileInfo(questions).absoluteFilePath());
    w.setHistoryAnalogies(QString());
    QTRY_COMPARE_WITH_TIMEOUT(w.historyChart()->accuracyPointCount(), 0, 20000);
    QCOMPARE(w.historyChart()->overlapPointCount(), 4);
}

// Training in the window: the chart gains the live run's snapshots as they are recorded, and
// ends with one point per snapshot.
void TestHistoryChart::liveRunGrowsTheChart()
{
    MainWindow w;
    w.setHistoryAnalogies(QString());
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    ModelConfig small;
    small.embeddingDim = 16;
    small.hiddenSize = 16;
    small.layers = 1;
    w.trainingPanel()->setModelConfig(small);
    w.centralTabs()->setCurrentWidget(w.historyChart());
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QVERIFY(w.controller()->isRunning());
    // Snapshots at 0, 100 and 200 (or, on a slow machine, the last one when training ended).
    QTRY_VERIFY_WITH_TIMEOUT(w.historyChart()->overlapPointCount() >= 2, 120000);
    const QString dir = w.document()->currentRunDir();
    QCOMPARE(w.selectedRun(), dir);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    // The last snapshot, recorded when it stopped, reaches the chart only through
    // TrainingController::snapshotRecorded: the selection did not change.
    const RunData run = readRun(dir.toStdString());
    QTRY_COMPARE_WITH_TIMEOUT(
        w.historyChart()->history().points.size(), run.snapshots.size(), 20000);
    QCOMPARE(w.historyChart()->overlapPointCount(), static_cast<int>(run.snapshots.size()) - 1);
    QCOMPARE(w.historyChart()->history().points.back().step, run.snapshots.back().step);
}

QTEST_MAIN(TestHistoryChart)
#include "tst_historychart.moc"
