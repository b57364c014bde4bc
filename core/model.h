#pragma once
// The language model: embedding -> LSTM layers -> linear decoder -> softmax, with its gradients.
//
// Equations, gate order (i, f, g, o) and parameter layout are those of PyTorch's nn.LSTM inside
// examples/word_language_model's RNNModel. Every weight is stored in an Eigen column-major matrix
// whose memory is exactly PyTorch's row-major tensor, so checkpoints are plain copies:
//   encoder.weight  [V, E]   <-> encoder  (E, V): column v is the vector of word v
//   weight_ih_l{k}  [4H, in] <-> wIh[k]   (in, 4H)
//   weight_hh_l{k}  [4H, H]  <-> wHh[k]   (H, 4H)
//   bias_*_l{k}     [4H]     <-> bIh/bHh[k] (4H, 1)
//   decoder.weight  [V, H]   <-> decoder  (H, V)   (the encoder itself when tied)
//   decoder.bias    [V]      <-> decoderBias (V, 1)
// Activations are (features, T*B) with column t*B + b for time step t of stream b.
#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

#include "core/random.h"

namespace embedlab {

struct ModelConfig
{
    int vocabSize = 0;
    int embeddingDim = 200;
    int hiddenSize = 200;
    int layers = 2;
    double dropout = 0.2; // on the embeddings, between LSTM layers and before the decoder
    bool tied = false; // decoder.weight is encoder.weight (needs embeddingDim == hiddenSize)

    // Throws Error with the first problem found.
    void validate() const;
};

template <typename Scalar> class LstmLanguageModel
{
public:
    using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    // Recurrent state per layer, each (H, B).
    struct State
    {
        std::vector<Mat> h, c;
    };

    // A trainable tensor and its gradient, named as in PyTorch's state_dict.
    struct Param
    {
        std::string name;
        std::vector<std::int64_t> shape; // PyTorch shape (row-major)
        Mat *value = nullptr;
        Mat *grad = nullptr;
    };

    explicit LstmLanguageModel(const ModelConfig &config);

    const ModelConfig &config() const { return m_config; }

    // PyTorch word_language_model initialisation: encoder and decoder uniform(-range, range),
    // decoder bias 0, LSTM uniform(-1/sqrt(H), 1/sqrt(H)); the <pad> row is zero.
    void initRandom(std::uint64_t seed, double embeddingRange = 0.1);

    // Every tensor in state_dict order; a tied model lists decoder.weight once, as encoder.weight.
    // A frozen embedding is left out of trainableParameters().
    std::vector<Param> parameters();
    std::vector<Param> trainableParameters();

    bool embeddingFrozen() const { return m_frozen; }
    void setEmbeddingFrozen(bool frozen) { m_frozen = frozen; }

    State zeroState(int batch) const;

    // One training window: forward with dropout drawn from rng, mean cross-entropy of the T*B
    // targets, and backward with gradients *added* to the grads. `state` enters as the carried
    // state and leaves as the state after the window (no gradient flows into it).
    double forwardBackward(const std::int32_t *inputs, const std::int32_t *targets, int T, int B,
        State &state, Rng &rng);

    // Forward only. Returns the *sum* of the cross-entropies of the T*B targets. With a non-null
    // rng dropout is applied as in training (used by gradient checks), otherwise it is off.
    double forwardLoss(const std::int32_t *inputs, const std::int32_t *targets, int T, int B,
        State &state, Rng *rng = nullptr);

    // Forward only, keeping the decoder output: logits (V, T*B).
    const Mat &forwardLogits(const std::int32_t *inputs, int T, int B, State &state);

    void zeroGrad();
    double gradNorm(); // global L2 norm over the trainable gradients
    void scaleGrad(Scalar factor); // all trainable gradients
    // Plain SGD on the trainable tensors: w -= step * grad (only the looked-up encoder rows).
    void sgdStep(Scalar step);
    // The encoder columns whose gradient can be non-zero since zeroGrad() (the words looked up),
    // or nullptr when every column can be (tied decoder). Lets SGD skip the untouched rows.
    const std::vector<std::int32_t> *encoderGradColumns() const;

    Mat &encoder() { return m_encoder; }
    const Mat &encoder() const { return m_encoder; }
    Mat &wIh(int layer) { return m_wIh[layer]; }
    Mat &wHh(int layer) { return m_wHh[layer]; }
    Mat &bIh(int layer) { return m_bIh[layer]; }
    Mat &bHh(int layer) { return m_bHh[layer]; }
    Mat &decoder() { return m_config.tied ? m_encoder : m_decoder; }
    const Mat &decoder() const { return m_config.tied ? m_encoder : m_decoder; }
    Mat &decoderBias() { return m_decoderBias; }

    Mat &encoderGrad() { return m_gEncoder; }

private:
    // Runs the network on a window; fills the activations needed by backward().
    void forward(const std::int32_t *inputs, int T, int B, State &state, Rng *rng);
    // Decoder and softmax cross-entropy: fills the logits (V, n) and returns the summed loss of
    // the targets (none: logits only). With wantGrad the logits are replaced by d(mean loss)/
    // d(logits) and m_dH receives the gradient at the decoder's input.
    double decode(const std::int32_t *targets, int n, bool wantGrad);
    void backward(const std::int32_t *inputs, int T, int B);
    void makeDropoutMask(Mat &mask, Eigen::Index rows, Eigen::Index cols, Rng &rng) const;

    ModelConfig m_config;
    bool m_frozen = false;

    Mat m_encoder, m_decoder, m_decoderBias;
    std::vector<Mat> m_wIh, m_wHh, m_bIh, m_bHh;
    Mat m_gEncoder, m_gDecoder, m_gDecoderBias;
    std::vector<std::int32_t> m_touched; // encoder columns with gradient
    std::vector<std::uint8_t> m_touchedMask; // (V) 1 where listed in m_touched
    std::vector<Mat> m_gWIh, m_gWHh, m_gBIh, m_gBHh;

    // Scratch for the last window, reused between windows.
    bool m_dropoutOn = false;
    std::vector<Mat> m_x; // input of layer l (after dropout); m_x[L] feeds the decoder
    std::vector<Mat> m_mask; // dropout masks (already scaled by 1/(1-p)), same shapes as m_x
    std::vector<Mat> m_gates; // (4H, N) activated gates i, f, g, o
    std::vector<Mat> m_c; // (H, N) cell states
    std::vector<Mat> m_tanhC; // (H, N)
    std::vector<Mat> m_h; // (H, N) layer outputs before dropout
    std::vector<Mat> m_h0, m_c0; // (H, B) state entering the window
    Mat m_logits; // (V, N)
    std::vector<double> m_columnLoss;
    Mat m_biasGradParts; // (V, blocks of columns): partial decoder-bias gradients
    Mat m_dGates, m_dH, m_dX; // backward scratch
    Mat m_dXParts; // (H, 2n): decoder input gradient from each half of the words
};

extern template class LstmLanguageModel<float>;
extern template class LstmLanguageModel<double>;

} // namespace embedlab
