// UMAP (core/umap.h): its pieces against umap-learn 0.5.3 (fixtures written by
// tests/data/umap/make_fixture.py), and the maps it makes of tables with a known structure.
#include <QtTest>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/projection.h"
#include "core/random.h"
#include "core/umap.h"

#include <nlohmann/json.hpp>

using namespace embedlab;

namespace {

nlohmann::json reference()
{
    std::ifstream in(EMBEDLAB_TEST_DATA "/umap/umap_reference.json");
    return nlohmann::json::parse(in);
}

double gaussian(Rng &rng)
{
    double u = rng.uniform();
    while (u <= 0)
        u = rng.uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * rng.uniform());
}

// `clusters` tight groups of `perCluster` rows around random directions in `dim` dimensions
// (cosine distance between groups ~1, within a group ~noise^2); labels give each row's group.
WordVectors clusteredTable(int clusters, int perCluster, int dim, double noise, std::uint64_t seed,
    std::vector<int> &labels)
{
    Rng rng(seed);
    Eigen::MatrixXd centres(clusters, dim);
    for (Eigen::Index i = 0; i < centres.size(); ++i)
        centres.data()[i] = gaussian(rng);
    centres.rowwise().normalize();
    const int n = clusters * perCluster;
    RowMatrixXf v(n, dim);
    std::vector<std::string> words;
    labels.clear();
    for (int i = 0; i < n; ++i) {
        const int c = i % clusters;
        labels.push_back(c);
        for (int d = 0; d < dim; ++d)
            v(i, d) = static_cast<float>(centres(c, d) + noise * gaussian(rng));
        words.push_back("w" + std::to_string(i));
    }
    return WordVectors(std::move(words), std::move(v));
}

int nearestInMap(const RowMatrixXf &y, int i)
{
    int best = -1;
    double bestD = 1e300;
    for (int j = 0; j < y.rows(); ++j) {
        if (j == i)
            continue;
        const double d = (y.row(i) - y.row(j)).squaredNorm();
        if (d < bestD) {
            bestD = d;
            best = j;
        }
    }
    return best;
}

void checkClustersApart(const RowMatrixXf &y, const std::vector<int> &labels, int clusters)
{
    for (int i = 0; i < y.rows(); ++i) {
        const int j = nearestInMap(y, i);
        if (labels[static_cast<std::size_t>(j)] != labels[static_cast<std::size_t>(i)])
            QFAIL(
                qPrintable(QStringLiteral("row %1's nearest map neighbour %2 is in another cluster")
                               .arg(i)
                               .arg(j)));
    }
    std::vector<Eigen::VectorXd> centroid(
        static_cast<std::size_t>(clusters), Eigen::VectorXd::Zero(y.cols()));
    std::vector<int> count(static_cast<std::size_t>(clusters), 0);
    for (int i = 0; i < y.rows(); ++i) {
        centroid[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])]
            += y.row(i).transpose().cast<double>();
        ++count[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])];
    }
    for (int c = 0; c < clusters; ++c)
        centroid[static_cast<std::size_t>(c)] /= count[static_cast<std::size_t>(c)];
    double spread = 0; // largest RMS radius of a cluster
    for (int c = 0; c < clusters; ++c) {
        double s = 0;
        for (int i = 0; i < y.rows(); ++i)
            if (labels[static_cast<std::size_t>(i)] == c)
                s += (y.row(i).transpose().cast<double>() - centroid[static_cast<std::size_t>(c)])
                         .squaredNorm();
        spread = std::max(spread, std::sqrt(s / count[static_cast<std::size_t>(c)]));
    }
    for (int c = 0; c < clusters; ++c)
        for (int d = c + 1; d < clusters; ++d) {
            const double gap
                = (centroid[static_cast<std::size_t>(c)] - centroid[static_cast<std::size_t>(d)])
                      .norm();
            QVERIFY2(gap > 3 * spread,
                qPrintable(QStringLiteral("clusters %1 and %2: centroids %3 apart, spread %4")
                               .arg(c)
                               .arg(d)
                               .arg(gap)
                               .arg(spread)));
        }
}

} // namespace

class TestUmap : public QObject
{
    Q_OBJECT

private slots:
    void abParams_data();
    void abParams();
    void exactNeighbours();
    void smoothKnnDistMatchesUmapLearn();
    void fuzzyGraphMatchesUmapLearn();
    void deterministicForASeed();
    void clustersStayApart();
    void nearDuplicatesLandTogether();
    void threeDimensions();
    void initialPositionsKeepTheMap();
    void progressSeesFramesAndCancels();
    void projectionTable();
    void badOptions();
};

