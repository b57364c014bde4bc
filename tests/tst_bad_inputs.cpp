// Bad input of every kind, through the engine and through embedlab-cli: each file is refused with
// a message naming it, the line or field and what was expected, or loaded with the problem counted
// in the report. Nothing may crash, hang, or allocate for sizes the file cannot back. The files
// are in tests/data/bad/ (see its README.md); the large ones are made here at run time.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/vectors/vectors.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

const QString BadDir = QStringLiteral(EMBEDLAB_TEST_DATA "/bad/");
constexpr qint64 SparseBytes = qint64(1) << 40; // 1 TB, of which nothing is on disk
constexpr int CliTimeoutMs = 60000;

// The message of the Error thrown by f; empty if f returned. Anything else thrown is a failure
// of its own: the readers promise Error (or a successful load) for every input.
template <typename F> QString errorOf(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("unexpected exception (not embedlab::Error): ")
            + QString::fromUtf8(e.what());
    }
    return {};
}

// The whole of text against pattern, where '*' stands for any run of characters.
bool matches(const QString &text, const QString &pattern)
{
    const QStringList parts = pattern.split(QLatin1Char('*'));
    if (!text.startsWith(parts.first()))
        return false;
    qsizetype at = parts.first().size();
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString &part = parts[i];
        if (i == parts.size() - 1)
            return text.size() - at >= part.size() && text.endsWith(part);
        const qsizetype found = text.indexOf(part, at);
        if (found < 0)
            return false;
        at = found + part.size();
    }
    return at == text.size();
}

long peakRssKb()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

QString lineList(const std::vector<std::uint64_t> &lines)
{
    QStringList l;
    for (auto n : lines)
        l << QString::number(n);
    return l.join(QLatin1Char(','));
}

// One line per report, the same from the engine and from inspect's JSON:
// "format rows=kept/in-file dim=D [header=RxD] [problem=count@lines]... [flags]".
QString summary(const QString &format, quint64 rows, quint64 rowsInFile, int dim, bool hasHeader,
    quint64 headerRows, int headerDim, const QStringList &problems, bool mismatch, bool truncated,
    bool gzip)
{
    QString s
        = QStringLiteral("%1 rows=%2/%3 dim=%4").arg(format).arg(rows).arg(rowsInFile).arg(dim);
    if (hasHeader)
        s += QStringLiteral(" header=%1x%2").arg(headerRows).arg(headerDim);
    for (const QString &p : problems)
        s += QLatin1Char(' ') + p;
    if (gzip)
        s += QStringLiteral(" gzip");
    if (mismatch)
        s += QStringLiteral(" count_mismatch");
    if (truncated)
        s += QStringLiteral(" truncated");
    return s;
}

QString summary(const ImportReport &r)
{
    QStringList problems;
    const std::pair<const char *, const ProblemCount *> all[] = {
        { "duplicates", &r.duplicates },
        { "invalid_utf8", &r.invalidUtf8 },
        { "tokens_with_spaces", &r.tokensWithSpaces },
        { "wrong_field_count", &r.wrongFieldCount },
        { "bad_numbers", &r.badNumbers },
        { "non_finite", &r.nonFinite },
        { "empty_lines", &r.emptyLines },
    };
    for (const auto &[name, p] : all) {
        if (p->count)
            problems
                << QStringLiteral("%1=%2@%3").arg(name).arg(p->count).arg(lineList(p->firstLines));
    }
    return summary(QString::fromUtf8(vectorFormatName(r.format)), r.rows, r.rowsInFile, r.dim,
        r.hasHeader, r.headerRows, r.headerDim, problems, r.headerCountMismatch, r.truncated,
        r.gzip);
}

QString summary(const Json &j)
{
    QStringList problems;
    for (const auto &[name, p] : j.at("problems").items()) {
        if (p.at("count").get<std::int64_t>() == 0)
            continue;
        std::vector<std::uint64_t> lines;
        for (const Json &l : p.at("first_lines"))
            lines.push_back(static_cast<std::uint64_t>(l.get<std::int64_t>()));
        problems << QStringLiteral("%1=%2@%3")
                        .arg(QString::fromStdString(name))
                        .arg(p.at("count").get<std::int64_t>())
                        .arg(lineList(lines));
    }
    return summary(QString::fromStdString(j.at("format").get<std::string>()),
        quint64(j.at("rows").get<std::int64_t>()),
        quint64(j.at("rows_in_file").get<std::int64_t>()), int(j.at("dim").get<std::int64_t>()),
        j.at("has_header").get<bool>(), quint64(j.at("header_rows").get<std::int64_t>()),
        int(j.at("header_dim").get<std::int64_t>()), problems,
        j.at("header_count_mismatch").get<bool>(), j.at("truncated").get<bool>(),
        j.at("gzip").get<bool>());
}

QString summary(const Corpus &c)
{
    return QStringLiteral("lines=%1 tokens=%2 vocab=%3 train=%4 valid=%5 unk=%6 invalid_utf8=%7")
        .arg(c.stats.lines)
        .arg(c.stats.tokens)
        .arg(c.vocab.size())
        .arg(c.train.size())
        .arg(c.valid.size())
        .arg(c.trainUnk + c.validUnk)
        .arg(c.stats.invalidUtf8);
}

