// The trainer and checkpoints: reproducibility, annealing, pause/resume/stop from another thread,
// divergence, frozen and pre-trained embeddings, save/load and refusal of corrupt files.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/divergence.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/lstm.h"
#include "core/parallel.h"
#include "core/pretrained.h"
#include "core/safetensors.h"
#include "core/trainer.h"
#include "core/trainstate.h"
#include "filesizelimit.h"

using namespace embedlab;

namespace {

const char *SampleText = "the cat sat on the mat .\n"
                         "the dog sat on the log .\n"
                         "a cat and a dog met on a mat .\n"
                         "the cat saw the dog and the dog saw the cat .\n";

Corpus smallCorpus(int repeat = 40, double validFraction = 0.1)
{
    std::string text;
    for (int i = 0; i < repeat; ++i)
        text += SampleText;
    CorpusOptions o;
    o.validFraction = validFraction;
    return buildCorpus(text, o, "cats.txt");
}

ModelConfig smallConfig(int V)
{
    ModelConfig c;
    c.vocabSize = V;
    c.embeddingDim = 8;
    c.hiddenSize = 8;
    c.layers = 2;
    c.dropout = 0.1;
    return c;
}

TrainConfig smallTraining()
{
    TrainConfig t;
    t.batch = 4;
    t.bptt = 5;
    t.epochs = 2;
    t.lr = 1.0;
    t.threads = 1;
    return t;
}

// The corpus and initialised model of the tests that pause, resume and stop a run.
struct ThreadedRun
{
    const Corpus corpus = smallCorpus(200);
    LanguageModel<float> model { smallConfig(corpus.vocab.size()) };
    ThreadedRun() { model.initRandom(1); }
};

std::vector<double> windowLosses(const Corpus &corpus, const TrainConfig &tc, std::uint64_t seed)
{
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(seed);
    Trainer<float> trainer(model, tc);
    std::vector<double> losses;
    trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (e.kind == TrainEvent::Kind::Window)
            losses.push_back(e.loss);
    });
    return losses;
}

QString tempPath(const QTemporaryDir &dir, const QString &name)
{
    return dir.filePath(name);
}

} // namespace

class TestTraining : public QObject
{
    Q_OBJECT

private slots:
    void lossFallsAndEventsAreComplete();
    void seededRunsAreReproducible();
    void teamMeetsAfterEveryStep();
    void threadCountsAgreeAndRepeat_data();
    void threadCountsAgreeAndRepeat();
    void sgdAnnealsWhenValidationStalls();
    void maxStepsEndsTheRun();
    void stopFromAnotherThread();
    void pauseAndResumeFromAnotherThread();
    void stopWhilePausedEndsPromptly();
    void pauseHookRunsBeforeBlocking();
    void divergenceStopsAndKeepsLastGoodWeights_data();
    void divergenceStopsAndKeepsLastGoodWeights();
    void divergenceRule_data();
    void divergenceRule();
    void defaultsOnTheSampleCorpusAreNotStopped();
    void frozenEmbeddingStaysFixed();
    void frozenAndTiedIsRefused();
    void tooShortCorpusIsRefused();
    void pretrainedInitialisation();
    void checkpointRoundTripGivesIdenticalEval();
    void checkpointBeforeIcuKeepsItsTokenizer();
    void continuingARunIsExact_data();
    void continuingARunIsExact();
    void continuingWithOtherSettings();
    void checkpointLayoutMatchesPyTorch();
    void checkpointsOfEveryCell_data();
    void checkpointsOfEveryCell();
    void corruptCheckpointsAreRefused_data();
    void corruptCheckpointsAreRefused();
    void failedSaveKeepsPreviousCheckpoint();
};

void TestTraining::lossFallsAndEventsAreComplete()
{
    const Corpus corpus = smallCorpus();
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(1);
    TrainConfig tc = smallTraining();
    tc.epochs = 3;
    tc.optimizer = OptimizerKind::Adam;
    tc.lr = 0.01;
    Trainer<float> trainer(model, tc);
    std::vector<TrainEvent> windows, epochs;
    const TrainResult r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        (e.kind == TrainEvent::Kind::Window ? windows : epochs).push_back(e);
    });
    QCOMPARE(epochs.size(), std::size_t(3));
    QCOMPARE(r.epochsCompleted, 3);
    QVERIFY(!r.stopped && !r.diverged);
    const std::int64_t perEpoch = windows.front().windowsPerEpoch;
    QCOMPARE(static_cast<std::int64_t>(windows.size()), 3 * perEpoch);
    const std::size_t steps = (corpus.train.size() / tc.batch) - 1;
    QCOMPARE(perEpoch, static_cast<std::int64_t>((steps + tc.bptt - 1) / tc.bptt));
    QCOMPARE(windows.back().tokens, 3 * steps * tc.batch);
    for (const auto &e : windows) {
        QVERIFY(std::isfinite(e.loss) && e.gradNorm > 0 && e.tokensPerSec > 0);
        QCOMPARE(e.lr, 0.01);
    }
    for (const auto &e : epochs)
        QVERIFY(std::isfinite(e.validLoss)
            && std::abs(e.validPerplexity - std::exp(e.validLoss)) < 1e-9 * e.validPerplexity);
    // This tiny language is learnable: validation perplexity drops well below the vocabulary size.
    QVERIFY2(epochs.back().validLoss < epochs.front().validLoss,
        qPrintable(
            QStringLiteral("%1 -> %2").arg(epochs.front().validLoss).arg(epochs.back().validLoss)));
    QVERIFY2(r.validPerplexity < corpus.vocab.size() / 3.0,
        qPrintable(QString::number(r.validPerplexity)));
    QCOMPARE(r.validLoss, epochs.back().validLoss);
    // Every phase of a window took some time, and together they lie within the windows' time.
    const auto ph = trainer.phaseSeconds();
    for (const double s : { ph.embedding, ph.projections, ph.recurrence, ph.decoder,
             ph.decoderBackward, ph.backThroughTime, ph.weightGradients, ph.inputGradients,
             ph.embeddingGradient, trainer.updateSeconds() })
        QVERIFY(s > 0);
    QVERIFY2(ph.total() + trainer.updateSeconds() <= windows.back().seconds + 1e-6,
        qPrintable(QStringLiteral("phases %1 s + update %2 s, windows %3 s")
                       .arg(ph.total())
                       .arg(trainer.updateSeconds())
                       .arg(windows.back().seconds)));
}

