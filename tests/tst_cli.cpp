// embedlab-cli as a user runs it: JSON lines on stdout, errors on stderr with a non-zero exit.
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "core/checkpoint.h"
#include "core/classifiercheckpoint.h"
#include "core/corpus.h"
#include "core/fileio.h"
#include "core/runhistory.h"
#include "core/runlog.h"
#include "core/tfevents.h"
#include "core/trainer.h"
#include "core/trainstate.h"
#include "core/vectors/vectors.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

struct Run
{
    int exitCode = -1;
    QString out, err;
    std::vector<Json> lines() const
    {
        std::vector<Json> v;
        for (const QString &l : out.split('\n', Qt::SkipEmptyParts))
            v.push_back(Json::parse(l.toStdString()));
        return v;
    }
};

// `shellPrefix` runs first in a shell that then execs the CLI (e.g. "ulimit -f 4").
Run cli(const QStringList &args, const QString &shellPrefix = QString())
{
    QProcess p;
    if (shellPrefix.isEmpty())
        p.start(QStringLiteral(EMBEDLAB_CLI), args);
    else
        p.start(QStringLiteral("bash"),
            QStringList { QStringLiteral("-c"),
                shellPrefix + QStringLiteral("; exec \"$0\" \"$@\""), QStringLiteral(EMBEDLAB_CLI) }
                + args);
    if (!p.waitForFinished(300000))
        qFatal("embedlab-cli did not finish");
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

const QString TrainText = QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt");
const QString LabelledTrain = QStringLiteral(EMBEDLAB_TEST_DATA "/text/labelled_train.tsv");
const QString LabelledValid = QStringLiteral(EMBEDLAB_TEST_DATA "/text/labelled_valid.tsv");

QStringList smallModelArgs()
{
    return { "--embedding-dim", "8", "--hidden", "8", "--layers", "1", "--batch", "2", "--bptt",
        "4", "--threads", "1", "--seed", "3" };
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void trainPrintsJsonAndSavesAModel();
    void evalMatchesTheEngine();
    void generateSamplesFromTheModel();
    void trainWithValidationFileAndMaxSteps();
    void trainWithEachCell_data();
    void trainWithEachCell();
    void trainClassifier_data();
    void trainClassifier();
    void classifyTextsAndCsv();
    void trainClassifierOnFrozenVectors();
    void divergedRunSavesLastGoodWeights_data();
    void divergedRunSavesLastGoodWeights();
    void encodeCreatesTheOutputFolder();
    void chineseWordsOrCharacters();
    void vectorCommands();
    void fastTextModel();
    void wordPairsCommand();
    void wordQueryCommands();
    void projectCommand();
    void trainFromVectors();
    void autosaveWritesTheModelDuringTraining();
    void fullDiskKeepsThePreviousModel();
    void recordsARunFolder();
    void historyOfARun();
    void errors_data();
    void errors();
    void commandHelpListsItsOwnOptions();
    void helpListsTheCommands();
    void unknownOptionOfACommand_data();
    void unknownOptionOfACommand();

private:
    QTemporaryDir m_dir;
    QString m_model;
};

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_model = m_dir.filePath("model.safetensors");
}

void TestCli::trainPrintsJsonAndSavesAModel()
{
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--out", m_model, "--epochs",
                          "2", "--log-interval", "1" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto lines = r.lines();
    QVERIFY(lines.size() >= 4);
    QCOMPARE(lines.front().at("event").get<std::string>(), std::string("start"));
    int progress = 0, epochs = 0;
    for (const auto &l : lines) {
        const std::string ev = l.at("event").get<std::string>();
        progress += ev == "progress";
        epochs += ev == "epoch";
        if (ev == "progress")
            QVERIFY(std::isfinite(l.at("loss").get<double>())
                && l.at("tokens_per_sec").get<double>() > 0);
    }
    QVERIFY(progress > 0);
    QCOMPARE(epochs, 2);
    const Json &done = lines.back();
    QCOMPARE(done.at("event").get<std::string>(), std::string("done"));
    for (const char *key :
        { "train_loss", "valid_loss", "valid_perplexity", "tokens_per_sec", "seconds" })
        QVERIFY2(done.at(key).is_number(), key);
    QVERIFY(std::abs(done.at("valid_perplexity").get<double>()
                - std::exp(done.at("valid_loss").get<double>()))
        < 1e-6 * done.at("valid_perplexity").get<double>());
    QCOMPARE(done.at("epochs_completed").get<std::int64_t>(), std::int64_t(2));
    QVERIFY(QFile::exists(m_model));
    auto ck = loadCheckpoint<float>(m_model.toStdString());
    QCOMPARE(ck.model->config().embeddingDim, 8);
    QCOMPARE(ck.model->config().layers, 1);
}

void TestCli::evalMatchesTheEngine()
{
    QVERIFY(QFile::exists(m_model));
    const QString text = QStringLiteral(EMBEDLAB_TEST_DATA "/text/valid.txt");
    const Run r = cli({ "eval", "--model", m_model, "--corpus", text });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto lines = r.lines();
    QCOMPARE(lines.size(), std::size_t(1));
    auto ck = loadCheckpoint<float>(m_model.toStdString());
    const auto ids = encodeFile(text.toStdString(), ck.vocab, ck.tokenizer);
    std::uint64_t predicted = 0;
    const double want = evaluateLoss(*ck.model, ids, 1, 1000000, &predicted);
    QCOMPARE(static_cast<std::uint64_t>(lines[0].at("tokens").get<std::int64_t>()), ids.size() - 1);
    QVERIFY(std::abs(lines[0].at("loss").get<double>() - want) < 1e-5 * want);
    QVERIFY(
        std::abs(lines[0].at("perplexity").get<double>() - std::exp(want)) < 1e-4 * std::exp(want));
}

void TestCli::generateSamplesFromTheModel()
{
    QVERIFY(QFile::exists(m_model));
    const Run a = cli({ "generate", "--model", m_model, "--tokens", "30", "--seed", "4" });
    QVERIFY2(a.exitCode == 0, qPrintable(a.err));
    const Run b = cli({ "generate", "--model", m_model, "--tokens", "30", "--seed", "4" });
    QCOMPARE(a.out, b.out); // seeded
    auto ck = loadCheckpoint<float>(m_model.toStdString());
    // Every generated word is in the model's vocabulary; <eos> becomes a line break.
    const QStringList words = a.out.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
    QVERIFY(words.size() >= 1 && words.size() <= 30);
    for (const QString &w : words)
        QVERIFY2(ck.vocab.find(w.toStdString()) > 2, qPrintable(w));
    const Run greedy = cli({ "generate", "--model", m_model, "--prompt", "the", "--tokens", "5",
        "--temperature", "0" });
    QVERIFY2(greedy.exitCode == 0, qPrintable(greedy.err));
    QVERIFY(greedy.out.startsWith("the"));
    QVERIFY2(!greedy.err.contains("vocabulary"), qPrintable(greedy.err));
    // A prompt's words outside the vocabulary are named on stderr; the text still comes.
    const Run unknown = cli(
        { "generate", "--model", m_model, "--prompt", "the qzxv 北京 qzxv", "--tokens", "3" });
    QVERIFY2(unknown.exitCode == 0, qPrintable(unknown.err));
    QVERIFY(unknown.out.startsWith(QStringLiteral("the qzxv 北京 qzxv")));
    QVERIFY2(
        unknown.err.contains(QStringLiteral("not in the vocabulary, read as <unk>: qzxv, 北京\n")),
        qPrintable(unknown.err));
}

void TestCli::trainWithValidationFileAndMaxSteps()
{
    const QString out = m_dir.filePath("steps.safetensors");
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--valid",
                          EMBEDLAB_TEST_DATA "/text/valid.txt", "--out", out, "--max-steps", "3",
                          "--optimizer", "adam", "--tied", "--lowercase", "--log-interval", "1" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto lines = r.lines();
    int progress = 0;
    for (const auto &l : lines)
        progress += l.at("event").get<std::string>() == "progress";
    QCOMPARE(progress, 3);
    QCOMPARE(lines.back().at("steps").get<std::int64_t>(), std::int64_t(3));
    auto ck = loadCheckpoint<float>(out.toStdString());
    QVERIFY(ck.model->config().tied);
    QVERIFY(ck.tokenizer.lowercase);
}

