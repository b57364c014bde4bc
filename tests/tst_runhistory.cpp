// Tests of a run's evaluation over training (core/runhistory): the neighbourhood overlaps against
// gensim's most_similar, the analogy accuracy of each snapshot, and the history.jsonl cache.
#include "core/analogy.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/runhistory.h"
#include "core/runlog.h"
#include "core/vectors/vectors.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace embedlab;

namespace {

const std::string HistoryData = EMBEDLAB_TEST_DATA "/history/";

QJsonObject expected()
{
    QFile f(QString::fromStdString(HistoryData + "expected.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<std::string> tableNames()
{
    std::vector<std::string> names;
    for (const auto v : expected()["tables"].toArray())
        names.push_back(v.toString().toStdString());
    return names;
}

WordVectors fixtureTable(const std::string &name)
{
    return readVectors(HistoryData + name);
}

// The fixture's words after the three specials, in file order; snapshots at 0, 100, 200 hold the
// fixture's tables (float16 holds their multiples of 1/64 exactly), the specials' rows zero.
const std::int64_t FixtureSteps[] = { 0, 100, 200 };

RunSettings fixtureSettings(const WordVectors &table)
{
    RunSettings s;
    s.model.vocabSize = static_cast<int>(table.size()) + Vocabulary::SpecialCount;
    s.model.embeddingDim = table.dim();
    s.model.hiddenSize = 4;
    s.model.layers = 1;
    s.corpus.name = "random walk";
    s.snapshotEvery = 100;
    return s;
}

Vocabulary fixtureVocab(const WordVectors &table)
{
    std::vector<std::string> words = { "<pad>", "<unk>", "<eos>" };
    words.insert(words.end(), table.words().begin(), table.words().end());
    return Vocabulary::fromWords(words);
}

// Records the snapshots `steps` (indices into the fixture's tables) into `dir`.
void recordFixtureRun(const std::string &dir, const std::vector<std::size_t> &tables)
{
    const std::vector<std::string> names = tableNames();
    const WordVectors first = fixtureTable(names[0]);
    const RunSettings settings = fixtureSettings(first);
    LanguageModel<float> model(settings.model);
    model.initRandom(1);
    RunRecorder rec(dir, settings, fixtureVocab(first));
    for (std::size_t t : tables) {
        const WordVectors table = fixtureTable(names[t]);
        auto &enc = model.encoder(); // (E, V): column id is word id's vector
        enc.setZero();
        for (std::size_t r = 0; r < table.size(); ++r)
            enc.col(static_cast<Eigen::Index>(r) + Vocabulary::SpecialCount)
                = table.vectors().row(static_cast<Eigen::Index>(r)).transpose();
        TrainEvent e;
        e.step = FixtureSteps[t];
        e.epoch = static_cast<int>(t) + 1;
        e.tokens = static_cast<std::uint64_t>(e.step) * 40;
        rec.recordSnapshot(e, model);
    }
    rec.finish("finished", FixtureSteps[tables.back()]);
    QVERIFY(rec.error().empty());
}

void writeText(const std::string &path, const std::string &text)
{
    writeFileAtomically(path, text);
}

// Questions over the fixture's words: a few a model of random walks gets right by chance is not
// the point; the counts must equal evaluateAnalogies' on the same table.
std::string questions(int variant)
{
    std::string q = ": section-a\n";
    for (int i = 0; i < 40; ++i) {
        char line[64];
        std::snprintf(line, sizeof line, "w%03d w%03d w%03d w%03d\n", (i * 7 + variant) % 200,
            (i * 13 + 1) % 200, (i * 17 + 2) % 200, (i * 19 + 3) % 200);
        q += line;
    }
    q += ": section-b\nw000 w001 w002 nosuchword\nW010 W011 W012 W013\n";
    return q;
}

bool samePoints(const RunHistory &a, const RunHistory &b)
{
    if (a.points.size() != b.points.size())
        return false;
    for (std::size_t i = 0; i < a.points.size(); ++i) {
        const HistoryPoint &x = a.points[i], &y = b.points[i];
        const auto same
            = [](double u, double v) { return (std::isnan(u) && std::isnan(v)) || u == v; };
        if (x.step != y.step || x.epoch != y.epoch || x.tokens != y.tokens
            || !same(x.overlap, y.overlap) || !same(x.analogyAccuracy, y.analogyAccuracy)
            || x.analogyCorrect != y.analogyCorrect || x.analogyTotal != y.analogyTotal)
            return false;
    }
    return true;
}

} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT
private slots:
    void fixtureHasNoNearTies();
    void neighboursMatchGensim();
    void overlapsMatchGensim();
    void runOverlapsMatchGensim();
    void analogyAtEachSnapshot();
    void cacheReusedAndInvalidated();
    void incrementalEqualsFull();
    void snapshotRecordedAgainIsRecomputed();
    void stopsWhenAsked();
    void damagedCache();
};

// The numbers the other tests compare with exist, and the fixture's top k has clear boundaries
// in our own double-precision scores too.
void TestRunHistory::fixtureHasNoNearTies()
{
    const QJsonObject e = expected();
    QCOMPARE(e["k"].toInt(), 10);
    QCOMPARE(e["words"].toInt(), 150);
    QCOMPARE(tableNames().size(), std::size_t(3));
    for (const std::string &name : tableNames()) {
        const WordVectors table = fixtureTable(name);
        QCOMPARE(table.size(), std::size_t(200));
        QCOMPARE(table.dim(), 16);
        const NeighborIndex index(table);
        for (int row = 0; row < 150; ++row) {
            const auto n = index.nearestToRow(row, 11, Metric::Cosine);
            QVERIFY2(n[9].score - n[10].score > 1e-5f, (name + " " + table.word(row)).c_str());
        }
    }
}

void TestRunHistory::neighboursMatchGensim()
{
    const QJsonObject e = expected();
    const int k = e["k"].toInt(), words = e["words"].toInt();
    std::vector<int> rows;
    for (int r = 0; r < words; ++r)
        rows.push_back(r);
    for (const std::string &name : tableNames()) {
        const WordVectors table = fixtureTable(name);
        const NeighborIndex index(table);
        const auto lists = neighbourLists(index, rows, k);
        QCOMPARE(lists.size(), rows.size());
        const QJsonObject reference
            = e["neighbours"].toObject()[QString::fromStdString(name)].toObject();
        for (int r = 0; r < words; ++r) {
            std::set<std::string> ours, theirs;
            for (int id : lists[static_cast<std::size_t>(r)])
                ours.insert(table.word(static_cast<std::size_t>(id)));
            for (const auto w :
                reference[QString::fromStdString(table.word(static_cast<std::size_t>(r)))]
                    .toArray())
                theirs.insert(w.toString().toStdString());
            QCOMPARE(theirs.size(), std::size_t(k));
            QVERIFY2(
                ours == theirs, (name + " " + table.word(static_cast<std::size_t>(r))).c_str());
        }
    }
}

void TestRunHistory::overlapsMatchGensim()
{
    const QJsonObject e = expected();
    const int k = e["k"].toInt(), words = e["words"].toInt();
    std::vector<int> rows;
    for (int r = 0; r < words; ++r)
        rows.push_back(r);
    const std::vector<std::string> names = tableNames();
    std::vector<std::vector<std::vector<int>>> lists;
    std::vector<WordVectors> tables;
    for (const std::string &name : names)
        tables.push_back(fixtureTable(name));
    for (const WordVectors &t : tables) {
        const NeighborIndex index(t);
        lists.push_back(neighbourLists(index, rows, k));
    }
    const QJsonArray overlaps = e["overlaps"].toArray();
    const QJsonArray means = e["mean_overlaps"].toArray();
    for (std::size_t pair = 0; pair + 1 < names.size(); ++pair) {
        const std::vector<int> counts = neighbourOverlaps(lists[pair], lists[pair + 1]);
        const QJsonArray reference = overlaps[static_cast<int>(pair)].toArray();
        QCOMPARE(counts.size(), std::size_t(reference.size()));
        int sum = 0;
        for (int r = 0; r < words; ++r) {
            QCOMPARE(counts[static_cast<std::size_t>(r)], reference[r].toInt());
            sum += counts[static_cast<std::size_t>(r)];
        }
        const double mean = meanNeighbourOverlap(lists[pair], lists[pair + 1]);
        // A ratio of small integers: equal to the reference up to the rounding of a sum.
        QVERIFY(std::abs(mean - static_cast<double>(sum) / (k * words)) < 1e-12);
        QVERIFY(std::abs(mean - means[static_cast<int>(pair)].toDouble()) < 1e-12);
    }
    // Identical tables share every neighbour.
    QCOMPARE(meanNeighbourOverlap(lists[1], lists[1]), 1.0);
}

// The same figures from a run folder holding the fixture's tables as its snapshots.
void TestRunHistory::runOverlapsMatchGensim()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1, 2 });
    const RunData run = readRun(dir);
    QCOMPARE(run.snapshots.size(), std::size_t(3));
    HistoryOptions options;
    options.words = 150;
    options.k = 10;
    const RunHistory h = evaluateRunHistory(run, options);
    QVERIFY(!h.stopped);
    QCOMPARE(h.points.size(), std::size_t(3));
    const QJsonArray means = expected()["mean_overlaps"].toArray();
    QVERIFY(std::isnan(h.points[0].overlap));
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(h.points[i].step, FixtureSteps[i]);
        QCOMPARE(h.points[i].epoch, static_cast<int>(i) + 1);
        QCOMPARE(h.points[i].tokens, static_cast<double>(FixtureSteps[i] * 40));
        QVERIFY(std::isnan(h.points[i].analogyAccuracy)); // no analogy file
        if (i > 0)
            QVERIFY(
                std::abs(h.points[i].overlap - means[static_cast<int>(i) - 1].toDouble()) < 1e-12);
    }
    // More words than the vocabulary has: all 200 take part.
    options.words = 5000;
    const RunHistory all = evaluateRunHistory(run, options);
    QCOMPARE(all.wordsCompared, 200);
    QCOMPARE(h.wordsCompared, 150);
    QCOMPARE(all.points.size(), std::size_t(3));
    QVERIFY(all.points[1].overlap > 0 && all.points[1].overlap < 1);
}

