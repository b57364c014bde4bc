#pragma once
// Pieces shared by the embedlab-cli commands: option definitions (CLI11) and JSON output.
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/jsonfields.h"
#include "core/pretrained.h"
#include "core/safetensors.h"
#include "core/tokenizer.h"
#include "core/vectors/format.h"

namespace embedlab::cli {

using Json = nlohmann::ordered_json;

// A misuse found after the options parsed (a combination that makes no sense); exits with 2 like
// a parse error.
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// A subcommand and what runs it once its options have been parsed into the values it reads.
using Commands = std::vector<std::pair<CLI::App *, std::function<int()>>>;

// 1099511627776 as 2^40, for --help.
inline std::string boundText(long long v)
{
    for (int bits = 20; bits < 63; ++bits)
        if (v == 1LL << bits)
            return "2^" + std::to_string(bits);
    return std::to_string(v);
}

// A whole number in [lo, hi], written in decimal. The value is handed on in canonical form so that
// CLI11's own conversion (which would read "010" as octal) sees what was checked.
inline CLI::Validator integerIn(long long lo, long long hi)
{
    return CLI::Validator(
        [lo, hi](std::string &s) -> std::string {
            std::size_t pos = 0;
            long long v = 0;
            try {
                v = std::stoll(s, &pos);
            } catch (...) {
                pos = 0;
            }
            if (pos != s.size() || s.empty())
                return "'" + s + "' is not an integer";
            if (v < lo || v > hi)
                return s + " is outside " + std::to_string(lo) + ".." + std::to_string(hi);
            s = std::to_string(v);
            return {};
        },
        boundText(lo) + ".." + boundText(hi));
}

// A finite decimal number; handed on with 17 significant digits, which read back exactly.
inline CLI::Validator finiteNumber()
{
    return CLI::Validator(
        [](std::string &s) -> std::string {
            std::size_t pos = 0;
            double v = 0;
            try {
                v = std::stod(s, &pos);
            } catch (...) {
                pos = 0;
            }
            if (pos != s.size() || s.empty() || !std::isfinite(v))
                return "'" + s + "' is not a number";
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", v);
            s = buf;
            return {};
        },
        "");
}

// A name that accepts takes; "expected sgd or adam, got 'lbfgs'" otherwise (names: "sgd|adam").
inline CLI::Validator nameIn(
    const std::string &names, std::function<bool(const std::string &)> accepts)
{
    std::string expected;
    std::size_t from = 0;
    while (from <= names.size()) {
        std::size_t bar = names.find('|', from);
        const bool last = bar == std::string::npos;
        if (last)
            bar = names.size();
        expected += (from == 0 ? "" : last ? " or " : ", ") + names.substr(from, bar - from);
        from = bar + 1;
    }
    return CLI::Validator(
        [expected, accepts](std::string &s) -> std::string {
            return accepts(s) ? std::string() : "expected " + expected + ", got '" + s + "'";
        },
        "", "nameIn");
}

// The names of the vector formats in the table, "glove|word2vec|...": those that can be read
// (then "auto" first), or only those with a writer.
inline std::string vectorFormatChoices(bool writableOnly)
{
    std::string names = writableOnly ? "" : "auto";
    for (const VectorFormatInfo &f : vectorFormats())
        if (!writableOnly || f.write)
            names += (names.empty() ? "" : "|") + std::string(f.name);
    return names;
}

// Typed options with the checks above; the help shows the bound value as the default.
template <typename T>
CLI::Option *addInteger(CLI::App &cmd, const std::string &name, T &value, long long lo,
    long long hi, const std::string &help)
{
    return cmd.add_option(name, value, help)->transform(integerIn(lo, hi))->type_name("N");
}

inline CLI::Option *addNumber(
    CLI::App &cmd, const std::string &name, double &value, const std::string &help)
{
    return cmd.add_option(name, value, help)->transform(finiteNumber())->type_name("X");
}

inline CLI::Option *addChoice(CLI::App &cmd, const std::string &name, std::string &value,
    const std::string &names, std::function<bool(const std::string &)> accepts,
    const std::string &help)
{
    return cmd.add_option(name, value, help)
        ->check(nameIn(names, std::move(accepts)))
        ->type_name(names);
}

// --cjk and --normalize, shared by train, encode and inspect.
inline void addCjkOptions(CLI::App &cmd, std::string &cjk, std::string &normalize)
{
    addChoice(
        cmd, "--cjk", cjk, "words|chars",
        [](const std::string &s) {
            CjkSegmentation c;
            return parseCjkSegmentation(s, c);
        },
        "Chinese, Japanese, Thai, Lao, Khmer, Burmese: words by ICU's dictionaries, or one token "
        "per Han character as before");
    addChoice(
        cmd, "--normalize", normalize, "none|nfc|nfkc",
        [](const std::string &s) {
            Normalization n;
            return parseNormalization(s, n);
        },
        "Unicode normalisation of each line before it is split");
}

inline void emit(const Json &j)
{
    std::cout << dumpJson(j) << '\n' << std::flush;
}

// The `vectors` event of a training run whose embedding starts from a file.
inline void emitVectorsEvent(const std::string &path, const WordVectors &vectors, const Coverage &c,
    UncoveredInit uncovered, bool frozen)
{
    Json j = Json::object();
    j["event"] = "vectors";
    j["vectors"] = path;
    j["rows"] = static_cast<std::uint64_t>(vectors.size());
    j["dim"] = vectors.dim();
    j["covered_words"] = c.coveredWords;
    j["ngram_words"] = c.ngramWords;
    j["vocab_words"] = c.words;
    j["token_share"] = c.tokenShare();
    j["uncovered"] = uncoveredInitName(uncovered);
    j["frozen"] = frozen;
    emit(j);
}

// The word-vector commands (cli_vectors.cpp): inspect, neighbors, analogy, evaluate, pca, project,
// convert.
void addVectorCommands(CLI::App &cli, Commands &commands);

} // namespace embedlab::cli
