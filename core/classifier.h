#pragma once
// The text classifier: embedding -> recurrent layers -> pooling over the real steps -> linear
// head -> softmax cross-entropy, and the loop that trains it on padded batches.
//
// As the language model (core/model.h), a TextClassifier holds the configuration and tensors and
// its passes are const; each thread brings a Workspace, and gradients live in Gradients.
// Tensors and their PyTorch names (column-major storage is the row-major tensor's memory):
//   encoder.weight     [V, E] <-> (E, V)    row 0 is <pad>
//   rnn.*_l{k}                <-> layer k's tensors, as the cell lays them out (core/cell.h)
//   classifier.weight  [C, H] <-> (H, C)
//   classifier.bias    [C]    <-> (C, 1)
//
// Inputs are padded rows (B, L) of ids (core/padding.h); id 0 (<pad>) is masked: an example's
// real tokens are its non-pad ids in order, and the recurrent layers run over those only,
// starting from the zero state, exactly as PyTorch's pack_padded_sequence (and Keras'
// mask_zero=True) do. So a pad changes neither the state read out, nor the loss, nor any
// gradient, whichever side it is on. The batch is run as groups of examples of equal real length
// (each one window of the cell); an example with no real token pools to the zero vector.
#include <Eigen/Core>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/cell.h"
#include "core/labelled.h"
#include "core/padding.h"
#include "core/random.h"
#include "core/trainer.h"

namespace embedlab {

enum class Pooling {
    Last, // the output at the last real token (the final hidden state)
    Mean, // the mean of the outputs over the real steps
    Max, // the element-wise maximum over the real steps
};
const char *poolingName(Pooling pooling); // "last", "mean", "max"
bool parsePooling(const std::string &name, Pooling &out);

struct ClassifierConfig
{
    CellKind cell = CellKind::Lstm;
    int vocabSize = 0;
    int embeddingDim = 64;
    int hiddenSize = 64;
    int layers = 1;
    int classes = 2;
    Pooling pooling = Pooling::Last;

    void validate() const; // throws Error
};

template <typename Scalar> class TextClassifier
{
public:
    using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Cell = RecurrentCell<Scalar>;

    struct Param
    {
        std::string name;
        std::vector<std::int64_t> shape;
        Mat *value = nullptr;
        Mat *grad = nullptr;
    };

    class Workspace
    {
    public:
        Workspace() = default;

    private:
        friend class TextClassifier;
        std::vector<std::unique_ptr<typename Cell::Workspace>> m_layers;
        std::vector<std::int32_t> m_lengths, m_order; // real lengths; examples by length
        std::vector<std::int32_t> m_tokens; // a group's tokens, column t*Bg + j
        Mat m_x; // (E, T*Bg) a group's embeddings
        Mat m_h, m_c; // (H, Bg) carried state (always zero on entry)
        Mat m_pooled; // (H, Bg)
        std::vector<Eigen::Index> m_argmax; // (H*Bg) max pooling: the column of the maximum
        Mat m_logits; // (C, Bg), then d(loss)/d(logits)
        Mat m_dPooled, m_dOut, m_dX; // (H, Bg), (H, T*Bg), (in, T*Bg)
    };

    class Gradients
    {
    public:
        Gradients() = default;
        explicit Gradients(const TextClassifier &model);

    private:
        friend class TextClassifier;
        Mat m_encoder, m_weight, m_bias;
        std::vector<std::vector<Mat>> m_layers;
    };

    explicit TextClassifier(const ClassifierConfig &config);

    const ClassifierConfig &config() const { return m_config; }
    const Cell &cell() const { return *m_cell; }
    static std::vector<TensorSpec> layout(const ClassifierConfig &config);

    // PyTorch's defaults for nn.Embedding(padding_idx=0) (normal(0, 1), the <pad> row zero), the
    // recurrent layers (uniform(-1/sqrt(H), 1/sqrt(H))) and nn.Linear (weight and bias
    // uniform(-1/sqrt(H), 1/sqrt(H))).
    void initRandom(std::uint64_t seed);

    // Every tensor in state_dict order, with its gradient in grads when given.
    std::vector<Param> parameters();
    std::vector<Param> parameters(Gradients &grads);

    // One batch of B padded rows of length L (ids[b*L + t]) with their labels: the mean
    // cross-entropy, its gradients *added* to grads. *correct (if given) gets the number of
    // examples whose most probable class is the label.
    double forwardBackward(const std::int32_t *ids, int B, int L, const std::int32_t *labels,
        Workspace &ws, Gradients &grads, int *correct = nullptr) const;
    // Forward only: the class probabilities (C, B) into probs (if given); returns the *sum* of
    // the cross-entropies when labels are given (0 otherwise).
    double forward(const std::int32_t *ids, int B, int L, const std::int32_t *labels, Workspace &ws,
        Mat *probs = nullptr, int *correct = nullptr) const;

    void zeroGrad(Gradients &grads) const;

    Mat &encoder() { return m_encoder; }
    const Mat &encoder() const { return m_encoder; }
    Mat &weight() { return m_weight; }
    const Mat &weight() const { return m_weight; }
    Mat &bias() { return m_bias; }
    const Mat &bias() const { return m_bias; }
    std::vector<Mat> &layer(int l) { return m_layers[static_cast<std::size_t>(l)]; }
    const std::vector<Mat> &layer(int l) const { return m_layers[static_cast<std::size_t>(l)]; }

private:
    double run(const std::int32_t *ids, int B, int L, const std::int32_t *labels, Workspace &ws,
        Gradients *grads, Scalar gradScale, Mat *probs, int *correct) const;

    ClassifierConfig m_config;
    const Cell *m_cell = nullptr;
    std::vector<TensorSpec> m_layout;
    Mat m_encoder, m_weight, m_bias;
    std::vector<std::vector<Mat>> m_layers;
};

extern template class TextClassifier<float>;
extern template class TextClassifier<double>;

struct ClassifierTrainConfig
{
    int batch = 32;
    int epochs = 3;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double lr = 0.002;
    double clip = 0; // global gradient norm; 0 = no clipping
    double adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-8;
    std::uint64_t seed = 1; // the order of the batches
    PadOptions pad; // maxLength 0: the longest training example
    int evalBatch = 256;
    // The embedding keeps its weights (pre-trained vectors used as they are): it has no gradient,
    // so it counts in neither the clipping norm nor the optimiser, as a PyTorch parameter with
    // requires_grad=False (Keras' trainable=False).
    bool freezeEmbedding = false;

