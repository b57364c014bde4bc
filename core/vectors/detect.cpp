#include "core/vectors/detect.h"

#include "core/fileio.h"
#include "core/utf8.h"
#include "core/vectors/numbers.h"
#include "core/vectors/table.h"
#include "core/vectors/text_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace embedlab::vectors {

namespace {

struct SampleLine
{
    std::uint64_t number;
    const char *begin, *end; // without '\n'
};

// Bytes no text file has: control characters other than tab, CR, LF, or ill-formed UTF-8.
bool looksBinary(std::string_view s)
{
    s = s.substr(0, 64 << 10);
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f)
            return true;
    }
    if (s.size() > 4)
        s = s.substr(0, s.size() - 4); // a sequence cut by the end of the sample is no evidence
    std::size_t invalid = 0;
    sanitizeUtf8(s, &invalid);
    return invalid > 0;
}

int modeOf(const std::vector<int> &values)
{
    std::map<int, int> counts;
    int best = 0, bestCount = 0;
    for (int v : values) {
        const int c = ++counts[v];
        if (c > bestCount) {
            best = v;
            bestCount = c;
        }
    }
    return best;
}

// The largest dimension a file of `bytes` (on disk) could hold: every number takes at least
// `bytesPerNumber` bytes of content, and gzip expands at most MaxGzipRatio times.
std::uint64_t dimBound(std::uint64_t bytes, bool gzip, int bytesPerNumber)
{
    const std::uint64_t content = gzip ? bytes * MaxGzipRatio : bytes;
    return content / static_cast<std::uint64_t>(bytesPerNumber);
}

void checkHeaderDim(const std::string &path, std::uint64_t rows, std::uint64_t dim,
    std::uint64_t fileBytes, bool gzip, bool binary)
{
    const std::string says
        = "the header says " + std::to_string(rows) + " x " + std::to_string(dim);
    if (dim == 0)
        fail(path, says + ": a dimension of 0", 1);
    const std::uint64_t bound = dimBound(fileBytes, gzip, binary ? 4 : 2);
    if (dim > static_cast<std::uint64_t>(MaxDim) || dim > bound)
        fail(path,
            says + ", but a file of " + std::to_string(fileBytes) + " bytes"
                + (gzip ? " (gzip)" : "") + " cannot hold even one row of " + std::to_string(dim)
                + " numbers",
            1);
}

// The first format of this layout and header that claims the row (its claims returns true).
const VectorFormatInfo *claimant(VectorLayout layout, bool header, std::string_view row)
{
    for (const VectorFormatInfo &f : vectorFormats()) {
        if (f.layout == layout && f.header == header && f.claims && f.claims(row))
            return &f;
    }
    return nullptr;
}

// The format of this layout and header taken when none claims the file.
const VectorFormatInfo *fallback(VectorLayout layout, bool header)
{
    for (const VectorFormatInfo &f : vectorFormats()) {
        if (f.layout == layout && f.header == header && !f.claims)
            return &f;
    }
    return nullptr;
}

const VectorFormatInfo *pick(VectorLayout layout, bool header, std::string_view row)
{
    const VectorFormatInfo *f = claimant(layout, header, row);
    return f ? f : fallback(layout, header);
}

} // namespace

