// Tokenising speed: reads FILE once, then tokenises every line of it N times with LineTokenizer
// (what corpusFromText does per line) and prints one JSON object with the best time, MB/s and
// the token count, for each tokenizer setting asked for.
//
//   bench_tokenizer FILE [--repeat N] [--lowercase] [--mode word|char] [--cjk words|chars]
//                        [--normalize none|nfc|nfkc]
//
// Only the tokenizer is used (no core/corpus), so the same file builds against older trees with
// core/tokenizer.cpp and core/utf8.cpp alone, for a before/after comparison (define
// BENCH_TOKENIZER_BEFORE_ICU there: the older tokenizer has no --cjk or --normalize).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/tokenizer.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

struct Pass
{
    std::uint64_t tokens = 0;
    std::uint64_t bytes = 0; // of the tokens, so the work cannot be optimised away
};

Pass tokenizeText(std::string_view text, const TokenizerOptions &options)
{
    Pass p;
    std::string_view token;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto *nl
            = static_cast<const char *>(std::memchr(text.data() + pos, '\n', text.size() - pos));
        const std::size_t end = nl ? static_cast<std::size_t>(nl - text.data()) : text.size();
        LineTokenizer tokenizer(text.substr(pos, end - pos), options);
        while (tokenizer.next(token)) {
            ++p.tokens;
            p.bytes += token.size();
        }
        pos = end + 1;
    }
    return p;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr,
            "usage: bench_tokenizer FILE [--repeat N] [--lowercase] "
            "[--mode word|char]\n");
        return 2;
    }
    const std::string path = argv[1];
    int repeat = 5;
    TokenizerOptions options;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repeat" && i + 1 < argc)
            repeat = std::max(1, std::atoi(argv[++i]));
        else if (a == "--lowercase")
            options.lowercase = true;
        else if (a == "--mode" && i + 1 < argc) {
            if (!parseTokenizerMode(argv[++i], options.mode)) {
                std::fprintf(stderr, "unknown mode %s\n", argv[i]);
                return 2;
            }
        }
#ifndef BENCH_TOKENIZER_BEFORE_ICU
        else if (a == "--cjk" && i + 1 < argc) {
            if (!parseCjkSegmentation(argv[++i], options.cjk)) {
                std::fprintf(stderr, "unknown --cjk %s\n", argv[i]);
                return 2;
            }
        } else if (a == "--normalize" && i + 1 < argc) {
            if (!parseNormalization(argv[++i], options.normalize)) {
                std::fprintf(stderr, "unknown --normalize %s\n", argv[i]);
                return 2;
            }
        }
#endif
        else {
            std::fprintf(stderr, "unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    try {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "bench_tokenizer: cannot open %s\n", path.c_str());
            return 1;
        }
        std::ostringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        double best = 1e300;
        Pass pass;
        for (int r = 0; r < repeat; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            pass = tokenizeText(text, options);
            const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
            best = std::min(best, dt.count());
        }
        Json j;
        j["file"] = path;
        j["mode"] = tokenizerModeName(options.mode);
        j["lowercase"] = options.lowercase;
#ifndef BENCH_TOKENIZER_BEFORE_ICU
        j["cjk"] = cjkSegmentationName(options.cjk);
        j["normalize"] = normalizationName(options.normalize);
#endif
        j["bytes"] = text.size();
        j["tokens"] = pass.tokens;
        j["token_bytes"] = pass.bytes;
        j["best_seconds"] = best;
        j["mb_per_sec"] = static_cast<double>(text.size()) / 1e6 / best;
        j["repeat"] = repeat;
        std::printf("%s\n", j.dump().c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
        return 1;
    }
    return 0;
}
