#pragma once
// The language model: embedding -> recurrent layers -> linear decoder -> softmax.
//
// A model is three things, as fastText separates its Model (shared weights) from the per-thread
// Model::State:
//   - LanguageModel: the configuration and the tensors. Every forward pass is a const member
//     function, so any number of threads can evaluate or generate from one model at once;
//     only initRandom() and the tensor accessors (through which the trainer steps) change it.
//   - Workspace: one thread's activations and scratch for a window, reused between windows (its
//     buffers grow to the largest window seen and stay allocated). Each thread brings its own.
//   - Gradients: d(loss)/d(every tensor), filled by forwardBackward() and read by the optimiser.
//     They are separate from the workspace so that evaluation and generation carry none; a
//     trainer keeps one Gradients and one Workspace for its whole run.
// The recurrent layers are a cell (core/cell.h) chosen by ModelConfig::cell; the model does the
// embedding, the dropout between layers, the decoder and the loss, and asks the cell for its
// tensors and its forward and backward. A new cell is one new file (core/<cell>.{h,cpp}) plus a
// ModelConfig value (CellKind, and its row in the table in core/cell.cpp) plus its tests.
//
// Tensors and layout are those of PyTorch's examples/word_language_model RNNModel. Every tensor
// is an Eigen column-major matrix whose memory is exactly PyTorch's row-major tensor, so
// checkpoints are plain copies:
//   encoder.weight  [V, E]   <-> encoder  (E, V): column v is the vector of word v
//   rnn.*_l{k}               <-> layer k's tensors, as the cell lays them out (core/lstm.h)
//   decoder.weight  [V, H]   <-> decoder  (H, V)   (the encoder itself when tied)
//   decoder.bias    [V]      <-> decoderBias (V, 1)
// Activations are (features, T*B) with column t*B + b for time step t of stream b.
#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/cell.h"
#include "core/random.h"

namespace embedlab {

struct ModelConfig
{
    CellKind cell = CellKind::Lstm;
    int vocabSize = 0;
    int embeddingDim = 200;
    int hiddenSize = 200;
    int layers = 2;
    double dropout = 0.2; // on the embeddings, between recurrent layers and before the decoder
    bool tied = false; // decoder.weight is encoder.weight (needs embeddingDim == hiddenSize)

