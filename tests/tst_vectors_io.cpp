// Tests of word-vector import and export: every format read, detected, gzip-compressed and
// written back bit for bit; messy files reported line by line; broken files refused.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sys/resource.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/fileio.h"
#include "core/model.h"
#include "core/pretrained.h"
#include "core/subwords.h"
#include "core/vectors/vectors.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

Q_DECLARE_METATYPE(embedlab::VectorFormat) // WriteFormat too: the writable VectorFormats

namespace {

std::string dataPath(const QString &name)
{
    return (QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/") + name).toStdString();
}

// The table every clean fixture holds, read from glove.txt with Qt's own number parser:
// float32 of the nearest double, which is what gensim and numpy give.
struct Expected
{
    std::vector<std::string> words;
    std::vector<std::vector<float>> rows;
};

Expected referenceTable()
{
    QFile f(QString::fromStdString(dataPath("glove.txt")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open glove.txt");
    Expected t;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split(' ');
        t.words.push_back(fields[0].toStdString());
        std::vector<float> row;
        for (qsizetype i = 1; i < fields.size(); ++i) {
            bool ok = false;
            const double v = fields[i].toDouble(&ok);
            if (!ok)
                qFatal("glove.txt: cannot parse %s", fields[i].constData());
            row.push_back(static_cast<float>(v));
        }
        t.rows.push_back(row);
    }
    return t;
}

bool sameBits(float a, float b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Empty if equal, else the first difference.
QString differences(const WordVectors &wv, const Expected &t)
{
    if (wv.size() != t.words.size())
        return QStringLiteral("%1 rows, expected %2").arg(wv.size()).arg(t.words.size());
    for (std::size_t i = 0; i < wv.size(); ++i) {
        if (wv.word(i) != t.words[i])
            return QStringLiteral("word %1: '%2', expected '%3'")
                .arg(i)
                .arg(QString::fromStdString(wv.word(i)), QString::fromStdString(t.words[i]));
        if (static_cast<std::size_t>(wv.dim()) != t.rows[i].size())
            return QStringLiteral("dim %1, expected %2").arg(wv.dim()).arg(t.rows[i].size());
        for (int j = 0; j < wv.dim(); ++j) {
            const float got = wv.vectors()(static_cast<Eigen::Index>(i), j);
            if (!sameBits(got, t.rows[i][static_cast<std::size_t>(j)]))
                return QStringLiteral("row %1 ('%2') value %3: %4, expected %5")
                    .arg(i)
                    .arg(QString::fromStdString(t.words[i]))
                    .arg(j)
                    .arg(static_cast<double>(got), 0, 'g', 17)
                    .arg(static_cast<double>(t.rows[i][static_cast<std::size_t>(j)]), 0, 'g', 17);
        }
    }
    return {};
}

QString differences(const WordVectors &a, const WordVectors &b)
{
    Expected t;
    t.words = b.words();
    for (std::size_t i = 0; i < b.size(); ++i) {
        const auto row = b.vectors().row(static_cast<Eigen::Index>(i));
        t.rows.emplace_back(row.data(), row.data() + row.size());
    }
    return differences(a, t);
}

// The message of the Error thrown by f, or an empty string.
template <typename F> QString errorOf(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QList<quint64> lines(const ProblemCount &p)
{
    QList<quint64> l;
    for (auto n : p.firstLines)
        l << n;
    return l;
}

// "count:line,line" so the data tables read like the fixture's comments.
QString problem(const ProblemCount &p)
{
    QStringList l;
    for (auto n : p.firstLines)
        l << QString::number(n);
    return QString::number(p.count) + QLatin1Char(':') + l.join(QLatin1Char(','));
}

long peakRssKb()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A GloVe file of n rows, dim numbers each, with a problem every 97 rows, so that the parallel
// reader's ranges cut through all kinds of lines.
QByteArray generatedGlove(int n, int dim, bool withProblems)
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> value(-3.f, 3.f);
    QByteArray out;
    for (int i = 0; i < n; ++i) {
        QByteArray line = "w" + QByteArray::number(i);
        if (withProblems && i % 97 == 5)
            line = "w" + QByteArray::number(i - 3); // duplicate
        for (int j = 0; j < dim; ++j)
            line += ' ' + QByteArray::number(value(rng), 'g', 6);
        if (withProblems && i % 97 == 11)
            line = "short 1 2";
        if (withProblems && i % 97 == 13)
            line = "";
        if (withProblems && i % 97 == 17)
            line.replace(0, 1, "a b");
        if (withProblems && i % 97 == 19)
            line += " nan";
        out += line + '\n';
    }
    return out;
}

} // namespace

class TestVectorsIo : public QObject
{
    Q_OBJECT

private slots:
    void formatNames();

    void readFormats_data();
    void readFormats();
    void detectFormat_data();
    void detectFormat();
    void formatOverride_data();
    void formatOverride();
    void projectorLabels();
    void checkpoint();
    void fastTextBin_data();
    void fastTextBin();
    void fastTextHashAndNgrams();
    void fastTextBinLimit();
    void fastTextBinGzip();
    void fastTextCoversWordsByNgrams();
    void numpyAsNumpyWritesIt();
    void numpyRefused_data();
    void numpyRefused();

    void roundTrip_data();
    void roundTrip();
    void everyFormatRoundTrips();
    void writerRefuses_data();
    void writerRefuses();
    void writeIsAtomic();

    void messyText_data();
    void messyText();
    void messyBinary();
    void headerCounts_data();
    void headerCounts();
    void truncated_data();
    void truncated();
    void firstLinesCapped();

    void refused_data();
    void refused();
    void hugeHeaderRefusedBeforeAllocating();

    void limit_data();
    void limit();
    void parallelEqualsSerial();
    void tinyRangesEqualOneThread();
    void progressAndCancel();
    void cancelMidway();
    void reportJson();
};

void TestVectorsIo::formatNames()
{
    for (VectorFormat f : { VectorFormat::Auto, VectorFormat::Glove, VectorFormat::Word2VecText,
             VectorFormat::Word2VecBinary, VectorFormat::FastText, VectorFormat::FastTextBin,
             VectorFormat::ProjectorTsv, VectorFormat::Checkpoint, VectorFormat::Numpy }) {
        VectorFormat back = VectorFormat::Glove;
        QVERIFY(parseVectorFormat(vectorFormatName(f), back));
        QCOMPARE(back, f);
    }
    QCOMPARE(QString(vectorFormatName(VectorFormat::Word2VecBinary)), QString("word2vec-bin"));
    VectorFormat unchanged = VectorFormat::FastText;
    QVERIFY(!parseVectorFormat("word2vec-binary", unchanged));
    QVERIFY(!parseVectorFormat("", unchanged));
    QCOMPARE(unchanged, VectorFormat::FastText);
}

void TestVectorsIo::readFormats_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<VectorFormat>("format");
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<bool>("header");

    QTest::newRow("glove") << "glove.txt" << VectorFormat::Glove << false << false;
    QTest::newRow("glove crlf bom")
        << "glove_crlf_bom.txt" << VectorFormat::Glove << false << false;
    QTest::newRow("word2vec") << "word2vec.txt" << VectorFormat::Word2VecText << false << true;
    QTest::newRow("fasttext") << "fasttext.vec" << VectorFormat::FastText << false << true;
    QTest::newRow("word2vec-bin") << "word2vec.bin" << VectorFormat::Word2VecBinary << false
                                  << true;
    QTest::newRow("word2vec-bin no newlines")
        << "word2vec_nonl.bin" << VectorFormat::Word2VecBinary << false << true;
    QTest::newRow("projector") << "projector/vectors.tsv" << VectorFormat::ProjectorTsv << false
                               << false;
    QTest::newRow("projector columns")
        << "projector_columns/vectors.tsv" << VectorFormat::ProjectorTsv << false << false;
    QTest::newRow("glove gz") << "glove.txt.gz" << VectorFormat::Glove << true << false;
    QTest::newRow("word2vec gz") << "word2vec.txt.gz" << VectorFormat::Word2VecText << true << true;
    QTest::newRow("fasttext gz") << "fasttext.vec.gz" << VectorFormat::FastText << true << true;
    QTest::newRow("word2vec-bin gz")
        << "word2vec.bin.gz" << VectorFormat::Word2VecBinary << true << true;
    QTest::newRow("projector gz") << "projector_gz/vectors.tsv.gz" << VectorFormat::ProjectorTsv
                                  << true << false;
}

void TestVectorsIo::readFormats()
{
    QFETCH(QString, file);
    QFETCH(VectorFormat, format);
    QFETCH(bool, gzip);
    QFETCH(bool, header);
    const Expected want = referenceTable();
    for (int threads : { 1, 2 }) {
        ImportOptions opts;
        opts.threads = threads;
        ImportReport report;
        const WordVectors wv = readVectors(dataPath(file), opts, &report);
        QCOMPARE(differences(wv, want), QString());
        QCOMPARE(report.format, format);
        QCOMPARE(report.gzip, gzip);
        QCOMPARE(report.hasHeader, header);
        QCOMPARE(report.rows, quint64(want.words.size()));
        QCOMPARE(report.dim, int(want.rows[0].size()));
        if (header) {
            QCOMPARE(report.headerRows, quint64(want.words.size()));
            QCOMPARE(report.headerDim, int(want.rows[0].size()));
        }
        QCOMPARE(report.problemCount(), quint64(0));
        QVERIFY(!report.headerCountMismatch && !report.truncated && !report.limited);
        QCOMPARE(report.path, dataPath(file));
        QVERIFY(report.bytes > 0);
        QCOMPARE(wv.find("日本"), 5);
    }
}

void TestVectorsIo::detectFormat_data()
{
    readFormats_data();
}

void TestVectorsIo::detectFormat()
{
    QFETCH(QString, file);
    QFETCH(VectorFormat, format);
    QCOMPARE(detectVectorFormat(dataPath(file)), format);
}

void TestVectorsIo::formatOverride_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<VectorFormat>("format");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("wrongFields"); // count:lines
    QTest::addColumn<QString>("error"); // part of the message, or empty

    // The fastText file read as plain word2vec text: the same table under the name asked for.
    QTest::newRow("fasttext as word2vec")
        << "fasttext.vec" << VectorFormat::Word2VecText << 10 << "0:"
        << "";
    QTest::newRow("word2vec as fasttext") << "word2vec.txt" << VectorFormat::FastText << 10 << "0:"
                                          << "";
    // Forced GloVe: the header is just a line with too few numbers.
    QTest::newRow("word2vec as glove") << "word2vec.txt" << VectorFormat::Glove << 10 << "1:1"
                                       << "";
    QTest::newRow("glove as word2vec") << "glove.txt" << VectorFormat::Word2VecText << 0 << ""
                                       << "line 1: expected the 'count dimension' header";
    QTest::newRow("glove as binary") << "glove.txt" << VectorFormat::Word2VecBinary << 0 << ""
                                     << "line 1: expected the 'count dimension' header";
    QTest::newRow("glove as checkpoint") << "glove.txt" << VectorFormat::Checkpoint << 0 << ""
                                         << "glove.txt";
    // Projector numbers read as GloVe: the first number becomes the word.
    QTest::newRow("projector as glove")
        << "projector/vectors.tsv" << VectorFormat::Glove << 10 << "0:"
        << "";
}

void TestVectorsIo::formatOverride()
{
    QFETCH(QString, file);
    QFETCH(VectorFormat, format);
    QFETCH(int, rows);
    QFETCH(QString, wrongFields);
    QFETCH(QString, error);
    ImportOptions opts;
    opts.format = format;
    ImportReport report;
    if (!error.isEmpty()) {
        const QString message = errorOf([&] { readVectors(dataPath(file), opts, &report); });
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(message.contains(QFileInfo(file).fileName()), qPrintable(message));
        return;
    }
    const WordVectors wv = readVectors(dataPath(file), opts, &report);
    QCOMPARE(report.format, format);
    QCOMPARE(int(wv.size()), rows);
    QCOMPARE(problem(report.wrongFieldCount), wrongFields);
    if (format != VectorFormat::Glove || file.startsWith("word2vec"))
        QCOMPARE(differences(wv, referenceTable()), QString());
    else
        QCOMPARE(wv.dim(), 5);
}

void TestVectorsIo::projectorLabels()
{
    // Explicit metadata path; no metadata at all gives row numbers as words.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString vectors = dir.filePath("vecs.tsv");
    QVERIFY(QFile::copy(QString::fromStdString(dataPath("projector/vectors.tsv")), vectors));
    ImportReport report;
    WordVectors wv = readVectors(vectors.toStdString(), {}, &report);
    QCOMPARE(report.format, VectorFormat::ProjectorTsv);
    QCOMPARE(report.metadataPath, std::string());
    QCOMPARE(wv.word(0), std::string("1"));
    QCOMPARE(wv.word(9), std::string("10"));

    ImportOptions opts;
    opts.metadataPath = dataPath("projector_columns/metadata.tsv");
    wv = readVectors(vectors.toStdString(), opts, &report);
    QCOMPARE(differences(wv, referenceTable()), QString());
    QCOMPARE(report.metadataPath, opts.metadataPath);

    // Blank lines are skipped in both files, as the Projector does; labels stay aligned.
    writeBytes(dir.filePath("vectors.tsv"), "1\t2\n\n3\t4\n5\t6\n");
    writeBytes(dir.filePath("metadata.tsv"), "a\n\nb\nc\n");
    wv = readVectors(dir.filePath("vectors.tsv").toStdString(), {}, &report);
    QCOMPARE(wv.words(), (std::vector<std::string> { "a", "b", "c" }));
    QCOMPARE(wv.vectors()(2, 1), 6.f);
    QCOMPARE(problem(report.emptyLines), QString("1:2"));

    // Labels named after the vectors (as the export writes them) come before metadata.tsv.
    QCOMPARE(projectorMetadataPath("a/b/embedding.tsv"), std::string("a/b/embedding_metadata.tsv"));
    QCOMPARE(projectorMetadataPath("emb.v2.tsv.gz"), std::string("emb.v2_metadata.tsv"));
    QCOMPARE(projectorMetadataPath("dir.x/vectors"), std::string("dir.x/vectors_metadata.tsv"));
    writeBytes(dir.filePath("vectors_metadata.tsv"), "x\ny\nz\n");
    wv = readVectors(dir.filePath("vectors.tsv").toStdString(), {}, &report);
    QCOMPARE(wv.words(), (std::vector<std::string> { "x", "y", "z" }));
    QCOMPARE(report.metadataPath, dir.filePath("vectors_metadata.tsv").toStdString());
}

void TestVectorsIo::checkpoint()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ModelConfig c;
    c.vocabSize = 7;
    c.embeddingDim = 5;
    c.hiddenSize = 4;
    c.layers = 1;
    LanguageModel<float> model(c);
    model.initRandom(3);
    const Vocabulary vocab = Vocabulary::fromWords(
        { "<pad>", "<unk>", "<eos>", "the", "of", "café", "日本" }, { 0, 0, 9, 5, 4, 2, 1 });
    const std::string path = dir.filePath("m.safetensors").toStdString();
    saveCheckpoint(path, model, vocab, {});