void TestUmap::abParams_data()
{
    QTest::addColumn<double>("spread");
    QTest::addColumn<double>("minDist");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    const nlohmann::json ref = reference();
    for (const auto &row : ref["ab"]) {
        const std::string name = "spread " + std::to_string(row["spread"].get<double>())
            + " min_dist " + std::to_string(row["min_dist"].get<double>());
        QTest::newRow(name.c_str()) << row["spread"].get<double>() << row["min_dist"].get<double>()
                                    << row["a"].get<double>() << row["b"].get<double>();
    }
}

void TestUmap::abParams()
{
    QFETCH(double, spread);
    QFETCH(double, minDist);
    QFETCH(double, a);
    QFETCH(double, b);
    float ga = 0, gb = 0;
    findAbParams(static_cast<float>(spread), static_cast<float>(minDist), ga, gb);
    QVERIFY2(std::abs(ga - a) <= 1e-4 * a, qPrintable(QStringLiteral("a %1 vs %2").arg(ga).arg(a)));
    QVERIFY2(std::abs(gb - b) <= 1e-4 * b, qPrintable(QStringLiteral("b %1 vs %2").arg(gb).arg(b)));
}

void TestUmap::exactNeighbours()
{
    const nlohmann::json ref = reference();
    const int n = ref["n"], dim = ref["dim"], k = ref["k"];
    RowMatrixXf x(n, dim);
    const std::vector<double> xs = ref["x"];
    for (int i = 0; i < n * dim; ++i)
        x.data()[i] = static_cast<float>(xs[static_cast<std::size_t>(i)]);
    std::vector<int> idx;
    std::vector<float> dist;
    exactCosineKnn(x, k, idx, dist);
    const std::vector<int> refIdx = ref["knn_indices"];
    const std::vector<double> refDist = ref["knn_dists"];
    QCOMPARE(idx, refIdx);
    for (std::size_t i = 0; i < dist.size(); ++i)
        QVERIFY(std::abs(dist[i] - refDist[i]) < 1e-5);
}

void TestUmap::smoothKnnDistMatchesUmapLearn()
{
    const nlohmann::json ref = reference();
    const int n = ref["n"], k = ref["k"];
    const std::vector<double> d = ref["knn_dists"];
    const std::vector<float> dist(d.begin(), d.end());
    std::vector<float> sigmas, rhos;
    smoothKnnDist(dist, static_cast<std::size_t>(n), k, 1.0f, sigmas, rhos);
    const std::vector<double> refSigma = ref["sigmas"], refRho = ref["rhos"];
    for (int i = 0; i < n; ++i) {
        QVERIFY2(std::abs(rhos[static_cast<std::size_t>(i)] - refRho[static_cast<std::size_t>(i)])
                <= 1e-7,
            qPrintable(QStringLiteral("rho %1").arg(i)));
        QVERIFY2(
            std::abs(sigmas[static_cast<std::size_t>(i)] - refSigma[static_cast<std::size_t>(i)])
                <= 1e-5 * refSigma[static_cast<std::size_t>(i)],
            qPrintable(QStringLiteral("sigma %1: %2 vs %3")
                           .arg(i)
                           .arg(sigmas[static_cast<std::size_t>(i)])
                           .arg(refSigma[static_cast<std::size_t>(i)])));
    }
}

void TestUmap::fuzzyGraphMatchesUmapLearn()
{
    const nlohmann::json ref = reference();
    const int n = ref["n"], k = ref["k"];
    const std::vector<int> idx = ref["knn_indices"];
    const std::vector<double> d = ref["knn_dists"];
    const UmapGraph g = fuzzySimplicialSet(
        idx, std::vector<float>(d.begin(), d.end()), static_cast<std::size_t>(n), k, 1.0f, 1.0f);
    const std::vector<int> refRows = ref["graph_rows"], refCols = ref["graph_cols"];
    const std::vector<double> refW = ref["graph_weights"];
    std::vector<std::size_t> order(refRows.size()); // scipy's order to ours: by row, then col
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t p, std::size_t q) {
        return refRows[p] != refRows[q] ? refRows[p] < refRows[q] : refCols[p] < refCols[q];
    });
    std::vector<int> rows, cols;
    std::vector<double> w;
    for (std::size_t e : order) {
        rows.push_back(refRows[e]);
        cols.push_back(refCols[e]);
        w.push_back(refW[e]);
    }
    QCOMPARE(g.rows, rows);
    QCOMPARE(g.cols, cols);
    for (std::size_t e = 0; e < w.size(); ++e)
        QVERIFY2(std::abs(g.weights[e] - w[e]) <= 1e-5,
            qPrintable(QStringLiteral("edge %1: %2 vs %3").arg(e).arg(g.weights[e]).arg(w[e])));
}

