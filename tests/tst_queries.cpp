// Tests of the queries over word vectors: neighbours, analogies and their evaluation, word-pair
// evaluation, multi-word most_similar, similarity and doesnt_match against gensim 4.2, PCA against
// scikit-learn, Procrustes alignment, the pruned scan against an exact one, "did you mean".
// Reference values: tests/golden/make_query_reference.py and make_pairs_reference.py, in
// tests/data/queries/.
#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/analogy.h"
#include "core/error.h"
#include "core/neighbors.h"
#include "core/parallel.h"
#include "core/pca.h"
#include "core/projection.h"
#include "core/utf8.h"
#include "core/vectors/vectors.h"
#include "core/wordlookup.h"
#include "core/wordpairs.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

std::string dataPath(const char *name)
{
    return std::string(EMBEDLAB_TEST_DATA "/queries/") + name;
}

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fileMessage(path, "cannot open the file"));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// GloVe text ("word v1 ... vD" per line): all the fixture needs, independent of the readers.
WordVectors readGlove(const std::string &path)
{
    std::istringstream in(readText(path));
    std::vector<std::string> words;
    std::vector<float> values;
    std::string line;
    int dim = -1;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string word;
        fields >> word;
        int count = 0;
        for (double v; fields >> v; ++count)
            values.push_back(static_cast<float>(v));
        if (dim < 0)
            dim = count;
        if (count != dim)
            throw Error(fileMessage(path, "ragged row", words.size() + 1));
        words.push_back(word);
    }
    RowMatrixXf m
        = Eigen::Map<RowMatrixXf>(values.data(), static_cast<Eigen::Index>(words.size()), dim);
    return WordVectors(std::move(words), std::move(m));
}

template <typename F> QString errorOf(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

Metric metricOf(const std::string &name)
{
    return name == "euclidean" ? Metric::Euclidean : Metric::Cosine;
}

AnalogyMethod methodOf(const std::string &name)
{
    return name == "mul" ? AnalogyMethod::Mul : AnalogyMethod::Add;
}

// Words and scores equal to the reference's: same words in the same order, scores to 1e-5.
void compareNeighbors(const std::vector<Neighbor> &got, const Json &expected)
{
    QStringList gotWords, expectedWords;
    for (const Neighbor &n : got)
        gotWords << QString::fromStdString(n.word);
    for (const Json &e : expected)
        expectedWords << QString::fromStdString(e[0].get<std::string>());
    QCOMPARE(gotWords, expectedWords);
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double want = expected[i][1].get<double>();
        if (std::abs(got[i].score - want) > 1e-5)
            QFAIL(qPrintable(QStringLiteral("%1: score %2, expected %3")
                                 .arg(QString::fromStdString(got[i].word))
                                 .arg(got[i].score, 0, 'g', 9)
                                 .arg(want, 0, 'g', 9)));
    }
}

// Largest difference from a gensim value seen by the tests that compare to 1e-6 (reported at the
// end of the run).
double g_maxGensimDiff = 0;

void compareToGensim(double got, double want, const char *what)
{
    const double diff = std::abs(got - want);
    g_maxGensimDiff = std::max(g_maxGensimDiff, diff);
    if (!(diff <= 1e-6))
        QFAIL(qPrintable(QStringLiteral("%1: %2, gensim %3")
                             .arg(QString::fromUtf8(what))
                             .arg(got, 0, 'g', 17)
                             .arg(want, 0, 'g', 17)));
}

// The same words in the same order as gensim's, scores to 1e-6.
void compareNeighborsExactly(const std::vector<Neighbor> &got, const Json &expected)
{
    QStringList gotWords, expectedWords;
    for (const Neighbor &n : got)
        gotWords << QString::fromStdString(n.word);
    for (const Json &e : expected)
        expectedWords << QString::fromStdString(e[0].get<std::string>());
    QCOMPARE(gotWords, expectedWords);
    for (std::size_t i = 0; i < got.size(); ++i)
        compareToGensim(got[i].score, expected[i][1].get<double>(), got[i].word.c_str());
}

std::vector<std::string> stringsOf(const Json &list)
{
    std::vector<std::string> out;
    for (const Json &w : list)
        out.push_back(w.get<std::string>());
    return out;
}

double maxAbsDiff(const Eigen::MatrixXd &a, const Eigen::MatrixXd &b)
{
    return (a - b).cwiseAbs().maxCoeff();
}

Eigen::MatrixXd matrixOf(const Json &rows)
{
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto m = n ? static_cast<Eigen::Index>(rows[0].size()) : 0;
    Eigen::MatrixXd out(n, m);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < m; ++j)
            out(i, j)
                = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].get<double>();
    return out;
}

