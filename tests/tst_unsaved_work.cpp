// Nothing is lost: every action that would replace a trained, unsaved model asks first with one
// prompt (Save / Discard / Cancel), and Generate never shares the live model with training.
#include <QtTest>

#include <QAction>
#include <QDropEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <qcustomplot.h>

#include "core/checkpoint.h"
#include "ui/embeddingmap.h"
#include "ui/generatepanel.h"
#include "ui/importvectorsdialog.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/neighborspanel.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "dialogpilot.h"
#include "testworkspace.h"

using namespace embedlab;

namespace {

const QString ModelFile = QStringLiteral(EMBEDLAB_TEST_DATA "/bad/ckpt_base.safetensors");
const QString VectorsFile = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");

void smallModel(MainWindow &w, int dim = 50)
{
    ModelConfig c;
    c.embeddingDim = dim; // the dimension of VectorsFile
    c.hiddenSize = dim;
    c.layers = 1;
    w.trainingPanel()->setModelConfig(c);
}

// Opens the sample corpus and trains a few windows: a trained model that has not been saved.
void trainSome(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    smallModel(w);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.trainingPanel()->startButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() >= 3, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
}

QAction *actionNamed(QWidget &w, const QString &text)
{
    for (QAction *a : w.findChildren<QAction *>())
        if (a->text() == text)
            return a;
    return nullptr;
}

bool sameWeights(const LanguageModel<float> &a, const LanguageModel<float> &b)
{
    auto &ma = const_cast<LanguageModel<float> &>(a);
    auto &mb = const_cast<LanguageModel<float> &>(b);
    auto pa = ma.parameters(), pb = mb.parameters();
    if (pa.size() != pb.size())
        return false;
    for (std::size_t k = 0; k < pa.size(); ++k)
        if (*pa[k].value != *pb[k].value)
            return false;
    return true;
}

} // namespace

class TestUnsavedWork : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyReplacingActionAsks_data();
    void everyReplacingActionAsks();
    void savedModelIsNotAskedAbout();
    void generateSamplesFromItsOwnCopy();
    void generateDuringAPause();
};

void TestUnsavedWork::initTestCase()
{
    useTemporaryWorkspace();
}

void TestUnsavedWork::everyReplacingActionAsks_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("answer");
    for (const char *action : { "Open Model", "Open Recent", "drop a model", "Open Corpus",
             "Import Vectors", "Reset Model", "Start with other settings", "Quit" })
        for (auto answer : { QMessageBox::Cancel, QMessageBox::Discard, QMessageBox::Save })
            QTest::addRow("%s, %s", action,
                answer == QMessageBox::Cancel        ? "Cancel"
                    : answer == QMessageBox::Discard ? "Discard"
                                                     : "Save")
                << QString::fromLatin1(action) << int(answer);
}

void TestUnsavedWork::everyReplacingActionAsks()
{
    QFETCH(QString, action);
    QFETCH(int, answer);
    QTemporaryDir dir;
    QSettings().setValue(QStringLiteral("recentFiles"), QStringList { ModelFile });
    DialogPilot pilot;
    pilot.discardAnswer = QMessageBox::StandardButton(answer);
    pilot.savePath = dir.filePath(QStringLiteral("kept.safetensors"));
    pilot.initialiseEmbedding = true;

    MainWindow w;
    w.show();
    trainSome(w);
    const LanguageModel<float> *before = w.model();
    QVERIFY(before && w.isModelDirty());
    const LanguageModel<float> trained = *before;
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    QSignalSpy opened(&w, &MainWindow::modelLoaded);
    QSignalSpy imported(&w, &MainWindow::vectorsImported);

    // Each action replaces the model once it may; `replaced` says whether it has.
    std::function<bool()> replaced = [&] { return w.model() != before; };
    if (action == QLatin1String("Open Model")) {
        w.openModel(ModelFile);
    } else if (action == QLatin1String("Open Recent")) {
        QMenu *recent = nullptr;
        for (QMenu *m : w.findChildren<QMenu *>())
            if (m->title() == QLatin1String("Open &Recent"))
                recent = m;
        QVERIFY(recent && !recent->actions().isEmpty());
        QCOMPARE(recent->actions().first()->statusTip(), ModelFile);
        recent->actions().first()->trigger();
    } else if (action == QLatin1String("drop a model")) {
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(ModelFile) });
        const QPoint at = w.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
    } else if (action == QLatin1String("Open Corpus")) {
        // Another text, whose vocabulary is another: the model goes once it is read.
        w.openCorpus(QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt"));
    } else if (action == QLatin1String("Import Vectors")) {
        w.importVectors(VectorsFile);
    } else if (action == QLatin1String("Reset Model")) {
        QAction *reset = actionNamed(w, QStringLiteral("&Reset Model"));
        QVERIFY(reset && reset->isEnabled());
        reset->trigger();
    } else if (action == QLatin1String("Start with other settings")) {
        smallModel(w, 32);
        w.trainingPanel()->startButton()->click();
        replaced = [&] { return w.model() != before && w.controller()->isRunning(); };
    } else {
        w.close();
        replaced = [&] { return !w.isVisible(); };
    }

    QTRY_VERIFY2_WITH_TIMEOUT(pilot.prompts.size() == 1,
        qPrintable(pilot.prompts.join(" | ") + " " + pilot.messages.join(" | ")), 20000);
    QVERIFY2(pilot.prompts.first().contains(QLatin1String("has not been saved")),
        qPrintable(pilot.prompts.first()));
    if (answer == QMessageBox::Cancel) {
        // Nothing happens: the model, its unsaved state and the window stay.
        QTest::qWait(300);
        QCOMPARE(w.model(), before);
        QVERIFY(w.isModelDirty());
        QVERIFY(w.isVisible());
        QVERIFY(!w.controller()->isRunning());
        QCOMPARE(saved.count(), 0);
        QCOMPARE(opened.count(), 0);
        QCOMPARE(imported.count(), 0);
        return;
    }
    if (answer == QMessageBox::Save) {
        // The model is written first, to the file the user named; then the action goes on.
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QCOMPARE(saved.first().at(0).toString(), pilot.savePath);
        const auto ck = loadCheckpoint<float>(pilot.savePath.toStdString());
        QVERIFY(sameWeights(*ck.model, trained));
    } else {
        QVERIFY(!QFileInfo::exists(pilot.savePath));
    }
    QTRY_VERIFY_WITH_TIMEOUT(replaced(), 20000);
    if (action == QLatin1String("Reset Model") || action == QLatin1String("Open Corpus")) {
        // The views no longer show the discarded model.
        QCOMPARE(w.embeddingMap()->pointCount(), 0);
        QVERIFY(w.neighborsPanel()->results().isEmpty());
        QVERIFY(w.neighborsPanel()->table() == nullptr);
        QVERIFY(w.embeddingMap()->plot()->xAxis->label().isEmpty()); // no stale variance
        for (QLabel *l : w.statusBar()->findChildren<QLabel *>())
            QVERIFY2(!l->text().startsWith(QLatin1String("Epoch")), qPrintable(l->text()));
    }
    QVERIFY2(pilot.prompts.size() == 1, qPrintable(pilot.prompts.join(" | "))); // asked once
    if (w.controller()->isRunning()) {
        QSignalSpy finished(w.controller(), &TrainingController::finished);
        w.controller()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    }
}

