#pragma once
// Initialising the model's embedding layer from pre-trained vectors.
#include <Eigen/Core>

#include <string>
#include <vector>

#include "core/model.h"
#include "core/vocabulary.h"

namespace embedlab {

struct EmbeddingInitReport {
    std::size_t covered = 0;       // vocabulary words found in the pre-trained list
    std::uint64_t coveredTokens = 0; // their total count in the corpus
    std::vector<std::string> missing; // the most frequent words not found (at most 20)
};

// Copies the vector of every vocabulary word found in `words` (row i of `vectors` belongs to
// words[i]; the first occurrence of a word wins) into the encoder; the other rows keep their
// current values. The specials are never overwritten. Throws Error when the dimension differs
// from the model's embedding size.
template <typename Scalar>
EmbeddingInitReport initEmbeddingFrom(LstmLanguageModel<Scalar> &model, const Vocabulary &vocab,
                                      const std::vector<std::string> &words,
                                      const Eigen::Ref<const Eigen::MatrixXf> &vectors);

} // namespace embedlab
