// Text classification: the labelled-corpus readers, Keras' pad_sequences, central-difference
// gradient checks of the classifier with padding and masking, the first SGD and Adam steps
// against PyTorch (tests/golden/make_classifier_reference.py), checkpoints and a small run.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <thread>

#include "core/classifier.h"
#include "core/classifiercheckpoint.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/labelled.h"
#include "core/padding.h"
#include "core/pretrained.h"
#include "core/wordvectors.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;
using ClassifierD = TextClassifier<double>;

Q_DECLARE_METATYPE(std::vector<std::int32_t>)

namespace {

std::vector<std::int32_t> ints(const Json &j)
{
    std::vector<std::int32_t> v;
    for (const auto &x : j)
        v.push_back(x.get<std::int32_t>());
    return v;
}

// Rows of a batch of sequences of the given lengths (ids 3.., no pad), padded by padSequences.
struct Batch
{
    std::vector<std::vector<std::int32_t>> sequences;
    std::vector<std::int32_t> rows, labels;
    int L = 0;
};

Batch randomBatch(
    const std::vector<int> &lengths, int V, int C, int L, PadSide padding, std::uint64_t seed)
{
    Rng rng(seed);
    Batch b;
    for (int n : lengths) {
        std::vector<std::int32_t> s;
        for (int i = 0; i < n; ++i)
            s.push_back(
                1 + static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(V - 1)));
        b.sequences.push_back(s);
        b.labels.push_back(static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(C)));
    }
    PadOptions pad;
    pad.maxLength = L;
    pad.padding = padding;
    b.rows = padSequences(b.sequences, pad, &b.L);
    return b;
}

} // namespace

class TestClassifier : public QObject
{
    Q_OBJECT

private slots:
    void readTab();
    void readFastText();
    void readCsv();
    void badLines_data();
    void badLines();
    void corpusSplit();
    void padSequences_data();
    void padSequences();
    void gradientCheck_data();
    void gradientCheck();
    void paddedEqualsUnpadded_data();
    void paddedEqualsUnpadded();
    void golden_data();
    void golden();
    void checkpointRoundTrip();
    void learnsToyTask();
    void divergesAndRestores();
    void pausesBetweenBatches();
    void pretrainedVectors_data();
    void pretrainedVectors();
    void frozenEmbeddingKeepsVectors();
};

void TestClassifier::readTab()
{
    LabelledFormat f = LabelledFormat::Auto;
    const auto ex = readLabelledLines(
        "spam\tBuy now\tcheap\r\n\nham\tHello there\n", "t.tsv", LabelledFormat::Auto, &f);
    QCOMPARE(f, LabelledFormat::Tab);
    QCOMPARE(ex.size(), std::size_t(2));
    QCOMPARE(ex[0].label, std::string("spam"));
    QCOMPARE(ex[0].text, std::string("Buy now\tcheap"));
    QCOMPARE(ex[1].line, std::size_t(3));
}

void TestClassifier::readFastText()
{
    LabelledFormat f = LabelledFormat::Auto;
    const auto ex = readLabelledLines(
        "__label__spam buy now\n__label__ham  hello\n", "t.txt", LabelledFormat::Auto, &f);
    QCOMPARE(f, LabelledFormat::FastText);
    QCOMPARE(ex.size(), std::size_t(2));
    QCOMPARE(ex[0].label, std::string("spam"));
    QCOMPARE(ex[0].text, std::string("buy now"));
    QCOMPARE(ex[1].label, std::string("ham"));
    QCOMPARE(ex[1].text, std::string("hello"));
}

void TestClassifier::readCsv()
{
    const auto ex = readLabelledCsv("id,text,label\r\n1,\"Hello, \"\"world\"\"\",ham\r\n"
                                    "2,\"two\nlines\",spam\n3,plain,ham",
        "t.csv", "label", "text");
    QCOMPARE(ex.size(), std::size_t(3));
    QCOMPARE(ex[0].text, std::string("Hello, \"world\""));
    QCOMPARE(ex[0].label, std::string("ham"));
    QCOMPARE(ex[1].text, std::string("two\nlines"));
    QCOMPARE(ex[1].line, std::size_t(3));
    QCOMPARE(ex[2].line, std::size_t(5));
    QCOMPARE(ex[2].text, std::string("plain"));
}

