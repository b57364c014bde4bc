// The model's numerics: central-difference gradient checks of every tensor (double precision)
// and the first training steps against values produced by PyTorch (tests/golden/make_golden.py).
#include <QtTest>

#include <QRegularExpression>

#include <cmath>
#include <thread>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/generate.h"
#include "core/model.h"
#include "core/parallel.h"
#include "core/tokenizer.h"
#include "core/trainer.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

struct Window
{
    std::vector<std::int32_t> inputs, targets;
    int T = 0, B = 0;
};

Window randomWindow(int T, int B, int V, std::uint64_t seed, bool allowPad)
{
    Rng rng(seed);
    Window w;
    w.T = T;
    w.B = B;
    const int lo = allowPad ? 0 : 1;
    for (int i = 0; i < T * B; ++i) {
        w.inputs.push_back(lo + static_cast<int>(rng.next() % static_cast<std::uint64_t>(V - lo)));
        w.targets.push_back(static_cast<int>(rng.next() % static_cast<std::uint64_t>(V)));
    }
    return w;
}

using ModelD = LanguageModel<double>;

ModelD::State randomState(const ModelD &model, int B, std::uint64_t seed)
{
    Rng rng(seed);
    auto s = model.zeroState(B);
    for (auto *v : { &s.h, &s.c })
        for (auto &m : *v)
            for (Eigen::Index i = 0; i < m.size(); ++i)
                m.data()[i] = rng.uniform(-0.8, 0.8);
    return s;
}

} // namespace

class TestModel : public QObject
{
    Q_OBJECT

private slots:
    void gradientCheck_data();
    void gradientCheck();
    void padRowGetsNoGradient();
    void frozenEmbeddingHasNoGradient();
    void floatMatchesDouble_data();
    void floatMatchesDouble();
    void stateCarriesAcrossWindows_data();
    void stateCarriesAcrossWindows();
    void cellLayouts_data();
    void cellLayouts();
    void threadsShareOneModel();
    void generatedTextJoinsAsTheTokenizerSplits();
    void invalidConfigurationsAreRefused_data();
    void invalidConfigurationsAreRefused();
    void golden_data();
    void golden();
    void goldenEval_data();
    void goldenEval();
};

namespace {

// One row per cell of the table, named by it.
void addCellColumn()
{
    QTest::addColumn<QString>("cell");
}

CellKind cellFromRow(const QString &name)
{
    CellKind kind = CellKind::Lstm;
    if (!parseCell(name.toStdString(), kind))
        qFatal("unknown cell %s", qPrintable(name));
    return kind;
}

} // namespace

void TestModel::gradientCheck_data()
{
    addCellColumn();
    QTest::addColumn<int>("layers");
    QTest::addColumn<bool>("tied");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<bool>("carriedState");
    QTest::addColumn<int>("T");
    QTest::addColumn<int>("B");
    for (CellKind kind : cellKinds()) {
        const QString c = QString::fromLatin1(cellName(kind));
        auto row = [&](const char *what) -> QTestData & {
            return QTest::newRow(qPrintable(c + ": " + what)) << c;
        };
        row("one layer") << 1 << false << 0.0 << false << 4 << 3;
        row("one layer, state carried in") << 1 << false << 0.0 << true << 3 << 2;
        row("two layers") << 2 << false << 0.0 << false << 4 << 2;
        row("two layers, state carried in") << 2 << false << 0.0 << true << 5 << 3;
        row("tied decoder") << 2 << true << 0.0 << true << 3 << 2;
        row("dropout (fixed masks)") << 2 << false << 0.3 << true << 3 << 2;
        row("single step") << 1 << false << 0.0 << true << 1 << 1;
    }
}

