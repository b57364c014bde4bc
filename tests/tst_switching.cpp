// Switching what the window shows: after opening a model, initialising from vectors or opening
// another text, nothing of the model before stays (the status bar's run position, the chart's
// axes, the map and the neighbours, the map's search and the generated text), a model that was
// never trained starts rather than continues, and the map of a model looks the same after its
// file is saved and opened again.
#include <QtTest>

#include <QLabel>
#include <QLineEdit>
#include <QStatusBar>

#include <qcustomplot.h>

#include "ui/embeddingmap.h"
#include "ui/generatepanel.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/neighborspanel.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "dialogpilot.h"
#include "testworkspace.h"

using namespace embedlab;

namespace {

const QString VectorsFile = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");
const QString OtherText = QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt");

void openSample(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus(QStringLiteral("en"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    ModelConfig c;
    c.embeddingDim = 50; // the dimension of VectorsFile
    c.hiddenSize = 50;
    c.layers = 1;
    w.trainingPanel()->setModelConfig(c);
}

void train(MainWindow &w, int points)
{
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    const int before = w.lossChart()->pointCount();
    w.trainingPanel()->startButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() >= before + points, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
}

QString label(MainWindow &w, const char *name)
{
    auto *l = w.statusBar()->findChild<QLabel *>(QLatin1String(name));
    return l ? l->text() : QStringLiteral("(no label %1)").arg(QLatin1String(name));
}

void generate(MainWindow &w)
{
    QSignalSpy generated(w.generatePanel(), &GeneratePanel::generated);
    w.generatePanel()->generate();
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 20000);
    QVERIFY(!w.generatePanel()->text().isEmpty());
}

} // namespace

class TestSwitching : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { useTemporaryWorkspace(); }
    void nothingOfTheModelBeforeStays();
    void anEmptiedChartForgetsItsAxes();
    void mapLooksTheSameAfterSaveAndOpen();
};

void TestSwitching::nothingOfTheModelBeforeStays()
{
    QTemporaryDir dir;
    DialogPilot pilot;
    pilot.initialiseEmbedding = true;
    MainWindow w;
    w.show();
    openSample(w);
    train(w, 12);
    const qint64 trainedSteps = w.lossChart()->points().last().step;
    QVERIFY(!label(w, "speedLabel").isEmpty());
    QVERIFY(!label(w, "epochLabel").isEmpty());
    QCOMPARE(
        label(w, "stepLabel"), QStringLiteral("Step %1").arg(QLocale().toString(trainedSteps)));
    // An untrained model (initialised from vectors) saved aside, then the trained one.
    const QString trainedFile = dir.filePath(QStringLiteral("trained.safetensors"));
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    w.saveModel(trainedFile);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);

    // Opening a model: the status bar tells the opened model's step, nothing of the run before;
    // the search and the generated text of the model before go.
    train(w, 3);
    const QString typed = QStringLiteral("Elizabeth");
    w.embeddingMap()->findChild<QLineEdit *>(QStringLiteral("mapSearch"))->setText(typed);
    generate(w);
    pilot.prompts.clear();
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    w.openModel(trainedFile);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QCOMPARE(pilot.prompts.size(), 1); // the three steps since the save were not saved
    QCOMPARE(label(w, "speedLabel"), QString());
    QCOMPARE(label(w, "epochLabel"), QString());
    QCOMPARE(label(w, "etaLabel"), QString());
    QCOMPARE(
        label(w, "stepLabel"), QStringLiteral("Step %1").arg(QLocale().toString(trainedSteps)));
    QCOMPARE(w.embeddingMap()->searchText(), QString());
    QCOMPARE(w.generatePanel()->text(), QString());

    // Initialising from vectors: a new model, so no step in the status bar and an empty chart
    // whose axes are not those of the curve before.
    QSignalSpy imported(&w, &MainWindow::vectorsImported);
    w.importVectors(VectorsFile);
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, 20000);
    QVERIFY(w.model());
    QCOMPARE(w.lossChart()->pointCount(), 0);
    QCOMPARE(label(w, "stepLabel"), QString());
    QVERIFY2(w.lossChart()->findChild<QCustomPlot *>()->xAxis->range().upper < trainedSteps,
        qPrintable(
            QString::number(w.lossChart()->findChild<QCustomPlot *>()->xAxis->range().upper)));
    // It was never trained: Start starts it.
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.trainingPanel()->startButton()->click();
    QVERIFY(w.controller()->isRunning());
    QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("Training..."));
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() >= 2, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    // Start again continues it.
    w.trainingPanel()->startButton()->click();
    QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("Continuing training..."));
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() >= 4, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(w.embeddingMap()->pointCount() > 0, 20000);
    w.embeddingMap()->findChild<QLineEdit *>(QStringLiteral("mapSearch"))->setText(typed);
    generate(w);

    // Another text: the model of the sample (whose words are not the excerpt's) goes, asked
    // about first, and so do the views that showed it.
    pilot.prompts.clear();
    QSignalSpy corpus(&w, &MainWindow::corpusLoaded);
    w.openCorpus(OtherText);
    QTRY_COMPARE_WITH_TIMEOUT(corpus.count(), 1, 30000);
    QCOMPARE(pilot.prompts.size(), 1);
    QVERIFY(w.windowTitle().contains(QStringLiteral("pride_excerpt.txt")));
    QVERIFY(!w.model());
    QCOMPARE(w.embeddingMap()->pointCount(), 0);
    QVERIFY(w.neighborsPanel()->table() == nullptr);
    QCOMPARE(w.lossChart()->pointCount(), 0);
    QCOMPARE(label(w, "stepLabel"), QString());
    QCOMPARE(label(w, "speedLabel"), QString());
    QCOMPARE(w.embeddingMap()->searchText(), QString());
    QCOMPARE(w.generatePanel()->text(), QString());

    // The same text again keeps a model trained on it, and asks nothing.
    train(w, 3);
    const LanguageModel<float> *model = w.model();
    QVERIFY(model);
    pilot.prompts.clear();
    w.openCorpus(OtherText);
    QTRY_COMPARE_WITH_TIMEOUT(corpus.count(), 2, 30000);
    QCOMPARE(pilot.prompts.size(), 0);
    QCOMPARE(w.model(), model);
    QVERIFY(w.embeddingMap()->pointCount() > 0 || w.embeddingMap()->isProjecting());
}

