// The training thread seen from the GUI thread: throttled snapshots, pause / resume / stop that
// act while the worker is busy, errors as messages, and a prompt end when the owner goes away.
#include <QtTest>

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/fileio.h"
#include "core/trainstate.h"
#include "ui/trainingcontroller.h"

using namespace embedlab;

namespace {

std::shared_ptr<const Corpus> corpus()
{
    static std::shared_ptr<const Corpus> c = [] {
        CorpusOptions o;
        return std::make_shared<const Corpus>(
            loadCorpus(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt", o));
    }();
    return c;
}

std::shared_ptr<LanguageModel<float>> model()
{
    ModelConfig mc;
    mc.vocabSize = corpus()->vocab.size();
    mc.embeddingDim = 16;
    mc.hiddenSize = 16;
    mc.layers = 1;
    auto m = std::make_shared<LanguageModel<float>>(mc);
    m->initRandom(1);
    return m;
}

TrainConfig longRun()
{
    TrainConfig t;
    t.batch = 4;
    t.bptt = 8;
    t.epochs = 100000;
    t.lr = 5;
    t.threads = 1;
    return t;
}

qint64 lastStep(const QSignalSpy &spy)
{
    if (spy.isEmpty())
        return 0;
    return spy.last().at(1).value<TrainingStatus>().step;
}

} // namespace

class TestTrainingController : public QObject
{
    Q_OBJECT

private slots:
    void runsToTheEndAndDeliversEverything();
    void pauseResumeStop();
    void updatesAreThrottled();
    void errorsBecomeMessages();
    void destroyingWhileTrainingEndsPromptly();
    void startContinuesTheStateItIsGiven();
    void autosavesWhileTraining();
    void failedAutosaveKeepsTrainingAndThePreviousFile();
};

void TestTrainingController::runsToTheEndAndDeliversEverything()
{
    TrainingController c;
    QSignalSpy progress(&c, &TrainingController::progressAvailable);
    QSignalSpy epochs(&c, &TrainingController::epochFinished);
    QSignalSpy embeddings(&c, &TrainingController::embeddingAvailable);
    QSignalSpy finished(&c, &TrainingController::finished);
    TrainConfig t = longRun();
    t.epochs = 2;
    auto m = model();
    c.start(corpus(), m, t);
    QVERIFY(c.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(!c.isRunning());
    const auto summary = finished.at(0).at(0).value<TrainingSummary>();
    QCOMPARE(summary.epochsCompleted, 2);
    QVERIFY(!summary.stopped && !summary.diverged);
    // Every window's point arrives exactly once, in order, and the last one is delivered.
    QVector<LossPoint> all;
    for (const auto &args : progress)
        all += args.at(0).value<QVector<LossPoint>>();
    QCOMPARE(all.size(), summary.steps);
    for (int i = 0; i < all.size(); ++i)
        QCOMPARE(all[i].step, qint64(i + 1));
    QCOMPARE(epochs.count(), 2);
    QVERIFY(std::isfinite(epochs.at(1).at(0).value<EpochPoint>().validLoss));
    // The last embedding copy is the trained table, not a pointer into the model.
    QVERIFY(embeddings.count() >= 2);
    const auto snap = embeddings.last().at(0).value<EmbeddingSnapshot>();
    QCOMPARE(snap.step, summary.steps);
    // Every word but <pad>, whose row never trains.
    QCOMPARE(static_cast<int>(snap.table->size()), corpus()->vocab.size() - 1);
    QCOMPARE(snap.table->find("<pad>"), -1);
    QCOMPARE(snap.table->word(0), std::string("<unk>"));
    const int the = corpus()->vocab.find("the");
    for (int k = 0; k < 16; ++k)
        QCOMPARE(snap.table->vectors()(snap.table->find("the"), k), m->encoder()(k, the));
}

void TestTrainingController::pauseResumeStop()
{
    TrainingController c;
    QSignalSpy progress(&c, &TrainingController::progressAvailable);
    QSignalSpy paused(&c, &TrainingController::pausedChanged);
    QSignalSpy finished(&c, &TrainingController::finished);
    QSignalSpy embeddings(&c, &TrainingController::embeddingAvailable);
    c.start(corpus(), model(), longRun());
    QTRY_VERIFY_WITH_TIMEOUT(lastStep(progress) >= 5, 20000);
    c.pause();
    QVERIFY(c.isPaused());
    QCOMPARE(paused.count(), 1);
    // The window in flight ends and its point arrives; then nothing more may come.
    qint64 atPause = -1;
    for (int i = 0; i < 20 && lastStep(progress) != atPause; ++i) {
        atPause = lastStep(progress);
        QTest::qWait(250);
    }
    QTest::qWait(500);
    QCOMPARE(lastStep(progress), atPause);
    // The map gets the table as it stands at the pause.
    QCOMPARE(embeddings.last().at(0).value<EmbeddingSnapshot>().step, atPause);
    c.resume();
    QTRY_VERIFY_WITH_TIMEOUT(lastStep(progress) > atPause + 3, 20000);
    c.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(finished.at(0).at(0).value<TrainingSummary>().stopped);
}

void TestTrainingController::updatesAreThrottled()
{
    TrainingController c;
    QSignalSpy progress(&c, &TrainingController::progressAvailable);
    QSignalSpy epochs(&c, &TrainingController::epochFinished);
    QSignalSpy finished(&c, &TrainingController::finished);
    TrainConfig t = longRun();
    t.maxSteps = 3000; // tiny windows: thousands per second
    QElapsedTimer timer;
    timer.start();
    c.start(corpus(), model(), t);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const double seconds = timer.elapsed() / 1000.0;
    qint64 points = 0;
    for (const auto &args : progress)
        points += args.at(0).value<QVector<LossPoint>>().size();
    QCOMPARE(points, qint64(3000));
    // At most ~25 a second, plus the first, one at each epoch end and the last.
    QVERIFY2(progress.count() <= 25 * seconds + epochs.count() + 3,
        qPrintable(QStringLiteral("%1 updates in %2 s, %3 epochs")
                       .arg(progress.count())
                       .arg(seconds)
                       .arg(epochs.count())));
    // Windows come far faster than 25 a second, so updates carry several of them.
    QVERIFY2(progress.count() < 3000 / 2, qPrintable(QString::number(progress.count())));
}

void TestTrainingController::errorsBecomeMessages()
{
    TrainingController c;
    QSignalSpy failed(&c, &TrainingController::failed);
    TrainConfig t = longRun();
    t.batch = 100000; // longer than the corpus
    c.start(corpus(), model(), t);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("too short")));
    QVERIFY(!c.isRunning());
}

void TestTrainingController::destroyingWhileTrainingEndsPromptly()
{
    auto c = std::make_unique<TrainingController>();
    QSignalSpy progress(c.get(), &TrainingController::progressAvailable);
    c->start(corpus(), model(), longRun());
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0, 20000);
    c->pause(); // even a paused run must end
    QElapsedTimer timer;
    timer.start();
    c.reset();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestTrainingController::startContinuesTheStateItIsGiven()
{
    TrainingController c;
    QSignalSpy progress(&c, &TrainingController::progressAvailable);
    QSignalSpy finished(&c, &TrainingController::finished);
    TrainConfig t = longRun();
    t.maxSteps = 6;
    auto m = model();
    c.start(corpus(), m, t);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    const auto first = finished.at(0).at(0).value<TrainingSummary>();
    QVERIFY(first.state);
    QCOMPARE(first.state->step, qint64(6));
    progress.clear();
    c.start(corpus(), m, t, first.state);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
    const auto second = finished.at(1).at(0).value<TrainingSummary>();
    QCOMPARE(second.steps, qint64(12));
    QCOMPARE(second.state->step, qint64(12));
    QVector<LossPoint> points;
    for (const auto &args : progress)
        points += args.at(0).value<QVector<LossPoint>>();
    QCOMPARE(points.size(), 6);
    QCOMPARE(points.first().step, qint64(7));
    QVERIFY(points.first().tokens > 6.0 * t.batch * t.bptt - 1);
    const auto status = progress.last().at(1).value<TrainingStatus>();
    QCOMPARE(status.firstStep, qint64(6));
    QCOMPARE(status.totalSteps, qint64(12));
    // The state handed back is a copy: the one given is as it was.
    QCOMPARE(first.state->step, qint64(6));
}

void TestTrainingController::autosavesWhileTraining()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.autosave.safetensors"));
    TrainingController c;
    c.setAutosave({ path, 0.2, TokenizerOptions {} });
    QSignalSpy saved(&c, &TrainingController::autosaved);
    QSignalSpy failed(&c, &TrainingController::autosaveFailed);
    QSignalSpy finished(&c, &TrainingController::finished);
    auto m = model();
    c.start(corpus(), m, longRun());
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() >= 2, 30000);
    c.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(saved.last().at(0).toString(), path);
    // Each autosave is a complete checkpoint of the model at the step it names.
    const qint64 step = saved.last().at(1).toLongLong();
    QVERIFY(step > saved.first().at(1).toLongLong());
    auto loaded = loadCheckpoint<float>(path.toStdString());
    QCOMPARE(loaded.metadata.at("embedlab.autosave_step"), std::to_string(step));
    QCOMPARE(loaded.vocab.words(), corpus()->vocab.words());
    // It continues the run from that step, exactly (its training state is beside it).
    auto training = loadTrainState(path.toStdString(), loaded.metadata, *loaded.model);
    QVERIFY2(training.notice.empty(), training.notice.c_str());
    QVERIFY(training.state);
    QCOMPARE(training.state->step, step);
    // No temporary files are left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
        (QStringList { QStringLiteral("run.autosave.safetensors"),
            QStringLiteral("run.autosave.trainstate.safetensors") }));
}

void TestTrainingController::failedAutosaveKeepsTrainingAndThePreviousFile()
{
    QTemporaryDir dir;
    // A directory where the checkpoint should go: every write fails.
    const QString path = dir.filePath(QStringLiteral("taken"));
    QVERIFY(QDir().mkdir(path));
    TrainingController c;
    c.setAutosave({ path, 0.1, TokenizerOptions {} });
    QSignalSpy failed(&c, &TrainingController::autosaveFailed);
    QSignalSpy progress(&c, &TrainingController::progressAvailable);
    QSignalSpy finished(&c, &TrainingController::finished);
    c.start(corpus(), model(), longRun());
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 1, 30000);
    QVERIFY2(failed.first().at(0).toString().contains(path),
        qPrintable(failed.first().at(0).toString()));
    const qint64 at = lastStep(progress);
    QTRY_VERIFY_WITH_TIMEOUT(lastStep(progress) > at + 5, 30000); // training goes on
    c.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(QFileInfo(path).isDir());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList {});
}

QTEST_GUILESS_MAIN(TestTrainingController)
#include "tst_trainingcontroller.moc"