// Every element of every tensor: analytic gradient of the mean loss against
// (L(w + eps) - L(w - eps)) / (2 eps), with the same dropout masks on both sides.
void TestModel::gradientCheck()
{
    QFETCH(QString, cell);
    QFETCH(int, layers);
    QFETCH(bool, tied);
    QFETCH(double, dropout);
    QFETCH(bool, carriedState);
    QFETCH(int, T);
    QFETCH(int, B);

    ModelConfig config;
    config.cell = cellFromRow(cell);
    config.vocabSize = 9;
    config.embeddingDim = tied ? 5 : 4;
    config.hiddenSize = 5;
    config.layers = layers;
    config.dropout = dropout;
    config.tied = tied;
    ModelD model(config);
    model.initRandom(7, 0.6);
    for (auto &p : model.parameters())
        if (p.name == "decoder.bias")
            for (Eigen::Index i = 0; i < p.value->size(); ++i)
                p.value->data()[i] = 0.1 * static_cast<double>(i % 5) - 0.2;

    const Window w = randomWindow(T, B, config.vocabSize, 11, false);
    const auto state0 = carriedState ? randomState(model, B, 5) : model.zeroState(B);
    const std::uint64_t maskSeed = 99;
    const int n = T * B;

    ModelD::Workspace ws;
    ModelD::Gradients grads(model);
    model.zeroGrad(grads);
    auto state = state0;
    Rng rng(maskSeed);
    model.forwardBackward(w.inputs.data(), w.targets.data(), T, B, state, rng, ws, grads);

    auto lossAt = [&]() {
        auto s = state0;
        Rng r(maskSeed);
        return model.forwardLoss(
                   w.inputs.data(), w.targets.data(), T, B, s, ws, dropout > 0 ? &r : nullptr)
            / n;
    };
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
        // Element-wise too, so one wrong entry cannot hide in a large norm.
        for (Eigen::Index i = 0; i < analytic.size(); ++i) {
            const double a = analytic.data()[i], b = numeric.data()[i];
            QVERIFY2(std::abs(a - b) <= 1e-4 * std::max(std::abs(a), std::abs(b)) + 1e-8,
                qPrintable(QStringLiteral("%1[%2]: analytic %3, numeric %4")
                               .arg(QString::fromStdString(p.name))
                               .arg(i)
                               .arg(a)
                               .arg(b)));
        }
    }
}

void TestModel::padRowGetsNoGradient()
{
    ModelConfig config;
    config.vocabSize = 6;
    config.embeddingDim = 3;
    config.hiddenSize = 3;
    config.layers = 1;
    config.dropout = 0;
    ModelD model(config);
    model.initRandom(3, 0.5);
    model.encoder().col(0).setConstant(0.3); // a pad row that would matter if it learned
    const std::vector<std::int32_t> inputs = { 0, 3, 0, 4, 5, 0 };
    const std::vector<std::int32_t> targets = { 3, 0, 4, 5, 1, 2 };
    ModelD::Workspace ws;
    ModelD::Gradients grads(model);
    model.zeroGrad(grads);
    auto state = model.zeroState(2);
    Rng rng(1);
    model.forwardBackward(inputs.data(), targets.data(), 3, 2, state, rng, ws, grads);
    QCOMPARE(grads.encoder().col(0).norm(), 0.0);
    QVERIFY(grads.encoder().col(3).norm() > 0);
    QVERIFY(grads.encoder().col(1).norm() == 0.0); // never looked up
}

void TestModel::frozenEmbeddingHasNoGradient()
{
    ModelConfig config;
    config.vocabSize = 8;
    config.embeddingDim = 3;
    config.hiddenSize = 4;
    config.layers = 2;
    config.dropout = 0;
    ModelD model(config);
    model.initRandom(3);
    model.setEmbeddingFrozen(true);
    const auto names = model.trainableParameters();
    for (const auto &p : names)
        QVERIFY(p.name != "encoder.weight");
    QCOMPARE(names.size(), model.parameters().size() - 1);
    const Window w = randomWindow(3, 2, 8, 4, false);
    ModelD::Workspace ws;
    ModelD::Gradients grads(model);
    model.zeroGrad(grads);
    auto state = model.zeroState(2);
    Rng rng(1);
    model.forwardBackward(w.inputs.data(), w.targets.data(), 3, 2, state, rng, ws, grads);
    QCOMPARE(grads.encoder().norm(), 0.0);
    QVERIFY(model.gradNorm(grads) > 0);
}

void TestModel::floatMatchesDouble_data()
{
    addCellColumn();
    for (CellKind kind : cellKinds())
        QTest::newRow(cellName(kind)) << QString::fromLatin1(cellName(kind));
}