Eigen::VectorXd vectorOf(const Json &values)
{
    Eigen::VectorXd out(static_cast<Eigen::Index>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
        out[static_cast<Eigen::Index>(i)] = values[i].get<double>();
    return out;
}

// Exact top k by brute force in double: (goodness desc, row asc). Kind: 0 cosine with query,
// 1 Euclidean to query, 2 3CosMul of rows a, b, c.
std::vector<int> bruteForce(const WordVectors &t, int kind, const Eigen::VectorXd &query,
    const int abc[3], int k, const std::vector<int> &exclude, std::size_t restrictTo)
{
    const RowMatrixXf &v = t.vectors();
    const std::size_t n = restrictTo ? std::min(restrictTo, t.size()) : t.size();
    const auto unit = [&](Eigen::Index r) {
        Eigen::VectorXd u = v.row(r).transpose().cast<double>();
        const double norm = u.norm();
        return norm > 0 ? Eigen::VectorXd(u / norm)
                        : Eigen::VectorXd(Eigen::VectorXd::Zero(u.size()));
    };
    Eigen::VectorXd q = query;
    if (kind == 0 && q.norm() > 0)
        q /= q.norm();
    std::vector<std::pair<double, int>> scored;
    for (std::size_t i = 0; i < n; ++i) {
        const int row = static_cast<int>(i);
        if (std::find(exclude.begin(), exclude.end(), row) != exclude.end())
            continue;
        const Eigen::VectorXd u = unit(row);
        double g;
        if (kind == 0) {
            g = u.dot(q);
        } else if (kind == 1) {
            g = -(v.row(row).transpose().cast<double>() - q).squaredNorm();
        } else {
            const auto p = [&](int j) { return (1 + u.dot(unit(abc[j]))) / 2; };
            g = p(1) * p(2) / (p(0) + 1e-6);
        }
        scored.emplace_back(-g, row);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<int> rows;
    for (std::size_t i = 0; i < scored.size() && static_cast<int>(i) < k; ++i)
        rows.push_back(scored[i].second);
    return rows;
}

std::vector<int> rowsOf(const std::vector<Neighbor> &neighbors)
{
    std::vector<int> rows;
    for (const Neighbor &n : neighbors)
        rows.push_back(n.row);
    return rows;
}

// Orthogonal k x k matrix: a rotation by `angle` in the plane of axes 0 and 1 (and of 1 and 2
// for k = 3), then a sign flip of axis `flip` (none if flip < 0).
Eigen::MatrixXf knownOrthogonal(int k, double angle, int flip)
{
    Eigen::MatrixXd q = Eigen::MatrixXd::Identity(k, k);
    for (int plane = 0; plane + 1 < k; ++plane) {
        Eigen::MatrixXd g = Eigen::MatrixXd::Identity(k, k);
        const double a = angle * (plane + 1);
        g(plane, plane) = std::cos(a);
        g(plane, plane + 1) = -std::sin(a);
        g(plane + 1, plane) = std::sin(a);
        g(plane + 1, plane + 1) = std::cos(a);
        q = q * g;
    }
    if (flip >= 0)
        q.col(flip) *= -1;
    return q.cast<float>();
}

} // namespace

class TestQueries : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void neighbors_data();
    void neighbors();
    void analogies_data();
    void analogies();
    void evaluation_data();
    void evaluation();
    void evaluationStops();
    void evaluationFileErrors();
    void upperCase();

    void prunedScanIsExact_data();
    void prunedScanIsExact();
    void zeroVectors();
    void smallK();
    void errors();
    void outOfVocabulary_data();
    void outOfVocabulary();
    void mixedQueriesWithNgramWords();

    void wordPairs_data();
    void wordPairs();
    void wordPairRanks();
    void wordPairCorrelations();
    void wordPairFileErrors_data();
    void wordPairFileErrors();
    void wordPairLines();
    void similarity();
    void doesntMatch();
    void mostSimilarWords_data();
    void mostSimilarWords();
    void mostSimilarErrors();
    void editDistance_data();
    void editDistance();
    void suggestions();

    void pca_data();
    void pca();
    void pcaLargeTable();
    void procrustes_data();
    void procrustes();
    void procrustesShapes();
    void projectionTable();

    void cleanupTestCase();

private:
    WordVectors m_table;
    std::unique_ptr<NeighborIndex> m_index;
    Json m_ref;
    WordVectors m_pairsTable;
    Json m_pairsRef;
};

void TestQueries::initTestCase()
{
    m_table = readGlove(dataPath("vectors.txt"));
    m_ref = Json::parse(readText(dataPath("reference.json")));
    QCOMPARE(static_cast<std::int64_t>(m_table.size()), m_ref.at("rows").get<std::int64_t>());
    QCOMPARE(static_cast<std::int64_t>(m_table.dim()), m_ref.at("dim").get<std::int64_t>());
    m_index = std::make_unique<NeighborIndex>(m_table);
    m_pairsTable = readGlove(dataPath("pairs_vectors.txt"));
    m_pairsRef = Json::parse(readText(dataPath("pairs.json")));
    QCOMPARE(static_cast<std::int64_t>(m_pairsTable.size()),
        m_pairsRef.at("pairs_rows").get<std::int64_t>());
}

void TestQueries::cleanupTestCase()
{
    qInfo("largest difference from gensim in the 1e-6 comparisons: %.3g", g_maxGensimDiff);
}

void TestQueries::cleanup()
{
    setThreadCount(0);
}

void TestQueries::neighbors_data()
{
    QTest::addColumn<int>("index");
    const Json &cases = m_ref.at("neighbors");
    for (std::size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << static_cast<int>(i);
}

void TestQueries::neighbors()
{
    QFETCH(int, index);
    const Json &c = m_ref.at("neighbors")[static_cast<std::size_t>(index)];
    const Metric metric = metricOf(c.at("metric").get<std::string>());
    const int k = static_cast<int>(c.at("k").get<std::int64_t>());
    const auto restrict = static_cast<std::size_t>(c.at("restrict").get<std::int64_t>());
    std::vector<Neighbor> got;
    if (c.at("kind").get<std::string>() == "word") {
        got = m_index->nearestToWord(c.at("word").get<std::string>(), k, metric, restrict);
    } else {
        const Eigen::VectorXf query = vectorOf(c.at("vector")).cast<float>();
        std::vector<int> exclude;
        for (const Json &e : c.at("exclude"))
            exclude.push_back(static_cast<int>(e.get<std::int64_t>()));
        got = m_index->nearest(query, k, metric, exclude, restrict);
    }
    compareNeighbors(got, c.at("result"));
    for (const Neighbor &n : got) {
        QCOMPARE(m_table.word(static_cast<std::size_t>(n.row)), n.word);
        if (restrict)
            QVERIFY(static_cast<std::size_t>(n.row) < restrict);
    }
}

void TestQueries::analogies_data()
{
    QTest::addColumn<int>("index");
    const Json &cases = m_ref.at("analogies");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Json &c = cases[i];
        const std::string name = c.at("method").get<std::string>() + " "
            + c.at("a").get<std::string>() + " : " + c.at("b").get<std::string>()
            + " :: " + c.at("c").get<std::string>() + " restrict "
            + std::to_string(c.at("restrict").get<std::int64_t>());
        QTest::newRow(name.c_str()) << static_cast<int>(i);
    }
}

void TestQueries::analogies()
{
    QFETCH(int, index);
    const Json &c = m_ref.at("analogies")[static_cast<std::size_t>(index)];
    const std::vector<Neighbor> got
        = m_index->analogy(c.at("a").get<std::string>(), c.at("b").get<std::string>(),
            c.at("c").get<std::string>(), static_cast<int>(c.at("k").get<std::int64_t>()),
            methodOf(c.at("method").get<std::string>()),
            static_cast<std::size_t>(c.at("restrict").get<std::int64_t>()));
    compareNeighbors(got, c.at("result"));
}

void TestQueries::evaluation_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("threads");
    const Json &cases = m_ref.at("evaluations");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Json &c = cases[i];
        for (int threads : { 1, 2 }) {
            const std::string name = c.at("method").get<std::string>() + " restrict "
                + std::to_string(c.at("restrict").get<std::int64_t>())
                + (c.at("case_insensitive").get<bool>() ? " case-insensitive" : " case-sensitive")
                + " threads " + std::to_string(threads);
            QTest::newRow(name.c_str()) << static_cast<int>(i) << threads;
        }
    }
}