// parallelTeam, which the recurrence's steps use: every member sees the others' writes of a step
// after meeting, on as many threads as asked; a member that throws ends the team, not a hang.
void TestTraining::teamMeetsAfterEveryStep()
{
    setThreadCount(3);
    const int Steps = 200;
    std::vector<std::atomic<int>> written(3);
    std::atomic<int> stale { 0 }, teamSize { 0 };
    parallelTeam(8, [&](std::size_t m, std::size_t members, const TeamSync &sync) {
        teamSize = static_cast<int>(members);
        for (int t = 1; t <= Steps; ++t) {
            written[m].store(t, std::memory_order_relaxed);
            sync();
            for (std::size_t k = 0; k < members; ++k)
                if (written[k].load(std::memory_order_relaxed) < t)
                    ++stale;
            sync(); // nobody writes step t+1 before all have read step t
        }
    });
    QCOMPARE(teamSize.load(), 3);
    QCOMPARE(stale.load(), 0);
    bool thrown = false;
    try {
        parallelTeam(3, [&](std::size_t m, std::size_t, const TeamSync &sync) {
            if (m == 1)
                throw Error("member 1 fails");
            for (int t = 0; t < 10; ++t)
                sync();
        });
    } catch (const Error &e) {
        thrown = QString::fromStdString(e.what()).contains("member 1");
    }
    QVERIFY(thrown);
    setThreadCount(0);
}

void TestTraining::threadCountsAgreeAndRepeat_data()
{
    QTest::addColumn<int>("cell");
    QTest::addColumn<int>("hidden");
    for (CellKind kind : cellKinds())
        for (int hidden : { 40, 136 })
            QTest::newRow(qPrintable(QStringLiteral("%1 H=%2").arg(cellName(kind)).arg(hidden)))
                << static_cast<int>(kind) << hidden;
}

// An LSTM's or GRU's recurrence is shared by streams (40 hidden units) or by units (136: 17
// groups of 8, which 2 and 3 threads split differently, meeting after every step): a run repeats
// bit for bit on the same thread count, and the counts agree to float rounding (the matrix
// library's sums depend on the shapes of the products).
void TestTraining::threadCountsAgreeAndRepeat()
{
    QFETCH(int, cell);
    QFETCH(int, hidden);
    const Corpus corpus = smallCorpus(10);
    ModelConfig mc = smallConfig(corpus.vocab.size());
    mc.cell = static_cast<CellKind>(cell);
    mc.embeddingDim = 12;
    mc.hiddenSize = hidden;
    const auto run = [&](int threads, std::vector<float> &weights) {
        LanguageModel<float> model(mc);
        model.initRandom(3);
        TrainConfig tc = smallTraining();
        tc.threads = threads;
        tc.epochs = 1;
        Trainer<float> trainer(model, tc);
        std::vector<double> losses;
        trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
            if (e.kind == TrainEvent::Kind::Window)
                losses.push_back(e.loss);
        });
        weights.clear();
        for (const auto &p : model.parameters())
            weights.insert(weights.end(), p.value->data(), p.value->data() + p.value->size());
        return losses;
    };
    std::vector<float> weights1, weightsA, weightsB;
    const std::vector<double> one = run(1, weights1);
    QVERIFY(one.size() > 5);
    for (int threads : { 2, 3 }) {
        const std::vector<double> a = run(threads, weightsA), b = run(threads, weightsB);
        QCOMPARE(a, b);
        QVERIFY(weightsA == weightsB);
        QCOMPARE(a.size(), one.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(std::abs(a[i] - one[i]) <= 1e-5 * one[i],
                qPrintable(QStringLiteral("%1 threads, window %2: loss %3, one thread %4")
                               .arg(threads)
                               .arg(i + 1)
                               .arg(a[i], 0, 'g', 9)
                               .arg(one[i], 0, 'g', 9)));
        float worst = 0;
        for (std::size_t i = 0; i < weightsA.size(); ++i)
            worst = std::max(worst, std::abs(weightsA[i] - weights1[i]));
        QVERIFY2(worst < 1e-4f, qPrintable(QStringLiteral("weights differ by %1").arg(worst)));
    }
    setThreadCount(0);
}

void TestTraining::seededRunsAreReproducible()
{
    const Corpus corpus = smallCorpus(10);
    TrainConfig tc = smallTraining();
    tc.threads = 2; // the parallel softmax must not change the numbers
    const auto a = windowLosses(corpus, tc, 5);
    const auto b = windowLosses(corpus, tc, 5);
    QVERIFY(!a.empty());
    QCOMPARE(a, b);
    tc.seed = 6; // other dropout masks
    QVERIFY(windowLosses(corpus, tc, 5) != a);
    tc.seed = 1;
    QVERIFY(windowLosses(corpus, tc, 9) != a); // other initial weights
}

void TestTraining::sgdAnnealsWhenValidationStalls()
{
    const Corpus corpus = smallCorpus(10);
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(1);
    TrainConfig tc = smallTraining();
    tc.epochs = 4;
    tc.lr = 60; // far too large: validation cannot keep improving
    tc.clip = 0.05;
    Trainer<float> trainer(model, tc);
    std::vector<TrainEvent> epochs;
    double best = INFINITY, expectedLr = tc.lr;
    trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (e.kind == TrainEvent::Kind::Epoch)
            epochs.push_back(e);
    });
    int cuts = 0;
    for (const auto &e : epochs) {
        if (e.validLoss < best) {
            best = e.validLoss;
            QVERIFY(!e.lrCut);
        } else {
            QVERIFY(e.lrCut);
            expectedLr /= 4;
            ++cuts;
        }
        QCOMPARE(e.lr, expectedLr);
    }
    QVERIFY2(cuts > 0, "validation never stalled; the test needs a larger learning rate");
}

void TestTraining::maxStepsEndsTheRun()
{
    const Corpus corpus = smallCorpus();
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(1);
    TrainConfig tc = smallTraining();
    tc.maxSteps = 7;
    Trainer<float> trainer(model, tc);
    int windows = 0;
    const TrainResult r = trainer.run(corpus.train, corpus.valid,
        [&](const TrainEvent &e) { windows += e.kind == TrainEvent::Kind::Window; });
    QCOMPARE(windows, 7);
    QCOMPARE(r.steps, std::int64_t(7));
    QVERIFY(!r.stopped);
    QVERIFY(std::isfinite(r.validLoss)); // the run still reports its validation loss
}

void TestTraining::stopFromAnotherThread()
{
    ThreadedRun run;
    const Corpus &corpus = run.corpus;
    LanguageModel<float> &model = run.model;
    TrainConfig tc = smallTraining();
    tc.epochs = 1000;
    Trainer<float> trainer(model, tc);
    std::atomic<std::int64_t> steps { 0 };
    TrainResult r;
    std::thread worker([&] {
        r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
            if (e.kind == TrainEvent::Kind::Window)
                steps.store(e.step);
        });
    });
    QTRY_VERIFY_WITH_TIMEOUT(steps.load() >= 5, 10000);
    trainer.requestStop();
    worker.join();
    QVERIFY(r.stopped);
    QVERIFY(r.epochsCompleted < 1000);
    // Stop takes effect between windows: at most one window after the request.
    QVERIFY(r.steps <= steps.load() + 1);
}