struct Run
{
    bool finished = false;
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exitCode = -1;
    QString out, err;

    // The last line on stderr: the error, after any note that came before it.
    QString lastError() const
    {
        const QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return lines.isEmpty() ? QString() : lines.last();
    }
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(EMBEDLAB_CLI), args);
    Run r;
    r.finished = p.waitForFinished(CliTimeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished();
    }
    r.status = p.exitStatus();
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Finished in time, by itself, not by a signal.
#define VERIFY_EXITED(r)                                                                           \
    do {                                                                                           \
        QVERIFY2((r).finished, "embedlab-cli did not finish within the timeout");                  \
        QVERIFY2(                                                                                  \
            (r).status == QProcess::NormalExit, qPrintable("embedlab-cli crashed: " + (r).err));   \
    } while (false)

QStringList smallTraining()
{
    return { "--embedding-dim", "4", "--hidden", "4", "--layers", "1", "--batch", "2", "--bptt",
        "4", "--threads", "1", "--max-steps", "1" };
}

} // namespace

class TestBadInputs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void vectors_data();
    void vectors();
    void vectorsCli_data() { vectors_data(); }
    void vectorsCli();

    void corpus_data();
    void corpus();
    void corpusCli_data() { corpus_data(); }
    void corpusCli();

    void checkpoints_data();
    void checkpoints();
    void checkpointsCli_data() { checkpoints_data(); }
    void checkpointsCli();
    void foreignFilesAsCheckpoints_data();
    void foreignFilesAsCheckpoints();

    void refusedBeforeAllocating_data();
    void refusedBeforeAllocating();
    void memoryEstimate();
    void everyFixtureIsCovered();

private:
    // A name in tests/data/bad/, or "tmp:NAME" for a file made by initTestCase.
    QString path(const QString &file) const;
    bool isSparse(const QString &file) const
    {
        return file.startsWith(QLatin1String("tmp:sparse"));
    }
    // pattern with {path} and {dir} replaced.
    QString expand(QString pattern, const QString &file) const;

    QTemporaryDir m_tmp;
    bool m_sparseOk = false;
    QStringList m_covered; // every fixture named by a data table
};

QString TestBadInputs::path(const QString &file) const
{
    if (file.startsWith(QLatin1String("tmp:")))
        return m_tmp.filePath(file.mid(4));
    return BadDir + file;
}

QString TestBadInputs::expand(QString pattern, const QString &file) const
{
    const QString p = path(file);
    pattern.replace(QLatin1String("{path}"), p);
    pattern.replace(QLatin1String("{dir}"), p.left(p.lastIndexOf(QLatin1Char('/'))));
    return pattern;
}

