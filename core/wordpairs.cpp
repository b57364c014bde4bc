#include "core/wordpairs.h"

#include "core/fileio.h"

#include "core/analogy.h"
#include "core/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace embedlab {

namespace {

constexpr const char *LineShape = "a line should be \"word<TAB>word<TAB>score\", like "
                                  "\"tiger\\tcat\\t7.35\"";

// Python's str.strip() of the ASCII white space float() allows around a number.
std::string_view trimmed(std::string_view s)
{
    const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// Python's float() of a decimal: optional sign, digits with single underscores between them, a
// point, an exponent. Infinity and NaN are refused (a correlation with them means nothing).
bool parseScore(std::string_view text, double &value)
{
    text = trimmed(text);
    std::string s;
    s.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '_') { // only between two digits, as Python allows
            const bool digitBefore = i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9';
            const bool digitAfter = i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9';
            if (!digitBefore || !digitAfter)
                return false;
            continue;
        }
        s += c;
    }
    std::size_t start = 0;
    if (!s.empty() && (s[0] == '+' || s[0] == '-'))
        start = 1;
    if (start >= s.size()
        || !(std::isdigit(static_cast<unsigned char>(s[start])) || s[start] == '.'))
        return false; // also refuses "inf", "nan" and hexadecimal
    const char *first = s.data() + (s[0] == '+' ? 1 : 0);
    const char *last = s.data() + s.size();
    const auto [end, ec] = std::from_chars(first, last, value, std::chars_format::general);
    return ec == std::errc() && end == last && std::isfinite(value);
}

double cosine(const WordVectors &table, int a, int b)
{
    const auto x = table.vectors().row(a).cast<double>();
    const auto y = table.vectors().row(b).cast<double>();
    const double nx = x.norm(), ny = y.norm();
    if (!(nx > 0) || !(ny > 0) || !std::isfinite(nx) || !std::isfinite(ny))
        return 0.0;
    // (x / |x|) . (y / |y|): the same number for (a, b) and (b, a), so repeated pairs tie
    return (x / nx).dot(y / ny);
}

} // namespace

std::vector<double> averageRanks(const std::vector<double> &values)
{
    const std::size_t n = values.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
        [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
    std::vector<double> ranks(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && values[order[j]] == values[order[i]])
            ++j;
        const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
        for (std::size_t t = i; t < j; ++t)
            ranks[order[t]] = rank;
        i = j;
    }
    return ranks;
}

double pearsonCorrelation(const std::vector<double> &x, const std::vector<double> &y)
{
    const std::size_t n = std::min(x.size(), y.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (n < 2)
        return nan;
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    double sxx = 0, syy = 0, sxy = 0;
    bool constantX = true, constantY = true;
    for (std::size_t i = 0; i < n; ++i) {
        constantX = constantX && x[i] == x[0];
        constantY = constantY && y[i] == y[0];
        const double dx = x[i] - mx, dy = y[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (constantX || constantY)
        return nan; // scipy warns and answers NaN
    return std::clamp(sxy / (std::sqrt(sxx) * std::sqrt(syy)), -1.0, 1.0);
}

double spearmanCorrelation(const std::vector<double> &x, const std::vector<double> &y)
{
    return pearsonCorrelation(averageRanks(x), averageRanks(y));
}

WordPairEvaluation evaluateWordPairs(const WordVectors &table, const std::string &pairsPath,
    std::size_t restrictTo, bool caseInsensitive)
{
    const std::string text = readFile(pairsPath);
    const std::size_t limit = restrictTo == 0 ? table.size() : std::min(restrictTo, table.size());
    const auto key = [caseInsensitive](std::string_view w) {
        return caseInsensitive ? upperCaseForMatching(w) : std::string(w);
    };
    const std::unordered_map<std::string, int> vocab
        = matchingVocabulary(table, restrictTo, caseInsensitive);

    WordPairEvaluation result;
    std::vector<double> gold, model;
    std::size_t pos = 0, lineNumber = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        pos = 3; // UTF-8 byte-order mark
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!line.empty() && line.front() == '#') {
            ++result.comments;
            continue;
        }
        if (trimmed(line).empty()) {
            ++result.blankLines;
            continue;
        }
        const std::size_t tab1 = line.find('\t');
        const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string_view::npos || line.find('\t', tab2 + 1) != std::string_view::npos) {
            const std::size_t tabs
                = static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t'));
            throw Error(fileMessage(pairsPath,
                "expected 3 fields separated by tabs, found " + std::to_string(tabs + 1) + "; "
                    + LineShape + " (\"#\" starts a comment)",
                lineNumber));
        }
        double score = 0;
        const std::string_view scoreText = line.substr(tab2 + 1);
        if (!parseScore(scoreText, score))
            throw Error(fileMessage(pairsPath,
                "the score \"" + std::string(trimmed(scoreText)) + "\" is not a finite number; "
                    + LineShape,
                lineNumber));
        const auto a = vocab.find(key(line.substr(0, tab1)));
        const auto b = vocab.find(key(line.substr(tab1 + 1, tab2 - tab1 - 1)));
        if (a == vocab.end() || b == vocab.end()) {
            ++result.oovPairs;
            continue;
        }
        gold.push_back(score);
        model.push_back(cosine(table, a->second, b->second));
    }
    if (gold.empty())
        throw Error(fileMessage(pairsPath,
            result.oovPairs == 0 ? std::string("no word pairs; ") + LineShape
                                 : "none of its " + std::to_string(result.oovPairs)
                    + " pairs has both words among the "
                    + (limit < table.size() ? "first " + std::to_string(limit) + " words"
                                            : "words of the vectors")));
    result.pairs = gold.size();
    result.pearson = pearsonCorrelation(gold, model);
    result.spearman = spearmanCorrelation(gold, model);
    result.oovRatio = 100.0 * static_cast<double>(result.oovPairs)
        / static_cast<double>(result.pairs + result.oovPairs);
    return result;
}

} // namespace embedlab