std::optional<Layout> detectLayout(const std::string &path, std::string_view sample, bool atEnd,
    VectorFormat forced, std::uint64_t fileBytes, bool gzip)
{
    Layout lay;
    if (sample.empty())
        fail(path, "the file is empty");
    const VectorFormatInfo *forcedInfo = findVectorFormat(forced);
    if (forcedInfo && forcedInfo->layout == VectorLayout::Document) {
        lay.format = forced;
        return lay;
    }
    if (!forcedInfo) {
        for (const VectorFormatInfo &f : vectorFormats()) {
            if (f.sniff && f.sniff(sample)) {
                lay.format = f.id;
                return lay;
            }
        }
    }
    if (sample.size() >= 2
        && (sample.compare(0, 2, "\xFF\xFE") == 0 || sample.compare(0, 2, "\xFE\xFF") == 0))
        fail(path, "UTF-16 byte-order mark; the file looks like UTF-16, not UTF-8 text", 1);
    std::size_t offset = 0;
    if (sample.size() >= 3 && sample.compare(0, 3, "\xEF\xBB\xBF") == 0)
        offset = 3;

    // The first lines of the sample (up to SampleLines that are not blank); the last one only
    // if the sample ends the file.
    std::vector<SampleLine> lines;
    {
        const char *p = sample.data() + offset;
        const char *e = sample.data() + sample.size();
        std::uint64_t number = 1;
        std::size_t nonBlank = 0;
        while (p != e && nonBlank <= SampleLines) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', e - p));
            if (!nl && !atEnd)
                break;
            const char *end = nl ? nl : e;
            lines.push_back({ number++, p, end });
            nonBlank += std::any_of(p, end, [](char c) { return !isSpace(c); });
            p = nl ? nl + 1 : e;
        }
    }
    if (lines.empty()) {
        if (atEnd)
            fail(path, "the file is empty");
        return std::nullopt;
    }

    std::vector<Field> fields;
    const SampleLine &first = lines[0];
    splitFields(first.begin, first.end, fields);
    std::uint64_t headerRows = 0, headerDim = 0;
    const bool headerFields = fields.size() == 2
        && parseUnsigned(
            std::string_view(fields[0].begin, fields[0].end - fields[0].begin), headerRows)
        && parseUnsigned(
            std::string_view(fields[1].begin, fields[1].end - fields[1].begin), headerDim);
    // Two tab-separated integers are the first row of a vectors.tsv, not a header.
    const bool headerLike = headerFields
        && (forced != VectorFormat::Auto
            || !std::memchr(first.begin, '\t', static_cast<std::size_t>(first.end - first.begin)));
    const bool headerForced = forcedInfo && forcedInfo->header;
    const bool headerRefused = forcedInfo && !forcedInfo->header;
    if (headerForced && !headerLike)
        fail(path,
            std::string("expected the 'count dimension' header of ") + vectorFormatName(forced), 1);

    if (headerLike && !headerRefused) {
        std::size_t rowsStart = static_cast<std::size_t>(first.end - sample.data());
        if (rowsStart < sample.size())
            ++rowsStart; // the '\n'
        const std::string_view afterHeader = sample.substr(rowsStart);
        bool binary = forcedInfo && forcedInfo->layout == VectorLayout::BinaryRows;
        if (forced == VectorFormat::Auto) {
            if (lines.size() > 1) {
                // A text row of D numbers is at least 2D bytes long.
                const std::uint64_t longest
                    = static_cast<std::uint64_t>(lines[1].end - lines[1].begin) / 2 + 1;
                std::vector<float> row(std::min<std::uint64_t>(headerDim, longest) + 1);
                std::string word;
                const std::uint8_t s = headerDim <= longest
                    ? parseTextRow(lines[1].begin, lines[1].end, static_cast<int>(headerDim), true,
                        row.data(), word, fields)
                    : RowWrongFields;
                binary = (s & KindMask) != RowOk && looksBinary(afterHeader);
            } else if (!atEnd) {
                if (!looksBinary(afterHeader))
                    return std::nullopt;
                binary = true;
            }
        }
        checkHeaderDim(path, headerRows, headerDim, fileBytes, gzip, binary);
        lay.hasHeader = true;
        lay.headerRows = headerRows;
        lay.headerDim = static_cast<int>(headerDim);
        lay.dim = lay.headerDim;
        lay.dataOffset = rowsStart;
        lay.firstLine = 2;
        if (binary) {
            lay.format = forcedInfo ? forced : pick(VectorLayout::BinaryRows, true, {})->id;
            return lay;
        }
        if (lines.size() == 1 && !atEnd)
            return std::nullopt;
    } else {
        lay.dataOffset = offset;
    }

    // Text rows: the dimension is the most common count of numbers in the sample.
    std::vector<const SampleLine *> rows;
    for (std::size_t i = lay.hasHeader ? 1 : 0; i < lines.size(); ++i) {
        const SampleLine &l = lines[i];
        if (std::any_of(l.begin, l.end, [](char c) { return !isSpace(c); }))
            rows.push_back(&l);
    }
    if (rows.empty()) {
        if (!atEnd)
            return std::nullopt;
        if (lay.hasHeader)
            fail(path,
                "no vectors after the header (it promises " + std::to_string(lay.headerRows) + ")");
        fail(path, "the file holds only blank lines");
    }

    // Rows of numbers alone (a vectors.tsv) only when a format of that layout claims them.
    const VectorFormatInfo *numberRows = forcedInfo
        ? (forcedInfo->layout == VectorLayout::NumberRows ? forcedInfo : nullptr)
        : lay.hasHeader ? nullptr
                        : claimant(VectorLayout::NumberRows, false,
                            std::string_view(rows.front()->begin,
                                static_cast<std::size_t>(rows.front()->end - rows.front()->begin)));
    const bool projector = numberRows != nullptr;
    std::vector<int> counts;
    for (const SampleLine *l : rows)
        counts.push_back(
            static_cast<int>(splitFields(l->begin, l->end, fields).size()) - (projector ? 0 : 1));
    const int dataDim = modeOf(counts);

    if (!lay.hasHeader) {
        if (const void *nul = std::memchr(sample.data(), '\0', sample.size())) {
            const char *at = static_cast<const char *>(nul);
            fail(path, "not a word-vector file: a NUL byte, so binary data or UTF-16 text",
                1 + static_cast<std::uint64_t>(std::count(sample.data(), at, '\n')));
        }
    }
    if (lay.hasHeader && dataDim != lay.headerDim) {
        if (forced == VectorFormat::Auto && dataDim == 1) {
            // "2 5" was the first row of a one-dimensional GloVe file, not a header.
            return detectLayout(
                path, sample, atEnd, fallback(VectorLayout::WordRows, false)->id, fileBytes, gzip);
        }
        fail(path,
            "the header says " + std::to_string(lay.headerDim)
                + " numbers per word, but the rows have " + std::to_string(dataDim),
            rows.front()->number);
    }
    if (dataDim <= 0) {
        if (projector)
            fail(path, "not a word-vector file", rows.front()->number);
        fail(path, "a dimension of 0: the rows hold a word and no numbers", rows.front()->number);
    }
    if (dataDim > MaxDim)
        fail(path, "a dimension of " + std::to_string(dataDim) + " is too large",
            rows.front()->number);
    lay.dim = dataDim;

    // Most sampled rows must read as vectors, or this is some other kind of text.
    std::vector<float> row(static_cast<std::size_t>(lay.dim));
    std::string word;
    std::size_t good = 0;
    const SampleLine *firstBad = nullptr;
    for (const SampleLine *l : rows) {
        const std::uint8_t s
            = parseTextRow(l->begin, l->end, lay.dim, !projector, row.data(), word, fields);
        if ((s & KindMask) == RowOk || (s & KindMask) == RowNonFinite)
            ++good;
        else if (!firstBad)
            firstBad = l;
    }
    if (good * 2 < rows.size() || good == 0)
        fail(path,
            projector ? std::string("not a word-vector file: expected tab-separated numbers")
                      : "not a word-vector file: expected a word and " + std::to_string(lay.dim)
                    + " numbers",
            firstBad ? firstBad->number : rows.front()->number);

    if (projector) {
        lay.format = numberRows->id;
    } else if (forcedInfo) {
        lay.format = forced;
    } else {
        const SampleLine &l = *rows.front();
        lay.format = pick(VectorLayout::WordRows, lay.hasHeader,
            std::string_view(l.begin, static_cast<std::size_t>(l.end - l.begin)))
                         ->id;
    }
    std::uint64_t sampleBytes = 0;
    for (const SampleLine *l : rows)
        sampleBytes += static_cast<std::uint64_t>(l->end - l->begin) + 1;
    lay.bytesPerLine = static_cast<double>(sampleBytes) / static_cast<double>(rows.size());
    return lay;
}

