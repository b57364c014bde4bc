// Tests of the nonlinear projections: t-SNE (core/tsne.h) on data whose answer is known, its
// determinism and its start from a previous frame; the projection-quality measures
// (core/projectionquality.h) against scikit-learn 1.2's trustworthiness
// (tests/data/projection/make_trustworthiness.py); the t-SNE row of projectionMethods().
#include <QtTest>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/corpus.h"
#include "core/customaxes.h"
#include "core/error.h"
#include "core/exactknn.h"
#include "core/projection.h"
#include "core/projectionquality.h"
#include "core/tsne.h"

using namespace embedlab;

namespace {

// `clusters` Gaussian clusters of `perCluster` points each in `dim` dimensions, centres far
// apart (distance ~ 10 * sqrt(2)), unit spread; point i belongs to cluster i % clusters.
RowMatrixXf gaussianClusters(int clusters, int perCluster, int dim, unsigned seed)
{
    std::mt19937 gen(seed);
    std::normal_distribution<float> normal(0, 1);
    RowMatrixXf centres(clusters, dim);
    centres.setZero();
    for (int c = 0; c < clusters; ++c)
        centres(c, c % dim) = 10;
    RowMatrixXf x(clusters * perCluster, dim);
    for (int i = 0; i < x.rows(); ++i)
        for (int a = 0; a < dim; ++a)
            x(i, a) = centres(i % clusters, a) + normal(gen);
    return x;
}

// The row nearest to row i on the map y (n, d), i excluded.
int nearestOnMap(const RowMatrixXf &y, int i)
{
    int best = -1;
    float bestD = 0;
    for (int j = 0; j < y.rows(); ++j) {
        if (j == i)
            continue;
        const float d = (y.row(j) - y.row(i)).squaredNorm();
        if (best < 0 || d < bestD) {
            best = j;
            bestD = d;
        }
    }
    return best;
}

double rmsRadius(const RowMatrixXf &y)
{
    const Eigen::RowVectorXf mean = y.colwise().mean();
    return std::sqrt((y.rowwise() - mean).rowwise().squaredNorm().mean());
}

struct TrustFixture
{
    RowMatrixXf x;
    std::vector<RowMatrixXf> maps;
    std::vector<std::vector<std::pair<int, double>>> expected; // per map: (k, sklearn's value)
};

TrustFixture readTrustFixture()
{
    std::ifstream in(EMBEDLAB_TEST_DATA "/projection/trustworthiness.txt");
    if (!in)
        throw Error("cannot open tests/data/projection/trustworthiness.txt");
    std::string line;
    std::getline(in, line); // comment
    int n = 0, dim = 0, d = 0;
    in >> n >> dim >> d;
    TrustFixture f;
    f.x.resize(n, dim);
    for (int i = 0; i < n; ++i)
        for (int a = 0; a < dim; ++a)
            in >> f.x(i, a);
    std::string word;
    while (in >> word) {
        if (word == "map") {
            f.maps.emplace_back(n, d);
            f.expected.emplace_back();
            for (int i = 0; i < n; ++i)
                for (int a = 0; a < d; ++a)
                    in >> f.maps.back()(i, a);
        } else {
            double v = 0;
            in >> v;
            f.expected.back().push_back({ std::stoi(word), v });
        }
    }
    return f;
}

} // namespace

class TestProjection : public QObject
{
    Q_OBJECT

private slots:
    void trustworthinessMatchesSklearn_data();
    void trustworthinessMatchesSklearn();
    void neighborhoodPreservationCounts();
    void qualityRejectsBadArguments();
    void sampledPreservationIsThePartialMean();

    void customAxesAreDotProducts();
    void customAxesParseWordsAndSigns();
    void customAxesNameWhatIsWrong();

    void nearestByBlocksEqualsBruteForce();
    void tsneIsDeterministic();
    void tsneKeepsClustersApart_data();
    void tsneKeepsClustersApart();
    void tsneKeepsNearDuplicatesTogether();
    void tsneFromInitialStaysClose();
    void tsneReportsProgressAndCancels();
    void tsneRejectsBadArguments();

    void tsneInProjectionTable();
};

void TestProjection::trustworthinessMatchesSklearn_data()
{
    QTest::addColumn<int>("map");
    QTest::addColumn<int>("k");
    const TrustFixture f = readTrustFixture();
    QCOMPARE(f.maps.size(), std::size_t(2));
    for (std::size_t m = 0; m < f.maps.size(); ++m)
        for (const auto &[k, v] : f.expected[m])
            QTest::addRow("map%d k=%d", int(m), k) << int(m) << k;
}