    // Throws Error with the first problem found.
    void validate() const;
};

template <typename Scalar> class LanguageModel
{
public:
    using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Cell = RecurrentCell<Scalar>;

    // Recurrent state per layer, each (H, B); c is the cell memory (of cells that have one).
    struct State
    {
        std::vector<Mat> h, c;
    };

    // A tensor, named as in PyTorch's state_dict, and its gradient when asked for with one.
    struct Param
    {
        std::string name;
        std::vector<std::int64_t> shape; // PyTorch shape (row-major)
        Mat *value = nullptr;
        Mat *grad = nullptr;
    };

    // Wall-clock seconds by phase, summed over the windows a workspace ran: the embedding lookup
    // (and its dropout), the layers' input projections and recurrence, the decoder and softmax,
    // then backward: the decoder's gradients (at its input and of its weights), the layers (back
    // through time, weight gradients, gradients at their inputs) and the embedding's gradient.
    struct PhaseSeconds
    {
        double embedding = 0, projections = 0, recurrence = 0, decoder = 0, decoderBackward = 0,
               backThroughTime = 0, weightGradients = 0, inputGradients = 0, embeddingGradient = 0;
        double total() const
        {
            return embedding + projections + recurrence + decoder + decoderBackward
                + backThroughTime + weightGradients + inputGradients + embeddingGradient;
        }
    };

    // One thread's activations and scratch; sized by the first window it runs.
    class Workspace
    {
    public:
        Workspace() = default;
        PhaseSeconds seconds() const;

    private:
        friend class LanguageModel;
        const Cell *m_cell = nullptr; // the cell m_layers belong to
        bool m_dropoutOn = false;
        std::vector<Mat> m_x; // input of layer l (after dropout); m_x[L] feeds the decoder
        std::vector<Mat> m_mask; // dropout masks (already scaled by 1/(1-p)), shaped as m_x
        std::vector<std::unique_ptr<typename Cell::Workspace>> m_layers;
        Mat m_logits; // (V, N)
        std::vector<double> m_columnLoss;
        Mat m_biasGradParts; // (V, blocks of columns): partial decoder-bias gradients
        Mat m_dH, m_dX; // (H, N) gradient at a layer's output / input
        Mat m_dXParts; // (H, 2n): decoder input gradient from each half of the words
        PhaseSeconds m_seconds; // the phases timed here (the layers' are in m_layers)
    };

    // The gradient of every tensor, shaped like it; forwardBackward() adds to it, except to an
    // untied decoder's, which it writes whole.
    class Gradients
    {
    public:
        Gradients() = default;
        explicit Gradients(const LanguageModel &model);

        Mat &encoder() { return m_encoder; }
        const Mat &encoder() const { return m_encoder; }
        // The encoder columns whose gradient can be non-zero since the last zeroGrad() (the words
        // looked up), or nullptr when every column can be (tied decoder). Lets SGD skip the rest.
        const std::vector<std::int32_t> *encoderColumns() const;

    private:
        friend class LanguageModel;
        bool m_tied = false;
        Mat m_encoder, m_decoder, m_decoderBias;
        std::vector<std::vector<Mat>> m_layers; // in the cell's layout order
        std::vector<std::int32_t> m_touched; // encoder columns with gradient
        std::vector<std::uint8_t> m_touchedMask; // (V) 1 where listed in m_touched
    };

    explicit LanguageModel(const ModelConfig &config);

    const ModelConfig &config() const { return m_config; }
    const Cell &cell() const { return *m_cell; }

    // Every tensor's name and PyTorch shape in state_dict order (a tied model has no
    // decoder.weight), without building a model: what a checkpoint of this configuration holds.
    static std::vector<TensorSpec> layout(const ModelConfig &config);

    // PyTorch word_language_model initialisation: encoder and decoder uniform(-range, range),
    // decoder bias 0, the recurrent layers as the cell initialises them; the <pad> row is zero.
    void initRandom(std::uint64_t seed, double embeddingRange = 0.1);

    // Every tensor in state_dict order; a tied model lists decoder.weight once, as encoder.weight.
    // A frozen embedding is left out of trainableParameters(). With `grads`, each tensor comes
    // with its gradient there.
    std::vector<Param> parameters();
    std::vector<Param> parameters(Gradients &grads);
    std::vector<Param> trainableParameters();
    std::vector<Param> trainableParameters(Gradients &grads);

    bool embeddingFrozen() const { return m_frozen; }
    void setEmbeddingFrozen(bool frozen) { m_frozen = frozen; }

    State zeroState(int batch) const;

    // One training window: forward with dropout drawn from rng, mean cross-entropy of the T*B
    // targets, and backward with gradients *added* to grads. `state` enters as the carried
    // state and leaves as the state after the window (no gradient flows into it).
    double forwardBackward(const std::int32_t *inputs, const std::int32_t *targets, int T, int B,
        State &state, Rng &rng, Workspace &ws, Gradients &grads) const;

    // Forward only. Returns the *sum* of the cross-entropies of the T*B targets. With a non-null
    // rng dropout is applied as in training (used by gradient checks), otherwise it is off.
    double forwardLoss(const std::int32_t *inputs, const std::int32_t *targets, int T, int B,
        State &state, Workspace &ws, Rng *rng = nullptr) const;

    // Forward only, keeping the decoder output: logits (V, T*B), valid until ws runs again.
    const Mat &forwardLogits(
        const std::int32_t *inputs, int T, int B, State &state, Workspace &ws) const;

    // Clears the gradients forwardBackward() adds to (not an untied decoder's, which it writes).
    void zeroGrad(Gradients &grads) const;
    double gradNorm(const Gradients &grads) const; // global L2 norm over the trainable gradients
    void scaleGrad(Gradients &grads, Scalar factor) const; // all trainable gradients

    Mat &encoder() { return m_encoder; }
    const Mat &encoder() const { return m_encoder; }
    Mat &decoder() { return m_config.tied ? m_encoder : m_decoder; }
    const Mat &decoder() const { return m_config.tied ? m_encoder : m_decoder; }
    Mat &decoderBias() { return m_decoderBias; }
    // Layer l's tensors in the cell's layout order (rnn.*_l{l}).
    std::vector<Mat> &layer(int l) { return m_layers[static_cast<std::size_t>(l)]; }
    const std::vector<Mat> &layer(int l) const { return m_layers[static_cast<std::size_t>(l)]; }

private:
    // Runs the network on a window; fills the activations in ws needed by backward().
    void forward(
        const std::int32_t *inputs, int T, int B, State &state, Rng *rng, Workspace &ws) const;
    // Decoder and softmax cross-entropy: fills the logits (V, n) and returns the summed loss of
    // the targets (none: logits only). With grads the logits are replaced by d(mean loss)/
    // d(logits), ws.m_dH receives the gradient at the decoder's input and (float) the decoder
    // bias gradient is added to grads.
    double decode(const std::int32_t *targets, int n, Workspace &ws, Gradients *grads) const;
    void backward(const std::int32_t *inputs, int T, int B, Workspace &ws, Gradients &grads) const;
    void makeDropoutMask(Mat &mask, Eigen::Index rows, Eigen::Index cols, Rng &rng) const;
    // fn(gradient, isEncoder) for each trainable tensor's gradient, in trainableParameters() order.
    template <typename G, typename Fn> void forEachTrainableGrad(G &grads, const Fn &fn) const;

    ModelConfig m_config;
    const Cell *m_cell = nullptr;
    bool m_frozen = false;
    std::vector<TensorSpec> m_layout; // of layout(m_config), for parameters()

    Mat m_encoder, m_decoder, m_decoderBias;
    std::vector<std::vector<Mat>> m_layers; // layer l's tensors, in the cell's layout order
};

extern template class LanguageModel<float>;
extern template class LanguageModel<double>;

} // namespace embedlab
