#pragma once
// Pre-trained vectors meet the model: how much of a vocabulary they cover, and initialising the
// embedding layer from them.
#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/vocabulary.h"
#include "core/wordvectors.h"

namespace embedlab {

struct EmbeddingInitReport
{
    std::size_t covered = 0; // vocabulary words found in the pre-trained list
    std::uint64_t coveredTokens = 0; // their total count in the corpus
    std::vector<std::string> missing; // the most frequent words not found (at most 20)
};

// Copies the vector of every vocabulary word found in `words` (row i of `vectors` belongs to
// words[i]; the first occurrence of a word wins) into the encoder; the other rows keep their
// current values. The specials are never overwritten. Throws Error when the dimension differs
// from the model's embedding size.
template <typename Scalar>
EmbeddingInitReport initEmbeddingFrom(LanguageModel<Scalar> &model, const Vocabulary &vocab,
    const std::vector<std::string> &words, const Eigen::Ref<const Eigen::MatrixXf> &vectors);

// How well a table of vectors covers a corpus vocabulary (the three specials not counted).
// A word missing as written is looked up lowercased too when caseFallback is set; a fastText
// model (a table with subwords) then covers every other word that has a character n-gram in its
// buckets, with the vector fastText gives it (WordVectors::vectorOf), counted in ngram*.
struct Coverage
{
    std::uint64_t words = 0, coveredWords = 0, caseFoldedWords = 0;
    std::uint64_t ngramWords = 0; // of coveredWords: by their n-grams, not a row of the table
    std::uint64_t tokens = 0, coveredTokens = 0; // by corpus counts
    std::uint64_t ngramTokens = 0; // of coveredTokens
    std::vector<std::pair<std::string, std::uint64_t>> topMissing; // most frequent first, <= 20
    double wordShare() const { return words ? double(coveredWords) / double(words) : 0.0; }
    double tokenShare() const { return tokens ? double(coveredTokens) / double(tokens) : 0.0; }
};
Coverage computeCoverage(
    const Vocabulary &vocab, const WordVectors &vectors, bool caseFallback = true);

// A copy of the model's embedding table as word vectors (row i: vocab word i). Without <pad>
// (whose row never trains: it is only what initialisation left), row i is vocab word i + 1; the
// views use that, exports keep every row.
WordVectors embeddingTable(
    const LanguageModel<float> &model, const Vocabulary &vocab, bool includePad = true);
// The same of any model's encoder, (E, V): a text classifier's.
WordVectors embeddingTable(
    const Eigen::MatrixXf &encoder, const Vocabulary &vocab, bool includePad = true);

// How the rows of words the vectors do not cover start.
enum class UncoveredInit { Random, Zeros, Mean };
const char *uncoveredInitName(UncoveredInit);
bool parseUncoveredInit(const std::string &name, UncoveredInit &out);

// Initialises the model's encoder: covered rows (with the same case fallback) are copied, the
// others are uniform(-range, range) (the layer's default), zeros, or the mean of the table's
// vectors; <pad> stays zero. Throws Error when the vectors' dimension differs from the model's.
template <typename Scalar>
Coverage initEmbedding(LanguageModel<Scalar> &model, const Vocabulary &vocab,
    const WordVectors &vectors, UncoveredInit uncovered, std::uint64_t seed, double range = 0.1,
    bool caseFallback = true);

template <typename Scalar> class TextClassifier;

// The same for a classifier's encoder, except that `random` keeps the rows the model drew
// (nn.Embedding's normal(0, 1)) for the uncovered words.
template <typename Scalar>
Coverage initEmbedding(TextClassifier<Scalar> &model, const Vocabulary &vocab,
    const WordVectors &vectors, UncoveredInit uncovered, bool caseFallback = true);

} // namespace embedlab
