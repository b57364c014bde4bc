// The Compare dialog offers only changes that leave the base run's value, says what the base
// is, and returns the change the user picked.
#include <QtTest>

#include <QComboBox>

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

#include "ui/comparedialog.h"

using namespace embedlab;
using Kind = RunChange::Kind;

Q_DECLARE_METATYPE(embedlab::RunChange::Kind)

namespace {

RunSettings baseRun(const std::string &init, bool frozen, bool tied, int dim)
{
    RunSettings s;
    s.name = "austen";
    s.corpus.name = "pride_excerpt.txt";
    s.corpus.path = "/texts/pride_excerpt.txt";
    s.init = init;
    if (init == "vectors")
        s.vectors = "/vectors/glove.6B.100d.txt";
    s.model.embeddingDim = dim;
    s.model.hiddenSize = dim;
    s.model.tied = tied;
    s.train.freezeEmbedding = frozen;
    s.train.seed = 7;
    return s;
}

QString radioText(const CompareDialog &d, const char *name)
{
    return d.findChild<QRadioButton *>(QLatin1String(name))->text().remove(QLatin1Char('&'));
}

bool okEnabled(const CompareDialog &d)
{
    return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
}

} // namespace

class TestCompareDialog : public QObject
{
    Q_OBJECT

private slots:
    void offersOnlyOtherValues_data();
    void offersOnlyOtherValues();
    void showsTheBase();
    void returnsThePickedChange();
    void embeddingSizeMustDiffer();
    void vectorsNeedAFileAndTellItsDimension();
    void describesChanges();
};

void TestCompareDialog::offersOnlyOtherValues_data()
{
    QTest::addColumn<QString>("init");
    QTest::addColumn<bool>("frozen");
    QTest::addColumn<bool>("tied");
    QTest::addColumn<QList<Kind>>("offered");
    QTest::addColumn<QString>("initText");
    QTest::addColumn<QString>("frozenText");

    const QList<Kind> all { Kind::Initialisation, Kind::Frozen, Kind::EmbeddingSize, Kind::Cell };
    QTest::newRow("random, trainable")
        << "random" << false << false << all << "Pre-trained initialisation from word vectors"
        << "Frozen embedding";
    QTest::newRow("random, frozen")
        << "random" << true << false << all << "Pre-trained initialisation from word vectors"
        << "Trainable embedding";
    // The size of a vectors run is the vectors' dimension.
    QTest::newRow("vectors, trainable")
        << "vectors" << false << false
        << QList<Kind> { Kind::Initialisation, Kind::Frozen, Kind::Cell } << "Random initialisation"
        << "Frozen embedding";
    QTest::newRow("vectors, frozen")
        << "vectors" << true << false
        << QList<Kind> { Kind::Initialisation, Kind::Frozen, Kind::Cell } << "Random initialisation"
        << "Trainable embedding";
    // A tied embedding must learn: freezing it is no choice.
    QTest::newRow("random, tied") << "random" << false << true
                                  << QList<Kind> { Kind::Initialisation, Kind::EmbeddingSize,
                                         Kind::Cell }
                                  << "Pre-trained initialisation from word vectors"
                                  << "Frozen embedding";
}

void TestCompareDialog::offersOnlyOtherValues()
{
    QFETCH(QString, init);
    QFETCH(bool, frozen);
    QFETCH(bool, tied);
    QFETCH(QList<Kind>, offered);
    QFETCH(QString, initText);
    QFETCH(QString, frozenText);
    const CompareDialog d(baseRun(init.toStdString(), frozen, tied, 24));
    QCOMPARE(d.offered(), offered);
    QCOMPARE(radioText(d, "initChoice"), initText);
    QCOMPARE(radioText(d, "frozenChoice"), frozenText);
    // A choice not offered cannot be picked.
    for (QRadioButton *r : d.findChildren<QRadioButton *>())
        if (!r->isEnabled())
            QVERIFY(!r->isChecked());
    QVERIFY(d.offered().contains(d.change().kind));
}

void TestCompareDialog::showsTheBase()
{
    const CompareDialog d(baseRun("vectors", true, false, 100));
    auto text
        = [&](const char *name) { return d.findChild<QLabel *>(QLatin1String(name))->text(); };
    QCOMPARE(text("baseName"), QStringLiteral("austen"));
    QCOMPARE(text("baseCorpus"), QStringLiteral("pride_excerpt.txt"));
    QCOMPARE(text("baseInit"), QStringLiteral("pre-trained, from glove.6B.100d.txt"));
    QCOMPARE(text("baseEmbeddingDim"), QStringLiteral("100"));
    QCOMPARE(text("baseFrozen"), QStringLiteral("frozen"));
    QCOMPARE(text("baseSeed"), QStringLiteral("7"));
}

