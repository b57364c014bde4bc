#include "core/generate.h"

#include <cmath>
#include <limits>
#include <string_view>

#include "core/corpus.h"
#include "core/error.h"
#include "core/random.h"
#include "core/tokenizer.h"

namespace embedlab {

namespace {

// The last code point of s (its UTF-8 bytes), or "" for an empty s.
std::string_view lastCodePoint(std::string_view s)
{
    std::size_t start = s.empty() ? 0 : s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
        --start;
    return s.substr(start);
}

} // namespace

std::string generateText(const LanguageModel<float> &model, const Vocabulary &vocab,
    const TokenizerOptions &tokenizer, const std::string &prompt, const GenerateOptions &options,
    std::vector<std::string> *unknownWords)
{
    if (options.temperature < 0 || !std::isfinite(options.temperature))
        throw Error("generate: the temperature must be 0 or positive");
    if (vocab.size() != model.config().vocabSize)
        throw Error("generate: the vocabulary does not belong to this model");
    const bool words = tokenizer.mode == TokenizerMode::Word;
    Rng rng(options.seed);
    std::vector<std::int32_t> ids = encodeText(prompt, vocab, tokenizer, nullptr, unknownWords);
    // encodeText ends a non-empty line with <eos>; a prompt is continued instead.
    if (!ids.empty() && ids.back() == Vocabulary::Eos)
        ids.pop_back();
    if (ids.empty())
        ids.push_back(Vocabulary::Eos);
    auto state = model.zeroState(1);
    LanguageModel<float>::Workspace ws;
    std::string text = prompt;
    // What the next token is joined to: the token before it (the prompt at first). <unk> (a
    // token of the corpus that is not in the vocabulary) is spaced as the script before it, and
    // the token after it is joined as if it followed that one: 我<unk>的, but "the <unk> of".
    std::string joinLeft = prompt;
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
            joinLeft.clear();
        } else {
            const std::string &word = vocab.word(id);
            const bool unk = id == Vocabulary::Unk;
            if (words && !text.empty() && text.back() != '\n'
                && !joinsWithoutSpace(
                    joinLeft, unk ? lastCodePoint(joinLeft) : std::string_view(word)))
                text += ' ';
            text += word;
            if (!unk)
                joinLeft = word;
        }
        logits = &model.forwardLogits(&id, 1, 1, state, ws);
        column = 0;
    }
    return text;
}

} // namespace embedlab