    QCOMPARE(detectVectorFormat(path), VectorFormat::Checkpoint);
    ImportReport report;
    const WordVectors wv = readVectors(path, {}, &report);
    QCOMPARE(report.format, VectorFormat::Checkpoint);
    QCOMPARE(wv.words(), vocab.words());
    QCOMPARE(wv.counts(), vocab.counts());
    QCOMPARE(wv.dim(), 5);
    // Row v is the encoder's column v, specials included.
    for (int v = 0; v < 7; ++v)
        for (int e = 0; e < 5; ++e)
            QVERIFY(sameBits(wv.vectors()(v, e), model.encoder()(e, v)));

    ImportOptions opts;
    opts.limit = 4;
    QCOMPARE(readVectors(path, opts, &report).size(), std::size_t(4));
    QVERIFY(report.limited);
}

namespace {

Json fastTextReference(const QString &key)
{
    QFile f(QString::fromStdString(dataPath("fasttext_bin/reference.json")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fasttext_bin/reference.json");
    return Json::parse(f.readAll().toStdString()).at(key.toStdString());
}

// The largest |a - b| over a row, or infinity when the sizes differ.
double maxDifference(const Eigen::Ref<const Eigen::VectorXf> &a, const Json &b)
{
    if (static_cast<std::size_t>(a.size()) != b.size())
        return std::numeric_limits<double>::infinity();
    double worst = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(double(a[i]) - b.at(std::size_t(i)).get<double>()));
    return worst;
}

} // namespace

void TestVectorsIo::fastTextBin_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reference"); // the key in reference.json
    QTest::addColumn<int>("minn");
    QTest::addColumn<int>("maxn");
    QTest::newRow("skipgram") << "skipgram.bin"
                              << "skipgram" << 3 << 5;
    QTest::newRow("supervised (labels left out)") << "supervised.bin"
                                                  << "supervised" << 2 << 4;
    QTest::newRow("format before the magic number") << "skipgram_old_format.bin"
                                                    << "skipgram_old_format" << 3 << 5;
}