void TestQueries::evaluation()
{
    QFETCH(int, index);
    QFETCH(int, threads);
    setThreadCount(threads);
    const Json &c = m_ref.at("evaluations")[static_cast<std::size_t>(index)];
    const AnalogyEvaluation ev = evaluateAnalogies(*m_index, dataPath("questions.txt"),
        methodOf(c.at("method").get<std::string>()),
        static_cast<std::size_t>(c.at("restrict").get<std::int64_t>()),
        c.at("case_insensitive").get<bool>());
    const auto compareSection = [](const AnalogySection &got, const Json &want) {
        QCOMPARE(QString::fromStdString(got.name),
            QString::fromStdString(want.at("name").get<std::string>()));
        QCOMPARE(got.correct, static_cast<int>(want.at("correct").get<std::int64_t>()));
        QCOMPARE(got.total, static_cast<int>(want.at("total").get<std::int64_t>()));
        QCOMPARE(got.skipped, static_cast<int>(want.at("skipped").get<std::int64_t>()));
    };
    const Json &sections = c.at("sections");
    QCOMPARE(ev.sections.size(), sections.size());
    for (std::size_t i = 0; i < sections.size(); ++i)
        compareSection(ev.sections[i], sections[i]);
    compareSection(ev.total, c.at("total"));
    QCOMPARE(ev.skipped, c.at("skipped").get<std::uint64_t>());
    QCOMPARE(ev.malformed, c.at("malformed").get<std::uint64_t>());
    QVERIFY(!ev.stopped);
}

void TestQueries::evaluationStops()
{
    std::vector<std::size_t> seen;
    std::size_t questions = 0;
    const AnalogyEvaluation ev = evaluateAnalogies(*m_index, dataPath("questions.txt"),
        AnalogyMethod::Add, 0, true, [&](std::size_t done, std::size_t total) {
            seen.push_back(done);
            questions = total;
            return done < 4;
        });
    QVERIFY(ev.stopped);
    QVERIFY(questions > 10);
    QCOMPARE(seen, (std::vector<std::size_t> { 1, 2, 3, 4 }));
    QCOMPARE(static_cast<std::uint64_t>(ev.total.total) + ev.skipped, std::uint64_t(4));
}

void TestQueries::evaluationFileErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string missing = dir.filePath("missing.txt").toStdString();
    QString message = errorOf([&] { evaluateAnalogies(*m_index, missing); });
    QVERIFY2(message.contains(QString::fromStdString(missing)), qPrintable(message));

    const std::string noSection = dir.filePath("nosection.txt").toStdString();
    std::ofstream(noSection) << "\n\nman king woman queen\n: family\nboy girl brother sister\n";
    message = errorOf([&] { evaluateAnalogies(*m_index, noSection); });
    QVERIFY2(message.contains(QString::fromStdString(noSection) + " line 3"), qPrintable(message));

    // A byte-order mark before the first section is skipped; an empty file has no questions.
    const std::string bom = dir.filePath("bom.txt").toStdString();
    std::ofstream(bom) << "\xEF\xBB\xBF: family\nman king woman queen\n";
    const AnalogyEvaluation ev = evaluateAnalogies(*m_index, bom);
    QCOMPARE(ev.sections.size(), std::size_t(1));
    QCOMPARE(ev.total.total, 1);
    const std::string empty = dir.filePath("empty.txt").toStdString();
    std::ofstream(empty).flush();
    QCOMPARE(evaluateAnalogies(*m_index, empty).total.total, 0);
}

void TestQueries::upperCase()
{
    // Python's str.upper() of every code point that it changes in the mapped ranges.
    const Json ref = Json::parse(readText(dataPath("upper.json")));
    std::map<char32_t, std::u32string> expected;
    for (const Json &e : ref.at("upper")) {
        std::u32string s;
        for (const Json &cp : e[1])
            s += static_cast<char32_t>(cp.get<std::int64_t>());
        expected[static_cast<char32_t>(e[0].get<std::int64_t>())] = s;
    }
    int checked = 0;
    for (const Json &range : ref.at("ranges")) {
        const auto end = static_cast<char32_t>(range[1].get<std::int64_t>());
        for (auto cp = static_cast<char32_t>(range[0].get<std::int64_t>()); cp < end; ++cp) {
            std::string in;
            appendUtf8(in, cp);
            const auto it = expected.find(cp);
            std::string want;
            for (char32_t c : it == expected.end() ? std::u32string(1, cp) : it->second)
                appendUtf8(want, c);
            if (upperCaseForMatching(in) != want)
                QFAIL(qPrintable(
                    QStringLiteral("U+%1").arg(static_cast<uint>(cp), 4, 16, QLatin1Char('0'))));
            ++checked;
        }
    }
    QCOMPARE(checked, 0x180 + 0x530 - 0x370);
    QCOMPARE(upperCaseForMatching("Zürich straße \u0390"),
        std::string("ZÜRICH STRASSE \u0399\u0308\u0301"));
    QCOMPARE(upperCaseForMatching("北京 ǅ"), std::string("北京 ǅ")); // outside the ranges
}

void TestQueries::prunedScanIsExact_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("restrict");
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("portable"); // the kernels without AVX2
    for (int threads : { 1, 2 })
        for (bool portable : { false, true })
            for (int kind : { 0, 1, 2 })
                for (int k : { 1, 10, 100 })
                    for (int restrict : { 0, 15001 }) {
                        if (portable && threads == 1)
                            continue;
                        const char *names[] = { "cosine", "euclidean", "3cosmul" };
                        const std::string name = std::string(names[kind]) + " k "
                            + std::to_string(k) + " restrict " + std::to_string(restrict)
                            + " threads " + std::to_string(threads) + (portable ? " portable" : "");
                        QTest::newRow(name.c_str()) << kind << k << restrict << threads << portable;
                    }
}

