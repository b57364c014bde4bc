// The map's tools for exploring a table: isolating a word's neighbourhood or the words a regular
// expression finds (projected again on their own and refitted, through training and the
// timeline), and colouring and labelling the words by a column of a metadata file, whose
// mistakes are named with their line.
#include <QtTest>

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolButton>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>

#include "core/error.h"
#include "core/wordmetadata.h"
#include "ui/embeddingmap.h"
#include "ui/mainwindow.h"
#include "ui/mapbookmarks.h"

#include "dialogpilot.h"
#include "testworkspace.h"

using namespace embedlab;

namespace {

constexpr int Timeout = 20000;

// n words in a noisy cloud of 8 dimensions, w0 the most frequent; `drift` moves every vector a
// little (a training step).
WordVectors cloud(int n, float drift = 0)
{
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    RowMatrixXf v(n, 8);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < 8; ++j)
            v(i, j) = normal(rng);
    std::mt19937 moved(9);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < 8; ++j)
            v(i, j) += drift * normal(moved);
    std::vector<std::string> words;
    std::vector<std::uint64_t> counts;
    for (int i = 0; i < n; ++i) {
        words.push_back("w" + std::to_string(i));
        counts.push_back(static_cast<std::uint64_t>(n - i));
    }
    return WordVectors(std::move(words), std::move(v), std::move(counts));
}

// The word and its k nearest by cosine, by brute force.
std::set<QString> nearestByCosine(const WordVectors &t, const std::string &word, int k)
{
    const int row = t.find(word);
    const Eigen::VectorXf q = t.vectors().row(row).transpose().normalized();
    std::vector<std::pair<float, int>> scored;
    for (int i = 0; i < static_cast<int>(t.size()); ++i)
        if (i != row)
            scored.push_back({ -t.vectors().row(i).normalized().dot(q), i });
    std::sort(scored.begin(), scored.end());
    std::set<QString> out { QString::fromStdString(word) };
    for (int i = 0; i < k; ++i)
        out.insert(QString::fromStdString(t.word(static_cast<std::size_t>(scored[i].second))));
    return out;
}

// The words the map draws.
std::set<QString> drawn(const EmbeddingMap &map, const WordVectors &t)
{
    std::set<QString> out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const QString w = QString::fromStdString(t.word(i));
        if (!std::isnan(map.position(w).x()))
            out.insert(w);
    }
    return out;
}

int inView(const EmbeddingMap &map, const std::set<QString> &words)
{
    const QCPRange x = map.plot()->xAxis->range(), y = map.plot()->yAxis->range();
    int in = 0;
    for (const QString &w : words) {
        const QPointF p = map.position(w);
        in += x.contains(p.x()) && y.contains(p.y());
    }
    return in;
}

QString texts(const EmbeddingMap &map)
{
    QString all;
    for (QLabel *l : map.findChildren<QLabel *>())
        all += l->text() + QLatin1Char('\n');
    return all;
}

QStringList plotLabels(const EmbeddingMap &map)
{
    map.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QStringList out;
    for (int i = 0; i < map.plot()->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(map.plot()->item(i)))
            if (t->visible() && t->position->type() == QCPItemPosition::ptPlotCoords)
                out << t->text();
    return out;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
    return path;
}

} // namespace

class TestMapTools : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { useTemporaryWorkspace(); }
    void isolatingKeepsAWordAndItsNearestNeighbours();
    void anIsolationStaysThroughTrainingAndFollowsAnotherTable();
    void aFilterShowsTheWordsItFinds();
    void aFilterAppliesToTheRecordedSteps();
    void metadataColoursAndLabelsTheWords();
    void numbersAreColouredInBandsFromLowToHigh();
    void metadataColoursFollowAnIsolation();
    void metadataFileMistakesNameTheLine();
    void metadataKeyIsTheColumnOfWords();
    void theWindowSaysWhatIsWrongWithAMetadataFile();
    void aBookmarkKeepsTheIsolation();
};