void TestTraining::pauseAndResumeFromAnotherThread()
{
    ThreadedRun run;
    const Corpus &corpus = run.corpus;
    LanguageModel<float> &model = run.model;
    TrainConfig tc = smallTraining();
    tc.epochs = 1000;
    Trainer<float> trainer(model, tc);
    std::atomic<std::int64_t> steps { 0 };
    std::thread worker([&] {
        trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
            if (e.kind == TrainEvent::Kind::Window)
                steps.store(e.step);
        });
    });
    QTRY_VERIFY_WITH_TIMEOUT(steps.load() >= 3, 10000);
    trainer.setPaused(true);
    QVERIFY(trainer.isPaused());
    // Let the window in flight finish; then nothing more may come.
    std::int64_t atPause = -1;
    for (int i = 0; i < 20 && steps.load() != atPause; ++i) {
        atPause = steps.load();
        QTest::qWait(150);
    }
    QTest::qWait(300);
    QCOMPARE(steps.load(), atPause); // no progress while paused
    trainer.setPaused(false);
    QTRY_VERIFY_WITH_TIMEOUT(steps.load() > atPause + 3, 10000);
    trainer.requestStop();
    worker.join();
}

void TestTraining::pauseHookRunsBeforeBlocking()
{
    ThreadedRun run;
    const Corpus &corpus = run.corpus;
    LanguageModel<float> &model = run.model;
    TrainConfig tc = smallTraining();
    tc.maxSteps = 8;
    Trainer<float> trainer(model, tc);
    std::vector<std::int64_t> hookAfter; // the last window seen when the hook ran
    std::int64_t lastWindow = 0;
    bool heldInWindow = true, heldInHook = false;
    // Paused from inside window 3's report: the hook runs before window 4, and a hook that
    // resumes lets the run go on without blocking.
    trainer.setPauseHook([&] {
        hookAfter.push_back(lastWindow);
        heldInHook = trainer.isHeldByPause(); // the window is done: the model stays still
        trainer.setPaused(false);
    });
    const TrainResult r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (e.kind != TrainEvent::Kind::Window)
            return;
        lastWindow = e.step;
        if (e.step == 3) {
            trainer.setPaused(true);
            heldInWindow = trainer.isHeldByPause(); // paused, but still in window 3
        }
    });
    QCOMPARE(hookAfter, std::vector<std::int64_t> { 3 });
    QVERIFY(!heldInWindow);
    QVERIFY(heldInHook);
    QVERIFY(!trainer.isHeldByPause());
    QCOMPARE(r.steps, std::int64_t(8));
}

void TestTraining::stopWhilePausedEndsPromptly()
{
    ThreadedRun run;
    const Corpus &corpus = run.corpus;
    LanguageModel<float> &model = run.model;
    TrainConfig tc = smallTraining();
    tc.epochs = 1000;
    Trainer<float> trainer(model, tc);
    std::atomic<bool> started { false }, finished { false };
    TrainResult r;
    std::thread worker([&] {
        r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &) { started = true; });
        finished = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 10000);
    trainer.setPaused(true);
    QTest::qWait(100);
    QVERIFY(!finished.load());
    QElapsedTimer timer;
    timer.start();
    trainer.requestStop();
    QTRY_VERIFY_WITH_TIMEOUT(finished.load(), 2000);
    QVERIFY(timer.elapsed() < 1000);
    worker.join();
    QVERIFY(r.stopped);
}

void TestTraining::divergenceStopsAndKeepsLastGoodWeights_data()
{
    QTest::addColumn<double>("lr");
    QTest::addColumn<bool>("adam");
    QTest::addColumn<bool>("tied");
    // 1e30 sends the weights to infinity or, with some BLAS kernels, to a finite loss of about
    // 1e30; 1e6 gives a finite loss of about 1e5 nats per token on every kernel.
    QTest::newRow("sgd lr 1e30") << 1e30 << false << false;
    QTest::newRow("sgd lr 1e6") << 1e6 << false << false;
    QTest::newRow("sgd lr 1e6 tied") << 1e6 << false << true;
    QTest::newRow("adam lr 1e6") << 1e6 << true << false;
}

void TestTraining::divergenceStopsAndKeepsLastGoodWeights()
{
    QFETCH(double, lr);
    QFETCH(bool, adam);
    QFETCH(bool, tied);
    const Corpus corpus = smallCorpus(20);
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    if (tied) {
        ModelConfig c = smallConfig(corpus.vocab.size());
        c.tied = true;
        model = LanguageModel<float>(c);
    }
    model.initRandom(1);
    TrainConfig tc = smallTraining();
    tc.clip = 0;
    tc.lr = lr;
    tc.epochs = 3;
    tc.optimizer = adam ? OptimizerKind::Adam : OptimizerKind::Sgd;
    Trainer<float> trainer(model, tc);
    // weights[k]: the weights after k updates, the ones window k + 1 is computed with.
    std::vector<std::vector<LanguageModel<float>::Mat>> weights;
    auto snapshot = [&] {
        std::vector<LanguageModel<float>::Mat> w;
        for (auto &p : model.parameters())
            w.push_back(*p.value);
        weights.push_back(std::move(w));
    };
    snapshot();
    std::vector<double> losses;
    const TrainResult r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (e.kind != TrainEvent::Kind::Window)
            return;
        losses.push_back(e.loss);
        snapshot();
    });
    QVERIFY(r.diverged);
    QVERIFY(!r.stopped);
    const QString message = QString::fromStdString(r.message);
    QVERIFY2(message.contains("diverged"), qPrintable(message));
    QVERIFY2(message.contains("lower learning rate"), qPrintable(message));
    QVERIFY(!losses.empty());
    // Every reported loss was a sane one; the run stopped at the first that was not.
    const double ceiling = DivergenceGuard(corpus.vocab.size()).ceiling();
    for (double l : losses)
        QVERIFY2(std::isfinite(l) && l <= ceiling, qPrintable(QString::number(l)));
    QVERIFY2(r.epochsCompleted < 3, "the run went on to its end");
    // The model went back to the weights that gave the last reported loss: the update after it
    // led to the blow-up and is undone.
    QCOMPARE(r.steps, std::int64_t(losses.size()) - 1);
    QVERIFY2(
        message.contains(QStringLiteral("step %1's loss").arg(losses.size())), qPrintable(message));
    const auto &kept = weights[static_cast<std::size_t>(r.steps)];
    auto params = model.parameters();
    for (std::size_t k = 0; k < params.size(); ++k) {
        QVERIFY(params[k].value->allFinite());
        QVERIFY2(*params[k].value == kept[k], params[k].name.c_str());
    }
}