void TestBadInputs::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    // 20 MB on one line, no line break anywhere: words from a small list, and one single token.
    {
        QByteArray words;
        words.reserve(21 << 20);
        std::uint32_t x = 12345;
        while (words.size() < (20 << 20)) {
            x = x * 1664525u + 1013904223u;
            words += "word" + QByteArray::number((x >> 16) % 500) + ' ';
        }
        words.chop(1);
        QFile f(path("tmp:huge_line.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(words), words.size());
    }
    {
        QFile f(path("tmp:huge_token.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray token(20 << 20, 'x');
        QCOMPARE(f.write(token), token.size());
    }
    // Files of 1 TB that take no disk space (holes): a word2vec binary header that the file size
    // backs, a corpus and a checkpoint. Reading any of them whole is what must not happen.
    m_sparseOk = true;
    const std::pair<QString, QByteArray> sparse[] = {
        { "tmp:sparse.bin", "250000000 1000\n" },
        { "tmp:sparse.txt", "It is a truth universally acknowledged\n" },
        { "tmp:sparse.safetensors", QByteArray("\x13\0\0\0\0\0\0\0{\"__metadata__\":{}}", 27) },
    };
    for (const auto &[name, head] : sparse) {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(head), head.size());
        m_sparseOk = m_sparseOk && f.resize(SparseBytes);
    }
    if (!m_sparseOk)
        qWarning("this file system cannot hold sparse 1 TB files; those cases are skipped");
}

// ---------------------------------------------------------------------------------------------
// Word vectors

void TestBadInputs::vectors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error"); // pattern of the whole message; empty: the file loads
    QTest::addColumn<QString>("report"); // summary() of the report when it loads
    QTest::addColumn<QString>("words"); // the words loaded, when it loads (empty: not checked)

    auto refused = [this](const char *name, const QString &file, const QString &error) {
        m_covered << file;
        QTest::newRow(name) << file << error << QString() << QString();
    };
    auto loads = [this](const char *name, const QString &file, const QString &report,
                     const QString &words = {}) {
        m_covered << file;
        QTest::newRow(name) << file << QString() << report << words;
    };
    const QString nul
        = QStringLiteral("not a word-vector file: a NUL byte, so binary data or UTF-16 text");
    const QString bom = QStringLiteral("{path} line 1: UTF-16 byte-order mark; the file looks like "
                                       "UTF-16, not UTF-8 text");

    // Not vectors at all.
    refused("empty", "empty.txt", "{path}: the file is empty");
    refused("PDF", "binary.pdf", "{path} line 6: " + nul);
    refused("PNG", "binary.png", "{path} line 3: " + nul);
    refused("UTF-16LE text, BOM", "utf16le_bom.txt", bom);
    refused("UTF-16BE text, BOM", "utf16be_bom.txt", bom);
    refused("UTF-16LE text, no BOM", "utf16le_nobom.txt", "{path} line 1: " + nul);
    refused("Windows-1252 prose", "cp1252.txt",
        "{path} line 1: not a word-vector file: expected a word and 8 numbers");
    refused("prose of rare words", "rare_tokens.txt",
        "{path} line 1: not a word-vector file: expected a word and 7 numbers");
    refused("20 MB line of words", "tmp:huge_line.txt",
        "{path} line 1: not a word-vector file: expected a word and 2* numbers");
    refused("20 MB token", "tmp:huge_token.txt",
        "{path} line 1: a dimension of 0: the rows hold a word and no numbers");

    // GloVe text.
    loads("glove wrong field count", "glove_wrong_fields.txt",
        "glove rows=4/6 dim=3 tokens_with_spaces=1@6 wrong_field_count=2@3,5", "the,of,to,a b");
    loads("glove stray header line", "glove_stray_header.txt",
        "glove rows=3/4 dim=3 bad_numbers=1@1", "the,of,and");
    loads("glove NaN and Inf", "glove_nan_inf.txt", "glove rows=2/6 dim=3 non_finite=4@2,3,4,5",
        "the,a");
    loads("glove duplicates", "glove_duplicates.txt", "glove rows=3/5 dim=3 duplicates=2@3,5",
        "the,of,and");
    loads("glove Windows-1252 words", "glove_cp1252.txt", "glove rows=3/3 dim=3 invalid_utf8=2@1,2",
        "caf\uFFFD,na\uFFFDve,the");
    refused("glove dimension 0", "glove_dim0.txt",
        "{path} line 1: a dimension of 0: the rows hold a word and no numbers");
    refused("glove every row NaN", "glove_all_nan.txt",
        "{path}: no usable word vectors: 3 with NaN or infinite values (first at line 1)");
    refused("glove UTF-16, BOM", "glove_utf16.txt", bom);
    refused("glove UTF-16, no BOM", "glove_utf16_nobom.txt", "{path} line 1: " + nul);

    // word2vec text.
    loads("w2v more rows than the header", "w2v_more_rows.txt",
        "word2vec rows=5/5 dim=3 header=3x3 count_mismatch");
    loads("w2v fewer rows than the header", "w2v_fewer_rows.txt",
        "word2vec rows=3/3 dim=3 header=8x3 count_mismatch");
    loads("w2v header count 10^9", "w2v_count_1e9.txt",
        "word2vec rows=2/2 dim=3 header=1000000000x3 count_mismatch", "the,of");
    refused("w2v header dimension wrong", "w2v_wrong_dim.txt",
        "{path} line 2: the header says 50 numbers per word, but the rows have 3");
    loads("w2v wrong field count", "w2v_wrong_fields.txt",
        "word2vec rows=3/4 dim=3 header=4x3 tokens_with_spaces=1@5 wrong_field_count=1@3",
        "the,and,to 1 2");
    loads("w2v NaN", "w2v_nan.txt", "word2vec rows=2/3 dim=3 header=3x3 non_finite=1@3");
    loads("w2v duplicates", "w2v_duplicates.txt",
        "word2vec rows=2/3 dim=3 header=3x3 duplicates=1@4", "the,of");
    refused("w2v dimension 0", "w2v_dim0.txt",
        "{path} line 1: the header says 3 x 0: a dimension of 0");
    refused("w2v dimension 10^9", "w2v_dim_1e9.txt",
        "{path} line 1: the header says 3 x 1000000000, but a file of 60 bytes cannot hold even "
        "one row of 1000000000 numbers");
    refused("w2v 10^9 x 10^9", "w2v_1e9x1e9.txt",
        "{path} line 1: the header says 1000000000 x 1000000000, but a file of 53 bytes cannot "
        "hold even one row of 1000000000 numbers");

    // word2vec binary (problems numbered by row).
    loads("bin truncated in a row", "w2v_truncated_row.bin",
        "word2vec-bin rows=2/2 dim=4 header=4x4 count_mismatch truncated", "the,of");
    loads("bin more rows than the header", "w2v_bin_more_rows.bin",
        "word2vec-bin rows=4/4 dim=4 header=2x4 count_mismatch", "the,of,and,to");
    loads("bin fewer rows than the header", "w2v_bin_fewer_rows.bin",
        "word2vec-bin rows=3/3 dim=4 header=6x4 count_mismatch", "the,of,and");
    // Rows of 4 read as rows of 5 cannot be told from data; the misreading shows in the report.
    loads("bin header dimension wrong", "w2v_bin_wrong_dim.bin",
        "word2vec-bin rows=2/2 dim=5 header=4x5 invalid_utf8=1@2 count_mismatch truncated");
    loads("bin NaN, Inf and a duplicate", "w2v_bin_nan_dup.bin",
        "word2vec-bin rows=1/4 dim=4 header=4x4 duplicates=1@3 non_finite=2@2,4", "the");
    refused("bin dimension 0", "w2v_bin_dim0.bin",
        "{path} line 1: the header says 3 x 0: a dimension of 0");
    refused("bin 10^9 x 10^9", "w2v_bin_1e9x1e9.bin",
        "{path} line 1: the header says 1000000000 x 1000000000, but a file of 63 bytes cannot "
        "hold even one row of 1000000000 numbers");
    // fastText .bin (offsets in bytes).
    refused("fastText quantized", "fasttext_quantized.bin",
        "{path}: a quantized fastText model (.ftz, made by fasttext quantize): its input vectors "
        "are compressed codes, which this reader does not expand; use the .bin it was quantized "
        "from, or a .vec");
    refused("fastText version 13", "fasttext_version13.bin",
        "{path}: a fastText model of file format version 13; this reader knows versions 11 and 12");
    refused("fastText cut in the input matrix", "fasttext_truncated_matrix.bin",
        "{path}: the input matrix of 2035 x 8 floats needs 65120 bytes from byte 619, but the "
        "file ends at byte 32625: a truncated fastText model");
    loads("fastText duplicate word", "fasttext_duplicate.bin",
        "fasttext-bin rows=34/35 dim=8 duplicates=1@11");
    refused("fastText NaN", "fasttext_nan.bin",
        "{path}: row 3 of the input matrix holds NaN or infinite values: a corrupt fastText model");
    refused("fastText cut in the dictionary", "fasttext_truncated_dictionary.bin",
        "{path}: the file ends at byte 132, inside dictionary entry * of 35: a truncated fastText "
        "model");
    refused("bin 1 TB sparse, 2.5x10^8 x 1000", "tmp:sparse.bin",
        "{path}: 250000000 x 1000 vectors need 1008.0 GB, more than this machine's * GB of memory");

    // fastText .vec.
    loads("vec fewer rows than the header", "fasttext_fewer_rows.vec",
        "fasttext rows=3/3 dim=3 header=5x3 count_mismatch");
    loads("vec NaN", "fasttext_nan.vec", "fasttext rows=2/3 dim=3 header=3x3 non_finite=1@3",
        "the,and");
    refused("vec header dimension 300", "fasttext_wrong_dim.vec",
        "{path} line 1: the header says 3 x 300, but a file of 56 bytes cannot hold even one row "
        "of 300 numbers");

    // Projector TSV (the labels are metadata.tsv next to vectors.tsv).
    loads("tsv wrong field count, not a number", "projector_fields/vectors.tsv",
        "projector rows=2/4 dim=3 wrong_field_count=1@2 bad_numbers=1@4", "the,and");
    loads("tsv NaN", "projector_nan/vectors.tsv", "projector rows=2/3 dim=3 non_finite=1@2",
        "the,and");
    refused("tsv fewer labels than vectors", "projector_labels/vectors.tsv",
        "{dir}/metadata.tsv: 2 labels for the 3 vectors of {path}");

    // gzip.
    loads("gzip truncated", "glove_truncated.txt.gz", "glove rows=198/198 dim=3 gzip truncated");
    refused(
        "gzip corrupt", "glove_corrupt.txt.gz", "{path}: corrupt gzip data: incorrect data check");
    refused(
        "gzip bad CRC", "glove_bad_crc.txt.gz", "{path}: corrupt gzip data: incorrect data check");
    refused("gzip header only", "gzip_header_only.gz",
        "{path}: the gzip stream is cut off before its first byte of content");
}

void TestBadInputs::vectors()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    QFETCH(QString, report);
    QFETCH(QString, words);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    ImportReport r;
    WordVectors wv;
    const QString message = errorOf([&] { wv = readVectors(path(file).toStdString(), {}, &r); });
    if (!error.isEmpty()) {
        QVERIFY2(matches(message, expand(error, file)), qPrintable(message));
        return;
    }
    QVERIFY2(message.isEmpty(), qPrintable(message));
    QCOMPARE(summary(r), report);
    QCOMPARE(quint64(wv.size()), r.rows);
    if (!words.isEmpty()) {
        QStringList got;
        for (const std::string &w : wv.words())
            got << QString::fromStdString(w);
        QCOMPARE(got.join(QLatin1Char(',')), words);
    }
    for (Eigen::Index i = 0; i < wv.vectors().size(); ++i)
        QVERIFY(std::isfinite(wv.vectors().data()[i]));
}