void TestMapTools::isolatingKeepsAWordAndItsNearestNeighbours()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    const auto table = std::make_shared<const WordVectors>(cloud(400));
    map.setTable(table, QStringLiteral("cloud"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);
    const double wholeWidth = map.plot()->xAxis->range().size();
    const QPointF before = map.position(QStringLiteral("w17"));

    QSignalSpy isolated(&map, &EmbeddingMap::isolationChanged);
    map.isolateNeighbourhood(QStringLiteral("w17"), 12);
    QCOMPARE(isolated.count(), 1);
    QVERIFY(map.isIsolated());
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, Timeout);
    const std::set<QString> expected = nearestByCosine(*table, "w17", 12);
    QCOMPARE(map.pointCount(), 13);
    QCOMPARE(drawn(map, *table), expected);
    QCOMPARE(map.selectedWord(), QStringLiteral("w17"));
    // Projected again on their own (PCA of the 13, not of all 400), and the view fitted to them.
    QVERIFY(map.position(QStringLiteral("w17")) != before);
    QCOMPARE(inView(map, expected), 13);
    QVERIFY2(map.plot()->xAxis->range().size() < 0.8 * wholeWidth,
        qPrintable(
            QStringLiteral("%1 of %2").arg(map.plot()->xAxis->range().size()).arg(wholeWidth)));
    auto *row = map.findChild<QWidget *>(QStringLiteral("mapIsolation"));
    QVERIFY(row && row->isVisible());
    QVERIFY2(texts(map).contains(QStringLiteral("“w17” and its 12 nearest neighbours")),
        qPrintable(texts(map)));

    // More neighbours from the row's box.
    auto *k = map.findChild<QSpinBox *>(QStringLiteral("mapIsolateNeighbours"));
    QCOMPARE(k->value(), 12);
    k->setValue(30);
    QTRY_COMPARE_WITH_TIMEOUT(map.pointCount(), 31, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(drawn(map, *table), nearestByCosine(*table, "w17", 30), Timeout);

    // Back to all words, and the whole view.
    map.findChild<QToolButton *>(QStringLiteral("mapShowAll"))->click();
    QVERIFY(!map.isIsolated());
    QVERIFY(!row->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(map.pointCount(), 400, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::abs(map.plot()->xAxis->range().size() - wholeWidth) < 1e-6 * wholeWidth, Timeout);
}

void TestMapTools::anIsolationStaysThroughTrainingAndFollowsAnotherTable()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    const auto first = std::make_shared<const WordVectors>(cloud(300));
    map.setTable(first, QStringLiteral("model"), true);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);
    map.isolateNeighbourhood(QStringLiteral("w3"), 20);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, Timeout);
    const std::set<QString> words = drawn(map, *first);
    QCOMPARE(words.size(), std::size_t(21));

    // Training moves the vectors: the same 21 words go on being shown, even if the neighbours of
    // w3 in the moved table are others.
    const auto trained = std::make_shared<const WordVectors>(cloud(300, 0.8f));
    QVERIFY(nearestByCosine(*trained, "w3", 20) != words);
    map.setTable(trained, QStringLiteral("model"), true);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 3, Timeout);
    QCOMPARE(drawn(map, *trained), words);
    QVERIFY(map.isIsolated());

    // Another table (other words): the neighbourhood of w3 in it.
    const auto other = std::make_shared<const WordVectors>(cloud(250, 0.8f));
    map.setTable(other, QStringLiteral("imported"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 4, Timeout);
    QVERIFY(map.isIsolated());
    QCOMPARE(drawn(map, *other), nearestByCosine(*other, "w3", 20));
}