void TestVectorsIo::numpyAsNumpyWritesIt()
{
    const auto readText = [](const std::string &path) { return readFile(path); };
    // np.save's files (tests/data/vectors/numpy/make_reference.py): read exactly, float64 too,
    // and written back byte for byte, the vocabulary file beside the matrix.
    const std::string dir = dataPath("numpy/");
    ImportReport report;
    const WordVectors table = readVectors(dir + "small.npy", {}, &report);
    QCOMPARE(report.format, VectorFormat::Numpy);
    QCOMPARE(report.problemCount(), std::uint64_t(0));
    QCOMPARE(QString::fromStdString(report.metadataPath),
        QString::fromStdString(dir + "small.vocab.txt"));
    QCOMPARE(table.words(), (std::vector<std::string> { "<pad>", "king", "向量", "café" }));
    QCOMPARE(table.dim(), 3);
    QCOMPARE(table.vectors()(1, 1), -1.25f);
    QCOMPARE(table.vectors()(2, 1), 2.5e10f);
    QCOMPARE(table.vectors()(3, 2), 0.3f);
    const WordVectors doubles = readVectors(dir + "small_f8.npy");
    QCOMPARE(differences(doubles, table), QString());
    ImportOptions limited;
    limited.limit = 2;
    QCOMPARE(readVectors(dir + "small.npy", limited).size(), std::size_t(2));

    QTemporaryDir out;
    QVERIFY(out.isValid());
    const std::string path = out.filePath(QStringLiteral("embedding.npy")).toStdString();
    writeVectors(path, table, VectorFormat::Numpy);
    QCOMPARE(readText(path), readText(dir + "small.npy"));
    QCOMPARE(readText(out.filePath(QStringLiteral("embedding.vocab.txt")).toStdString()),
        readText(dir + "small.vocab.txt"));
    // Another vocabulary path, as the Projector's metadata path is given.
    const std::string vocab = out.filePath(QStringLiteral("words.txt")).toStdString();
    writeVectors(path, table, VectorFormat::Numpy, vocab);
    QCOMPARE(readText(vocab), readText(dir + "small.vocab.txt"));
}

void TestVectorsIo::numpyRefused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::newRow("column-major") << "fortran.npy"
                                  << "must be in C (row-major) order";
    QTest::newRow("big-endian") << "big_endian.npy"
                                << "little-endian float32 or float64";
    QTest::newRow("3-D") << "cube.npy"
                         << "must hold a 2-D matrix";
    QTest::newRow("no vocabulary") << "small_f8.npy:missing"
                                   << "needs its vocabulary";
    QTest::newRow("vocabulary too short") << "small.npy:short"
                                          << "the vocabulary has 2 words";
    QTest::newRow("cut short") << "small.npy:cut"
                               << "cut short";
}

void TestVectorsIo::numpyRefused()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    const auto readText = [](const std::string &path) { return readFile(path); };
    const std::string dir = dataPath("numpy/");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    std::string path = dir + file.section(':', 0, 0).toStdString();
    const QString twist = file.section(':', 1);
    if (!twist.isEmpty()) { // a copy of a good file with one thing wrong
        const std::string bytes = readText(path);
        path = tmp.filePath(QStringLiteral("m.npy")).toStdString();
        const std::string vocab = tmp.filePath(QStringLiteral("m.vocab.txt")).toStdString();
        writeFileAtomically(path, twist == "cut" ? bytes.substr(0, bytes.size() - 5) : bytes);
        if (twist == "short")
            writeFileAtomically(vocab, std::string("a\nb\n"));
        else if (twist == "cut")
            writeFileAtomically(vocab, readText(dir + "small.vocab.txt"));
    }
    const QString error = errorOf([&] { readVectors(path); });
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(
        error.contains(QString::fromStdString(path)) || error.contains("vocab"), qPrintable(error));
}