void TestSwitching::anEmptiedChartForgetsItsAxes()
{
    LossChart chart;
    chart.resize(600, 400);
    chart.show();
    QVector<LossPoint> points;
    for (int s = 1; s <= 492; ++s)
        points.push_back({ s, 700.0 * s, 0.1 * s, 7.0 - s / 100.0, 20, 1, 1 });
    chart.addPoints(points);
    QTRY_VERIFY_WITH_TIMEOUT(chart.findChild<QCustomPlot *>()->xAxis->range().upper >= 492, 5000);
    chart.clear();
    QTest::qWait(50);
    QVERIFY2(chart.findChild<QCustomPlot *>()->xAxis->range().upper < 492,
        qPrintable(QString::number(chart.findChild<QCustomPlot *>()->xAxis->range().upper)));
    QVERIFY(chart.findChild<QCustomPlot *>()->yAxis->range().lower < 2);
}

void TestSwitching::mapLooksTheSameAfterSaveAndOpen()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("m.safetensors"));
    QStringList words;
    QVector<QPointF> before;
    {
        MainWindow w;
        w.show();
        openSample(w);
        // Enough frames that the live ones, each aligned to the one before, have turned.
        train(w, 40);
        QTRY_VERIFY_WITH_TIMEOUT(
            !w.embeddingMap()->isProjecting() && w.embeddingMap()->pointCount() > 0, 20000);
        for (int id = 3; id < 40; ++id)
            words << QString::fromStdString(w.corpus()->vocab.word(id));
        for (const QString &word : words)
            before << w.embeddingMap()->position(word);
        QSignalSpy saved(&w, &MainWindow::modelSaved);
        w.saveModel(file);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    }
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QSignalSpy projected(w.embeddingMap(), &EmbeddingMap::projectionUpdated);
    w.openModel(file);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(projected.count() >= 1 && !w.embeddingMap()->isProjecting(), 20000);
    double scale = 0;
    for (const QPointF &p : before)
        scale = std::max({ scale, std::abs(p.x()), std::abs(p.y()) });
    QVERIFY(scale > 0);
    for (int i = 0; i < words.size(); ++i) {
        const QPointF p = w.embeddingMap()->position(words[i]);
        QVERIFY2(std::abs(p.x() - before[i].x()) < 1e-4 * scale
                && std::abs(p.y() - before[i].y()) < 1e-4 * scale,
            qPrintable(QStringLiteral("%1: (%2, %3) before, (%4, %5) after")
                           .arg(words[i])
                           .arg(before[i].x())
                           .arg(before[i].y())
                           .arg(p.x())
                           .arg(p.y())));
    }
}

QTEST_MAIN(TestSwitching)
#include "tst_switching.moc"