void TestMapTools::aFilterShowsTheWordsItFinds()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    const auto table = std::make_shared<const WordVectors>(cloud(400));
    map.setTable(table, QStringLiteral("cloud"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);

    // Typed in the box and applied with Enter; case does not matter.
    auto *filter = map.findChild<QLineEdit *>(QStringLiteral("mapFilter"));
    QVERIFY(filter && filter->isVisible());
    QTest::keyClicks(filter, QStringLiteral("^W1\\d$"));
    QTest::keyClick(filter, Qt::Key_Return);
    QVERIFY(map.isIsolated());
    QCOMPARE(map.filterPattern(), QStringLiteral("^W1\\d$"));
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, Timeout);
    std::set<QString> tens;
    for (int i = 10; i < 20; ++i)
        tens.insert(QStringLiteral("w%1").arg(i));
    QCOMPARE(drawn(map, *table), tens);
    QCOMPARE(inView(map, tens), 10);
    QVERIFY2(texts(map).contains(QStringLiteral("the 10 words of 400 that “^W1\\d$” finds")),
        qPrintable(texts(map)));

    // Not an expression, or one that finds nothing: said, and the map stays as it is.
    QVERIFY(!map.setFilter(QStringLiteral("w(")));
    QVERIFY2(
        texts(map).contains(QStringLiteral("not a regular expression")), qPrintable(texts(map)));
    QVERIFY(!map.setFilter(QStringLiteral("^zz")));
    QVERIFY2(texts(map).contains(QStringLiteral("No word of the 400 on the map matches “^zz”")),
        qPrintable(texts(map)));
    QCOMPARE(map.filterPattern(), QStringLiteral("^W1\\d$"));
    QCOMPARE(drawn(map, *table), tens);

    // A match anywhere in the word.
    QVERIFY(map.setFilter(QStringLiteral("99")));
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 3, Timeout);
    QCOMPARE(drawn(map, *table), (std::set<QString> { "w99", "w199", "w299", "w399" }));

    // Emptying the box shows every word again.
    filter->clear();
    QVERIFY(!map.isIsolated());
    QTRY_COMPARE_WITH_TIMEOUT(map.pointCount(), 400, Timeout);
}

void TestMapTools::aFilterAppliesToTheRecordedSteps()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    const QVector<qint64> steps { 0, 10, 20 };
    const auto loader = [](qint64 step) { return cloud(200, 0.05f * static_cast<float>(step)); };
    QSignalSpy tables(&map, &EmbeddingMap::historyTableAvailable);
    map.setHistory(QStringLiteral("run"), steps, loader);
    map.showHistoryStep(10, QStringLiteral("run, step 10"));
    QTRY_COMPARE_WITH_TIMEOUT(tables.count(), 1, Timeout);
    QCOMPARE(map.pointCount(), 200);
    QVERIFY(map.setFilter(QStringLiteral("^w1\\d\\d$")));
    QTRY_COMPARE_WITH_TIMEOUT(map.pointCount(), 100, Timeout);
    QCOMPARE(map.historyStep(), qint64(10));
    const WordVectors whole = cloud(200);
    std::set<QString> hundreds;
    for (int i = 100; i < 200; ++i)
        hundreds.insert(QStringLiteral("w%1").arg(i));
    QCOMPARE(drawn(map, whole), hundreds);
    // Another step: the same words; the Neighbours panel still gets the whole table.
    map.showHistoryStep(20, QStringLiteral("run, step 20"));
    QTRY_VERIFY_WITH_TIMEOUT(map.isHistoryFrameReady(20) && tables.count() >= 2, Timeout);
    QCOMPARE(map.pointCount(), 100);
    const auto table = tables.last().at(1).value<std::shared_ptr<const WordVectors>>();
    QCOMPARE(table->size(), std::size_t(200));
}