void TestModel::floatMatchesDouble()
{
    QFETCH(QString, cell);
    ModelConfig config;
    config.cell = cellFromRow(cell);
    config.vocabSize = 50;
    config.embeddingDim = 16;
    config.hiddenSize = 24;
    config.layers = 2;
    config.dropout = 0;
    ModelD md(config);
    md.initRandom(21, 0.3);
    LanguageModel<float> mf(config);
    ModelD::Gradients gd(md);
    LanguageModel<float>::Gradients gf(mf);
    auto pd = md.parameters(gd);
    auto pf = mf.parameters(gf);
    for (std::size_t k = 0; k < pd.size(); ++k)
        *pf[k].value = pd[k].value->cast<float>();
    const Window w = randomWindow(7, 5, 50, 8, true);
    auto sd = md.zeroState(5);
    auto sf = mf.zeroState(5);
    Rng r1(1), r2(1);
    ModelD::Workspace wd;
    LanguageModel<float>::Workspace wf;
    md.zeroGrad(gd);
    mf.zeroGrad(gf);
    const double ld = md.forwardBackward(w.inputs.data(), w.targets.data(), 7, 5, sd, r1, wd, gd);
    const double lf = mf.forwardBackward(w.inputs.data(), w.targets.data(), 7, 5, sf, r2, wf, gf);
    QVERIFY(std::abs(ld - lf) < 1e-5 * ld);
    for (std::size_t k = 0; k < pd.size(); ++k) {
        const double diff = (pd[k].grad->cast<float>() - *pf[k].grad).norm();
        QVERIFY2(diff <= 1e-4 * pd[k].grad->norm() + 1e-7, pd[k].name.c_str());
    }
}

// Running two windows of length T with the state carried equals one window of length 2T.
void TestModel::stateCarriesAcrossWindows_data()
{
    floatMatchesDouble_data();
}

void TestModel::stateCarriesAcrossWindows()
{
    QFETCH(QString, cell);
    ModelConfig config;
    config.cell = cellFromRow(cell);
    config.vocabSize = 20;
    config.embeddingDim = 6;
    config.hiddenSize = 7;
    config.layers = 2;
    config.dropout = 0;
    ModelD model(config);
    model.initRandom(5, 0.4);
    const int B = 3, T = 4;
    const Window w = randomWindow(2 * T, B, 20, 9, true);
    ModelD::Workspace ws;
    auto whole = model.zeroState(B);
    const double all = model.forwardLoss(w.inputs.data(), w.targets.data(), 2 * T, B, whole, ws);
    auto split = model.zeroState(B);
    const double first = model.forwardLoss(w.inputs.data(), w.targets.data(), T, B, split, ws);
    const double secondCarried
        = model.forwardLoss(w.inputs.data() + T * B, w.targets.data() + T * B, T, B, split, ws);
    QVERIFY(std::abs(all - (first + secondCarried)) < 1e-12 * all);
    for (int l = 0; l < 2; ++l) {
        QVERIFY((whole.h[l] - split.h[l]).norm() < 1e-13);
        QVERIFY((whole.c[l] - split.c[l]).norm() < 1e-13);
    }
    // Starting the second half from zeros instead gives another loss: the state matters.
    auto fresh = model.zeroState(B);
    const double secondFresh
        = model.forwardLoss(w.inputs.data() + T * B, w.targets.data() + T * B, T, B, fresh, ws);
    QVERIFY(std::abs(secondFresh - secondCarried) > 1e-6);
}

