#pragma once
// Text classification from the command line: `train --task classify` and `classify`.
#include <cstdint>
#include <string>

#include "app/cli_common.h"

namespace embedlab::cli {

// What `train --task classify` reads: train's own options, and whether each was given.
struct ClassifyTrainArgs
{
    std::string corpus, valid, tokenizer = "word", out;
    bool lowercase = false;
    std::string cjk = "words", normalize = "none";
    std::uint64_t minCount = 1;
    std::size_t maxVocab = 0;
    double validFraction = 0.1;
    std::string cell = "lstm", optimizer = "adam", pooling = "last";
    int embeddingDim = 64, hidden = 64, layers = 1, batch = 32, epochs = 3, threads = 0;
    double lr = 0.002, clip = 0;
    std::uint64_t seed = 1;
    long long logInterval = 50;
    int maxLength = 0;
    std::string padding = "pre", truncating = "pre";
    std::string format = "auto", labelColumn = "label", textColumn = "text";
    // Pre-trained vectors for the embedding (empty: none), and whether it trains.
    std::string vectors, vectorsFormat = "auto", uncovered = "random";
    bool adoptDimension = false, freezeEmbedding = false;
};

int runTrainClassify(const ClassifyTrainArgs &args);

// "auto", "tab", "fasttext" or "csv".
bool parseLabelledFormat(const std::string &name);

// The classify command.
void addClassify(CLI::App &cli, Commands &commands);

} // namespace embedlab::cli