void TestClassifier::badLines_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no tab") << "auto" << QByteArray("spam\tok\nno tab here\n")
                            << "t line 2: expected 'label<TAB>text' (or '__label__name text' on "
                               "every line), found 'no tab here'";
    QTest::newRow("empty label") << "auto" << QByteArray("\tsome text\n")
                                 << "t line 1: empty label before the tab";
    QTest::newRow("fasttext then tab") << "auto" << QByteArray("__label__a x\nb\ty\n")
                                       << "t line 2: expected '__label__name text' as on the "
                                          "first line, found 'b y'";
    QTest::newRow("multi-label") << "auto" << QByteArray("__label__a __label__b x\n")
                                 << "t line 1: several labels on one line";
    QTest::newRow("long line preview")
        << "auto" << QByteArray(100, 'x') << "found '" + QString(40, 'x') + "...'";
    QTest::newRow("csv missing column") << "csv" << QByteArray("a,b\n1,2\n")
                                        << "t line 1: no column 'label' in the header; the "
                                           "columns are 'a', 'b'";
    QTest::newRow("csv field count") << "csv" << QByteArray("label,text\nham,hi\nspam\n")
                                     << "t line 3: expected 2 fields as in the header, found 1";
    QTest::newRow("csv unterminated")
        << "csv" << QByteArray("label,text\nham,\"hi\n\n") << "t line 2: unterminated quoted field";
    QTest::newRow("csv after quote") << "csv" << QByteArray("label,text\nham,\"hi\"x\n")
                                     << "t line 2: unexpected 'x' after a closing quote";
    QTest::newRow("utf16") << "auto" << QByteArray("\xff\xfes\0p", 5) << "UTF-16";
}

void TestClassifier::badLines()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    try {
        const std::string_view view(text.constData(), static_cast<std::size_t>(text.size()));
        if (format == "csv")
            readLabelledCsv(view, "t", "label", "text");
        else
            readLabelledLines(view, "t");
        QFAIL("no exception");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

void TestClassifier::corpusSplit()
{
    std::string text;
    for (int i = 0; i < 10; ++i)
        text += std::string(i % 2 ? "spam" : "ham") + "\tword" + std::to_string(i) + " common\n";
    LabelledOptions o;
    o.validFraction = 0.2;
    const LabelledCorpus c = buildLabelledCorpus(text, o, "c.tsv");
    QCOMPARE(c.labels, (std::vector<std::string> { "ham", "spam" })); // sorted
    QCOMPARE(c.train.size(), std::size_t(8));
    QCOMPARE(c.valid.size(), std::size_t(2));
    QCOMPARE(c.valid[0].line, std::size_t(9)); // the last lines of the file
    QCOMPARE(c.valid[1].label, 1);
    QCOMPARE(c.valid[0].ids[0], Vocabulary::Unk); // word8 is not a training word
    QCOMPARE(c.vocab.word(Vocabulary::SpecialCount), std::string("common"));
    QCOMPARE(c.validUnk, std::uint64_t(2));
}

void TestClassifier::padSequences_data()
{
    // Expected rows written from Keras' documented behaviour (keras.utils.pad_sequences).
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<QString>("padding");
    QTest::addColumn<QString>("truncating");
    QTest::addColumn<std::vector<std::int32_t>>("expected");
    QTest::newRow("pre pre") << 3 << "pre"
                             << "pre"
                             << std::vector<std::int32_t> { 0, 0, 5, 1, 2, 3, 0, 0, 0, 3, 4, 5 };
    QTest::newRow("post post") << 3 << "post"
                               << "post"
                               << std::vector<std::int32_t> { 5, 0, 0, 1, 2, 3, 0, 0, 0, 1, 2, 3 };
    QTest::newRow("pre post") << 3 << "pre"
                              << "post"
                              << std::vector<std::int32_t> { 0, 0, 5, 1, 2, 3, 0, 0, 0, 1, 2, 3 };
    QTest::newRow("post pre") << 3 << "post"
                              << "pre"
                              << std::vector<std::int32_t> { 5, 0, 0, 1, 2, 3, 0, 0, 0, 3, 4, 5 };
    QTest::newRow("longest") << 0 << "pre"
                             << "pre"
                             << std::vector<std::int32_t> { 0, 0, 0, 0, 5, 0, 0, 1, 2, 3, 0, 0, 0,
                                    0, 0, 1, 2, 3, 4, 5 };
}

void TestClassifier::padSequences()
{
    QFETCH(int, maxLength);
    QFETCH(QString, padding);
    QFETCH(QString, truncating);
    QFETCH(std::vector<std::int32_t>, expected);
    PadOptions o;
    o.maxLength = maxLength;
    QVERIFY(parsePadSide(padding.toStdString(), o.padding));
    QVERIFY(parsePadSide(truncating.toStdString(), o.truncating));
    int L = -1;
    const auto rows = embedlab::padSequences({ { 5 }, { 1, 2, 3 }, {}, { 1, 2, 3, 4, 5 } }, o, &L);
    QCOMPARE(L, maxLength ? maxLength : 5);
    QCOMPARE(rows, expected);
}

void TestClassifier::gradientCheck_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QString>("pooling");
    QTest::addColumn<QString>("padding");
    QTest::addColumn<int>("layers");
    for (const char *pool : { "last", "mean", "max" })
        for (const char *pad : { "pre", "post" })
            QTest::addRow("lstm %s %s", pool, pad) << "lstm" << pool << pad << 2;
    QTest::newRow("gru last pre") << "gru"
                                  << "last"
                                  << "pre" << 1;
    QTest::newRow("gru max post") << "gru"
                                  << "max"
                                  << "post" << 1;
    QTest::newRow("rnn_tanh mean pre") << "rnn_tanh"
                                       << "mean"
                                       << "pre" << 2;
    QTest::newRow("rnn_relu last pre") << "rnn_relu"
                                       << "last"
                                       << "pre" << 1;
}