// The parameters are read-only in a forward pass: two threads evaluating and generating from one
// const model, each with its own workspace, get what one thread gets running the same calls in
// turn.
void TestModel::threadsShareOneModel()
{
    ModelConfig config;
    config.vocabSize = 40;
    config.embeddingDim = 12;
    config.hiddenSize = 16;
    config.layers = 2;
    config.dropout = 0.3; // off outside training: must not draw masks
    LanguageModel<float> trained(config);
    trained.initRandom(17, 0.5);
    const LanguageModel<float> &model = trained;
    std::vector<std::string> words = { "<pad>", "<unk>", "<eos>" };
    for (int i = 3; i < config.vocabSize; ++i)
        words.push_back("w" + std::to_string(i));
    const Vocabulary vocab = Vocabulary::fromWords(words);
    const Window w = randomWindow(60, 1, config.vocabSize, 3, false);

    struct Result
    {
        double evalLoss = 0, windowLoss = 0;
        std::string text;
        Eigen::MatrixXf logits;
    };
    // Every forward-only entry point, with inputs that differ by `k`.
    auto work = [&](int k) {
        Result r;
        r.evalLoss = evaluateLoss(model, w.inputs, 1 + k % 3, 7);
        GenerateOptions options;
        options.tokens = 25;
        options.seed = 100 + static_cast<std::uint64_t>(k);
        options.temperature = k % 2 ? 0.0 : 0.8;
        r.text = generateText(model, vocab, TokenizerOptions {}, "w5 w6", options);
        LanguageModel<float>::Workspace ws;
        auto state = model.zeroState(4);
        r.windowLoss = model.forwardLoss(w.inputs.data(), w.targets.data() + k, 5, 4, state, ws);
        r.logits = model.forwardLogits(w.inputs.data() + k, 3, 4, state, ws);
        return r;
    };

    setThreadCount(2); // the engine's own loops run on the shared pool from both threads
    const int Runs = 6;
    std::vector<Result> sequential;
    for (int k = 0; k < 2 * Runs; ++k)
        sequential.push_back(work(k));
    std::vector<Result> concurrent(2 * Runs);
    std::thread other([&] {
        for (int k = 0; k < Runs; ++k)
            concurrent[2 * k + 1] = work(2 * k + 1);
    });
    for (int k = 0; k < Runs; ++k)
        concurrent[2 * k] = work(2 * k);
    other.join();
    setThreadCount(0);

    for (int k = 0; k < 2 * Runs; ++k) {
        QCOMPARE(concurrent[k].evalLoss, sequential[k].evalLoss);
        QCOMPARE(concurrent[k].windowLoss, sequential[k].windowLoss);
        QCOMPARE(concurrent[k].text, sequential[k].text);
        QVERIFY(concurrent[k].logits == sequential[k].logits);
    }
    QVERIFY(std::isfinite(sequential[0].evalLoss));
    QVERIFY(sequential[0].text.size() > 5);
}

void TestModel::cellLayouts_data()
{
    addCellColumn();
    QTest::addColumn<int>("gates");
    QTest::newRow("lstm") << "lstm" << 4;
    QTest::newRow("gru") << "gru" << 3;
    QTest::newRow("rnn_tanh") << "rnn_tanh" << 1;
    QTest::newRow("rnn_relu") << "rnn_relu" << 1;
}

// word_language_model's state_dict names and shapes for each cell (rnn.weight_ih_l0 is [3H, E]
// for a GRU, [H, E] for a plain RNN), and PyTorch's initialisation uniform(-1/sqrt(H), 1/sqrt(H)).
void TestModel::cellLayouts()
{
    QFETCH(QString, cell);
    QFETCH(int, gates);
    ModelConfig config;
    config.cell = cellFromRow(cell);
    config.vocabSize = 10;
    config.embeddingDim = 5;
    config.hiddenSize = 16;
    config.layers = 2;
    QCOMPARE(QString::fromLatin1(cellName(config.cell)), cell);
    const std::int64_t G = gates * 16;
    const std::vector<TensorSpec> want = { { "encoder.weight", { 10, 5 } },
        { "rnn.weight_ih_l0", { G, 5 } }, { "rnn.weight_hh_l0", { G, 16 } },
        { "rnn.bias_ih_l0", { G } }, { "rnn.bias_hh_l0", { G } }, { "rnn.weight_ih_l1", { G, 16 } },
        { "rnn.weight_hh_l1", { G, 16 } }, { "rnn.bias_ih_l1", { G } }, { "rnn.bias_hh_l1", { G } },
        { "decoder.weight", { 10, 16 } }, { "decoder.bias", { 10 } } };
    ModelD model(config);
    QCOMPARE(model.cell().gateCount(), gates);
    model.initRandom(3);
    const auto params = model.parameters();
    QCOMPARE(params.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(params[i].name, want[i].name);
        QCOMPARE(params[i].shape, want[i].shape);
        std::int64_t elements = 1;
        for (auto d : want[i].shape)
            elements *= d;
        QCOMPARE(static_cast<std::int64_t>(params[i].value->size()), elements);
        if (params[i].name.rfind("rnn.", 0) == 0) {
            const double k = 1.0 / std::sqrt(16.0), top = params[i].value->cwiseAbs().maxCoeff();
            QVERIFY2(top <= k && top > 0.5 * k, params[i].name.c_str());
        }
    }
}