void TestCli::trainWithEachCell_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<int>("gates");
    QTest::newRow("lstm") << "lstm" << 4;
    QTest::newRow("gru") << "gru" << 3;
    QTest::newRow("rnn_tanh") << "rnn_tanh" << 1;
    QTest::newRow("rnn_relu") << "rnn_relu" << 1;
}

// --cell chooses the recurrent layers; the start event and the checkpoint say which, and the
// checkpoint's tensors have that cell's shapes.
void TestCli::trainWithEachCell()
{
    QFETCH(QString, cell);
    QFETCH(int, gates);
    const QString out = m_dir.filePath(cell + QStringLiteral(".safetensors"));
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--out", out, "--cell", cell,
                          "--max-steps", "6", "--lr", "1" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto lines = r.lines();
    QCOMPARE(QString::fromStdString(lines.front().at("cell").get<std::string>()), cell);
    QVERIFY(std::isfinite(lines.back().at("train_loss").get<double>()));
    auto ck = loadCheckpoint<float>(out.toStdString());
    QCOMPARE(QString::fromLatin1(cellName(ck.model->config().cell)), cell);
    for (const auto &p : ck.model->parameters())
        if (p.name == "rnn.weight_hh_l0")
            QCOMPARE(p.shape, (std::vector<std::int64_t> { gates * 8, 8 }));
}

void TestCli::trainClassifier_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QString>("pooling");
    QTest::addColumn<QString>("padding");
    QTest::newRow("lstm last pre") << "lstm"
                                   << "last"
                                   << "pre";
    QTest::newRow("lstm mean post") << "lstm"
                                    << "mean"
                                    << "post";
    QTest::newRow("gru max pre") << "gru"
                                 << "max"
                                 << "pre";
    QTest::newRow("rnn_tanh last post") << "rnn_tanh"
                                        << "last"
                                        << "post";
}

