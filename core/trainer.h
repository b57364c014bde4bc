#pragma once
// Runs training epochs over a token stream (truncated BPTT, word_language_model semantics) and
// reports through a callback; can be paused, resumed and stopped from another thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "core/model.h"

namespace embedlab {

enum class OptimizerKind { Sgd, Adam };
const char *optimizerName(OptimizerKind);
bool parseOptimizer(const std::string &name, OptimizerKind &out);

struct TrainConfig
{
    int batch = 20;
    int bptt = 35;
    int epochs = 1;
    std::int64_t maxSteps = 0; // windows in all; 0 = no limit
    OptimizerKind optimizer = OptimizerKind::Sgd;
    double lr = 20.0;
    double clip = 0.25; // global gradient norm; 0 = no clipping
    double annealFactor = 4.0; // SGD: lr /= this when the validation loss does not improve
    double adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-8;
    std::uint64_t seed = 1; // dropout masks (the weights are initialised by the model)
    int threads = 0; // 0 = all cores
    int evalBatch = 10;
    bool freezeEmbedding = false;

    void validate() const; // throws Error
};

// Where a run stands between two windows: everything a run needs to go on exactly as if it had
// never stopped (the same windows, dropout masks, learning-rate schedule and optimiser moments).
// A Trainer starts from one and keeps it up to date after every window.
template <typename Scalar> struct TrainState
{
    using Mat = typename LanguageModel<Scalar>::Mat;

    std::int64_t step = 0; // windows trained, all epochs
    std::uint64_t tokens = 0; // training tokens seen
    double seconds = 0; // training time, pauses excluded
    int epoch = 1; // the epoch in progress, or the next one to start (1-based)
    std::int64_t window = 0; // windows of `epoch` done; 0: it starts from the beginning
    int epochsCompleted = 0;
    double epochLossSum = 0; // over the windows of `epoch` done
    double trainLoss = std::numeric_limits<double>::quiet_NaN(); // last epoch's mean
    double validLoss = std::numeric_limits<double>::quiet_NaN(); // last evaluation
    double bestValid = std::numeric_limits<double>::infinity();
    // The schedule's rate for the next window, and the rate the run was configured with: when
    // the user sets another rate before continuing, the schedule goes on from the new one.
    double lr = 0, baseLr = 0;
    OptimizerKind optimizer = OptimizerKind::Sgd;
    int batch = 0, bptt = 0; // of the windows counted in `window`
    bool started = false; // false: nothing trained yet, the fields above are unset
    Rng::Words rng {}; // the dropout generator after the last window
    // The recurrent state carried into window `window` (empty when it is 0).
    typename LanguageModel<Scalar>::State hidden;
    // Adam's moments per trainable tensor (trainableParameters() order) and its step count.
    std::int64_t adamStep = 0;
    std::vector<Mat> adamM, adamV;
};

struct TrainEvent
{
    enum class Kind { Window, Epoch };
    Kind kind = Kind::Window;
    int epoch = 0; // 1-based
    std::int64_t step = 0; // windows trained so far, all epochs
    std::int64_t window = 0; // 1-based within the epoch
    std::int64_t windowsPerEpoch = 0;
    std::uint64_t tokens = 0; // training tokens seen so far
    std::int64_t plannedSteps = 0; // the step this call of run() ends at, if not stopped early
    int lastEpoch = 0; // the last epoch this call of run() trains
    double loss = 0; // this window's mean cross-entropy (Window)
    double gradNorm = 0; // before clipping
    double lr = 0; // learning rate used for this window / the next epoch
    double tokensPerSec = 0; // over the run so far, pauses excluded
    double seconds = 0; // training time so far, pauses excluded
    double trainLoss = 0; // mean over the epoch's windows (Epoch)
    double validLoss = std::numeric_limits<double>::quiet_NaN(); // Epoch, if validation data
    double validPerplexity = std::numeric_limits<double>::quiet_NaN();
    bool lrCut = false; // Epoch: the learning rate was divided after this epoch
};

struct TrainResult
{
    double trainLoss
        = std::numeric_limits<double>::quiet_NaN(); // mean over the last epoch's windows
    double validLoss = std::numeric_limits<double>::quiet_NaN();
    double validPerplexity = std::numeric_limits<double>::quiet_NaN();
    double tokensPerSec = 0;
    double seconds = 0;
    std::int64_t steps = 0; // of the whole run, earlier calls included
    std::uint64_t tokens = 0;
    int epochsCompleted = 0;
    std::int64_t stepsThisCall = 0;
    double finalLr = 0;
    bool stopped = false; // requestStop() ended the run early
    // The loss blew up (DivergenceGuard): the model is put back to the weights that gave the last
    // good window's loss, and `steps` counts the updates those weights have had.
    bool diverged = false;
    std::string message; // what happened, for the user, when diverged
    // How the run went on from the state it was given, for the user, when not exactly (another
    // batch size, optimiser or learning rate); empty otherwise.
    std::string notice;
};

using TrainCallback = std::function<void(const TrainEvent &)>;

template <typename Scalar> class Trainer
{
public:
    Trainer(LanguageModel<Scalar> &model, const TrainConfig &config);

    // Continue a run from `state` (as state() left it) instead of starting one. The next run()
    // trains config.epochs epochs counting the one in progress, and at most config.maxSteps more
    // windows. A state whose windows had another batch size or length cannot resume its epoch
    // midway: the run goes on at the next epoch.
    void resumeFrom(TrainState<Scalar> state);
    // The run's state after the last window; read it from the callback (between windows), when
    // isHeldByPause() is true, or after run() returns.
    const TrainState<Scalar> &state() const { return m_state; }
    TrainState<Scalar> takeState() { return std::move(m_state); }

    // Blocks until the epochs are done, maxSteps is reached, stop is requested or the loss diverges
    // (see DivergenceGuard for the rule).
    TrainResult run(const std::vector<std::int32_t> &train, const std::vector<std::int32_t> &valid,
        const TrainCallback &callback = {});

    // Thread-safe; take effect between windows.
    void requestStop();
    void setPaused(bool paused);
    bool isPaused() const;
    // True from the moment a pause holds the training thread (the window in flight is done, the
    // pause hook is about to run or has run) until Resume or Stop: the model does not change
    // meanwhile, so another thread may read it.
    bool isHeldByPause() const;
    bool stopRequested() const { return m_stop.load(); }
    // Called on the training thread just before a pause blocks it (not under any lock), so a
    // caller can deliver what it holds back: the last window is never kept until Resume.
    void setPauseHook(std::function<void()> hook) { m_pauseHook = std::move(hook); }

    // Wall-clock seconds by phase over the windows run so far: the model's passes, and the
    // update's (the gradient's norm, clipping, keeping the weights and the optimiser's step).
    typename LanguageModel<Scalar>::PhaseSeconds phaseSeconds() const { return m_work.seconds(); }
    double updateSeconds() const { return m_updateSeconds; }

private:
    // Adam's step; clipScale: the gradient-clipping factor (1 = none).
    void applyUpdate(double lr, double clipScale);
    // Copies the weights the next Adam update will change, so a window whose loss shows
    // divergence can put them back.
    void rememberWeights();
    // SGD's step, keeping the weights it changes (only the looked-up embedding columns of the
    // embedding) as rememberWeights() does, in the same pass.
    void sgdStepKeepingWeights(Scalar step);
    void restoreWeights();
    // Blocks while paused; returns the seconds spent waiting.
    double waitWhilePaused();

    LanguageModel<Scalar> &m_model;
    TrainConfig m_config;
    std::atomic<bool> m_stop { false };
    mutable std::mutex m_pauseMutex;
    std::condition_variable m_pauseCv;
    bool m_paused = false;
    bool m_held = false; // in waitWhilePaused, past the window in flight
    std::function<void()> m_pauseHook;
    // The weights before the last update (rememberWeights): one per trainable tensor; for a
    // sparse embedding update only the columns listed in m_savedColumns.
    std::vector<typename LanguageModel<Scalar>::Mat> m_saved;
    std::vector<std::int32_t> m_savedColumns;
    bool m_savedSparse = false, m_haveSaved = false;
    TrainState<Scalar> m_state;
    // This trainer's gradients and activations, allocated by run() and reused between windows.
    typename LanguageModel<Scalar>::Gradients m_grads;
    typename LanguageModel<Scalar>::Workspace m_work;
    double m_updateSeconds = 0;
};

// Mean next-token cross-entropy of a stream cut into `batch` parallel streams (batch 1: the
// whole stream, every token after the first predicted once), zero initial state, no dropout.
// The model is only read: several threads may evaluate it at once.
template <typename Scalar>
double evaluateLoss(const LanguageModel<Scalar> &model, const std::vector<std::int32_t> &stream,
    int batch, int bptt, std::uint64_t *predicted = nullptr);

extern template class Trainer<float>;
extern template class Trainer<double>;

} // namespace embedlab
