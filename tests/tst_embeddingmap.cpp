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

#include <QLabel>
#include <QToolButton>

#include "ui/embeddingmap.h"

#include "maplabels.h"

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

QString infoText(const EmbeddingMap &map)
{
    QString all;
    for (QLabel *l : map.findChildren<QLabel *>())
        all += l->text() + QLatin1Char('\n');
    return all;
}

// n words on the unit circle of the first two dimensions (the rest zero), at distinct angles:
// their cosine neighbours are their neighbours along the circle, which PCA keeps exactly.
WordVectors circleTable(int n)
{
    RowMatrixXf v = RowMatrixXf::Zero(n, 6);
    std::vector<std::string> words;
    for (int i = 0; i < n; ++i) {
        const double a = 2 * M_PI * (i + 0.37 * std::sin(i)) / n;
        v(i, 0) = static_cast<float>(std::cos(a));
        v(i, 1) = static_cast<float>(std::sin(a));
        words.push_back("c" + std::to_string(i));
    }
    return WordVectors(std::move(words), std::move(v));
}

double rmsMove(const EmbeddingMap &map, const QVector<QPointF> &before, int n)
{
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        const QPointF d = map.position(QStringLiteral("w%1").arg(i)) - before[i];
        sum += d.x() * d.x() + d.y() * d.y();
    }
    return std::sqrt(sum / n);
}

double rmsRadius(const QVector<QPointF> &points)
{
    QPointF mean;
    for (const QPointF &p : points)
        mean += p / points.size();
    double sum = 0;
    for (const QPointF &p : points)
        sum += QPointF::dotProduct(p - mean, p - mean);
    return std::sqrt(sum / points.size());
}

QVector<QPointF> positions(const EmbeddingMap &map, int n)
{
    QVector<QPointF> out;
    for (int i = 0; i < n; ++i)
        out.append(map.position(QStringLiteral("w%1").arg(i)));
    return out;
}

// 400 words in a Gaussian cloud, and three far outliers ("the", ".", ","), the most frequent,
// as early in training.
WordVectors cloudWithOutliers()
{
    const int n = 403;
    std::mt19937 rng(11);
    std::normal_distribution<float> normal;
    RowMatrixXf v(n, 6);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < 6; ++j)
            v(i, j) = normal(rng);
    for (int i = 0; i < 3; ++i) {
        v.row(i).setZero();
        v(i, i % 2) = (i == 2 ? -40.0f : 40.0f);
    }
    std::vector<std::string> words { "the", ".", "," };
    std::vector<std::uint64_t> counts { 9000, 8000, 7000 };
    for (int i = 3; i < n; ++i) {
        words.push_back("w" + std::to_string(i));
        counts.push_back(static_cast<std::uint64_t>(n - i));
    }
    return WordVectors(std::move(words), std::move(v), std::move(counts));
}

QString outsideNote(const EmbeddingMap &map)
{
    for (int i = 0; i < map.plot()->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(map.plot()->item(i)))
            if (t->visible() && t->position->type() == QCPItemPosition::ptAxisRectRatio)
                return t->text();
    return {};
}

int shownPoints(const EmbeddingMap &map, const QStringList &words)
{
    const QCPRange x = map.plot()->xAxis->range(), y = map.plot()->yAxis->range();
    int in = 0;
    for (const QString &w : words) {
        const QPointF p = map.position(w);
        in += x.contains(p.x()) && y.contains(p.y());
    }
    return in;
}

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

    void eachMethodHasItsOwnWordLimit();
    void anIterativeMethodShowsProgressAndCancels();
    void threeDTurnsAboutTheCentre();
    void customAxesPlaceWordsByDotProducts();
    void preservationIsMeasuredOnTheMap();
    void aNonlinearMapStaysPutWhileTraining();
    void theTimelineReplaysANonlinearMap();

    void theFitLeavesOutliersOutAndNamesThem();
    void aWordInViewStaysWhereItIs();
    void nearbyLabelsTakeDifferentCorners();
    void labelsAreReadable();
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