void TestTraining::divergenceRule_data()
{
    QTest::addColumn<int>("classes");
    QTest::addColumn<QVector<double>>("losses");
    QTest::addColumn<int>("alarmAt"); // index of the window that trips the rule, -1 for none

    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("finite 1e30") << 862 << QVector<double> { 6.76, 1e30 } << 1;
    QTest::newRow("1e6 lr, 862 words") << 862 << QVector<double> { 6.76, 83278.2 } << 1;
    QTest::newRow("nan") << 862 << QVector<double> { 6.76, nan } << 1;
    QTest::newRow("inf") << 862 << QVector<double> { 6.76, 6.5, inf } << 2;
    // The ceiling 2 ln V + 10: 12.77 nats for 4 classes, 37.6 for a million.
    QTest::newRow("4 classes under the ceiling") << 4 << QVector<double> { 1.4, 12.7, 1.3 } << -1;
    QTest::newRow("4 classes over it") << 4 << QVector<double> { 1.4, 12.8 } << 1;
    QTest::newRow("1e6 words under the ceiling") << 1000000 << QVector<double> { 13.8, 37.5 } << -1;
    QTest::newRow("1e6 words over it") << 1000000 << QVector<double> { 13.8, 37.7 } << 1;

    // SGD at lr 20 early in a run: the loss jumps by half for single windows, then falls.
    QVector<double> spikes;
    for (int i = 0; i < 300; ++i)
        spikes << (9.2 - 3.0 * i / 300) * (i % 10 == 3 ? 1.5 : 1.0);
    QTest::newRow("lr 20 spikes, 10k words") << 10000 << spikes << -1;
    // The first windows of word_language_model's defaults on brown.txt (52,861 words, ln V =
    // 10.9): window 4 jumps to 19.05 nats, the largest spike seen on the sample, austen.txt and
    // brown.txt.
    QTest::newRow("brown.txt at lr 20") << 52861
                                        << QVector<double> { 10.87, 10.5, 9.0, 19.05, 9.59, 11.36,
                                               9.14, 11.1, 8.81, 10.05, 8.94, 9.91, 8.65, 8.85 }
                                        << -1;
    // A character model that has learned (1.5 nats) and has one window worse than uniform.
    QVector<double> oneBad(200, 1.5);
    oneBad << 9.0;
    oneBad << QVector<double>(50, 1.5);
    QTest::newRow("one bad window after learning") << 100 << oneBad << -1;
    // ... and then stays there: worse than uniform (4.6) and 3 times its best smoothed loss.
    QVector<double> grows(200, 1.5);
    grows << QVector<double>(50, 8.0);
    QTest::newRow("growth after learning") << 100 << grows << 205;
    // Growth below the uniform loss is a model that learns badly, not a divergence.
    QVector<double> below(200, 1.0);
    below << QVector<double>(50, 4.5);
    QTest::newRow("growth below ln V") << 100 << below << -1;
}

void TestTraining::divergenceRule()
{
    QFETCH(int, classes);
    QFETCH(QVector<double>, losses);
    QFETCH(int, alarmAt);
    DivergenceGuard guard(classes);
    QCOMPARE(guard.uniformLoss(), std::log(double(classes)));
    int alarm = -1;
    std::string why;
    for (int i = 0; i < losses.size() && alarm < 0; ++i) {
        why = guard.check(losses[i], 1.0);
        if (!why.empty())
            alarm = i;
    }
    QVERIFY2(alarm == alarmAt,
        qPrintable(QStringLiteral("alarm at %1, expected %2: %3")
                       .arg(alarm)
                       .arg(alarmAt)
                       .arg(QString::fromStdString(why))));
    // A gradient that is not finite trips the rule whatever the loss.
    DivergenceGuard fresh(classes);
    QVERIFY(!fresh.check(1.0, std::numeric_limits<double>::infinity()).empty());
}

void TestTraining::defaultsOnTheSampleCorpusAreNotStopped()
{
    // word_language_model's defaults (E = H = 200, 2 layers, SGD at lr 20, clip 0.25) spike
    // early in a run; none of that may look like divergence.
    CorpusOptions options;
    const Corpus corpus = loadCorpus(EMBEDLAB_SAMPLE_CORPUS, options);
    ModelConfig config;
    config.vocabSize = corpus.vocab.size();
    LanguageModel<float> model(config);
    model.initRandom(1);
    TrainConfig tc;
#ifdef EMBEDLAB_SANITIZED_BUILD
    // Instrumented (ThreadSanitizer multiplies Eigen's products many times over): the first 12
    // windows, where the spikes are (the sample's highest loss is in its third window).
    tc.maxSteps = 12;
#else
    tc.maxSteps = 60;
#endif
    Trainer<float> trainer(model, tc);
    double maxLoss = 0;
    const TrainResult r = trainer.run(corpus.train, corpus.valid, [&](const TrainEvent &e) {
        if (e.kind == TrainEvent::Kind::Window)
            maxLoss = std::max(maxLoss, e.loss);
    });
    QVERIFY2(!r.diverged, r.message.c_str());
    QCOMPARE(r.steps, tc.maxSteps);
    QVERIFY(maxLoss < DivergenceGuard(corpus.vocab.size()).ceiling());
}

void TestTraining::frozenEmbeddingStaysFixed()
{
    const Corpus corpus = smallCorpus(10);
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(1);
    const auto before = model.encoder();
    const auto decoderBefore = model.decoder();
    TrainConfig tc = smallTraining();
    tc.freezeEmbedding = true;
    Trainer<float> trainer(model, tc);
    trainer.run(corpus.train, corpus.valid);
    QVERIFY(model.encoder() == before);
    QVERIFY(model.decoder() != decoderBefore);

    tc.freezeEmbedding = false;
    Trainer<float> unfrozen(model, tc);
    unfrozen.run(corpus.train, corpus.valid);
    QVERIFY(model.encoder() != before);
    QVERIFY(model.encoder().col(Vocabulary::Pad) == before.col(Vocabulary::Pad));
}

void TestTraining::frozenAndTiedIsRefused()
{
    ModelConfig c = smallConfig(20);
    c.tied = true;
    LanguageModel<float> model(c);
    TrainConfig tc = smallTraining();
    tc.freezeEmbedding = true;
    QVERIFY_THROWS_EXCEPTION(Error, Trainer<float>(model, tc));
}

