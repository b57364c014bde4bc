// The text classification window: reading labelled corpora (CSV columns picked), training with
// the chart, confusion matrix and per-class figures, predictions typed in, the map's class
// colours, saving and reopening, unsaved work, bad input and a diverging run.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>

#include <qcustomplot.h>

#include <cmath>

#include "core/classifier.h"
#include "core/classifiercheckpoint.h"
#include "core/random.h"
#include "tests/dialogpilot.h"
#include "ui/classifierwindow.h"
#include "ui/embeddingmap.h"

using namespace embedlab;

namespace {

constexpr int Timeout = 60000;

// The label is whether "bad" occurs; the other words are noise.
QByteArray toyCorpus()
{
    QByteArray text;
    Rng rng(5);
    const char *noise[] = { "the", "a", "cat", "dog", "sat", "ran", "on", "mat" };
    for (int i = 0; i < 300; ++i) {
        const bool bad = rng.next() % 2;
        QByteArray line = bad ? "neg\t" : "pos\t";
        const int n = 2 + static_cast<int>(rng.next() % 6);
        const int at = static_cast<int>(rng.next() % static_cast<std::uint64_t>(n));
        for (int k = 0; k < n; ++k)
            line += QByteArray(k == at && bad ? "bad" : noise[rng.next() % 8]) + " ";
        text += line + "\n";
    }
    return text;
}

template <typename T> T *child(QWidget *w, const char *name)
{
    T *c = w->findChild<T *>(QLatin1String(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

QString writeToy(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("toy.tsv"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(toyCorpus());
    return path;
}

// Small and quick settings for the toy task.
void smallModel(ClassifierWindow &w, int epochs)
{
    child<QSpinBox>(&w, "embeddingDim")->setValue(8);
    child<QSpinBox>(&w, "hidden")->setValue(8);
    child<QSpinBox>(&w, "epochs")->setValue(epochs);
    child<QSpinBox>(&w, "batch")->setValue(16);
    child<QDoubleSpinBox>(&w, "lr")->setValue(0.02);
    child<QComboBox>(&w, "pooling")->setCurrentIndex(2); // max: quick to learn a keyword
}

} // namespace

class TestClassifierWindow : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void figuresFromConfusion();
    void csvColumnsArePicked();
    void badCorpusKeepsState();
    void trainsAndShowsResults();
    void savesAndReopens();
    void asksBeforeDiscarding();
    void divergingRunStops();
    void startsFromFrozenVectors();
};

void TestClassifierWindow::init()
{
    QSettings().clear();
}

void TestClassifierWindow::figuresFromConfusion()
{
    // rows true, columns predicted; class 2 is never predicted, so its precision is 0.
    const std::vector<std::vector<std::int64_t>> confusion
        = { { 5, 1, 0 }, { 2, 3, 0 }, { 1, 1, 0 } };
    const auto f = classFigures(confusion);
    QCOMPARE(f.size(), std::size_t(3));
    QCOMPARE(f[0].precision, 5.0 / 8);
    QCOMPARE(f[0].recall, 5.0 / 6);
    QVERIFY(std::abs(f[0].f1 - 2 * (5.0 / 8) * (5.0 / 6) / (5.0 / 8 + 5.0 / 6)) < 1e-12);
    QCOMPARE(f[1].precision, 3.0 / 5);
    QCOMPARE(f[1].recall, 3.0 / 5);
    QCOMPARE(f[2].precision, 0.0);
    QCOMPARE(f[2].recall, 0.0);
    QCOMPARE(f[2].f1, 0.0);
    QCOMPARE(f[2].support, std::int64_t(2));
}

void TestClassifierWindow::csvColumnsArePicked()
{
    ClassifierWindow w;
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    w.openCorpus(QFINDTESTDATA("data/labelled/topics.csv"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    auto *label = child<QComboBox>(&w, "labelColumn");
    auto *text = child<QComboBox>(&w, "textColumn");
    QCOMPARE(child<QComboBox>(&w, "format")->currentData().toString(), QStringLiteral("csv"));
    QCOMPARE(label->count(), 3);
    QCOMPARE(label->currentText(), QStringLiteral("category"));
    QCOMPARE(text->currentText(), QStringLiteral("body"));
    QVERIFY(label->isEnabled());
    QCOMPARE(w.corpus()->labels, (std::vector<std::string> { "sport", "weather" }));
    QCOMPARE(w.corpus()->train.size() + w.corpus()->valid.size(), std::size_t(6));
    // A quoted field with a comma is one text: "the match ended, two goals to one".
    QVERIFY(w.corpus()->vocab.find("goals") > 0);

    // Picking the id column as the text reads the corpus again with it.
    text->setCurrentIndex(0);
    emit text->activated(0);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, Timeout);
    QVERIFY(w.corpus()->vocab.find("goals") < 0);
    QVERIFY(w.corpus()->vocab.find("3") > 0);
}

void TestClassifierWindow::badCorpusKeepsState()
{
    QTemporaryDir dir;
    ClassifierWindow w;
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    QSignalSpy failed(&w, &ClassifierWindow::corpusFailed);
    w.openCorpus(writeToy(dir));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    const LabelledCorpus *before = w.corpus();
    w.openCorpus(QFINDTESTDATA("data/labelled/missing-label.tsv"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, Timeout);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("missing-label.tsv")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("line 3")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("this line has no tab")), qPrintable(message));
    QCOMPARE(w.corpus(), before); // the corpus shown stays
    QVERIFY(child<QLabel>(&w, "corpusName")->text().contains(QLatin1String("toy.tsv")));
}

void TestClassifierWindow::trainsAndShowsResults()
{
    QTemporaryDir dir;
    ClassifierWindow w;
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    w.openCorpus(writeToy(dir));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    smallModel(w, 4);
    QSignalSpy finished(&w, &ClassifierWindow::trainingFinished);
    QSignalSpy coloured(&w, &ClassifierWindow::mapColoured);
    w.startTraining();
    QVERIFY(w.controller()->isRunning());
    QVERIFY(!child<QComboBox>(&w, "cell")->isEnabled()); // the model's now
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QVERIFY(w.isModelDirty());

    // The chart: one point per epoch for each figure, and the batches between.
    QCustomPlot *chart = w.chart();
    QCOMPARE(chart->graph(1)->dataCount(), 4); // training loss
    QCOMPARE(chart->graph(2)->dataCount(), 4); // validation loss
    QCOMPARE(chart->graph(4)->dataCount(), 4); // validation accuracy
    QVERIFY(chart->graph(0)->dataCount() >= 4 * 17); // 270 examples in batches of 16

    // The confusion matrix is the model's on the validation examples.
    const auto model = w.shownModel();
    QVERIFY(model);
    PadOptions pad;
    pad.maxLength = 60;
    const ClassifierEvaluation e = evaluateClassifier(*model, w.corpus()->valid, pad);
    QTableWidget *m = w.confusionTable();
    QCOMPARE(m->rowCount(), 2);
    std::int64_t total = 0;
    for (int t = 0; t < 2; ++t)
        for (int p = 0; p < 2; ++p) {
            QCOMPARE(m->item(t, p)->text().toLongLong(), static_cast<qlonglong>(e.confusion[t][p]));
            total += e.confusion[t][p];
        }
    QCOMPARE(total, static_cast<std::int64_t>(w.corpus()->valid.size()));
    QVERIFY2(e.accuracy >= 0.9, qPrintable(QString::number(e.accuracy)));
    const auto figures = classFigures(e.confusion);
    QTableWidget *f = w.figuresTable();
    QCOMPARE(f->rowCount(), 4); // two classes, the macro average and the accuracy
    for (int c = 0; c < 2; ++c) {
        QCOMPARE(f->item(c, 0)->text(), QString::number(figures[c].precision, 'f', 3));
        QCOMPARE(f->item(c, 1)->text(), QString::number(figures[c].recall, 'f', 3));
        QCOMPARE(f->item(c, 2)->text(), QString::number(figures[c].f1, 'f', 3));
    }
    QCOMPARE(f->item(3, 2)->text(), QString::number(e.accuracy, 'f', 3));

    // A typed text: the probabilities are the model's, the label the likelier, an unknown
    // word named.
    QSignalSpy predicted(&w, &ClassifierWindow::predictionUpdated);
    w.predictBox()->setPlainText(QStringLiteral("the bad zebra"));
    QTRY_VERIFY_WITH_TIMEOUT(predicted.count() >= 1, Timeout);
    const auto &labels = w.labels();
    const int neg
        = static_cast<int>(std::find(labels.begin(), labels.end(), "neg") - labels.begin());
    const auto &vocab = w.corpus()->vocab;
    const Eigen::MatrixXf probs = classifyExamples(
        *model, { { vocab.find("the"), vocab.find("bad"), Vocabulary::Unk } }, pad);
    const auto shown = w.predictedProbabilities();
    QCOMPARE(shown.size(), std::size_t(2));
    QVERIFY(std::abs(shown[0] + shown[1] - 1) < 1e-6);
    for (int c = 0; c < 2; ++c)
        QVERIFY(std::abs(shown[static_cast<std::size_t>(c)] - probs(c, 0)) < 1e-6);
    QVERIFY(shown[static_cast<std::size_t>(neg)] > 0.5);
    QVERIFY2(w.predictedLabel()->text().contains(QLatin1String("neg")),
        qPrintable(w.predictedLabel()->text()));
    QVERIFY(child<QLabel>(&w, "unknownWords")->text().contains(QLatin1String("zebra")));
    QCOMPARE(w.predictionTable()->rowCount(), 2);
    QCOMPARE(w.predictionTable()->item(0, 0)->text(), QStringLiteral("neg"));

    // The map colours "bad" by the class it pulls towards.
    QTRY_VERIFY_WITH_TIMEOUT(coloured.count() >= 1 && w.wordPullShown().cls.size() > 0, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(w.embeddingMap()->pointCount() > 0, Timeout);
    QCOMPARE(w.embeddingMap()->wordClassNames(), (QStringList { "neg", "pos" }));
    QTRY_COMPARE_WITH_TIMEOUT(w.embeddingMap()->wordClass(QStringLiteral("bad")), neg, Timeout);
    const WordPull pull = wordPull(*w.shownModel());
    QCOMPARE(pull.cls, w.wordPullShown().cls);
}

void TestClassifierWindow::savesAndReopens()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("toy.safetensors"));
    std::vector<double> before;
    {
        ClassifierWindow w;
        QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
        w.openCorpus(writeToy(dir));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
        smallModel(w, 2);
        child<QComboBox>(&w, "cell")->setCurrentIndex(1); // GRU
        QSignalSpy finished(&w, &ClassifierWindow::trainingFinished);
        w.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
        QVERIFY(w.saveModel(path));
        QVERIFY(!w.isModelDirty());
        w.predictBox()->setPlainText(QStringLiteral("a bad cat"));
        QTRY_COMPARE_WITH_TIMEOUT(w.predictedProbabilities().size(), std::size_t(2), Timeout);
        before = w.predictedProbabilities();
    }
    const LoadedClassifier<float> c = loadClassifierCheckpoint<float>(path.toStdString());
    QCOMPARE(c.model->config().cell, CellKind::Gru);
    QCOMPARE(c.pad.maxLength, 60);
    QCOMPARE(c.labels, (std::vector<std::string> { "neg", "pos" }));
    QVERIFY(c.tokenizer.lowercase);

    ClassifierWindow w;
    QSignalSpy opened(&w, &ClassifierWindow::modelLoaded);
    w.openModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, Timeout);
    QCOMPARE(child<QComboBox>(&w, "cell")->currentData().toString(), QStringLiteral("gru"));
    QVERIFY(!child<QComboBox>(&w, "cell")->isEnabled());
    QVERIFY(!w.isModelDirty());
    w.predictBox()->setPlainText(QStringLiteral("a bad cat"));
    QTRY_COMPARE_WITH_TIMEOUT(w.predictedProbabilities().size(), std::size_t(2), Timeout);
    const auto after = w.predictedProbabilities();
    for (int k = 0; k < 2; ++k)
        QVERIFY(std::abs(after[k] - before[k]) < 1e-6);

    // A corpus opened now is read with the model's vocabulary, and the model measured on it.
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    w.openCorpus(dir.filePath(QStringLiteral("toy.tsv")));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    QCOMPARE(w.corpus()->vocab.words(), c.vocab.words());
    QTRY_COMPARE_WITH_TIMEOUT(w.confusionTable()->rowCount(), 2, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(w.confusionTable()->item(0, 0) != nullptr, Timeout);
}

void TestClassifierWindow::asksBeforeDiscarding()
{
    QTemporaryDir dir;
    ClassifierWindow w;
    w.show();
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    w.openCorpus(writeToy(dir));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    smallModel(w, 1);
    QSignalSpy finished(&w, &ClassifierWindow::trainingFinished);
    w.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);

    DialogPilot pilot;
    pilot.discardAnswer = QMessageBox::Cancel;
    QVERIFY(!w.close());
    QCOMPARE(pilot.prompts.size(), 1);
    QVERIFY(w.isVisible());
    QVERIFY(!w.newModel()); // cancelled too
    QVERIFY(w.shownModel() != nullptr);
    pilot.discardAnswer = QMessageBox::Discard;
    QVERIFY(w.newModel());
    QVERIFY(w.shownModel() == nullptr);
    QVERIFY(child<QComboBox>(&w, "cell")->isEnabled());
    QVERIFY(w.close()); // nothing left to lose: no prompt
    QCOMPARE(pilot.prompts.size(), 3);
}

void TestClassifierWindow::divergingRunStops()
{
    QTemporaryDir dir;
    ClassifierWindow w;
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    w.openCorpus(writeToy(dir));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    smallModel(w, 3);
    child<QComboBox>(&w, "cell")->setCurrentIndex(3); // RNN (ReLU): unbounded
    child<QComboBox>(&w, "optimizer")->setCurrentIndex(1); // SGD
    child<QDoubleSpinBox>(&w, "lr")->setValue(1e6);
    QSignalSpy finished(&w, &ClassifierWindow::trainingFinished);
    w.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    const QString status = child<QLabel>(&w, "statusMessage")->text();
    QVERIFY2(status.contains(QLatin1String("diverged")), qPrintable(status));
    // The weights it was put back to are finite, and predictions still work.
    QVERIFY(w.shownModel()->encoder().allFinite());
    QVERIFY(w.shownModel()->weight().allFinite());
}

// Pre-trained vectors through the import dialog: the model adopts their width, the row says what
// they cover, and a frozen run leaves the covered rows as the file has them while the head learns;
// Random goes back to a random embedding for the next model.
void TestClassifierWindow::startsFromFrozenVectors()
{
    QTemporaryDir dir;
    const QString vectorsPath = dir.filePath(QStringLiteral("toy.vec.txt"));
    QFile f(vectorsPath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("bad 1 0 0.5 0\ncat -1 0.25 0 2\nzebra 3 3 3 3\n");
    f.close();
    ClassifierWindow w;
    QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
    w.openCorpus(writeToy(dir));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Timeout);
    smallModel(w, 2);
    QLabel *label = child<QLabel>(&w, "vectorsLabel");
    QCOMPARE(label->text(), QStringLiteral("random"));
    QVERIFY(!child<QPushButton>(&w, "clearVectorsButton")->isEnabled());
    {
        DialogPilot pilot;
        w.chooseVectors(vectorsPath);
        QVERIFY2(pilot.messages.isEmpty(), qPrintable(pilot.messages.join('\n')));
    }
    QCOMPARE(child<QSpinBox>(&w, "embeddingDim")->value(), 4);
    QVERIFY2(label->text().startsWith(QLatin1String("toy.vec.txt (3 words, 4 dimensions) covers "
                                                    "22.2% of the vocabulary")),
        qPrintable(label->text())); // "bad" and "cat" of the nine words
    QVERIFY(child<QPushButton>(&w, "clearVectorsButton")->isEnabled());
    child<QCheckBox>(&w, "freezeEmbedding")->setChecked(true);

    QSignalSpy finished(&w, &ClassifierWindow::trainingFinished);
    w.startTraining();
    QVERIFY(!child<QPushButton>(&w, "vectorsButton")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    const auto model = w.shownModel();
    const Vocabulary &vocab = w.corpus()->vocab;
    QVERIFY(model->encoder().col(vocab.find("bad")) == Eigen::Vector4f(1, 0, 0.5f, 0));
    QVERIFY(model->encoder().col(vocab.find("cat")) == Eigen::Vector4f(-1, 0.25f, 0, 2));
    QVERIFY(!model->encoder().col(vocab.find("dog")).isZero(0)); // random, normal(0, 1)
    QVERIFY(model->weight().norm() > 0);

    {
        DialogPilot pilot;
        QVERIFY(w.newModel());
    }
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, Timeout);
    QVERIFY(label->text().startsWith(QLatin1String("toy.vec.txt"))); // kept for the next model
    child<QPushButton>(&w, "clearVectorsButton")->click();
    QCOMPARE(label->text(), QStringLiteral("random"));
    QVERIFY(!child<QCheckBox>(&w, "freezeEmbedding")->isChecked());
}

QTEST_MAIN(TestClassifierWindow)
#include "tst_classifierwindow.moc"