// A random table with clusters, duplicate rows (exact ties) and zero rows; 37 dims to exercise
// the padding. The int8 pass must never lose a row of the exact top k.
void TestQueries::prunedScanIsExact()
{
    QFETCH(int, kind);
    QFETCH(int, k);
    QFETCH(int, restrict);
    QFETCH(int, threads);
    QFETCH(bool, portable);
    setThreadCount(threads);
    const int n = 20000, dim = 37;
    std::mt19937 rng(12345);
    std::normal_distribution<float> normal;
    RowMatrixXf centres(50, dim);
    for (Eigen::Index i = 0; i < centres.size(); ++i)
        centres.data()[i] = normal(rng) * 2;
    RowMatrixXf v(n, dim);
    std::vector<std::string> words;
    for (int i = 0; i < n; ++i) {
        for (int d = 0; d < dim; ++d)
            v(i, d) = centres(i % 50, d) + normal(rng) * 0.7f;
        if (i % 997 == 5)
            v.row(i) = v.row(i - 5); // duplicate: ties broken by row
        if (i % 4999 == 3)
            v.row(i).setZero();
        words.push_back("w" + std::to_string(i));
    }
    const WordVectors table(words, v);
    if (portable)
        qputenv("EMBEDLAB_NO_AVX2", "1");
    const NeighborIndex index(table);
    qunsetenv("EMBEDLAB_NO_AVX2");
    for (int trial = 0; trial < 6; ++trial) {
        const int row = static_cast<int>(rng() % n);
        const int abc[3] = { static_cast<int>(rng() % n), static_cast<int>(rng() % n), row };
        std::vector<Neighbor> got;
        std::vector<int> expected;
        if (kind == 2) {
            got = index.analogy(abc[0], abc[1], abc[2], k, AnalogyMethod::Mul, restrict);
            expected = bruteForce(table, 2, {}, abc, k, { abc[0], abc[1], abc[2] }, restrict);
        } else {
            const Metric metric = kind == 0 ? Metric::Cosine : Metric::Euclidean;
            Eigen::VectorXf query = v.row(row).transpose();
            if (trial % 2)
                for (int d = 0; d < dim; ++d)
                    query[d] += normal(rng) * 0.5f;
            const std::vector<int> exclude = { row, (row + 1) % n };
            got = index.nearest(query, k, metric, exclude, restrict);
            expected = bruteForce(table, kind, query.cast<double>(), abc, k, exclude, restrict);
        }
        QCOMPARE(rowsOf(got), expected);
    }
}

void TestQueries::zeroVectors()
{
    RowMatrixXf v(4, 3);
    v << 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0;
    const WordVectors table({ "a", "zero", "b", "c" }, v);
    const NeighborIndex index(table);
    // A zero query has cosine 0 with every row: ties, by row.
    const std::vector<Neighbor> zero
        = index.nearest(Eigen::Vector3f::Zero(), 4, Metric::Cosine, { 2 });
    QCOMPARE(rowsOf(zero), (std::vector<int> { 0, 1, 3 }));
    for (const Neighbor &n : zero)
        QCOMPARE(n.score, 0.0f);
    // A zero row has cosine 0, and its distance is the query's norm.
    const std::vector<Neighbor> fromA = index.nearestToWord("a", 3, Metric::Cosine);
    QCOMPARE(rowsOf(fromA), (std::vector<int> { 3, 1, 2 }));
    QCOMPARE(fromA[0].score, static_cast<float>(std::sqrt(0.5)));
    const std::vector<Neighbor> near = index.nearestToWord("a", 3, Metric::Euclidean);
    QCOMPARE(rowsOf(near), (std::vector<int> { 1, 3, 2 }));
    QCOMPARE(near[0].score, 1.0f);
    QCOMPARE(near[1].score, 1.0f);
    QCOMPARE(near[2].score, static_cast<float>(std::sqrt(2.0)));
}

void TestQueries::smallK()
{
    QVERIFY(m_index->nearestToWord("king", 0, Metric::Cosine).empty());
    QVERIFY(m_index->nearestToWord("king", -3, Metric::Euclidean).empty());
    // More than there are rows: every other row, ranked; restrictTo beyond the table is the table.
    const auto all = m_index->nearestToWord("king", 1 << 20, Metric::Cosine, 1 << 30);
    QCOMPARE(all.size(), m_table.size() - 1);
    for (std::size_t i = 1; i < all.size(); ++i)
        QVERIFY(all[i - 1].score >= all[i].score);
    QCOMPARE(m_index->nearestToWord("king", 5, Metric::Cosine, 3).size(), std::size_t(3));
}

void TestQueries::errors()
{
    QCOMPARE(errorOf([&] { m_index->nearestToWord("no-such-word", 10, Metric::Cosine); }),
        QStringLiteral("word \"no-such-word\" is not in the vocabulary"));
    QCOMPARE(errorOf([&] { m_index->analogy("man", "king", "womann", 10); }),
        QStringLiteral("word \"womann\" is not in the vocabulary; did you mean \"woman\" or "
                       "\"women\"?"));
    QVERIFY(errorOf([&] {
        m_index->nearestToWord("King ", 10, Metric::Cosine);
    }).contains("not in the vocabulary"));
    QVERIFY(
        errorOf([&] { m_index->nearestToRow(-1, 10, Metric::Cosine); }).contains("out of range"));
    QVERIFY(errorOf([&] {
        m_index->analogy(0, 1, static_cast<int>(m_table.size()), 10, AnalogyMethod::Mul);
    }).contains("out of range"));
    QVERIFY(errorOf([&] {
        m_index->nearest(Eigen::VectorXf::Zero(3), 10, Metric::Cosine);
    }).contains("3 numbers"));
    Eigen::VectorXf nan = Eigen::VectorXf::Zero(m_table.dim());
    nan[2] = std::numeric_limits<float>::quiet_NaN();
    QVERIFY(errorOf([&] { m_index->nearest(nan, 10, Metric::Euclidean); }).contains("non-finite"));
    QVERIFY(errorOf([&] { embedlab::pca(m_table, 0); }).contains("0 components"));
    QVERIFY(errorOf([&] { embedlab::pca(m_table, m_table.dim() + 1); }).contains("components"));
    QVERIFY(errorOf([&] { embedlab::pca(m_table, 2, 1); }).contains("at least 2 rows"));
}

void TestQueries::wordPairs_data()
{
    QTest::addColumn<int>("index");
    const Json &cases = m_pairsRef.at("evaluations");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Json &c = cases[i];
        const std::string name = c.at("pairs").get<std::string>() + " restrict "
            + std::to_string(c.at("restrict").get<std::int64_t>())
            + (c.at("case_insensitive").get<bool>() ? " case-insensitive" : " case-sensitive");
        QTest::newRow(name.c_str()) << static_cast<int>(i);
    }
}

void TestQueries::wordPairs()
{
    QFETCH(int, index);
    const Json &c = m_pairsRef.at("evaluations")[static_cast<std::size_t>(index)];
    const std::string path = dataPath("pairs/") + c.at("pairs").get<std::string>();
    const auto restrict = static_cast<std::size_t>(c.at("restrict").get<std::int64_t>());
    const bool caseInsensitive = c.at("case_insensitive").get<bool>();
    if (c.contains("error")) {
        // gensim: "No valid similarity judgements found"
        QCOMPARE(c.at("error").get<std::string>(), std::string("no valid pairs"));
        const QString message
            = errorOf([&] { evaluateWordPairs(m_pairsTable, path, restrict, caseInsensitive); });
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": none of its "
                     + QString::number(c.at("oov").get<int>()) + " pairs"),
            qPrintable(message));
        return;
    }
    const WordPairEvaluation ev = evaluateWordPairs(m_pairsTable, path, restrict, caseInsensitive);
    QCOMPARE(static_cast<std::int64_t>(ev.pairs), c.at("used").get<std::int64_t>());
    QCOMPARE(static_cast<std::int64_t>(ev.oovPairs), c.at("oov").get<std::int64_t>());
    compareToGensim(ev.pearson, c.at("pearson").get<double>(), "pearson");
    compareToGensim(ev.spearman, c.at("spearman").get<double>(), "spearman");
    compareToGensim(ev.oovRatio, c.at("oov_ratio").get<double>(), "oov_ratio");
}

