// The neighbours panel as a user drives it: several positive and negative words with 3CosAdd
// and 3CosMul, restrict-to-top-N, the similarity of two words, the odd one out, and "did you
// mean" links, against gensim 4.2's answers (tests/data/queries/pairs.json).
#include <QComboBox>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <QTableWidget>

#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>

#include "core/vectors/vectors.h"
#include "ui/neighborspanel.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

QStringList wordsOf(const QList<QPair<QString, double>> &results)
{
    QStringList out;
    for (const auto &r : results)
        out << r.first;
    return out;
}

QStringList qWords(const Json &list)
{
    QStringList out;
    for (const Json &w : list)
        out << QString::fromStdString(
            w.is_array() ? w[0].get<std::string>() : w.get<std::string>());
    return out;
}

} // namespace

class TestNeighborsPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void severalWords_data();
    void severalWords();
    void similarityOfTwoWords();
    void oddOneOut();
    void didYouMean();
    void outOfVocabularyFromNgrams();
    void didYouMeanInAList();
    void completionAsksOnlyFromTheWordField();
    void scoreColumnNamesItsMeasure();

private:
    template <typename T> T *child(const char *name)
    {
        T *w = m_panel->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }

    std::shared_ptr<const WordVectors> m_table;
    Json m_ref;
    std::unique_ptr<NeighborsPanel> m_panel;
};

void TestNeighborsPanel::initTestCase()
{
    m_table = std::make_shared<const WordVectors>(
        readVectors(EMBEDLAB_TEST_DATA "/queries/vectors.txt", ImportOptions()));
    m_ref = Json::parse(readText(EMBEDLAB_TEST_DATA "/queries/pairs.json"));
}

void TestNeighborsPanel::init()
{
    m_panel = std::make_unique<NeighborsPanel>();
    m_panel->resize(700, 500);
    m_panel->show();
    m_panel->setTable(m_table, QStringLiteral("vectors.txt"));
    // the word it picks to show at once
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->results().isEmpty(), 10000);
}

void TestNeighborsPanel::cleanup()
{
    m_panel.reset();
}

// Cosine similarities are largest first, Euclidean distances smallest first; the column says
// which it is.
void TestNeighborsPanel::scoreColumnNamesItsMeasure()
{
    auto *table = child<QTableWidget>("results");
    QSignalSpy changed(m_panel.get(), &NeighborsPanel::resultsChanged);
    m_panel->query(QStringLiteral("king"));
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1 && !m_panel->results().isEmpty(), 10000);
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("Cosine"));
    auto results = m_panel->results();
    QVERIFY(results.size() >= 2 && results.first().second >= results.last().second);
    changed.clear();
    child<QComboBox>("metric")->setCurrentIndex(1); // Euclidean
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1, 10000);
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("Distance"));
    results = m_panel->results();
    QVERIFY(results.size() >= 2 && results.first().second <= results.last().second);
    changed.clear();
    child<QComboBox>("method")->setCurrentIndex(1); // 3CosMul
    child<QLineEdit>("positive")->setText(QStringLiteral("king, woman"));
    child<QLineEdit>("negative")->setText(QStringLiteral("man"));
    QTest::mouseClick(child<QPushButton>("solve"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1 && !m_panel->results().isEmpty(), 10000);
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("3CosMul"));
}

void TestNeighborsPanel::severalWords_data()
{
    QTest::addColumn<int>("index");
    const Json &cases = m_ref.at("most_similar");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Json &c = cases[i];
        const QString name
            = QStringLiteral("%1 + %2 - %3 restrict %4")
                  .arg(QString::fromStdString(c.at("method").get<std::string>()),
                      qWords(c.at("positive")).join(','), qWords(c.at("negative")).join(','))
                  .arg(c.at("restrict").get<int>());
        QTest::newRow(qPrintable(name)) << static_cast<int>(i);
    }
}

