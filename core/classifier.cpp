#include "core/classifier.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/padding.h"
#include "core/vocabulary.h"

namespace embedlab {

const char *poolingName(Pooling pooling)
{
    switch (pooling) {
    case Pooling::Last:
        return "last";
    case Pooling::Mean:
        return "mean";
    case Pooling::Max:
        return "max";
    }
    return "last";
}

bool parsePooling(const std::string &name, Pooling &out)
{
    for (Pooling p : { Pooling::Last, Pooling::Mean, Pooling::Max })
        if (name == poolingName(p)) {
            out = p;
            return true;
        }
    return false;
}

void ClassifierConfig::validate() const
{
    if (!cellName(cell))
        throw Error("unknown recurrent cell");
    if (vocabSize <= Vocabulary::SpecialCount)
        throw Error("the vocabulary must hold a word besides <pad>, <unk> and <eos>");
    if (embeddingDim < 1 || hiddenSize < 1 || layers < 1)
        throw Error("embedding size, hidden size and layers must be at least 1");
    if (classes < 2)
        throw Error("a classifier needs at least two classes, found " + std::to_string(classes));
}

void ClassifierTrainConfig::validate() const
{
    if (batch < 1 || epochs < 1)
        throw Error("batch size and epochs must be at least 1");
    if (!(lr > 0) || !(clip >= 0))
        throw Error("the learning rate must be above 0 and the clipping norm at least 0");
    if (pad.maxLength < 0)
        throw Error("the maximum length must be at least 0");
    if (evalBatch < 1)
        throw Error("the evaluation batch size must be at least 1");
}

template <typename Scalar>
std::vector<TensorSpec> TextClassifier<Scalar>::layout(const ClassifierConfig &c)
{
    std::vector<TensorSpec> specs;
    specs.push_back({ "encoder.weight", { c.vocabSize, c.embeddingDim } });
    const auto &cell = recurrentCell<Scalar>(c.cell);
    for (int l = 0; l < c.layers; ++l)
        for (auto &s : cell.layout(l, l == 0 ? c.embeddingDim : c.hiddenSize, c.hiddenSize))
            specs.push_back({ "rnn." + s.name, s.shape });
    specs.push_back({ "classifier.weight", { c.classes, c.hiddenSize } });
    specs.push_back({ "classifier.bias", { c.classes } });
    return specs;
}

namespace {

// Storage of a PyTorch shape: [R, C] <-> (C, R), [R] <-> (R, 1).
template <typename Mat> Mat zerosOf(const std::vector<std::int64_t> &shape)
{
    if (shape.size() == 1)
        return Mat::Zero(shape[0], 1);
    return Mat::Zero(shape[1], shape[0]);
}

} // namespace

template <typename Scalar>
TextClassifier<Scalar>::TextClassifier(const ClassifierConfig &config)
    : m_config(config)
    , m_cell(&recurrentCell<Scalar>(config.cell))
    , m_layout(layout(config))
{
    config.validate();
    std::size_t k = 0;
    m_encoder = zerosOf<Mat>(m_layout[k++].shape);
    m_layers.resize(static_cast<std::size_t>(config.layers));
    const std::size_t perLayer = (m_layout.size() - 3) / static_cast<std::size_t>(config.layers);
    for (auto &layer : m_layers)
        for (std::size_t i = 0; i < perLayer; ++i)
            layer.push_back(zerosOf<Mat>(m_layout[k++].shape));
    m_weight = zerosOf<Mat>(m_layout[k++].shape);
    m_bias = zerosOf<Mat>(m_layout[k++].shape);
}

template <typename Scalar>
TextClassifier<Scalar>::Gradients::Gradients(const TextClassifier &model)
    : m_encoder(Mat::Zero(model.m_encoder.rows(), model.m_encoder.cols()))
    , m_weight(Mat::Zero(model.m_weight.rows(), model.m_weight.cols()))
    , m_bias(Mat::Zero(model.m_bias.rows(), 1))
{
    for (const auto &layer : model.m_layers) {
        m_layers.emplace_back();
        for (const Mat &w : layer)
            m_layers.back().push_back(Mat::Zero(w.rows(), w.cols()));
    }
}

template <typename Scalar> void TextClassifier<Scalar>::initRandom(std::uint64_t seed)
{
    Rng rng(seed);
    // normal(0, 1) by Box-Muller
    for (Eigen::Index i = 0; i < m_encoder.size(); ++i) {
        const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
        m_encoder.data()[i] = static_cast<Scalar>(
            std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
    }
    m_encoder.col(Vocabulary::Pad).setZero();
    for (auto &layer : m_layers)
        m_cell->initRandom(layer, rng);
    const double k = 1.0 / std::sqrt(static_cast<double>(m_config.hiddenSize));
    for (Mat *m : { &m_weight, &m_bias })
        for (Eigen::Index i = 0; i < m->size(); ++i)
            m->data()[i] = static_cast<Scalar>(rng.uniform(-k, k));
}

template <typename Scalar>
std::vector<typename TextClassifier<Scalar>::Param> TextClassifier<Scalar>::parameters()
{
    std::vector<Param> out;
    std::size_t k = 0;
    out.push_back({ m_layout[k].name, m_layout[k].shape, &m_encoder, nullptr });
    ++k;
    for (auto &layer : m_layers)
        for (Mat &w : layer) {
            out.push_back({ m_layout[k].name, m_layout[k].shape, &w, nullptr });
            ++k;
        }
    out.push_back({ m_layout[k].name, m_layout[k].shape, &m_weight, nullptr });
    ++k;
    out.push_back({ m_layout[k].name, m_layout[k].shape, &m_bias, nullptr });
    return out;
}

template <typename Scalar>
std::vector<typename TextClassifier<Scalar>::Param> TextClassifier<Scalar>::parameters(Gradients &g)
{
    std::vector<Param> out = parameters();
    std::size_t k = 0;
    out[k++].grad = &g.m_encoder;
    for (auto &layer : g.m_layers)
        for (Mat &w : layer)
            out[k++].grad = &w;
    out[k++].grad = &g.m_weight;
    out[k++].grad = &g.m_bias;
    return out;
}

template <typename Scalar> void TextClassifier<Scalar>::zeroGrad(Gradients &g) const
{
    g.m_encoder.setZero();
    g.m_weight.setZero();
    g.m_bias.setZero();
    for (auto &layer : g.m_layers)
        for (Mat &w : layer)
            w.setZero();
}

template <typename Scalar>
double TextClassifier<Scalar>::forwardBackward(const std::int32_t *ids, int B, int L,
    const std::int32_t *labels, Workspace &ws, Gradients &grads, int *correct) const
{
    const double sum = run(ids, B, L, labels, ws, &grads, Scalar(1) / Scalar(B), nullptr, correct);
    return sum / B;
}

template <typename Scalar>
double TextClassifier<Scalar>::forward(const std::int32_t *ids, int B, int L,
    const std::int32_t *labels, Workspace &ws, Mat *probs, int *correct) const
{
    return run(ids, B, L, labels, ws, nullptr, Scalar(0), probs, correct);
}

template <typename Scalar>
double TextClassifier<Scalar>::run(const std::int32_t *ids, int B, int L,
    const std::int32_t *labels, Workspace &ws, Gradients *grads, Scalar gradScale, Mat *probs,
    int *correct) const
{
    const int H = m_config.hiddenSize, E = m_config.embeddingDim, C = m_config.classes;
    const int layers = m_config.layers;
    const Cell &cell = *m_cell;
    if (ws.m_layers.size() != static_cast<std::size_t>(layers)) {
        ws.m_layers.clear();
        for (int l = 0; l < layers; ++l)
            ws.m_layers.push_back(cell.makeWorkspace());
    }
    if (probs)
        probs->resize(C, B);
    if (correct)
        *correct = 0;
    // Real lengths, and the examples ordered by them (stable: ties keep the batch order).
    ws.m_lengths.assign(static_cast<std::size_t>(B), 0);
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < L; ++t) {
            const std::int32_t id = ids[static_cast<std::size_t>(b) * L + t];
            if (id < 0 || id >= m_config.vocabSize)
                throw Error("token id " + std::to_string(id) + " is outside the vocabulary");
            if (id != Vocabulary::Pad)
                ++ws.m_lengths[static_cast<std::size_t>(b)];
        }
    ws.m_order.resize(static_cast<std::size_t>(B));
    std::iota(ws.m_order.begin(), ws.m_order.end(), 0);
    std::stable_sort(ws.m_order.begin(), ws.m_order.end(), [&ws](std::int32_t a, std::int32_t b) {
        return ws.m_lengths[static_cast<std::size_t>(a)]
            < ws.m_lengths[static_cast<std::size_t>(b)];
    });

    double lossSum = 0;
    std::vector<const Mat *> inputs(static_cast<std::size_t>(layers));
    for (int g0 = 0; g0 < B;) {
        const int T
            = ws.m_lengths[static_cast<std::size_t>(ws.m_order[static_cast<std::size_t>(g0)])];
        int g1 = g0;
        while (g1 < B
            && ws.m_lengths[static_cast<std::size_t>(ws.m_order[static_cast<std::size_t>(g1)])]
                == T)
            ++g1;
        const int Bg = g1 - g0;
        const auto example = [&](int j) { return ws.m_order[static_cast<std::size_t>(g0 + j)]; };
        const Eigen::Index N = static_cast<Eigen::Index>(T) * Bg;

        // The group's real tokens: tokens[t*Bg + j] is step t of example j.
        ws.m_tokens.resize(static_cast<std::size_t>(N));
        for (int j = 0; j < Bg; ++j) {
            const std::int32_t *row = ids + static_cast<std::size_t>(example(j)) * L;
            int t = 0;
            for (int s = 0; s < L; ++s)
                if (row[s] != Vocabulary::Pad)
                    ws.m_tokens[static_cast<std::size_t>(t++) * Bg + j] = row[s];
        }
        // pooled: (H, Bg)
        ws.m_pooled.setZero(H, Bg);
        const Mat *out = nullptr;
        if (T > 0) {
            // x: (E, T*Bg)
            ws.m_x.resize(E, N);
            for (Eigen::Index n = 0; n < N; ++n)
                ws.m_x.col(n) = m_encoder.col(ws.m_tokens[static_cast<std::size_t>(n)]);
            const Mat *in = &ws.m_x;
            for (int l = 0; l < layers; ++l) {
                ws.m_h.setZero(H, Bg);
                ws.m_c.setZero(H, Bg);
                inputs[static_cast<std::size_t>(l)] = in;
                in = &cell.forward(m_layers[static_cast<std::size_t>(l)], *in, T, Bg, ws.m_h,
                    ws.m_c, *ws.m_layers[static_cast<std::size_t>(l)]);
            }
            out = in; // (H, T*Bg)
            switch (m_config.pooling) {
            case Pooling::Last:
                ws.m_pooled = out->rightCols(Bg);
                break;
            case Pooling::Mean:
                for (int t = 0; t < T; ++t)
                    ws.m_pooled += out->middleCols(static_cast<Eigen::Index>(t) * Bg, Bg);
                ws.m_pooled /= Scalar(T);
                break;
            case Pooling::Max:
                ws.m_argmax.assign(static_cast<std::size_t>(H) * Bg, 0);
                ws.m_pooled = out->leftCols(Bg);
                for (int j = 0; j < Bg; ++j)
                    for (int i = 0; i < H; ++i)
                        ws.m_argmax[static_cast<std::size_t>(j) * H + i] = j;
                for (int t = 1; t < T; ++t)
                    for (int j = 0; j < Bg; ++j) {
                        const Eigen::Index col = static_cast<Eigen::Index>(t) * Bg + j;
                        for (int i = 0; i < H; ++i)
                            if ((*out)(i, col) > ws.m_pooled(i, j)) {
                                ws.m_pooled(i, j) = (*out)(i, col);
                                ws.m_argmax[static_cast<std::size_t>(j) * H + i] = col;
                            }
                    }
                break;
            }
        }
        // logits: (C, Bg) = W^T pooled + b, W: (H, C)
        ws.m_logits.noalias() = m_weight.transpose() * ws.m_pooled;
        ws.m_logits.colwise() += m_bias.col(0);
        for (int j = 0; j < Bg; ++j) {
            auto z = ws.m_logits.col(j);
            const int b = example(j);
            const double logitY = labels
                ? static_cast<double>(z(labels[b] >= 0 && labels[b] < C ? labels[b] : 0))
                : 0.0;
            const Scalar zMax = z.maxCoeff();
            z.array() = (z.array() - zMax).exp();
            const Scalar total = z.sum();
            const double logTotal
                = std::log(static_cast<double>(total)) + static_cast<double>(zMax);
            z /= total; // now the probabilities
            Eigen::Index best = 0;
            z.maxCoeff(&best);
            if (probs)
                probs->col(b) = z;
            if (labels) {
                const std::int32_t y = labels[b];
                if (y < 0 || y >= C)
                    throw Error("label " + std::to_string(y) + " is outside the classes");
                // -log p_y = logsumexp(logits) - logit_y
                lossSum += logTotal - logitY;
                if (correct && best == y)
                    ++*correct;
            }
        }
        if (grads && labels) {
            // dlogits = (p - onehot(y)) * scale                         (C, Bg)
            for (int j = 0; j < Bg; ++j)
                ws.m_logits(labels[example(j)], j) -= Scalar(1);
            ws.m_logits *= gradScale;
            // dW (H, C) += pooled dlogits^T;  db += sum_j dlogits;  dpooled (H, Bg) = W dlogits
            grads->m_weight.noalias() += ws.m_pooled * ws.m_logits.transpose();
            grads->m_bias += ws.m_logits.rowwise().sum();
            if (T > 0) {
                ws.m_dPooled.noalias() = m_weight * ws.m_logits;
                // dOut: (H, T*Bg)
                ws.m_dOut.setZero(H, N);
                switch (m_config.pooling) {
                case Pooling::Last:
                    ws.m_dOut.rightCols(Bg) = ws.m_dPooled;
                    break;
                case Pooling::Mean:
                    for (int t = 0; t < T; ++t)
                        ws.m_dOut.middleCols(static_cast<Eigen::Index>(t) * Bg, Bg)
                            = ws.m_dPooled / Scalar(T);
                    break;
                case Pooling::Max:
                    for (int j = 0; j < Bg; ++j)
                        for (int i = 0; i < H; ++i)
                            ws.m_dOut(i, ws.m_argmax[static_cast<std::size_t>(j) * H + i])
                                += ws.m_dPooled(i, j);
                    break;
                }
                for (int l = layers - 1; l >= 0; --l) {
                    const auto li = static_cast<std::size_t>(l);
                    cell.backward(m_layers[li], *inputs[li], T, Bg, ws.m_dOut, grads->m_layers[li],
                        &ws.m_dX, *ws.m_layers[li]);
                    if (l > 0)
                        std::swap(ws.m_dOut, ws.m_dX);
                }
                // dX (E, T*Bg) -> the looked-up encoder columns
                for (Eigen::Index n = 0; n < N; ++n)
                    grads->m_encoder.col(ws.m_tokens[static_cast<std::size_t>(n)])
                        += ws.m_dX.col(n);
            }
        }
        g0 = g1;
    }
    return lossSum;
}

template class TextClassifier<float>;
template class TextClassifier<double>;

// ------------------------------------------------------------------------------------------

template <typename Scalar>
ClassifierTrainer<Scalar>::ClassifierTrainer(
    TextClassifier<Scalar> &model, const ClassifierTrainConfig &config)
    : m_model(model)
    , m_config(config)
    , m_grads(model)
    , m_maxLength(config.pad.maxLength)
{
    config.validate();
}

template <typename Scalar> void ClassifierTrainer<Scalar>::requestStop()
{
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    m_stop.store(true);
    m_pauseChanged.notify_all();
}

template <typename Scalar> void ClassifierTrainer<Scalar>::setPaused(bool paused)
{
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    m_paused = paused;
    m_pauseChanged.notify_all();
}

template <typename Scalar> bool ClassifierTrainer<Scalar>::isPaused() const
{
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    return m_paused;
}

template <typename Scalar>
double ClassifierTrainer<Scalar>::step(const std::int32_t *ids, int B, int L,
    const std::int32_t *labels, int *correct, double *gradNorm)
{
    m_model.zeroGrad(m_grads);
    const double loss = m_model.forwardBackward(ids, B, L, labels, m_ws, m_grads, correct);
    auto params = m_model.parameters(m_grads);
    if (m_config.freezeEmbedding)
        params.erase(params.begin()); // encoder.weight, first in state_dict order
    double sq = 0;
    for (auto &p : params)
        sq += static_cast<double>(p.grad->squaredNorm());
    const double norm = std::sqrt(sq);
    if (gradNorm)
        *gradNorm = norm;
    // torch.nn.utils.clip_grad_norm_: scale by clip / (norm + 1e-6) when that is below 1.
    const double clipScale = m_config.clip > 0 ? std::min(1.0, m_config.clip / (norm + 1e-6)) : 1.0;
    if (m_config.optimizer == OptimizerKind::Sgd) {
        const auto s = static_cast<Scalar>(m_config.lr * clipScale);
        for (auto &p : params)
            *p.value -= s * *p.grad;
        return loss;
    }
    if (clipScale < 1)
        for (auto &p : params)
            *p.grad *= static_cast<Scalar>(clipScale);
    if (m_adamM.size() != params.size()) {
        m_adamM.clear();
        m_adamV.clear();
        for (auto &p : params) {
            m_adamM.push_back(Mat::Zero(p.value->rows(), p.value->cols()));
            m_adamV.push_back(Mat::Zero(p.value->rows(), p.value->cols()));
        }
    }
    // torch.optim.Adam (no weight decay, no amsgrad), as the language model's trainer.
    const std::int64_t t = ++m_adamStep;
    const double b1 = m_config.adamBeta1, b2 = m_config.adamBeta2;
    const double bc1 = 1.0 - std::pow(b1, static_cast<double>(t));
    const double bc2 = 1.0 - std::pow(b2, static_cast<double>(t));
    const Scalar stepSize = static_cast<Scalar>(m_config.lr / bc1);
    const Scalar sqrtBc2 = static_cast<Scalar>(std::sqrt(bc2));
    const Scalar eps = static_cast<Scalar>(m_config.adamEps);
    for (std::size_t k = 0; k < params.size(); ++k) {
        auto g = params[k].grad->array();
        auto m = m_adamM[k].array();
        auto v = m_adamV[k].array();
        m = Scalar(b1) * m + Scalar(1 - b1) * g;
        v = Scalar(b2) * v + Scalar(1 - b2) * g.square();
        params[k].value->array() -= stepSize * m / (v.sqrt() / sqrtBc2 + eps);
    }
    return loss;
}

namespace {

std::vector<std::vector<std::int32_t>> idsOf(const std::vector<LabelledExample> &examples)
{
    std::vector<std::vector<std::int32_t>> out;
    out.reserve(examples.size());
    for (const auto &e : examples)
        out.push_back(e.ids);
    return out;
}

} // namespace

template <typename Scalar>
ClassifierTrainResult ClassifierTrainer<Scalar>::run(const std::vector<LabelledExample> &train,
    const std::vector<LabelledExample> &valid,
    const std::function<void(const ClassifierEvent &)> &callback)
{
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    if (train.empty())
        throw Error("no training examples");
    PadOptions pad = m_config.pad;
    if (pad.maxLength == 0) {
        // The longest training example, and at least one step (all of them may be empty).
        std::size_t longest = 1;
        for (const auto &e : train)
            longest = std::max(longest, e.ids.size());
        pad.maxLength = static_cast<int>(longest);
    }
    int L = 0;
    const std::vector<std::int32_t> rows = padSequences(idsOf(train), pad, &L);
    m_maxLength = L;
    std::vector<std::int32_t> labels;
    for (const auto &e : train)
        labels.push_back(e.label);

    const auto n = static_cast<std::int64_t>(train.size());
    const int batchSize = m_config.batch;
    const std::int64_t batches = (n + batchSize - 1) / batchSize;
    std::vector<std::int32_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    Rng rng(m_config.seed);
    std::vector<std::int32_t> batchIds, batchLabels;
    ClassifierTrainResult result;
    const double uniform = std::log(static_cast<double>(m_model.config().classes));
    const double ceiling = 2 * uniform + 10;
    double bestEpochLoss = std::numeric_limits<double>::infinity();
    TextClassifier<Scalar> epochStart = m_model; // the weights a blown-up epoch goes back to
    for (int epoch = 1; epoch <= m_config.epochs && !m_stop.load(); ++epoch) {
        epochStart = m_model;
        const auto blewUp = [&](const std::string &what) {
            m_model = epochStart;
            result.diverged = true;
            result.message = what + " The weights are back to those of the start of epoch "
                + std::to_string(epoch) + "; a smaller learning rate (or --clip) may help.";
        };
        // Fisher-Yates with the run's generator: a new order every epoch.
        for (std::size_t i = order.size() - 1; i > 0; --i) {
            const auto j = static_cast<std::size_t>(rng.next() % (i + 1));
            std::swap(order[i], order[j]);
        }
        double lossSum = 0;
        std::int64_t correctSum = 0, seen = 0;
        for (std::int64_t k = 0; k < batches; ++k) {
            {
                std::unique_lock<std::mutex> lock(m_pauseMutex);
                m_pauseChanged.wait(lock, [&] { return !m_paused || m_stop.load(); });
            }
            if (m_stop.load()) {
                result.stopped = true;
                break;
            }
            const std::int64_t b0 = k * batchSize;
            const int B = static_cast<int>(std::min<std::int64_t>(batchSize, n - b0));
            batchIds.resize(static_cast<std::size_t>(B) * L);
            batchLabels.resize(static_cast<std::size_t>(B));
            for (int j = 0; j < B; ++j) {
                const auto e = static_cast<std::size_t>(order[static_cast<std::size_t>(b0 + j)]);
                std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(e * L), L,
                    batchIds.begin() + static_cast<std::ptrdiff_t>(j) * L);
                batchLabels[static_cast<std::size_t>(j)] = labels[e];
            }
            int correct = 0;
            double norm = 0;
            const double loss = step(batchIds.data(), B, L, batchLabels.data(), &correct, &norm);
            ++result.steps;
            if (!std::isfinite(loss) || !std::isfinite(norm) || loss > ceiling) {
                char what[200];
                std::snprintf(what, sizeof what,
                    "The training diverged at step %lld: the loss is %g nats per example (a model "
                    "that guesses is at %.3g, and %.3g is far above anything learning reaches).",
                    static_cast<long long>(result.steps), loss, uniform, ceiling);
                blewUp(!std::isfinite(norm) && std::isfinite(loss)
                        ? "The training diverged at step " + std::to_string(result.steps)
                            + ": the gradient is not finite."
                        : std::string(what));
                break;
            }
            lossSum += loss * B;
            correctSum += correct;
            seen += B;
            if (callback) {
                ClassifierEvent e;
                e.kind = ClassifierEvent::Kind::Batch;
                e.epoch = epoch;
                e.step = result.steps;
                e.batch = k + 1;
                e.batches = batches;
                e.loss = loss;
                e.gradNorm = norm;
                e.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
                callback(e);
            }
        }
        if (result.stopped || result.diverged || seen == 0)
            break;
        const double epochLoss = lossSum / static_cast<double>(seen);
        if (epochLoss > uniform && epochLoss > 3 * bestEpochLoss) {
            char what[200];
            std::snprintf(what, sizeof what,
                "The training diverged in epoch %d: its mean loss %.4g is above that of a model "
                "that guesses (%.3g) and 3 times the best epoch's (%.4g).",
                epoch, epochLoss, uniform, bestEpochLoss);
            blewUp(what);
            break;
        }
        bestEpochLoss = std::min(bestEpochLoss, epochLoss);
        result.trainLoss = epochLoss;
        result.trainAccuracy = static_cast<double>(correctSum) / static_cast<double>(seen);
        if (!valid.empty())
            result.valid = evaluateClassifier(m_model, valid, pad, m_config.evalBatch);
        result.epochsCompleted = epoch;
        result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        if (callback) {
            ClassifierEvent e;
            e.kind = ClassifierEvent::Kind::Epoch;
            e.epoch = epoch;
            e.step = result.steps;
            e.batches = batches;
            e.seconds = result.seconds;
            e.trainLoss = result.trainLoss;
            e.trainAccuracy = result.trainAccuracy;
            e.valid = result.valid;
            callback(e);
        }
    }
    result.stopped = result.stopped || (m_stop.load() && result.epochsCompleted < m_config.epochs);
    result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return result;
}

