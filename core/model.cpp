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

template <typename Scalar>
LstmLanguageModel<Scalar>::LstmLanguageModel(const ModelConfig &config)
    : m_config(config)
{
    m_config.validate();
    const int V = config.vocabSize, E = config.embeddingDim, H = config.hiddenSize;
    const int L = config.layers;
    m_encoder = Mat::Zero(E, V);
    m_gEncoder = Mat::Zero(E, V);
    m_touchedMask.assign(static_cast<std::size_t>(V), 0);
    if (!config.tied) {
        m_decoder = Mat::Zero(H, V);
        m_gDecoder = Mat::Zero(H, V);
    }
    m_decoderBias = Mat::Zero(V, 1);
    m_gDecoderBias = Mat::Zero(V, 1);
    for (int l = 0; l < L; ++l) {
        const int in = l == 0 ? E : H;
        m_wIh.push_back(Mat::Zero(in, 4 * H));
        m_wHh.push_back(Mat::Zero(H, 4 * H));
        m_bIh.push_back(Mat::Zero(4 * H, 1));
        m_bHh.push_back(Mat::Zero(4 * H, 1));
        m_gWIh.push_back(Mat::Zero(in, 4 * H));
        m_gWHh.push_back(Mat::Zero(H, 4 * H));
        m_gBIh.push_back(Mat::Zero(4 * H, 1));
        m_gBHh.push_back(Mat::Zero(4 * H, 1));
    }
    m_x.resize(L + 1);
    m_mask.resize(L + 1);
    m_gates.resize(L);
    m_c.resize(L);
    m_tanhC.resize(L);
    m_h.resize(L);
    m_h0.resize(L);
    m_c0.resize(L);
}

template <typename Scalar>
void LstmLanguageModel<Scalar>::initRandom(std::uint64_t seed, double embeddingRange)
{
    Rng rng(seed);
    auto fill = [&rng](Mat &m, double range) {
        for (Eigen::Index i = 0; i < m.size(); ++i)
            m.data()[i] = static_cast<Scalar>(rng.uniform(-range, range));
    };
    fill(m_encoder, embeddingRange);
    m_encoder.col(0).setZero(); // <pad>
    const double k = 1.0 / std::sqrt(static_cast<double>(m_config.hiddenSize));
    for (int l = 0; l < m_config.layers; ++l) {
        fill(m_wIh[l], k);
        fill(m_wHh[l], k);
        fill(m_bIh[l], k);
        fill(m_bHh[l], k);
    }
    if (!m_config.tied)
        fill(m_decoder, 0.1);
    m_decoderBias.setZero();
}

template <typename Scalar>
std::vector<typename LstmLanguageModel<Scalar>::Param> LstmLanguageModel<Scalar>::parameters()
{
    const std::int64_t V = m_config.vocabSize, E = m_config.embeddingDim, H = m_config.hiddenSize;
    std::vector<Param> p;
    p.push_back({ "encoder.weight", { V, E }, &m_encoder, &m_gEncoder });
    for (int l = 0; l < m_config.layers; ++l) {
        const std::int64_t in = l == 0 ? E : H;
        const std::string k = std::to_string(l);
        p.push_back({ "rnn.weight_ih_l" + k, { 4 * H, in }, &m_wIh[l], &m_gWIh[l] });
        p.push_back({ "rnn.weight_hh_l" + k, { 4 * H, H }, &m_wHh[l], &m_gWHh[l] });
        p.push_back({ "rnn.bias_ih_l" + k, { 4 * H }, &m_bIh[l], &m_gBIh[l] });
        p.push_back({ "rnn.bias_hh_l" + k, { 4 * H }, &m_bHh[l], &m_gBHh[l] });
    }
    if (!m_config.tied)
        p.push_back({ "decoder.weight", { V, H }, &m_decoder, &m_gDecoder });
    p.push_back({ "decoder.bias", { V }, &m_decoderBias, &m_gDecoderBias });
    return p;
}