void TestTraining::tooShortCorpusIsRefused()
{
    LanguageModel<float> model(smallConfig(20));
    Trainer<float> trainer(model, smallTraining());
    try {
        trainer.run({ 3, 4, 5 }, {});
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("too short"), e.what());
    }
}

void TestTraining::pretrainedInitialisation()
{
    const Corpus corpus = smallCorpus(5);
    ModelConfig c = smallConfig(corpus.vocab.size());
    c.embeddingDim = 3;
    LanguageModel<float> model(c);
    model.initRandom(1);
    const auto before = model.encoder();
    std::vector<std::string> words = { "cat", "dog", "zebra", "cat" };
    Eigen::MatrixXf vectors(4, 3);
    vectors << 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1;
    const auto report = initEmbeddingFrom(model, corpus.vocab, words, vectors);
    QCOMPARE(report.covered, std::size_t(2));
    const int cat = corpus.vocab.find("cat"), dog = corpus.vocab.find("dog");
    QCOMPARE(report.coveredTokens, corpus.vocab.count(cat) + corpus.vocab.count(dog));
    QVERIFY(model.encoder().col(cat) == Eigen::Vector3f(1, 2, 3)); // first occurrence wins
    QVERIFY(model.encoder().col(dog) == Eigen::Vector3f(4, 5, 6));
    const int the = corpus.vocab.find("the");
    QVERIFY(model.encoder().col(the) == before.col(the));
    QVERIFY(std::find(report.missing.begin(), report.missing.end(), "the") != report.missing.end());
    Eigen::MatrixXf wrong(4, 5);
    QVERIFY_THROWS_EXCEPTION(Error, initEmbeddingFrom(model, corpus.vocab, words, wrong));
}

// A checkpoint saved before ICU has no "cjk", "normalize" or "case_folding": it is read with
// the tokenizer it was trained with (one token per ideograph, the simple lowercase table).
void TestTraining::checkpointBeforeIcuKeepsItsTokenizer()
{
    const auto loaded = loadCheckpoint<float>(EMBEDLAB_TEST_DATA "/bad/ckpt_base.safetensors");
    QCOMPARE(loaded.tokenizer.cjk, CjkSegmentation::Chars);
    QCOMPARE(loaded.tokenizer.normalize, Normalization::None);
    QCOMPARE(loaded.tokenizer.folding, CaseFolding::Simple);
}

void TestTraining::checkpointRoundTripGivesIdenticalEval()
{
    QTemporaryDir dir;
    const Corpus corpus = smallCorpus(10);
    for (bool tied : { false, true }) {
        ModelConfig c = smallConfig(corpus.vocab.size());
        c.tied = tied;
        LanguageModel<float> model(c);
        model.initRandom(3);
        TrainConfig tc = smallTraining();
        tc.epochs = 1;
        Trainer<float> trainer(model, tc);
        trainer.run(corpus.train, corpus.valid);
        TokenizerOptions tok;
        tok.lowercase = true;
        tok.cjk = tied ? CjkSegmentation::Chars : CjkSegmentation::Words;
        tok.normalize = tied ? Normalization::Nfc : Normalization::Nfkc;
        const std::string path
            = tempPath(dir, tied ? "tied.safetensors" : "m.safetensors").toStdString();
        saveCheckpoint(path, model, corpus.vocab, tok);
        auto loaded = loadCheckpoint<float>(path);
        QCOMPARE(loaded.model->config().tied, tied);
        QCOMPARE(loaded.model->config().layers, 2);
        QCOMPARE(loaded.model->config().dropout, c.dropout);
        QVERIFY(loaded.tokenizer.lowercase);
        QCOMPARE(loaded.tokenizer.cjk, tok.cjk);
        QCOMPARE(loaded.tokenizer.normalize, tok.normalize);
        QCOMPARE(loaded.tokenizer.folding, CaseFolding::Full);
        QCOMPARE(loaded.vocab.words(), corpus.vocab.words());
        QCOMPARE(loaded.vocab.counts(), corpus.vocab.counts());
        const double a = evaluateLoss(model, corpus.valid, 1, 35);
        const double b = evaluateLoss(*loaded.model, corpus.valid, 1, 35);
        QCOMPARE(a, b); // bit-identical
        auto p1 = model.parameters(), p2 = loaded.model->parameters();
        QCOMPARE(p1.size(), p2.size());
        for (std::size_t k = 0; k < p1.size(); ++k)
            QVERIFY(*p1[k].value == *p2[k].value);
    }
}

void TestTraining::continuingARunIsExact_data()
{
    QTest::addColumn<bool>("adam");
    QTest::addColumn<QString>("how"); // memory, file, file without its state
    QTest::addColumn<int>("stopAt"); // windows before the break; -1: at the end of epoch 1
    QTest::addColumn<int>("cell"); // CellKind
    for (bool adam : { false, true })
        for (const char *how : { "memory", "file", "lost state" })
            for (int stopAt : { 13, -1 })
                QTest::addRow(
                    "%s %s %s", adam ? "adam" : "sgd", how, stopAt < 0 ? "epoch end" : "midway")
                    << adam << QString::fromLatin1(how) << stopAt << int(CellKind::Lstm);
    // A GRU has no cell state: its file holds the hidden state alone.
    for (bool adam : { false, true })
        QTest::addRow("%s file midway gru", adam ? "adam" : "sgd")
            << adam << QStringLiteral("file") << 13 << int(CellKind::Gru);
}

