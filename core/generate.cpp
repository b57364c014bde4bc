#include "core/generate.h"

#include <cmath>
#include <limits>

#include "core/corpus.h"
#include "core/error.h"
#include "core/random.h"
#include "core/tokenizer.h"

namespace embedlab {

std::string generateText(const LanguageModel<float> &model, const Vocabulary &vocab,
    const TokenizerOptions &tokenizer, const std::string &prompt, const GenerateOptions &options)
{
    if (options.temperature < 0 || !std::isfinite(options.temperature))
        throw Error("generate: the temperature must be 0 or positive");
    if (vocab.size() != model.config().vocabSize)
        throw Error("generate: the vocabulary does not belong to this model");
    const bool words = tokenizer.mode == TokenizerMode::Word;
    Rng rng(options.seed);
    std::vector<std::int32_t> ids = encodeText(prompt, vocab, tokenizer);
    // encodeText ends a non-empty line with <eos>; a prompt is continued instead.
    if (!ids.empty() && ids.back() == Vocabulary::Eos)
        ids.pop_back();
    if (ids.empty())
        ids.push_back(Vocabulary::Eos);
    auto state = model.zeroState(1);
    LanguageModel<float>::Workspace ws;
    std::string text = prompt;
    const auto *logits
        = &model.forwardLogits(ids.data(), static_cast<int>(ids.size()), 1, state, ws);
    Eigen::Index column = static_cast<Eigen::Index>(ids.size()) - 1;
    for (int k = 0; k < options.tokens; ++k) {
        Eigen::VectorXd p = logits->col(column).cast<double>();
        p(Vocabulary::Pad) = -std::numeric_limits<double>::infinity();
        Eigen::Index next = 0;
        if (options.temperature == 0) {
            p.maxCoeff(&next);
        } else {
            p = ((p.array() - p.maxCoeff()) / options.temperature).exp();
            double u = rng.uniform() * p.sum();
            for (next = 0; next < p.size() - 1; ++next) {
                u -= p(next);
                if (u < 0)
                    break;
            }
        }
        const auto id = static_cast<std::int32_t>(next);
        if (id == Vocabulary::Eos) {
            text += '\n';
        } else {
            if (words && !text.empty() && text.back() != '\n'
                && !joinsWithoutSpace(text, vocab.word(id)))
                text += ' ';
            text += vocab.word(id);
        }
        logits = &model.forwardLogits(&id, 1, 1, state, ws);
        column = 0;
    }
    return text;
}

} // namespace embedlab
