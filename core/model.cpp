#include "core/model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "core/kernels.h"
#include "core/parallel.h"

namespace embedlab {

void ModelConfig::validate() const
{
    auto fail = [](const std::string &m) { throw Error("model configuration: " + m); };
    if (!cellName(cell))
        fail("unknown recurrent cell (" + std::to_string(static_cast<int>(cell)) + ")");
    if (vocabSize < 3)
        fail("vocabulary size must be at least 3 (<pad>, <unk>, <eos>), got "
            + std::to_string(vocabSize));
    if (embeddingDim < 1 || embeddingDim > 65536)
        fail("embedding dimension must be in 1..65536, got " + std::to_string(embeddingDim));
    if (hiddenSize < 1 || hiddenSize > 65536)
        fail("hidden size must be in 1..65536, got " + std::to_string(hiddenSize));
    if (layers < 1 || layers > 16)
        fail("number of layers must be in 1..16, got " + std::to_string(layers));
    if (!(dropout >= 0.0 && dropout < 1.0))
        fail("dropout must be in [0, 1), got " + std::to_string(dropout));
    if (tied && embeddingDim != hiddenSize)
        fail("tied weights need embedding dimension == hidden size (got "
            + std::to_string(embeddingDim) + " and " + std::to_string(hiddenSize) + ")");
}

namespace {

// Storage of a tensor of PyTorch shape [R, C] or [R]: (C, R) or (R, 1), zeros.
template <typename Mat> Mat zeroTensor(const std::vector<std::int64_t> &shape)
{
    const Eigen::Index rows = static_cast<Eigen::Index>(shape.size() == 1 ? shape[0] : shape[1]);
    const Eigen::Index cols = static_cast<Eigen::Index>(shape.size() == 1 ? 1 : shape[0]);
    return Mat::Zero(rows, cols);
}

} // namespace

template <typename Scalar>
std::vector<TensorSpec> LanguageModel<Scalar>::layout(const ModelConfig &config)
{
    const Cell &cell = recurrentCell<Scalar>(config.cell);
    const std::int64_t V = config.vocabSize, E = config.embeddingDim, H = config.hiddenSize;
    std::vector<TensorSpec> specs;
    specs.push_back({ "encoder.weight", { V, E } });
    for (int l = 0; l < config.layers; ++l)
        for (TensorSpec &s : cell.layout(l, l == 0 ? E : H, H))
            specs.push_back({ "rnn." + s.name, std::move(s.shape) });
    if (!config.tied)
        specs.push_back({ "decoder.weight", { V, H } });
    specs.push_back({ "decoder.bias", { V } });
    return specs;
}

template <typename Scalar>
LanguageModel<Scalar>::LanguageModel(const ModelConfig &config)
    : m_config(config)
{
    m_config.validate();
    m_cell = &recurrentCell<Scalar>(m_config.cell);
    m_layout = layout(m_config);
    const int V = config.vocabSize, E = config.embeddingDim, H = config.hiddenSize;
    m_encoder = Mat::Zero(E, V);
    if (!config.tied)
        m_decoder = Mat::Zero(H, V);
    m_decoderBias = Mat::Zero(V, 1);
    m_layers.resize(static_cast<std::size_t>(config.layers));
    for (int l = 0; l < config.layers; ++l)
        for (const TensorSpec &s : m_cell->layout(l, l == 0 ? E : H, H))
            m_layers[static_cast<std::size_t>(l)].push_back(zeroTensor<Mat>(s.shape));
}

template <typename Scalar>
LanguageModel<Scalar>::Gradients::Gradients(const LanguageModel &model)
    : m_tied(model.m_config.tied)
{
    auto zerosLike = [](const Mat &m) { return Mat::Zero(m.rows(), m.cols()); };
    m_encoder = zerosLike(model.m_encoder);
    if (!m_tied)
        m_decoder = zerosLike(model.m_decoder);
    m_decoderBias = zerosLike(model.m_decoderBias);
    for (const auto &layer : model.m_layers) {
        m_layers.emplace_back();
        for (const Mat &w : layer)
            m_layers.back().push_back(zerosLike(w));
    }
    m_touchedMask.assign(static_cast<std::size_t>(model.m_config.vocabSize), 0);
}

template <typename Scalar>
const std::vector<std::int32_t> *LanguageModel<Scalar>::Gradients::encoderColumns() const
{
    // Only looked-up rows receive gradient, unless the decoder (tied) writes into every row.
    return m_tied ? nullptr : &m_touched;
}

template <typename Scalar>
void LanguageModel<Scalar>::initRandom(std::uint64_t seed, double embeddingRange)
{
    Rng rng(seed);
    auto fill = [&rng](Mat &m, double range) {
        for (Eigen::Index i = 0; i < m.size(); ++i)
            m.data()[i] = static_cast<Scalar>(rng.uniform(-range, range));
    };
    fill(m_encoder, embeddingRange);
    m_encoder.col(0).setZero(); // <pad>
    for (auto &layer : m_layers)
        m_cell->initRandom(layer, rng);
    if (!m_config.tied)
        fill(m_decoder, 0.1);
    m_decoderBias.setZero();
}

template <typename Scalar>
std::vector<typename LanguageModel<Scalar>::Param> LanguageModel<Scalar>::parameters()
{
    std::vector<Param> p;
    p.reserve(m_layout.size());
    std::size_t k = 0;
    auto add = [&](Mat &value) {
        p.push_back({ m_layout[k].name, m_layout[k].shape, &value, nullptr });
        ++k;
    };
    add(m_encoder);
    for (auto &layer : m_layers)
        for (Mat &w : layer)
            add(w);
    if (!m_config.tied)
        add(m_decoder);
    add(m_decoderBias);
    return p;
}

template <typename Scalar>
std::vector<typename LanguageModel<Scalar>::Param> LanguageModel<Scalar>::parameters(
    Gradients &grads)
{
    std::vector<Param> p = parameters();
    std::size_t k = 0;
    p[k++].grad = &grads.m_encoder;
    for (auto &layer : grads.m_layers)
        for (Mat &g : layer)
            p[k++].grad = &g;
    if (!m_config.tied)
        p[k++].grad = &grads.m_decoder;
    p[k++].grad = &grads.m_decoderBias;
    return p;
}

template <typename Scalar>
std::vector<typename LanguageModel<Scalar>::Param> LanguageModel<Scalar>::trainableParameters()
{
    auto p = parameters();
    if (m_frozen)
        p.erase(p.begin()); // encoder.weight (never tied when frozen: see Trainer)
    return p;
}

template <typename Scalar>
std::vector<typename LanguageModel<Scalar>::Param> LanguageModel<Scalar>::trainableParameters(
    Gradients &grads)
{
    auto p = parameters(grads);
    if (m_frozen)
        p.erase(p.begin());
    return p;
}

template <typename Scalar>
typename LanguageModel<Scalar>::State LanguageModel<Scalar>::zeroState(int batch) const
{
    State s;
    for (int l = 0; l < m_config.layers; ++l) {
        s.h.push_back(Mat::Zero(m_config.hiddenSize, batch));
        s.c.push_back(Mat::Zero(m_config.hiddenSize, batch));
    }
    return s;
}

namespace {

// Element-wise passes over large tensors split into fixed blocks over the threads; sums are
// combined in block order, so they do not depend on the number of threads.
constexpr std::size_t ElementBlock = std::size_t(1) << 15;

template <typename Scalar, typename Fn> void forEachBlock(std::size_t n, const Fn &fn)
{
    const std::size_t blocks = (n + ElementBlock - 1) / ElementBlock;
    parallelFor(blocks, 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k)
            fn(k, k * ElementBlock, std::min(ElementBlock, n - k * ElementBlock));
    });
}