void TestCompareDialog::returnsThePickedChange()
{
    CompareDialog d(baseRun("random", false, false, 24));
    d.choose(Kind::Frozen);
    QVERIFY(okEnabled(d));
    RunChange c = d.change();
    QCOMPARE(c.kind, Kind::Frozen);
    QVERIFY(c.frozen);
    QCOMPARE(describeChange(c), QStringLiteral("frozen embedding"));

    d.findChild<QRadioButton *>(QStringLiteral("sizeChoice"))->click();
    d.setEmbeddingDim(64);
    c = d.change();
    QCOMPARE(c.kind, Kind::EmbeddingSize);
    QCOMPARE(c.embeddingDim, 64);
    QVERIFY(okEnabled(d));

    const QString file = QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/glove.txt");
    d.setVectorsPath(file); // typing a file picks the initialisation
    c = d.change();
    QCOMPARE(c.kind, Kind::Initialisation);
    QCOMPARE(c.vectors, QFileInfo(file).absoluteFilePath());
    QVERIFY(okEnabled(d));

    // A frozen vectors run: the sibling trains its embedding, from the same vectors.
    CompareDialog v(baseRun("vectors", true, false, 100));
    v.choose(Kind::Frozen);
    c = v.change();
    QCOMPARE(c.kind, Kind::Frozen);
    QVERIFY(!c.frozen);
    QCOMPARE(describeChange(c), QStringLiteral("trainable embedding"));
    v.choose(Kind::EmbeddingSize); // not offered: nothing changes
    QCOMPARE(v.change().kind, Kind::Frozen);
    v.choose(Kind::Initialisation);
    c = v.change();
    QCOMPARE(c.kind, Kind::Initialisation);
    QVERIFY(c.vectors.isEmpty());
    QVERIFY(okEnabled(v));
    QCOMPARE(describeChange(c), QStringLiteral("random initialisation"));

    // Another cell: the base's own is not offered.
    auto *cells = d.findChild<QComboBox *>(QStringLiteral("cell"));
    QVERIFY(cells);
    QCOMPARE(cells->count(), 3);
    QCOMPARE(cells->findText(QStringLiteral("LSTM")), -1);
    d.setCell(CellKind::Gru);
    c = d.change();
    QCOMPARE(c.kind, Kind::Cell);
    QCOMPARE(c.cell, CellKind::Gru);
    QVERIFY(okEnabled(d));
    QCOMPARE(describeChange(c), QStringLiteral("GRU cell"));
    d.setCell(CellKind::Lstm); // the base's: not offered, nothing changes
    QCOMPARE(d.change().cell, CellKind::Gru);
}

void TestCompareDialog::embeddingSizeMustDiffer()
{
    CompareDialog d(baseRun("random", false, false, 24));
    auto *spin = d.findChild<QSpinBox *>(QStringLiteral("embeddingDim"));
    QVERIFY(spin->value() != 24); // the default differs from the base's
    d.choose(Kind::EmbeddingSize);
    QVERIFY(okEnabled(d));
    d.setEmbeddingDim(24);
    QVERIFY(!okEnabled(d));
    QVERIFY(!d.isComplete());
    QVERIFY(
        d.findChild<QLabel *>(QStringLiteral("sizeNote"))->text().contains(QLatin1String("24")));
    d.setEmbeddingDim(12);
    QVERIFY(okEnabled(d));

    CompareDialog big(baseRun("random", false, false, 200));
    QCOMPARE(big.findChild<QSpinBox *>(QStringLiteral("embeddingDim"))->value(), 100);
}

void TestCompareDialog::vectorsNeedAFileAndTellItsDimension()
{
    CompareDialog d(baseRun("random", false, false, 24));
    d.choose(Kind::Initialisation);
    QVERIFY(!okEnabled(d)); // no file yet
    auto note = [&] { return d.findChild<QLabel *>(QStringLiteral("vectorsNote"))->text(); };
    QVERIFY2(note().contains(QLatin1String("follows the vectors' dimension")), qPrintable(note()));
    d.setVectorsPath(QStringLiteral("/no/such/vectors.txt"));
    QVERIFY(!okEnabled(d));
    QVERIFY2(note().contains(QLatin1String("vectors.txt")), qPrintable(note()));
    // glove.txt's vectors have 6 numbers: the sibling's embedding size becomes 6.
    d.setVectorsPath(QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/glove.txt"));
    QVERIFY(okEnabled(d));
    QVERIFY2(note().contains(QLatin1String("6 dimensions")), qPrintable(note()));
    QVERIFY2(note().contains(QLatin1String("becomes 6")), qPrintable(note()));
}

void TestCompareDialog::describesChanges()
{
    RunChange c;
    c.kind = Kind::Initialisation;
    c.vectors = QStringLiteral("/v/glove.6B.100d.txt");
    QCOMPARE(describeChange(c, QStringLiteral("GloVe text")),
        QStringLiteral("GloVe text initialisation (glove.6B.100d.txt)"));
    QCOMPARE(describeChange(c), QStringLiteral("pre-trained initialisation (glove.6B.100d.txt)"));
    c.kind = Kind::EmbeddingSize;
    c.embeddingDim = 64;
    QCOMPARE(describeChange(c), QStringLiteral("embedding size 64"));
    c.kind = Kind::Cell;
    c.cell = CellKind::RnnRelu;
    QCOMPARE(describeChange(c), QStringLiteral("RNN (ReLU) cell"));
}

QTEST_MAIN(TestCompareDialog)
#include "tst_comparedialog.moc"