template <typename Scalar>
std::vector<typename LstmLanguageModel<Scalar>::Param>
LstmLanguageModel<Scalar>::trainableParameters()
{
    auto p = parameters();
    if (m_frozen)
        p.erase(p.begin()); // encoder.weight (never tied when frozen: see Trainer)
    return p;
}

template <typename Scalar>
typename LstmLanguageModel<Scalar>::State LstmLanguageModel<Scalar>::zeroState(int batch) const
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
constexpr std::size_t kElementBlock = std::size_t(1) << 15;

template <typename Scalar, typename Fn> void forEachBlock(std::size_t n, const Fn &fn)
{
    const std::size_t blocks = (n + kElementBlock - 1) / kElementBlock;
    parallelFor(blocks, 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k)
            fn(k, k * kElementBlock, std::min(kElementBlock, n - k * kElementBlock));
    });
}

template <typename Scalar>
double squaredNormOf(const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> &m)
{
    using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    const std::size_t n = static_cast<std::size_t>(m.size());
    std::vector<double> parts((n + kElementBlock - 1) / kElementBlock, 0.0);
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

template <typename Scalar> void LstmLanguageModel<Scalar>::sgdStep(Scalar step)
{
    using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    const auto *columns = encoderGradColumns();
    for (auto &p : trainableParameters()) {
        if (p.value == &m_encoder && columns) {
            for (std::int32_t c : *columns) // the other rows have zero gradient
                m_encoder.col(c).noalias() -= step * m_gEncoder.col(c);
            continue;
        }
        Scalar *w = p.value->data();
        const Scalar *g = p.grad->data();
        forEachBlock<Scalar>(static_cast<std::size_t>(p.value->size()),
            [&](std::size_t, std::size_t lo, std::size_t len) {
                const auto l = static_cast<Eigen::Index>(len);
                Eigen::Map<Vec>(w + lo, l).noalias() -= step * Eigen::Map<const Vec>(g + lo, l);
            });
    }
}

template <typename Scalar> void LstmLanguageModel<Scalar>::zeroGrad()
{
    for (auto &p : parameters()) {
        if (p.grad == &m_gEncoder && encoderGradColumns()) {
            for (std::int32_t c : m_touched)
                m_gEncoder.col(c).setZero();
        } else {
            setZeroOf(*p.grad);
        }
    }
    for (std::int32_t c : m_touched)
        m_touchedMask[static_cast<std::size_t>(c)] = 0;
    m_touched.clear();
}

template <typename Scalar>
const std::vector<std::int32_t> *LstmLanguageModel<Scalar>::encoderGradColumns() const
{
    // Only looked-up rows receive gradient, unless the decoder (tied) writes into every row.
    return m_config.tied ? nullptr : &m_touched;
}

template <typename Scalar> double LstmLanguageModel<Scalar>::gradNorm()
{
    double sum = 0;
    for (auto &p : trainableParameters()) {
        if (p.grad == &m_gEncoder && encoderGradColumns()) {
            for (std::int32_t c : m_touched)
                sum += static_cast<double>(m_gEncoder.col(c).squaredNorm());
        } else {
            sum += squaredNormOf(*p.grad);
        }
    }
    return std::sqrt(sum);
}

template <typename Scalar> void LstmLanguageModel<Scalar>::scaleGrad(Scalar factor)
{
    for (auto &p : trainableParameters()) {
        if (p.grad == &m_gEncoder && encoderGradColumns()) {
            for (std::int32_t c : m_touched)
                m_gEncoder.col(c) *= factor;
        } else {
            *p.grad *= factor;
        }
    }
}

template <typename Scalar>
void LstmLanguageModel<Scalar>::makeDropoutMask(
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
constexpr std::size_t kMinColumns = 32;

} // namespace

template <typename Scalar>
void LstmLanguageModel<Scalar>::forward(
    const std::int32_t *inputs, int T, int B, State &state, Rng *rng)
{
    const int L = m_config.layers, H = m_config.hiddenSize, E = m_config.embeddingDim;
    const int V = m_config.vocabSize;
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    m_dropoutOn = rng != nullptr && m_config.dropout > 0;
    if (static_cast<int>(state.h.size()) != L || state.h[0].cols() != B)
        state = zeroState(B);

    // x0 = dropout(encoder[:, inputs])          x0: (E, N)
    Mat &x0 = m_x[0];
    x0.resize(E, N);
    for (Eigen::Index n = 0; n < N; ++n) {
        const int id = inputs[n];
        if (id < 0 || id >= V)
            throw Error("token id " + std::to_string(id) + " is outside the vocabulary (size "
                + std::to_string(V) + ")");
        x0.col(n) = m_encoder.col(id);
    }
    if (m_dropoutOn) {
        makeDropoutMask(m_mask[0], E, N, *rng);
        x0.array() *= m_mask[0].array();
    }

    for (int l = 0; l < L; ++l) {
        const Mat &x = m_x[l];
        Mat &gates = m_gates[l]; // (4H, N)
        m_h0[l] = state.h[l];
        m_c0[l] = state.c[l];
        gates.resize(4 * H, N);
        m_c[l].resize(H, N);
        m_tanhC[l].resize(H, N);
        m_h[l].resize(H, N);
        const Mat bias = m_bIh[l] + m_bHh[l];
        // Input projections of the whole window at once: (4H, in) x (in, N), split by columns.
        parallelFor(static_cast<std::size_t>(N), kMinColumns, [&](std::size_t b, std::size_t e) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(b);
            const Eigen::Index len = static_cast<Eigen::Index>(e - b);
            auto g = gates.middleCols(c0, len);
            g.noalias() = m_wIh[l].transpose() * x.middleCols(c0, len);
            g.colwise() += bias.col(0);
        });
        // The recurrence: streams are independent, so each thread runs its own streams through
        // all T steps without synchronising.               gates_t: (4H, nb)
        parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
            const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
            const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
            for (int t = 0; t < T; ++t) {
                const Eigen::Index col = static_cast<Eigen::Index>(t) * B + s0;
                auto g = gates.middleCols(col, nb);
                if (t == 0)
                    g.noalias() += m_wHh[l].transpose() * m_h0[l].middleCols(s0, nb);
                else
                    g.noalias() += m_wHh[l].transpose() * m_h[l].middleCols(col - B, nb);
                auto a = g.array();
                a.topRows(2 * H) = (Scalar(1) + (-a.topRows(2 * H)).exp()).inverse();
                a.middleRows(2 * H, H) = a.middleRows(2 * H, H).tanh();
                a.bottomRows(H) = (Scalar(1) + (-a.bottomRows(H)).exp()).inverse();
                auto c = m_c[l].middleCols(col, nb).array();
                if (t == 0)
                    c = a.middleRows(H, H) * m_c0[l].middleCols(s0, nb).array()
                        + a.topRows(H) * a.middleRows(2 * H, H);
                else
                    c = a.middleRows(H, H) * m_c[l].middleCols(col - B, nb).array()
                        + a.topRows(H) * a.middleRows(2 * H, H);
                auto tc = m_tanhC[l].middleCols(col, nb).array();
                tc = c.tanh();
                m_h[l].middleCols(col, nb).array() = a.bottomRows(H) * tc;
            }
        });
        state.h[l] = m_h[l].rightCols(B);
        state.c[l] = m_c[l].rightCols(B);
        // Input of the next layer (or of the decoder), with dropout.    x: (H, N)
        m_x[l + 1] = m_h[l];
        if (m_dropoutOn) {
            makeDropoutMask(m_mask[l + 1], H, N, *rng);
            m_x[l + 1].array() *= m_mask[l + 1].array();
        }
    }
    m_logits.resize(V, N);
}