// Generated text is joined as the tokenizer split the corpus: Chinese characters and their
// punctuation without spaces (a doubled ellipsis too), <unk> spaced as the script before it,
// English words with spaces, so that the text tokenises back into the tokens drawn; the prompt's
// words the vocabulary lacks are named.
void TestModel::generatedTextJoinsAsTheTokenizerSplits()
{
    const std::vector<std::string> words = { "<pad>", "<unk>", "<eos>", "我", "们", "学", "习",
        "，", "。", "…", "hello", "world", "," };
    ModelConfig config;
    config.vocabSize = static_cast<int>(words.size());
    config.embeddingDim = 8;
    config.hiddenSize = 8;
    config.layers = 1;
    LanguageModel<float> model(config);
    model.initRandom(5, 0.5);
    model.decoderBias()(Vocabulary::Eos, 0) = -30; // one line
    model.decoderBias()(Vocabulary::Unk, 0) = -30; // no <unk> at first
    const Vocabulary vocab = Vocabulary::fromWords(words);
    TokenizerOptions chars;
    chars.cjk = CjkSegmentation::Chars; // one token per ideograph, as the vocabulary has them
    GenerateOptions options;
    options.tokens = 400;
    options.seed = 3;
    const std::string text = generateText(model, vocab, chars, "", options);
    const QString q = QString::fromStdString(text);
    QVERIFY(!q.contains(QLatin1Char('\n')));
    QVERIFY2(q.contains(QRegularExpression(QStringLiteral("\\p{Han}\\p{Han}"))), qPrintable(q));
    QVERIFY2(q.contains(QStringLiteral("……")), qPrintable(q));
    const QRegularExpression spacedChinese(QStringLiteral("[\\p{Han}，。…] +[\\p{Han}，。…]"));
    QVERIFY2(!q.contains(spacedChinese), qPrintable(q));
    std::vector<std::string> tokens;
    tokenizeLine(text, chars, tokens);
    QCOMPARE(tokens.size(), static_cast<std::size_t>(options.tokens)); // no two ran together
    for (const std::string &t : tokens)
        QVERIFY2(vocab.find(t) >= Vocabulary::SpecialCount, t.c_str());

    // <unk> joins Chinese as a character would, and stands apart among English words.
    model.decoderBias()(Vocabulary::Unk, 0) = 1.5f;
    const QString withUnk = QString::fromStdString(generateText(model, vocab, chars, "", options));
    QVERIFY2(withUnk.count(QStringLiteral("<unk>")) > 10, qPrintable(withUnk));
    QVERIFY2(!withUnk.contains(spacedChinese), qPrintable(withUnk));
    for (const char *pattern : { "[\\p{Han}，。…] +<unk>", "\\p{Han}(<unk>)+ +\\p{Han}",
             "[a-z]<unk>", "[a-z]( <unk>)+[a-z]" })
        QVERIFY2(!withUnk.contains(QRegularExpression(QString::fromUtf8(pattern))),
            qPrintable(QStringLiteral("%1 in %2").arg(QString::fromUtf8(pattern), withUnk)));

    // The prompt's unknown words, each once, in order; the prompt is continued as typed.
    std::vector<std::string> unknown;
    options.tokens = 5;
    const std::string continued
        = generateText(model, vocab, chars, "我们 foo 北 bar foo", options, &unknown);
    QCOMPARE(unknown, (std::vector<std::string> { "foo", "北", "bar" }));
    QVERIFY(continued.rfind("我们 foo 北 bar foo", 0) == 0);
    unknown.clear();
    generateText(model, vocab, chars, "hello 我们", options, &unknown);
    QVERIFY(unknown.empty());
}