void TestBadInputs::vectorsCli()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    QFETCH(QString, report);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    const Run r = cli({ "inspect", "--vectors", path(file) });
    VERIFY_EXITED(r);
    if (!error.isEmpty()) {
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path(file)), qPrintable(r.err));
        QVERIFY2(matches(r.lastError(), "embedlab-cli inspect: " + expand(error, file)),
            qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        return;
    }
    // A file that loads with problems is not an error: the report says what was wrong.
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(path(file)), qPrintable(r.err)); // the estimate, before loading
    QCOMPARE(summary(Json::parse(r.out.toStdString())), report);
}

// ---------------------------------------------------------------------------------------------
// Corpora

void TestBadInputs::corpus_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("minCount");
    QTest::addColumn<QString>("error"); // of loadCorpus; empty: it loads
    QTest::addColumn<QString>("stats"); // summary() of the corpus when it loads
    QTest::addColumn<QString>("cliError"); // of embedlab-cli train when it refuses what loads

    auto refused = [this](const char *name, const QString &file, const QString &error) {
        m_covered << file;
        QTest::newRow(name) << file << 1 << error << QString() << QString();
    };
    auto loads = [this](const char *name, const QString &file, int minCount, const QString &stats,
                     const QString &cliError = {}) {
        m_covered << file;
        QTest::newRow(name) << file << minCount << QString() << stats << cliError;
    };
    const QString nul
        = QStringLiteral("NUL byte; the file looks like UTF-16/binary, not UTF-8 text");
    const QString bom = QStringLiteral(
        "{path} line 1: UTF-16 byte-order mark; the file looks like UTF-16/binary, not UTF-8 text");

    refused("empty", "empty.txt", "{path}: no tokens");
    refused("PDF", "binary.pdf", "{path} line 6: " + nul);
    refused("PNG", "binary.png", "{path} line 3: " + nul);
    refused("UTF-16LE, BOM", "utf16le_bom.txt", bom);
    refused("UTF-16BE, BOM", "utf16be_bom.txt", bom);
    refused("UTF-16LE, no BOM", "utf16le_nobom.txt", "{path} line 1: " + nul);
    refused("gzip given as text", "glove_truncated.txt.gz", "{path} line 1: " + nul);
    refused("checkpoint given as text", "ckpt_base.safetensors", "{path} line 1: " + nul);
    refused("1 TB sparse", "tmp:sparse.txt",
        "{path}: the file is 1099.5 GB, more than this machine's * GB of memory");
    loads("Windows-1252", "cp1252.txt", 1,
        "lines=3 tokens=29 vocab=19 train=24 valid=8 unk=4 invalid_utf8=11");
    loads("every word rare", "rare_tokens.txt", 2,
        "lines=12 tokens=96 vocab=3 train=99 valid=9 unk=96 invalid_utf8=0",
        "{path}: no word occurs at least 2 times (--min-count), so the vocabulary would hold only "
        "<pad>, <unk> and <eos>");
    loads("20 MB line of words", "tmp:huge_line.txt", 1,
        "lines=1 tokens=2695912 vocab=503 train=2695913 valid=0 unk=0 invalid_utf8=0");
    loads("20 MB token", "tmp:huge_token.txt", 1,
        "lines=1 tokens=1 vocab=4 train=2 valid=0 unk=0 invalid_utf8=0",
        "{path}: training text too short: 2 tokens for batch size 2 (need at least 4)");
}