void TestQueries::wordPairRanks()
{
    for (const Json &c : m_pairsRef.at("ranks")) {
        std::vector<double> values;
        for (const Json &v : c.at("values"))
            values.push_back(v.get<double>());
        std::vector<double> expected;
        for (const Json &v : c.at("ranks"))
            expected.push_back(v.get<double>());
        QCOMPARE(averageRanks(values), expected);
    }
}

void TestQueries::wordPairCorrelations()
{
    const std::vector<double> x { 1, 2, 3, 4 }, y { 2, 4, 6, 8.5 };
    QVERIFY(pearsonCorrelation(x, y) > 0.99 && pearsonCorrelation(x, y) < 1);
    QCOMPARE(spearmanCorrelation(x, y), 1.0);
    QCOMPARE(spearmanCorrelation(x, { 8, 6, 4, 2 }), -1.0);
    // Undefined: fewer than two values, or a constant side (scipy answers NaN).
    QVERIFY(std::isnan(pearsonCorrelation({ 1 }, { 2 })));
    QVERIFY(std::isnan(pearsonCorrelation(x, { 3, 3, 3, 3 })));
    QVERIFY(std::isnan(spearmanCorrelation({ 5, 5, 5 }, { 1, 2, 3 })));
}

void TestQueries::wordPairFileErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("two fields") << QByteArray("king\tqueen\t8\nman\twoman\n")
                                << QStringLiteral(" line 2: expected 3 fields separated by tabs, "
                                                  "found 2; a line should be");
    QTest::newRow("spaces, not tabs")
        << QByteArray("# a comment\nking queen 8\n")
        << QStringLiteral(" line 2: expected 3 fields separated by tabs, found 1");
    QTest::newRow("four fields") << QByteArray("king\tqueen\t8\t9\n")
                                 << QStringLiteral(" line 1: expected 3 fields separated by tabs, "
                                                   "found 4");
    QTest::newRow("score not a number")
        << QByteArray("king\tqueen\t8\r\nman\twoman\thigh\r\n")
        << QStringLiteral(" line 2: the score \"high\" is not a finite number; a line should be "
                          "\"word<TAB>word<TAB>score\"");
    QTest::newRow("nan") << QByteArray("king\tqueen\tnan\n")
                         << QStringLiteral(" line 1: the score \"nan\" is not a finite number");
    QTest::newRow("empty score") << QByteArray("king\tqueen\t \n")
                                 << QStringLiteral(" line 1: the score \"\" is not");
    QTest::newRow("only comments")
        << QByteArray("# nothing\n\n") << QStringLiteral(": no word pairs; a line should be");
}

void TestQueries::wordPairFileErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("pairs.tsv").toStdString();
    std::ofstream(path, std::ios::binary) << text.toStdString();
    const QString message = errorOf([&] { evaluateWordPairs(m_pairsTable, path); });
    QVERIFY2(message.startsWith(QString::fromStdString(path) + error), qPrintable(message));

    const std::string missing = dir.filePath("missing.tsv").toStdString();
    QVERIFY(errorOf([&] {
        evaluateWordPairs(m_pairsTable, missing);
    }).startsWith(QString::fromStdString(missing) + ": cannot open"));
}

void TestQueries::wordPairLines()
{
    // Python's float(): spaces around the score, underscores between digits, a sign; a byte-order
    // mark, CRLF and blank lines; words are taken as they are, so "king " is unknown.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("pairs.tsv").toStdString();
    std::ofstream(path, std::ios::binary)
        << "\xEF\xBB\xBF# comment\r\nking\tqueen\t 1_0.5 \r\n\r\n   \nman\twoman\t+.5e1\n"
           "dog\tcat\t-1\nking \tqueen\t3\n#\n";
    const WordPairEvaluation ev = evaluateWordPairs(m_pairsTable, path, 0, false);
    QCOMPARE(ev.pairs, std::size_t(3));
    QCOMPARE(ev.oovPairs, std::size_t(1));
    QCOMPARE(ev.comments, std::size_t(2));
    QCOMPARE(ev.blankLines, std::size_t(2));
    QCOMPARE(ev.oovRatio, 25.0);
    // gold 10.5, 5, -1 against the cosines: the same order as computed here
    const NeighborIndex index(m_pairsTable);
    const std::vector<double> gold { 10.5, 5, -1 };
    const std::vector<double> cos { index.similarity("king", "queen"),
        index.similarity("man", "woman"), index.similarity("dog", "cat") };
    QCOMPARE(ev.pearson, pearsonCorrelation(gold, cos));
    QCOMPARE(ev.spearman, spearmanCorrelation(gold, cos));
}

void TestQueries::similarity()
{
    for (const Json &c : m_pairsRef.at("similarity")) {
        const std::string a = c.at("a").get<std::string>(), b = c.at("b").get<std::string>();
        compareToGensim(
            m_index->similarity(a, b), c.at("similarity").get<double>(), (a + " " + b).c_str());
        QCOMPARE(m_index->similarity(a, b), m_index->similarity(b, a));
    }
    QVERIFY(errorOf([&] {
        m_index->similarity("king", "kingg");
    }).startsWith("word \"kingg\" is not in the vocabulary; did you mean \"king\""));
}

void TestQueries::doesntMatch()
{
    for (const Json &c : m_pairsRef.at("doesnt_match")) {
        const std::vector<std::string> words = stringsOf(c.at("words"));
        const NeighborIndex::OddOneOut odd = m_index->doesntMatch(words);
        QCOMPARE(odd.word, c.at("result").get<std::string>());
        QCOMPARE(odd.ignored, stringsOf(c.at("ignored")));
        QCOMPARE(odd.ranked.size(), words.size() - odd.ignored.size());
        QCOMPARE(odd.ranked.back().word, odd.word);
        for (std::size_t i = 1; i < odd.ranked.size(); ++i)
            QVERIFY(odd.ranked[i - 1].score >= odd.ranked[i].score);
    }
    // Ties are broken by the word, as Python's sorted() of (score, word) pairs: "King" and "king"
    // have different vectors, but a word given twice ties with itself.
    const auto odd = m_index->doesntMatch({ "cat", "cat" });
    QCOMPARE(odd.word, std::string("cat"));
    QVERIFY(errorOf([&] {
        m_index->doesntMatch({ "zzyzx", "qqq" });
    }).contains("none of the words is in the vocabulary"));
}