void TestNeighborsPanel::severalWords()
{
    QFETCH(int, index);
    const Json &c = m_ref.at("most_similar")[static_cast<std::size_t>(index)];
    // As a user: the fields, the method, k and the restriction, then Solve.
    child<QComboBox>("method")->setCurrentIndex(c.at("method").get<std::string>() == "mul" ? 1 : 0);
    child<QSpinBox>("k")->setValue(c.at("k").get<int>());
    child<QSpinBox>("restrict")->setValue(c.at("restrict").get<int>());
    child<QLineEdit>("positive")->setText(qWords(c.at("positive")).join(QStringLiteral(", ")));
    child<QLineEdit>("negative")->setText(qWords(c.at("negative")).join(QStringLiteral(" ")));
    QTest::mouseClick(child<QPushButton>("solve"), Qt::LeftButton);
    const QStringList expected = qWords(c.at("result"));
    QTRY_COMPARE_WITH_TIMEOUT(wordsOf(m_panel->results()), expected, 10000);
    const auto got = m_panel->results();
    for (int i = 0; i < got.size(); ++i) // shown with 4 decimals
        QVERIFY(
            std::abs(got[i].second - c.at("result")[static_cast<std::size_t>(i)][1].get<double>())
            <= 5.001e-5);
    QVERIFY(m_panel->currentWord().isEmpty());
    QVERIFY(m_panel->suggestions().isEmpty());
    if (c.at("method").get<std::string>() == "mul")
        QVERIFY2(m_panel->statusText().contains("3CosMul"), qPrintable(m_panel->statusText()));
}

