#include "core/trainer.h"

#include <chrono>
#include <cmath>
#include <sstream>

#include "core/corpus.h"
#include "core/divergence.h"
#include "core/error.h"
#include "core/parallel.h"

namespace embedlab {

const char *optimizerName(OptimizerKind kind)
{
    return kind == OptimizerKind::Adam ? "adam" : "sgd";
}

bool parseOptimizer(const std::string &name, OptimizerKind &out)
{
    if (name == "sgd")
        out = OptimizerKind::Sgd;
    else if (name == "adam")
        out = OptimizerKind::Adam;
    else
        return false;
    return true;
}

void TrainConfig::validate() const
{
    auto fail = [](const std::string &m) { throw Error("training settings: " + m); };
    if (batch < 1 || batch > 100000)
        fail("batch size must be in 1..100000, got " + std::to_string(batch));
    if (bptt < 1 || bptt > 100000)
        fail("BPTT length must be in 1..100000, got " + std::to_string(bptt));
    if (epochs < 1)
        fail("epochs must be at least 1, got " + std::to_string(epochs));
    if (maxSteps < 0)
        fail("max steps must not be negative");
    if (!(lr > 0) || !std::isfinite(lr))
        fail("learning rate must be a positive number");
    if (!(clip >= 0) || !std::isfinite(clip))
        fail("gradient clip must be 0 (off) or positive");
    if (!(annealFactor >= 1))
        fail("learning-rate anneal factor must be at least 1");
    if (evalBatch < 1)
        fail("evaluation batch size must be at least 1");
}

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}
} // namespace

template <typename Scalar>
Trainer<Scalar>::Trainer(LanguageModel<Scalar> &model, const TrainConfig &config)
    : m_model(model)
    , m_config(config)
{
    m_config.validate();
    if (m_config.freezeEmbedding && model.config().tied)
        throw Error("training settings: a frozen embedding cannot be tied to the decoder, which "
                    "must learn; untie the weights or let the embedding train");
}

template <typename Scalar> void Trainer<Scalar>::requestStop()
{
    m_stop.store(true);
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    m_pauseCv.notify_all();
}

template <typename Scalar> void Trainer<Scalar>::setPaused(bool paused)
{
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    m_paused = paused;
    m_pauseCv.notify_all();
}

template <typename Scalar> bool Trainer<Scalar>::isPaused() const
{
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    return m_paused;
}

template <typename Scalar> double Trainer<Scalar>::waitWhilePaused()
{
    {
        std::lock_guard<std::mutex> lock(m_pauseMutex);
        if (!m_paused)
            return 0;
        m_held = true;
    }
    if (m_pauseHook)
        m_pauseHook();
    std::unique_lock<std::mutex> lock(m_pauseMutex);
    const auto t0 = Clock::now();
    m_pauseCv.wait(lock, [this] { return !m_paused || m_stop.load(); });
    m_held = false;
    return secondsSince(t0);
}

template <typename Scalar> bool Trainer<Scalar>::isHeldByPause() const
{
    std::lock_guard<std::mutex> lock(m_pauseMutex);
    return m_held && m_paused && !m_stop.load();
}