void TestClassifier::gradientCheck()
{
    QFETCH(QString, cell);
    QFETCH(QString, pooling);
    QFETCH(QString, padding);
    QFETCH(int, layers);
    ClassifierConfig config;
    QVERIFY(parseCell(cell.toStdString(), config.cell));
    QVERIFY(parsePooling(pooling.toStdString(), config.pooling));
    config.vocabSize = 9;
    config.embeddingDim = 3;
    config.hiddenSize = 4;
    config.layers = layers;
    config.classes = 3;
    ClassifierD model(config);
    model.initRandom(7);
    // Mixed lengths, one cut, one empty (all padding), two of the same length.
    PadSide side = PadSide::Pre;
    QVERIFY(parsePadSide(padding.toStdString(), side));
    const Batch b = randomBatch({ 3, 1, 7, 0, 3, 5 }, config.vocabSize, config.classes, 6, side, 3);
    const int B = static_cast<int>(b.labels.size());
    ClassifierD::Workspace ws;
    ClassifierD::Gradients grads(model);
    model.zeroGrad(grads);
    model.forwardBackward(b.rows.data(), B, b.L, b.labels.data(), ws, grads);
    auto lossAt = [&] { return model.forward(b.rows.data(), B, b.L, b.labels.data(), ws) / B; };
    const double eps = 1e-6;
    for (auto &p : model.parameters(grads)) {
        Eigen::MatrixXd numeric(p.value->rows(), p.value->cols());
        for (Eigen::Index i = 0; i < p.value->size(); ++i) {
            double &x = p.value->data()[i];
            const double saved = x;
            x = saved + eps;
            const double plus = lossAt();
            x = saved - eps;
            const double minus = lossAt();
            x = saved;
            numeric.data()[i] = (plus - minus) / (2 * eps);
        }
        const Eigen::MatrixXd &analytic = *p.grad;
        const double scale = std::max(analytic.norm(), numeric.norm());
        QVERIFY2(scale > 1e-6, qPrintable(QString::fromStdString(p.name) + ": zero gradient"));
        const double rel = (analytic - numeric).norm() / scale;
        QVERIFY2(rel <= 1e-4,
            qPrintable(QStringLiteral("%1: relative error %2")
                           .arg(QString::fromStdString(p.name))
                           .arg(rel)));
        if (p.name == "encoder.weight")
            QCOMPARE(analytic.col(Vocabulary::Pad).norm(), 0.0); // pads give no gradient
    }
}