Layout sniff(const std::string &path, ByteStream &in, StreamBuffer &buf, VectorFormat forced,
    std::uint64_t fileBytes, bool gzip)
{
    std::size_t want = SampleBytes;
    for (;;) {
        while (!buf.eof && buf.size() < want)
            buf.fill(in, want - buf.size());
        if (buf.size() == 0 && buf.eof && in.truncated())
            fail(path, "the gzip stream is cut off before its first byte of content");
        const bool atEnd = buf.eof || buf.size() >= MaxSampleBytes;
        if (auto lay = detectLayout(
                path, std::string_view(buf.data(), buf.size()), atEnd, forced, fileBytes, gzip))
            return *lay;
        want *= 2;
    }
}

MemoryEstimate estimateLayout(
    const Layout &lay, std::uint64_t fileBytes, std::uint64_t contentBytes, std::uint64_t limit)
{
    MemoryEstimate e;
    e.format = lay.format;
    e.memory = physicalMemory();
    const VectorLayout layout = findVectorFormat(lay.format)->layout;
    if (layout == VectorLayout::Document) {
        // The whole file is read, then the model and its gradients are built from it.
        e.bytes = fileBytes > std::numeric_limits<std::uint64_t>::max() / 3
            ? std::numeric_limits<std::uint64_t>::max()
            : 3 * fileBytes;
        return e;
    }
    e.dim = lay.dim;
    const std::uint64_t body = contentBytes > lay.dataOffset ? contentBytes - lay.dataOffset : 0;
    if (layout == VectorLayout::BinaryRows) {
        // As readBinary reserves: the header's count, never more rows than the file can hold.
        e.rows = std::min<std::uint64_t>(
            lay.headerRows, body / (sizeof(float) * static_cast<std::uint64_t>(lay.dim) + 2) + 1);
    } else if (body > 0) {
        e.rows = std::max<std::uint64_t>(1,
            static_cast<std::uint64_t>(
                std::llround(static_cast<double>(body) / std::max(1.0, lay.bytesPerLine))));
    }
    if (limit)
        e.rows = std::min(e.rows, limit);
    const long double bytes = tableBytes(e.rows, lay.dim);
    e.bytes = bytes >= static_cast<long double>(std::numeric_limits<std::uint64_t>::max())
        ? std::numeric_limits<std::uint64_t>::max()
        : static_cast<std::uint64_t>(bytes);
    return e;
}

} // namespace embedlab::vectors
