#pragma once
// Pieces shared by the embedlab-cli commands: option parsing and JSON output.
#include <cmath>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/safetensors.h"

namespace embedlab::cli {

using Json = nlohmann::ordered_json;

class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// --name value / --name=value / boolean --flag.
class Args
{
public:
    Args(const std::vector<std::string> &args, const std::set<std::string> &valued,
        const std::set<std::string> &flags, const std::string &command)
    {
        for (std::size_t i = 0; i < args.size(); ++i) {
            std::string a = args[i];
            if (a.rfind("--", 0) != 0)
                throw UsageError(command + ": unexpected argument '" + a + "'");
            std::string name = a.substr(2), value;
            bool hasValue = false;
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                hasValue = true;
            }
            if (flags.count(name)) {
                if (hasValue)
                    throw UsageError(command + ": --" + name + " takes no value");
                m_values[name] = "1";
            } else if (valued.count(name)) {
                if (!hasValue) {
                    if (i + 1 >= args.size())
                        throw UsageError(command + ": --" + name + " needs a value");
                    value = args[++i];
                }
                m_values[name] = value;
            } else {
                throw UsageError(command + ": unknown option --" + name);
            }
        }
    }

    bool has(const std::string &n) const { return m_values.count(n) > 0; }
    std::string str(const std::string &n, const std::string &def = {}) const
    {
        auto it = m_values.find(n);
        return it == m_values.end() ? def : it->second;
    }
    std::string required(const std::string &n, const std::string &command) const
    {
        if (!has(n))
            throw UsageError(command + ": --" + n + " is required");
        return str(n);
    }
    long long integer(const std::string &n, long long def, long long lo, long long hi) const
    {
        if (!has(n))
            return def;
        const std::string s = str(n);
        std::size_t pos = 0;
        long long v = 0;
        try {
            v = std::stoll(s, &pos);
        } catch (...) {
            pos = 0;
        }
        if (pos != s.size() || s.empty())
            throw UsageError("--" + n + ": '" + s + "' is not an integer");
        if (v < lo || v > hi)
            throw UsageError("--" + n + ": " + s + " is outside " + std::to_string(lo) + ".."
                + std::to_string(hi));
        return v;
    }
    double number(const std::string &n, double def) const
    {
        if (!has(n))
            return def;
        const std::string s = str(n);
        std::size_t pos = 0;
        double v = 0;
        try {
            v = std::stod(s, &pos);
        } catch (...) {
            pos = 0;
        }
        if (pos != s.size() || s.empty() || !std::isfinite(v))
            throw UsageError("--" + n + ": '" + s + "' is not a number");
        return v;
    }

private:
    std::map<std::string, std::string> m_values;
};

inline Json finiteOrNull(double v)
{
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

inline void emit(const Json &j)
{
    std::cout << dumpJson(j) << '\n' << std::flush;
}

// The word-vector commands (cli_vectors.cpp).
int cmdInspect(const std::vector<std::string> &args);
int cmdNeighbors(const std::vector<std::string> &args);
int cmdAnalogy(const std::vector<std::string> &args);
int cmdEvaluate(const std::vector<std::string> &args);
int cmdPca(const std::vector<std::string> &args);
int cmdConvert(const std::vector<std::string> &args);

} // namespace embedlab::cli
