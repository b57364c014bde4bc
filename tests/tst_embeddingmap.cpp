// The embedding map over a run's recorded steps: the step asked for is projected first and the
// others outward from it in the background, a projected step shows without waiting, successive
// frames are aligned so that nothing flips, and chosen words leave trails over the steps shown.
#include <QtTest>

#include <QSignalSpy>

#include <qcustomplot.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <random>
#include <vector>

#include "ui/embeddingmap.h"

using namespace embedlab;

namespace {

constexpr int Words = 300, Dim = 12;

// A table that changes little from step to step, but whose two widest directions trade places
// at every other step: PCA then swaps its first two axes, so only the alignment of each frame
// to its neighbour keeps the words in place.
WordVectors tableAt(qint64 step)
{
    std::mt19937 base(7);
    std::normal_distribution<float> normal;
    const bool odd = (step / 10) % 2 == 1;
    const float scale[3] = { odd ? 2.9f : 3.0f, odd ? 3.0f : 2.9f, 1.0f };
    RowMatrixXf v(Words, Dim);
    for (int i = 0; i < Words; ++i)
        for (int j = 0; j < Dim; ++j)
            v(i, j) = normal(base);
    // Centred columns of one spread, so that the scales alone order the axes.
    v.rowwise() -= v.colwise().mean();
    for (int j = 0; j < Dim; ++j)
        v.col(j) *= (j < 3 ? scale[j] : 0.3f) / v.col(j).norm() * std::sqrt(float(Words));
    std::mt19937 drift(static_cast<unsigned>(step) + 1);
    for (int i = 0; i < Words; ++i)
        for (int j = 0; j < Dim; ++j)
            v(i, j) += 0.02f * normal(drift);
    std::vector<std::string> words;
    std::vector<std::uint64_t> counts;
    for (int i = 0; i < Words; ++i) {
        words.push_back("w" + std::to_string(i));
        counts.push_back(static_cast<std::uint64_t>(Words - i));
    }
    return WordVectors(std::move(words), std::move(v), std::move(counts));
}

struct Loads
{
    std::mutex mutex;
    std::vector<qint64> order;
    std::atomic<int> count { 0 };
};

EmbeddingMap::StepLoader loaderOf(std::shared_ptr<Loads> loads, qint64 failing = -1)
{
    return [loads, failing](qint64 step) {
        {
            const std::lock_guard<std::mutex> lock(loads->mutex);
            loads->order.push_back(step);
        }
        ++loads->count;
        if (step == failing)
            throw std::runtime_error("step-" + std::to_string(step) + ".f16.zst: damaged");
        return tableAt(step);
    };
}

const QVector<qint64> Steps { 0, 10, 20, 30, 40, 50 };

} // namespace

class TestEmbeddingMap : public QObject
{
    Q_OBJECT

private slots:
    void theStepAskedForComesFirstThenTheRest();
    void framesAreAlignedAndTrailsFollowThem();
    void aProjectedStepShowsAtOnce();
    void anotherTableLeavesTheHistory();
    void aDamagedStepSaysSoAndTheOthersGoOn();
};

void TestEmbeddingMap::theStepAskedForComesFirstThenTheRest()
{
    EmbeddingMap map;
    auto loads = std::make_shared<Loads>();
    QSignalSpy tables(&map, &EmbeddingMap::historyTableAvailable);
    map.setHistory(QStringLiteral("run"), Steps, loaderOf(loads));
    map.showHistoryStep(30, QStringLiteral("run, step 30"));
    QTRY_VERIFY_WITH_TIMEOUT(!tables.isEmpty(), 20000);
    QCOMPARE(tables.first().at(0).toLongLong(), 30);
    QCOMPARE(map.pointCount(), Words);
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()), 20000);
    const std::lock_guard<std::mutex> lock(loads->mutex);
    // Each step read once, the one asked for first, then outward from it: the nearest first.
    QCOMPARE(loads->order.size(), std::size_t(Steps.size()));
    QCOMPARE(loads->order.front(), qint64(30));
    QVERIFY(loads->order[1] == 20 || loads->order[1] == 40);
    QCOMPARE(tables.size(), 1); // the table of the step shown, once
}

