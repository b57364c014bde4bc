// Evaluate Vectors: the window's word-pair and analogy evaluation gives gensim's figures (the
// fixtures of tests/golden/make_pairs_reference.py and make_query_reference.py), shows the
// analogy sections in a table, names the table each result is for, reports a bad file, and
// follows the table the main window shows.
#include <QtTest>

#include <QLabel>
#include <QLocale>
#include <QTableWidget>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/vectors/vectors.h"
#include "ui/evaluatedialog.h"
#include "ui/mainwindow.h"
#include "ui/neighborspanel.h"

#include "testworkspace.h"

using namespace embedlab;
using Json = nlohmann::json;

namespace {

QString dataPath(const char *name)
{
    return QStringLiteral(EMBEDLAB_TEST_DATA "/queries/") + QLatin1String(name);
}

Json readJson(const QString &path)
{
    std::ifstream in(QFile::encodeName(path).toStdString());
    return Json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

std::shared_ptr<const WordVectors> readTable(const char *name)
{
    return std::make_shared<const WordVectors>(
        readVectors(QFile::encodeName(dataPath(name)).toStdString()));
}

class EvaluateDialogTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { useTemporaryWorkspace(); }

    void wordPairsGiveGensimsFigures_data()
    {
        QTest::addColumn<int>("index");
        const Json ref = readJson(dataPath("pairs.json"));
        const Json &cases = ref.at("evaluations");
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Json &c = cases[i];
            const std::string name = c.at("pairs").get<std::string>() + " restrict "
                + std::to_string(c.at("restrict").get<std::int64_t>())
                + (c.at("case_insensitive").get<bool>() ? " ignoring case" : " with case");
            QTest::newRow(name.c_str()) << static_cast<int>(i);
        }
    }
    void wordPairsGiveGensimsFigures()
    {
        QFETCH(int, index);
        const Json ref = readJson(dataPath("pairs.json"));
        const Json &c = ref.at("evaluations")[static_cast<std::size_t>(index)];
        EvaluateDialog dialog;
        dialog.setTable(readTable("pairs_vectors.txt"), QStringLiteral("pairs fixture"));
        dialog.setPairsFile(
            dataPath("pairs/") + QString::fromStdString(c.at("pairs").get<std::string>()));
        dialog.setRestrict(static_cast<int>(c.at("restrict").get<std::int64_t>()));
        dialog.setCaseInsensitive(c.at("case_insensitive").get<bool>());
        QSignalSpy done(&dialog, &EvaluateDialog::pairsEvaluated);
        dialog.evaluatePairs();
        QVERIFY(dialog.isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
        const QString text = dialog.pairsResultText();
        if (c.contains("error")) { // gensim's ValueError: no pair with both words known
            QCOMPARE(done.at(0).at(0).toBool(), false);
            QVERIFY2(text.startsWith(QLatin1String("Could not evaluate"))
                    && text.contains(QLatin1String("unknown.tsv")),
                qPrintable(text));
            return;
        }
        QCOMPARE(done.at(0).at(0).toBool(), true);
        const QLocale locale;
        QVERIFY2(text.contains(locale.toString(c.at("pearson").get<double>(), 'f', 4)),
            qPrintable(text));
        QVERIFY2(text.contains(locale.toString(c.at("spearman").get<double>(), 'f', 4)),
            qPrintable(text));
        QVERIFY2(text.contains(locale.toString(c.at("oov_ratio").get<double>(), 'f', 2) + '%'),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("%1 pairs evaluated, %2 skipped")
                                   .arg(c.at("used").get<int>())
                                   .arg(c.at("oov").get<int>())),
            qPrintable(text));
        QVERIFY(text.contains(QLatin1String("pairs fixture")));
        QVERIFY(!dialog.isBusy());
    }

