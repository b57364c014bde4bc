#include "core/pretrained.h"

#include <unordered_map>

#include "core/classifier.h"
#include "core/error.h"

namespace embedlab {

template <typename Scalar>
EmbeddingInitReport initEmbeddingFrom(LanguageModel<Scalar> &model, const Vocabulary &vocab,
    const std::vector<std::string> &words, const Eigen::Ref<const Eigen::MatrixXf> &vectors)
{
    const int E = model.config().embeddingDim;
    if (vectors.rows() != static_cast<Eigen::Index>(words.size()))
        throw Error("pre-trained vectors: " + std::to_string(words.size()) + " words but "
            + std::to_string(vectors.rows()) + " rows");
    if (vectors.cols() != E)
        throw Error("pre-trained vectors have dimension " + std::to_string(vectors.cols())
            + " but the model's embedding size is " + std::to_string(E));
    if (vocab.size() != model.config().vocabSize)
        throw Error("pre-trained vectors: the vocabulary does not belong to this model");
    std::unordered_map<std::string_view, Eigen::Index> row;
    row.reserve(words.size());
    for (std::size_t i = 0; i < words.size(); ++i)
        row.emplace(words[i], static_cast<Eigen::Index>(i));
    EmbeddingInitReport report;
    for (int id = 3; id < vocab.size(); ++id) {
        auto it = row.find(vocab.word(id));
        if (it == row.end()) {
            if (report.missing.size() < 20)
                report.missing.push_back(vocab.word(id));
            continue;
        }
        model.encoder().col(id) = vectors.row(it->second).transpose().template cast<Scalar>();
        ++report.covered;
        report.coveredTokens += vocab.count(id);
    }
    return report;
}

template EmbeddingInitReport initEmbeddingFrom<float>(LanguageModel<float> &, const Vocabulary &,
    const std::vector<std::string> &, const Eigen::Ref<const Eigen::MatrixXf> &);
template EmbeddingInitReport initEmbeddingFrom<double>(LanguageModel<double> &, const Vocabulary &,
    const std::vector<std::string> &, const Eigen::Ref<const Eigen::MatrixXf> &);

} // namespace embedlab