void TestVectorsIo::fastTextCoversWordsByNgrams()
{
    // A fastText model covers a corpus word outside its vocabulary by the word's n-grams, and the
    // embedding starts from the vector gensim's get_vector gives it.
    const Json ref = fastTextReference(QStringLiteral("skipgram"));
    const WordVectors wv = readVectors(dataPath("fasttext_bin/skipgram.bin"));
    const auto oov = ref.at("oov").get<std::vector<std::string>>();
    const auto oovVectors = ref.at("oov_vectors").get<std::vector<std::vector<double>>>();
    std::vector<std::pair<std::string, std::uint64_t>> counts
        = { { "the", 50 }, { "cat", 40 }, { "river", 30 } };
    std::vector<std::string> ngramWords;
    for (const std::string &w : oov)
        if (!w.empty() && w.find(' ') == std::string::npos) {
            ngramWords.push_back(w);
            counts.emplace_back(w, 20 - ngramWords.size());
        }
    QVERIFY(ngramWords.size() >= 5);
    const Vocabulary vocab = Vocabulary::build(counts, 1, 0);
    const Coverage c = computeCoverage(vocab, wv, false);
    QCOMPARE(c.words, std::uint64_t(counts.size()));
    QCOMPARE(c.coveredWords, c.words);
    QCOMPARE(c.ngramWords, std::uint64_t(ngramWords.size()));
    std::uint64_t ngramTokens = 0;
    for (std::size_t i = 3; i < counts.size(); ++i)
        ngramTokens += counts[i].second;
    QCOMPARE(c.ngramTokens, ngramTokens);
    QVERIFY(c.topMissing.empty());

    // The same table without its buckets covers only its own words.
    WordVectors plain(wv.words(), wv.vectors());
    const Coverage p = computeCoverage(vocab, plain, false);
    QCOMPARE(p.coveredWords, std::uint64_t(3));
    QCOMPARE(p.ngramWords, std::uint64_t(0));

    ModelConfig mc;
    mc.vocabSize = vocab.size();
    mc.embeddingDim = wv.dim();
    mc.hiddenSize = 4;
    mc.layers = 1;
    LanguageModel<float> model(mc);
    const Coverage init = initEmbedding(model, vocab, wv, UncoveredInit::Zeros, 1);
    QCOMPARE(init.ngramWords, c.ngramWords);
    for (std::size_t k = 0; k < oov.size(); ++k) {
        const int id = vocab.id(oov[k]);
        if (oov[k].empty() || id == Vocabulary::Unk)
            continue;
        for (int d = 0; d < wv.dim(); ++d)
            QVERIFY(std::abs(model.encoder()(d, id) - oovVectors[k][static_cast<std::size_t>(d)])
                <= 1e-6);
    }
}

void TestVectorsIo::fastTextBin()
{
    // Every word's vector and the vectors of words outside the vocabulary as gensim 4.2's
    // load_facebook_vectors gives them (tests/data/vectors/fasttext_bin/make_reference.py).
    QFETCH(QString, file);
    QFETCH(QString, reference);
    QFETCH(int, minn);
    QFETCH(int, maxn);
    const std::string path = dataPath("fasttext_bin/" + file);
    const Json ref = fastTextReference(reference);
    QCOMPARE(detectVectorFormat(path), VectorFormat::FastTextBin);
    ImportReport report;
    const WordVectors wv = readVectors(path, {}, &report);
    QCOMPARE(report.format, VectorFormat::FastTextBin);
    QCOMPARE(report.problemCount(), std::uint64_t(0));
    QVERIFY(!report.truncated);
    QCOMPARE(wv.dim(), ref.at("dim").get<int>());
    QCOMPARE(wv.words(), ref.at("words").get<std::vector<std::string>>());
    QCOMPARE(report.rows, std::uint64_t(wv.size()));
    QCOMPARE(wv.counts().size(), wv.size());
    double worst = 0;
    for (std::size_t i = 0; i < wv.size(); ++i)
        worst = std::max(
            worst, maxDifference(wv.vectors().row(Eigen::Index(i)).transpose(), ref["vectors"][i]));
    QVERIFY2(worst <= 1e-6, qPrintable(QString("words: max difference %1").arg(worst)));

    QVERIFY(wv.subwords());
    QCOMPARE(wv.subwords()->minn(), minn);
    QCOMPARE(wv.subwords()->maxn(), maxn);
    QCOMPARE(wv.subwords()->bucketCount(), ref.at("bucket").get<std::size_t>());
    const auto oov = ref.at("oov").get<std::vector<std::string>>();
    QVERIFY(oov.size() >= 8);
    double worstOov = 0;
    bool nonzeroSeen = false;
    Eigen::VectorXf v(wv.dim());
    for (std::size_t i = 0; i < oov.size(); ++i) {
        QCOMPARE(wv.find(oov[i]), -1);
        const bool has = wv.vectorOf(oov[i], v);
        // gensim gives the zero vector to a word without n-grams ("" when minn > 2).
        QCOMPARE(has, !wv.subwords()->ngramBuckets(oov[i]).empty());
        nonzeroSeen |= has && v.norm() > 0;
        worstOov = std::max(worstOov, maxDifference(v, ref["oov_vectors"][i]));
    }
    QVERIFY(nonzeroSeen);
    QVERIFY2(worstOov <= 1e-6, qPrintable(QString("oov: max difference %1").arg(worstOov)));
    // A word of the vocabulary keeps its own composed vector.
    QVERIFY(wv.vectorOf(wv.word(1), v));
    QCOMPARE(maxDifference(v, ref["vectors"][1]), 0.0);
    qInfo("%s: %zu words, max difference %.3g; %zu OOV words, max difference %.3g",
        qPrintable(file), wv.size(), worst, oov.size(), worstOov);
}

void TestVectorsIo::fastTextHashAndNgrams()
{
    // Values of gensim 4.2's ft_hash_bytes and ft_ngram_hashes (a non-ASCII byte is taken as a
    // signed char, so it flips the hash's upper bits).
    QCOMPARE(fastTextHash(""), 2166136261u);
    QCOMPARE(fastTextHash("<the>"), 4243648960u);
    QCOMPARE(fastTextHash("<caf\xc3\xa9>"), 3312017187u);
    QCOMPARE(fastTextHash("\xe5\x90\x91\xe9\x87\x8f"), 4099769196u);
    const SubwordModel model(3, 5, RowMatrixXf::Zero(2000, 2));
    QCOMPARE(model.ngramBuckets("caf\xc3\xa9"),
        std::vector<std::uint32_t>({ 747, 1831, 639, 1661, 601, 1685, 362, 12, 1697 }));
    QVERIFY(model.ngramBuckets("").empty()); // "<>" is shorter than 3 code points
    QCOMPARE(model.ngramBuckets("x").size(), std::size_t(1)); // "<x>"
}