// Stopping and continuing (in memory, or through a saved file) gives the very run that never
// stopped: the same windows, dropout masks, learning rates, Adam moments and final weights.
void TestTraining::continuingARunIsExact()
{
    QFETCH(bool, adam);
    QFETCH(QString, how);
    QFETCH(int, stopAt);
    QFETCH(int, cell);
    const Corpus corpus = smallCorpus(10);
    const auto config = [&] {
        ModelConfig c = smallConfig(corpus.vocab.size());
        c.cell = static_cast<CellKind>(cell);
        return c;
    };
    TrainConfig tc = smallTraining();
    tc.epochs = 4;
    tc.clip = 0.5;
    if (adam) {
        tc.optimizer = OptimizerKind::Adam;
        tc.lr = 0.01;
    } else {
        tc.lr = 60; // large enough for the schedule to cut it
        tc.clip = 0.05;
    }
    struct Window
    {
        std::int64_t step;
        int epoch;
        double loss, lr;
    };
    auto record = [](std::vector<Window> &into, std::vector<double> &epochLr) {
        return [&into, &epochLr](const TrainEvent &e) {
            if (e.kind == TrainEvent::Kind::Window)
                into.push_back({ e.step, e.epoch, e.loss, e.lr });
            else
                epochLr.push_back(e.lr);
        };
    };

    LanguageModel<float> straight(config());
    straight.initRandom(4);
    std::vector<Window> all;
    std::vector<double> allEpochLr;
    Trainer<float> once(straight, tc);
    const TrainResult whole = once.run(corpus.train, corpus.valid, record(all, allEpochLr));
    QCOMPARE(whole.epochsCompleted, 4);
    const std::int64_t perEpoch = static_cast<std::int64_t>(all.size()) / 4;
    const std::int64_t k = stopAt < 0 ? perEpoch : stopAt;

    LanguageModel<float> first(config());
    first.initRandom(4);
    std::vector<Window> parts;
    std::vector<double> partsEpochLr;
    TrainConfig firstPart = tc;
    firstPart.maxSteps = k;
    Trainer<float> before(first, firstPart);
    before.run(corpus.train, corpus.valid, record(parts, partsEpochLr));
    QCOMPARE(static_cast<std::int64_t>(parts.size()), k);
    TrainState<float> state = before.takeState();
    QCOMPARE(state.step, k);

    LanguageModel<float> *model = &first;
    std::unique_ptr<LanguageModel<float>> reopened;
    bool exact = true;
    if (how != QLatin1String("memory")) {
        QTemporaryDir dir;
        const std::string path = tempPath(dir, "run.safetensors").toStdString();
        saveTrainingCheckpoint(path, first, corpus.vocab, {}, state, firstPart);
        // Only Adam's moments and a midway recurrent state need a state file.
        const bool needsState = adam || stopAt >= 0;
        QCOMPARE(QFileInfo::exists(QString::fromStdString(trainStatePath(path))), needsState);
        if (needsState && stopAt >= 0) {
            // The recurrent state: h for every cell, c for an LSTM only.
            const SafeTensorsReader side(trainStatePath(path));
            QVERIFY(side.find("hidden.h_l0"));
            QCOMPARE(side.find("hidden.c_l0") != nullptr, cell == int(CellKind::Lstm));
        }
        if (needsState) {
            try {
                loadCheckpoint<float>(trainStatePath(path));
                QFAIL("a training state opened as a model");
            } catch (const Error &e) {
                QVERIFY2(QString(e.what()).contains("training state"), e.what());
            }
        }
        if (how == QLatin1String("lost state") && needsState)
            QVERIFY(QFile::remove(QString::fromStdString(trainStatePath(path))));
        auto ck = loadCheckpoint<float>(path);
        auto loaded = loadTrainState(path, ck.metadata, *ck.model);
        QVERIFY(loaded.state);
        QCOMPARE(loaded.state->step, k);
        QCOMPARE(loaded.config.optimizer, tc.optimizer);
        QCOMPARE(loaded.config.batch, tc.batch);
        exact = how == QLatin1String("file") || !needsState;
        QCOMPARE(loaded.notice.empty(), exact);
        state = std::move(*loaded.state);
        reopened = std::move(ck.model);
        model = reopened.get();
    }
    TrainConfig rest = tc;
    rest.epochs = tc.epochs - (state.epoch - 1);
    Trainer<float> after(*model, rest);
    after.resumeFrom(std::move(state));
    const TrainResult end = after.run(corpus.train, corpus.valid, record(parts, partsEpochLr));
    QVERIFY(end.notice.empty());
    QCOMPARE(end.epochsCompleted, 4);
    QCOMPARE(parts[static_cast<std::size_t>(k)].step, k + 1); // the count goes on
    if (!exact) {
        // The counters and the schedule go on; the numbers part from the straight run, and
        // without the recurrent state the interrupted epoch ends where it stopped.
        const std::int64_t skipped = stopAt < 0 ? 0 : perEpoch - k;
        QCOMPARE(end.steps, whole.steps - skipped);
        QCOMPARE(static_cast<std::int64_t>(parts.size()), end.steps);
        return;
    }
    QCOMPARE(end.steps, whole.steps);
    QCOMPARE(parts.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        QCOMPARE(parts[i].step, all[i].step);
        QCOMPARE(parts[i].epoch, all[i].epoch);
        QCOMPARE(parts[i].loss, all[i].loss); // bit for bit
        QCOMPARE(parts[i].lr, all[i].lr);
    }
    QCOMPARE(partsEpochLr.back(), allEpochLr.back());
    if (!adam && cell == int(CellKind::Lstm)) // the LSTM rows also cover the schedule
        QVERIFY2(allEpochLr.back() < tc.lr, "the schedule never cut the rate; raise tc.lr");
    auto p1 = straight.parameters(), p2 = model->parameters();
    for (std::size_t i = 0; i < p1.size(); ++i)
        QVERIFY2(*p1[i].value == *p2[i].value, p1[i].name.c_str());
    QCOMPARE(end.trainLoss, whole.trainLoss);
    QCOMPARE(end.validLoss, whole.validLoss);
}

// Settings changed before continuing: the run goes on from them and says how.
void TestTraining::continuingWithOtherSettings()
{
    const Corpus corpus = smallCorpus(20);
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(4);
    TrainConfig tc = smallTraining();
    tc.maxSteps = 10;
    Trainer<float> before(model, tc);
    before.run(corpus.train, corpus.valid);
    const TrainState<float> stopped = before.state();

    TrainConfig other = tc;
    other.lr = 0.5;
    Trainer<float> newRate(model, other);
    newRate.resumeFrom(stopped);
    std::vector<TrainEvent> events;
    TrainResult r = newRate.run(
        corpus.train, corpus.valid, [&](const TrainEvent &e) { events.push_back(e); });
    QVERIFY2(r.notice.find("learning rate is now 0.5") != std::string::npos, r.notice.c_str());
    QCOMPARE(events.front().step, std::int64_t(11));
    QCOMPARE(events.front().window, std::int64_t(11)); // the same epoch goes on
    QCOMPARE(events.front().lr, 0.5);

    other = tc;
    other.batch = 3;
    Trainer<float> newBatch(model, other);
    newBatch.resumeFrom(stopped);
    events.clear();
    r = newBatch.run(corpus.train, corpus.valid, [&](const TrainEvent &e) { events.push_back(e); });
    QVERIFY2(r.notice.find("goes on with epoch 2") != std::string::npos, r.notice.c_str());
    QCOMPARE(events.front().step, std::int64_t(11));
    QCOMPARE(events.front().epoch, 2);
    QCOMPARE(events.front().window, std::int64_t(1));

    other = tc;
    other.optimizer = OptimizerKind::Adam;
    other.lr = 0.01;
    Trainer<float> newOptimizer(model, other);
    newOptimizer.resumeFrom(stopped);
    r = newOptimizer.run(corpus.train, corpus.valid);
    QVERIFY2(r.notice.find("optimiser is now adam") != std::string::npos, r.notice.c_str());
    QCOMPARE(r.steps, std::int64_t(20));
    QCOMPARE(newOptimizer.state().adamStep, std::int64_t(10));
}