void TestEmbeddingMap::eachMethodHasItsOwnWordLimit()
{
    EmbeddingMap map;
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(tableAt(0)), QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
    // PCA shows every row by default, and says so.
    QCOMPARE(map.maxPoints(), 0);
    QCOMPARE(map.pointCount(), Words);
    QVERIFY2(infoText(map).contains(QStringLiteral("all 300 words")), qPrintable(infoText(map)));
    // A limit the user sets is by frequency, and said under the map.
    map.setMaxPoints(100);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, 20000);
    QCOMPARE(map.pointCount(), 100);
    QVERIFY2(infoText(map).contains(QStringLiteral("the 100 most frequent of 300 words")),
        qPrintable(infoText(map)));
    QVERIFY(std::isnan(map.position(QStringLiteral("w150")).x()));
    // UMAP has its own limit (10,000 by default, all of these rows); PCA keeps its 100.
    map.setMethod(QStringLiteral("umap"));
    QCOMPARE(map.method(), QStringLiteral("umap"));
    QCOMPARE(map.maxPoints(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 3, 60000);
    QCOMPARE(map.pointCount(), Words);
    QVERIFY(map.plot()->xAxis->label().startsWith(QStringLiteral("UMAP 1")));
    map.setMethod(QStringLiteral("pca"));
    QCOMPARE(map.maxPoints(), 100);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 4, 20000);
    QCOMPARE(map.pointCount(), 100);
    // An unknown method changes nothing.
    map.setMethod(QStringLiteral("isomap"));
    QCOMPARE(map.method(), QStringLiteral("pca"));
}

void TestEmbeddingMap::anIterativeMethodShowsProgressAndCancels()
{
    // Enough rows that t-SNE's thousand iterations outlast the first report by far.
    const int n = 3000;
    RowMatrixXf v(n, 8);
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < 8; ++j)
            v(i, j) = normal(rng) + (j == i % 8 ? 6.0f : 0.0f);
    std::vector<std::string> words;
    for (int i = 0; i < n; ++i)
        words.push_back("w" + std::to_string(i));
    EmbeddingMap map;
    map.setMethod(QStringLiteral("tsne"));
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    QVector<int> done;
    int total = 0;
    connect(&map, &EmbeddingMap::projectionProgress, &map, [&](int d, int t) {
        if (t > 0 && done.isEmpty())
            map.cancelProjection(); // at the first report
        if (t > 0) {
            done.append(d);
            total = t;
        }
    });
    map.setTable(std::make_shared<const WordVectors>(std::move(words), std::move(v)),
        QStringLiteral("clusters"), false);
    QVERIFY(map.isProjecting());
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 120000);
    QVERIFY(!done.isEmpty());
    QCOMPARE(total, 1000);
    QVERIFY(done.first() < 1000);
    // The positions reached are shown, and the map says it is unfinished.
    QCOMPARE(map.pointCount(), n);
    QVERIFY(std::isfinite(map.position(QStringLiteral("w7")).x()));
    QVERIFY2(
        infoText(map).contains(QStringLiteral("stopped at iteration")), qPrintable(infoText(map)));
    QVERIFY(!map.isProjecting());
    // An unfinished map is no measure of the method.
    QVERIFY(std::isnan(map.neighborPreservation()));
    // The bar stays where it stopped, and its button runs the projection again.
    auto *button = map.findChild<QToolButton *>(QStringLiteral("mapCancel"));
    QVERIFY(button);
    QCOMPARE(button->text(), QStringLiteral("Run Again"));
    done.clear();
    button->click();
    QVERIFY(map.isProjecting());
    QCOMPARE(button->text(), QStringLiteral("Cancel"));
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, 120000); // cancelled again at its first report
    QVERIFY(!done.isEmpty());
    QCOMPARE(map.pointCount(), n);
}