template <typename Scalar>
double squaredNormOf(const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> &m)
{
    using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    const std::size_t n = static_cast<std::size_t>(m.size());
    std::vector<double> parts((n + ElementBlock - 1) / ElementBlock, 0.0);
    forEachBlock<Scalar>(n, [&](std::size_t k, std::size_t lo, std::size_t len) {
        parts[k] = static_cast<double>(
            Eigen::Map<const Vec>(m.data() + lo, static_cast<Eigen::Index>(len)).squaredNorm());
    });
    double sum = 0;
    for (double v : parts)
        sum += v;
    return sum;
}

template <typename Scalar> void setZeroOf(Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> &m)
{
    forEachBlock<Scalar>(
        static_cast<std::size_t>(m.size()), [&](std::size_t, std::size_t lo, std::size_t len) {
            std::fill_n(m.data() + lo, len, Scalar(0));
        });
}

} // namespace

template <typename Scalar>
template <typename G, typename Fn>
void LanguageModel<Scalar>::forEachTrainableGrad(G &grads, const Fn &fn) const
{
    // The order of trainableParameters(), which fixes the order of the gradient norm's sum.
    if (!m_frozen)
        fn(grads.m_encoder, true);
    for (auto &layer : grads.m_layers)
        for (auto &g : layer)
            fn(g, false);
    if (!m_config.tied)
        fn(grads.m_decoder, false);
    fn(grads.m_decoderBias, false);
}

