#include "core/pretrained.h"

#include <unordered_map>

#include "core/error.h"

namespace embedlab {

template <typename Scalar>
EmbeddingInitReport initEmbeddingFrom(LstmLanguageModel<Scalar> &model, const Vocabulary &vocab,
                                      const std::vector<std::string> &words,
                                      const Eigen::Ref<const Eigen::MatrixXf> &vectors)
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

template EmbeddingInitReport initEmbeddingFrom<float>(LstmLanguageModel<float> &,
                                                      const Vocabulary &,
                                                      const std::vector<std::string> &,
                                                      const Eigen::Ref<const Eigen::MatrixXf> &);
template EmbeddingInitReport initEmbeddingFrom<double>(LstmLanguageModel<double> &,
                                                       const Vocabulary &,
                                                       const std::vector<std::string> &,
                                                       const Eigen::Ref<const Eigen::MatrixXf> &);

} // namespace embedlab