    void analogySectionsGiveGensimsFigures()
    {
        const Json ref = readJson(dataPath("reference.json"));
        int checked = 0;
        for (const Json &c : ref.at("evaluations")) {
            EvaluateDialog dialog;
            dialog.setTable(readTable("vectors.txt"), QStringLiteral("queries fixture"));
            dialog.setQuestionsFile(dataPath("questions.txt"));
            dialog.setRestrict(static_cast<int>(c.at("restrict").get<std::int64_t>()));
            dialog.setCaseInsensitive(c.at("case_insensitive").get<bool>());
            dialog.setMethod(c.at("method").get<std::string>() == "mul" ? AnalogyMethod::Mul
                                                                        : AnalogyMethod::Add);
            QSignalSpy done(&dialog, &EvaluateDialog::analogiesEvaluated);
            dialog.evaluateAnalogies();
            QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
            QCOMPARE(done.at(0).at(0).toBool(), true);
            const Json &sections = c.at("sections");
            QTableWidget *table = dialog.analogyTable();
            QCOMPARE(table->rowCount(), static_cast<int>(sections.size()) + 1);
            auto compareRow = [&](int row, const Json &want, const QString &name) {
                QCOMPARE(table->item(row, 0)->text(), name);
                QCOMPARE(table->item(row, 1)->text().toInt(), want.at("correct").get<int>());
                QCOMPARE(table->item(row, 2)->text().toInt(), want.at("total").get<int>());
                QCOMPARE(table->item(row, 3)->text().toInt(), want.at("skipped").get<int>());
            };
            for (std::size_t i = 0; i < sections.size(); ++i)
                compareRow(static_cast<int>(i), sections[i],
                    QString::fromStdString(sections[i].at("name").get<std::string>()));
            compareRow(static_cast<int>(sections.size()), c.at("total"), QStringLiteral("Total"));
            const Json &total = c.at("total");
            const double accuracy
                = 100.0 * total.at("correct").get<double>() / total.at("total").get<double>();
            QVERIFY2(dialog.analogyStatusText().contains(
                         QLocale().toString(accuracy, 'f', 2) + QLatin1Char('%')),
                qPrintable(dialog.analogyStatusText()));
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

    void badFileIsReported()
    {
        EvaluateDialog dialog;
        dialog.setTable(readTable("pairs_vectors.txt"), QStringLiteral("pairs fixture"));
        const QString missing = dataPath("pairs/no-such-file.tsv");
        dialog.setPairsFile(missing);
        QSignalSpy done(&dialog, &EvaluateDialog::pairsEvaluated);
        dialog.evaluatePairs();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
        QCOMPARE(done.at(0).at(0).toBool(), false);
        QVERIFY2(dialog.pairsResultText().contains(QLatin1String("no-such-file.tsv")),
            qPrintable(dialog.pairsResultText()));

        // A questions file with no section header says so, naming the file.
        dialog.setQuestionsFile(dataPath("pairs/wordsim.tsv"));
        QSignalSpy analogies(&dialog, &EvaluateDialog::analogiesEvaluated);
        dialog.evaluateAnalogies();
        QTRY_COMPARE_WITH_TIMEOUT(analogies.count(), 1, 20000);
        QCOMPARE(analogies.at(0).at(0).toBool(), false);
        QVERIFY2(dialog.analogyStatusText().contains(QLatin1String("wordsim.tsv")),
            qPrintable(dialog.analogyStatusText()));
        QCOMPARE(dialog.analogyTable()->rowCount(), 0);
    }

    void noTableNoEvaluation()
    {
        EvaluateDialog dialog;
        QSignalSpy done(&dialog, &EvaluateDialog::pairsEvaluated);
        dialog.setPairsFile(dataPath("pairs/wordsim.tsv"));
        dialog.evaluatePairs();
        QVERIFY(!dialog.isBusy());
        QCOMPARE(done.count(), 0);
        auto *label = dialog.findChild<QLabel *>(QStringLiteral("evaluateTableLabel"));
        QVERIFY(label->text().contains(QLatin1String("No table")));
    }

    void followsTheWindowsTable()
    {
        MainWindow w;
        w.show();
        w.exploreVectors(readTable("vectors.txt"), dataPath("vectors.txt"));
        w.showEvaluateDialog();
        EvaluateDialog *dialog = w.evaluateDialog();
        QVERIFY(dialog && dialog->isVisible());
        auto *label = dialog->findChild<QLabel *>(QStringLiteral("evaluateTableLabel"));
        QTRY_VERIFY(label->text().contains(QLatin1String("vectors.txt")));
        w.exploreVectors(readTable("pairs_vectors.txt"), dataPath("pairs_vectors.txt"));
        QTRY_VERIFY(label->text().contains(QLatin1String("pairs_vectors.txt")));
        const auto rows = readTable("pairs_vectors.txt")->size();
        QVERIFY2(label->text().contains(QLocale().toString(static_cast<qlonglong>(rows))),
            qPrintable(label->text()));
    }
};

} // namespace

QTEST_MAIN(EvaluateDialogTest)
#include "tst_evaluatedialog.moc"