void TestVectorsIo::fastTextBinLimit()
{
    // A limit keeps the first words; the others still get vectors from their n-grams.
    const std::string path = dataPath("fasttext_bin/skipgram.bin");
    const WordVectors all = readVectors(path);
    ImportOptions opts;
    opts.limit = 5;
    ImportReport report;
    const WordVectors some = readVectors(path, opts, &report);
    QCOMPARE(some.size(), std::size_t(5));
    QVERIFY(report.limited);
    QCOMPARE(report.rowsInFile, std::uint64_t(5)); // reading stopped there
    QVERIFY(some.vectors() == all.vectors().topRows(5));
    Eigen::VectorXf v(some.dim()), w(some.dim());
    QVERIFY(some.vectorOf(all.word(10), v));
    QVERIFY(all.subwords()->vector(all.word(10), w));
    QVERIFY(v == w);
}

void TestVectorsIo::fastTextBinGzip()
{
    // A gzip-compressed model reads as the model itself; cut short, it is refused as truncated.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile in(QString::fromStdString(dataPath("fasttext_bin/skipgram.bin")));
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray bytes = in.readAll();
    const auto gzipTo = [&](const QString &name, qsizetype n) {
        const std::string path = dir.filePath(name).toStdString();
        gzFile gz = gzopen(path.c_str(), "wb");
        if (!gz)
            return std::string();
        gzwrite(gz, bytes.constData(), unsigned(n));
        gzclose(gz);
        return path;
    };
    const std::string whole = gzipTo("model.bin.gz", bytes.size());
    QVERIFY(!whole.empty());
    ImportReport report;
    const WordVectors wv = readVectors(whole, {}, &report);
    QVERIFY(report.gzip);
    QCOMPARE(report.format, VectorFormat::FastTextBin);
    const WordVectors plain = readVectors(dataPath("fasttext_bin/skipgram.bin"));
    QCOMPARE(wv.words(), plain.words());
    QVERIFY(wv.vectors() == plain.vectors());
    QVERIFY(wv.subwords() && wv.subwords()->buckets() == plain.subwords()->buckets());

    const std::string cut = gzipTo("cut.bin.gz", 20000);
    const QString message = errorOf([&] { readVectors(cut); });
    QVERIFY2(message.startsWith(QString::fromStdString(cut)), qPrintable(message));
    QVERIFY2(message.contains("the file ends at byte 20000, inside row")
            && message.endsWith("a truncated fastText model"),
        qPrintable(message));
}

void TestVectorsIo::roundTrip_data()
{
    QTest::addColumn<WriteFormat>("format");
    QTest::addColumn<VectorFormat>("detected");
    QTest::addColumn<bool>("spaces"); // words with spaces inside

    QTest::newRow("glove") << WriteFormat::Glove << VectorFormat::Glove << true;
    QTest::newRow("word2vec") << WriteFormat::Word2VecText << VectorFormat::Word2VecText << true;
    QTest::newRow("word2vec-bin") << WriteFormat::Word2VecBinary << VectorFormat::Word2VecBinary
                                  << false;
    QTest::newRow("projector") << WriteFormat::ProjectorTsv << VectorFormat::ProjectorTsv << true;
}

void TestVectorsIo::roundTrip()
{
    QFETCH(WriteFormat, format);
    QFETCH(VectorFormat, detected);
    QFETCH(bool, spaces);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("out").toStdString();

    // The fixture table, then random floats of every magnitude (subnormals, extremes, -0).
    const WordVectors fixture = readVectors(dataPath("glove.txt"));
    std::mt19937 rng(11);
    const int n = 300, dim = 17;
    RowMatrixXf m(n, dim);
    std::vector<std::string> words;
    for (int i = 0; i < n; ++i) {
        words.push_back("w" + std::to_string(i) + (spaces && i % 7 == 3 ? " x . y" : "")
            + (i % 11 == 0 ? "é日" : ""));
        for (int j = 0; j < dim; ++j) {
            std::uint32_t bits = static_cast<std::uint32_t>(rng());
            float f;
            std::memcpy(&f, &bits, sizeof f);
            if (!std::isfinite(f))
                f = std::numeric_limits<float>::max();
            m(i, j) = f;
        }
    }
    m(0, 0) = -0.f;
    m(0, 1) = std::numeric_limits<float>::denorm_min();
    m(0, 2) = std::numeric_limits<float>::min();
    m(0, 3) = -std::numeric_limits<float>::max();
    m(0, 4) = 16777217.f;
    m(0, 5) = 0.1f;
    const WordVectors random(words, m);

    for (const WordVectors *table : { &fixture, &random }) {
        writeVectors(path, *table, format);
        ImportReport report;
        const WordVectors back = readVectors(path, {}, &report);
        QCOMPARE(report.format, detected);
        QCOMPARE(differences(back, *table), QString());
        QCOMPARE(report.problemCount(), report.tokensWithSpaces.count);
        // Gzip-compressed, the same.
        if (format != WriteFormat::ProjectorTsv) {
            const std::string gzPath = path + ".gz";
            QProcess gzip;
            gzip.setStandardOutputFile(QString::fromStdString(gzPath));
            gzip.start("gzip", { "-c", QString::fromStdString(path) });
            QVERIFY(gzip.waitForFinished());
            if (gzip.exitCode() == 0) {
                const WordVectors unzipped = readVectors(gzPath, {}, &report);
                QVERIFY(report.gzip);
                QCOMPARE(differences(unzipped, *table), QString());
            }
        }
    }
    if (format == WriteFormat::ProjectorTsv) {
        QVERIFY(QFile::exists(dir.filePath("out_metadata.tsv")));
        QVERIFY(!QFile::exists(dir.filePath("metadata.tsv")));
    }
}

void TestVectorsIo::everyFormatRoundTrips()
{
    // Every row of the table with a writer: written, detected as itself, read back exactly (and
    // chosen for export by its extension); a row without one refuses to write.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const WordVectors table = readVectors(dataPath("glove.txt"));
    QVERIFY(!vectorFormats().empty());
    for (const VectorFormatInfo &f : vectorFormats()) {
        QCOMPARE(findVectorFormat(f.id), &f);
        VectorFormat parsed = VectorFormat::Auto;
        QVERIFY(parseVectorFormat(f.name, parsed));
        QCOMPARE(parsed, f.id);
        QVERIFY(f.read);
        const std::string path
            = dir.filePath(QStringLiteral("out.") + QString::fromStdString(f.extensions.at(0)))
                  .toStdString();
        if (!f.write) {
            QVERIFY(!errorOf([&] { writeVectors(path, table, f.id); }).isEmpty());
            continue;
        }
        QCOMPARE(exportFormatForPath(path), f.id);
        writeVectors(path, table, f.id);
        QCOMPARE(detectVectorFormat(path), f.id);
        ImportReport report;
        const WordVectors back = readVectors(path, {}, &report);
        QCOMPARE(report.format, f.id);
        QCOMPARE(report.problemCount(), std::uint64_t(0));
        QCOMPARE(differences(back, table), QString());
        ImportOptions forced;
        forced.format = f.id;
        QCOMPARE(differences(readVectors(path, forced), table), QString());
    }
}