template <typename Scalar>
double LstmLanguageModel<Scalar>::decode(const std::int32_t *targets, int n, bool wantGrad)
{
    const Eigen::Index V = m_logits.rows();
    const int L = m_config.layers;
    if (targets)
        for (int j = 0; j < n; ++j)
            if (targets[j] < 0 || targets[j] >= V)
                throw Error("target id " + std::to_string(targets[j])
                    + " is outside the vocabulary (size " + std::to_string(V) + ")");
    // Per-column losses summed in order afterwards, so the total does not depend on threading.
    m_columnLoss.assign(static_cast<std::size_t>(n), 0.0);
    if (wantGrad && targets)
        m_biasGradParts.setZero(V,
            (n + static_cast<Eigen::Index>(kMinColumns) - 1)
                / static_cast<Eigen::Index>(kMinColumns));
    const Scalar invN = Scalar(1) / static_cast<Scalar>(n);
    const Mat &x = m_x[L];
    if (wantGrad)
        m_dH.resize(x.rows(), n);
    // Each thread takes a block of tokens through the decoder, the softmax and (for training)
    // back through the decoder to its input:
    //   logits (V, n) = W^T x + b;  dlogits = (softmax - onehot) / n;  dx (H, n) = W dlogits
    // The products are split over words (rows of the logits), so each thread packs only its
    // share of the decoder weight; the softmax is split over tokens (columns).
    parallelFor(static_cast<std::size_t>(V), 256, [&](std::size_t b, std::size_t e) {
        const Eigen::Index v0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        m_logits.middleRows(v0, len).noalias() = decoder().middleCols(v0, len).transpose() * x;
    });
    // Whole blocks of kMinColumns tokens per thread: each block owns one column of the
    // partial bias gradients, so no two threads write the same one.
    const std::size_t blocks = (static_cast<std::size_t>(n) + kMinColumns - 1) / kMinColumns;
    parallelFor(blocks, 1, [&](std::size_t blockBegin, std::size_t blockEnd) {
        const std::size_t b = blockBegin * kMinColumns;
        const std::size_t e = std::min(static_cast<std::size_t>(n), blockEnd * kMinColumns);
        const Eigen::Index c0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto logits = m_logits.middleCols(c0, len);
        constexpr bool fused = std::is_same<Scalar, float>::value;
        if (!targets || !fused)
            logits.colwise() += m_decoderBias.col(0);
        if (!targets)
            return;
        for (std::size_t j = b; j < e; ++j) {
            Scalar *col = m_logits.col(static_cast<Eigen::Index>(j)).data();
            if constexpr (fused) {
                // Bias, softmax, gradient and the bias gradient in one pass over the column; the
                // bias gradient goes to a partial sum per block of columns, summed in order below.
                const std::size_t t = static_cast<std::size_t>(targets[j]);
                if (wantGrad)
                    m_columnLoss[j] = kernels::softmaxCrossEntropyGradBias(col,
                        m_decoderBias.data(), static_cast<std::size_t>(V), t, invN,
                        m_biasGradParts.col(static_cast<Eigen::Index>(j / kMinColumns)).data());
                else
                    m_columnLoss[j] = kernels::logSumExpBias(
                                          col, m_decoderBias.data(), static_cast<std::size_t>(V))
                        - col[t];
            } else {
                auto a = m_logits.col(static_cast<Eigen::Index>(j)).array();
                const Scalar mx = a.maxCoeff();
                const Scalar target = col[targets[j]];
                if (wantGrad) {
                    a = (a - mx).exp();
                    const Scalar s = a.sum();
                    m_columnLoss[j] = static_cast<double>(std::log(s) + mx - target);
                    a *= invN / s;
                    col[targets[j]] -= invN;
                } else {
                    const Scalar s = (a - mx).exp().sum();
                    m_columnLoss[j] = static_cast<double>(std::log(s) + mx - target);
                }
            }
        }
    });
    if (wantGrad) {
        // dx (H, n) = W dlogits as two halves of the words summed in a fixed order, whatever
        // the number of threads.
        const Eigen::Index half = V / 2;
        m_dXParts.resize(x.rows(), 2 * n);
        parallelFor(2, 1, [&](std::size_t b, std::size_t e) {
            for (std::size_t k = b; k < e; ++k) {
                const Eigen::Index v0 = k == 0 ? 0 : half, len = k == 0 ? half : V - half;
                m_dXParts.middleCols(static_cast<Eigen::Index>(k) * n, n).noalias()
                    = decoder().middleCols(v0, len) * m_logits.middleRows(v0, len);
            }
        });
        m_dH.noalias() = m_dXParts.leftCols(n) + m_dXParts.rightCols(n);
    }
    if constexpr (std::is_same<Scalar, float>::value)
        if (wantGrad && targets)
            for (Eigen::Index c = 0; c < m_biasGradParts.cols(); ++c)
                m_gDecoderBias.col(0) += m_biasGradParts.col(c);
    double total = 0;
    for (double v : m_columnLoss)
        total += v;
    return total;
}

