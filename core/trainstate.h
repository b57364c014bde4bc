#pragma once
// A checkpoint that can go on training exactly: the model file (PyTorch-loadable, with the run's
// counters, schedule and settings in its `embedlab.training` metadata) and, beside it, the tensors
// of the training state (Adam's moments, the recurrent state carried into the next window) in
// NAME.trainstate.safetensors, so that the model file still loads strictly into PyTorch.
#include <map>
#include <memory>
#include <string>

#include "core/checkpoint.h"
#include "core/trainer.h"

namespace embedlab {

// NAME.safetensors -> NAME.trainstate.safetensors (any other name gets the suffix appended).
std::string trainStatePath(const std::string &checkpointPath);

// The `embedlab.training` metadata of a run in `state` trained with `config`; `extra` members
// (the corpus, for example) come first.
template <typename Scalar>
std::string trainingMetadata(const TrainState<Scalar> &state, const TrainConfig &config,
    const std::map<std::string, std::string> &extraJson = {});

// Writes the checkpoint (atomically) and, when the run has started, its training state beside
// it first; both name the same save, so a state left from another save is recognised.
// `extraJson` values are JSON texts added to `embedlab.training`.
template <typename Scalar>
void saveTrainingCheckpoint(const std::string &path, LanguageModel<Scalar> &model,
    const Vocabulary &vocab, const TokenizerOptions &tokenizer, const TrainState<Scalar> &state,
    const TrainConfig &config, const std::map<std::string, std::string> &extraJson = {},
    const std::map<std::string, std::string> &extraMetadata = {});

// What a saved checkpoint says about its run.
template <typename Scalar> struct LoadedTrainState
{
    std::unique_ptr<TrainState<Scalar>> state; // nullptr: the file records no training
    TrainConfig config; // the settings it was trained with (defaults for those not recorded)
    // Empty when the run continues exactly; otherwise what starts afresh and why (the state
    // file is missing, belongs to another save or does not fit the model).
    std::string notice;
};

// Reads `embedlab.training` from a loaded checkpoint's metadata and the state file beside it.
// Throws Error naming the file when the metadata is malformed; a missing or mismatched state
// file is not an error (see notice).
template <typename Scalar>
LoadedTrainState<Scalar> loadTrainState(const std::string &checkpointPath,
    const std::map<std::string, std::string> &metadata, LanguageModel<Scalar> &model);

} // namespace embedlab
