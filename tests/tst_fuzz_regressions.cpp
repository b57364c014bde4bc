// Replays what the fuzzers found (tests/data/bad/fuzz/<target>/) through the fuzz targets' own
// entry points, and every file of tests/data/bad/ through all of them: each input must be either
// accepted or refused with an embedlab::Error, never crash, hang or break an invariant.
#include "core/error.h"
#include "tests/fuzz/fuzz_entry.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QtTest>

#include <exception>

using namespace embedlab;

namespace {

const QString BadDir = QStringLiteral(EMBEDLAB_TEST_DATA "/bad");
const QString ForeignDir = QStringLiteral(EMBEDLAB_TEST_DATA "/foreign");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Runs one input; an empty string when it was accepted or refused with an Error.
QString outcome(const fuzz::Target &target, const QByteArray &input)
{
    try {
        target.run(reinterpret_cast<const std::uint8_t *>(input.constData()),
            static_cast<std::size_t>(input.size()));
    } catch (const Error &) {
    } catch (const std::exception &e) {
        return QStringLiteral("%1: %2").arg(QString::fromLatin1(typeid(e).name()), e.what());
    } catch (...) {
        return QStringLiteral("an exception that is not a std::exception");
    }
    return {};
}

} // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void targetsExist()
    {
        QCOMPARE(int(fuzz::targets().size()), 11);
        for (const auto &t : fuzz::targets())
            QCOMPARE(fuzz::findTarget(t.name), &t);
        QVERIFY(!fuzz::findTarget("nonsense"));
    }

    // Each crasher under the target that found it.
    void crashers_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        const QDir root(BadDir + QStringLiteral("/fuzz"));
        int rows = 0;
        for (const QString &target :
            root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            QDir dir(root.filePath(target));
            for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
                QTest::newRow(qPrintable(target + "/" + file)) << target << dir.filePath(file);
                ++rows;
            }
        }
        if (rows == 0)
            QTest::newRow("none") << QString() << QString();
    }

    void crashers()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        if (target.isEmpty())
            QSKIP("no stored crashers");
        const fuzz::Target *t = fuzz::findTarget(target.toStdString());
        QVERIFY2(t, qPrintable("a directory for an unknown fuzz target: " + target));
        const QString failure = outcome(*t, readAll(file));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    // Every hand-made bad input (files, and the projector directories as the projector target's
    // input) under every target.
    void badInputs_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("input");
        QDirIterator it(BadDir, QDir::Files, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext()) {
            const QString path = it.next();
            if (!path.startsWith(BadDir + QStringLiteral("/fuzz/")))
                files << path;
        }
        // And the files people take for a checkpoint (PyTorch, Keras, NumPy, images).
        QDirIterator foreign(ForeignDir, QDir::Files);
        while (foreign.hasNext())
            files << foreign.next();
        files.sort();
        for (const QString &path : files)
            QTest::newRow(qPrintable(QDir(BadDir).relativeFilePath(path))) << path << readAll(path);
        QDirIterator dirs(BadDir, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (dirs.hasNext()) {
            const QDir dir(dirs.next());
            if (!dir.exists(QStringLiteral("vectors.tsv")))
                continue;
            const QByteArray vectors = readAll(dir.filePath(QStringLiteral("vectors.tsv")));
            const QByteArray metadata = readAll(dir.filePath(QStringLiteral("metadata.tsv")));
            const std::string input
                = fuzz::projectorInput(vectors.toStdString(), metadata.toStdString());
            QTest::newRow(qPrintable(QDir(BadDir).relativeFilePath(dir.path()) + " (projector)"))
                << dir.path() << QByteArray(input.data(), qsizetype(input.size()));
        }
        // The .npy fixtures with their vocabularies, as the npy target reads its input.
        QDirIterator npy(QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/numpy"),
            { QStringLiteral("*.npy") }, QDir::Files);
        while (npy.hasNext()) {
            const QString path = npy.next();
            QByteArray input = readAll(path);
            input += QByteArray(fuzz::NumpyVocabularySeparator.data(),
                qsizetype(fuzz::NumpyVocabularySeparator.size()));
            input += readAll(path.chopped(4) + QStringLiteral(".vocab.txt"));
            QTest::newRow(qPrintable(QFileInfo(path).fileName() + " (npy)")) << path << input;
        }
        if (files.isEmpty())
            QTest::newRow("none") << QString() << QByteArray();
    }

    void badInputs()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, input);
        if (file.isEmpty())
            QSKIP("tests/data/bad is absent");
        for (const auto &t : fuzz::targets()) {
            const QString failure = outcome(t, input);
            QVERIFY2(
                failure.isEmpty(), qPrintable(QString::fromStdString(t.name) + ": " + failure));
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