template <typename Scalar> void LanguageModel<Scalar>::zeroGrad(Gradients &grads) const
{
    if (grads.encoderColumns()) {
        for (std::int32_t c : grads.m_touched)
            grads.m_encoder.col(c).setZero();
    } else {
        setZeroOf(grads.m_encoder);
    }
    for (auto &layer : grads.m_layers)
        for (Mat &g : layer)
            setZeroOf(g);
    setZeroOf(grads.m_decoderBias);
    for (std::int32_t c : grads.m_touched)
        grads.m_touchedMask[static_cast<std::size_t>(c)] = 0;
    grads.m_touched.clear();
}

template <typename Scalar> double LanguageModel<Scalar>::gradNorm(const Gradients &grads) const
{
    double sum = 0;
    forEachTrainableGrad(grads, [&](const Mat &g, bool isEncoder) {
        if (isEncoder && grads.encoderColumns()) {
            for (std::int32_t c : grads.m_touched)
                sum += static_cast<double>(g.col(c).squaredNorm());
        } else {
            sum += squaredNormOf(g);
        }
    });
    return std::sqrt(sum);
}

template <typename Scalar>
void LanguageModel<Scalar>::scaleGrad(Gradients &grads, Scalar factor) const
{
    forEachTrainableGrad(grads, [&](Mat &g, bool isEncoder) {
        if (isEncoder && grads.encoderColumns()) {
            for (std::int32_t c : grads.m_touched)
                g.col(c) *= factor;
        } else {
            g *= factor;
        }
    });
}

template <typename Scalar>
void LanguageModel<Scalar>::makeDropoutMask(
    Mat &mask, Eigen::Index rows, Eigen::Index cols, Rng &rng) const
{
    const double p = m_config.dropout;
    const Scalar keep = static_cast<Scalar>(1.0 / (1.0 - p));
    // Keep with probability 1-p: compare 53-bit uniforms against p, as an inverted dropout.
    const std::uint64_t threshold = static_cast<std::uint64_t>(p * 0x1.0p53);
    mask.resize(rows, cols);
    Scalar *d = mask.data();
    for (Eigen::Index i = 0; i < mask.size(); ++i)
        d[i] = (rng.next() >> 11) >= threshold ? keep : Scalar(0);
}

namespace {

// Column blocks of at least this many columns per thread for the big matrix products.
constexpr std::size_t MinColumns = 32;

} // namespace