void TestRunHistory::analogyAtEachSnapshot()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1, 2 });
    const std::string qpath = tmp.filePath("questions.txt").toStdString();
    writeText(qpath, questions(0));
    const RunData run = readRun(dir);
    HistoryOptions options;
    options.words = 50;
    options.analogies = qpath;
    const RunHistory h = evaluateRunHistory(run, options);
    QCOMPARE(h.points.size(), std::size_t(3));
    for (const HistoryPoint &p : h.points) {
        const WordVectors table = readRunSnapshot(run, p.step);
        const NeighborIndex index(table);
        const AnalogyEvaluation ev = evaluateAnalogies(index, qpath);
        QCOMPARE(p.analogyCorrect, ev.total.correct);
        QCOMPARE(p.analogyTotal, ev.total.total);
        QCOMPARE(p.analogyTotal, 41); // "nosuchword" skipped; W010.. matched by case folding
        QCOMPARE(p.analogyAccuracy, ev.total.accuracy());
    }
}

void TestRunHistory::cacheReusedAndInvalidated()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1, 2 });
    const std::string qpath = tmp.filePath("questions.txt").toStdString();
    writeText(qpath, questions(0));
    const RunData run = readRun(dir);
    HistoryOptions options;
    options.words = 50;
    options.analogies = qpath;
    std::size_t lastTotal = 0;
    const auto progress = [&](std::size_t, std::size_t total) {
        lastTotal = total;
        return true;
    };

    const RunHistory first = updateRunHistory(run, options, progress);
    QCOMPARE(lastTotal, std::size_t(3));
    QVERIFY(first.cacheError.empty());
    QVERIFY(QFile::exists(QString::fromStdString(dir + "/" + RunHistoryFile)));
    const RunHistory onDisk = readRunHistory(dir);
    QCOMPARE(onDisk.words, 50);
    QCOMPARE(onDisk.k, 10);
    QCOMPARE(onDisk.analogies, qpath);
    QVERIFY(samePoints(onDisk, first));

    // Reopened: nothing to compute.
    lastTotal = 99;
    const RunHistory again = updateRunHistory(run, options, progress);
    QCOMPARE(lastTotal, std::size_t(99));
    QVERIFY(samePoints(again, first));

    // The questions file changed under the same name: computed again, and the new figures are
    // those of the new file.
    writeText(qpath, questions(1));
    const RunHistory changed = updateRunHistory(run, options, progress);
    QCOMPARE(lastTotal, std::size_t(3));
    const WordVectors table0 = readRunSnapshot(run, 0);
    const NeighborIndex index(table0);
    QCOMPARE(changed.points[0].analogyCorrect, evaluateAnalogies(index, qpath).total.correct);
    QVERIFY(readRunHistory(dir).analogiesFingerprint != onDisk.analogiesFingerprint);

    // Another k, or no analogy file: computed again.
    options.k = 5;
    lastTotal = 0;
    updateRunHistory(run, options, progress);
    QCOMPARE(lastTotal, std::size_t(3));
    options.analogies.clear();
    lastTotal = 0;
    const RunHistory plain = updateRunHistory(run, options, progress);
    QCOMPARE(lastTotal, std::size_t(3));
    QVERIFY(std::isnan(plain.points[2].analogyAccuracy));
    QCOMPARE(readRunHistory(dir).analogies, std::string());
}