void TestBadInputs::corpus()
{
    QFETCH(QString, file);
    QFETCH(int, minCount);
    QFETCH(QString, error);
    QFETCH(QString, stats);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    CorpusOptions options;
    options.minCount = std::uint64_t(minCount);
    Corpus c;
    const QString message = errorOf([&] { c = loadCorpus(path(file).toStdString(), options); });
    if (!error.isEmpty()) {
        QVERIFY2(matches(message, expand(error, file)), qPrintable(message));
        return;
    }
    QVERIFY2(message.isEmpty(), qPrintable(message));
    QCOMPARE(summary(c), stats);
}

void TestBadInputs::corpusCli()
{
    QFETCH(QString, file);
    QFETCH(int, minCount);
    QFETCH(QString, error);
    QFETCH(QString, cliError);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    const Run r
        = cli(QStringList { "train", "--corpus", path(file), "--out",
                  m_tmp.filePath("model.safetensors"), "--min-count", QString::number(minCount) }
            + smallTraining());
    VERIFY_EXITED(r);
    const QString expected = !error.isEmpty() ? error : cliError;
    if (!expected.isEmpty()) {
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path(file)), qPrintable(r.err));
        QVERIFY2(matches(r.lastError(), "embedlab-cli train: " + expand(expected, file)),
            qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        return;
    }
    // What loads trains; the start event carries what the engine counted.
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    CorpusOptions options;
    options.minCount = std::uint64_t(minCount);
    const Corpus c = loadCorpus(path(file).toStdString(), options);
    const Json start = Json::parse(r.out.split(QLatin1Char('\n')).first().toStdString());
    QCOMPARE(start.at("event").get<std::string>(), std::string("start"));
    QCOMPARE(start.at("vocab_size").get<std::int64_t>(), std::int64_t(c.vocab.size()));
    QCOMPARE(start.at("train_tokens").get<std::int64_t>(), std::int64_t(c.train.size()));
    QCOMPARE(start.at("invalid_utf8").get<std::int64_t>(), std::int64_t(c.stats.invalidUtf8));
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