// The header names and shapes are those of word_language_model's RNNModel.state_dict().
void TestTraining::checkpointLayoutMatchesPyTorch()
{
    QTemporaryDir dir;
    ModelConfig c = smallConfig(12);
    c.embeddingDim = 6;
    c.hiddenSize = 7;
    LanguageModel<float> model(c);
    model.initRandom(1);
    const std::string path = tempPath(dir, "m.safetensors").toStdString();
    saveCheckpoint(path, model,
        Vocabulary::fromWords(
            { "<pad>", "<unk>", "<eos>", "a", "b", "c", "d", "e", "f", "g", "h", "i" }),
        {});
    SafeTensorsReader f(path);
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> want
        = { { "encoder.weight", { 12, 6 } }, { "rnn.weight_ih_l0", { 28, 6 } },
              { "rnn.weight_hh_l0", { 28, 7 } }, { "rnn.bias_ih_l0", { 28 } },
              { "rnn.bias_hh_l0", { 28 } }, { "rnn.weight_ih_l1", { 28, 7 } },
              { "rnn.weight_hh_l1", { 28, 7 } }, { "rnn.bias_ih_l1", { 28 } },
              { "rnn.bias_hh_l1", { 28 } }, { "decoder.weight", { 12, 7 } },
              { "decoder.bias", { 12 } } };
    QCOMPARE(f.tensors().size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(f.tensors()[i].name, want[i].first);
        QCOMPARE(f.tensors()[i].shape, want[i].second);
        QCOMPARE(f.tensors()[i].dtype, DType::F32);
    }
    // Row-major: row 4 of encoder.weight is the vector of word 4.
    std::vector<float> enc(12 * 6);
    f.read<float>("encoder.weight", enc.data(), enc.size());
    for (int k = 0; k < 6; ++k)
        QCOMPARE(enc[4 * 6 + k], model.encoder()(k, 4));
    std::vector<float> wih(28 * 6);
    f.read<float>("rnn.weight_ih_l0", wih.data(), wih.size());
    QCOMPARE(wih[9 * 6 + 2], model.layer(0)[LstmCell<float>::WeightIh](2, 9)); // PyTorch W_ih[9][2]
    QCOMPARE(f.metadata().at(MetaFormat), std::string(CheckpointFormat));
    // The settings name the cell; a file whose settings do not (older, or PyTorch's) is an LSTM.
    const std::string settings = f.metadata().at(MetaConfig);
    QVERIFY2(settings.find("\"cell\":\"lstm\"") != std::string::npos, settings.c_str());
    std::map<std::string, std::string> meta = f.metadata();
    meta[MetaConfig] = R"({"hidden_size":7,"tied":false})";
    std::vector<TensorToWrite> tensors;
    for (auto &p : model.parameters())
        tensors.push_back({ p.name, p.shape, DType::F32, p.value->data() });
    const std::string older = tempPath(dir, "older.safetensors").toStdString();
    writeSafeTensors(older, tensors, meta);
    const auto loaded = loadCheckpoint<float>(older);
    QVERIFY(loaded.model->config().cell == CellKind::Lstm);
    QCOMPARE(loaded.model->config().hiddenSize, 7);
}

void TestTraining::checkpointsOfEveryCell_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<int>("gates");
    QTest::newRow("lstm") << "lstm" << 4;
    QTest::newRow("gru") << "gru" << 3;
    QTest::newRow("rnn_tanh") << "rnn_tanh" << 1;
    QTest::newRow("rnn_relu") << "rnn_relu" << 1;
}

// A model of each cell names it in the settings and comes back as that cell with the same loss;
// the same tensors as PyTorch saves them (only the vocabulary added, no settings) load as what
// their shapes say: LSTM and GRU by their gate rows, a plain RNN only once its nonlinearity is
// named.
void TestTraining::checkpointsOfEveryCell()
{
    QFETCH(QString, cell);
    QFETCH(int, gates);
    QTemporaryDir dir;
    const Corpus corpus = smallCorpus(10);
    ModelConfig c = smallConfig(corpus.vocab.size());
    QVERIFY(parseCell(cell.toStdString(), c.cell));
    LanguageModel<float> model(c);
    model.initRandom(3);
    TrainConfig tc = smallTraining();
    tc.epochs = 1;
    Trainer<float> trainer(model, tc);
    const TrainResult r = trainer.run(corpus.train, corpus.valid);
    QVERIFY(!r.diverged);
    const std::string path = tempPath(dir, "m.safetensors").toStdString();
    saveCheckpoint(path, model, corpus.vocab, {});
    {
        SafeTensorsReader f(path);
        const std::string settings = f.metadata().at(MetaConfig);
        QVERIFY2(settings.find("\"cell\":\"" + cell.toStdString() + "\"") != std::string::npos,
            settings.c_str());
        QCOMPARE(f.find("rnn.weight_ih_l0")->shape, (std::vector<std::int64_t> { gates * 8, 8 }));
        QCOMPARE(f.find("rnn.weight_hh_l1")->shape, (std::vector<std::int64_t> { gates * 8, 8 }));
    }
    const double want = evaluateLoss(model, corpus.valid, 1, 35);
    auto loaded = loadCheckpoint<float>(path);
    QVERIFY(loaded.model->config().cell == c.cell);
    QCOMPARE(evaluateLoss(*loaded.model, corpus.valid, 1, 35), want);

    std::vector<TensorToWrite> tensors;
    for (auto &p : model.parameters())
        tensors.push_back({ p.name, p.shape, DType::F32, p.value->data() });
    std::string words = "[";
    for (const auto &w : corpus.vocab.words())
        words += (words.size() > 1 ? ",\"" : "\"") + w + "\"";
    words += "]";
    const std::string foreign = tempPath(dir, "pytorch.safetensors").toStdString();
    writeSafeTensors(foreign, tensors, { { MetaVocab, words } });
    if (gates == 1) {
        try {
            loadCheckpoint<float>(foreign);
            QFAIL("a plain RNN without its nonlinearity loaded");
        } catch (const Error &e) {
            QVERIFY2(
                QString::fromUtf8(e.what()).contains(QString::fromStdString(foreign)), e.what());
            QVERIFY2(
                std::string(e.what()).find("\"rnn_tanh\" or \"rnn_relu\"") != std::string::npos,
                e.what());
        }
        writeSafeTensors(foreign, tensors,
            { { MetaVocab, words }, { MetaConfig, "{\"cell\":\"" + cell.toStdString() + "\"}" } });
    }
    auto fromPyTorch = loadCheckpoint<float>(foreign);
    QVERIFY(fromPyTorch.model->config().cell == c.cell);
    QCOMPARE(evaluateLoss(*fromPyTorch.model, corpus.valid, 1, 35), want);
}

