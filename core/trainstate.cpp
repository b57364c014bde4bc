#include "core/trainstate.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <type_traits>

#include "core/error.h"
#include "core/jsonfields.h"
#include "core/safetensors.h"

#include <nlohmann/json.hpp>

namespace embedlab {

namespace {

using Json = nlohmann::ordered_json;

std::string hex64(std::uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

bool parseHex64(const std::string &s, std::uint64_t &out)
{
    if (s.empty() || s.size() > 16)
        return false;
    out = 0;
    for (char c : s) {
        int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f'   ? c - 'a' + 10
            : c >= 'A' && c <= 'F'   ? c - 'A' + 10
                                     : -1;
        if (d < 0)
            return false;
        out = out << 4 | static_cast<std::uint64_t>(d);
    }
    return true;
}

// Identifies one save: the model file and its state file carry the same one.
std::string newSaveId()
{
    std::random_device device;
    const auto now
        = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    return hex64((static_cast<std::uint64_t>(device()) << 32 ^ device()) ^ now);
}

std::string baseName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

template <typename Scalar> constexpr DType dtypeOf()
{
    return std::is_same<Scalar, double>::value ? DType::F64 : DType::F32;
}

// A (rows, cols) column-major matrix is a row-major [cols, rows] tensor.
template <typename Mat> std::vector<std::int64_t> tensorShape(const Mat &m)
{
    return { static_cast<std::int64_t>(m.cols()), static_cast<std::int64_t>(m.rows()) };
}

template <typename Scalar>
Json trainingJson(const TrainState<Scalar> &state, const TrainConfig &config,
    const std::map<std::string, std::string> &extraJson)
{
    Json j = Json::object();
    for (const auto &[key, text] : extraJson)
        j[key] = parseJsonStrict(text);
    // The names the README documents first; the rest lets a run go on where it stopped.
    j["steps"] = state.step;
    j["epochs_completed"] = state.epochsCompleted;
    j["optimizer"] = optimizerName(state.started ? state.optimizer : config.optimizer);
    j["lr"] = state.started ? state.lr : config.lr;
    j["batch"] = config.batch;
    j["bptt"] = config.bptt;
    j["valid_loss"] = finiteOrNull(state.validLoss);
    j["frozen_embedding"] = config.freezeEmbedding;
    j["base_lr"] = state.started ? state.baseLr : config.lr;
    j["clip"] = config.clip;
    j["anneal_factor"] = config.annealFactor;
    j["seed"] = std::to_string(config.seed);
    j["tokens"] = state.tokens;
    j["seconds"] = state.seconds;
    j["epoch"] = state.epoch;
    j["window"] = state.window;
    j["window_batch"] = state.batch;
    j["window_bptt"] = state.bptt;
    j["epoch_loss_sum"] = state.epochLossSum;
    j["train_loss"] = finiteOrNull(state.trainLoss);
    j["best_valid_loss"] = finiteOrNull(state.bestValid);
    j["started"] = state.started;
    Json rng = Json::array();
    for (auto w : state.rng)
        rng.push_back(hex64(w));
    j["rng"] = rng;
    j["adam_step"] = state.adamStep;
    return j;
}

} // namespace

std::string trainStatePath(const std::string &checkpointPath)
{
    static const std::string ext = ".safetensors";
    const std::string base = baseName(checkpointPath);
    if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0)
        return checkpointPath.substr(0, checkpointPath.size() - ext.size())
            + ".trainstate.safetensors";
    return checkpointPath + ".trainstate.safetensors";
}

template <typename Scalar>
std::string trainingMetadata(const TrainState<Scalar> &state, const TrainConfig &config,
    const std::map<std::string, std::string> &extraJson)
{
    return dumpJson(trainingJson(state, config, extraJson));
}

template <typename Scalar>
void saveTrainingCheckpoint(const std::string &path, LanguageModel<Scalar> &model,
    const Vocabulary &vocab, const TokenizerOptions &tokenizer, const TrainState<Scalar> &state,
    const TrainConfig &config, const std::map<std::string, std::string> &extraJson,
    const std::map<std::string, std::string> &extraMetadata)
{
    Json training = trainingJson(state, config, extraJson);
    const std::string statePath = trainStatePath(path);
    const bool hasTensors = state.started && (!state.adamM.empty() || state.window > 0);
    std::vector<TensorToWrite> tensors;
    Json adamNames = Json::array();
    const std::string id = newSaveId();
    if (hasTensors) {
        training["state_file"] = baseName(statePath);
        training["state_id"] = id;
        constexpr DType dtype = dtypeOf<Scalar>();
        if (state.window > 0) {
            for (std::size_t l = 0; l < state.hidden.h.size(); ++l)
                tensors.push_back({ "hidden.h_l" + std::to_string(l),
                    tensorShape(state.hidden.h[l]), dtype, state.hidden.h[l].data() });
            // Only an LSTM has a cell state; the other cells' c stays zero and is not written.
            if (model.config().cell == CellKind::Lstm)
                for (std::size_t l = 0; l < state.hidden.c.size(); ++l)
                    tensors.push_back({ "hidden.c_l" + std::to_string(l),
                        tensorShape(state.hidden.c[l]), dtype, state.hidden.c[l].data() });
        }
        if (!state.adamM.empty()) {
            // The moments follow trainableParameters() as it was while training.
            const bool frozen = model.embeddingFrozen();
            model.setEmbeddingFrozen(config.freezeEmbedding);
            const auto params = model.trainableParameters();
            model.setEmbeddingFrozen(frozen);
            if (params.size() != state.adamM.size())
                throw Error(fileMessage(statePath,
                    "cannot save: the optimiser holds " + std::to_string(state.adamM.size())
                        + " tensors but the model trains " + std::to_string(params.size())));
            for (std::size_t k = 0; k < params.size(); ++k) {
                adamNames.push_back(params[k].name);
                tensors.push_back({ "adam.exp_avg." + params[k].name, params[k].shape, dtype,
                    state.adamM[k].data() });
                tensors.push_back({ "adam.exp_avg_sq." + params[k].name, params[k].shape, dtype,
                    state.adamV[k].data() });
            }
        }
    }
    std::map<std::string, std::string> meta = extraMetadata;
    meta[MetaTraining] = dumpJson(training);
    // The model first: if it cannot be written, the previous model and its state stay as they
    // were; if the state then cannot be, the new model loads and says its state is missing.
    saveCheckpoint(path, model, vocab, tokenizer, meta);
    if (hasTensors) {
        Json stateMeta = Json::object();
        stateMeta["checkpoint"] = baseName(path);
        stateMeta["state_id"] = id;
        stateMeta["adam_params"] = adamNames;
        writeSafeTensors(statePath, tensors,
            { { MetaFormat, TrainStateFormat }, { MetaTraining, dumpJson(stateMeta) } });
    }
}

template <typename Scalar>
LoadedTrainState<Scalar> loadTrainState(const std::string &checkpointPath,
    const std::map<std::string, std::string> &metadata, LanguageModel<Scalar> &model)
{
    LoadedTrainState<Scalar> out;
    const auto it = metadata.find(MetaTraining);
    if (it == metadata.end())
        return out;
    Json j;
    TrainConfig &config = out.config;
    auto state = std::make_unique<TrainState<Scalar>>();
    std::string stateFile, stateId;
    try {
        j = parseJsonStrict(it->second);
        if (!j.is_object())
            throw Error("must be a JSON object");
        if (!parseOptimizer(fieldOr<std::string>(j, "optimizer", "sgd"), config.optimizer))
            throw Error("unknown optimizer '" + fieldOr<std::string>(j, "optimizer", "") + "'");
        config.batch = static_cast<int>(integerOr(j, "batch", config.batch));
        config.bptt = static_cast<int>(integerOr(j, "bptt", config.bptt));
        config.freezeEmbedding = fieldOr<bool>(j, "frozen_embedding", false);
        config.clip = numberOr(j, "clip", config.clip);
        config.annealFactor = numberOr(j, "anneal_factor", config.annealFactor);
        std::uint64_t seed = config.seed;
        if (const auto s = j.find("seed"); s != j.end() && s->is_string())
            seed = std::stoull(s->get<std::string>());
        config.seed = seed;
        state->step = integerOr(j, "steps", 0);
        state->epochsCompleted = static_cast<int>(integerOr(j, "epochs_completed", 0));
        state->lr = numberOr(j, "lr", config.lr);
        state->baseLr = numberOr(j, "base_lr", state->lr);
        config.lr = state->baseLr;
        state->optimizer = config.optimizer;
        state->validLoss = numberOr(j, "valid_loss", state->validLoss);
        state->tokens
            = static_cast<std::uint64_t>(std::max<std::int64_t>(0, integerOr(j, "tokens", 0)));
        state->seconds = numberOr(j, "seconds", 0);
        state->epoch = static_cast<int>(integerOr(j, "epoch", state->epochsCompleted + 1));
        state->window = integerOr(j, "window", 0);
        state->batch = static_cast<int>(integerOr(j, "window_batch", config.batch));
        state->bptt = static_cast<int>(integerOr(j, "window_bptt", config.bptt));
        state->epochLossSum = numberOr(j, "epoch_loss_sum", 0);
        state->trainLoss = numberOr(j, "train_loss", state->trainLoss);
        state->bestValid = numberOr(j, "best_valid_loss", state->bestValid);
        state->adamStep = integerOr(j, "adam_step", 0);
        state->started = fieldOr<bool>(j, "started", state->step > 0);
        state->rng = Rng(config.seed).words();
        bool haveRng = false;
        if (const auto r = j.find("rng"); r != j.end() && r->is_array() && r->size() == 4) {
            haveRng = true;
            for (std::size_t i = 0; i < 4; ++i)
                haveRng = haveRng && (*r)[i].is_string()
                    && parseHex64((*r)[i].get<std::string>(), state->rng[i]);
            if (!haveRng)
                throw Error("'rng' must be four 16-digit hexadecimal numbers");
        }
        if (state->step < 0 || state->epoch < 1 || state->window < 0 || !(state->lr > 0))
            throw Error("the step, epoch, window or learning rate is out of range");
        stateFile = fieldOr<std::string>(j, "state_file", "");
        stateId = fieldOr<std::string>(j, "state_id", "");
        if (!haveRng && state->started)
            out.notice = "The file records its steps and learning rate but not its dropout "
                         "generator; the run goes on with fresh dropout masks.";
    } catch (const Error &e) {
        throw Error(fileMessage(
            checkpointPath, std::string("metadata '") + MetaTraining + "': " + e.what()));
    } catch (const std::exception &e) {
        throw Error(fileMessage(
            checkpointPath, std::string("metadata '") + MetaTraining + "': " + e.what()));
    }

    // The tensors, when the save had any. Anything wrong with them costs exactness, not the run.
    const bool wantsHidden = state->window > 0;
    const bool wantsAdam = state->adamStep > 0;
    auto startAfresh = [&](const std::string &why) {
        if (wantsHidden) {
            // Without the recurrent state the epoch cannot go on midway.
            ++state->epoch;
            state->window = 0;
            state->epochLossSum = 0;
        }
        state->adamM.clear();
        state->adamV.clear();
        state->adamStep = 0;
        state->hidden = {};
        out.notice = why + " The steps, epochs and learning rate go on; "
            + (wantsAdam ? std::string("Adam's moments start from zero") : std::string(""))
            + (wantsAdam && wantsHidden ? " and " : "")
            + (wantsHidden
                    ? "training goes on at the start of epoch " + std::to_string(state->epoch)
                    : std::string(""))
            + ".";
    };
    if (wantsHidden || wantsAdam) {
        const std::string statePath = stateFile.empty()
            ? trainStatePath(checkpointPath)
            : checkpointPath.substr(0, checkpointPath.size() - baseName(checkpointPath).size())
                + stateFile;
        try {
            if (stateFile.empty())
                throw Error("the file names no training state");
            const SafeTensorsReader file(statePath);
            const auto &meta = file.metadata();
            const auto format = meta.find(MetaFormat);
            if (format == meta.end() || format->second != TrainStateFormat)
                throw Error(statePath + " is not a training state");
            const Json sm = parseJsonStrict(meta.at(MetaTraining));
            if (fieldOr<std::string>(sm, "state_id", "") != stateId)
                throw Error(baseName(statePath) + " belongs to another save of the model");
            const ModelConfig &mc = model.config();
            if (wantsHidden) {
                const auto readState = [&](const std::string &prefix,
                                           std::vector<typename LanguageModel<Scalar>::Mat> &into) {
                    into.clear();
                    for (int l = 0; l < mc.layers; ++l) {
                        const std::string name = prefix + std::to_string(l);
                        const TensorInfo *t = file.find(name);
                        if (!t)
                            return false;
                        if (t->shape != std::vector<std::int64_t> { state->batch, mc.hiddenSize })
                            throw Error(
                                statePath + ": tensor '" + name + "' does not fit the model");
                        into.emplace_back(mc.hiddenSize, state->batch);
                        file.read<Scalar>(
                            name, into.back().data(), static_cast<std::size_t>(into.back().size()));
                    }
                    return true;
                };
                if (!readState("hidden.h_l", state->hidden.h))
                    throw Error(statePath + " lacks the recurrent state");
                if (!readState("hidden.c_l", state->hidden.c)) {
                    if (mc.cell == CellKind::Lstm)
                        throw Error(statePath + " lacks the LSTM's cell state");
                    // GRU and plain RNN: no cell state (older files wrote zeros).
                    state->hidden.c.assign(static_cast<std::size_t>(mc.layers),
                        LanguageModel<Scalar>::Mat::Zero(mc.hiddenSize, state->batch));
                }
            }
            if (wantsAdam) {
                const Json names = sm.value("adam_params", Json::array());
                const bool frozen = model.embeddingFrozen();
                model.setEmbeddingFrozen(config.freezeEmbedding);
                auto params = model.trainableParameters();
                model.setEmbeddingFrozen(frozen);
                if (names.size() != params.size())
                    throw Error(statePath + ": the optimiser state does not fit the model");
                for (std::size_t k = 0; k < params.size(); ++k) {
                    if (names[k] != params[k].name)
                        throw Error(statePath + ": the optimiser state does not fit the model");
                    for (auto [prefix, into] : { std::pair { "adam.exp_avg.", &state->adamM },
                             std::pair { "adam.exp_avg_sq.", &state->adamV } }) {
                        const std::string name = prefix + params[k].name;
                        const TensorInfo *t = file.find(name);
                        if (!t || t->shape != params[k].shape)
                            throw Error(statePath + ": tensor '" + name
                                + "' is missing or does not fit the model");
                        into->emplace_back(params[k].value->rows(), params[k].value->cols());
                        file.read<Scalar>(name, into->back().data(),
                            static_cast<std::size_t>(into->back().size()));
                    }
                }
            }
        } catch (const Error &e) {
            startAfresh(std::string("The training state could not be read (") + e.what() + ").");
        }
    }
    out.state = std::move(state);
    return out;
}

#define EMBEDLAB_INSTANTIATE(S)                                                                    \
    template std::string trainingMetadata<S>(                                                      \
        const TrainState<S> &, const TrainConfig &, const std::map<std::string, std::string> &);   \
    template void saveTrainingCheckpoint<S>(const std::string &, LanguageModel<S> &,               \
        const Vocabulary &, const TokenizerOptions &, const TrainState<S> &, const TrainConfig &,  \
        const std::map<std::string, std::string> &, const std::map<std::string, std::string> &);   \
    template LoadedTrainState<S> loadTrainState<S>(                                                \
        const std::string &, const std::map<std::string, std::string> &, LanguageModel<S> &);
EMBEDLAB_INSTANTIATE(float)
EMBEDLAB_INSTANTIATE(double)
#undef EMBEDLAB_INSTANTIATE

} // namespace embedlab
