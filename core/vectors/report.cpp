#include "core/vectors/report.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include <nlohmann/json.hpp>

namespace embedlab {

namespace {

// Well-formed UTF-8 as it is, every other byte as U+FFFD: the JSON stays valid whatever the
// path holds, and each stray byte shows.
std::string validUtf8(std::string_view s)
{
    auto continuation = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < s.size() && static_cast<unsigned char>(s[i]) >= lo
            && static_cast<unsigned char>(s[i]) <= hi;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) {
        const unsigned char b0 = static_cast<unsigned char>(s[pos]);
        std::size_t n = 0;
        if (b0 < 0x80) {
            n = 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = continuation(pos + 1) ? 2 : 0;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
            const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
            n = continuation(pos + 1, lo, hi) && continuation(pos + 2) ? 3 : 0;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
            const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
            n = continuation(pos + 1, lo, hi) && continuation(pos + 2) && continuation(pos + 3) ? 4
                                                                                                : 0;
        }
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++pos;
        } else {
            out.append(s, pos, n);
            pos += n;
        }
    }
    return out;
}

nlohmann::ordered_json problem(const ProblemCount &p)
{
    nlohmann::ordered_json o;
    o["count"] = p.count;
    o["first_lines"] = p.firstLines;
    return o;
}

} // namespace

std::uint64_t ImportReport::problemCount() const
{
    return duplicates.count + invalidUtf8.count + tokensWithSpaces.count + wrongFieldCount.count
        + badNumbers.count + nonFinite.count + emptyLines.count;
}

std::string reportToJson(const ImportReport &r)
{
    // ordered_json: the keys in the order written here, which readers of the output rely on.
    nlohmann::ordered_json j;
    j["path"] = validUtf8(r.path);
    j["format"] = vectorFormatName(r.format);
    j["gzip"] = r.gzip;
    j["rows"] = r.rows;
    j["rows_in_file"] = r.rowsInFile;
    j["dim"] = r.dim;
    j["has_header"] = r.hasHeader;
    j["header_rows"] = r.headerRows;
    j["header_dim"] = r.headerDim;
    if (!r.metadataPath.empty())
        j["metadata_path"] = validUtf8(r.metadataPath);
    nlohmann::ordered_json problems;
    problems["duplicates"] = problem(r.duplicates);
    problems["invalid_utf8"] = problem(r.invalidUtf8);
    problems["tokens_with_spaces"] = problem(r.tokensWithSpaces);
    problems["wrong_field_count"] = problem(r.wrongFieldCount);
    problems["bad_numbers"] = problem(r.badNumbers);
    problems["non_finite"] = problem(r.nonFinite);
    problems["empty_lines"] = problem(r.emptyLines);
    j["problems"] = std::move(problems);
    j["header_count_mismatch"] = r.headerCountMismatch;
    j["truncated"] = r.truncated;
    j["limited"] = r.limited;
    j["cancelled"] = r.cancelled;
    j["seconds"] = nullptr; // see below

    j["bytes"] = r.bytes;
    j["estimated_rows"] = r.estimatedRows;
    j["estimated_bytes"] = r.estimatedBytes;
    std::string out = j.dump();
    // The seconds in their shortest round-trip form ("0", "0.086515214"), as the report has always
    // given them: nlohmann's Grisu2 prints "0.0" and, for a few values, more digits than needed
    // ("0.08651521399999999"). Outside a string every quote is bare, so this key is the only match.
    if (std::isfinite(r.seconds)) {
        static constexpr std::string_view Key = "\"seconds\":null";
        const std::size_t at = out.rfind(Key);
        char buf[32];
        const auto end = std::to_chars(buf, buf + sizeof buf, r.seconds).ptr;
        out.replace(at + Key.size() - 4, 4, buf, static_cast<std::size_t>(end - buf));
    }
    return out;
}

namespace vectors {

// "3 with the wrong number of fields (first at line 7), ..." for the error of an empty result.
std::string problemSummary(const ImportReport &r)
{
    const char *unit = findVectorFormat(r.format)
            && findVectorFormat(r.format)->layout == VectorLayout::BinaryRows
        ? "row"
        : "line";
    std::string s;
    auto add = [&](const ProblemCount &p, const char *what) {
        if (!p.count)
            return;
        s += s.empty() ? "" : ", ";
        s += std::to_string(p.count) + " " + what + " (first at " + unit + " "
            + std::to_string(p.firstLines.front()) + ")";
    };
    add(r.wrongFieldCount, "with the wrong number of fields");
    add(r.badNumbers, "with a field that is not a number");
    add(r.nonFinite, "with NaN or infinite values");
    add(r.duplicates, "duplicates");
    return s;
}

} // namespace vectors

} // namespace embedlab