void TestClassifier::paddedEqualsUnpadded_data()
{
    QTest::addColumn<QString>("pooling");
    QTest::addColumn<QString>("padding");
    for (const char *pool : { "last", "mean", "max" })
        for (const char *pad : { "pre", "post" })
            QTest::addRow("%s %s", pool, pad) << pool << pad;
}

void TestClassifier::paddedEqualsUnpadded()
{
    QFETCH(QString, pooling);
    QFETCH(QString, padding);
    ClassifierConfig config;
    QVERIFY(parsePooling(pooling.toStdString(), config.pooling));
    config.vocabSize = 9;
    config.embeddingDim = 3;
    config.hiddenSize = 4;
    config.layers = 2;
    config.classes = 2;
    ClassifierD model(config);
    model.initRandom(11);
    PadSide side = PadSide::Pre;
    QVERIFY(parsePadSide(padding.toStdString(), side));
    const Batch tight = randomBatch({ 4 }, config.vocabSize, 2, 4, side, 5);
    const Batch padded = randomBatch({ 4 }, config.vocabSize, 2, 12, side, 5);
    QCOMPARE(padded.sequences, tight.sequences);
    QCOMPARE(padded.rows.size(), std::size_t(12));
    ClassifierD::Workspace ws;
    ClassifierD::Gradients g1(model), g2(model);
    model.zeroGrad(g1);
    model.zeroGrad(g2);
    const double l1 = model.forwardBackward(tight.rows.data(), 1, 4, tight.labels.data(), ws, g1);
    const double l2
        = model.forwardBackward(padded.rows.data(), 1, 12, padded.labels.data(), ws, g2);
    QCOMPARE(l2, l1);
    auto p1 = model.parameters(g1);
    auto p2 = model.parameters(g2);
    for (std::size_t k = 0; k < p1.size(); ++k)
        QVERIFY2((*p1[k].grad - *p2[k].grad).norm() <= 1e-14 * (1 + p1[k].grad->norm()),
            p1[k].name.c_str());
}

void TestClassifier::golden_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("single");
    const Json fixture = Json::parse(readFile(EMBEDLAB_TEST_DATA "/golden/classifier.json"));
    int i = 0;
    for (const auto &c : fixture.at("cases")) {
        const std::string name = c.at("name").get<std::string>();
        QTest::addRow("%s float", name.c_str()) << i << true;
        QTest::addRow("%s double", name.c_str()) << i << false;
        ++i;
    }
}