void TestQueries::mostSimilarWords_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("threads");
    const Json &cases = m_pairsRef.at("most_similar");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Json &c = cases[i];
        std::string name = c.at("method").get<std::string>() + " +";
        for (const Json &w : c.at("positive"))
            name += " " + w.get<std::string>();
        name += " -";
        for (const Json &w : c.at("negative"))
            name += " " + w.get<std::string>();
        name += " restrict " + std::to_string(c.at("restrict").get<std::int64_t>());
        for (int threads : { 1, 2 })
            QTest::newRow((name + " threads " + std::to_string(threads)).c_str())
                << static_cast<int>(i) << threads;
    }
}

void TestQueries::mostSimilarWords()
{
    QFETCH(int, index);
    QFETCH(int, threads);
    setThreadCount(threads);
    const Json &c = m_pairsRef.at("most_similar")[static_cast<std::size_t>(index)];
    const auto restrict = static_cast<std::size_t>(c.at("restrict").get<std::int64_t>());
    const std::vector<Neighbor> got = m_index->mostSimilar(stringsOf(c.at("positive")),
        stringsOf(c.at("negative")), static_cast<int>(c.at("k").get<std::int64_t>()),
        methodOf(c.at("method").get<std::string>()), restrict);
    compareNeighborsExactly(got, c.at("result"));
    for (const Neighbor &n : got)
        QVERIFY(restrict == 0 || static_cast<std::size_t>(n.row) < restrict);
}

void TestQueries::mostSimilarErrors()
{
    QVERIFY(errorOf([&] {
        m_index->mostSimilar(std::vector<std::string> {}, {}, 5);
    }).contains("no words given"));
    QVERIFY(errorOf([&] {
        m_index->mostSimilar(std::vector<std::string> {}, { "king" }, 5, AnalogyMethod::Mul);
    }).contains("3CosMul needs at least one positive word"));
    QCOMPARE(errorOf([&] {
        m_index->mostSimilar(std::vector<std::string> { "king", "Elizabeth" }, {}, 5);
    }),
        QStringLiteral("word \"Elizabeth\" is not in the vocabulary"));
}

void TestQueries::editDistance_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("distance");
    QTest::newRow("same") << "king"
                          << "king" << 2 << 0;
    QTest::newRow("transposition") << "kign"
                                   << "king" << 2 << 1;
    QTest::newRow("insertion") << "womann"
                               << "woman" << 2 << 1;
    QTest::newRow("substitution and deletion") << "wemn"
                                               << "woman" << 2 << 2;
    QTest::newRow("optimal string alignment, not full Damerau") << "ca"
                                                                << "abc" << 5 << 3;
    QTest::newRow("kitten sitting") << "kitten"
                                    << "sitting" << 5 << 3;
    QTest::newRow("over the limit") << "kitten"
                                    << "sitting" << 2 << 3;
    QTest::newRow("length gap over the limit") << "a"
                                               << "abcd" << 2 << 3;
    QTest::newRow("code points, not bytes") << QStringLiteral("zürich") << "zurich" << 2 << 1;
    QTest::newRow("empty") << ""
                           << "ab" << 2 << 2;
}

void TestQueries::editDistance()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, limit);
    QFETCH(int, distance);
    const std::u32string x = decodeUtf8(a.toStdString()), y = decodeUtf8(b.toStdString());
    QCOMPARE(embedlab::editDistance(x, y, limit), distance);
    QCOMPARE(embedlab::editDistance(y, x, limit), distance);
}

void TestQueries::suggestions()
{
    // The same word in another case first (distance 0), in row order, then misspellings.
    const auto kingRow = m_table.find("king"), capitalRow = m_table.find("King");
    QVERIFY(kingRow >= 0 && kingRow < capitalRow);
    std::vector<std::string> s = spellingSuggestions(m_table, "KING");
    QVERIFY(s.size() >= 2);
    QCOMPARE(s[0], std::string("king"));
    QCOMPARE(s[1], std::string("King"));
    // "PARIS" comes before "paris" in the table.
    s = spellingSuggestions(m_table, "Paris");
    QVERIFY(s.size() >= 2);
    QCOMPARE(s[0], std::string("PARIS"));
    QCOMPARE(s[1], std::string("paris"));
    QCOMPARE(spellingSuggestions(m_table, "paris")[0], std::string("PARIS"));
    // ß and SS are the same upper-case form; ü is one code point.
    s = spellingSuggestions(m_table, QStringLiteral("ZÜRICH").toStdString());
    QCOMPARE(s[0], QStringLiteral("Zürich").toStdString());
    QVERIFY(std::find(s.begin(), s.end(), "zurich") != s.end());
    // A transposition is one edit; the word itself is never suggested.
    s = spellingSuggestions(m_table, "kign");
    QVERIFY(std::find(s.begin(), s.end(), "king") != s.end());
    s = spellingSuggestions(m_table, "king");
    QCOMPARE(s[0], std::string("King"));
    QVERIFY(std::find(s.begin(), s.end(), "king") == s.end());
    // At most five, and every one within the distance of the rule.
    s = spellingSuggestions(m_table, "thes");
    QVERIFY(!s.empty() && s.size() <= 5);
    for (const std::string &w : s)
        QVERIFY(embedlab::editDistance(decodeUtf8(upperCaseForMatching(w)), U"THES", 1) <= 1);
    QCOMPARE(spellingSuggestions(m_table, "thes", 2).size(), std::size_t(2));
    QVERIFY(spellingSuggestions(m_table, "qqqqqqqqqqqq").empty());
    // Short words allow one edit only: "xq" is two edits from "of", "to", ...
    QVERIFY(spellingSuggestions(m_table, "xq").empty());

    const QString message = QString::fromStdString(unknownWordMessage(m_table, "KING"));
    QVERIFY2(message.startsWith(QStringLiteral(
                 "word \"KING\" is not in the vocabulary; did you mean \"king\", \"King\", ")),
        qPrintable(message));
    QVERIFY2(message.endsWith("?"), qPrintable(message));
    QCOMPARE(QString::fromStdString(unknownWordMessage(m_table, "qqqqqqqqqqqq")),
        QStringLiteral("word \"qqqqqqqqqqqq\" is not in the vocabulary"));
    QCOMPARE(requireWord(m_table, "King"), capitalRow);
}

void TestQueries::pca_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("threads");
    const Json &cases = m_ref.at("pca");
    for (std::size_t i = 0; i < cases.size(); ++i)
        for (int threads : { 1, 2 }) {
            const std::string name = "k " + std::to_string(cases[i].at("k").get<std::int64_t>())
                + " restrict " + std::to_string(cases[i].at("restrict").get<std::int64_t>())
                + " threads " + std::to_string(threads);
            QTest::newRow(name.c_str()) << static_cast<int>(i) << threads;
        }
}