void TestBadInputs::checkpoints_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error"); // empty: it loads
    // Whether readVectors, detecting the format from the content, gives the same message.
    QTest::addColumn<bool>("sameAsVectors");

    auto row = [this](const char *name, const QString &file, const QString &error,
                   bool sameAsVectors = true) {
        m_covered << file;
        QTest::newRow(name) << file << error << sameAsVectors;
    };
    row("valid", "ckpt_base.safetensors", {});
    row("F16 instead of F32", "ckpt_f16.safetensors", {});
    // Five bytes are not recognisably a checkpoint: readVectors says it is no vector file.
    row("5 bytes", "ckpt_short.safetensors",
        "{path}: file is 5 bytes long, too short for a safetensors file (expected at least 8)",
        false);
    row("header cut off", "ckpt_truncated_header.safetensors",
        "{path}: header length 824 runs past the end of the file (48 bytes)");
    row("header length past the end", "ckpt_header_past_end.safetensors",
        "{path}: header length 4096 runs past the end of the file (32 bytes)");
    row("header length 2^63", "ckpt_header_2p63.safetensors",
        "{path}: header length 9223372036854775808 is larger than the 100 MB limit");
    row("header not JSON", "ckpt_bad_json.safetensors",
        "{path}: header is not valid JSON (offsets count from the header start): JSON offset 47: "
        "syntax error while parsing object key - unexpected ','; expected string literal");
    row("offsets beyond the data", "ckpt_offsets_out_of_range.safetensors",
        "{path}: tensor \"decoder.bias\": data_offsets [832, 1856] extend beyond the data buffer "
        "of 856 bytes");
    row("offsets overlap", "ckpt_offsets_overlap.safetensors",
        "{path}: tensors \"encoder.weight\" and \"rnn.weight_ih_l0\" overlap: bytes 80 to 96 are "
        "claimed by both");
    row("offsets do not match dtype x shape", "ckpt_offsets_size.safetensors",
        "{path}: tensor \"encoder.weight\": data_offsets [0, 92] hold 92 bytes, but F32 with "
        "shape [6, 4] needs 96");
    row("I64 instead of F32", "ckpt_i64.safetensors",
        "{path}: tensor \"encoder.weight\" has dtype I64, expected a floating-point tensor");
    row("F8 instead of F32", "ckpt_f8.safetensors",
        "{path}: tensor \"decoder.bias\": dtype \"F8_E4M3\" is not supported");
    row("wrong shape", "ckpt_wrong_shape.safetensors",
        "{path}: tensor 'decoder.bias' has shape [5], expected [6]");
    row("missing tensor", "ckpt_missing_tensor.safetensors",
        "{path}: not an Embedding Lab / word_language_model RNNModel checkpoint: tensor "
        "'rnn.bias_hh_l0' is missing");
    row("vocabulary does not match", "ckpt_vocab_mismatch.safetensors",
        "{path}: the vocabulary has 5 words but 'encoder.weight' has 6 rows");
    row("vocabulary without specials", "ckpt_vocab_no_specials.safetensors",
        "{path}: vocabulary: the word list must start with <pad>, <unk>, <eos>");
    row("no metadata", "ckpt_no_metadata.safetensors",
        "{path}: no vocabulary: the header's __metadata__ has no 'embedlab.vocab' entry (a JSON "
        "list of the 6 words in id order); add it to use a model trained elsewhere");
    row("config does not match", "ckpt_config_mismatch.safetensors",
        "{path}: metadata says hidden_size = 8 but the tensors say 4");
    row("NaN weights", "ckpt_nan.safetensors",
        "{path}: tensor 'rnn.weight_hh_l0' contains NaN or infinite values");
    row("another program's safetensors", "other_program.safetensors",
        "{path}: not an Embedding Lab / word_language_model RNNModel checkpoint: tensor "
        "'encoder.weight' is missing");
    row("1 TB sparse", "tmp:sparse.safetensors",
        "{path}: the file is 1099.5 GB, more than this machine's * GB of memory");
}

void TestBadInputs::checkpoints()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    QFETCH(bool, sameAsVectors);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    const std::string p = path(file).toStdString();
    LoadedCheckpoint<float> ck;
    const QString message = errorOf([&] { ck = loadCheckpoint<float>(p); });
    const QString viaVectors = errorOf([&] { readVectors(p); });
    if (error.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QVERIFY2(viaVectors.isEmpty(), qPrintable(viaVectors));
        const ModelConfig &config = ck.model->config();
        QCOMPARE(config.vocabSize, 6);
        QCOMPARE(config.embeddingDim, 4);
        QCOMPARE(config.hiddenSize, 4);
        QCOMPARE(config.layers, 1);
        QCOMPARE(ck.vocab.word(3), std::string("the"));
        // F16 holds the same weights to half precision.
        const auto base = loadCheckpoint<float>((BadDir + "ckpt_base.safetensors").toStdString());
        QVERIFY((ck.model->encoder() - base.model->encoder()).cwiseAbs().maxCoeff() < 1e-4f);
        return;
    }
    QVERIFY2(matches(message, expand(error, file)), qPrintable(message));
    if (sameAsVectors)
        QCOMPARE(viaVectors, message);
    else
        QVERIFY2(viaVectors.startsWith(path(file)), qPrintable(viaVectors));
}