// train --task classify: the same JSON-lines events as a language model's training, with loss and
// accuracy per epoch; its checkpoint says how it pads; classify on the validation file gives the
// accuracy the done event reported.
void TestCli::trainClassifier()
{
    QFETCH(QString, cell);
    QFETCH(QString, pooling);
    QFETCH(QString, padding);
    const QString out = m_dir.filePath("classifier_" + cell + pooling + ".safetensors");
    const Run r = cli({ "train", "--task", "classify", "--corpus", LabelledTrain, "--valid",
        LabelledValid, "--out", out, "--cell", cell, "--pooling", pooling, "--padding", padding,
        "--max-length", "10", "--embedding-dim", "8", "--hidden", "8", "--epochs", "4", "--batch",
        "8", "--lr", "0.02", "--threads", "1", "--log-interval", "5" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto lines = r.lines();
    QCOMPARE(lines.front().at("event").get<std::string>(), std::string("start"));
    QCOMPARE(lines.front().at("task").get<std::string>(), std::string("classify"));
    QCOMPARE(lines.front().at("labels"), Json({ "ham", "spam" }));
    QCOMPARE(lines.front().at("train_examples").get<int>(), 120);
    int epochs = 0, progress = 0;
    for (const auto &l : lines) {
        const std::string ev = l.at("event").get<std::string>();
        progress += ev == "progress";
        if (ev == "epoch") {
            ++epochs;
            for (const char *key :
                { "train_loss", "train_accuracy", "valid_loss", "valid_accuracy" })
                QVERIFY2(l.at(key).is_number(), key);
        }
    }
    QCOMPARE(epochs, 4);
    QVERIFY(progress > 0);
    const Json &done = lines.back();
    QCOMPARE(done.at("event").get<std::string>(), std::string("done"));
    const double accuracy = done.at("valid_accuracy").get<double>();
    QVERIFY(done.at("valid_loss").is_number());
    QVERIFY2(accuracy >= 0.8, qPrintable(QString::number(accuracy)));

    const auto ck = loadClassifierCheckpoint<float>(out.toStdString());
    QCOMPARE(ck.pad.maxLength, 10);
    QCOMPARE(QString::fromLatin1(padSideName(ck.pad.padding)), padding);
    QCOMPARE(QString::fromLatin1(cellName(ck.model->config().cell)), cell);
    QCOMPARE(ck.labels, (std::vector<std::string> { "ham", "spam" }));

    const Run c = cli({ "classify", "--model", out, "--corpus", LabelledValid, "--summary-only" });
    QVERIFY2(c.exitCode == 0, qPrintable(c.err));
    const auto summary = c.lines();
    QCOMPARE(summary.size(), std::size_t(1));
    QCOMPARE(summary[0].at("examples").get<int>(), 30);
    QVERIFY(std::abs(summary[0].at("accuracy").get<double>() - accuracy) < 1e-12);
    QCOMPARE(summary[0].at("confusion"), done.at("valid_confusion"));
}

// train --task classify --vectors: the embedding starts from the file (its width adopted), says
// how much of the corpus it covers, and with --freeze-embedding the saved table is still the file's
// vectors; the words the file lacks are zero with --uncovered zeros.
void TestCli::trainClassifierOnFrozenVectors()
{
    const QString vectorsPath = m_dir.filePath("spam_words.txt");
    QFile f(vectorsPath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("offer 1 0 0.5\nprize 0.9 0.1 0.25\npatch -1 0 -0.5\ncode -0.75 0.5 -1\n"
            "zebra 3 3 3\n");
    f.close();
    const QString out = m_dir.filePath("classifier_frozen.safetensors");
    const Run r = cli({ "train", "--task", "classify", "--corpus", LabelledTrain, "--valid",
        LabelledValid, "--out", out, "--vectors", vectorsPath, "--adopt-dimension", "--uncovered",
        "zeros", "--freeze-embedding", "--hidden", "8", "--epochs", "3", "--batch", "8", "--lr",
        "0.02", "--threads", "1" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto lines = r.lines();
    const auto ev = std::find_if(lines.begin(), lines.end(),
        [](const Json &l) { return l.at("event").get<std::string>() == "vectors"; });
    QVERIFY(ev != lines.end());
    QCOMPARE(ev->at("rows").get<int>(), 5);
    QCOMPARE(ev->at("dim").get<int>(), 3);
    QCOMPARE(ev->at("covered_words").get<int>(), 4);
    QCOMPARE(ev->at("uncovered").get<std::string>(), std::string("zeros"));
    QVERIFY(ev->at("frozen").get<bool>());
    const double share = ev->at("token_share").get<double>();
    QVERIFY2(share > 0 && share < 0.5, qPrintable(QString::number(share)));
    QCOMPARE(lines.back().at("event").get<std::string>(), std::string("done"));

    const auto ck = loadClassifierCheckpoint<float>(out.toStdString());
    const auto &enc = ck.model->encoder();
    QCOMPARE(enc.rows(), Eigen::Index(3));
    QVERIFY(enc.col(ck.vocab.find("offer")) == Eigen::Vector3f(1, 0, 0.5f));
    QVERIFY(enc.col(ck.vocab.find("code")) == Eigen::Vector3f(-0.75f, 0.5f, -1));
    QVERIFY(enc.col(ck.vocab.find("the")).isZero(0));

    const Run bad = cli({ "train", "--task", "classify", "--corpus", LabelledTrain, "--out", out,
        "--vectors", vectorsPath, "--embedding-dim", "8" });
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("set the embedding size to 3"), qPrintable(bad.err));
}

void TestCli::classifyTextsAndCsv()
{
    const QString out = m_dir.filePath("classifier_csv.safetensors");
    // The same examples as CSV with quoted fields, the columns chosen by name.
    QFile tsv(LabelledTrain);
    QVERIFY(tsv.open(QIODevice::ReadOnly));
    const QString csvPath = m_dir.filePath("train.csv");
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("id,body,kind\r\n");
    int n = 0;
    for (const QByteArray &line : tsv.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const auto parts = line.split('\t');
        csv.write(
            QByteArray::number(++n) + ",\"" + parts[1] + ", \"\"quoted\"\"\"," + parts[0] + "\r\n");
    }
    csv.close();
    const Run r = cli({ "train", "--task", "classify", "--corpus", csvPath, "--label-column",
        "kind", "--text-column", "body", "--out", out, "--embedding-dim", "8", "--hidden", "8",
        "--epochs", "3", "--batch", "8", "--lr", "0.02", "--threads", "1" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.lines().front().at("format").get<std::string>(), std::string("csv"));
    QCOMPARE(r.lines().front().at("train_examples").get<int>(), 108); // the last tenth held out

    const Run one = cli({ "classify", "--model", out, "--text", "free money click offer win" });
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    const Json p = one.lines().at(0);
    const double sum = p.at("probabilities").at("ham").get<double>()
        + p.at("probabilities").at("spam").get<double>();
    QVERIFY(std::abs(sum - 1) < 1e-5);
    QVERIFY(p.at("label") == "ham" || p.at("label") == "spam");

    // Unlabelled texts, one a line: predictions only.
    const QString plain = m_dir.filePath("plain.txt");
    QFile f(plain);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("free cash prize now\n\nmeeting notes for the project review\n");
    f.close();
    const Run many = cli({ "classify", "--model", out, "--corpus", plain });
    QVERIFY2(many.exitCode == 0, qPrintable(many.err));
    const auto lines = many.lines();
    QCOMPARE(lines.size(), std::size_t(2));
    QCOMPARE(lines[1].at("line").get<int>(), 3);
    QVERIFY(!lines[1].contains("true_label"));

    // A labelled file: each prediction with its true label, then the summary.
    const Run labelled = cli({ "classify", "--model", out, "--corpus", LabelledValid });
    QVERIFY2(labelled.exitCode == 0, qPrintable(labelled.err));
    const auto all = labelled.lines();
    QCOMPARE(all.size(), std::size_t(31));
    QVERIFY(all[0].contains("true_label"));
    QCOMPARE(all.back().at("event").get<std::string>(), std::string("summary"));
    std::int64_t total = 0;
    for (const auto &row : all.back().at("confusion"))
        for (const auto &v : row)
            total += v.get<std::int64_t>();
    QCOMPARE(total, std::int64_t(30));
}

void TestCli::divergedRunSavesLastGoodWeights_data()
{
    QTest::addColumn<QString>("lr");
    // 1e30: NaN on most BLAS kernels, a finite loss of about 1e30 on others; 1e6: a finite loss
    // of about 1e5 nats per token on every kernel.
    QTest::newRow("lr 1e30") << QStringLiteral("1e30");
    QTest::newRow("lr 1e6") << QStringLiteral("1e6");
}

void TestCli::divergedRunSavesLastGoodWeights()
{
    QFETCH(QString, lr);
    const QString out = m_dir.filePath("diverged.safetensors");
    QFile::remove(out);
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--out", out, "--lr", lr,
                          "--clip", "0", "--epochs", "3", "--log-interval", "1" }
        + smallModelArgs());
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(
        r.err.contains("diverged") && r.err.contains("lower learning rate"), qPrintable(r.err));
    QVERIFY2(r.err.contains(out), qPrintable(r.err));
    const auto lines = r.lines();
    const Json done = lines.back();
    QCOMPARE(done.at("event").get<std::string>(), std::string("done"));
    QVERIFY(done.at("diverged").get<bool>());
    QCOMPARE(done.at("model").get<std::string>(), out.toStdString());
    // The first update blows the loss up: the run is put back to its initial weights, which are
    // those of a model initialised with the same seed.
    int progress = 0;
    for (const Json &l : lines)
        progress += l.at("event").get<std::string>() == "progress";
    QCOMPARE(progress, 1);
    QCOMPARE(done.at("steps").get<std::int64_t>(), std::int64_t(0));
    auto ck = loadCheckpoint<float>(out.toStdString());
    LanguageModel<float> fresh(ck.model->config());
    fresh.initRandom(3);
    auto saved = ck.model->parameters();
    auto initial = fresh.parameters();
    QCOMPARE(saved.size(), initial.size());
    for (std::size_t k = 0; k < saved.size(); ++k) {
        QVERIFY(saved[k].value->allFinite());
        QVERIFY2(*saved[k].value == *initial[k].value, saved[k].name.c_str());
    }
}

void TestCli::encodeCreatesTheOutputFolder()
{
    // As mkdir -p: every missing folder on the way is made.
    const QString dir = m_dir.filePath("encoded/deeper/still");
    QVERIFY(!QFileInfo::exists(m_dir.filePath("encoded")));
    const Run r = cli({ "encode", "--corpus", TrainText, "--out-dir", dir });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFileInfo(dir + "/train.txt").size() > 0);
    // A file where the folder should be is an error that names it.
    const QString blocker = m_dir.filePath("blocker");
    QFile f(blocker);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const Run bad = cli({ "encode", "--corpus", TrainText, "--out-dir", blocker + "/sub" });
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(blocker), qPrintable(bad.err));
}

// --cjk words (the default) cuts Chinese into words, --cjk chars into ideographs; train keeps
// the choice and --normalize in the checkpoint.
void TestCli::chineseWordsOrCharacters()
{
    const QString text = m_dir.filePath("zh.txt");
    {
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("我们在学习神经网络和词向量。\n词向量很有用，词向量和神经网络。\n");
    }
    auto vocabOf = [&](const QStringList &extra) {
        const QString dir = m_dir.filePath("zh-" + extra.join(QString()));
        const Run r = cli(
            QStringList { "encode", "--corpus", text, "--out-dir", dir, "--valid-fraction", "0" }
            + extra);
        if (r.exitCode != 0)
            return QStringList { "failed: " + r.err };
        return QString::fromStdString(readFile((dir + "/vocab.txt").toStdString()))
            .split('\n', Qt::SkipEmptyParts);
    };
    const QStringList words = vocabOf({});
    QVERIFY2(words.contains("向量") && words.contains("学习") && !words.contains("向"),
        qPrintable(words.join(' ')));
    const QStringList chars = vocabOf({ "--cjk", "chars" });
    QVERIFY2(chars.contains("向") && chars.contains("量") && !chars.contains("向量"),
        qPrintable(chars.join(' ')));
    QCOMPARE(
        cli({ "encode", "--corpus", text, "--out-dir", m_dir.filePath("zh-bad"), "--cjk", "char" })
            .exitCode,
        2);

    const QString out = m_dir.filePath("zh.safetensors");
    const Run r = cli(QStringList { "train", "--corpus", text, "--out", out, "--max-steps", "1",
                          "--cjk", "chars", "--normalize", "nfkc", "--lowercase" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto ck = loadCheckpoint<float>(out.toStdString());
    QCOMPARE(ck.tokenizer.cjk, CjkSegmentation::Chars);
    QCOMPARE(ck.tokenizer.normalize, Normalization::Nfkc);
    QCOMPARE(ck.tokenizer.folding, CaseFolding::Full);
}

void TestCli::vectorCommands()
{
    const QString vectors = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");
    const Json ref = Json::parse(readFile(EMBEDLAB_TEST_DATA "/queries/reference.json"));
    // neighbors: a JSON list of {word, score}, gensim's answer.
    const Run n = cli({ "neighbors", "--vectors", vectors, "--word", "king", "--k", "10" });
    QVERIFY2(n.exitCode == 0, qPrintable(n.err));
    const Json list = n.lines().at(0);
    const Json *want = nullptr;
    for (const auto &q : ref.at("neighbors"))
        if (q.contains("word") && q.at("word").get<std::string>() == "king"
            && q.at("metric").get<std::string>() == "cosine"
            && q.at("restrict").get<std::int64_t>() == 0 && q.at("k").get<std::int64_t>() == 10)
            want = &q.at("result");
    QVERIFY(want);
    QCOMPARE(list.size(), want->size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        QCOMPARE(list[i].at("word").get<std::string>(), (*want)[i][0].get<std::string>());
        QVERIFY(std::abs(list[i].at("score").get<double>() - (*want)[i][1].get<double>()) < 1e-5);
    }
    // analogy: b - a + c
    const Run a = cli({ "analogy", "--vectors", vectors, "--a", "man", "--b", "king", "--c",
        "woman", "--k", "3" });
    QVERIFY2(a.exitCode == 0, qPrintable(a.err));
    QCOMPARE(a.lines().at(0).size(), std::size_t(3));
    // inspect with coverage of a corpus
    const Run i = cli({ "inspect", "--vectors", vectors, "--corpus", TrainText });
    QVERIFY2(i.exitCode == 0, qPrintable(i.err));
    const Json report = i.lines().at(0);
    QCOMPARE(report.at("rows").get<std::int64_t>(), ref.at("rows").get<std::int64_t>());
    QCOMPARE(report.at("format").get<std::string>(), std::string("glove"));
    QVERIFY(report.at("coverage").at("covered_words").get<std::int64_t>() > 0);
    QVERIFY(report.at("coverage").at("token_share").get<double>() > 0.3);
    // convert to word2vec binary and back gives the same neighbours
    const QString bin = m_dir.filePath("v.bin");
    const Run c = cli({ "convert", "--vectors", vectors, "--to", "word2vec-bin", "--out", bin });
    QVERIFY2(c.exitCode == 0, qPrintable(c.err));
    const Run n2 = cli({ "neighbors", "--vectors", bin, "--word", "king", "--k", "10" });
    QCOMPARE(n2.out, n.out);
    // pca writes a TSV with a header and one row per word
    const QString tsv = m_dir.filePath("coords.tsv");
    const Run p
        = cli({ "pca", "--vectors", vectors, "--components", "2", "--top", "100", "--out", tsv });
    QVERIFY2(p.exitCode == 0, qPrintable(p.err));
    const auto ratios = p.lines().at(0).at("explained_variance_ratio");
    QCOMPARE(ratios.size(), std::size_t(2));
    QVERIFY(ratios[0].get<double>() >= ratios[1].get<double>());
    const QStringList rows
        = QString::fromStdString(readFile(tsv.toStdString())).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 101);
    QCOMPARE(rows.first(), QStringLiteral("word\tpc1\tpc2"));
    // errors: unknown word, missing option, not a vector file
    const Run u = cli({ "neighbors", "--vectors", vectors, "--word", "zzyzx" });
    QCOMPARE(u.exitCode, 1);
    QVERIFY2(u.err.contains("zzyzx"), qPrintable(u.err));
    QCOMPARE(cli({ "neighbors", "--vectors", vectors }).exitCode, 2);
    const QString prose = QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/prose.txt");
    const Run bad = cli({ "inspect", "--vectors", prose });
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(prose), qPrintable(bad.err));
}

void TestCli::fastTextModel()
{
    // A fastText .bin: detected, and neighbours of a word outside its vocabulary from the word's
    // character n-grams, gensim's most_similar (tests/data/vectors/fasttext_bin/reference.json).
    const QString dir = QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/fasttext_bin/");
    const Json ref = Json::parse(readFile((dir + "reference.json").toStdString())).at("skipgram");
    const QString model = dir + "skipgram.bin";
    const Run i = cli({ "inspect", "--vectors", model });
    QVERIFY2(i.exitCode == 0, qPrintable(i.err));
    QCOMPARE(i.lines().at(0).at("format").get<std::string>(), std::string("fasttext-bin"));
    QCOMPARE(i.lines().at(0).at("rows").get<std::size_t>(), ref.at("words").size());
    for (const char *word : { "rivers", "\u5411\u91cf\u5316" }) {
        const Run n = cli(
            { "neighbors", "--vectors", model, "--word", QString::fromUtf8(word), "--k", "5" });
        QVERIFY2(n.exitCode == 0, qPrintable(n.err));
        const Json list = n.lines().at(0);
        const Json &want = ref.at("oov_neighbors").at(word);
        QCOMPARE(list.size(), want.size());
        for (std::size_t k = 0; k < list.size(); ++k) {
            QCOMPARE(list[k].at("word").get<std::string>(), want[k][0].get<std::string>());
            QVERIFY(std::abs(list[k].at("score").get<double>() - want[k][1].get<double>()) < 1e-5);
        }
    }
    // A quantized model is refused, naming the file.
    const QString ftz = QStringLiteral(EMBEDLAB_TEST_DATA "/bad/fasttext_quantized.bin");
    const Run q = cli({ "neighbors", "--vectors", ftz, "--word", "rivers" });
    QCOMPARE(q.exitCode, 1);
    QVERIFY2(q.err.contains(ftz) && q.err.contains("quantized"), qPrintable(q.err));
}

void TestCli::wordPairsCommand()
{
    // evaluate --pairs: gensim's evaluate_word_pairs (tests/golden/make_pairs_reference.py).
    const QString data = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/");
    const QString vectors = data + "pairs_vectors.txt";
    const Json ref = Json::parse(readFile(EMBEDLAB_TEST_DATA "/queries/pairs.json"));
    int compared = 0;
    for (const Json &c : ref.at("evaluations")) {
        const QString pairs
            = data + "pairs/" + QString::fromStdString(c.at("pairs").get<std::string>());
        const std::int64_t restrict = c.at("restrict").get<std::int64_t>();
        QStringList args { "evaluate", "--vectors", vectors, "--pairs", pairs };
        if (restrict != 300000) // the default, gensim's
            args << "--restrict" << QString::number(restrict);
        if (!c.at("case_insensitive").get<bool>())
            args << "--case-sensitive";
        const Run r = cli(args);
        if (c.contains("error")) {
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(pairs + ": none of its"), qPrintable(r.err));
            continue;
        }
        QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + "\n" + r.err));
        const Json out = r.lines().at(0);
        for (const char *key : { "pearson", "spearman", "oov_ratio" })
            QVERIFY2(std::abs(out.at(key).get<double>() - c.at(key).get<double>()) <= 1e-6,
                qPrintable(args.join(' ') + ": " + key));
        QCOMPARE(out.at("pairs").get<std::int64_t>(), c.at("used").get<std::int64_t>());
        QCOMPARE(out.at("oov_pairs").get<std::int64_t>(), c.at("oov").get<std::int64_t>());
        QCOMPARE(out.at("restrict").get<std::int64_t>(), restrict);
        ++compared;
    }
    QVERIFY(compared >= 10);

    // A bad line names the file and the line and shows what a line should be.
    const QString bad = m_dir.filePath("bad-pairs.tsv");
    writeFileAtomically(bad.toStdString(), "# scores\nking\tqueen\t8.5\nking queen 8.5\n");
    const Run b = cli({ "evaluate", "--vectors", vectors, "--pairs", bad });
    QCOMPARE(b.exitCode, 1);
    QVERIFY2(b.err.contains(bad + " line 3: expected 3 fields separated by tabs, found 1"),
        qPrintable(b.err));
    QVERIFY2(b.err.contains("word<TAB>word<TAB>score"), qPrintable(b.err));
    QVERIFY(b.out.isEmpty());
    // One pair: the correlations are undefined (null), the counts are not.
    const QString one = m_dir.filePath("one-pair.tsv");
    writeFileAtomically(one.toStdString(), "king\tqueen\t8.5\nking\tzzyzx\t1\n");
    const Run o = cli({ "evaluate", "--vectors", vectors, "--pairs", one });
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    const Json single = o.lines().at(0);
    QVERIFY(single.at("pearson").is_null() && single.at("spearman").is_null());
    QCOMPARE(single.at("pairs").get<int>(), 1);
    QCOMPARE(single.at("oov_ratio").get<double>(), 50.0);
    // --analogies or --pairs, not both, not neither; --method is for analogies.
    QCOMPARE(cli({ "evaluate", "--vectors", vectors }).exitCode, 2);
    QCOMPARE(
        cli({ "evaluate", "--vectors", vectors, "--pairs", one, "--analogies", one }).exitCode, 2);
    QCOMPARE(
        cli({ "evaluate", "--vectors", vectors, "--pairs", one, "--method", "mul" }).exitCode, 2);
}