void TestMapTools::metadataColoursAndLabelsTheWords()
{
    QTemporaryDir dir;
    QByteArray tsv = "word\tpart of speech\tgloss\n";
    for (int i = 0; i < 120; ++i)
        tsv += QStringLiteral("w%1\t%2\tg%1\n")
                   .arg(i)
                   .arg(i % 3 == 0      ? "noun"
                           : i % 3 == 1 ? "verb"
                                        : "adjective")
                   .toUtf8();
    const auto meta = std::make_shared<const WordMetadata>(
        readWordMetadata(writeFile(dir, QStringLiteral("metadata.tsv"), tsv).toStdString()));
    QCOMPARE(meta->rows.size(), std::size_t(120));

    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(cloud(150)), QStringLiteral("cloud"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);
    map.setMetadata(meta);
    // Coloured at once by the first column after the words: each value a class, the most common
    // first (noun, verb and adjective 40 each: alphabetical on a tie).
    QCOMPARE(map.metadataKeyColumn(), std::size_t(0));
    QCOMPARE(map.colourColumn(), 1);
    QCOMPARE(map.wordClassNames(), (QStringList { "adjective", "noun", "verb" }));
    QCOMPARE(map.wordClass(QStringLiteral("w0")), 1); // noun
    QCOMPARE(map.wordClass(QStringLiteral("w4")), 2); // verb
    QCOMPARE(map.wordClass(QStringLiteral("w5")), 0); // adjective
    QCOMPARE(map.wordClass(QStringLiteral("w130")), -1); // not in the file
    auto *legend = map.findChild<QLabel *>(QStringLiteral("mapLegend"));
    QVERIFY(legend->isVisible());
    QVERIFY2(legend->text().contains(QStringLiteral("noun&nbsp;(40)")), qPrintable(legend->text()));
    QVERIFY2(legend->text().contains(QStringLiteral("none (30)")), qPrintable(legend->text()));
    auto *colourBox = map.findChild<QComboBox *>(QStringLiteral("mapColourBy"));
    QVERIFY(colourBox->isVisible());
    QCOMPARE(colourBox->currentText(), QStringLiteral("Colour: part of speech"));

    // Labelled by the gloss: the frequent words' labels are their glosses.
    map.setLabelColumn(2);
    QCOMPARE(map.labelOf(QStringLiteral("w7")), QStringLiteral("g7"));
    QCOMPARE(map.labelOf(QStringLiteral("w140")), QStringLiteral("w140")); // none: the word
    const QStringList labels = plotLabels(map);
    QVERIFY(labels.contains(QStringLiteral("g0")));
    QVERIFY(!labels.contains(QStringLiteral("w0")));

    // Back to frequency and words.
    map.setColourColumn(-1);
    map.setLabelColumn(-1);
    QVERIFY(map.wordClassNames().isEmpty());
    QCOMPARE(map.wordClass(QStringLiteral("w0")), -1);
    QVERIFY(!legend->isVisible());
    QVERIFY(plotLabels(map).contains(QStringLiteral("w0")));
}

void TestMapTools::numbersAreColouredInBandsFromLowToHigh()
{
    QTemporaryDir dir;
    QByteArray tsv = "word\tscore\r\n"; // CRLF, as a spreadsheet writes it
    for (int i = 0; i < 90; ++i)
        tsv += QStringLiteral("w%1\t%2\r\n").arg(i).arg(0.5 * i).toUtf8();
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(cloud(90)), QStringLiteral("cloud"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);
    map.setMetadata(std::make_shared<const WordMetadata>(
        readWordMetadata(writeFile(dir, QStringLiteral("scores.tsv"), tsv).toStdString())));
    // 90 values, 9 bands of 10 each, in order.
    QCOMPARE(map.wordClassNames().size(), EmbeddingMap::MaxClassColours);
    for (int i = 0; i < 90; ++i)
        QCOMPARE(map.wordClass(QStringLiteral("w%1").arg(i)), std::min(8, i / 10));
    QCOMPARE(map.wordClassNames().first(), QStringLiteral("0 to 4.5"));
    QCOMPARE(map.wordClassNames().last(), QStringLiteral("40 to 44.5"));
}

void TestMapTools::metadataColoursFollowAnIsolation()
{
    QTemporaryDir dir;
    QByteArray tsv = "word\tkind\n";
    for (int i = 0; i < 200; ++i)
        tsv += QStringLiteral("w%1\t%2\n").arg(i).arg(i % 2 ? "odd" : "even").toUtf8();
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    map.setTable(std::make_shared<const WordVectors>(cloud(200)), QStringLiteral("cloud"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);
    map.setMetadata(std::make_shared<const WordMetadata>(
        readWordMetadata(writeFile(dir, QStringLiteral("kinds.tsv"), tsv).toStdString())));
    QVERIFY(map.setFilter(QStringLiteral("^w1")));
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, Timeout);
    QCOMPARE(map.pointCount(), 111);
    const int even = map.wordClass(QStringLiteral("w10")),
              odd = map.wordClass(QStringLiteral("w11"));
    QVERIFY(even >= 0 && odd >= 0 && even != odd);
    for (const QString w : { "w1", "w13", "w157", "w199" })
        QCOMPARE(map.wordClass(w), odd);
    for (const QString w : { "w100", "w12", "w158" })
        QCOMPARE(map.wordClass(w), even);
    auto *legend = map.findChild<QLabel *>(QStringLiteral("mapLegend"));
    QVERIFY2(legend->text().contains(QStringLiteral("odd&nbsp;(56)")), qPrintable(legend->text()));
    QVERIFY2(legend->text().contains(QStringLiteral("even&nbsp;(55)")), qPrintable(legend->text()));
}