void TestBadInputs::foreignFilesAsCheckpoints_data()
{
    // Files that are no safetensors at all, opened as a model: the refusal says what each one is
    // and, where it helps, what to do with it.
    QTest::addColumn<QString>("file"); // relative to tests/data
    QTest::addColumn<QString>("says");
    const QString importIt
        = QStringLiteral("open it with File > Import Vectors (embedlab-cli: --vectors)");
    const QString pytorch = QStringLiteral(
        "Embedding Lab reads safetensors: in Python, save the state_dict with "
        "safetensors.torch.save_file and the metadata the README describes (Checkpoints)");
    QTest::newRow("PNG") << "foreign/picture.png"
                         << "it is a PNG image";
    QTest::newRow("JPEG") << "foreign/picture.jpg"
                          << "it is a JPEG image";
    QTest::newRow("PDF") << "bad/binary.pdf"
                         << "it is a PDF document";
    QTest::newRow("ZIP") << "foreign/archive.zip"
                         << "it is a ZIP archive; unpack it first";
    QTest::newRow("PyTorch .pt (ZIP)")
        << "foreign/model.pt"
        << "it is a PyTorch file saved with torch.save (.pt or .pth: a ZIP of pickled "
           "tensors). "
            + pytorch;
    QTest::newRow("PyTorch .pth (legacy pickle)")
        << "foreign/model_legacy.pth"
        << "it is a Python pickle (a PyTorch .pt or .pth file in torch.save's legacy "
           "format). "
            + pytorch;
    QTest::newRow("NumPy .npy") << "foreign/embedding.npy"
                                << "it is a NumPy .npy array: as word vectors, with its words "
                                   "one a line in NAME.vocab.txt beside it, "
            + importIt;
    QTest::newRow("NumPy .npz") << "foreign/embedding.npz"
                                << "it is a NumPy .npz archive (arrays without their words). Save "
                                   "the embedding with its words as word2vec text and open that "
                                   "with File > Import Vectors (embedlab-cli: --vectors)";
    QTest::newRow("Keras .h5") << "foreign/model.h5"
                               << "it is an HDF5 file (a Keras .h5 model or weights). Save the "
                                  "embedding layer's matrix with its words as word2vec text and "
            + importIt;
    QTest::newRow("Keras .keras")
        << "foreign/model.keras"
        << "it is a Keras model (.keras: a ZIP of its configuration and HDF5 weights). Save "
           "the embedding layer's matrix with its words as word2vec text and open that with "
           "File > Import Vectors (embedlab-cli: --vectors)";
    QTest::newRow("GloVe text") << "vectors/glove.txt"
                                << "this looks like a word-vector file (GloVe text: a word and 6 "
                                   "numbers a line); "
            + importIt;
    QTest::newRow("word2vec text") << "vectors/word2vec.txt"
                                   << "this looks like a word-vector file (word2vec or fastText, "
                                      "header \"10 6\"); "
            + importIt;
    QTest::newRow("fastText .vec") << "vectors/fasttext.vec"
                                   << "this looks like a word-vector file (word2vec or fastText, "
                                      "header \"10 6\"); "
            + importIt;
    QTest::newRow("word2vec binary") << "vectors/word2vec.bin"
                                     << "this looks like a word-vector file (word2vec binary, "
                                        "header \"10 6\"); "
            + importIt;
    QTest::newRow("fastText .bin") << "vectors/fasttext_bin/skipgram.bin"
                                   << "it is a fastText model (.bin); " + importIt;
    QTest::newRow("gzip") << "vectors/glove.txt.gz"
                          << "it is gzip-compressed; if it holds word vectors, " + importIt
            + ", which reads .gz files";
    QTest::newRow("plain text") << "text/train.txt"
                                << "it is plain text; to train on it, open it as a corpus (File > "
                                   "Open Corpus; embedlab-cli train --corpus)";
    QTest::newRow("Windows-1252 text") << "bad/cp1252.txt"
                                       << "it is plain text; to train on it, open it as a corpus "
                                          "(File > Open Corpus; embedlab-cli train --corpus)";
    QTest::newRow("UTF-16") << "bad/utf16le_bom.txt"
                            << "it is UTF-16 text";
}

void TestBadInputs::foreignFilesAsCheckpoints()
{
    QFETCH(QString, file);
    QFETCH(QString, says);
    const QString p = QStringLiteral(EMBEDLAB_TEST_DATA "/") + file;
    QVERIFY2(QFileInfo::exists(p), qPrintable(p));
    const QString want = p + ": not a safetensors checkpoint: " + says;
    const QString message = errorOf([&] { loadCheckpoint<float>(p.toStdString()); });
    QCOMPARE(message, want);
    const Run r = cli(
        { "eval", "--model", p, "--corpus", QStringLiteral(EMBEDLAB_TEST_DATA "/text/valid.txt") });
    VERIFY_EXITED(r);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.trimmed(), "embedlab-cli eval: " + want);
}

void TestBadInputs::checkpointsCli()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    const Run r = cli({ "eval", "--model", path(file), "--corpus",
        QStringLiteral(EMBEDLAB_TEST_DATA "/text/valid.txt") });
    VERIFY_EXITED(r);
    if (error.isEmpty()) {
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(std::isfinite(Json::parse(r.out.toStdString()).at("loss").get<double>()));
        return;
    }
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(path(file)), qPrintable(r.err));
    QVERIFY2(
        matches(r.lastError(), "embedlab-cli eval: " + expand(error, file)), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

// ---------------------------------------------------------------------------------------------
// Sizes

void TestBadInputs::refusedBeforeAllocating_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reader");
    QTest::newRow("text 10^9 x 10^9") << "w2v_1e9x1e9.txt"
                                      << "vectors";
    QTest::newRow("binary 10^9 x 10^9") << "w2v_bin_1e9x1e9.bin"
                                        << "vectors";
    QTest::newRow("text, count 10^9") << "w2v_count_1e9.txt"
                                      << "vectors";
    QTest::newRow("binary, count 6") << "w2v_bin_fewer_rows.bin"
                                     << "vectors";
    QTest::newRow("sparse binary") << "tmp:sparse.bin"
                                   << "vectors";
    QTest::newRow("sparse corpus") << "tmp:sparse.txt"
                                   << "corpus";
    QTest::newRow("sparse checkpoint") << "tmp:sparse.safetensors"
                                       << "checkpoint";
}