void TestVectorsIo::writerRefuses_data()
{
    QTest::addColumn<WriteFormat>("format");
    QTest::addColumn<QString>("word");
    QTest::addColumn<float>("value");
    QTest::addColumn<QString>("error");

    const float nan = std::numeric_limits<float>::quiet_NaN();
    QTest::newRow("space in binary") << WriteFormat::Word2VecBinary << "a b" << 1.f << "space";
    QTest::newRow("newline") << WriteFormat::Glove << "a\nb" << 1.f << "line break";
    QTest::newRow("empty word") << WriteFormat::Word2VecText << "" << 1.f << "empty";
    QTest::newRow("tab in projector") << WriteFormat::ProjectorTsv << "a\tb" << 1.f << "tab";
    QTest::newRow("leading space") << WriteFormat::Glove << " a" << 1.f << "spaces around";
    QTest::newRow("nan") << WriteFormat::Glove << "a" << nan << "NaN";
    QTest::newRow("inf") << WriteFormat::Word2VecBinary << "a"
                         << std::numeric_limits<float>::infinity() << "NaN or infinite";
}

void TestVectorsIo::writerRefuses()
{
    QFETCH(WriteFormat, format);
    QFETCH(QString, word);
    QFETCH(float, value);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const std::string path = dir.filePath("out.txt").toStdString();
    RowMatrixXf m(2, 2);
    m << 1, 2, 3, value;
    const WordVectors wv({ "ok", word.toStdString() }, m);
    const QString message = errorOf([&] { writeVectors(path, wv, format); });
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY2(message.contains("out.txt"), qPrintable(message));
    QVERIFY(!QFile::exists(QString::fromStdString(path)));

    const QString empty = errorOf([&] { writeVectors(path, WordVectors(), format); });
    QVERIFY2(empty.contains("empty"), qPrintable(empty));
}

void TestVectorsIo::writeIsAtomic()
{
    // A refused write leaves the previous file as it was.
    QTemporaryDir dir;
    const QString path = dir.filePath("v.txt");
    writeBytes(path, "old 1 2\n");
    RowMatrixXf m(1, 2);
    m << 1, std::numeric_limits<float>::quiet_NaN();
    QVERIFY(!errorOf([&] {
        writeVectors(path.toStdString(), WordVectors({ "a" }, m), WriteFormat::Glove);
    }).isEmpty());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("old 1 2\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void TestVectorsIo::messyText_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("threads");
    QTest::newRow("parallel") << "messy.txt" << 2;
    QTest::newRow("one thread") << "messy.txt" << 1;
    QTest::newRow("gzip stream") << "messy.txt.gz" << 2;
}

void TestVectorsIo::messyText()
{
    QFETCH(QString, file);
    QFETCH(int, threads);
    ImportOptions opts;
    opts.threads = threads;
    ImportReport report;
    const WordVectors wv = readVectors(dataPath(file), opts, &report);
    // See the line-by-line notes in make_fixtures.py.
    QCOMPARE(report.format, VectorFormat::Glove);
    QCOMPARE(report.dim, 4);
    QCOMPARE(wv.words(),
        (std::vector<std::string> {
            "the", "of", "caf\xEF\xBF\xBD", ". . .", "at name@domain.com", "crlf", "last" }));
    QCOMPARE(report.rows, quint64(7));
    QCOMPARE(report.rowsInFile, quint64(13)); // 15 lines, 2 of them blank
    QCOMPARE(problem(report.duplicates), QString("2:4,13"));
    QCOMPARE(problem(report.invalidUtf8), QString("1:5"));
    QCOMPARE(problem(report.tokensWithSpaces), QString("2:6,11"));
    QCOMPARE(problem(report.wrongFieldCount), QString("1:7"));
    QCOMPARE(problem(report.nonFinite), QString("2:8,9"));
    QCOMPARE(problem(report.badNumbers), QString("1:10"));
    QCOMPARE(problem(report.emptyLines), QString("2:3,12"));
    // The first of a duplicated word wins; numbers of spaced tokens come from the right.
    QCOMPARE(wv.vectors()(wv.find("the"), 0), 0.1f);
    QCOMPARE(wv.vectors()(wv.find(". . ."), 3), 4.f);
    QCOMPARE(wv.vectors()(wv.find("last"), 3), -4.f);
    QVERIFY(!report.truncated && !report.headerCountMismatch);
}

void TestVectorsIo::messyBinary()
{
    ImportReport report;
    const WordVectors wv = readVectors(dataPath("messy.bin"), {}, &report);
    QCOMPARE(report.format, VectorFormat::Word2VecBinary);
    QCOMPARE(wv.words(), (std::vector<std::string> { "a", "c\xEF\xBF\xBD", "d" }));
    QCOMPARE(wv.vectors()(0, 1), 2.f);
    // Binary problems are numbered by row.
    QCOMPARE(problem(report.nonFinite), QString("1:2"));
    QCOMPARE(problem(report.duplicates), QString("1:3"));
    QCOMPARE(problem(report.invalidUtf8), QString("1:4"));
    QVERIFY(!report.headerCountMismatch);
}

void TestVectorsIo::headerCounts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rows");
    QTest::addColumn<quint64>("headerRows");
    QTest::newRow("text, fewer rows") << "header_mismatch.txt" << 3 << quint64(5);
    QTest::newRow("text, 10^9 promised") << "header_many_rows.txt" << 2 << quint64(1000000000);
    QTest::newRow("binary, 10^9 promised") << "header_many_rows.bin" << 2 << quint64(1000000000);
}

void TestVectorsIo::headerCounts()
{
    QFETCH(QString, file);
    QFETCH(int, rows);
    QFETCH(quint64, headerRows);
    const long before = peakRssKb();
    ImportReport report;
    const WordVectors wv = readVectors(dataPath(file), {}, &report);
    QCOMPARE(int(wv.size()), rows);
    QVERIFY(report.hasHeader);
    QCOMPARE(report.headerRows, headerRows);
    QVERIFY(report.headerCountMismatch);
    QVERIFY(!report.truncated);
    QCOMPARE(wv.vectors()(1, 2), 6.f);
    QVERIFY2(peakRssKb() - before < 50 * 1024, "memory was allocated for the header's count");
}