template <typename Scalar>
void LstmLanguageModel<Scalar>::backward(const std::int32_t *inputs, int T, int B)
{
    const int L = m_config.layers, H = m_config.hiddenSize;
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    const Eigen::Index V = m_config.vocabSize;
    const Mat &dLogits = m_logits; // (V, N), already d(mean loss)/d(logits); m_dH = dx_L

    // Decoder weights, split over words:  dW (H, V) += x_L dLogits^T,  db += rowsum(dLogits)
    Mat &gDecoder = m_config.tied ? m_gEncoder : m_gDecoder;
    parallelFor(static_cast<std::size_t>(V), 256, [&](std::size_t b, std::size_t e) {
        const Eigen::Index v0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        gDecoder.middleCols(v0, len).noalias() += m_x[L] * dLogits.middleRows(v0, len).transpose();
        if constexpr (!std::is_same<Scalar, float>::value) // float: summed in decode()
            m_gDecoderBias.middleRows(v0, len) += dLogits.middleRows(v0, len).rowwise().sum();
    });

    for (int l = L - 1; l >= 0; --l) {
        if (m_dropoutOn)
            m_dH.array() *= m_mask[l + 1].array(); // through the dropout after layer l
        const Mat &gates = m_gates[l];
        m_dGates.resize(4 * H, N); // d(loss)/d(pre-activation gates)
        // Back through time, each thread with its own streams (as in forward).
        parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
            const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
            const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
            Mat dhNext = Mat::Zero(H, nb), dcNext = Mat::Zero(H, nb);
            Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic> dc(H, nb), dh(H, nb);
            for (int t = T - 1; t >= 0; --t) {
                const Eigen::Index c0 = static_cast<Eigen::Index>(t) * B + s0;
                auto gi = gates.middleRows(0, H).middleCols(c0, nb).array();
                auto gf = gates.middleRows(H, H).middleCols(c0, nb).array();
                auto gg = gates.middleRows(2 * H, H).middleCols(c0, nb).array();
                auto go = gates.middleRows(3 * H, H).middleCols(c0, nb).array();
                auto tc = m_tanhC[l].middleCols(c0, nb).array();
                dh = m_dH.middleCols(c0, nb).array() + dhNext.array();
                // dc = dh * o * (1 - tanh(c)^2) + dc from step t+1
                dc = dh * go * (Scalar(1) - tc.square()) + dcNext.array();
                auto dG = m_dGates.middleCols(c0, nb);
                dG.middleRows(0, H).array() = dc * gg * gi * (Scalar(1) - gi);
                if (t == 0)
                    dG.middleRows(H, H).array()
                        = dc * m_c0[l].middleCols(s0, nb).array() * gf * (Scalar(1) - gf);
                else
                    dG.middleRows(H, H).array()
                        = dc * m_c[l].middleCols(c0 - B, nb).array() * gf * (Scalar(1) - gf);
                dG.middleRows(2 * H, H).array() = dc * gi * (Scalar(1) - gg.square());
                dG.middleRows(3 * H, H).array() = dh * tc * go * (Scalar(1) - go);
                dcNext.array() = dc * gf;
                // dh_{t-1} = W_hh^T dG_t                      (H, 4H) x (4H, nb)
                if (t > 0)
                    dhNext.noalias() = m_wHh[l] * dG;
            }
        });
        // Weight gradients for the whole window, split over the 4H gate rows:
        //   dW_hh (H, 4H) += [h0, h_0..h_{T-2}] dG^T,  dW_ih (in, 4H) += x dG^T
        parallelFor(static_cast<std::size_t>(4 * H), 16, [&](std::size_t b, std::size_t e) {
            const Eigen::Index j0 = static_cast<Eigen::Index>(b);
            const Eigen::Index len = static_cast<Eigen::Index>(e - b);
            auto dG = m_dGates.middleRows(j0, len);
            m_gWHh[l].middleCols(j0, len).noalias() += m_h0[l] * dG.leftCols(B).transpose();
            if (T > 1)
                m_gWHh[l].middleCols(j0, len).noalias()
                    += m_h[l].leftCols(N - B) * dG.rightCols(N - B).transpose();
            m_gWIh[l].middleCols(j0, len).noalias() += m_x[l] * dG.transpose();
            const Mat db = dG.rowwise().sum();
            m_gBIh[l].middleRows(j0, len) += db;
            m_gBHh[l].middleRows(j0, len) += db;
        });
        //   dx (in, N) = W_ih^T dG   (in, 4H) x (4H, N)
        if (l > 0 || !m_frozen) {
            m_dX.resize(m_wIh[l].rows(), N);
            parallelFor(
                static_cast<std::size_t>(N), kMinColumns, [&](std::size_t b, std::size_t e) {
                    const Eigen::Index c0 = static_cast<Eigen::Index>(b);
                    const Eigen::Index len = static_cast<Eigen::Index>(e - b);
                    m_dX.middleCols(c0, len).noalias() = m_wIh[l] * m_dGates.middleCols(c0, len);
                });
            m_dH.swap(m_dX);
        }
    }

    if (m_frozen)
        return;
    // Embedding: scatter-add the input gradients into the rows that were looked up.
    if (m_dropoutOn)
        m_dH.array() *= m_mask[0].array();
    // <pad> inputs send nothing back, as with nn.Embedding(padding_idx=0).
    for (Eigen::Index n = 0; n < N; ++n) {
        const std::int32_t id = inputs[n];
        if (id == 0)
            continue;
        m_gEncoder.col(id) += m_dH.col(n);
        if (!m_touchedMask[static_cast<std::size_t>(id)]) {
            m_touchedMask[static_cast<std::size_t>(id)] = 1;
            m_touched.push_back(id);
        }
    }
}

template <typename Scalar>
double LstmLanguageModel<Scalar>::forwardBackward(
    const std::int32_t *inputs, const std::int32_t *targets, int T, int B, State &state, Rng &rng)
{
    forward(inputs, T, B, state, &rng);
    const int n = T * B;
    const double loss = decode(targets, n, true) / n;
    backward(inputs, T, B);
    return loss;
}

template <typename Scalar>
double LstmLanguageModel<Scalar>::forwardLoss(
    const std::int32_t *inputs, const std::int32_t *targets, int T, int B, State &state, Rng *rng)
{
    forward(inputs, T, B, state, rng);
    return decode(targets, T * B, false);
}

template <typename Scalar>
const typename LstmLanguageModel<Scalar>::Mat &LstmLanguageModel<Scalar>::forwardLogits(
    const std::int32_t *inputs, int T, int B, State &state)
{
    forward(inputs, T, B, state, nullptr);
    decode(nullptr, T * B, false);
    return m_logits;
}

template class LstmLanguageModel<float>;
template class LstmLanguageModel<double>;

} // namespace embedlab