void TestCli::wordQueryCommands()
{
    const QString vectors = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");
    const Json ref = Json::parse(readFile(EMBEDLAB_TEST_DATA "/queries/pairs.json"));
    const auto joined = [](const Json &words) {
        QStringList list;
        for (const Json &w : words)
            list << QString::fromStdString(w.get<std::string>());
        return list.join(',');
    };
    // similarity
    for (const Json &c : ref.at("similarity")) {
        const Run r = cli({ "similarity", "--vectors", vectors, "--a",
            QString::fromStdString(c.at("a").get<std::string>()), "--b",
            QString::fromStdString(c.at("b").get<std::string>()) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(std::abs(r.lines().at(0).at("similarity").get<double>()
                    - c.at("similarity").get<double>())
            <= 1e-6);
    }
    // neighbors --positive --negative [--method mul] [--restrict N]: most_similar(_cosmul)
    for (const Json &c : ref.at("most_similar")) {
        QStringList args { "neighbors", "--vectors", vectors, "--k",
            QString::number(c.at("k").get<int>()), "--method",
            QString::fromStdString(c.at("method").get<std::string>()) };
        if (!c.at("positive").empty())
            args << "--positive" << joined(c.at("positive"));
        if (!c.at("negative").empty())
            args << "--negative" << joined(c.at("negative"));
        if (c.at("restrict").get<int>())
            args << "--restrict" << QString::number(c.at("restrict").get<int>());
        const Run r = cli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + "\n" + r.err));
        const Json list = r.lines().at(0);
        const Json &want = c.at("result");
        QCOMPARE(list.size(), want.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            QCOMPARE(list[i].at("word").get<std::string>(), want[i][0].get<std::string>());
            QVERIFY(std::abs(list[i].at("score").get<double>() - want[i][1].get<double>()) <= 1e-6);
        }
    }
    // doesnt-match ignores unknown words, as gensim, and says so on stderr
    for (const Json &c : ref.at("doesnt_match")) {
        const Run r
            = cli({ "doesnt-match", "--vectors", vectors, "--words", joined(c.at("words")) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json out = r.lines().at(0);
        QCOMPARE(out.at("doesnt_match").get<std::string>(), c.at("result").get<std::string>());
        QCOMPARE(out.at("ignored"), c.at("ignored"));
        for (const Json &w : c.at("ignored"))
            QVERIFY2(r.err.contains("ignoring \"" + QString::fromStdString(w.get<std::string>())
                         + "\", which is not in the vocabulary"),
                qPrintable(r.err));
        if (c.at("ignored").empty())
            QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }
    const Run none = cli({ "doesnt-match", "--vectors", vectors, "--words", "zzyzx,qqqq" });
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains("none of the words is in the vocabulary"), qPrintable(none.err));

    // A word known only in another case is read in that case (the first such row), and says
    // so; a misspelling gets "did you mean".
    const Run upper = cli({ "neighbors", "--vectors", vectors, "--word", "KING", "--k", "3" });
    QCOMPARE(upper.exitCode, 0);
    QVERIFY2(upper.err.contains("\"KING\" is not in the vocabulary; read as \"king\""),
        qPrintable(upper.err));
    QCOMPARE(
        upper.out, cli({ "neighbors", "--vectors", vectors, "--word", "king", "--k", "3" }).out);
    const Run misspelt = cli({ "neighbors", "--vectors", vectors, "--word", "kinq" });
    QCOMPARE(misspelt.exitCode, 1);
    QVERIFY2(misspelt.err.contains("word \"kinq\" is not in the vocabulary; did you mean \"king\""),
        qPrintable(misspelt.err));
    const Run typo = cli({ "similarity", "--vectors", vectors, "--a", "king", "--b", "womann" });
    QCOMPARE(typo.exitCode, 1);
    QVERIFY2(typo.err.contains("did you mean \"woman\" or \"women\"?"), qPrintable(typo.err));
    const Run plus = cli({ "neighbors", "--vectors", vectors, "--positive", "king,Paris" });
    QCOMPARE(plus.exitCode, 0);
    QVERIFY2(plus.err.contains("\"Paris\" is not in the vocabulary; read as \"PARIS\""),
        qPrintable(plus.err));
    QCOMPARE(plus.out, cli({ "neighbors", "--vectors", vectors, "--positive", "king,PARIS" }).out);
    const Run odd
        = cli({ "doesnt-match", "--vectors", vectors, "--words", "king,queen,Paris,zzyzx" });
    QVERIFY2(odd.err.contains("read as \"PARIS\"")
            && odd.err.contains("ignoring \"zzyzx\", which is not in the vocabulary"),
        qPrintable(odd.err));

    // Usage: --word or --positive/--negative; euclidean only for --word; mul needs a positive.
    QCOMPARE(cli({ "neighbors", "--vectors", vectors, "--word", "king", "--positive", "queen" })
                 .exitCode,
        2);
    QCOMPARE(
        cli({ "neighbors", "--vectors", vectors, "--positive", "king", "--metric", "euclidean" })
            .exitCode,
        2);
    QCOMPARE(cli({ "neighbors", "--vectors", vectors, "--negative", "king", "--method", "mul" })
                 .exitCode,
        2);
    QCOMPARE(
        cli({ "neighbors", "--vectors", vectors, "--word", "king", "--method", "mul" }).exitCode,
        2);
    QCOMPARE(cli({ "similarity", "--vectors", vectors, "--a", "king" }).exitCode, 2);
}

void TestCli::projectCommand()
{
    const QString vectors = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");
    // t-SNE of the 150 most frequent words into a file: word, x, y per line.
    const QString tsv = m_dir.filePath("tsne.tsv");
    const QStringList tsne = { "project", "--vectors", vectors, "--method", "tsne", "--top", "150",
        "--iterations", "300", "--threads", "2", "--out", tsv };
    const Run r = cli(tsne);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    const QString written = QString::fromStdString(readFile(tsv.toStdString()));
    const QStringList rows = written.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 150);
    QVERIFY2(rows.first().startsWith("the\t"), qPrintable(rows.first()));
    for (const QString &row : rows) {
        const QStringList fields = row.split('\t');
        QCOMPARE(fields.size(), 3);
        bool ok = false;
        QVERIFY(std::isfinite(fields[1].toDouble(&ok)) && ok);
    }
    // The same again on one thread: the same map.
    QStringList oneThread = tsne;
    oneThread[oneThread.indexOf("--threads") + 1] = "1";
    QCOMPARE(cli(oneThread).exitCode, 0);
    QCOMPARE(QString::fromStdString(readFile(tsv.toStdString())), written);
    // To stdout, in 3D, with PCA.
    const Run pca3 = cli({ "project", "--vectors", vectors, "--dims", "3", "--top", "20" });
    QVERIFY2(pca3.exitCode == 0, qPrintable(pca3.err));
    const QStringList lines = pca3.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 20);
    QCOMPARE(lines.first().split('\t').size(), 4);
    // An unknown method names the known ones; options that do not apply are usage errors.
    const Run unknown = cli({ "project", "--vectors", vectors, "--method", "isomap" });
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("isomap") && unknown.err.contains("pca")
            && unknown.err.contains("tsne"),
        qPrintable(unknown.err));
    QCOMPARE(cli({ "project", "--vectors", vectors, "--perplexity", "5" }).exitCode, 2);
    QCOMPARE(cli({ "project", "--vectors", vectors, "--dims", "4" }).exitCode, 2);
    // Custom axes: a column per --axis, the dot products with the directions the words name.
    const Run custom = cli({ "project", "--vectors", vectors, "--method", "custom", "--axis",
        "man - woman", "--axis", "king - queen", "--top", "5" });
    QVERIFY2(custom.exitCode == 0, qPrintable(custom.err));
    const QStringList customLines = custom.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(customLines.size(), 5);
    QCOMPARE(customLines.first().split('\t').size(), 3);
    QCOMPARE(
        cli({ "project", "--vectors", vectors, "--method", "custom", "--axis", "man" }).exitCode,
        2);
    QCOMPARE(
        cli({ "project", "--vectors", vectors, "--axis", "man", "--axis", "woman" }).exitCode, 2);
    const Run missing = cli({ "project", "--vectors", vectors, "--method", "custom", "--axis",
        "man - robot", "--axis", "king - queen" });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("robot"), qPrintable(missing.err));
}