namespace {

template <typename Scalar> void checkGolden(const Json &c)
{
    using Model = TextClassifier<Scalar>;
    const bool single = std::is_same<Scalar, float>::value;
    const double tol = single ? 1e-5 : 1e-10;
    ClassifierConfig config;
    QVERIFY(parseCell(c.at("cell").get<std::string>(), config.cell));
    QVERIFY(parsePooling(c.at("pooling").get<std::string>(), config.pooling));
    config.vocabSize = c.at("vocab_size");
    config.embeddingDim = c.at("embedding_dim");
    config.hiddenSize = c.at("hidden_size");
    config.layers = c.at("layers");
    config.classes = c.at("classes");
    // Our padding gives the reference's rows.
    PadOptions pad;
    pad.maxLength = c.at("max_length");
    QVERIFY(parsePadSide(c.at("padding").get<std::string>(), pad.padding));
    QVERIFY(parsePadSide(c.at("truncating").get<std::string>(), pad.truncating));
    std::vector<std::vector<std::int32_t>> sequences;
    for (const auto &s : c.at("sequences"))
        sequences.push_back(ints(s));
    std::vector<std::int32_t> expectedRows;
    for (const auto &r : c.at("rows"))
        for (int id : ints(r))
            expectedRows.push_back(id);
    int L = 0;
    const auto rows = padSequences(sequences, pad, &L);
    QCOMPARE(rows, expectedRows);
    const std::vector<std::int32_t> labels = ints(c.at("labels"));
    const int B = static_cast<int>(labels.size());
    const Json &ref = c.at(single ? "float32" : "float64");

    auto compare = [&](const char *what, const std::string &name, const auto &m, const Json &want) {
        QCOMPARE(static_cast<std::size_t>(m.size()), want.size());
        for (Eigen::Index i = 0; i < m.size(); ++i) {
            const double a = static_cast<double>(m.data()[i]),
                         b = want[static_cast<std::size_t>(i)];
            QVERIFY2(std::abs(a - b) <= tol * std::max(1.0, std::abs(b)),
                qPrintable(QStringLiteral("%1 %2[%3]: %4, PyTorch %5")
                               .arg(what, QString::fromStdString(name))
                               .arg(i)
                               .arg(a, 0, 'g', 17)
                               .arg(b, 0, 'g', 17)));
        }
    };
    for (const char *opt : { "sgd", "adam" }) {
        Model model(config);
        for (auto &p : model.parameters()) {
            const Json &v = c.at("params").at(p.name);
            QCOMPARE(static_cast<std::size_t>(p.value->size()), v.size());
            for (Eigen::Index i = 0; i < p.value->size(); ++i)
                p.value->data()[i]
                    = static_cast<Scalar>(v[static_cast<std::size_t>(i)].get<double>());
        }
        ClassifierTrainConfig tc;
        OptimizerKind kind = OptimizerKind::Sgd;
        QVERIFY(parseOptimizer(opt, kind));
        tc.optimizer = kind;
        tc.lr = c.at(std::string(opt) + "_lr");
        // The gradients, from a separate pass (the trainer keeps its own).
        typename Model::Workspace ws;
        typename Model::Gradients grads(model);
        model.zeroGrad(grads);
        const double loss = model.forwardBackward(rows.data(), B, L, labels.data(), ws, grads);
        QVERIFY2(std::abs(loss - ref.at("loss").get<double>()) <= tol,
            qPrintable(QStringLiteral("loss %1, PyTorch %2")
                           .arg(loss, 0, 'g', 17)
                           .arg(ref.at("loss").get<double>(), 0, 'g', 17)));
        for (auto &p : model.parameters(grads))
            compare("grad", p.name, *p.grad, ref.at("grads").at(p.name));
        ClassifierTrainer<Scalar> trainer(model, tc);
        trainer.step(rows.data(), B, L, labels.data());
        for (auto &p : model.parameters())
            compare(opt, p.name, *p.value, ref.at(opt).at(p.name));
    }
}

} // namespace

void TestClassifier::golden()
{
    QFETCH(int, index);
    QFETCH(bool, single);
    const Json fixture = Json::parse(readFile(EMBEDLAB_TEST_DATA "/golden/classifier.json"));
    const Json &c = fixture.at("cases").at(static_cast<std::size_t>(index));
    if (single)
        checkGolden<float>(c);
    else
        checkGolden<double>(c);
}

void TestClassifier::checkpointRoundTrip()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.safetensors").toStdString();
    LabelledOptions o;
    o.tokenizer.lowercase = true;
    const LabelledCorpus corpus
        = buildLabelledCorpus("a\tone two\nb\tthree four\nc\tfive\n", o, "c.tsv");
    ClassifierConfig config;
    config.cell = CellKind::Gru;
    config.pooling = Pooling::Max;
    config.vocabSize = corpus.vocab.size();
    config.embeddingDim = 3;
    config.hiddenSize = 4;
    config.layers = 2;
    config.classes = static_cast<int>(corpus.labels.size());
    TextClassifier<float> model(config);
    model.initRandom(5);
    PadOptions pad;
    pad.maxLength = 17;
    pad.padding = PadSide::Post;
    TokenizerOptions tokenizer = o.tokenizer;
    tokenizer.cjk = CjkSegmentation::Chars;
    tokenizer.normalize = Normalization::Nfkc;
    saveClassifierCheckpoint(path, model, corpus.vocab, corpus.labels, tokenizer, pad);
    const auto loaded = loadClassifierCheckpoint<float>(path);
    QCOMPARE(loaded.labels, corpus.labels);
    QCOMPARE(loaded.vocab.words(), corpus.vocab.words());
    QCOMPARE(loaded.pad.maxLength, 17);
    QCOMPARE(loaded.pad.padding, PadSide::Post);
    QCOMPARE(loaded.pad.truncating, PadSide::Pre);
    QVERIFY(loaded.tokenizer.lowercase);
    QCOMPARE(loaded.tokenizer.cjk, CjkSegmentation::Chars);
    QCOMPARE(loaded.tokenizer.normalize, Normalization::Nfkc);
    QCOMPARE(loaded.tokenizer.folding, tokenizer.folding);
    QCOMPARE(loaded.model->config().cell, CellKind::Gru);
    QCOMPARE(loaded.model->config().pooling, Pooling::Max);
    QCOMPARE(loaded.model->config().layers, 2);
    auto a = model.parameters();
    auto b = loaded.model->parameters();
    QCOMPARE(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        QCOMPARE(a[k].name, b[k].name);
        QVERIFY(*a[k].value == *b[k].value);
    }
    QCOMPARE(a.back().name, std::string("classifier.bias"));
    QCOMPARE(a[a.size() - 2].shape, (std::vector<std::int64_t> { 3, 4 }));
    // A classifier is not a language model, and says so.
    try {
        loadClassifierCheckpoint<float>(EMBEDLAB_TEST_DATA "/golden/sgd_tied.safetensors");
        QFAIL("no exception");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("not a text classifier"), e.what());
    }
}