    void validate() const; // throws Error
};

// Loss, accuracy and confusion of a model on examples.
struct ClassifierEvaluation
{
    double loss = std::numeric_limits<double>::quiet_NaN(); // mean cross-entropy
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    std::int64_t examples = 0;
    // confusion[true][predicted]
    std::vector<std::vector<std::int64_t>> confusion;
};

struct ClassifierEvent
{
    enum class Kind { Batch, Epoch };
    Kind kind = Kind::Batch;
    int epoch = 0; // 1-based
    std::int64_t step = 0; // batches trained, all epochs
    std::int64_t batch = 0, batches = 0; // 1-based within the epoch, and per epoch
    double loss = 0; // this batch's mean cross-entropy (Batch)
    double gradNorm = 0; // before clipping
    double seconds = 0; // training time so far
    // Epoch: the means over the epoch's batches, as each batch was before its update.
    double trainLoss = 0, trainAccuracy = 0;
    ClassifierEvaluation valid; // Epoch, when there are validation examples
};

struct ClassifierTrainResult
{
    double trainLoss = std::numeric_limits<double>::quiet_NaN();
    double trainAccuracy = std::numeric_limits<double>::quiet_NaN();
    ClassifierEvaluation valid;
    std::int64_t steps = 0;
    int epochsCompleted = 0;
    double seconds = 0;
    bool stopped = false;
    // The loss blew up: a batch's loss or gradient norm not finite or above 2 ln C + 10 nats, or
    // an epoch's training loss above ln C and 3 times the best epoch's. The model is put back to
    // the weights it had at the start of the epoch that blew up (`epochsCompleted` counts the
    // epochs those weights have had) and `message` says what happened.
    bool diverged = false;
    std::string message;
};

template <typename Scalar> class ClassifierTrainer
{
public:
    using Mat = typename TextClassifier<Scalar>::Mat;

    ClassifierTrainer(TextClassifier<Scalar> &model, const ClassifierTrainConfig &config);

    // One update on one batch (rows of length L): forward, backward, optional clipping, SGD
    // (w -= lr * g) or Adam exactly as torch.optim.Adam. Returns the batch's mean loss.
    double step(const std::int32_t *ids, int B, int L, const std::int32_t *labels,
        int *correct = nullptr, double *gradNorm = nullptr);

    // config.epochs epochs over train, in a new random order every epoch (seeded), evaluating on
    // valid after each. Stops early (between batches) when requestStop() is called.
    ClassifierTrainResult run(const std::vector<LabelledExample> &train,
        const std::vector<LabelledExample> &valid,
        const std::function<void(const ClassifierEvent &)> &callback = {});

    // Thread-safe, from any thread: stop ends the run between batches (waking a pause); a pause
    // holds the training thread before the next batch until resumed.
    void requestStop();
    void setPaused(bool paused);
    bool isPaused() const;
    // The row length the examples are padded to (config.pad.maxLength, or the longest
    // training example once run() has started).
    int maxLength() const { return m_maxLength; }

private:
    TextClassifier<Scalar> &m_model;
    ClassifierTrainConfig m_config;
    typename TextClassifier<Scalar>::Workspace m_ws;
    typename TextClassifier<Scalar>::Gradients m_grads;
    std::vector<Mat> m_adamM, m_adamV;
    std::int64_t m_adamStep = 0;
    std::atomic<bool> m_stop { false };
    mutable std::mutex m_pauseMutex;
    std::condition_variable m_pauseChanged;
    bool m_paused = false;
    int m_maxLength = 0;
};

extern template class ClassifierTrainer<float>;
extern template class ClassifierTrainer<double>;

// Pads the examples as `pad` says and runs the model over them in batches of `batch`.
template <typename Scalar>
ClassifierEvaluation evaluateClassifier(const TextClassifier<Scalar> &model,
    const std::vector<LabelledExample> &examples, const PadOptions &pad, int batch = 256);

// The class each word pulls towards, the measure the map colours words by: each word read alone
// as a text, against the empty text (whose prediction is the head's bias alone). For row w,
// pull(w, c) = p(c | "w") - p(c | ""); the word's class is the c with the largest pull, and its
// strength that pull (in [0, 1]: 0.6 means the word alone raises that class's probability by 0.6).
// Row 0 (<pad>) gets class -1 and strength 0.
struct WordPull
{
    std::vector<std::int32_t> cls; // per row
    std::vector<float> strength; // per row
    std::vector<float> prior; // p(c | ""), per class
};
template <typename Scalar> WordPull wordPull(const TextClassifier<Scalar> &model, int batch = 1024);

// The class probabilities (C, n) of examples, padded as `pad` says.
template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> classifyExamples(
    const TextClassifier<Scalar> &model, const std::vector<std::vector<std::int32_t>> &sequences,
    const PadOptions &pad, int batch = 256);

} // namespace embedlab