// A live run's new snapshots: only they are computed, and the result is that of a computation of
// the whole run.
void TestRunHistory::incrementalEqualsFull()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1 });
    const std::string qpath = tmp.filePath("questions.txt").toStdString();
    writeText(qpath, questions(0));
    HistoryOptions options;
    options.words = 120;
    options.k = 7;
    options.analogies = qpath;
    const RunHistory partial = updateRunHistory(readRun(dir), options);
    QCOMPARE(partial.points.size(), std::size_t(2));

    // The run goes on (a continued session records step 200).
    {
        const WordVectors last = fixtureTable(tableNames()[2]);
        const RunSettings settings = fixtureSettings(last);
        LanguageModel<float> model(settings.model);
        auto &enc = model.encoder();
        enc.setZero();
        for (std::size_t r = 0; r < last.size(); ++r)
            enc.col(static_cast<Eigen::Index>(r) + Vocabulary::SpecialCount)
                = last.vectors().row(static_cast<Eigen::Index>(r)).transpose();
        RunRecorder rec(dir, settings, fixtureVocab(last));
        QVERIFY(rec.continued());
        TrainEvent e;
        e.step = 200;
        e.epoch = 3;
        e.tokens = 8000;
        rec.recordSnapshot(e, model);
        rec.finish("finished", 200);
    }
    const RunData run = readRun(dir);
    std::vector<std::size_t> totals;
    const RunHistory extended
        = evaluateRunHistory(run, options, &partial, [&](std::size_t, std::size_t total) {
              totals.push_back(total);
              return true;
          });
    QVERIFY(!totals.empty());
    for (std::size_t t : totals)
        QCOMPARE(t, std::size_t(1));
    const RunHistory full = evaluateRunHistory(run, options);
    QCOMPARE(full.points.size(), std::size_t(3));
    QVERIFY(samePoints(extended, full));
    QVERIFY(full.points[2].overlap > 0 && full.points[2].overlap < 1);
}