namespace {

// The label is whether "bad" occurs; other words are noise, lengths vary.
std::string toyTask()
{
    std::string text;
    Rng rng(3);
    const char *noise[] = { "the", "a", "cat", "dog", "sat", "ran", "on", "mat" };
    for (int i = 0; i < 400; ++i) {
        const bool bad = rng.next() % 2;
        std::string line = bad ? "neg\t" : "pos\t";
        const int n = 2 + static_cast<int>(rng.next() % 10);
        const int at = static_cast<int>(rng.next() % static_cast<std::uint64_t>(n));
        for (int k = 0; k < n; ++k)
            line += std::string(k == at && bad ? "bad" : noise[rng.next() % 8]) + " ";
        text += line + "\n";
    }
    return text;
}

} // namespace

void TestClassifier::learnsToyTask()
{
    LabelledOptions o;
    const LabelledCorpus corpus = buildLabelledCorpus(toyTask(), o, "toy.tsv");
    ClassifierConfig config;
    config.vocabSize = corpus.vocab.size();
    config.embeddingDim = 8;
    config.hiddenSize = 8;
    config.classes = 2;
    config.pooling = Pooling::Max;
    TextClassifier<float> model(config);
    model.initRandom(1);
    ClassifierTrainConfig tc;
    tc.epochs = 8;
    tc.batch = 16;
    tc.lr = 0.02;
    tc.pad.maxLength = 8; // some examples cut
    ClassifierTrainer<float> trainer(model, tc);
    int epochs = 0;
    const auto r = trainer.run(corpus.train, corpus.valid,
        [&](const ClassifierEvent &e) { epochs += e.kind == ClassifierEvent::Kind::Epoch; });
    QCOMPARE(epochs, 8);
    QCOMPARE(r.epochsCompleted, 8);
    QCOMPARE(r.valid.examples, static_cast<std::int64_t>(corpus.valid.size()));
    // Cutting to 8 of up to 11 tokens loses "bad" in a few examples: not quite 1.
    QVERIFY2(r.valid.accuracy >= 0.85, qPrintable(QString::number(r.valid.accuracy)));
    std::int64_t total = 0;
    for (const auto &row : r.valid.confusion)
        for (auto n : row)
            total += n;
    QCOMPARE(total, r.valid.examples);

    // The words the map colours: "bad" alone pulls towards "neg", and the measure is the
    // difference of the two predictions it is defined by.
    const WordPull pull = wordPull(model);
    const auto neg = static_cast<std::int32_t>(
        std::find(corpus.labels.begin(), corpus.labels.end(), "neg") - corpus.labels.begin());
    const std::int32_t bad = corpus.vocab.find("bad");
    QCOMPARE(pull.cls[static_cast<std::size_t>(bad)], neg);
    QVERIFY2(pull.strength[static_cast<std::size_t>(bad)] > 0.3f,
        qPrintable(QString::number(pull.strength[static_cast<std::size_t>(bad)])));
    QCOMPARE(pull.cls[0], -1);
    PadOptions one;
    one.maxLength = 4;
    const std::int32_t cat = corpus.vocab.find("cat");
    const Eigen::MatrixXf p = classifyExamples(model, { {}, { bad }, { cat } }, one);
    for (int c = 0; c < 2; ++c)
        QVERIFY(std::abs(pull.prior[static_cast<std::size_t>(c)] - p(c, 0)) < 1e-6f);
    QVERIFY(
        std::abs(pull.strength[static_cast<std::size_t>(bad)] - (p(neg, 1) - p(neg, 0))) < 1e-6f);
    const std::int32_t catClass = pull.cls[static_cast<std::size_t>(cat)];
    QVERIFY(
        std::abs(pull.strength[static_cast<std::size_t>(cat)] - (p(catClass, 2) - p(catClass, 0)))
        < 1e-6f);
    QVERIFY(p(1 - catClass, 2) - p(1 - catClass, 0) <= p(catClass, 2) - p(catClass, 0));
}