template class ClassifierTrainer<float>;
template class ClassifierTrainer<double>;

template <typename Scalar> WordPull wordPull(const TextClassifier<Scalar> &model, int batch)
{
    const int V = model.config().vocabSize, C = model.config().classes;
    std::vector<std::vector<std::int32_t>> texts(static_cast<std::size_t>(V));
    for (int w = 1; w < V; ++w)
        texts[static_cast<std::size_t>(w)] = { w };
    // Row 0 stands for the empty text: <pad> is masked, so it reads as no token at all.
    PadOptions pad;
    pad.maxLength = 1;
    const auto probs = classifyExamples(model, texts, pad, batch);
    WordPull out;
    out.cls.assign(static_cast<std::size_t>(V), -1);
    out.strength.assign(static_cast<std::size_t>(V), 0.0f);
    out.prior.resize(static_cast<std::size_t>(C));
    for (int c = 0; c < C; ++c)
        out.prior[static_cast<std::size_t>(c)] = static_cast<float>(probs(c, 0));
    for (int w = 1; w < V; ++w) {
        Eigen::Index best = 0;
        const auto pull = (probs.col(w) - probs.col(0)).eval();
        const Scalar s = pull.maxCoeff(&best);
        out.cls[static_cast<std::size_t>(w)] = static_cast<std::int32_t>(best);
        out.strength[static_cast<std::size_t>(w)] = static_cast<float>(s);
    }
    return out;
}