void TestUmap::deterministicForASeed()
{
    std::vector<int> labels;
    const WordVectors t = clusteredTable(3, 60, 16, 0.2, 5, labels);
    UmapOptions o;
    o.epochs = 100;
    o.seed = 42;
    o.threads = 1;
    const UmapResult one = umap(t, o);
    o.threads = 3; // more chunks than this machine may have cores: the answer must not change
    const UmapResult three = umap(t, o);
    QVERIFY(one.coords == three.coords);
    // The SGD moves the same with AVX-512, AVX2 and portable code (whichever this CPU has).
    qputenv("EMBEDLAB_NO_AVX512", "1");
    const UmapResult avx2 = umap(t, o);
    qunsetenv("EMBEDLAB_NO_AVX512");
    QVERIFY(avx2.coords == one.coords);
    qputenv("EMBEDLAB_NO_AVX2", "1");
    const UmapResult portable = umap(t, o);
    qunsetenv("EMBEDLAB_NO_AVX2");
    QVERIFY(portable.coords == one.coords);
    o.seed = 43;
    const UmapResult other = umap(t, o);
    QVERIFY(!(other.coords == one.coords));
    QVERIFY(one.spectralInit);
    QCOMPARE(one.epochs, 100);
}

void TestUmap::clustersStayApart()
{
    std::vector<int> labels;
    const WordVectors t = clusteredTable(5, 80, 24, 0.15, 11, labels);
    UmapOptions o;
    o.seed = 3;
    const UmapResult r = umap(t, o);
    QCOMPARE(r.coords.rows(), 400);
    QCOMPARE(r.coords.cols(), 2);
    QCOMPARE(r.epochs, 500);
    QVERIFY(r.coords.allFinite());
    checkClustersApart(r.coords, labels, 5);
}

void TestUmap::nearDuplicatesLandTogether()
{
    std::vector<int> labels;
    WordVectors base = clusteredTable(3, 100, 20, 0.3, 21, labels);
    // Rows 300..329 are copies of rows 0..29 with a tiny change.
    RowMatrixXf v(330, 20);
    v.topRows(300) = base.vectors();
    Rng rng(9);
    std::vector<std::string> words = base.words();
    for (int i = 0; i < 30; ++i) {
        for (int d = 0; d < 20; ++d)
            v(300 + i, d) = base.vectors()(i, d) + static_cast<float>(1e-4 * gaussian(rng));
        words.push_back("dup" + std::to_string(i));
    }
    const WordVectors t(std::move(words), std::move(v));
    UmapOptions o;
    o.seed = 8;
    const UmapResult r = umap(t, o);
    const Eigen::VectorXf extent = r.coords.colwise().maxCoeff() - r.coords.colwise().minCoeff();
    for (int i = 0; i < 30; ++i) {
        const double d = (r.coords.row(i) - r.coords.row(300 + i)).norm();
        QVERIFY2(d < 0.02 * extent.norm(),
            qPrintable(QStringLiteral("row %1 and its copy are %2 apart (extent %3)")
                           .arg(i)
                           .arg(d)
                           .arg(extent.norm())));
    }
}

void TestUmap::threeDimensions()
{
    std::vector<int> labels;
    const WordVectors t = clusteredTable(4, 60, 16, 0.15, 13, labels);
    UmapOptions o;
    o.dims = 3;
    o.seed = 4;
    const UmapResult r = umap(t, o);
    QCOMPARE(r.coords.cols(), 3);
    QVERIFY(r.coords.allFinite());
    // The third axis is used, not flat.
    const Eigen::VectorXf extent = r.coords.colwise().maxCoeff() - r.coords.colwise().minCoeff();
    QVERIFY(extent[2] > 0.2 * extent.maxCoeff());
    checkClustersApart(r.coords, labels, 4);
}