void TestBadInputs::refusedBeforeAllocating()
{
    QFETCH(QString, file);
    QFETCH(QString, reader);
    if (isSparse(file) && !m_sparseOk)
        QSKIP("no sparse files here");
    const std::string p = path(file).toStdString();
    const long before = peakRssKb();
    const QString message = errorOf([&] {
        if (reader == "vectors")
            readVectors(p);
        else if (reader == "corpus")
            loadCorpus(p, {});
        else
            loadCheckpoint<float>(p);
    });
    QVERIFY2(!message.startsWith("unexpected"), qPrintable(message));
    // A few MB of buffers at most; never the table, the file or the header's promise.
    QVERIFY2(peakRssKb() - before < 16 * 1024,
        qPrintable(QStringLiteral("peak memory grew by %1 MB").arg((peakRssKb() - before) / 1024)));
}

void TestBadInputs::memoryEstimate()
{
    // The estimate is made from the first lines and the file size, before anything is read.
    const std::string glove = EMBEDLAB_TEST_DATA "/vectors/glove.txt";
    const MemoryEstimate small = estimateVectorMemory(glove);
    QCOMPARE(small.format, VectorFormat::Glove);
    QCOMPARE(small.dim, 6);
    QCOMPARE(small.rows, quint64(10));
    QCOMPARE(small.bytes, quint64(10 * (6 * sizeof(float) + sizeof(std::string))));
    QCOMPARE(small.memory, physicalMemory());
    ImportReport report;
    readVectors(glove, {}, &report);
    QCOMPARE(report.estimatedRows, small.rows);
    QCOMPARE(report.estimatedBytes, small.bytes);

    // word2vec binary: the header's count, as far as the file size backs it.
    const MemoryEstimate fewer
        = estimateVectorMemory((BadDir + "w2v_bin_fewer_rows.bin").toStdString());
    QCOMPARE(fewer.format, VectorFormat::Word2VecBinary);
    QCOMPARE(fewer.rows, quint64(4)); // the header says 6; 62 bytes of rows of 18 or more bytes
    const MemoryEstimate promised
        = estimateVectorMemory((BadDir + "w2v_count_1e9.txt").toStdString());
    QCOMPARE(promised.rows, quint64(2));
    ImportOptions limited;
    limited.limit = 3;
    QCOMPARE(estimateVectorMemory(glove, limited).rows, quint64(3));

    if (!m_sparseOk)
        QSKIP("no sparse files here");
    const MemoryEstimate big = estimateVectorMemory(path("tmp:sparse.bin").toStdString());
    QCOMPARE(big.rows, quint64(250000000));
    QCOMPARE(big.dim, 1000);
    QCOMPARE(big.bytes, quint64(250000000) * (1000 * sizeof(float) + sizeof(std::string)));
    QVERIFY(big.bytes > big.memory);

    // inspect says it on stderr before loading, and the report carries it.
    const Run r = cli({ "inspect", "--vectors", QString::fromStdString(glove) });
    VERIFY_EXITED(r);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(matches(r.err.trimmed(),
                 "embedlab-cli inspect: " + QString::fromStdString(glove)
                     + ": glove, about 10 x 6 vectors, needs about 560 bytes of memory (this "
                       "machine has * GB)"),
        qPrintable(r.err));
    const Json j = Json::parse(r.out.toStdString());
    QCOMPARE(j.at("estimated_bytes").get<std::int64_t>(), std::int64_t(small.bytes));
    const Run huge = cli({ "inspect", "--vectors", path("tmp:sparse.bin") });
    VERIFY_EXITED(huge);
    QCOMPARE(huge.exitCode, 1);
    QVERIFY2(huge.err.contains("about 250000000 x 1000 vectors, needs about 1008.0 GB of memory"),
        qPrintable(huge.err));
}

void TestBadInputs::everyFixtureIsCovered()
{
    // Every file of the collection is named by a case above (or is a label file or the docs).
    if (m_covered.isEmpty())
        QSKIP("needs the data tables of the other tests: run the whole suite");
    QDir dir(BadDir);
    QStringList missing;
    QDirIterator it(BadDir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = dir.relativeFilePath(it.next());
        if (rel == "README.md" || rel == "make_bad_inputs.py" || rel.endsWith("/metadata.tsv"))
            continue;
        if (!m_covered.contains(rel))
            missing << rel;
    }
    QVERIFY2(missing.isEmpty(), qPrintable("not tested: " + missing.join(", ")));
    // And the README lists every one of them.
    QFile readme(BadDir + "README.md");
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(readme.readAll());
    for (const QString &file : std::as_const(m_covered)) {
        if (!file.startsWith(QLatin1String("tmp:")))
            QVERIFY2(text.contains("`" + file + "`"), qPrintable(file + " is not in README.md"));
    }
}

QTEST_GUILESS_MAIN(TestBadInputs)
#include "tst_bad_inputs.moc"