void TestModel::invalidConfigurationsAreRefused_data()
{
    QTest::addColumn<int>("V");
    QTest::addColumn<int>("E");
    QTest::addColumn<int>("H");
    QTest::addColumn<int>("L");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<bool>("tied");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tiny vocabulary") << 2 << 4 << 4 << 1 << 0.0 << false << "vocabulary size";
    QTest::newRow("tied with E != H") << 10 << 4 << 5 << 1 << 0.0 << true << "tied weights";
    QTest::newRow("no layers") << 10 << 4 << 4 << 0 << 0.0 << false << "layers";
    QTest::newRow("dropout 1") << 10 << 4 << 4 << 1 << 1.0 << false << "dropout";
    QTest::newRow("zero hidden") << 10 << 4 << 0 << 1 << 0.0 << false << "hidden size";
    QTest::newRow("unknown cell") << 10 << 4 << 4 << 1 << 0.0 << false << "recurrent cell";
}

void TestModel::invalidConfigurationsAreRefused()
{
    QFETCH(int, V);
    QFETCH(int, E);
    QFETCH(int, H);
    QFETCH(int, L);
    QFETCH(double, dropout);
    QFETCH(bool, tied);
    QFETCH(QString, expected);
    ModelConfig c;
    c.vocabSize = V;
    c.embeddingDim = E;
    c.hiddenSize = H;
    c.layers = L;
    c.dropout = dropout;
    c.tied = tied;
    if (QByteArray(QTest::currentDataTag()) == "unknown cell")
        c.cell = static_cast<CellKind>(99);
    try {
        ModelD m(c);
        QFAIL("configuration accepted");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

namespace {

Json goldenFixture()
{
    return Json::parse(readFile(EMBEDLAB_TEST_DATA "/golden/golden.json"));
}

void addGoldenRows()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("single");
    QTest::addColumn<bool>("portable");
    const Json fixture = goldenFixture();
    const Json &cases = fixture.at("cases");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string name = cases[i].at("name").get<std::string>();
        QTest::newRow((name + " f64").c_str()) << static_cast<int>(i) << false << false;
        QTest::newRow((name + " f32").c_str()) << static_cast<int>(i) << true << false;
        // The float cells' portable loops, which machines without AVX2 run.
        QTest::newRow((name + " f32 portable").c_str()) << static_cast<int>(i) << true << true;
    }
}

template <typename Scalar> void runGolden(const Json &c)
{
    const std::string weights
        = std::string(EMBEDLAB_TEST_DATA "/golden/") + c.at("weights").get<std::string>();
    auto ck = loadCheckpoint<Scalar>(weights);
    auto &model = *ck.model;
    QCOMPARE(std::string(cellName(model.config().cell)), c.at("cell").get<std::string>());
    QCOMPARE(model.config().vocabSize, static_cast<int>(c.at("vocab_size").get<std::int64_t>()));
    QCOMPARE(model.config().layers, static_cast<int>(c.at("layers").get<std::int64_t>()));
    QCOMPARE(model.config().tied, c.at("tied").get<bool>());

    TrainConfig tc;
    tc.batch = static_cast<int>(c.at("batch").get<std::int64_t>());
    tc.bptt = static_cast<int>(c.at("bptt").get<std::int64_t>());
    tc.epochs = static_cast<int>(c.at("epochs").get<std::int64_t>());
    QVERIFY(parseOptimizer(c.at("optimizer").get<std::string>(), tc.optimizer));
    tc.lr = c.at("lr").get<double>();
    tc.clip = c.at("clip").get<double>();
    std::vector<std::int32_t> stream;
    for (const auto &v : c.at("stream"))
        stream.push_back(static_cast<std::int32_t>(v.get<std::int64_t>()));

    std::vector<double> losses, norms;
    Trainer<Scalar> trainer(model, tc);
    const TrainResult r = trainer.run(stream, {}, [&](const TrainEvent &e) {
        if (e.kind == TrainEvent::Kind::Window) {
            losses.push_back(e.loss);
            norms.push_back(e.gradNorm);
        }
    });
    QVERIFY(!r.diverged);
    const bool isDouble = std::is_same<Scalar, double>::value;
    const Json &expected = c.at(isDouble ? "loss_f64" : "loss_f32");
    QCOMPARE(losses.size(), expected.size());
    // Double precision agrees to rounding; float32 to the tolerance of the brief (1e-5).
    const double tol = isDouble ? 1e-10 : 1e-5;
    for (std::size_t i = 0; i < losses.size(); ++i) {
        const double want = expected[i].get<double>();
        QVERIFY2(std::abs(losses[i] - want) <= tol * std::abs(want),
            qPrintable(QStringLiteral("step %1: loss %2, PyTorch %3")
                           .arg(i + 1)
                           .arg(losses[i], 0, 'g', 17)
                           .arg(want, 0, 'g', 17)));
    }
    if (isDouble) {
        const Json &wantNorms = c.at("grad_norm_f64");
        for (std::size_t i = 0; i < norms.size(); ++i)
            QVERIFY2(std::abs(norms[i] - wantNorms[i].get<double>())
                    <= 1e-9 * wantNorms[i].get<double>(),
                qPrintable(QStringLiteral("step %1: gradient norm %2, PyTorch %3")
                               .arg(i + 1)
                               .arg(norms[i])
                               .arg(wantNorms[i].get<double>())));
        // The updates themselves: sums of every final tensor.
        const Json &sums = c.at("final_param_sums");
        for (auto &p : model.parameters()) {
            const Json::const_iterator s = sums.find(p.name);
            QVERIFY2(s != sums.end(), p.name.c_str());
            const double sum = p.value->sum(), sumsq = p.value->squaredNorm();
            QVERIFY2(std::abs(sum - (*s)[0].get<double>()) <= 1e-9 * (1 + std::abs(sum)),
                p.name.c_str());
            QVERIFY2(std::abs(sumsq - (*s)[1].get<double>()) <= 1e-9 * (1 + sumsq), p.name.c_str());
        }
    }
}

} // namespace