void TestNeighborsPanel::similarityOfTwoWords()
{
    for (const Json &c : m_ref.at("similarity")) {
        const QString a = QString::fromStdString(c.at("a").get<std::string>());
        const QString b = QString::fromStdString(c.at("b").get<std::string>());
        QSignalSpy changed(m_panel.get(), &NeighborsPanel::resultsChanged);
        child<QLineEdit>("similarityA")->setText(a);
        child<QLineEdit>("similarityB")->setText(b);
        QTest::mouseClick(child<QPushButton>("compare"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            changed.count() >= 1 && !std::isnan(m_panel->similarityShown()), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::abs(m_panel->similarityShown() - c.at("similarity").get<double>()) <= 1e-6, 10000);
        QVERIFY2(m_panel->statusText().contains(a) && m_panel->statusText().contains(b),
            qPrintable(m_panel->statusText()));
    }
}

void TestNeighborsPanel::oddOneOut()
{
    for (const Json &c : m_ref.at("doesnt_match")) {
        const QStringList words = qWords(c.at("words"));
        const QString odd = QString::fromStdString(c.at("result").get<std::string>());
        child<QLineEdit>("oddWords")->setText(words.join(QStringLiteral(", ")));
        QTest::mouseClick(child<QPushButton>("oddOneOut"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_panel->results().isEmpty()
                && m_panel->results().size() == words.size() - c.at("ignored").size()
                && m_panel->results().last().first == odd
                && m_panel->statusText().contains(QStringLiteral("“%1”").arg(odd)),
            10000);
        for (const QString &w : qWords(c.at("ignored")))
            QVERIFY2(m_panel->statusText().contains(w), qPrintable(m_panel->statusText()));
    }
}

void TestNeighborsPanel::outOfVocabularyFromNgrams()
{
    // A fastText model answers for a word outside its vocabulary from the word's n-grams, with
    // gensim's neighbours (tests/data/vectors/fasttext_bin/make_reference.py).
    const std::string dir = EMBEDLAB_TEST_DATA "/vectors/fasttext_bin/";
    auto model
        = std::make_shared<const WordVectors>(readVectors(dir + "skipgram.bin", ImportOptions()));
    QVERIFY(model->subwords());
    QVERIFY(model->find("rivers") < 0);
    const Json want = Json::parse(readText(dir + "reference.json"))
                          .at("skipgram")
                          .at("oov_neighbors")
                          .at("rivers");
    m_panel->setTable(model, QStringLiteral("skipgram.bin"));
    m_panel->query(QStringLiteral("rivers"));
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->statusText().contains(QStringLiteral("“rivers”")), 10000);
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("by its n-grams")),
        qPrintable(m_panel->statusText()));
    QVERIFY(!m_panel->results().isEmpty());
    QVERIFY(m_panel->suggestions().isEmpty());
    QCOMPARE(m_panel->results().first().first,
        QString::fromStdString(want.at(0).at(0).get<std::string>()));

    // Several words, two words' similarity and the odd one out take such words too, and say so.
    const Json ref = Json::parse(readText(dir + "reference.json")).at("skipgram");
    const Json &mixed = ref.at("mixed_queries").at(0); // cats + river - dog, 3CosAdd
    m_panel->queryWords(
        { QStringLiteral("cats"), QStringLiteral("river") }, { QStringLiteral("dog") });
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->statusText().contains(QStringLiteral("by their n-grams: cats")), 10000);
    QCOMPARE(m_panel->results().first().first,
        QString::fromStdString(mixed.at("result").at(0).at(0).get<std::string>()));
    QVERIFY(
        std::abs(m_panel->results().first().second - mixed.at("result").at(0).at(1).get<double>())
        < 1e-4);
    const Json &pair = ref.at("mixed_similarity").at(2); // dogged, dog
    m_panel->querySimilarity(QStringLiteral("dogged"), QStringLiteral("dog"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->statusText().contains(QStringLiteral("by their n-grams: dogged")), 10000);
    QVERIFY2(m_panel->statusText().contains(QLocale().toString(pair.at(2).get<double>(), 'f', 4)),
        qPrintable(m_panel->statusText()));
    const Json &odd = ref.at("mixed_doesnt_match").at(0);
    QStringList oddWords;
    for (const Json &w : odd.at("words"))
        oddWords << QString::fromStdString(w.get<std::string>());
    m_panel->queryDoesntMatch(oddWords);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->statusText().contains(QStringLiteral("doesn't match")), 10000);
    QVERIFY2(m_panel->statusText().contains(
                 QString::fromStdString("“" + odd.at("odd").get<std::string>() + "”")),
        qPrintable(m_panel->statusText()));
    QVERIFY(!m_panel->statusText().contains(QStringLiteral("ignored")));

    // A plain table still says the word is unknown.
    m_panel->setTable(m_table, QStringLiteral("vectors.txt"));
    m_panel->query(QStringLiteral("rivers"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->statusText().contains(QStringLiteral("is not in the vocabulary of vectors.txt")),
        10000);
    QVERIFY(m_panel->results().isEmpty());
}

void TestNeighborsPanel::didYouMean()
{
    // A word known only in another case is answered for in that case (the first row that has
    // it, the most frequent), says so, and offers the other cases as links.
    QSignalSpy changed(m_panel.get(), &NeighborsPanel::resultsChanged);
    m_panel->query(QStringLiteral("KING"));
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->statusText().contains(QStringLiteral("“KING”")), 10000);
    QVERIFY(!m_panel->results().isEmpty());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("Nearest to “king”"))
            && m_panel->statusText().contains(
                QStringLiteral("(“KING” is not in the vocabulary: read as “king”)")),
        qPrintable(m_panel->statusText()));
    QVERIFY(!wordsOf(m_panel->results()).contains(QStringLiteral("king")));
    QCOMPARE(m_panel->suggestions().value(0), QStringLiteral("King"));
    auto *links = child<QLabel>("suggestions");
    QVERIFY(links->isVisible());
    QVERIFY2(links->text().contains(QStringLiteral("<a href=\"King\">King</a>")),
        qPrintable(links->text()));
    // A misspelling has no such reading: the links only.
    m_panel->query(QStringLiteral("kinq"));
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->statusText().contains(QStringLiteral("“kinq”")), 10000);
    QVERIFY(m_panel->results().isEmpty());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("“kinq” is not in the vocabulary")),
        qPrintable(m_panel->statusText()));
    QVERIFY(m_panel->suggestions().contains(QStringLiteral("king")));
    m_panel->query(QStringLiteral("KING"));
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->suggestions().value(0) == QLatin1String("King"), 10000);
    // Following a link asks again with that word.
    emit links->linkActivated(QStringLiteral("King"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->currentWord(), QStringLiteral("King"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->statusText().startsWith(QStringLiteral("Nearest to “King” in")), 10000);
    QCOMPARE(m_panel->results().first().first, QStringLiteral("king"));
    QVERIFY(!links->isVisible());
    QVERIFY(m_panel->suggestions().isEmpty());
    // Nothing close: no links.
    m_panel->query(QStringLiteral("qqqqqqqqqqqq"));
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->statusText().contains("qqqqqqqqqqqq"), 10000);
    QVERIFY(m_panel->suggestions().isEmpty());
    QVERIFY(!links->isVisible());
}