void TestUmap::initialPositionsKeepTheMap()
{
    // Over several seeds, as one map's extent depends on where its clusters happen to land.
    std::vector<int> labels;
    const WordVectors t = clusteredTable(4, 80, 20, 0.3, 17, labels);
    double medianSum = 0, p95Sum = 0;
    const int seeds = 4;
    for (int seed = 1; seed <= seeds; ++seed) {
        UmapOptions o;
        o.seed = static_cast<std::uint64_t>(seed);
        const UmapResult first = umap(t, o);
        // A training step later: every vector moved a little.
        RowMatrixXf v = t.vectors();
        Rng rng(31);
        for (Eigen::Index i = 0; i < v.size(); ++i)
            v.data()[i] += static_cast<float>(0.003 * gaussian(rng));
        const WordVectors moved(t.words(), std::move(v));
        o.initial = first.coords;
        o.initialEpochs = 50;
        const UmapResult again = umap(moved, o);
        QCOMPARE(again.epochs, 50);
        const double extent
            = (first.coords.colwise().maxCoeff() - first.coords.colwise().minCoeff()).norm();
        std::vector<double> shift;
        for (Eigen::Index i = 0; i < first.coords.rows(); ++i)
            shift.push_back((again.coords.row(i) - first.coords.row(i)).norm());
        std::sort(shift.begin(), shift.end());
        medianSum += shift[shift.size() / 2] / extent;
        p95Sum += shift[shift.size() * 95 / 100] / extent;
    }
    const double median = medianSum / seeds, p95 = p95Sum / seeds;
    QVERIFY2(median < 0.03 && p95 < 0.08,
        qPrintable(QStringLiteral("median shift %1 of the extent, 95th percentile %2")
                       .arg(median)
                       .arg(p95)));
}

void TestUmap::progressSeesFramesAndCancels()
{
    std::vector<int> labels;
    const WordVectors t = clusteredTable(2, 40, 8, 0.2, 19, labels);
    UmapOptions o;
    o.epochs = 60;
    o.progressEvery = 20;
    std::vector<std::size_t> seen;
    o.progress = [&](std::size_t done, std::size_t total, const RowMatrixXf &frame) {
        seen.push_back(done);
        return total == 60 && frame.rows() == 80 && frame.cols() == 2;
    };
    const UmapResult full = umap(t, o);
    QCOMPARE(seen, (std::vector<std::size_t> { 20, 40, 60 }));
    QVERIFY(!full.cancelled);
    seen.clear();
    o.progress = [&](std::size_t done, std::size_t, const RowMatrixXf &) {
        seen.push_back(done);
        return false;
    };
    const UmapResult stopped = umap(t, o);
    QVERIFY(stopped.cancelled);
    QCOMPARE(stopped.epochs, 20);
    QCOMPARE(seen.size(), std::size_t(1));
    QCOMPARE(stopped.coords.rows(), 80);
}

void TestUmap::projectionTable()
{
    const ProjectionMethod &m = projectionMethod("umap");
    QCOMPARE(m.name, std::string("UMAP"));
    QCOMPARE(m.axisPrefix, std::string("UMAP "));
    std::vector<int> labels;
    const WordVectors t = clusteredTable(3, 50, 12, 0.2, 23, labels);
    ProjectionRequest request;
    request.components = 3;
    request.rows = 120;
    const Projection p = m.project(t, request);
    QCOMPARE(p.coords.rows(), 120);
    QCOMPARE(p.coords.cols(), 3);
    QCOMPARE(p.axisShare.size(), 0);
    request.previous = p.coords;
    const Projection next = m.project(t, request);
    QCOMPARE(next.coords.rows(), 120);
    request.components = 4;
    request.previous = RowMatrixXf();
    QVERIFY_THROWS_EXCEPTION(Error, m.project(t, request));
}

void TestUmap::badOptions()
{
    std::vector<int> labels;
    const WordVectors t = clusteredTable(2, 10, 4, 0.2, 29, labels);
    UmapOptions o;
    o.initial = RowMatrixXf::Zero(5, 2);
    QVERIFY_THROWS_EXCEPTION(Error, umap(t, o));
    o.initial = RowMatrixXf();
    o.minDist = 2.0f;
    QVERIFY_THROWS_EXCEPTION(Error, umap(t, o));
    const WordVectors one({ "a" }, RowMatrixXf::Ones(1, 4));
    QVERIFY_THROWS_EXCEPTION(Error, umap(one, UmapOptions()));
    // A row of NaN is refused, not mapped from garbage neighbours; rows past the limit don't
    // count.
    RowMatrixXf bad = t.vectors();
    bad(bad.rows() - 1, 1) = std::numeric_limits<float>::quiet_NaN();
    std::vector<std::string> words;
    for (Eigen::Index i = 0; i < bad.rows(); ++i)
        words.push_back("w" + std::to_string(i));
    const WordVectors withNan(words, bad);
    QVERIFY_THROWS_EXCEPTION(Error, umap(withNan, UmapOptions()));
    QCOMPARE(umap(withNan, UmapOptions(), 6).coords.rows(), 6);
    // Fewer rows than neighbours: k is capped.
    const UmapResult small = umap(t, UmapOptions(), 6);
    QCOMPARE(small.coords.rows(), 6);
    QVERIFY(small.coords.allFinite());
}

QTEST_APPLESS_MAIN(TestUmap)
#include "tst_umap.moc"