// A continued run that went back records a step again with another table: that point and the
// ones after it are computed again.
void TestRunHistory::snapshotRecordedAgainIsRecomputed()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1, 2 });
    HistoryOptions options;
    options.words = 100;
    RunHistory cached = evaluateRunHistory(readRun(dir), options);
    RunData run = readRun(dir);
    run.snapshots[1].wallTime += 1; // as if recorded again later
    std::size_t lastTotal = 0;
    const RunHistory h = evaluateRunHistory(run, options, &cached, [&](std::size_t, std::size_t t) {
        lastTotal = t;
        return true;
    });
    QCOMPARE(lastTotal, std::size_t(2));
    QVERIFY(samePoints(h, cached)); // the same tables, so the same figures
    QCOMPARE(h.points[1].wallTime, run.snapshots[1].wallTime);
}

void TestRunHistory::stopsWhenAsked()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1, 2 });
    const RunData run = readRun(dir);
    HistoryOptions options;
    options.words = 150;
    std::size_t calls = 0;
    const RunHistory h
        = evaluateRunHistory(run, options, nullptr, [&](std::size_t done, std::size_t) {
              ++calls;
              return done < 1;
          });
    QVERIFY(h.stopped);
    QCOMPARE(h.points.size(), std::size_t(1)); // the first snapshot, finished before the stop
    // The stopped evaluation goes on from where it stopped.
    const RunHistory rest = evaluateRunHistory(run, options, &h);
    QVERIFY(!rest.stopped);
    QVERIFY(samePoints(rest, evaluateRunHistory(run, options)));
}

void TestRunHistory::damagedCache()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    recordFixtureRun(dir, { 0, 1 });
    HistoryOptions options;
    options.words = 20;
    const RunHistory h = updateRunHistory(readRun(dir), options);
    const std::string path = dir + "/" + RunHistoryFile;
    std::string text = readFile(path);
    const std::size_t second = text.find('\n') + 1;
    text.replace(text.find("\"step\"", second), 6, "\"stp\"");
    writeText(path, text);
    try {
        readRunHistory(dir);
        QFAIL("a damaged history was read");
    } catch (const Error &e) {
        QVERIFY2(
            QString(e.what()).contains(QString::fromStdString(path) + " line 2: 'step' is missing"),
            e.what());
    }
    // Computed again and rewritten.
    const RunHistory again = updateRunHistory(readRun(dir), options);
    QVERIFY(samePoints(again, h));
    QVERIFY(samePoints(readRunHistory(dir), h));
    writeText(path, "{\"format\": \"something else\"}\n");
    try {
        readRunHistory(dir);
        QFAIL("another file was read as a history");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("line 1: expected the header"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