void TestUnsavedWork::savedModelIsNotAskedAbout()
{
    QTemporaryDir dir;
    DialogPilot pilot;
    MainWindow w;
    w.show();
    trainSome(w);
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    w.saveModel(dir.filePath(QStringLiteral("m.safetensors")));
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    QVERIFY(!w.isModelDirty());
    QSignalSpy opened(&w, &MainWindow::modelLoaded);
    w.openModel(ModelFile);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QVERIFY(pilot.prompts.isEmpty());
}

void TestUnsavedWork::generateSamplesFromItsOwnCopy()
{
    DialogPilot pilot;
    MainWindow w;
    w.show();
    trainSome(w);
    auto *panel = w.findChild<GeneratePanel *>();
    QVERIFY(panel);
    auto *button = panel->findChild<QPushButton *>();
    auto *tokens = panel->findChild<QSpinBox *>();
    QVERIFY(button && tokens && button->isEnabled());
#ifdef EMBEDLAB_SANITIZED_BUILD
    tokens->setValue(400); // ThreadSanitizer's build samples many times slower
#else
    tokens->setValue(2000);
#endif
    QSignalSpy generated(panel, &GeneratePanel::generated);
    panel->generate();
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 240000);
    const QString first = panel->text();
    QVERIFY(!first.isEmpty());

    // The same sampling again, with training started while it runs: training changes the live
    // model, the sampler reads its own copy, so the text is the same.
    const LanguageModel<float> atStart = *w.model();
    panel->generate();
    QVERIFY(!button->isEnabled());
    w.trainingPanel()->startButton()->click();
    QVERIFY(w.controller()->isRunning());
    QVERIFY(!button->isEnabled()); // no new sampling from a model in training
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 2, 240000);
    QCOMPARE(panel->text(), first);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 6, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(!sameWeights(*w.model(), atStart)); // training did go on meanwhile
}

void TestUnsavedWork::generateDuringAPause()
{
    DialogPilot pilot;
    MainWindow w;
    w.show();
    trainSome(w);
    auto *panel = w.findChild<GeneratePanel *>();
    auto *button = panel->findChild<QPushButton *>();
    QSignalSpy reached(w.controller(), &TrainingController::pauseReached);
    w.trainingPanel()->startButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 5, 30000);
    QVERIFY(!button->isEnabled());
    w.controller()->pause();
    QTRY_COMPARE_WITH_TIMEOUT(reached.count(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 5000);
    QSignalSpy generated(panel, &GeneratePanel::generated);
    button->click();
    // Resuming at once is safe: the sampler has its own copy.
    w.controller()->resume();
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 60000);
    QVERIFY(!panel->text().isEmpty());
    const int points = w.lossChart()->pointCount();
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > points, 30000);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
}

QTEST_MAIN(TestUnsavedWork)
#include "tst_unsaved_work.moc"