template <typename Scalar>
void LanguageModel<Scalar>::forward(
    const std::int32_t *inputs, int T, int B, State &state, Rng *rng, Workspace &ws) const
{
    const int L = m_config.layers, E = m_config.embeddingDim;
    const int V = m_config.vocabSize;
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    if (ws.m_cell != m_cell || static_cast<int>(ws.m_layers.size()) != L) {
        ws.m_layers.clear();
        for (int l = 0; l < L; ++l)
            ws.m_layers.push_back(m_cell->makeWorkspace());
        ws.m_cell = m_cell;
    }
    ws.m_x.resize(static_cast<std::size_t>(L) + 1);
    ws.m_mask.resize(static_cast<std::size_t>(L) + 1);
    ws.m_dropoutOn = rng != nullptr && m_config.dropout > 0;
    if (static_cast<int>(state.h.size()) != L || state.h[0].cols() != B)
        state = zeroState(B);

    auto lap = std::chrono::steady_clock::now();
    // x0 = dropout(encoder[:, inputs])          x0: (E, N)
    Mat &x0 = ws.m_x[0];
    x0.resize(E, N);
    for (Eigen::Index n = 0; n < N; ++n) {
        const int id = inputs[n];
        if (id < 0 || id >= V)
            throw Error("token id " + std::to_string(id) + " is outside the vocabulary (size "
                + std::to_string(V) + ")");
        x0.col(n) = m_encoder.col(id);
    }
    if (ws.m_dropoutOn) {
        makeDropoutMask(ws.m_mask[0], E, N, *rng);
        x0.array() *= ws.m_mask[0].array();
    }

    // The lookup and the dropouts count as the embedding's time, the cells time their passes.
    ws.m_seconds.embedding += lapSeconds(lap);
    for (int l = 0; l < L; ++l) {
        // h (H, N) = cell(x_l), carrying the state through the window.
        const Mat &h = m_cell->forward(
            m_layers[l], ws.m_x[l], T, B, state.h[l], state.c[l], *ws.m_layers[l]);
        lap = std::chrono::steady_clock::now();
        // Input of the next layer (or of the decoder), with dropout.    x: (H, N)
        ws.m_x[l + 1] = h;
        if (ws.m_dropoutOn) {
            makeDropoutMask(ws.m_mask[l + 1], h.rows(), N, *rng);
            ws.m_x[l + 1].array() *= ws.m_mask[l + 1].array();
        }
        ws.m_seconds.embedding += lapSeconds(lap);
    }
    ws.m_logits.resize(V, N);
}