// Against scikit-learn's PCA(svd_solver="full") in float64: same signs (svd_flip), 1e-4.
void TestQueries::pca()
{
    QFETCH(int, index);
    QFETCH(int, threads);
    setThreadCount(threads);
    const Json &c = m_ref.at("pca")[static_cast<std::size_t>(index)];
    const int k = static_cast<int>(c.at("k").get<std::int64_t>());
    const auto restrict = static_cast<std::size_t>(c.at("restrict").get<std::int64_t>());
    const PcaResult r = embedlab::pca(m_table, k, restrict);
    const Eigen::MatrixXd coords = matrixOf(c.at("coords"));
    QCOMPARE(r.coords.rows(), coords.rows());
    QCOMPARE(r.coords.cols(), Eigen::Index(k));
    const double scale = coords.cwiseAbs().maxCoeff();
    QVERIFY2(maxAbsDiff(r.coords.cast<double>(), coords) < 1e-4 * scale,
        qPrintable(QString::number(maxAbsDiff(r.coords.cast<double>(), coords))));
    QVERIFY(
        maxAbsDiff(r.components.cast<double>(), matrixOf(c.at("components")).transpose()) < 1e-4);
    QVERIFY(maxAbsDiff(
                r.explainedVarianceRatio.cast<double>(), vectorOf(c.at("explained_variance_ratio")))
        < 1e-5);
    const Eigen::VectorXd variance = vectorOf(c.at("explained_variance"));
    QVERIFY(maxAbsDiff(r.explainedVariance.cast<double>(), variance) < 1e-4 * variance[0]);
    QVERIFY(maxAbsDiff(r.mean.cast<double>(), vectorOf(c.at("mean"))) < 1e-5);
    // Unit, orthogonal axes.
    const Eigen::MatrixXf gram = r.components.transpose() * r.components;
    QVERIFY((gram - Eigen::MatrixXf::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-5f);
}

// Blocks split over threads, a mean far from zero: the same as a double-precision computation
// on the centred table (eigenvectors of its covariance, scikit-learn's signs).
void TestQueries::pcaLargeTable()
{
    const int n = 30000, dim = 23, k = 4;
    std::mt19937 rng(4321);
    std::normal_distribution<float> normal;
    RowMatrixXf v(n, dim);
    for (int i = 0; i < n; ++i)
        for (int d = 0; d < dim; ++d)
            v(i, d) = 40.0f + normal(rng) * (1.0f + 0.3f * static_cast<float>(d % 7))
                + (d < 3 ? 2.0f * static_cast<float>(i % 5) : 0.0f);
    const WordVectors table(std::vector<std::string>(n, "w"), v);

    const Eigen::MatrixXd x = v.cast<double>();
    const Eigen::RowVectorXd mean = x.colwise().mean();
    const Eigen::MatrixXd centred = x.rowwise() - mean;
    const Eigen::MatrixXd cov = centred.transpose() * centred / (n - 1);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
    Eigen::MatrixXd axes = solver.eigenvectors().rightCols(k).rowwise().reverse();
    Eigen::MatrixXd coords = centred * axes;
    for (int j = 0; j < k; ++j) {
        Eigen::Index best;
        coords.col(j).cwiseAbs().maxCoeff(&best);
        if (coords(best, j) < 0) {
            coords.col(j) *= -1;
            axes.col(j) *= -1;
        }
    }
    const Eigen::VectorXd ratio = solver.eigenvalues().tail(k).reverse() / cov.trace();

    for (int threads : { 1, 2 }) {
        setThreadCount(threads);
        const PcaResult r = embedlab::pca(table, k);
        QVERIFY(maxAbsDiff(r.mean.cast<double>(), mean.transpose()) < 1e-4);
        QVERIFY(maxAbsDiff(r.explainedVarianceRatio.cast<double>(), ratio) < 1e-5);
        QVERIFY(maxAbsDiff(r.components.cast<double>(), axes) < 1e-4);
        QVERIFY(maxAbsDiff(r.coords.cast<double>(), coords) < 1e-4 * coords.cwiseAbs().maxCoeff());
    }
}

void TestQueries::procrustes_data()
{
    QTest::addColumn<int>("k");
    QTest::addColumn<double>("angle");
    QTest::addColumn<int>("flip");
    QTest::addColumn<double>("noise");
    QTest::newRow("2D rotation") << 2 << 0.7 << -1 << 0.0;
    QTest::newRow("2D rotation and flip") << 2 << 2.5 << 1 << 0.0;
    QTest::newRow("2D flip only") << 2 << 0.0 << 0 << 0.0;
    QTest::newRow("2D half turn, noisy") << 2 << 3.14159 << -1 << 0.01;
    QTest::newRow("3D rotation and flip") << 3 << -1.1 << 2 << 0.0;
    QTest::newRow("3D rotation and flip, noisy") << 3 << 0.4 << 0 << 0.01;
}

// A projection that came out rotated and reflected (as a new PCA frame may) is turned back.
void TestQueries::procrustes()
{
    QFETCH(int, k);
    QFETCH(double, angle);
    QFETCH(int, flip);
    QFETCH(double, noise);
    const RowMatrixXf previous = embedlab::pca(m_table, k).coords;
    const Eigen::MatrixXf q = knownOrthogonal(k, angle, flip);
    RowMatrixXf coords = previous * q;
    std::mt19937 rng(99);
    std::normal_distribution<float> normal(0.0f, static_cast<float>(noise));
    if (noise > 0)
        for (Eigen::Index i = 0; i < coords.size(); ++i)
            coords.data()[i] += normal(rng);
    const float before = (coords - previous).cwiseAbs().maxCoeff();
    const Eigen::MatrixXf r = alignProcrustes(coords, previous);
    QVERIFY((r.transpose() * r - Eigen::MatrixXf::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-5f);
    const float after = (coords - previous).cwiseAbs().maxCoeff();
    const float tolerance = noise > 0 ? 6 * static_cast<float>(noise) : 1e-4f;
    QVERIFY2(after < tolerance, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    QVERIFY((r - q.transpose()).cwiseAbs().maxCoeff() < (noise > 0 ? 1e-2f : 1e-5f));
}

void TestQueries::procrustesShapes()
{
    RowMatrixXf a = RowMatrixXf::Random(10, 2), b = RowMatrixXf::Random(9, 2);
    QVERIFY(errorOf([&] { alignProcrustes(a, b); }).contains("10 x 2"));
    RowMatrixXf same = a;
    const Eigen::MatrixXf r = alignProcrustes(a, same);
    QVERIFY((r - Eigen::MatrixXf::Identity(2, 2)).cwiseAbs().maxCoeff() < 1e-5f);
}

// The map reaches PCA through the table of projection methods: the same coordinates and
// variance shares as pca(), a previous frame honoured, and an unknown id refused by name.
void TestQueries::projectionTable()
{
    QVERIFY(!projectionMethods().empty());
    const ProjectionMethod &method = projectionMethod("pca");
    QCOMPARE(QString::fromStdString(method.name), QStringLiteral("PCA"));
    const PcaResult direct = embedlab::pca(m_table, 3, 200);
    ProjectionRequest request;
    request.components = 3;
    request.rows = 200;
    const Projection p = method.project(m_table, request);
    QCOMPARE(p.coords.rows(), Eigen::Index(200));
    QVERIFY((p.coords - direct.coords).cwiseAbs().maxCoeff() == 0.0f);
    QVERIFY((p.axisShare - direct.explainedVarianceRatio).cwiseAbs().maxCoeff() == 0.0f);

    // A frame shown before with the axes reflected: the new frame is turned to match it.
    request.previous = direct.coords;
    request.previous.col(0) *= -1.0f;
    request.previous.col(2) *= -1.0f;
    const Projection aligned = method.project(m_table, request);
    QVERIFY((aligned.coords - request.previous).cwiseAbs().maxCoeff() < 1e-4f);

    const QString error = errorOf([] { projectionMethod("tsne-3d"); });
    QVERIFY2(error.contains("tsne-3d") && error.contains("pca"), qPrintable(error));
}

void TestQueries::mixedQueriesWithNgramWords()
{
    // Word lists that mix words of a fastText model's vocabulary with words outside it: gensim
    // 4.2's most_similar, most_similar_cosmul, similarity, doesnt_match and rank_by_centrality
    // (tests/data/vectors/fasttext_bin/make_reference.py).
    const std::string dir = std::string(EMBEDLAB_TEST_DATA) + "/vectors/fasttext_bin/";
    const Json ref = Json::parse(readText(dir + "reference.json")).at("skipgram");
    const WordVectors table = readVectors(dir + "skipgram.bin");
    const NeighborIndex index(table);
    const auto words = [](const Json &list) { return list.get<std::vector<std::string>>(); };
    const Json &queries = ref.at("mixed_queries");
    QVERIFY(queries.size() >= 4);
    for (const Json &q : queries) {
        const AnalogyMethod method
            = q.at("method").get<std::string>() == "mul" ? AnalogyMethod::Mul : AnalogyMethod::Add;
        const auto got
            = index.mostSimilar(words(q.at("positive")), words(q.at("negative")), 5, method);
        const Json &want = q.at("result");
        QCOMPARE(got.size(), want.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].word, want[i][0].get<std::string>());
            QVERIFY2(std::abs(got[i].score - want[i][1].get<double>()) <= 1e-6,
                qPrintable(QString::fromStdString(q.dump() + " -> " + got[i].word)));
        }
    }
    // An analogy with a word outside the vocabulary is the same as most_similar.
    const auto analogy = index.analogy("dog", "cats", "river", 5);
    QCOMPARE(analogy.front().word, queries[0].at("result")[0][0].get<std::string>());
    for (const Json &pair : ref.at("mixed_similarity"))
        QVERIFY(std::abs(index.similarity(pair[0].get<std::string>(), pair[1].get<std::string>())
                    - pair[2].get<double>())
            <= 1e-6);
    for (const Json &odd : ref.at("mixed_doesnt_match")) {
        const NeighborIndex::OddOneOut got = index.doesntMatch(words(odd.at("words")));
        QCOMPARE(got.word, odd.at("odd").get<std::string>());
        QVERIFY(got.ignored.empty());
        const Json &ranked = odd.at("ranked");
        QCOMPARE(got.ranked.size(), ranked.size());
        for (std::size_t i = 0; i < ranked.size(); ++i) {
            QCOMPARE(got.ranked[i].word, ranked[i][0].get<std::string>());
            QVERIFY(std::abs(got.ranked[i].score - ranked[i][1].get<double>()) <= 1e-6);
        }
    }
    // Without the buckets the same words are unknown.
    const WordVectors plain(table.words(), table.vectors());
    const NeighborIndex plainIndex(plain);
    QVERIFY_THROWS_EXCEPTION(Error, plainIndex.similarity("cats", "cat"));
    QCOMPARE(plainIndex.doesntMatch({ "cats", "dog", "river" }).ignored,
        std::vector<std::string> { "cats" });
}

void TestQueries::outOfVocabulary_data()
{
    QTest::addColumn<QString>("model"); // in tests/data/vectors/fasttext_bin/
    QTest::newRow("skipgram") << "skipgram";
    QTest::newRow("supervised") << "supervised";
}

void TestQueries::outOfVocabulary()
{
    // A word outside a fastText model's vocabulary is looked up by its n-gram vector: gensim
    // 4.2's FastTextKeyedVectors.most_similar (tests/data/vectors/fasttext_bin/make_reference.py).
    QFETCH(QString, model);
    const std::string dir = EMBEDLAB_TEST_DATA "/vectors/fasttext_bin/";
    const Json ref = Json::parse(readText(dir + "reference.json")).at(model.toStdString());
    const WordVectors table = readVectors(dir + model.toStdString() + ".bin");
    const NeighborIndex index(table);
    const Json &queries = ref.at("oov_neighbors");
    QVERIFY(queries.size() >= 3);
    for (const auto &[word, expected] : queries.items()) {
        QCOMPARE(table.find(word), -1);
        const std::vector<Neighbor> got = index.nearestToWord(word, 5, Metric::Cosine);
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].word, expected[i][0].get<std::string>());
            QVERIFY2(std::abs(got[i].score - expected[i][1].get<double>()) <= 1e-5,
                qPrintable(QString::fromStdString(word + " -> " + got[i].word)));
        }
    }
    // No n-grams (minn 3 and "<>") and no vocabulary entry: an error, not a zero vector.
    if (model == "skipgram") {
        QString message;
        try {
            index.nearestToWord("", 5, Metric::Cosine);
        } catch (const Error &e) {
            message = e.what();
        }
        QVERIFY2(message.contains("no character n-grams"), qPrintable(message));
    }
    // Without subwords an unknown word is still refused.
    const WordVectors plain(table.words(), table.vectors());
    const NeighborIndex plainIndex(plain);
    bool refused = false;
    try {
        plainIndex.nearestToWord("rivers", 5, Metric::Cosine);
    } catch (const Error &) {
        refused = true;
    }
    QVERIFY(refused);
}

QTEST_GUILESS_MAIN(TestQueries)
#include "tst_queries.moc"
