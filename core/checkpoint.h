#pragma once
// Model checkpoints: one .safetensors file whose tensors are named and shaped exactly as
// PyTorch's word_language_model RNNModel state_dict, with the vocabulary and settings in the
// header's __metadata__, so the file loads into PyTorch with load_state_dict and back.
#include <map>
#include <memory>
#include <string>

#include "core/model.h"
#include "core/tokenizer.h"
#include "core/vocabulary.h"

namespace embedlab {

// __metadata__ keys.
inline constexpr const char *CheckpointFormat = "embedlab-lstm-lm";
inline constexpr const char *MetaFormat = "format";
inline constexpr const char *MetaConfig = "embedlab.config";
inline constexpr const char *MetaVocab = "embedlab.vocab";
inline constexpr const char *MetaCounts = "embedlab.counts";
inline constexpr const char *MetaTraining = "embedlab.training"; // core/trainstate.h
// The format of a checkpoint's companion file with its training state (core/trainstate.h).
inline constexpr const char *TrainStateFormat = "embedlab-train-state";

template <typename Scalar> struct LoadedCheckpoint
{
    std::unique_ptr<LanguageModel<Scalar>> model;
    Vocabulary vocab;
    TokenizerOptions tokenizer;
    std::map<std::string, std::string> metadata; // everything in __metadata__
};

// Writes atomically (temporary file, then rename). `extra` goes into __metadata__ as well.
template <typename Scalar>
void saveCheckpoint(const std::string &path, LanguageModel<Scalar> &model, const Vocabulary &vocab,
    const TokenizerOptions &tokenizer, const std::map<std::string, std::string> &extra = {});

// Throws Error naming the file and the problem (missing tensor, wrong shape, no vocabulary...).
template <typename Scalar> LoadedCheckpoint<Scalar> loadCheckpoint(const std::string &path);

} // namespace embedlab