template <typename Scalar> void Trainer<Scalar>::applyUpdate(double lr, double clipScale)
{
    auto params = m_model.trainableParameters(m_grads);
    if (clipScale < 1)
        m_model.scaleGrad(m_grads, static_cast<Scalar>(clipScale));
    // Adam exactly as torch.optim.Adam (no weight decay, no amsgrad).
    auto &adamM = m_state.adamM, &adamV = m_state.adamV;
    if (adamM.size() != params.size()) {
        adamM.clear();
        adamV.clear();
        for (auto &p : params) {
            adamM.push_back(LanguageModel<Scalar>::Mat::Zero(p.value->rows(), p.value->cols()));
            adamV.push_back(LanguageModel<Scalar>::Mat::Zero(p.value->rows(), p.value->cols()));
        }
        m_state.adamStep = 0;
    }
    const std::int64_t adamStep = ++m_state.adamStep;
    const double b1 = m_config.adamBeta1, b2 = m_config.adamBeta2;
    const double bc1 = 1.0 - std::pow(b1, static_cast<double>(adamStep));
    const double bc2 = 1.0 - std::pow(b2, static_cast<double>(adamStep));
    const Scalar stepSize = static_cast<Scalar>(lr / bc1);
    const Scalar sqrtBc2 = static_cast<Scalar>(std::sqrt(bc2));
    const Scalar eps = static_cast<Scalar>(m_config.adamEps);
    for (std::size_t k = 0; k < params.size(); ++k) {
        auto g = params[k].grad->array();
        auto m = adamM[k].array();
        auto v = adamV[k].array();
        m = Scalar(b1) * m + Scalar(1 - b1) * g;
        v = Scalar(b2) * v + Scalar(1 - b2) * g.square();
        params[k].value->array() -= stepSize * m / (v.sqrt() / sqrtBc2 + eps);
    }
}

template <typename Scalar> void Trainer<Scalar>::rememberWeights()
{
    auto params = m_model.trainableParameters();
    m_saved.resize(params.size());
    m_savedSparse = false;
    for (std::size_t k = 0; k < params.size(); ++k) {
        auto &value = *params[k].value;
        auto &saved = m_saved[k];
        saved.resize(value.rows(), value.cols());
        const Scalar *from = value.data();
        Scalar *to = saved.data();
        parallelFor(static_cast<std::size_t>(value.size()), std::size_t(1) << 16,
            [&](std::size_t lo, std::size_t hi) { std::copy(from + lo, from + hi, to + lo); });
    }
    m_haveSaved = true;
}

template <typename Scalar> void Trainer<Scalar>::sgdStepKeepingWeights(Scalar step)
{
    // The new weights are written into the kept tensors, which then swap places with the model's:
    // the weights before the step stay behind for a rollback without a pass to copy them.
    auto params = m_model.trainableParameters(m_grads);
    m_saved.resize(params.size());
    const std::vector<std::int32_t> *columns = m_grads.encoderColumns();
    m_savedSparse = false;
    for (std::size_t k = 0; k < params.size(); ++k) {
        auto &value = *params[k].value;
        const auto &grad = *params[k].grad;
        auto &saved = m_saved[k];
        if (params[k].value == &m_model.encoder() && columns) {
            // Only the columns of the words looked up change.
            m_savedSparse = true;
            m_savedColumns = *columns;
            saved.resize(value.rows(), static_cast<Eigen::Index>(columns->size()));
            for (std::size_t i = 0; i < columns->size(); ++i) {
                const std::int32_t c = (*columns)[i];
                saved.col(static_cast<Eigen::Index>(i)) = value.col(c);
                value.col(c).noalias() -= step * grad.col(c);
            }
            continue;
        }
        saved.resize(value.rows(), value.cols());
        using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
        const Scalar *w = value.data(), *g = grad.data();
        Scalar *to = saved.data();
        parallelFor(static_cast<std::size_t>(value.size()), std::size_t(1) << 16,
            [&](std::size_t lo, std::size_t hi) {
                const auto n = static_cast<Eigen::Index>(hi - lo);
                Eigen::Map<Vec>(to + lo, n).noalias()
                    = Eigen::Map<const Vec>(w + lo, n) - step * Eigen::Map<const Vec>(g + lo, n);
            });
        value.swap(saved);
    }
    m_haveSaved = true;
}

template <typename Scalar> void Trainer<Scalar>::restoreWeights()
{
    if (!m_haveSaved)
        return;
    auto params = m_model.trainableParameters();
    for (std::size_t k = 0; k < params.size() && k < m_saved.size(); ++k) {
        auto &value = *params[k].value;
        const auto &saved = m_saved[k];
        if (params[k].value == &m_model.encoder() && m_savedSparse) {
            for (std::size_t i = 0; i < m_savedColumns.size(); ++i)
                value.col(m_savedColumns[i]) = saved.col(static_cast<Eigen::Index>(i));
            continue;
        }
        value = saved;
    }
    m_haveSaved = false;
}