void TestMapTools::metadataFileMistakesNameTheLine()
{
    QTemporaryDir dir;
    struct Case
    {
        QByteArray bytes;
        QString expected;
    };
    const Case cases[] = {
        { "king\nqueen\n", "one.tsv line 1: one column only: this is a labels file" },
        { "word\tpos\tcount\nking\tnoun\t3\n\nqueen\tnoun\n",
            "one.tsv line 4: 2 fields, but the header on line 1 names 3 columns ('word', 'pos', "
            "'count')" },
        { "word\t\tcount\n", "one.tsv line 1: the header's column 2 has no name" },
        { "word\tpos\tword\n", "one.tsv line 1: the header names the column 'word' twice" },
        { "word\tpos\nking\tno\xff\n", "one.tsv line 2: not UTF-8 text" },
        { "\n  \n", "one.tsv: empty: a metadata file has a header" },
    };
    for (const Case &c : cases) {
        const QString path = writeFile(dir, QStringLiteral("one.tsv"), c.bytes);
        try {
            readWordMetadata(path.toStdString());
            QFAIL(qPrintable(QStringLiteral("no error for ") + c.expected));
        } catch (const Error &e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(path.left(path.size() - 7)) && message.contains(c.expected),
                qPrintable(message));
        }
    }
    // A byte-order mark and CRLF line ends are read as a spreadsheet writes them.
    const WordMetadata meta = readWordMetadata(
        writeFile(dir, QStringLiteral("ok.tsv"), "\xEF\xBB\xBFword\tpos\r\nking\tnoun\r\n\r\n")
            .toStdString());
    QCOMPARE(meta.columns, (std::vector<std::string> { "word", "pos" }));
    QCOMPARE(meta.rows.size(), std::size_t(1));
    QCOMPARE(meta.rows[0][1], std::string("noun"));
    QCOMPARE(meta.lines[0], std::size_t(2));
}

void TestMapTools::metadataKeyIsTheColumnOfWords()
{
    QTemporaryDir dir;
    const WordMetadata meta = readWordMetadata(writeFile(dir, QStringLiteral("m.tsv"),
        "id\ttoken\tscore\n1\tw3\t0.5\n2\tw4\t0.7\n3\tnothere\t1\n4\tw9\t-2\n")
                                                   .toStdString());
    const MetadataKey key = metadataKey(meta, cloud(20));
    QCOMPARE(key.column, std::size_t(1));
    QCOMPARE(key.matched, std::size_t(3));
    QVERIFY(isNumericColumn(meta, 2));
    QVERIFY(isNumericColumn(meta, 0));
    QVERIFY(!isNumericColumn(meta, 1));
}