void TestModel::golden_data()
{
    addGoldenRows();
}

void TestModel::golden()
{
    QFETCH(int, index);
    QFETCH(bool, single);
    QFETCH(bool, portable);
    const Json fixture = goldenFixture();
    const Json &c = fixture.at("cases")[static_cast<std::size_t>(index)];
    if (portable)
        qputenv("EMBEDLAB_NO_AVX2", "1");
    const auto restore = qScopeGuard([] { qunsetenv("EMBEDLAB_NO_AVX2"); });
    if (single)
        runGolden<float>(c);
    else
        runGolden<double>(c);
}

void TestModel::goldenEval_data()
{
    addGoldenRows();
}

// eval's definition: one stream, batch 1, zero state, every token after the first predicted once.
void TestModel::goldenEval()
{
    QFETCH(int, index);
    QFETCH(bool, single);
    QFETCH(bool, portable);
    const Json fixture = goldenFixture();
    const Json &c = fixture.at("cases")[static_cast<std::size_t>(index)];
    if (portable)
        qputenv("EMBEDLAB_NO_AVX2", "1");
    const auto restore = qScopeGuard([] { qunsetenv("EMBEDLAB_NO_AVX2"); });
    std::vector<std::int32_t> stream;
    for (const auto &v : c.at("stream"))
        stream.push_back(static_cast<std::int32_t>(v.get<std::int64_t>()));
    const std::string weights
        = std::string(EMBEDLAB_TEST_DATA "/golden/") + c.at("weights").get<std::string>();
    const double want = c.at("eval_loss_f64").get<double>();
    std::uint64_t predicted = 0;
    double got = 0;
    if (single) {
        auto ck = loadCheckpoint<float>(weights);
        got = evaluateLoss(*ck.model, stream, 1, 7, &predicted);
    } else {
        auto ck = loadCheckpoint<double>(weights);
        got = evaluateLoss(*ck.model, stream, 1, 7, &predicted);
    }
    QCOMPARE(predicted, static_cast<std::uint64_t>(stream.size() - 1));
    QVERIFY2(std::abs(got - want) <= (single ? 1e-5 : 1e-10) * want,
        qPrintable(
            QStringLiteral("eval loss %1, PyTorch %2").arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
}

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