template <typename Scalar>
double LanguageModel<Scalar>::decode(
    const std::int32_t *targets, int n, Workspace &ws, Gradients *grads) const
{
    const bool wantGrad = grads != nullptr;
    const Eigen::Index V = ws.m_logits.rows();
    const int L = m_config.layers;
    if (targets)
        for (int j = 0; j < n; ++j)
            if (targets[j] < 0 || targets[j] >= V)
                throw Error("target id " + std::to_string(targets[j])
                    + " is outside the vocabulary (size " + std::to_string(V) + ")");
    auto lap = std::chrono::steady_clock::now();
    // Per-column losses summed in order afterwards, so the total does not depend on threading.
    ws.m_columnLoss.assign(static_cast<std::size_t>(n), 0.0);
    if (wantGrad && targets)
        ws.m_biasGradParts.setZero(V,
            (n + static_cast<Eigen::Index>(MinColumns) - 1)
                / static_cast<Eigen::Index>(MinColumns));
    const Scalar invN = Scalar(1) / static_cast<Scalar>(n);
    const Mat &x = ws.m_x[L];
    if (wantGrad)
        ws.m_dH.resize(x.rows(), n);
    // Each thread takes a block of tokens through the decoder, the softmax and (for training)
    // back through the decoder to its input:
    //   logits (V, n) = W^T x + b;  dlogits = (softmax - onehot) / n;  dx (H, n) = W dlogits
    // The products are split over words (rows of the logits), so each thread packs only its
    // share of the decoder weight; the softmax is split over tokens (columns).
    parallelFor(static_cast<std::size_t>(V), 256, [&](std::size_t b, std::size_t e) {
        const Eigen::Index v0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        ws.m_logits.middleRows(v0, len).noalias() = decoder().middleCols(v0, len).transpose() * x;
    });
    // Whole blocks of MinColumns tokens per thread: each block owns one column of the
    // partial bias gradients, so no two threads write the same one.
    const std::size_t blocks = (static_cast<std::size_t>(n) + MinColumns - 1) / MinColumns;
    parallelFor(blocks, 1, [&](std::size_t blockBegin, std::size_t blockEnd) {
        const std::size_t b = blockBegin * MinColumns;
        const std::size_t e = std::min(static_cast<std::size_t>(n), blockEnd * MinColumns);
        const Eigen::Index c0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto logits = ws.m_logits.middleCols(c0, len);
        constexpr bool fused = std::is_same<Scalar, float>::value;
        if (!targets || !fused)
            logits.colwise() += m_decoderBias.col(0);
        if (!targets)
            return;
        for (std::size_t j = b; j < e; ++j) {
            Scalar *col = ws.m_logits.col(static_cast<Eigen::Index>(j)).data();
            if constexpr (fused) {
                // Bias, softmax, gradient and the bias gradient in one pass over the column; the
                // bias gradient goes to a partial sum per block of columns, summed in order below.
                const std::size_t t = static_cast<std::size_t>(targets[j]);
                if (wantGrad)
                    ws.m_columnLoss[j] = kernels::softmaxCrossEntropyGradBias(col,
                        m_decoderBias.data(), static_cast<std::size_t>(V), t, invN,
                        ws.m_biasGradParts.col(static_cast<Eigen::Index>(j / MinColumns)).data());
                else
                    ws.m_columnLoss[j] = kernels::logSumExpBias(
                                             col, m_decoderBias.data(), static_cast<std::size_t>(V))
                        - col[t];
            } else {
                auto a = ws.m_logits.col(static_cast<Eigen::Index>(j)).array();
                const Scalar mx = a.maxCoeff();
                const Scalar target = col[targets[j]];
                if (wantGrad) {
                    a = (a - mx).exp();
                    const Scalar s = a.sum();
                    ws.m_columnLoss[j] = static_cast<double>(std::log(s) + mx - target);
                    a *= invN / s;
                    col[targets[j]] -= invN;
                } else {
                    const Scalar s = (a - mx).exp().sum();
                    ws.m_columnLoss[j] = static_cast<double>(std::log(s) + mx - target);
                }
            }
        }
    });
    ws.m_seconds.decoder += lapSeconds(lap);
    if (wantGrad) {
        // dx (H, n) = W dlogits as two halves of the words summed in a fixed order, whatever
        // the number of threads.
        const Eigen::Index half = V / 2;
        ws.m_dXParts.resize(x.rows(), 2 * n);
        parallelFor(2, 1, [&](std::size_t b, std::size_t e) {
            for (std::size_t k = b; k < e; ++k) {
                const Eigen::Index v0 = k == 0 ? 0 : half, len = k == 0 ? half : V - half;
                ws.m_dXParts.middleCols(static_cast<Eigen::Index>(k) * n, n).noalias()
                    = decoder().middleCols(v0, len) * ws.m_logits.middleRows(v0, len);
            }
        });
        ws.m_dH.noalias() = ws.m_dXParts.leftCols(n) + ws.m_dXParts.rightCols(n);
    }
    if constexpr (std::is_same<Scalar, float>::value)
        if (wantGrad && targets)
            for (Eigen::Index c = 0; c < ws.m_biasGradParts.cols(); ++c)
                grads->m_decoderBias.col(0) += ws.m_biasGradParts.col(c);
    if (wantGrad)
        ws.m_seconds.decoderBackward += lapSeconds(lap);
    double total = 0;
    for (double v : ws.m_columnLoss)
        total += v;
    return total;
}