void TestTraining::corruptCheckpointsAreRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("truncated") << "truncated"
                               << "";
    QTest::newRow("not safetensors") << "text"
                                     << "";
    QTest::newRow("missing tensor") << "missing"
                                    << "rnn.bias_hh_l1";
    QTest::newRow("wrong shape") << "shape"
                                 << "decoder.bias";
    QTest::newRow("no vocabulary") << "novocab"
                                   << "vocabulary";
    QTest::newRow("vocabulary size mismatch") << "vocabsize"
                                              << "vocabulary has";
    QTest::newRow("NaN weights") << "nan"
                                 << "NaN";
    QTest::newRow("GRU tensors, settings say LSTM")
        << "gru"
        << "has shape [24, 8], but the metadata names the cell 'lstm' and an LSTM's is "
           "[4*hidden, hidden]; it looks like the file of a 'gru' model";
    QTest::newRow("LSTM tensors, settings say RNN")
        << "lstm as rnn"
        << "the metadata names the cell 'rnn_relu' and a plain RNN's is [hidden, hidden]; it "
           "looks like the file of a 'lstm' model";
    QTest::newRow("plain RNN tensors, no cell named")
        << "rnn"
        << "has shape [8, 8], which the cells 'rnn_tanh' or 'rnn_relu' share: say which with "
           "\"cell\": \"rnn_tanh\" or \"rnn_relu\" in the metadata 'embedlab.config'";
    QTest::newRow("no layer's shape") << "odd"
                                      << "it is no recurrent layer's shape";
    QTest::newRow("unknown cell") << "cell"
                                  << "unknown recurrent cell 'transformer'";
}

void TestTraining::corruptCheckpointsAreRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const std::string path = tempPath(dir, "bad.safetensors").toStdString();
    ModelConfig c = smallConfig(6);
    LanguageModel<float> model(c);
    model.initRandom(1);
    const Vocabulary vocab = Vocabulary::fromWords({ "<pad>", "<unk>", "<eos>", "x", "y", "z" });
    auto params = model.parameters();
    std::vector<TensorToWrite> tensors;
    for (auto &p : params)
        tensors.push_back({ p.name, p.shape, DType::F32, p.value->data() });
    std::map<std::string, std::string> meta = { { MetaFormat, CheckpointFormat },
        { MetaVocab, R"(["<pad>","<unk>","<eos>","x","y","z"])" } };
    std::vector<float> big(1000, 0.f);
    if (kind == "truncated") {
        saveCheckpoint(path, model, vocab, {});
        const std::string bytes = readFile(path);
        writeFileAtomically(path, std::string_view(bytes).substr(0, bytes.size() / 2));
    } else if (kind == "text") {
        writeFileAtomically(path, "this is a text file, not a model\n");
    } else {
        if (kind == "missing")
            tensors.erase(std::find_if(tensors.begin(), tensors.end(),
                [](auto &t) { return t.name == "rnn.bias_hh_l1"; }));
        if (kind == "shape")
            tensors.back().shape = { 5 };
        if (kind == "novocab")
            meta.erase(MetaVocab);
        if (kind == "vocabsize")
            meta[MetaVocab] = R"(["<pad>","<unk>","<eos>","x"])";
        if (kind == "nan")
            params[1].value->data()[3] = NAN;
        if (kind == "cell")
            meta[MetaConfig] = R"({"cell":"transformer"})";
        if (kind == "lstm as rnn")
            meta[MetaConfig] = R"({"cell":"rnn_relu"})";
        if (kind == "gru")
            meta[MetaConfig] = R"({"cell":"lstm"})";
        // The recurrent tensors' first dimension as another cell's (the data is only read after
        // the shapes are checked).
        const std::map<QString, int> gates = { { "gru", 3 }, { "rnn", 1 }, { "odd", 2 } };
        if (const auto g = gates.find(kind); g != gates.end())
            for (auto &t : tensors)
                if (t.name.rfind("rnn.", 0) == 0)
                    t.shape[0] = t.shape[0] / 4 * g->second;
        writeSafeTensors(path, tensors, meta);
    }
    try {
        loadCheckpoint<float>(path);
        QFAIL("corrupt checkpoint accepted");
    } catch (const Error &e) {
        const QString msg = QString::fromUtf8(e.what());
        QVERIFY2(msg.contains(QString::fromStdString(path)), e.what());
        QVERIFY2(msg.contains(expected), e.what());
    }
}

void TestTraining::failedSaveKeepsPreviousCheckpoint()
{
    QTemporaryDir dir;
    const Corpus corpus = smallCorpus(5);
    LanguageModel<float> model(smallConfig(corpus.vocab.size()));
    model.initRandom(1);
    const std::string path = tempPath(dir, "m.safetensors").toStdString();
    saveCheckpoint(path, model, corpus.vocab, {});
    const std::string before = readFile(path);
    // A vocabulary that does not fit the model: the save fails before touching the file.
    QVERIFY_THROWS_EXCEPTION(Error, saveCheckpoint(path, model, Vocabulary(), {}));
    QCOMPARE(readFile(path), before);
    // Into a directory that does not exist: an error naming the path, nothing written.
    const std::string missingDir = tempPath(dir, "no/such/dir/m.safetensors").toStdString();
    try {
        saveCheckpoint(missingDir, model, corpus.vocab, {});
        QFAIL("save into a missing directory succeeded");
    } catch (const Error &e) {
        QVERIFY2(
            QString::fromUtf8(e.what()).contains(QString::fromStdString(missingDir)), e.what());
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { "m.safetensors" });

    // The disk fills up in the middle of the write (the file-size limit makes write() fail with
    // EFBIG, as a full disk fails with ENOSPC): an error naming the file, the old one intact.
    QString message;
    {
        const FileSizeLimit full(4096);
        QVERIFY(full.active());
        try {
            saveCheckpoint(path, model, corpus.vocab, {});
        } catch (const Error &e) {
            message = QString::fromUtf8(e.what());
        }
    }
    QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("too large")), qPrintable(message));
    QCOMPARE(readFile(path), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { "m.safetensors" });
}

QTEST_GUILESS_MAIN(TestTraining)
#include "tst_training.moc"