void TestVectorsIo::truncated_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("binary") << "truncated.bin";
    QTest::newRow("gzip") << "truncated.txt.gz";
}

void TestVectorsIo::truncated()
{
    QFETCH(QString, file);
    ImportReport report;
    const WordVectors wv = readVectors(dataPath(file), {}, &report);
    QVERIFY(report.truncated);
    if (file.endsWith(".bin")) {
        // Header says 4; rows 1 and 2 are complete, row 3 is cut inside its numbers.
        QCOMPARE(wv.words(), (std::vector<std::string> { "one", "two" }));
        QCOMPARE(wv.vectors()(1, 2), 6.f);
        QVERIFY(report.headerCountMismatch);
    } else {
        // Complete lines only, in order, each as generated.
        QVERIFY(wv.size() > 10 && wv.size() < 400);
        for (std::size_t i = 0; i < wv.size(); ++i) {
            QCOMPARE(wv.word(i), "w" + std::to_string(i));
            QCOMPARE(wv.vectors()(static_cast<Eigen::Index>(i), 1), -(float(i) + 0.25f));
        }
        QCOMPARE(report.problemCount(), quint64(0));
    }
}

void TestVectorsIo::firstLinesCapped()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("dups.txt");
    QByteArray text = "a 1 2\n";
    for (int i = 0; i < 8; ++i)
        text += "a 3 4\n";
    writeBytes(path, text);
    ImportReport report;
    readVectors(path.toStdString(), {}, &report);
    QCOMPARE(report.duplicates.count, quint64(8));
    QCOMPARE(lines(report.duplicates), (QList<quint64> { 2, 3, 4, 5, 6 }));
}

void TestVectorsIo::refused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << "empty.txt"
                           << "empty.txt: the file is empty";
    QTest::newRow("blank lines only") << "blank_only.txt"
                                      << "only blank lines";
    QTest::newRow("prose") << "prose.txt"
                           << "not a word-vector file";
    QTest::newRow("prose gz") << "prose.txt.gz"
                              << "not a word-vector file";
    QTest::newRow("binary junk") << "binary_junk.dat"
                                 << "not a word-vector file";
    QTest::newRow("words only") << "words_only.txt"
                                << "line 1: a dimension of 0";
    QTest::newRow("header dim 0") << "header_dim0.txt"
                                  << "line 1: the header says 3 x 0";
    QTest::newRow("header only") << "header_only.txt"
                                 << "no vectors after the header";
    QTest::newRow("header dim mismatch")
        << "header_dim_mismatch.txt"
        << "line 2: the header says 5 numbers per word, but the rows have 3";
    QTest::newRow("huge header text") << "header_huge.txt"
                                      << "cannot hold even one row";
    QTest::newRow("huge header binary") << "header_huge.bin"
                                        << "cannot hold even one row";
    QTest::newRow("nothing left")
        << "all_nan.txt"
        << "no usable word vectors: 2 with NaN or infinite values (first at line 1)";
    QTest::newRow("corrupt gzip") << "corrupt.txt.gz"
                                  << "corrupt gzip data";
    QTest::newRow("missing") << "no_such_file.txt"
                             << "no_such_file.txt: cannot open";
    QTest::newRow("directory") << "projector"
                               << "is a directory";
    QTest::newRow("labels do not match") << "projector_mismatch/vectors.tsv"
                                         << "metadata.tsv: 2 labels for the 3 vectors";
}

void TestVectorsIo::refused()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    ImportReport report;
    const QString message = errorOf([&] { readVectors(dataPath(file), {}, &report); });
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY2(message.startsWith(QString::fromStdString(dataPath(file)))
            || message.contains("metadata.tsv"),
        qPrintable(message));
    // Whatever the content alone gives away, detection refuses the same way.
    if (file != "all_nan.txt" && !file.startsWith("projector")) {
        const QString detect = errorOf([&] { detectVectorFormat(dataPath(file)); });
        QCOMPARE(detect, message);
    }
}

void TestVectorsIo::hugeHeaderRefusedBeforeAllocating()
{
    // A header that claims 10^9 x 10^9, followed by real rows: refused at once, nothing allocated.
    QTemporaryDir dir;
    for (const char *header : { "1000000000 1000000000\n", "1000000000000 1000000\n" }) {
        const QString path = dir.filePath("h.txt");
        QByteArray text = header;
        for (int i = 0; i < 1000; ++i)
            text += "w" + QByteArray::number(i) + " 1 2 3\n";
        writeBytes(path, text);
        const long before = peakRssKb();
        const QString message = errorOf([&] { readVectors(path.toStdString()); });
        QVERIFY2(message.contains("cannot hold"), qPrintable(message));
        QVERIFY(message.startsWith(path));
        QVERIFY(peakRssKb() - before < 20 * 1024);
    }
}

void TestVectorsIo::limit_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<quint64>("limit");
    QTest::addColumn<int>("rows");
    QTest::addColumn<bool>("limited");

    QTest::newRow("glove 3") << "glove.txt" << quint64(3) << 3 << true;
    QTest::newRow("glove 9") << "glove.txt" << quint64(9) << 9 << true; // the parallel path
    QTest::newRow("glove 10") << "glove.txt" << quint64(10) << 10 << false;
    QTest::newRow("glove 1000") << "glove.txt" << quint64(1000) << 10 << false;
    QTest::newRow("binary 4") << "word2vec.bin" << quint64(4) << 4 << true;
    QTest::newRow("gzip 2") << "word2vec.txt.gz" << quint64(2) << 2 << true;
    QTest::newRow("projector 5") << "projector/vectors.tsv" << quint64(5) << 5 << true;
    // Dropped lines do not count: the messy file's first 4 words are on lines 1, 2, 5, 6.
    QTest::newRow("messy 4") << "messy.txt" << quint64(4) << 4 << true;
}

void TestVectorsIo::limit()
{
    QFETCH(QString, file);
    QFETCH(quint64, limit);
    QFETCH(int, rows);
    QFETCH(bool, limited);
    ImportOptions opts;
    opts.limit = limit;
    ImportReport report;
    const WordVectors wv = readVectors(dataPath(file), opts, &report);
    QCOMPARE(int(wv.size()), rows);
    QCOMPARE(report.limited, limited);
    QVERIFY(!report.headerCountMismatch);
    const WordVectors all = readVectors(dataPath(file));
    for (int i = 0; i < rows; ++i) {
        QCOMPARE(wv.word(static_cast<std::size_t>(i)), all.word(static_cast<std::size_t>(i)));
        QVERIFY(wv.vectors().row(i) == all.vectors().row(i));
    }
    if (file == "messy.txt") {
        // Problems after the last row read are not reported.
        QCOMPARE(problem(report.tokensWithSpaces), QString("1:6"));
        QCOMPARE(report.wrongFieldCount.count, quint64(0));
    }
}