void TestEmbeddingMap::framesAreAlignedAndTrailsFollowThem()
{
    EmbeddingMap map;
    auto loads = std::make_shared<Loads>();
    map.setHistory(QStringLiteral("run"), Steps, loaderOf(loads));
    map.showHistoryStep(50, QStringLiteral("run, step 50"));
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()), 20000);

    // Every word's trail has a point per step and moves little from one to the next, although
    // the table's first two principal axes swap every other step.
    double spread = 0, worstStep = 0;
    for (int i = 0; i < 50; ++i) {
        const QString w = QStringLiteral("w%1").arg(i);
        const QVector<QPointF> t = map.trail(w);
        QCOMPARE(t.size(), Steps.size());
        spread = std::max(spread, std::hypot(t.back().x(), t.back().y()));
        for (int s = 1; s < t.size(); ++s)
            worstStep
                = std::max(worstStep, std::hypot(t[s].x() - t[s - 1].x(), t[s].y() - t[s - 1].y()));
        // It ends where the word is shown.
        QCOMPARE(map.position(w), t.back());
    }
    QVERIFY2(worstStep < 0.05 * spread,
        qPrintable(QStringLiteral("a word jumped %1 on a map %2 wide").arg(worstStep).arg(spread)));

    // A trail is drawn for a chosen word, up to the step shown.
    const int before = map.plot()->plottableCount();
    QSignalSpy changed(&map, &EmbeddingMap::trailsChanged);
    map.setTrail(QStringLiteral("w3"), true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(map.trailWords(), QStringList { QStringLiteral("w3") });
    QCOMPARE(map.plot()->plottableCount(), before + 1);
    auto *curve = qobject_cast<QCPCurve *>(map.plot()->plottable(before));
    QVERIFY(curve);
    QCOMPARE(curve->dataCount(), int(Steps.size()));
    map.showHistoryStep(20, QStringLiteral("run, step 20"));
    QCOMPARE(map.trail(QStringLiteral("w3")).size(), 3);
    curve = qobject_cast<QCPCurve *>(map.plot()->plottable(before));
    QVERIFY(curve);
    QCOMPARE(curve->dataCount(), 3);
    map.setTrail(QStringLiteral("w3"), false);
    QCOMPARE(map.plot()->plottableCount(), before);
}

void TestEmbeddingMap::aProjectedStepShowsAtOnce()
{
    EmbeddingMap map;
    auto loads = std::make_shared<Loads>();
    map.setHistory(QStringLiteral("run"), Steps, loaderOf(loads));
    map.showHistoryStep(0, QStringLiteral("run, step 0"));
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()), 20000);
    const QVector<QPointF> t = map.trail(QStringLiteral("w5"));
    map.showHistoryStep(50, QStringLiteral("run, step 50"));
    const QVector<QPointF> full = map.trail(QStringLiteral("w5"));
    const int loaded = loads->count;
    // No event loop turn between: the frame is there already.
    QSignalSpy tables(&map, &EmbeddingMap::historyTableAvailable);
    map.showHistoryStep(10, QStringLiteral("run, step 10"));
    QCOMPARE(map.historyStep(), qint64(10));
    QCOMPARE(map.position(QStringLiteral("w5")), full[1]);
    QCOMPARE(tables.size(), 1); // its table is kept too
    QCOMPARE(tables.first().at(0).toLongLong(), 10);
    QCOMPARE(loads->count.load(), loaded);
    QCOMPARE(t.size(), 1);

    // The same run again (a live run's new step) keeps the frames and adds the step.
    QVector<qint64> more = Steps;
    more.push_back(60);
    map.setHistory(QStringLiteral("run"), more, loaderOf(loads));
    QCOMPARE(map.historyFramesReady(), int(Steps.size()));
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(more.size()), 20000);
    QCOMPARE(loads->count.load(), loaded + 1);
}

void TestEmbeddingMap::anotherTableLeavesTheHistory()
{
    EmbeddingMap map;
    auto loads = std::make_shared<Loads>();
    map.setHistory(QStringLiteral("run"), Steps, loaderOf(loads));
    map.showHistoryStep(20, QStringLiteral("run, step 20"));
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()), 20000);
    map.setTrail(QStringLiteral("w1"), true);
    const int withTrail = map.plot()->plottableCount();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(
        std::make_shared<const WordVectors>(tableAt(3)), QStringLiteral("imported"), false);
    QCOMPARE(map.historyStep(), qint64(-1));
    QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 20000);
    // Trails are of recorded steps: none on an imported table.
    QCOMPARE(map.plot()->plottableCount(), withTrail - 1);
    // Another run forgets the frames of the first.
    map.setHistory(QStringLiteral("other"), { 0, 5 }, loaderOf(loads));
    QCOMPARE(map.historyFramesReady(), 0);
    QCOMPARE(map.historyId(), QStringLiteral("other"));
}

void TestEmbeddingMap::aDamagedStepSaysSoAndTheOthersGoOn()
{
    EmbeddingMap map;
    auto loads = std::make_shared<Loads>();
    map.setHistory(QStringLiteral("run"), Steps, loaderOf(loads, 20));
    map.showHistoryStep(20, QStringLiteral("run, step 20"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (QLabel *l : map.findChildren<QLabel *>())
                if (l->text().contains(QStringLiteral("step-20.f16.zst: damaged")))
                    return true;
            return false;
        }(),
        20000);
    // The other steps are projected all the same, each read once; the damaged one is not retried.
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()) - 1, 20000);
    QTest::qWait(100);
    QCOMPARE(loads->count.load(), int(Steps.size()));
    QVERIFY(!map.isHistoryFrameReady(20));
}

QTEST_MAIN(TestEmbeddingMap)
#include "tst_embeddingmap.moc"