namespace embedlab {

namespace {

// ASCII lowercase is what pre-trained tables (GloVe, fastText) use; the tokenizer handles the
// rest of Unicode for corpora.
std::string lowerAscii(const std::string &w)
{
    std::string s = w;
    for (char &ch : s)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

// Row of a vocabulary word in the table, or -1; *folded is set when only the lowercase form hit.
int lookup(const WordVectors &vectors, const std::string &word, bool caseFallback, bool *folded)
{
    *folded = false;
    int row = vectors.find(word);
    if (row < 0 && caseFallback) {
        const std::string lower = lowerAscii(word);
        if (lower != word) {
            row = vectors.find(lower);
            *folded = row >= 0;
        }
    }
    return row;
}

} // namespace

Coverage computeCoverage(const Vocabulary &vocab, const WordVectors &vectors, bool caseFallback)
{
    Coverage c;
    Eigen::VectorXf ngrams(vectors.subwords() ? vectors.dim() : 0); // (dim), with subwords only
    for (int id = 3; id < vocab.size(); ++id) {
        const std::uint64_t count = vocab.count(id);
        ++c.words;
        c.tokens += count;
        bool folded = false;
        if (lookup(vectors, vocab.word(id), caseFallback, &folded) >= 0) {
            ++c.coveredWords;
            c.coveredTokens += count;
            c.caseFoldedWords += folded;
        } else if (ngrams.size() > 0 && vectors.vectorOf(vocab.word(id), ngrams)) {
            ++c.coveredWords;
            c.coveredTokens += count;
            ++c.ngramWords;
            c.ngramTokens += count;
        } else if (c.topMissing.size() < 20) {
            c.topMissing.emplace_back(vocab.word(id), count); // ids are by descending count
        }
    }
    return c;
}

WordVectors embeddingTable(
    const LanguageModel<float> &model, const Vocabulary &vocab, bool includePad)
{
    return embeddingTable(model.encoder(), vocab, includePad);
}

WordVectors embeddingTable(const Eigen::MatrixXf &enc, const Vocabulary &vocab, bool includePad)
{
    if (vocab.size() != enc.cols())
        throw Error("embedding table: the vocabulary does not belong to this model");
    static_assert(Vocabulary::Pad == 0, "<pad> is the first row");
    // enc: (E, V) column-major == (V, E) row-major
    const Eigen::Index skip = includePad ? 0 : 1;
    RowMatrixXf rows = Eigen::Map<const RowMatrixXf>(enc.data(), enc.cols(), enc.rows())
                           .bottomRows(enc.cols() - skip);
    std::vector<std::string> words(vocab.words().begin() + skip, vocab.words().end());
    std::vector<std::uint64_t> counts;
    if (vocab.counts().size() == vocab.words().size())
        counts.assign(vocab.counts().begin() + skip, vocab.counts().end());
    return WordVectors(std::move(words), std::move(rows), std::move(counts));
}

const char *uncoveredInitName(UncoveredInit init)
{
    switch (init) {
    case UncoveredInit::Zeros:
        return "zeros";
    case UncoveredInit::Mean:
        return "mean";
    case UncoveredInit::Random:
        break;
    }
    return "random";
}

bool parseUncoveredInit(const std::string &name, UncoveredInit &out)
{
    for (UncoveredInit i : { UncoveredInit::Random, UncoveredInit::Zeros, UncoveredInit::Mean })
        if (name == uncoveredInitName(i)) {
            out = i;
            return true;
        }
    return false;
}

namespace {

template <typename Scalar> using EncoderOf = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

void checkShape(int modelDim, int modelVocab, const Vocabulary &vocab, const WordVectors &vectors)
{
    if (vectors.dim() != modelDim)
        throw Error("the vectors have " + std::to_string(vectors.dim())
            + " dimensions but the model's embedding has " + std::to_string(modelDim)
            + "; set the embedding size to " + std::to_string(vectors.dim())
            + " or let the model adopt the file's dimension");
    if (vocab.size() != modelVocab)
        throw Error("pre-trained vectors: the vocabulary does not belong to this model");
}

// The rows of uncovered words as `uncovered` says: `random` with a range draws
// uniform(-range, range), without one (range <= 0) keeps the rows as they are.
template <typename Scalar>
void fillRows(EncoderOf<Scalar> &enc, const WordVectors &vectors, UncoveredInit uncovered,
    std::uint64_t seed, double range)
{
    const Eigen::Index E = enc.rows();
    if (uncovered == UncoveredInit::Random) {
        if (range <= 0)
            return;
        Rng rng(seed);
        for (Eigen::Index id = 0; id < enc.cols(); ++id)
            for (Eigen::Index k = 0; k < E; ++k)
                enc(k, id) = static_cast<Scalar>(rng.uniform(-range, range));
    } else if (uncovered == UncoveredInit::Zeros || vectors.size() == 0) {
        enc.setZero();
    } else {
        const EncoderOf<Scalar> mean
            = (vectors.vectors().colwise().sum().transpose().template cast<double>()
                / static_cast<double>(vectors.size()))
                  .template cast<Scalar>();
        enc = mean.replicate(1, enc.cols());
    }
}

// Copies the vectors of the covered words (with the case fallback, or by fastText's n-grams)
// into their rows; <pad> is zero.
template <typename Scalar>
Coverage copyCovered(
    EncoderOf<Scalar> &enc, const Vocabulary &vocab, const WordVectors &vectors, bool caseFallback)
{
    const auto E = static_cast<int>(enc.rows());
    Coverage c;
    Eigen::VectorXf ngrams(vectors.subwords() ? E : 0); // (E), with subwords only
    for (int id = 3; id < vocab.size(); ++id) {
        const std::uint64_t count = vocab.count(id);
        ++c.words;
        c.tokens += count;
        bool folded = false;
        const int row = lookup(vectors, vocab.word(id), caseFallback, &folded);
        if (row >= 0) {
            enc.col(id) = vectors.vectors().row(row).transpose().template cast<Scalar>();
            ++c.coveredWords;
            c.coveredTokens += count;
            c.caseFoldedWords += folded;
        } else if (ngrams.size() > 0 && vectors.vectorOf(vocab.word(id), ngrams)) {
            enc.col(id) = ngrams.template cast<Scalar>();
            ++c.coveredWords;
            c.coveredTokens += count;
            ++c.ngramWords;
            c.ngramTokens += count;
        } else if (c.topMissing.size() < 20) {
            c.topMissing.emplace_back(vocab.word(id), count);
        }
    }
    enc.col(Vocabulary::Pad).setZero();
    return c;
}

} // namespace

template <typename Scalar>
Coverage initEmbedding(LanguageModel<Scalar> &model, const Vocabulary &vocab,
    const WordVectors &vectors, UncoveredInit uncovered, std::uint64_t seed, double range,
    bool caseFallback)
{
    checkShape(model.config().embeddingDim, model.config().vocabSize, vocab, vectors);
    fillRows<Scalar>(model.encoder(), vectors, uncovered, seed, range);
    return copyCovered<Scalar>(model.encoder(), vocab, vectors, caseFallback);
}

template <typename Scalar>
Coverage initEmbedding(TextClassifier<Scalar> &model, const Vocabulary &vocab,
    const WordVectors &vectors, UncoveredInit uncovered, bool caseFallback)
{
    checkShape(model.config().embeddingDim, model.config().vocabSize, vocab, vectors);
    fillRows<Scalar>(model.encoder(), vectors, uncovered, 0, 0);
    return copyCovered<Scalar>(model.encoder(), vocab, vectors, caseFallback);
}

template Coverage initEmbedding<float>(
    TextClassifier<float> &, const Vocabulary &, const WordVectors &, UncoveredInit, bool);
template Coverage initEmbedding<double>(
    TextClassifier<double> &, const Vocabulary &, const WordVectors &, UncoveredInit, bool);

template Coverage initEmbedding<float>(LanguageModel<float> &, const Vocabulary &,
    const WordVectors &, UncoveredInit, std::uint64_t, double, bool);
template Coverage initEmbedding<double>(LanguageModel<double> &, const Vocabulary &,
    const WordVectors &, UncoveredInit, std::uint64_t, double, bool);

} // namespace embedlab