void TestVectorsIo::tinyRangesEqualOneThread()
{
    // Every fixture (good, messy and broken, projector directories included) read by one parser
    // thread and by four over ranges of a few bytes: the same table, report or refusal.
    const QDir root(QString::fromStdString(dataPath("")));
    QStringList paths;
    for (const QString &name : root.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (name.endsWith(QLatin1String(".py")))
            continue;
        const QString path = root.filePath(name);
        paths << (QFileInfo(path).isDir() ? path + "/vectors.tsv" : path);
    }
    QVERIFY(paths.size() > 30);
    int compared = 0;
    for (const QString &path : std::as_const(paths)) {
        if (!QFile::exists(path))
            continue;
        auto read = [&](int threads, std::uint64_t bytesPerThread) {
            ImportOptions opts;
            opts.threads = threads;
            opts.bytesPerThread = bytesPerThread;
            ImportReport report;
            try {
                const WordVectors wv = readVectors(path.toStdString(), opts, &report);
                report.seconds = 0;
                return std::make_pair(std::make_shared<WordVectors>(wv),
                    QString::fromStdString(reportToJson(report)));
            } catch (const Error &e) {
                return std::make_pair(std::shared_ptr<WordVectors>(), QString::fromUtf8(e.what()));
            }
        };
        const auto one = read(1, std::uint64_t(4) << 20);
        const auto four = read(4, 1);
        QCOMPARE(four.second, one.second); // the report, or the message
        QCOMPARE(bool(four.first), bool(one.first));
        if (one.first)
            QVERIFY2(differences(*four.first, *one.first).isEmpty(), qPrintable(path));
        ++compared;
    }
    QVERIFY(compared > 30);
}

void TestVectorsIo::parallelEqualsSerial()
{
    // Big enough for several ranges; every reader path must give the same table and report.
    QTemporaryDir dir;
    const QString path = dir.filePath("big.txt");
    const QByteArray text = generatedGlove(60000, 24, true);
    QVERIFY(text.size() > 9 * (1 << 20));
    writeBytes(path, text);
    QProcess gzip;
    gzip.setStandardOutputFile(path + ".gz");
    gzip.start("gzip", { "-1", "-c", path });
    QVERIFY(gzip.waitForFinished());

    ImportReport one;
    ImportOptions opts;
    opts.threads = 1;
    const WordVectors a = readVectors(path.toStdString(), opts, &one);
    for (int threads : { 2, 3, 5 }) {
        opts.threads = threads;
        ImportReport r;
        const WordVectors b = readVectors(path.toStdString(), opts, &r);
        QCOMPARE(differences(b, a), QString());
        for (auto p : { &ImportReport::duplicates, &ImportReport::wrongFieldCount,
                 &ImportReport::emptyLines, &ImportReport::tokensWithSpaces,
                 &ImportReport::nonFinite, &ImportReport::badNumbers })
            QCOMPARE(problem(r.*p), problem(one.*p));
    }
    if (gzip.exitCode() == 0) {
        ImportReport z;
        const WordVectors c = readVectors((path + ".gz").toStdString(), {}, &z);
        QCOMPARE(differences(c, a), QString());
        QCOMPARE(problem(z.duplicates), problem(one.duplicates));
        QCOMPARE(problem(z.wrongFieldCount), problem(one.wrongFieldCount));
    }
    QVERIFY(one.duplicates.count > 500);
    QCOMPARE(one.wrongFieldCount.count, one.emptyLines.count);
    QCOMPARE(one.rows + one.duplicates.count + one.wrongFieldCount.count + one.nonFinite.count
            + one.emptyLines.count,
        quint64(60000));
}

void TestVectorsIo::progressAndCancel()
{
    // Progress ends at the file size; returning false at once throws Cancelled.
    for (const char *file : { "glove.txt", "word2vec.bin", "glove.txt.gz" }) {
        std::vector<std::pair<quint64, quint64>> calls;
        ImportOptions opts;
        opts.progress = [&](std::uint64_t done, std::uint64_t total) {
            calls.emplace_back(done, total);
            return true;
        };
        ImportReport report;
        readVectors(dataPath(file), opts, &report);
        QVERIFY(calls.size() >= 2);
        QCOMPARE(calls.back().first, report.bytes);
        QCOMPARE(calls.back().second, report.bytes);
        for (std::size_t i = 1; i < calls.size(); ++i)
            QVERIFY(calls[i].first >= calls[i - 1].first);

        opts.progress = [](std::uint64_t, std::uint64_t) { return false; };
        bool cancelled = false;
        try {
            readVectors(dataPath(file), opts, &report);
        } catch (const Cancelled &e) {
            cancelled = true;
            QVERIFY(QString(e.what()).endsWith("cancelled"));
        }
        QVERIFY(cancelled);
        QVERIFY(report.cancelled);
    }
}

void TestVectorsIo::cancelMidway()
{
    // Cancelling part-way through a large file stops the read early (parallel and stream paths).
    QTemporaryDir dir;
    const QString path = dir.filePath("big.txt");
    writeBytes(path, generatedGlove(60000, 24, false));
    QProcess gzip;
    gzip.setStandardOutputFile(path + ".gz");
    gzip.start("gzip", { "-1", "-c", path });
    QVERIFY(gzip.waitForFinished());

    for (const QString &file : { path, path + ".gz" }) {
        if (!QFile::exists(file) || QFileInfo(file).size() == 0)
            continue;
        quint64 lastDone = 0, total = 0;
        int calls = 0;
        ImportOptions opts;
        opts.progress = [&](std::uint64_t done, std::uint64_t all) {
            lastDone = done;
            total = all;
            // Reports come at most every 40 ms: a slow first one makes the next come early.
            if (calls == 0)
                QThread::msleep(50);
            return ++calls < 2;
        };
        bool cancelled = false;
        try {
            readVectors(file.toStdString(), opts);
        } catch (const Cancelled &) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(calls, 2);
        QVERIFY2(lastDone < total, qPrintable(QString("%1 of %2").arg(lastDone).arg(total)));
    }
}

void TestVectorsIo::reportJson()
{
    ImportReport report;
    readVectors(dataPath("messy.txt"), {}, &report);
    const Json j = Json::parse(reportToJson(report));
    QCOMPARE(j.at("format").get<std::string>(), std::string("glove"));
    QCOMPARE(j.at("rows").get<std::uint64_t>(), quint64(7));
    QCOMPARE(j.at("dim").get<std::int64_t>(), 4);
    const Json &dups = j.at("problems").at("duplicates");
    QCOMPARE(dups.at("count").get<std::uint64_t>(), quint64(2));
    QCOMPARE(dups.at("first_lines")[1].get<std::uint64_t>(), quint64(13));
    QCOMPARE(j.at("problems").at("empty_lines").at("count").get<std::uint64_t>(), quint64(2));
    QVERIFY(!j.at("truncated").get<bool>());
    QVERIFY(j.at("seconds").get<double>() >= 0);
}

QTEST_GUILESS_MAIN(TestVectorsIo)
#include "tst_vectors_io.moc"
