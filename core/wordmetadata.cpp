#include "core/wordmetadata.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/utf8.h"
#include "core/wordvectors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>

namespace embedlab {

namespace {

std::vector<std::string> splitTabs(std::string_view line)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = line.find('\t', start);
        fields.emplace_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
        if (tab == std::string_view::npos)
            return fields;
        start = tab + 1;
    }
}

bool isBlank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string quotedList(const std::vector<std::string> &names)
{
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < 6; ++i)
        s += (i ? ", '" : "'") + names[i] + "'";
    if (names.size() > 6)
        s += ", ...";
    return s;
}

} // namespace

WordMetadata readWordMetadata(const std::string &path)
{
    const std::string text = readFile(path);
    WordMetadata meta;
    meta.path = path;
    std::size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    std::size_t line = 0, headerLine = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string_view l(text.data() + pos, nl - pos);
        pos = nl + 1;
        ++line;
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (isBlank(l))
            continue;
        std::size_t invalid = 0;
        decodeUtf8(l, &invalid);
        if (invalid > 0)
            throw Error(fileMessage(path, "not UTF-8 text (a metadata file is UTF-8)", line));
        std::vector<std::string> fields = splitTabs(l);
        if (meta.columns.empty()) {
            if (fields.size() < 2)
                throw Error(fileMessage(path,
                    "one column only: this is a labels file. To colour words by something, "
                    "the first line names the columns, separated by tabs (for example "
                    "'word<TAB>part of speech'), and each line after it gives a word and its "
                    "values",
                    line));
            std::set<std::string> seen;
            for (std::size_t c = 0; c < fields.size(); ++c) {
                if (isBlank(fields[c]))
                    throw Error(fileMessage(path,
                        "the header's column " + std::to_string(c + 1)
                            + " has no name (the first line names the columns, separated by tabs)",
                        line));
                if (!seen.insert(fields[c]).second)
                    throw Error(fileMessage(
                        path, "the header names the column '" + fields[c] + "' twice", line));
            }
            meta.columns = std::move(fields);
            headerLine = line;
            continue;
        }
        if (fields.size() != meta.columns.size())
            throw Error(fileMessage(path,
                std::to_string(fields.size()) + (fields.size() == 1 ? " field" : " fields")
                    + ", but the header on line " + std::to_string(headerLine) + " names "
                    + std::to_string(meta.columns.size()) + " columns (" + quotedList(meta.columns)
                    + "), separated by tabs",
                line));
        meta.rows.push_back(std::move(fields));
        meta.lines.push_back(line);
    }
    if (meta.columns.empty())
        throw Error(fileMessage(path,
            "empty: a metadata file has a header naming its columns, separated by tabs, and a "
            "line per word"));
    return meta;
}

MetadataKey metadataKey(const WordMetadata &meta, const WordVectors &table)
{
    MetadataKey best;
    for (std::size_t c = 0; c < meta.columns.size(); ++c) {
        std::size_t matched = 0;
        for (const auto &row : meta.rows)
            matched += table.find(row[c]) >= 0;
        if (matched > best.matched)
            best = { c, matched };
    }
    return best;
}

bool isNumericColumn(const WordMetadata &meta, std::size_t column)
{
    bool any = false;
    for (const auto &row : meta.rows) {
        const std::string &v = row[column];
        if (v.empty())
            continue;
        double x = 0; // from_chars: the same in every locale
        const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (error != std::errc() || end != v.data() + v.size() || !std::isfinite(x))
            return false;
        any = true;
    }
    return any;
}

} // namespace embedlab