void TestNeighborsPanel::didYouMeanInAList()
{
    // "Paris" is not in the table ("PARIS" and "paris" are); the link puts the suggestion in its
    // place among the positive words, and the query runs.
    child<QLineEdit>("positive")->setText(QStringLiteral("tokyo, Paris"));
    child<QLineEdit>("negative")->setText(QStringLiteral("japan"));
    QTest::mouseClick(child<QPushButton>("solve"), Qt::LeftButton);
    // Read as "PARIS" (the first row in that case) at once, with "paris" offered.
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->statusText().contains(QStringLiteral("tokyo")), 10000);
    QVERIFY(!m_panel->results().isEmpty());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("read as “PARIS”")),
        qPrintable(m_panel->statusText()));
    QVERIFY(!wordsOf(m_panel->results()).contains(QStringLiteral("PARIS")));
    QCOMPARE(m_panel->suggestions().value(0), QStringLiteral("paris"));
    emit child<QLabel>("suggestions")->linkActivated(QStringLiteral("paris"));
    QTRY_COMPARE_WITH_TIMEOUT(
        child<QLineEdit>("positive")->text(), QStringLiteral("tokyo, paris"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->statusText().contains(QStringLiteral("read as")), 10000);
    QVERIFY(!wordsOf(m_panel->results()).contains(QStringLiteral("paris")));
    // The same for the similarity fields.
    child<QLineEdit>("similarityA")->setText(QStringLiteral("king"));
    child<QLineEdit>("similarityB")->setText(QStringLiteral("quen"));
    QTest::mouseClick(child<QPushButton>("compare"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->suggestions().contains(QStringLiteral("queen")), 10000);
    emit child<QLabel>("suggestions")->linkActivated(QStringLiteral("queen"));
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(m_panel->similarityShown() - 0.78996998) < 1e-6, 10000);
    QCOMPARE(child<QLineEdit>("similarityB")->text(), QStringLiteral("queen"));
}

void TestNeighborsPanel::completionAsksOnlyFromTheWordField()
{
    // The fields share one completer; choosing a completion in the word field asks for it, in
    // another field it only fills that field.
    auto *completer = m_panel->findChild<QCompleter *>();
    QVERIFY(completer);
    const QString before = m_panel->currentWord();
    completer->setWidget(child<QLineEdit>("positive"));
    emit completer->activated(QStringLiteral("queen"));
    QCOMPARE(m_panel->currentWord(), before);
    completer->setWidget(m_panel->findChild<QLineEdit *>(QString(), Qt::FindDirectChildrenOnly));
    QVERIFY(completer->widget());
    QVERIFY(completer->widget()->objectName().isEmpty()); // the word field has no name
    emit completer->activated(QStringLiteral("queen"));
    QCOMPARE(m_panel->currentWord(), QStringLiteral("queen"));
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_panel->results().isEmpty() && m_panel->statusText().contains(QStringLiteral("“queen”")),
        10000);
}

QTEST_MAIN(TestNeighborsPanel)
#include "tst_neighborspanel.moc"