void TestProjection::trustworthinessMatchesSklearn()
{
    QFETCH(int, map);
    QFETCH(int, k);
    const TrustFixture f = readTrustFixture();
    double expected = -1;
    for (const auto &[kk, v] : f.expected[static_cast<std::size_t>(map)])
        if (kk == k)
            expected = v;
    const double t = trustworthiness(f.x, f.maps[static_cast<std::size_t>(map)], k);
    QVERIFY2(std::fabs(t - expected) < 1e-12,
        qPrintable(QString("%1 vs sklearn %2").arg(t, 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

void TestProjection::neighborhoodPreservationCounts()
{
    // Directions at angles 0.02 i^2 and a map at i^2: the same order of distances, no ties.
    const int n = 12;
    RowMatrixXf x(n, 2), y(n, 1);
    for (int i = 0; i < n; ++i) {
        const double angle = 0.02 * i * i;
        x(i, 0) = static_cast<float>(std::cos(angle));
        x(i, 1) = static_cast<float>(std::sin(angle));
        y(i, 0) = static_cast<float>(i * i);
    }
    QCOMPARE(neighborhoodPreservation(x, y, 1), 1.0);
    QCOMPARE(neighborhoodPreservation(x, y, 3), 1.0);
    QCOMPARE(trustworthiness(x, y, 3), 1.0);
    // Scale does not matter to cosine.
    RowMatrixXf scaled = x;
    scaled.row(3) *= 40;
    QCOMPARE(neighborhoodPreservation(scaled, y, 2), 1.0);
    // Swap the map positions of rows 0 and 11 (0 and 121): rows 0, 11 and 1 (whose nearest on
    // the map is now 11) lose their nearest neighbour; the others keep theirs.
    std::swap(y(0, 0), y(11, 0));
    QCOMPARE(neighborhoodPreservation(x, y, 1), 9.0 / 12.0);
}

void TestProjection::qualityRejectsBadArguments()
{
    RowMatrixXf x = RowMatrixXf::Random(10, 3), y = RowMatrixXf::Random(9, 2);
    QVERIFY_THROWS_EXCEPTION(Error, trustworthiness(x, y, 2));
    QVERIFY_THROWS_EXCEPTION(Error, neighborhoodPreservation(x, y, 2));
    y = RowMatrixXf::Random(10, 2);
    QVERIFY_THROWS_EXCEPTION(Error, trustworthiness(x, y, 5)); // k >= n / 2, as sklearn
    QVERIFY_THROWS_EXCEPTION(Error, neighborhoodPreservation(x, y, 10));
}

void TestProjection::nearestByBlocksEqualsBruteForce()
{
    // Small integers: every product is exact, so the brute force below scores alike, and the many
    // equal scores test the tie rule. 1,100 rows: two full blocks of 512 and a partial one.
    const Eigen::Index n = 1100, dim = 6;
    RowMatrixXf x(n, dim);
    std::uint64_t state = 12345;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        x.data()[i] = static_cast<float>(static_cast<int>((state >> 33) % 5) - 2);
    }
    x.row(700) = x.row(3); // exact duplicates across blocks
    const Eigen::VectorXf offset = x.rowwise().squaredNorm();
    const std::size_t keep = 20;
    const auto got = smallestByProduct(x, offset, -2.0f, keep, 1);
    QCOMPARE(got.size(), std::size_t(n) * keep);
    for (Eigen::Index i = 0; i < n; ++i) {
        std::vector<std::pair<float, int>> all;
        for (Eigen::Index j = 0; j < n; ++j)
            if (j != i)
                all.push_back({ offset(j) - 2 * x.row(i).dot(x.row(j)), static_cast<int>(j) });
        std::sort(all.begin(), all.end());
        all.resize(keep);
        const std::vector<std::pair<float, int>> row(
            got.begin() + i * keep, got.begin() + (i + 1) * keep); // smallest first
        QVERIFY2(row == all, qPrintable(QStringLiteral("row %1").arg(i)));
    }
    QVERIFY(smallestByProduct(x, offset, -2.0f, keep, 3) == got);
    // Row 3 finds its duplicate first.
    QCOMPARE(got[3 * keep].second, 700);
}

void TestProjection::tsneIsDeterministic()
{
    const RowMatrixXf x = gaussianClusters(4, 40, 10, 1);
    TsneOptions o;
    o.iterations = 400;
    o.threads = 1;
    const TsneResult a = tsne(x, o);
    const TsneResult b = tsne(x, o);
    QVERIFY(a.coords == b.coords);
    // Each point's forces are summed in a fixed order, so the thread count changes nothing.
    o.threads = 3;
    const TsneResult c = tsne(x, o);
    QVERIFY(a.coords == c.coords);
    QCOMPARE(a.klDivergence, c.klDivergence);
    // A random start follows the seed.
    o.randomInit = true;
    o.seed = 5;
    const TsneResult r1 = tsne(x, o), r2 = tsne(x, o);
    QVERIFY(r1.coords == r2.coords);
    o.seed = 6;
    const TsneResult r3 = tsne(x, o);
    QVERIFY(r1.coords != r3.coords);
}

void TestProjection::tsneKeepsClustersApart_data()
{
    QTest::addColumn<int>("dims");
    QTest::addRow("2d") << 2;
    QTest::addRow("3d") << 3;
}

void TestProjection::tsneKeepsClustersApart()
{
    QFETCH(int, dims);
    const int clusters = 5;
    const RowMatrixXf x = gaussianClusters(clusters, 40, 12, 2);
    TsneOptions o;
    o.dims = dims;
    const TsneResult r = tsne(x, o);
    QCOMPARE(r.coords.rows(), x.rows());
    QCOMPARE(r.coords.cols(), Eigen::Index(dims));
    QVERIFY(r.coords.allFinite());
    QCOMPARE(r.iterations, 1000);
    // Every point but at most one in a hundred has its nearest point on the map in its own
    // cluster (on 200 points a 3D run now and then throws one point clear of the rest, as the
    // same descent in sklearn does), and each cluster's median point lies nearer its own centre
    // than half the distance to the nearest other cluster's centre.
    int strays = 0;
    for (int i = 0; i < x.rows(); ++i)
        strays += nearestOnMap(r.coords, i) % clusters != i % clusters;
    QVERIFY2(strays <= x.rows() / 100, qPrintable(QString::number(strays)));
    const auto median = [](std::vector<float> v) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    std::vector<Eigen::VectorXf> centres(clusters);
    for (int c = 0; c < clusters; ++c) {
        Eigen::VectorXf centre(dims);
        for (int a = 0; a < dims; ++a) {
            std::vector<float> coords;
            for (int i = c; i < x.rows(); i += clusters)
                coords.push_back(r.coords(i, a));
            centre(a) = median(coords);
        }
        centres[static_cast<std::size_t>(c)] = centre;
    }
    for (int c = 0; c < clusters; ++c) {
        const Eigen::VectorXf &own = centres[static_cast<std::size_t>(c)];
        float nearestOther = std::numeric_limits<float>::max();
        for (int o = 0; o < clusters; ++o)
            if (o != c)
                nearestOther
                    = std::min(nearestOther, (own - centres[static_cast<std::size_t>(o)]).norm());
        std::vector<float> spread;
        for (int i = c; i < x.rows(); i += clusters)
            spread.push_back((r.coords.row(i).transpose() - own).norm());
        const float typical = median(spread);
        QVERIFY2(typical < nearestOther / 2,
            qPrintable(QStringLiteral("cluster %1: median %2 from its centre, %3 to the next")
                           .arg(c)
                           .arg(typical)
                           .arg(nearestOther)));
    }
    QVERIFY(trustworthiness(x, r.coords, 10) > 0.9);
}

void TestProjection::tsneKeepsNearDuplicatesTogether()
{
    // Rows 2m and 2m+1 differ by 1e-3 in a space where neighbours are ~1 apart.
    std::mt19937 gen(3);
    std::normal_distribution<float> normal(0, 1);
    const int pairs = 60;
    RowMatrixXf x(2 * pairs, 8);
    for (int m = 0; m < pairs; ++m)
        for (int a = 0; a < 8; ++a) {
            x(2 * m, a) = normal(gen);
            x(2 * m + 1, a) = x(2 * m, a) + 1e-3f * normal(gen);
        }
    const TsneResult r = tsne(x, {});
    for (int i = 0; i < x.rows(); ++i)
        QCOMPARE(nearestOnMap(r.coords, i), i ^ 1);
}

void TestProjection::tsneFromInitialStaysClose()
{
    RowMatrixXf x = gaussianClusters(4, 50, 10, 4);
    const TsneResult first = tsne(x, {});
    // The next frame of a training run: the rows move a little.
    std::mt19937 gen(9);
    std::normal_distribution<float> normal(0, 0.01f);
    for (Eigen::Index i = 0; i < x.size(); ++i)
        x.data()[i] += normal(gen);
    TsneOptions o;
    o.initial = first.coords;
    o.iterations = 100;
    const TsneResult next = tsne(x, o);
    const double radius = rmsRadius(first.coords);
    const double moved = std::sqrt((next.coords - first.coords).rowwise().squaredNorm().mean());
    QVERIFY2(moved < 0.1 * radius,
        qPrintable(QString("moved %1, map radius %2").arg(moved).arg(radius)));
    for (int i = 0; i < x.rows(); ++i)
        QCOMPARE(nearestOnMap(next.coords, i) % 4, i % 4);
}

void TestProjection::tsneReportsProgressAndCancels()
{
    const RowMatrixXf x = gaussianClusters(3, 20, 5, 5);
    std::vector<std::size_t> seen;
    TsneOptions o;
    o.iterations = 95;
    o.progress = [&](std::size_t done, std::size_t total, const RowMatrixXf &positions) {
        seen.push_back(done);
        if (total != 95 || positions.rows() != x.rows() || positions.cols() != 2)
            return false;
        return true;
    };
    TsneResult r = tsne(x, o);
    QVERIFY(!r.cancelled);
    const std::vector<std::size_t> expected = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 95 };
    QCOMPARE(seen, expected);
    seen.clear();
    o.iterations = 1000;
    o.progress = [&](std::size_t done, std::size_t, const RowMatrixXf &) {
        seen.push_back(done);
        return done < 30;
    };
    r = tsne(x, o);
    QVERIFY(r.cancelled);
    QCOMPARE(r.iterations, 30);
    QCOMPARE(seen.back(), std::size_t(30));
}

void TestProjection::tsneRejectsBadArguments()
{
    const RowMatrixXf x = gaussianClusters(2, 10, 4, 6);
    TsneOptions o;
    o.dims = 4;
    QVERIFY_THROWS_EXCEPTION(Error, tsne(x, o));
    o = {};
    o.perplexity = 20; // not below the 20 rows
    QVERIFY_THROWS_EXCEPTION(Error, tsne(x, o));
    o = {};
    o.initial = RowMatrixXf::Zero(19, 2);
    QVERIFY_THROWS_EXCEPTION(Error, tsne(x, o));
    QVERIFY_THROWS_EXCEPTION(Error, tsne(x.topRows(1), {}));
    RowMatrixXf bad = x;
    bad(3, 1) = std::nanf("");
    QVERIFY_THROWS_EXCEPTION(Error, tsne(bad, {}));
}

void TestProjection::tsneInProjectionTable()
{
    const ProjectionMethod &m = projectionMethod("tsne");
    QCOMPARE(m.name, std::string("t-SNE"));
    QCOMPARE(m.axisPrefix, std::string("t-SNE "));
    RowMatrixXf x = gaussianClusters(3, 30, 6, 7);
    std::vector<std::string> words;
    for (int i = 0; i < x.rows(); ++i)
        words.push_back("w" + std::to_string(i));
    const WordVectors table(words, x);
    ProjectionRequest request;
    request.components = 3;
    request.rows = 60;
    const Projection p = m.project(table, request);
    QCOMPARE(p.coords.rows(), Eigen::Index(60));
    QCOMPARE(p.coords.cols(), Eigen::Index(3));
    QCOMPARE(p.axisShare.size(), Eigen::Index(0));
    // From the previous frame, as the map asks during training.
    request.components = 2;
    request.rows = 0;
    const Projection first = m.project(table, request);
    request.previous = first.coords;
    const Projection next = m.project(table, request);
    QCOMPARE(next.coords.rows(), x.rows());
    QVERIFY(std::sqrt((next.coords - first.coords).rowwise().squaredNorm().mean())
        < 0.1 * rmsRadius(first.coords));
    // A progress callback that says stop cancels.
    request.previous = {};
    RowMatrixXf seen;
    request.progress = [&seen](std::size_t done, std::size_t, const RowMatrixXf &positions) {
        seen = positions;
        return done < 20;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, m.project(table, request));
    QCOMPARE(seen.rows(), x.rows()); // the positions so far, for the map to draw
    QCOMPARE(seen.cols(), Eigen::Index(2));
    request.progress = {};
    request.components = 4;
    QVERIFY_THROWS_EXCEPTION(Error, m.project(table, request));
}

void TestProjection::sampledPreservationIsThePartialMean()
{
    const int n = 40;
    RowMatrixXf x = RowMatrixXf::Random(n, 5), y = RowMatrixXf::Random(n, 2);
    // Each query alone, and their mean, against the mean over all rows.
    std::vector<double> each;
    for (int i = 0; i < n; ++i)
        each.push_back(neighborhoodPreservation(x, y, 4, std::vector<int> { i }));
    double sum = 0;
    for (double e : each)
        sum += e;
    QCOMPARE(neighborhoodPreservation(x, y, 4), sum / n);
    const std::vector<int> some { 3, 7, 30 };
    QCOMPARE(neighborhoodPreservation(x, y, 4, some), (each[3] + each[7] + each[30]) / 3);
    // Each share is a count of the 4 neighbours.
    for (double e : each)
        QCOMPARE(std::round(e * 4), e * 4);
    QVERIFY_THROWS_EXCEPTION(Error, neighborhoodPreservation(x, y, 4, std::vector<int> { n }));
    QCOMPARE(neighborhoodPreservation(x, y, 4, std::vector<int> {}), 0.0);
}

namespace {

WordVectors smallTable()
{
    RowMatrixXf v(5, 3);
    v << 1, 0, 0, // man
        0, 1, 0, // woman
        2, 0, 1, // king
        0, 2, 1, // queen
        1, 1, 1; // well-known
    return WordVectors({ "man", "woman", "king", "queen", "well-known" }, v);
}

} // namespace

void TestProjection::customAxesAreDotProducts()
{
    const WordVectors table = smallTable();
    const ProjectionMethod &m = projectionMethod("custom");
    QVERIFY(!m.iterative);
    ProjectionRequest request;
    request.components = 2;
    request.axes = { "man - woman", "king + queen" };
    const Projection p = m.project(table, request);
    QCOMPARE(p.coords.rows(), Eigen::Index(5));
    QCOMPARE(p.coords.cols(), Eigen::Index(2));
    // Across: (1, -1, 0) / sqrt 2; up: (2, 2, 2) / sqrt 12.
    const Eigen::Vector3f across = Eigen::Vector3f(1, -1, 0).normalized();
    const Eigen::Vector3f up = Eigen::Vector3f(1, 1, 1).normalized();
    for (Eigen::Index i = 0; i < 5; ++i) {
        const Eigen::Vector3f row = table.vectors().row(i).transpose();
        QVERIFY(std::abs(p.coords(i, 0) - row.dot(across)) < 1e-6f);
        QVERIFY(std::abs(p.coords(i, 1) - row.dot(up)) < 1e-6f);
    }
    // man lies right of woman, queen above man.
    QVERIFY(p.coords(0, 0) > p.coords(1, 0));
    QVERIFY(p.coords(3, 1) > p.coords(0, 1));
    // Only the first rows, when asked.
    request.rows = 2;
    QCOMPARE(m.project(table, request).coords.rows(), Eigen::Index(2));
}

void TestProjection::customAxesParseWordsAndSigns()
{
    AxisDirection d = parseAxisDirection("  king - man + woman ");
    QCOMPARE(d.plus, (std::vector<std::string> { "king", "woman" }));
    QCOMPARE(d.minus, (std::vector<std::string> { "man" }));
    d = parseAxisDirection("- man");
    QVERIFY(d.plus.empty());
    QCOMPARE(d.minus, (std::vector<std::string> { "man" }));
    // A hyphen inside a word is part of it.
    d = parseAxisDirection("well-known");
    QCOMPARE(d.plus, (std::vector<std::string> { "well-known" }));
    const Eigen::VectorXf v = axisDirectionVector(smallTable(), d);
    QVERIFY(std::abs(v.norm() - 1) < 1e-6f);
}

void TestProjection::customAxesNameWhatIsWrong()
{
    const auto message = [](auto &&f) {
        try {
            f();
        } catch (const Error &e) {
            return QString::fromUtf8(e.what());
        }
        return QString();
    };
    QVERIFY(message([] { parseAxisDirection(""); }).contains("man - woman"));
    QVERIFY(message([] { parseAxisDirection("man -"); }).contains("ends with a sign"));
    QVERIFY(message([] { parseAxisDirection("man - + woman"); }).contains("two signs"));
    const WordVectors table = smallTable();
    const QString missing
        = message([&] { axisDirectionVector(table, parseAxisDirection("man - robot")); });
    QVERIFY2(missing.contains("\"robot\" is not in the vocabulary"), qPrintable(missing));
    const QString glued
        = message([&] { axisDirectionVector(table, parseAxisDirection("man-woman")); });
    QVERIFY2(glued.contains("spaces around the sign"), qPrintable(glued));
    QVERIFY(message([&] {
        axisDirectionVector(table, parseAxisDirection("man - man"));
    }).contains("zero"));
    ProjectionRequest request;
    request.components = 2;
    QVERIFY(message([&] {
        projectionMethod("custom").project(table, request);
    }).contains("direction in words"));
}

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