void TestCli::trainFromVectors()
{
    const QString vectors = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt");
    const QString out = m_dir.filePath("fromvectors.safetensors");
    const Run r = cli(
        QStringList { "train", "--corpus", TrainText, "--out", out, "--vectors", vectors,
            "--adopt-dimension", "--freeze-embedding", "--max-steps", "2", "--uncovered", "zeros" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    Json event;
    for (const auto &l : r.lines())
        if (l.at("event").get<std::string>() == "vectors")
            event = l;
    QVERIFY(event.is_object());
    QCOMPARE(event.at("dim").get<std::int64_t>(), std::int64_t(50));
    QVERIFY(event.at("covered_words").get<std::int64_t>() > 0);
    // The saved embedding holds the file's vectors for covered words (frozen: unchanged).
    auto ck = loadCheckpoint<float>(out.toStdString());
    QCOMPARE(ck.model->config().embeddingDim, 50);
    const std::string firstLine = readFile(vectors.toStdString()).substr(0, 400);
    const std::string word = firstLine.substr(0, firstLine.find(' '));
    const int id = ck.vocab.find(word);
    QVERIFY2(id > 2, word.c_str());
    const float first = std::stof(firstLine.substr(firstLine.find(' ') + 1));
    QCOMPARE(ck.model->encoder()(0, id), first);
    // Without --adopt-dimension a mismatch is a clear error.
    const Run mismatch = cli(QStringList { "train", "--corpus", TrainText, "--out", out,
                                 "--vectors", vectors, "--max-steps", "1" }
        + smallModelArgs());
    QCOMPARE(mismatch.exitCode, 1);
    QVERIFY2(mismatch.err.contains("50 dimensions"), qPrintable(mismatch.err));
}

void TestCli::autosaveWritesTheModelDuringTraining()
{
    const QString out = m_dir.filePath("autosaved.safetensors");
    // Every 0.6 ms. 400 windows of this tiny model take well over 3 ms even on a fast machine
    // (about 40 us each), so there are at least five autosaves; a slow machine saves every window.
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--out", out, "--max-steps",
                          "400", "--autosave-minutes", "0.00001" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    int autosaves = 0;
    qint64 firstStep = 0, lastStep = 0;
    for (const auto &l : r.lines())
        if (l.at("event").get<std::string>() == "autosave") {
            ++autosaves;
            QVERIFY(l.at("step").get<std::int64_t>() > lastStep);
            lastStep = l.at("step").get<std::int64_t>();
            if (!firstStep)
                firstStep = lastStep;
            QCOMPARE(QString::fromStdString(l.at("model").get<std::string>()), out);
        }
    QVERIFY2(autosaves >= 5, qPrintable(r.out));
    QVERIFY2(firstStep < 200, qPrintable(r.out)); // during the run, not only at its end
    QVERIFY(loadCheckpoint<float>(out.toStdString()).model);
    // The model, and beside it the recurrent state it goes on from.
    QCOMPARE(QDir(m_dir.path()).entryList({ "autosaved*" }, QDir::Files),
        (QStringList { "autosaved.safetensors", "autosaved.trainstate.safetensors" }));

    const Run bad = cli(
        QStringList { "train", "--corpus", TrainText, "--out", out, "--autosave-minutes", "soon" });
    QVERIFY(bad.exitCode != 0 && bad.exitCode != -1);
    QVERIFY2(bad.err.contains("--autosave-minutes"), qPrintable(bad.err));
}

void TestCli::fullDiskKeepsThePreviousModel()
{
    const QString out = m_dir.filePath("kept.safetensors");
    const Run first
        = cli(QStringList { "train", "--corpus", TrainText, "--out", out, "--max-steps", "3" }
            + smallModelArgs());
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    const std::string before = readFile(out.toStdString());
    QVERIFY(before.size() > 8 * 1024);
    const std::string state = trainStatePath(out.toStdString());
    const std::string stateBefore = readFile(state);
    // No room for more than 4 KiB per file (write() fails with EFBIG, like ENOSPC on a full
    // disk): a clear error naming the file, no crash, and the previous model intact.
    const Run full = cli(QStringList { "train", "--corpus", TrainText, "--out", out, "--max-steps",
                             "3", "--seed", "9" }
            + smallModelArgs(),
        QStringLiteral("ulimit -f 4"));
    QVERIFY2(full.exitCode > 0, qPrintable(QString::number(full.exitCode) + full.err));
    QVERIFY2(full.err.contains(out) && full.err.contains("too large"), qPrintable(full.err));
    QCOMPARE(readFile(out.toStdString()), before);
    QCOMPARE(readFile(state), stateBefore);
    QCOMPARE(QDir(m_dir.path()).entryList({ "kept*" }, QDir::Files),
        (QStringList { "kept.safetensors", "kept.trainstate.safetensors" }));
}

// train --run-dir records every window (also for TensorBoard), the epochs and the embedding at
// the chosen steps; runs lists them, the vector commands read any recorded step, and training
// again into the folder continues the run.
void TestCli::recordsARunFolder()
{
    const QString dir = m_dir.filePath("run-a");
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--run-dir", dir, "--epochs",
                          "2", "--log-interval", "1", "--snapshot-every", "5" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    std::vector<Json> windows, epochs;
    for (const auto &l : r.lines()) {
        const auto event = l.at("event").get<std::string>();
        if (event == "progress")
            windows.push_back(l);
        else if (event == "epoch")
            epochs.push_back(l);
    }
    QVERIFY(windows.size() > 20);
    QCOMPARE(epochs.size(), std::size_t(2));
    const std::int64_t last = windows.back().at("step").get<std::int64_t>();

    // The TensorBoard event file: one train/loss per window, equal to what was printed.
    const auto files = eventFilesIn(dir.toStdString());
    QCOMPARE(files.size(), std::size_t(1));
    const EventFileContents events = readEventFile(dir.toStdString() + "/" + files[0]);
    QCOMPARE(events.fileVersion, std::string("brain.Event:2"));
    QVERIFY(!events.truncated);
    std::vector<ScalarEvent> loss, lr, valid;
    for (const auto &e : events.scalars)
        (e.tag == "train/loss" ? loss : e.tag == "train/lr" ? lr : valid).push_back(e);
    QCOMPARE(loss.size(), windows.size());
    for (std::size_t i = 0; i < windows.size(); ++i) {
        QCOMPARE(loss[i].step, windows[i].at("step").get<std::int64_t>());
        QCOMPARE(loss[i].value, static_cast<float>(windows[i].at("loss").get<double>()));
        QCOMPARE(lr[i].value, static_cast<float>(windows[i].at("lr").get<double>()));
        QVERIFY(loss[i].wallTime > 1.7e9); // seconds since 1970, as TensorBoard expects
    }
    std::vector<float> validLoss;
    for (const auto &e : valid)
        if (e.tag == "valid/loss")
            validLoss.push_back(e.value);
    QCOMPARE(validLoss.size(), std::size_t(2));
    QCOMPARE(validLoss[1], static_cast<float>(epochs[1].at("valid_loss").get<double>()));

    // runs: the settings and the recorded steps (the initialisation, every fifth, the last).
    const Run listed = cli({ "runs", "--run-dir", dir });
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
    const Json info = listed.lines().at(0);
    QCOMPARE(info.at("config").at("model").at("embedding_dim").get<int>(), 8);
    QCOMPARE(info.at("config").at("status").get<std::string>(), std::string("finished"));
    QCOMPARE(info.at("config").at("corpus").at("path").get<std::string>(), TrainText.toStdString());
    std::vector<std::int64_t> want;
    for (std::int64_t s = 0; s <= last; s += 5)
        want.push_back(s);
    if (want.back() != last)
        want.push_back(last);
    QCOMPARE(info.at("steps").get<std::vector<std::int64_t>>(), want);
    QCOMPARE(info.at("windows").get<std::int64_t>(), last);
    QCOMPARE(info.at("epochs").size(), std::size_t(2));

    // The last recorded step is the saved model, rounded to float16.
    const QString fromRun = m_dir.filePath("run-last.txt");
    const QString fromModel = m_dir.filePath("model-last.txt");
    QCOMPARE(cli({ "convert", "--run", dir, "--to", "glove", "--out", fromRun }).exitCode, 0);
    QCOMPARE(cli({ "convert", "--model", dir + "/checkpoint.safetensors", "--to", "glove", "--out",
                     fromModel })
                 .exitCode,
        0);
    const WordVectors a = readVectors(fromRun.toStdString()),
                      b = readVectors(fromModel.toStdString());
    QCOMPARE(a.words(), b.words());
    const float worst
        = ((a.vectors() - b.vectors()).array().abs() / b.vectors().array().abs().max(1e-4f))
              .maxCoeff();
    QVERIFY2(worst <= 1.0f / 2048 + 1e-6f, qPrintable(QString::number(worst)));
    // Another step is another table; a step not recorded names the nearest ones.
    const Run at5 = cli({ "neighbors", "--run", dir, "--step", "5", "--word", "the", "--k", "3" });
    QVERIFY2(at5.exitCode == 0, qPrintable(at5.err));
    QCOMPARE(at5.lines().at(0).size(), std::size_t(3));
    const Run at7 = cli({ "neighbors", "--run", dir, "--step", "7", "--word", "the" });
    QCOMPARE(at7.exitCode, 1);
    QVERIFY2(at7.err.contains("no embedding was recorded at step 7")
            && at7.err.contains("nearest recorded steps are 0 5 10"),
        qPrintable(at7.err));

    // Training into the folder again continues the run: steps, files and curves go on.
    const Run more = cli(QStringList { "train", "--corpus", TrainText, "--run-dir", dir,
                             "--max-steps", "3", "--log-interval", "1" }
        + smallModelArgs());
    QVERIFY2(more.exitCode == 0, qPrintable(more.err));
    const auto moreLines = more.lines();
    QCOMPARE(moreLines.at(1).at("step").get<std::int64_t>(), last + 1);
    QCOMPARE(moreLines.at(1).at("epoch").get<int>(), 3);
    const RunData run = readRun(dir.toStdString());
    QCOMPARE(static_cast<std::int64_t>(run.scalars.size()), last + 3);
    for (std::size_t i = 0; i < run.scalars.size(); ++i)
        QCOMPARE(run.scalars[i].step, static_cast<std::int64_t>(i + 1));
    QCOMPARE(run.snapshots.back().step, last + 3);
    QVERIFY(run.warnings.empty());
    QCOMPARE(eventFilesIn(dir.toStdString()).size(), std::size_t(2));

    // A folder that is not a run, and a run of another model, are refused by name.
    const Run notRun = cli({ "runs", "--run-dir", m_dir.path() });
    QCOMPARE(notRun.exitCode, 1);
    QVERIFY2(notRun.err.contains("not a run folder"), qPrintable(notRun.err));
    const Run other = cli(QStringList { "train", "--corpus", TrainText, "--run-dir", dir,
        "--max-steps", "1", "--embedding-dim", "6", "--hidden", "6", "--layers", "1", "--batch",
        "2", "--bptt", "4" });
    QCOMPARE(other.exitCode, 1);
    QVERIFY2(other.err.contains("another run"), qPrintable(other.err));
    const Run otherCell = cli(QStringList { "train", "--corpus", TrainText, "--run-dir", dir,
                                  "--max-steps", "1", "--cell", "gru" }
        + smallModelArgs());
    QCOMPARE(otherCell.exitCode, 1);
    QVERIFY2(otherCell.err.contains("holds another run, whose model has --cell lstm"),
        qPrintable(otherCell.err));
}

// history: per snapshot the neighbourhood overlap with the one before and the analogy accuracy,
// the figures of the engine and of evaluate at each step; kept in the folder for the next time.
void TestCli::historyOfARun()
{
    const QString dir = m_dir.filePath("run-history");
    const Run r = cli(QStringList { "train", "--corpus", TrainText, "--run-dir", dir, "--max-steps",
                          "12", "--snapshot-every", "4" }
        + smallModelArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const RunData run = readRun(dir.toStdString());
    QCOMPARE(run.snapshots.size(), std::size_t(4)); // 0, 4, 8, 12

    // Questions over the run's own frequent words, so that some are answered.
    const QString questions = m_dir.filePath("history-questions.txt");
    std::string q = ": frequent\n";
    for (int i = 3; i + 3 < 40; ++i)
        q += run.words[static_cast<std::size_t>(i)] + " "
            + run.words[static_cast<std::size_t>(i + 1)] + " "
            + run.words[static_cast<std::size_t>(i + 2)] + " "
            + run.words[static_cast<std::size_t>(i + 3)] + "\n";
    writeFileAtomically(questions.toStdString(), q);

    const Run h
        = cli({ "history", "--run", dir, "--words", "40", "--k", "5", "--analogies", questions });
    QVERIFY2(h.exitCode == 0, qPrintable(h.err));
    const Json out = h.lines().at(0);
    QCOMPARE(out.at("words").get<int>(), 40);
    QCOMPARE(out.at("k").get<int>(), 5);
    const Json &steps = out.at("steps");
    QCOMPARE(steps.size(), run.snapshots.size());
    HistoryOptions options;
    options.words = 40;
    options.k = 5;
    options.analogies = questions.toStdString();
    const RunHistory engine = evaluateRunHistory(run, options);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Json &s = steps[i];
        QCOMPARE(s.at("step").get<std::int64_t>(), run.snapshots[i].step);
        if (i == 0)
            QVERIFY(s.at("overlap_with_previous").is_null());
        else
            QCOMPARE(s.at("overlap_with_previous").get<double>(), engine.points[i].overlap);
        const Run ev = cli({ "evaluate", "--run", dir, "--step",
            QString::number(run.snapshots[i].step), "--analogies", questions });
        QVERIFY2(ev.exitCode == 0, qPrintable(ev.err));
        const Json total = ev.lines().at(0).at("total");
        QCOMPARE(s.at("analogy_correct").get<int>(), total.at("correct").get<int>());
        QCOMPARE(s.at("analogy_total").get<int>(), total.at("total").get<int>());
        QCOMPARE(s.at("analogy_total").get<int>(), 34);
    }
    QVERIFY(QFile::exists(dir + "/history.jsonl"));
    QCOMPARE(readRunHistory(dir.toStdString()).points.size(), run.snapshots.size());
    // Asked again, the same answer (from the cache); without --analogies no analogy fields.
    QCOMPARE(
        cli({ "history", "--run", dir, "--words", "40", "--k", "5", "--analogies", questions }).out,
        h.out);
    const Run plain = cli({ "history", "--run", dir });
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    const Json p = plain.lines().at(0);
    QCOMPARE(p.at("words").get<int>(), 1000);
    QCOMPARE(p.at("k").get<int>(), 10);
    QVERIFY(!p.at("steps").at(1).contains("analogy_accuracy"));
    const Run notRun = cli({ "history", "--run", m_dir.path() });
    QCOMPARE(notRun.exitCode, 1);
    QVERIFY2(notRun.err.contains("not a run folder"), qPrintable(notRun.err));
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString missing = QStringLiteral("/nonexistent/corpus.txt");
    const QString utf16 = QStringLiteral(EMBEDLAB_TEST_DATA "/text/utf16le.txt");
    const QString notModel = TrainText;
    QTest::newRow("no command") << QStringList {} << 2 << "usage";
    QTest::newRow("unknown command") << QStringList { "fly" } << 2 << "unknown command 'fly'";
    QTest::newRow("unknown option") << QStringList { "train", "--corpus", TrainText, "--out", "x",
        "--wings", "2" } << 2 << "--wings";
    QTest::newRow("missing --out") << QStringList { "train", "--corpus", TrainText } << 2
                                   << "--out: where to write the model is required (or --run-dir";
    QTest::newRow("bad number") << QStringList { "train", "--corpus", TrainText, "--out", "x",
        "--lr", "fast" } << 2 << "not a number";
    QTest::newRow("bad optimizer")
        << QStringList { "train", "--corpus", TrainText, "--out", "x", "--optimizer", "lbfgs" } << 2
        << "sgd or adam";
    QTest::newRow("unknown cell") << QStringList {
        "train", "--corpus", TrainText, "--out", "x", "--cell", "transformer"
    } << 2 << "--cell: expected lstm, gru, rnn_tanh or rnn_relu, got 'transformer'";
    QTest::newRow("missing corpus")
        << QStringList { "train", "--corpus", missing, "--out", "x" } << 1 << missing;
    QTest::newRow("UTF-16 corpus")
        << QStringList { "train", "--corpus", utf16, "--out", "x" } << 1 << "UTF-16";
    QTest::newRow("tied needs E == H") << QStringList { "train", "--corpus", TrainText, "--out",
        "x", "--embedding-dim", "4", "--hidden", "8", "--tied" }
                                       << 1 << "tied";
    QTest::newRow("classify: language-model option") << QStringList {
        "train", "--task", "classify", "--corpus", LabelledTrain, "--out", "x", "--tied"
    } << 2 << "--tied is for language models, not --task classify";
    QTest::newRow("pooling needs classify")
        << QStringList { "train", "--corpus", TrainText, "--out", "x", "--pooling", "max" } << 2
        << "--pooling needs --task classify";
    QTest::newRow("classify: bad padding") << QStringList { "train", "--task", "classify",
        "--corpus", LabelledTrain, "--out", "x", "--padding", "middle" }
                                           << 2 << "expected pre or post";
    QTest::newRow("classify: unlabelled corpus")
        << QStringList { "train", "--task", "classify", "--corpus", TrainText, "--out", "x" } << 1
        << "line 1: expected 'label<TAB>text'";
    QTest::newRow("classify: language model") << QStringList { "classify", "--model",
        QStringLiteral(EMBEDLAB_TEST_DATA "/golden/sgd_tied.safetensors"), "--text", "hi" }
                                              << 1 << "not a text classifier";
    QTest::newRow("classify: text and corpus") << QStringList { "classify", "--model", "x",
        "--text", "hi", "--corpus", "y" } << 2 << "either --text or --corpus";
    QTest::newRow("model is not a checkpoint")
        << QStringList { "eval", "--model", notModel, "--corpus", TrainText } << 1 << notModel;
    QTest::newRow("eval of a missing file")
        << QStringList { "eval", "--model", "/nonexistent/m.safetensors", "--corpus", TrainText }
        << 1 << "/nonexistent/m.safetensors";
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

namespace {

// The line of a --help text that describes option (its name, type and default; the description
// may wrap onto the next line).
QString helpLine(const QString &help, const QString &option)
{
    for (const QString &line : help.split('\n'))
        if (line.trimmed().startsWith(option + ' ') || line.trimmed() == option)
            return line;
    return {};
}

} // namespace

void TestCli::commandHelpListsItsOwnOptions()
{
    const Run train = cli({ "train", "--help" });
    QCOMPARE(train.exitCode, 0);
    QVERIFY(train.err.isEmpty());
    QVERIFY2(train.out.contains("embedlab-cli train"), qPrintable(train.out));
    // Defaults come from the definitions that parse the options.
    QVERIFY2(helpLine(train.out, "--lr").contains("=20"), qPrintable(train.out));
    QVERIFY2(train.out.contains("0.001"), qPrintable(train.out)); // Adam's learning rate
    QVERIFY2(helpLine(train.out, "--epochs").contains("=1"), qPrintable(train.out));
    QVERIFY2(helpLine(train.out, "--batch").contains("=20"), qPrintable(train.out));
    QVERIFY2(helpLine(train.out, "--bptt").contains("=35"), qPrintable(train.out));
    QVERIFY2(helpLine(train.out, "--embedding-dim").contains("=200"), qPrintable(train.out));
    QVERIFY2(helpLine(train.out, "--optimizer").contains("sgd|adam=sgd"), qPrintable(train.out));
    QVERIFY2(helpLine(train.out, "--cell").contains("lstm|gru|rnn_tanh|rnn_relu=lstm"),
        qPrintable(train.out));
    QVERIFY2(
        helpLine(train.out, "--out").contains("required unless --run-dir"), qPrintable(train.out));
    for (const char *option :
        { "--corpus", "--valid-fraction", "--tokenizer", "--min-count", "--dropout", "--tied",
            "--clip", "--seed", "--threads", "--log-interval", "--autosave-minutes", "--vectors",
            "--uncovered", "--adopt-dimension", "--run-dir", "--snapshot-every", "--task",
            "--max-length", "--padding", "--truncating", "--pooling" })
        QVERIFY2(!helpLine(train.out, option).isEmpty(), option);
    QVERIFY2(
        helpLine(train.out, "--pooling").contains("last|mean|max=last"), qPrintable(train.out));
    // Only train's own options: not those of the vector commands.
    QVERIFY2(helpLine(train.out, "--word").isEmpty(), qPrintable(train.out));
    QVERIFY2(helpLine(train.out, "--metric").isEmpty(), qPrintable(train.out));

    // --help wins over missing required options, wherever it is.
    const Run late = cli({ "train", "--epochs", "3", "--help" });
    QCOMPARE(late.exitCode, 0);
    QCOMPARE(late.out, train.out);

    const Run eval = cli({ "eval", "--help" });
    QCOMPARE(eval.exitCode, 0);
    QVERIFY2(helpLine(eval.out, "--threads").contains("=0"), qPrintable(eval.out));
    QVERIFY2(helpLine(eval.out, "--model").contains("REQUIRED"), qPrintable(eval.out));
    QVERIFY2(helpLine(eval.out, "--lr").isEmpty(), qPrintable(eval.out));
    const Run generate = cli({ "generate", "-h" });
    QCOMPARE(generate.exitCode, 0);
    QVERIFY2(helpLine(generate.out, "--threads").contains("=1"), qPrintable(generate.out));
    QVERIFY2(helpLine(generate.out, "--tokens").contains("=50"), qPrintable(generate.out));
    QVERIFY2(helpLine(generate.out, "--temperature").contains("=1"), qPrintable(generate.out));
    const Run neighbors = cli({ "neighbors", "--help" });
    QCOMPARE(neighbors.exitCode, 0);
    QVERIFY2(helpLine(neighbors.out, "--k").contains("=10"), qPrintable(neighbors.out));
    QVERIFY2(helpLine(neighbors.out, "--metric").contains("cosine|euclidean=cosine"),
        qPrintable(neighbors.out));
}

void TestCli::helpListsTheCommands()
{
    const Run help = cli({ "--help" });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.err.isEmpty());
    for (const char *command : { "train", "runs", "history", "eval", "generate", "encode",
             "classify", "inspect", "neighbors", "analogy", "similarity", "doesnt-match",
             "evaluate", "pca", "project", "convert" })
        QVERIFY2(!helpLine(help.out, command).isEmpty(), command);
    QCOMPARE(cli({ "help" }).out, help.out);
    // Without a command the same text goes to stderr, as a usage error.
    const Run none = cli({});
    QCOMPARE(none.exitCode, 2);
    QCOMPARE(none.err, help.out);
    QVERIFY(none.out.isEmpty());
    const Run version = cli({ "--version" });
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.out.startsWith("embedlab-cli "), qPrintable(version.out));
}

void TestCli::unknownOptionOfACommand_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("option");
    QTest::newRow("eval") << QStringList { "eval", "--model", "m", "--corpus", "c", "--wings" }
                          << "--wings";
    QTest::newRow("generate, with a value")
        << QStringList { "generate", "--model", "m", "--speed=3" } << "--speed=3";
    QTest::newRow("train's option given to neighbors") << QStringList { "neighbors", "--vectors",
        "v", "--word", "w", "--epochs", "2" } << "--epochs";
    QTest::newRow("before any command") << QStringList { "--wings" } << "--wings";
}

void TestCli::unknownOptionOfACommand()
{
    QFETCH(QStringList, args);
    QFETCH(QString, option);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(option) && r.err.contains("not expected"), qPrintable(r.err));
    QVERIFY2(r.err.contains("--help"), qPrintable(r.err)); // says where to look
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