template WordPull wordPull(const TextClassifier<float> &, int);
template WordPull wordPull(const TextClassifier<double> &, int);

template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> classifyExamples(
    const TextClassifier<Scalar> &model, const std::vector<std::vector<std::int32_t>> &sequences,
    const PadOptions &pad, int batch)
{
    using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    const int C = model.config().classes;
    Mat out(C, static_cast<Eigen::Index>(sequences.size()));
    int L = 0;
    const std::vector<std::int32_t> rows = padSequences(sequences, pad, &L);
    typename TextClassifier<Scalar>::Workspace ws;
    Mat probs;
    for (std::size_t b0 = 0; b0 < sequences.size(); b0 += static_cast<std::size_t>(batch)) {
        const int B
            = static_cast<int>(std::min(sequences.size() - b0, static_cast<std::size_t>(batch)));
        if (L > 0) {
            model.forward(
                rows.data() + b0 * static_cast<std::size_t>(L), B, L, nullptr, ws, &probs);
        } else {
            const std::vector<std::int32_t> none(static_cast<std::size_t>(B), Vocabulary::Pad);
            model.forward(none.data(), B, 1, nullptr, ws, &probs);
        }
        out.middleCols(static_cast<Eigen::Index>(b0), B) = probs;
    }
    return out;
}