void TestClassifier::divergesAndRestores()
{
    LabelledOptions o;
    const LabelledCorpus corpus = buildLabelledCorpus(toyTask(), o, "toy.tsv");
    ClassifierConfig config;
    config.vocabSize = corpus.vocab.size();
    config.embeddingDim = 8;
    config.hiddenSize = 8;
    config.cell = CellKind::RnnRelu; // unbounded: a huge step blows up at once
    TextClassifier<float> model(config);
    model.initRandom(2);
    const TextClassifier<float> initial = model;
    ClassifierTrainConfig tc;
    tc.optimizer = OptimizerKind::Sgd;
    tc.lr = 1e8;
    tc.epochs = 3;
    ClassifierTrainer<float> trainer(model, tc);
    const auto r = trainer.run(corpus.train, corpus.valid);
    QVERIFY(r.diverged);
    QVERIFY(!r.stopped);
    QVERIFY2(QString::fromStdString(r.message).contains("diverged"), r.message.c_str());
    QCOMPARE(r.epochsCompleted, 0);
    QVERIFY(r.steps < 20); // long before the three epochs' 68 steps
    // Back to the weights the blown-up epoch started from, here the initial ones.
    QVERIFY(model.encoder() == initial.encoder());
    QVERIFY(model.weight() == initial.weight());
    QVERIFY(model.layer(0)[0] == initial.layer(0)[0]);
}

void TestClassifier::pausesBetweenBatches()
{
    LabelledOptions o;
    const LabelledCorpus corpus = buildLabelledCorpus(toyTask(), o, "toy.tsv");
    ClassifierConfig config;
    config.vocabSize = corpus.vocab.size();
    config.embeddingDim = 4;
    config.hiddenSize = 4;
    TextClassifier<float> model(config);
    model.initRandom(1);
    ClassifierTrainConfig tc;
    tc.epochs = 1;
    tc.batch = 60;
    ClassifierTrainer<float> trainer(model, tc);
    std::atomic<std::int64_t> steps { 0 };
    ClassifierTrainResult r;
    std::thread worker([&] {
        r = trainer.run(corpus.train, corpus.valid, [&](const ClassifierEvent &e) {
            if (e.kind != ClassifierEvent::Kind::Batch)
                return;
            steps.store(e.step);
            if (e.step == 2)
                trainer.setPaused(true); // held before the third batch
        });
    });
    QTRY_COMPARE(steps.load(), std::int64_t(2));
    QVERIFY(trainer.isPaused());
    QTest::qWait(100);
    QCOMPARE(steps.load(), std::int64_t(2));
    trainer.setPaused(false);
    worker.join();
    QCOMPARE(r.steps, std::int64_t(6)); // 360 training examples in batches of 60
    QCOMPARE(r.epochsCompleted, 1);
}

namespace {

// Vectors for "cat", "bad" and a word not in the corpus.
WordVectors toyVectors()
{
    RowMatrixXf v(3, 4);
    v << 1, 2, 3, 4, -1, -2, -3, -4, 10, 20, 30, 40;
    return WordVectors({ "cat", "bad", "zebra" }, v);
}

} // namespace