template <typename Scalar> void Trainer<Scalar>::resumeFrom(TrainState<Scalar> state)
{
    m_state = std::move(state);
}

template <typename Scalar>
TrainResult Trainer<Scalar>::run(const std::vector<std::int32_t> &train,
    const std::vector<std::int32_t> &valid, const TrainCallback &callback)
{
    const int B = m_config.batch, T = m_config.bptt;
    const BatchedStream data = batchify(train, B);
    if (data.steps < 2)
        throw Error("training text too short: " + std::to_string(train.size())
            + " tokens for batch size " + std::to_string(B) + " (need at least "
            + std::to_string(2 * B) + ")");
    setThreadCount(m_config.threads);
    m_model.setEmbeddingFrozen(m_config.freezeEmbedding);
    m_grads = typename LanguageModel<Scalar>::Gradients(m_model);
    const std::int64_t windowsPerEpoch = (static_cast<std::int64_t>(data.steps) - 1 + T - 1) / T;

    TrainState<Scalar> &st = m_state;
    TrainResult result;
    std::ostringstream notice;
    notice.precision(4);
    if (!st.started) {
        st = TrainState<Scalar>();
        st.started = true;
        st.lr = st.baseLr = m_config.lr;
        st.optimizer = m_config.optimizer;
        st.rng = Rng(m_config.seed).words();
    } else {
        if (st.optimizer != m_config.optimizer) {
            notice << "The optimiser is now " << optimizerName(m_config.optimizer) << " (it was "
                   << optimizerName(st.optimizer) << "): its state starts afresh at learning rate "
                   << m_config.lr << ". ";
            st.optimizer = m_config.optimizer;
            st.adamM.clear();
            st.adamV.clear();
            st.adamStep = 0;
            st.lr = st.baseLr = m_config.lr;
        } else if (st.baseLr != m_config.lr) {
            notice << "The learning rate is now " << m_config.lr << " (the schedule was at "
                   << st.lr << "). ";
            st.lr = st.baseLr = m_config.lr;
        }
        const bool sameWindows = st.batch == B && st.bptt == T && st.window < windowsPerEpoch;
        if (st.window > 0 && !sameWindows) {
            notice << "Epoch " << st.epoch << " cannot go on midway with another batch size, "
                   << "window length or text, so training goes on with epoch " << st.epoch + 1
                   << ". ";
            ++st.epoch;
            st.window = 0;
            st.epochLossSum = 0;
        }
    }
    st.batch = B;
    st.bptt = T;
    if (st.window == 0 || st.hidden.h.size() != static_cast<std::size_t>(m_model.config().layers)
        || st.hidden.h[0].cols() != B)
        st.hidden = m_model.zeroState(B);
    result.notice = notice.str();
    if (!result.notice.empty())
        result.notice.pop_back();

    Rng rng;
    rng.setWords(st.rng);
    DivergenceGuard guard(m_model.config().vocabSize);
    m_haveSaved = false;
    double lastGoodLoss = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t lastWindowTokens = 0;
    // Puts back the weights that gave the last good window's loss and says so. The recurrent
    // state before that window is gone: a continued run starts the window again from zero.
    auto diverge = [&](const std::string &where, const std::string &why) {
        std::ostringstream msg;
        msg.precision(4);
        msg << "training diverged at " << where << ": " << why << ";";
        if (m_haveSaved) {
            restoreWeights();
            --st.step;
            --result.stepsThisCall;
            st.tokens -= lastWindowTokens;
            if (st.window > 0) {
                --st.window;
                st.epochLossSum -= lastGoodLoss;
            }
            msg << " the weights are put back to those that gave step " << st.step + 1
                << "'s loss of " << lastGoodLoss << ".";
        } else {
            msg << " no update was applied, so the weights are those the run started with.";
        }
        msg << " Try a lower learning rate (now " << st.lr << ") or a smaller gradient clip.";
        st.hidden = m_model.zeroState(B);
        result.diverged = true;
        result.message = msg.str();
    };

    const int lastEpoch = st.epoch + m_config.epochs - 1;
    const std::int64_t stepLimit = m_config.maxSteps > 0 ? st.step + m_config.maxSteps
                                                         : std::numeric_limits<std::int64_t>::max();
    const std::int64_t plannedSteps = std::min(stepLimit,
        st.step + (windowsPerEpoch - st.window)
            + static_cast<std::int64_t>(m_config.epochs - 1) * windowsPerEpoch);
    auto progressEvent = [&](TrainEvent::Kind kind, int epoch) {
        TrainEvent e;
        e.kind = kind;
        e.epoch = epoch;
        e.step = st.step;
        e.window = st.window;
        e.windowsPerEpoch = windowsPerEpoch;
        e.plannedSteps = plannedSteps;
        e.lastEpoch = lastEpoch;
        e.tokens = st.tokens;
        e.seconds = st.seconds;
        e.tokensPerSec = st.seconds > 0 ? st.tokens / st.seconds : 0;
        return e;
    };

    for (;;) {
        const int epoch = st.epoch;
        for (std::size_t i = static_cast<std::size_t>(st.window) * T; i + 1 < data.steps;
             i += static_cast<std::size_t>(T)) {
            waitWhilePaused();
            if (m_stop.load()) {
                result.stopped = true;
                break;
            }
            const int seqLen = static_cast<int>(std::min<std::size_t>(T, data.steps - 1 - i));
            const std::int32_t *inputs = data.data.data() + i * B;
            const std::int32_t *targets = inputs + B;

            const auto t0 = Clock::now();
            m_model.zeroGrad(m_grads);
            m_updateSeconds += secondsSince(t0);
            const double loss = m_model.forwardBackward(
                inputs, targets, seqLen, B, st.hidden, rng, m_work, m_grads);
            const auto updateStart = Clock::now();
            const double norm = m_model.gradNorm(m_grads);
            const std::string why = guard.check(loss, norm);
            if (!why.empty()) {
                // This window's update is not applied; the one before it led here, so it goes too.
                diverge("epoch " + std::to_string(epoch) + ", step " + std::to_string(st.step + 1),
                    why);
                break;
            }
            double clipScale = 1;
            if (m_config.clip > 0) {
                // torch.nn.utils.clip_grad_norm_: scale by clip / (norm + 1e-6) when below 1.
                const double coef = m_config.clip / (norm + 1e-6);
                if (coef < 1)
                    clipScale = coef;
            }
            if (m_config.optimizer == OptimizerKind::Sgd) {
                sgdStepKeepingWeights(static_cast<Scalar>(st.lr * clipScale));
            } else {
                rememberWeights();
                applyUpdate(st.lr, clipScale);
            }
            m_updateSeconds += secondsSince(updateStart);
            lastGoodLoss = loss;
            st.seconds += secondsSince(t0);

            ++st.step;
            ++result.stepsThisCall;
            ++st.window;
            st.epochLossSum += loss;
            st.rng = rng.words();
            lastWindowTokens = static_cast<std::uint64_t>(seqLen) * B;
            st.tokens += lastWindowTokens;
            if (callback) {
                TrainEvent e = progressEvent(TrainEvent::Kind::Window, epoch);
                e.loss = loss;
                e.gradNorm = norm;
                e.lr = st.lr;
                callback(e);
            }
            if (st.step >= stepLimit)
                break;
        }
        if (st.window > 0)
            result.trainLoss = st.epochLossSum / static_cast<double>(st.window);
        if (result.diverged)
            break;
        const bool epochComplete = !result.stopped && st.window == windowsPerEpoch;
        const bool last = !epochComplete || epoch >= lastEpoch || st.step >= stepLimit;

        TrainEvent e = progressEvent(TrainEvent::Kind::Epoch, epoch);
        e.trainLoss = result.trainLoss;
        if (valid.size() >= 2 && !result.stopped) {
            // A validation text too short for the evaluation batch is read as one stream.
            const int evalBatch
                = batchify(valid, m_config.evalBatch).steps >= 2 ? m_config.evalBatch : 1;
            const double vl = evaluateLoss(m_model, valid, evalBatch, T);
            e.validLoss = vl;
            e.validPerplexity = std::exp(vl);
            if (!std::isfinite(vl) || vl > guard.ceiling()) {
                std::ostringstream why;
                why.precision(4);
                why << "the validation loss is " << vl << " nats per token";
                diverge("the end of epoch " + std::to_string(epoch) + " (after step "
                        + std::to_string(st.step) + ")",
                    why.str());
            } else {
                st.validLoss = vl;
                // Only whole epochs steer the schedule: an epoch cut short by maxSteps and
                // continued later must anneal as the run that never stopped.
                if (epochComplete && vl < st.bestValid) {
                    st.bestValid = vl;
                } else if (epochComplete && m_config.optimizer == OptimizerKind::Sgd) {
                    st.lr /= m_config.annealFactor;
                    e.lrCut = true;
                }
            }
        }
        if (epochComplete && !result.diverged) {
            st.epochsCompleted = epoch;
            st.trainLoss = result.trainLoss;
            ++st.epoch;
            st.window = 0;
            st.epochLossSum = 0;
            st.hidden = m_model.zeroState(B);
        }
        e.lr = st.lr;
        if (callback)
            callback(e);
        if (last || result.diverged)
            break;
    }
    result.validLoss = st.validLoss;
    result.validPerplexity = std::exp(st.validLoss);
    result.steps = st.step;
    result.tokens = st.tokens;
    result.epochsCompleted = st.epochsCompleted;
    result.seconds = st.seconds;
    result.tokensPerSec = st.seconds > 0 ? st.tokens / st.seconds : 0;
    result.finalLr = st.lr;
    m_grads = {}; // the gradients are only needed between the forward pass and the update
    return result;
}