void TestEmbeddingMap::threeDTurnsAboutTheCentre()
{
    EmbeddingMap map;
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(tableAt(0)), QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
    QVERIFY(std::isnan(map.depth(QStringLiteral("w5")))); // no depth in 2D
    const auto graphsWithPoints = [&map] {
        int graphs = 0;
        for (int i = 0; i < map.plot()->graphCount(); ++i)
            graphs += map.plot()->graph(i)->dataCount() > 0 ? 1 : 0;
        return graphs;
    };
    const int flat = graphsWithPoints(); // a graph per frequency band
    map.setDimensions(3);
    QCOMPARE(map.dimensions(), 3);
    const QString w = QStringLiteral("w5");
    const QPointF p = map.position(w);
    const double z = map.depth(w);
    QVERIFY(std::isfinite(z));
    // Points are drawn in layers by depth: the bands are split among them.
    QVERIFY(graphsWithPoints() > flat);
    // A quarter turn about the vertical axis: depth comes across, across goes into depth.
    map.rotate(M_PI / 2, 0);
    QVERIFY(std::abs(map.position(w).x() - z) < 1e-4);
    QVERIFY(std::abs(map.position(w).y() - p.y()) < 1e-4);
    QVERIFY(std::abs(map.depth(w) + p.x()) < 1e-4);
    // And back, then a quarter turn about the horizontal axis.
    map.rotate(-M_PI / 2, 0);
    QVERIFY(std::abs(map.position(w).x() - p.x()) < 1e-4);
    map.rotate(0, M_PI / 2);
    QVERIFY(std::abs(map.position(w).y() + z) < 1e-4);
    QVERIFY(std::abs(map.depth(w) - p.y()) < 1e-4);
    // Every turn keeps each word's distance from the centre.
    map.rotate(0.3, -1.1);
    const double r0 = std::sqrt(p.x() * p.x() + p.y() * p.y() + z * z);
    const QPointF q = map.position(w);
    const double r1 = std::sqrt(q.x() * q.x() + q.y() * q.y() + std::pow(map.depth(w), 2));
    QVERIFY(std::abs(r0 - r1) < 1e-4 * std::max(1.0, r0));
    // A 3D t-SNE places each word in three coordinates.
    map.setMethod(QStringLiteral("tsne"));
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, 120000);
    QCOMPARE(map.pointCount(), Words);
    QVERIFY(std::isfinite(map.depth(w)));
}

void TestEmbeddingMap::customAxesPlaceWordsByDotProducts()
{
    const WordVectors table = tableAt(0);
    EmbeddingMap map;
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(table), QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
    // Without directions the map asks for them.
    map.setMethod(QStringLiteral("custom"));
    QCOMPARE(map.pointCount(), 0);
    QVERIFY2(infoText(map).contains(QStringLiteral("Type a direction")), qPrintable(infoText(map)));
    map.setCustomAxes({ QStringLiteral("w1 - w2"), QStringLiteral("w3 + w4 - w5") });
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, 20000);
    const auto &v = table.vectors();
    const Eigen::VectorXf across = (v.row(1) - v.row(2)).transpose().normalized();
    const Eigen::VectorXf up = (v.row(3) + v.row(4) - v.row(5)).transpose().normalized();
    for (int i : { 0, 7, 123, 299 }) {
        const QPointF p = map.position(QStringLiteral("w%1").arg(i));
        QVERIFY(std::abs(p.x() - v.row(i).dot(across)) < 1e-4);
        QVERIFY(std::abs(p.y() - v.row(i).dot(up)) < 1e-4);
    }
    QCOMPARE(map.plot()->xAxis->label(), QStringLiteral("w1 - w2"));
    QCOMPARE(map.plot()->yAxis->label(), QStringLiteral("w3 + w4 - w5"));
    // A word the table lacks is named, and the map keeps what it showed.
    const QPointF kept = map.position(QStringLiteral("w7"));
    map.setCustomAxes({ QStringLiteral("w1 - robot"), QStringLiteral("w3") });
    QTRY_VERIFY_WITH_TIMEOUT(
        infoText(map).contains(QStringLiteral("\"robot\" is not in the vocabulary")), 20000);
    QCOMPARE(map.position(QStringLiteral("w7")), kept);
}