Q_DECLARE_METATYPE(embedlab::UncoveredInit)

void TestClassifier::pretrainedVectors_data()
{
    QTest::addColumn<UncoveredInit>("uncovered");
    QTest::newRow("random keeps the model's rows") << UncoveredInit::Random;
    QTest::newRow("zeros") << UncoveredInit::Zeros;
    QTest::newRow("mean") << UncoveredInit::Mean;
}

// The covered words get their vectors, <pad> stays zero, and the rest is as `uncovered` says;
// a table of another width is refused with the remedy.
void TestClassifier::pretrainedVectors()
{
    QFETCH(UncoveredInit, uncovered);
    LabelledOptions o;
    const LabelledCorpus corpus = buildLabelledCorpus(toyTask(), o, "toy.tsv");
    ClassifierConfig config;
    config.vocabSize = corpus.vocab.size();
    config.embeddingDim = 4;
    config.hiddenSize = 4;
    TextClassifier<float> model(config);
    model.initRandom(5);
    const Eigen::MatrixXf drawn = model.encoder();
    const WordVectors vectors = toyVectors();
    const Coverage c = initEmbedding(model, corpus.vocab, vectors, uncovered);
    QCOMPARE(c.words, static_cast<std::uint64_t>(corpus.vocab.size() - 3));
    QCOMPARE(c.coveredWords, std::uint64_t(2));
    const auto &enc = model.encoder();
    const std::int32_t cat = corpus.vocab.find("cat"), bad = corpus.vocab.find("bad"),
                       dog = corpus.vocab.find("dog");
    QVERIFY(enc.col(cat) == vectors.vectors().row(0).transpose());
    QVERIFY(enc.col(bad) == vectors.vectors().row(1).transpose());
    QVERIFY(enc.col(Vocabulary::Pad).isZero(0));
    switch (uncovered) {
    case UncoveredInit::Random:
        QVERIFY(enc.col(dog) == drawn.col(dog));
        QVERIFY(enc.col(Vocabulary::Unk) == drawn.col(Vocabulary::Unk));
        break;
    case UncoveredInit::Zeros:
        QVERIFY(enc.col(dog).isZero(0));
        break;
    case UncoveredInit::Mean: // of the whole table, "zebra" included
        QVERIFY(enc.col(dog).isApprox(Eigen::Vector4f(10, 20, 30, 40) / 3));
        break;
    }

    config.embeddingDim = 5;
    TextClassifier<float> wider(config);
    try {
        initEmbedding(wider, corpus.vocab, vectors, uncovered);
        QFAIL("a 4-wide table went into a 5-wide embedding");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("set the embedding size to 4"), e.what());
    }
}

// With the embedding frozen, a run trains the recurrent layer and the head around the
// pre-trained vectors and leaves every row of the table as it was.
void TestClassifier::frozenEmbeddingKeepsVectors()
{
    LabelledOptions o;
    const LabelledCorpus corpus = buildLabelledCorpus(toyTask(), o, "toy.tsv");
    ClassifierConfig config;
    config.vocabSize = corpus.vocab.size();
    config.embeddingDim = 4;
    config.hiddenSize = 8;
    config.pooling = Pooling::Max;
    for (const bool frozen : { true, false }) {
        TextClassifier<float> model(config);
        model.initRandom(1);
        initEmbedding(model, corpus.vocab, toyVectors(), UncoveredInit::Random);
        const TextClassifier<float> before = model;
        ClassifierTrainConfig tc;
        tc.epochs = 2;
        tc.batch = 16;
        tc.lr = 0.02;
        tc.freezeEmbedding = frozen;
        ClassifierTrainer<float> trainer(model, tc);
        const auto r = trainer.run(corpus.train, corpus.valid);
        QCOMPARE(r.epochsCompleted, 2);
        QCOMPARE(model.encoder() == before.encoder(), frozen);
        QVERIFY(model.weight() != before.weight());
        QVERIFY(model.layer(0)[0] != before.layer(0)[0]);
        if (!frozen)
            QVERIFY(model.encoder().col(Vocabulary::Pad).isZero(0));
    }
}

QTEST_GUILESS_MAIN(TestClassifier)
#include "tst_classifier.moc"