template <typename Scalar>
double evaluateLoss(const LanguageModel<Scalar> &model, const std::vector<std::int32_t> &stream,
    int batch, int bptt, std::uint64_t *predicted)
{
    if (batch < 1 || bptt < 1)
        throw Error("evaluation: batch size and BPTT length must be positive");
    const BatchedStream data = batchify(stream, batch);
    if (data.steps < 2) {
        if (predicted)
            *predicted = 0;
        return std::numeric_limits<double>::quiet_NaN();
    }
    auto state = model.zeroState(batch);
    typename LanguageModel<Scalar>::Workspace ws;
    double sum = 0;
    std::uint64_t count = 0;
    for (std::size_t i = 0; i + 1 < data.steps; i += static_cast<std::size_t>(bptt)) {
        const int seqLen = static_cast<int>(std::min<std::size_t>(bptt, data.steps - 1 - i));
        const std::int32_t *inputs = data.data.data() + i * batch;
        sum += model.forwardLoss(inputs, inputs + batch, seqLen, batch, state, ws);
        count += static_cast<std::uint64_t>(seqLen) * batch;
    }
    if (predicted)
        *predicted = count;
    return sum / static_cast<double>(count);
}

template class Trainer<float>;
template class Trainer<double>;
template double evaluateLoss<float>(
    const LanguageModel<float> &, const std::vector<std::int32_t> &, int, int, std::uint64_t *);
template double evaluateLoss<double>(
    const LanguageModel<double> &, const std::vector<std::int32_t> &, int, int, std::uint64_t *);

} // namespace embedlab