template <typename Scalar>
ClassifierEvaluation evaluateClassifier(const TextClassifier<Scalar> &model,
    const std::vector<LabelledExample> &examples, const PadOptions &pad, int batch)
{
    ClassifierEvaluation r;
    const int C = model.config().classes;
    r.confusion.assign(
        static_cast<std::size_t>(C), std::vector<std::int64_t>(static_cast<std::size_t>(C), 0));
    if (examples.empty())
        return r;
    const auto probs = classifyExamples(model, idsOf(examples), pad, batch);
    double loss = 0;
    std::int64_t correct = 0;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const auto col = probs.col(static_cast<Eigen::Index>(i));
        Eigen::Index best = 0;
        col.maxCoeff(&best);
        const int y = examples[i].label;
        loss -= std::log(std::max(static_cast<double>(col(y)), 1e-300));
        correct += best == y;
        ++r.confusion[static_cast<std::size_t>(y)][static_cast<std::size_t>(best)];
    }
    r.examples = static_cast<std::int64_t>(examples.size());
    r.loss = loss / static_cast<double>(examples.size());
    r.accuracy = static_cast<double>(correct) / static_cast<double>(examples.size());
    return r;
}

template ClassifierEvaluation evaluateClassifier(
    const TextClassifier<float> &, const std::vector<LabelledExample> &, const PadOptions &, int);
template ClassifierEvaluation evaluateClassifier(
    const TextClassifier<double> &, const std::vector<LabelledExample> &, const PadOptions &, int);
template Eigen::MatrixXf classifyExamples(const TextClassifier<float> &,
    const std::vector<std::vector<std::int32_t>> &, const PadOptions &, int);
template Eigen::MatrixXd classifyExamples(const TextClassifier<double> &,
    const std::vector<std::vector<std::int32_t>> &, const PadOptions &, int);

} // namespace embedlab