void TestMapTools::theWindowSaysWhatIsWrongWithAMetadataFile()
{
    QTemporaryDir dir;
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    DialogPilot pilot;
    EmbeddingMap *map = w.embeddingMap();
    QSignalSpy updated(map, &EmbeddingMap::projectionUpdated);
    w.exploreVectors(std::make_shared<const WordVectors>(cloud(60)), dir.filePath("cloud.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, Timeout);

    // A row short of a field: the message names the file, the line and the header's columns, and
    // the map keeps its colours.
    const QString bad = writeFile(dir, QStringLiteral("bad.tsv"), "word\tpos\nw1\tnoun\nw2\n");
    QVERIFY(!w.loadMapMetadata(bad));
    QTRY_COMPARE_WITH_TIMEOUT(pilot.messages.size(), 1, Timeout);
    QVERIFY2(pilot.messages[0].contains(bad
                 + QStringLiteral(" line 3: 1 field, but the header on "
                                  "line 1 names 2 columns ('word', 'pos')")),
        qPrintable(pilot.messages[0]));
    QVERIFY(!map->metadata());

    // Rows of other words: said, with what the file begins with.
    const QString other
        = writeFile(dir, QStringLiteral("other.tsv"), "word\tpos\nkönig\tnoun\nrot\tadj\n");
    QVERIFY(!w.loadMapMetadata(other));
    QTRY_COMPARE_WITH_TIMEOUT(pilot.messages.size(), 2, Timeout);
    QVERIFY2(pilot.messages[1].contains(QStringLiteral("None of the 2 rows of %1 names a word on "
                                                       "the map (its first column begins könig, "
                                                       "rot)")
                                            .arg(other)),
        qPrintable(pilot.messages[1]));
    QVERIFY(!map->metadata());

    // A good file: the words are coloured, and the status bar says how many rows matched.
    const QString good
        = writeFile(dir, QStringLiteral("good.tsv"), "word\tpos\nw1\tnoun\nw2\tverb\nzz\tverb\n");
    QVERIFY(w.loadMapMetadata(good));
    QVERIFY(map->metadata());
    QCOMPARE(map->colourColumn(), 1);
    QCOMPARE(map->wordClass(QStringLiteral("w1")), map->wordClassNames().indexOf("noun"));
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral(
                 "good.tsv: 2 of its 3 rows name words on the map, by its column “word”")),
        qPrintable(w.statusBar()->currentMessage()));
    QCOMPARE(pilot.messages.size(), 2);
}

void TestMapTools::aBookmarkKeepsTheIsolation()
{
    EmbeddingMap map;
    map.resize(700, 500);
    map.show();
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    const auto table = std::make_shared<const WordVectors>(cloud(300));
    map.setTable(table, QStringLiteral("cloud"), false);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, Timeout);
    map.isolateNeighbourhood(QStringLiteral("w8"), 25);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 2, Timeout);
    const std::set<QString> words = drawn(map, *table);
    const QCPRange x = map.plot()->xAxis->range();
    // Through the bookmark's JSON, as the Bookmarks menu keeps it.
    const EmbeddingMap::ViewState neighbourhood
        = viewStateFromJson(viewStateToJson(map.viewState()));
    QCOMPARE(neighbourhood.isolatedWord, QStringLiteral("w8"));
    QCOMPARE(neighbourhood.isolatedNeighbours, 25);
    QVERIFY(map.setFilter(QStringLiteral("^w2")));
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 3, Timeout);
    const EmbeddingMap::ViewState filtered = viewStateFromJson(viewStateToJson(map.viewState()));
    QCOMPARE(filtered.filter, QStringLiteral("^w2"));
    QVERIFY(filtered.isolatedWord.isEmpty());
    const std::set<QString> twos = drawn(map, *table);

    QSignalSpy restored(&map, &EmbeddingMap::viewStateRestored);
    map.restoreViewState(neighbourhood);
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, Timeout);
    QCOMPARE(map.isolatedCentre(), QStringLiteral("w8"));
    QVERIFY(map.filterPattern().isEmpty());
    QCOMPARE(drawn(map, *table), words);
    QCOMPARE(map.plot()->xAxis->range().lower, x.lower);
    QCOMPARE(map.plot()->xAxis->range().upper, x.upper);
    map.restoreViewState(filtered);
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 2, Timeout);
    QCOMPARE(map.filterPattern(), QStringLiteral("^w2"));
    QCOMPARE(drawn(map, *table), twos);
    // A bookmark of all words lets the isolation go.
    EmbeddingMap::ViewState all = filtered;
    all.filter.clear();
    map.restoreViewState(all);
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 3, Timeout);
    QVERIFY(!map.isIsolated());
    QCOMPARE(map.pointCount(), 300);
}

QTEST_MAIN(TestMapTools)
#include "tst_maptools.moc"