void TestEmbeddingMap::preservationIsMeasuredOnTheMap()
{
    EmbeddingMap map;
    QSignalSpy measured(&map, &EmbeddingMap::preservationMeasured);
    // Words on a circle: PCA keeps every word's neighbours.
    map.setTable(
        std::make_shared<const WordVectors>(circleTable(400)), QStringLiteral("circle"), false);
    QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 20000);
    QCOMPARE(map.neighborPreservation(), 1.0);
    QVERIFY2(
        infoText(map).contains(QStringLiteral("Neighbours kept: 100%")), qPrintable(infoText(map)));
    // Random directions in 12 dimensions: two axes keep few.
    map.setTable(std::make_shared<const WordVectors>(tableAt(0)), QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 2, 20000);
    QVERIFY(map.neighborPreservation() >= 0);
    QVERIFY(map.neighborPreservation() < 0.6);
}

void TestEmbeddingMap::aNonlinearMapStaysPutWhileTraining()
{
    EmbeddingMap map;
    map.setMethod(QStringLiteral("umap"));
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(tableAt(0)), QStringLiteral("live"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 60000);
    const QVector<QPointF> first = positions(map, Words);
    // The next step of training barely moves the table: its frame starts from the last one.
    map.setTable(std::make_shared<const WordVectors>(tableAt(1)), QStringLiteral("live"), true);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, 60000);
    const double moved = rmsMove(map, first, Words);
    // Not live (another table), the map is made afresh: the same table then gives the first map.
    map.setTable(std::make_shared<const WordVectors>(tableAt(0)), QStringLiteral("again"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 3, 60000);
    QCOMPARE(positions(map, Words), first);
    // Made afresh, the second table's map is another picture: its words move by about the map's
    // radius. (How far exactly depends on rounding in the neighbour search, which differs between
    // BLAS kernels, hence the generous bounds.)
    map.setTable(std::make_shared<const WordVectors>(tableAt(1)), QStringLiteral("fresh"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 4, 60000);
    const double fresh = rmsMove(map, first, Words);
    QVERIFY2(moved < 0.2 * rmsRadius(first) && moved < 0.25 * fresh,
        qPrintable(QStringLiteral("moved %1 on a map of radius %2; afresh %3")
                       .arg(moved)
                       .arg(rmsRadius(first))
                       .arg(fresh)));
}

void TestEmbeddingMap::theTimelineReplaysANonlinearMap()
{
    EmbeddingMap map;
    map.setMethod(QStringLiteral("tsne"));
    auto loads = std::make_shared<Loads>();
    map.setHistory(QStringLiteral("run"), Steps, loaderOf(loads));
    map.showHistoryStep(0, QStringLiteral("run, step 0"));
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()), 120000);
    map.showHistoryStep(50, QStringLiteral("run, step 50"));
    // Each step starts from its neighbour's frame: a word moves little from step to step.
    double worst = 0, radius = 0;
    for (int i = 0; i < 40; ++i) {
        const QVector<QPointF> t = map.trail(QStringLiteral("w%1").arg(i));
        QCOMPARE(t.size(), Steps.size());
        for (int s = 1; s < t.size(); ++s)
            worst = std::max(worst, std::hypot(t[s].x() - t[s - 1].x(), t[s].y() - t[s - 1].y()));
    }
    radius = rmsRadius(positions(map, Words));
    QVERIFY2(worst < 0.25 * radius,
        qPrintable(
            QStringLiteral("a word jumped %1 on a map of radius %2").arg(worst).arg(radius)));
    QVERIFY(map.plot()->xAxis->label().startsWith(QStringLiteral("t-SNE")));
    // Another method projects the steps again.
    map.setMethod(QStringLiteral("pca"));
    QCOMPARE(map.historyFramesReady(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(map.historyFramesReady(), int(Steps.size()), 20000);
    QVERIFY(map.plot()->xAxis->label().startsWith(QStringLiteral("PC1")));
}

QTEST_MAIN(TestEmbeddingMap)
// The fit takes in the bulk of the words (1st to 99th percentile), not the few far outliers,
// names those in the corner, and a double-click shows all, then the bulk again.
void TestEmbeddingMap::theFitLeavesOutliersOutAndNamesThem()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    const auto table = std::make_shared<const WordVectors>(cloudWithOutliers());
    map.setTable(table, QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
    map.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QStringList bulk, all;
    for (std::size_t i = 0; i < table->size(); ++i)
        (i < 3 ? all : bulk) << QString::fromStdString(table->word(i));
    all += bulk;
    const QStringList outside = map.wordsOutsideView();
    QVERIFY2(outside.size() >= 3 && outside.size() <= 8, qPrintable(outside.join(' ')));
    QCOMPARE(outside.mid(0, 3), (QStringList { "the", ".", "," })); // the most frequent first
    QCOMPARE(shownPoints(map, all), all.size() - outside.size());
    QVERIFY(shownPoints(map, bulk) >= bulk.size() - 5);
    // The cloud fills the view: its spread is a fair share of the range, not a dot in it.
    QVERIFY2(map.plot()->xAxis->range().size() < 20,
        qPrintable(QString::number(map.plot()->xAxis->range().size())));
    QVERIFY2(outsideNote(map).contains(QStringLiteral("outside the view: the . ,")),
        qPrintable(outsideNote(map)));

    const QPoint centre = map.plot()->axisRect()->rect().center();
    QTest::mouseDClick(map.plot(), Qt::LeftButton, {}, centre);
    QVERIFY(map.fitsAllWords());
    QVERIFY(map.wordsOutsideView().isEmpty());
    QCOMPARE(shownPoints(map, all), all.size());
    map.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY2(
        outsideNote(map).contains(QStringLiteral("All words shown")), qPrintable(outsideNote(map)));
    QTest::mouseDClick(map.plot(), Qt::LeftButton, {}, centre);
    QVERIFY(!map.fitsAllWords());
    QCOMPARE(map.wordsOutsideView(), outside);

    // Zoomed by the user, the note (about the fit) goes.
    QWheelEvent wheel(QPointF(centre), map.plot()->mapToGlobal(QPointF(centre)), {}, { 0, 120 },
        Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(map.plot(), &wheel);
    map.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(outsideNote(map), QString());
}

// Selecting a word in view (a click) moves nothing; one outside the view is brought to its centre.
void TestEmbeddingMap::aWordInViewStaysWhereItIs()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(
        std::make_shared<const WordVectors>(cloudWithOutliers()), QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
    map.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const QCPRange x = map.plot()->xAxis->range(), y = map.plot()->yAxis->range();
    // The bulk word nearest the centre of the view, clicked where it is drawn.
    QString inView;
    double best = 1e300;
    for (int i = 3; i < 403; ++i) {
        const QString w = QStringLiteral("w%1").arg(i);
        const QPointF p = map.position(w);
        const double d = std::hypot(p.x() - x.center(), p.y() - y.center());
        if (d < best) {
            best = d;
            inView = w;
        }
    }
    const QPointF at = map.position(inView);
    const QPoint pixel(qRound(map.plot()->xAxis->coordToPixel(at.x())),
        qRound(map.plot()->yAxis->coordToPixel(at.y())));
    QSignalSpy selected(&map, &EmbeddingMap::wordSelected);
    QTest::mouseClick(map.plot(), Qt::LeftButton, {}, pixel);
    QCOMPARE(map.selectedWord(), map.wordAt(QPointF(pixel)));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(map.plot()->xAxis->range(), x);
    QCOMPARE(map.plot()->yAxis->range(), y);

    map.selectWord(QStringLiteral("the"));
    const QPointF the = map.position(QStringLiteral("the"));
    QCOMPARE(map.plot()->xAxis->range().center(), the.x());
    QCOMPARE(map.plot()->yAxis->range().center(), the.y());
    QCOMPARE(map.plot()->xAxis->range().size(), x.size()); // the zoom kept
}

// Words drawn almost on one spot: the selection's labels take different corners, not one pile.
void TestEmbeddingMap::nearbyLabelsTakeDifferentCorners()
{
    const int n = 200;
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    RowMatrixXf v(n, 5);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < 5; ++j)
            v(i, j) = normal(rng);
    // Four near-duplicates, the nearest neighbours of one another.
    for (int i = 1; i < 4; ++i)
        v.row(i) = v.row(0) * (1.0f + 0.001f * i);
    std::vector<std::string> words;
    for (int i = 0; i < n; ++i)
        words.push_back("word" + std::to_string(i));
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    map.setLabelCount(0);
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(words, v), QStringLiteral("table"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
    map.selectWord(QStringLiteral("word0"));
    map.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QVector<QRectF> rects;
    for (int i = 0; i < map.plot()->itemCount(); ++i) {
        auto *t = qobject_cast<QCPItemText *>(map.plot()->item(i));
        if (t && t->visible()
            && QStringList({ "word0", "word1", "word2", "word3" }).contains(t->text()))
            rects.append(labelRect(t));
    }
    QCOMPARE(rects.size(), 4);
    const QRectF area = map.plot()->axisRect()->rect();
    for (int a = 0; a < 4; ++a) {
        QVERIFY(area.contains(rects[a]));
        for (int b = a + 1; b < 4; ++b)
            QVERIFY2(!rects[a].intersects(rects[b].adjusted(0.5, 0.5, -0.5, -0.5)),
                qPrintable(QStringLiteral("%1 %2: %3,%4 %5x%6 and %7,%8 %9x%10")
                               .arg(a)
                               .arg(b)
                               .arg(rects[a].x())
                               .arg(rects[a].y())
                               .arg(rects[a].width())
                               .arg(rects[a].height())
                               .arg(rects[b].x())
                               .arg(rects[b].y())
                               .arg(rects[b].width())
                               .arg(rects[b].height())));
    }
}

// Every label reads at WCAG's 4.5:1 on the map's background, in the light palette and the dark.
void TestEmbeddingMap::labelsAreReadable()
{
    for (const bool dark : { false, true }) {
        EmbeddingMap map;
        QPalette pal = map.palette();
        pal.setColor(QPalette::Base, dark ? QColor(0x1e, 0x1e, 0x1e) : QColor(Qt::white));
        pal.setColor(QPalette::Text, dark ? QColor(0xee, 0xee, 0xee) : QColor(Qt::black));
        map.setPalette(pal);
        map.resize(900, 700);
        map.show();
        map.setLabelCount(400);
        QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
        map.setTable(
            std::make_shared<const WordVectors>(tableAt(0)), QStringLiteral("table"), false);
        QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 20000);
        map.selectWord(QStringLiteral("w150"));
        map.plot()->replot(QCustomPlot::rpImmediateRefresh);
        int labels = 0;
        for (int i = 0; i < map.plot()->itemCount(); ++i) {
            auto *t = qobject_cast<QCPItemText *>(map.plot()->item(i));
            if (!t || !t->visible())
                continue;
            ++labels;
            QVERIFY2(contrastRatio(t->color(), pal.color(QPalette::Base)) >= 4.5,
                qPrintable(QStringLiteral("%1: %2").arg(t->text(), t->color().name())));
        }
        QVERIFY2(labels > 20, qPrintable(QString::number(labels)));
    }
    // The ratio is WCAG's: black on white 21, a colour on itself 1.
    QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white)), 21);
    QCOMPARE(contrastRatio(QColor(0xe6, 0x7e, 0x22), QColor(0xe6, 0x7e, 0x22)), 1.0);
}

#include "tst_embeddingmap.moc"
