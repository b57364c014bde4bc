#pragma once
// Text classifier checkpoints: one .safetensors file with the tensors named as the equivalent
// PyTorch module's state_dict (encoder.weight, rnn.*, classifier.weight [C, H],
// classifier.bias [C]), and the vocabulary, labels, cell, pooling and padding in __metadata__.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/classifier.h"
#include "core/padding.h"
#include "core/tokenizer.h"
#include "core/vocabulary.h"

namespace embedlab {

inline constexpr const char *ClassifierCheckpointFormat = "embedlab-text-classifier";
inline constexpr const char *MetaLabels = "embedlab.labels";

template <typename Scalar> struct LoadedClassifier
{
    std::unique_ptr<TextClassifier<Scalar>> model;
    Vocabulary vocab;
    std::vector<std::string> labels; // class c is labels[c]
    TokenizerOptions tokenizer;
    PadOptions pad; // maxLength as trained
    std::map<std::string, std::string> metadata;
};

// True if the file's metadata says it is a classifier (does not read the tensors).
bool isClassifierMetadata(const std::map<std::string, std::string> &metadata);

// Writes atomically. `extra` goes into __metadata__ as well.
template <typename Scalar>
void saveClassifierCheckpoint(const std::string &path, TextClassifier<Scalar> &model,
    const Vocabulary &vocab, const std::vector<std::string> &labels,
    const TokenizerOptions &tokenizer, const PadOptions &pad,
    const std::map<std::string, std::string> &extra = {});

// Throws Error naming the file and the problem.
template <typename Scalar>
LoadedClassifier<Scalar> loadClassifierCheckpoint(const std::string &path);

} // namespace embedlab
