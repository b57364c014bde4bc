#pragma once
// Sampling text from a trained language model.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/tokenizer.h"
#include "core/vocabulary.h"

namespace embedlab {

struct GenerateOptions
{
    int tokens = 50;
    double temperature = 1.0; // 0 picks the likeliest token each step
    std::uint64_t seed = 1;
};

// Continues `prompt` (tokenised like the corpus; empty starts a new line) with sampled tokens.
// Tokens are joined as the tokenizer split them: characters directly, words by spaces except
// where the script writes none (Chinese, Japanese, Thai: joinsWithoutSpace), and <unk> as the
// token before it would be; <eos> becomes a line break; <pad> is never drawn. Returns the prompt
// followed by the generated text; *unknownWords gets the prompt's tokens the vocabulary lacks
// (read as <unk>), each once. The model is only read (the activations live in a workspace of
// this call), so several threads may generate from it at once.
std::string generateText(const LanguageModel<float> &model, const Vocabulary &vocab,
    const TokenizerOptions &tokenizer, const std::string &prompt, const GenerateOptions &options,
    std::vector<std::string> *unknownWords = nullptr);

} // namespace embedlab