template <typename Scalar>
void LanguageModel<Scalar>::backward(
    const std::int32_t *inputs, int T, int B, Workspace &ws, Gradients &grads) const
{
    const int L = m_config.layers;
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    const Eigen::Index V = m_config.vocabSize;
    const Mat &dLogits = ws.m_logits; // (V, N), already d(mean loss)/d(logits); ws.m_dH = dx_L

    // Decoder weights, split over words:  dW (H, V) = x_L dLogits^T,  db += rowsum(dLogits).
    // Tied, dW adds to the embedding's gradient; untied, it is the decoder's whole gradient, so
    // zeroGrad() leaves that alone and the product writes it without reading it first.
    const bool tied = m_config.tied;
    Mat &gDecoder = tied ? grads.m_encoder : grads.m_decoder;
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(V), 256, [&](std::size_t b, std::size_t e) {
        const Eigen::Index v0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        if (tied)
            gDecoder.middleCols(v0, len).noalias()
                += ws.m_x[L] * dLogits.middleRows(v0, len).transpose();
        else
            gDecoder.middleCols(v0, len).noalias()
                = ws.m_x[L] * dLogits.middleRows(v0, len).transpose();
        if constexpr (!std::is_same<Scalar, float>::value) // float: summed in decode()
            grads.m_decoderBias.middleRows(v0, len) += dLogits.middleRows(v0, len).rowwise().sum();
    });
    ws.m_seconds.decoderBackward += lapSeconds(lap);

    for (int l = L - 1; l >= 0; --l) {
        if (ws.m_dropoutOn)
            ws.m_dH.array() *= ws.m_mask[l + 1].array(); // through the dropout after layer l
        // The gradient at the layer's input is needed below it, or by a trainable embedding.
        const bool wantInputGrad = l > 0 || !m_frozen;
        m_cell->backward(m_layers[l], ws.m_x[l], T, B, ws.m_dH, grads.m_layers[l],
            wantInputGrad ? &ws.m_dX : nullptr, *ws.m_layers[l]);
        if (wantInputGrad)
            ws.m_dH.swap(ws.m_dX);
    }
    lap = std::chrono::steady_clock::now();

    if (m_frozen)
        return;
    // Embedding: scatter-add the input gradients into the rows that were looked up.
    if (ws.m_dropoutOn)
        ws.m_dH.array() *= ws.m_mask[0].array();
    // <pad> inputs send nothing back, as with nn.Embedding(padding_idx=0).
    for (Eigen::Index n = 0; n < N; ++n) {
        const std::int32_t id = inputs[n];
        if (id == 0)
            continue;
        grads.m_encoder.col(id) += ws.m_dH.col(n);
        if (!grads.m_touchedMask[static_cast<std::size_t>(id)]) {
            grads.m_touchedMask[static_cast<std::size_t>(id)] = 1;
            grads.m_touched.push_back(id);
        }
    }
    ws.m_seconds.embeddingGradient += lapSeconds(lap);
}

template <typename Scalar>
typename LanguageModel<Scalar>::PhaseSeconds LanguageModel<Scalar>::Workspace::seconds() const
{
    PhaseSeconds s = m_seconds;
    for (const auto &layer : m_layers) {
        s.projections += layer->seconds.projections;
        s.recurrence += layer->seconds.recurrence;
        s.backThroughTime += layer->seconds.backThroughTime;
        s.weightGradients += layer->seconds.weightGradients;
        s.inputGradients += layer->seconds.inputGradients;
    }
    return s;
}

template <typename Scalar>
double LanguageModel<Scalar>::forwardBackward(const std::int32_t *inputs,
    const std::int32_t *targets, int T, int B, State &state, Rng &rng, Workspace &ws,
    Gradients &grads) const
{
    forward(inputs, T, B, state, &rng, ws);
    const int n = T * B;
    const double loss = decode(targets, n, ws, &grads) / n;
    backward(inputs, T, B, ws, grads);
    return loss;
}

template <typename Scalar>
double LanguageModel<Scalar>::forwardLoss(const std::int32_t *inputs, const std::int32_t *targets,
    int T, int B, State &state, Workspace &ws, Rng *rng) const
{
    forward(inputs, T, B, state, rng, ws);
    return decode(targets, T * B, ws, nullptr);
}

template <typename Scalar>
const typename LanguageModel<Scalar>::Mat &LanguageModel<Scalar>::forwardLogits(
    const std::int32_t *inputs, int T, int B, State &state, Workspace &ws) const
{
    forward(inputs, T, B, state, nullptr, ws);
    decode(nullptr, T * B, ws, nullptr);
    return ws.m_logits;
}

template class LanguageModel<float>;
template class LanguageModel<double>;

} // namespace embedlab
