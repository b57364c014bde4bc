#include "core/vectors_io.h"

#include "core/checkpoint.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "word2vec binary files hold little-endian floats; this reader copies them as they are");

namespace embedlab {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t BlockBytes = std::size_t(1) << 20; // read and parse unit per thread
constexpr std::size_t SampleBytes = std::size_t(256) << 10; // first look at a file
constexpr std::size_t MaxSampleBytes = std::size_t(64) << 20; // the longest first lines we wait for
constexpr std::size_t SampleLines = 100; // lines that decide the dimension and the format
constexpr int MaxDim = 1 << 24;
constexpr std::size_t MaxBinaryWordBytes = std::size_t(1) << 20;
constexpr std::size_t MaxLineBytes = std::size_t(256) << 20; // 16M numbers would fit
constexpr std::uint64_t MaxGzipRatio = 1032; // deflate cannot expand data more than this

[[noreturn]] void fail(const std::string &path, const std::string &message, std::uint64_t line = 0)
{
    throw Error(fileMessage(path, message, static_cast<std::size_t>(line)));
}

[[noreturn]] void failSystem(const std::string &path, const std::string &what, int error)
{
    fail(path, what + ": " + std::strerror(error));
}

// ---------------------------------------------------------------------------------------------
// Numbers

bool isDigit(char c)
{
    return static_cast<unsigned char>(c - '0') < 10;
}

bool isSeparator(char c)
{
    return c == ' ' || c == '\t';
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

constexpr double Pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
constexpr double InvPow10[] = { 1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10,
    1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22 };

// float32 of the double nearest to mantissa / 10^decimals (mantissa <= 2^53, decimals <= 22).
// Clinger: the one division is exact. The product with the rounded 1/10^k is within 3 ulps of
// that double, so it rounds to the same float unless a float midpoint (low 29 bits 0x10000000)
// is within 3 ulps of it: only then, about once in 10^8 numbers, is the division needed.
inline float decimalToFloat(std::uint64_t mantissa, int decimals)
{
    const double v = static_cast<double>(mantissa);
    const double q = v * InvPow10[decimals];
    std::uint64_t bits;
    std::memcpy(&bits, &q, sizeof bits);
    if ((bits & 0x1FFFFFFF) - (0x10000000 - 4) < 8)
        return static_cast<float>(v / Pow10[decimals]);
    return static_cast<float>(q);
}

bool matchesWord(const char *p, const char *e, const char *lower)
{
    for (; *lower; ++p, ++lower) {
        if (p == e || (*p | 0x20) != *lower)
            return false;
    }
    return true;
}

// "nan", "inf", "infinity" in any case, optionally signed, as Python's float() accepts them.
const char *scanSpecial(const char *p, const char *e, float &out)
{
    bool negative = false;
    if (p != e && (*p == '-' || *p == '+'))
        negative = *p++ == '-';
    if (matchesWord(p, e, "nan")) {
        out = std::numeric_limits<float>::quiet_NaN();
        return p + 3;
    }
    if (matchesWord(p, e, "infinity")) {
        out = negative ? -HUGE_VALF : HUGE_VALF;
        return p + 8;
    }
    if (matchesWord(p, e, "inf")) {
        out = negative ? -HUGE_VALF : HUGE_VALF;
        return p + 3;
    }
    return nullptr;
}

// scanNumber for any input: digits one at a time, from_chars when the fast path does not apply.
const char *scanNumberSlow(const char *p, const char *e, float &out)
{
    const char *start = p;
    bool negative = false;
    if (p != e && (*p == '-' || *p == '+'))
        negative = *p++ == '-';
    std::uint64_t mantissa = 0;
    int digits = 0; // significant digits in mantissa
    int exponent = 0;
    bool dropped = false; // non-zero digits beyond the 19 kept
    bool any = false;
    for (; p != e && isDigit(*p); ++p) {
        any = true;
        const unsigned d = static_cast<unsigned>(*p - '0');
        if (digits < 19) {
            mantissa = mantissa * 10 + d;
            digits += mantissa != 0;
        } else {
            ++exponent;
            dropped |= d != 0;
        }
    }
    if (p != e && *p == '.') {
        for (++p; p != e && isDigit(*p); ++p) {
            any = true;
            const unsigned d = static_cast<unsigned>(*p - '0');
            if (digits < 19) {
                mantissa = mantissa * 10 + d;
                digits += mantissa != 0;
                --exponent;
            } else {
                dropped |= d != 0;
            }
        }
    }
    if (!any)
        return scanSpecial(start, e, out);
    if (p != e && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        bool negativeExponent = false;
        if (q != e && (*q == '-' || *q == '+'))
            negativeExponent = *q++ == '-';
        if (q == e || !isDigit(*q))
            return p; // "1e" is the number 1 followed by junk
        int value = 0;
        for (; q != e && isDigit(*q); ++q) {
            if (value < 100000)
                value = value * 10 + (*q - '0');
        }
        exponent += negativeExponent ? -value : value;
        p = q;
    }
    if (mantissa == 0 && !dropped) {
        out = negative ? -0.0f : 0.0f;
        return p;
    }
    if (!dropped && mantissa <= (std::uint64_t(1) << 53) && exponent >= -22 && exponent <= 22) {
        double v = static_cast<double>(mantissa);
        v = exponent < 0 ? v / Pow10[-exponent] : v * Pow10[exponent];
        out = static_cast<float>(negative ? -v : v);
        return p;
    }
    const char *s = *start == '+' ? start + 1 : start;
    double v = 0;
    const auto result = std::from_chars(s, p, v);
    if (result.ec == std::errc::result_out_of_range) {
        // Beyond double's range: the decimal exponent of the leading digit says which end.
        v = exponent + digits - 1 > 0 ? HUGE_VAL : 0.0;
        if (negative)
            v = -v;
    } else if (result.ec != std::errc() || result.ptr != p) {
        return nullptr;
    }
    out = static_cast<float>(v);
    return p;
}

// The run of decimal digits in the 8 bytes at p (SWAR, as in fast_float): how many there are (8
// means the run may go on) and the number they spell. Saves the mispredicted exit of a digit loop
// whose length varies from one number to the next.
inline unsigned eightDigits(const char *p, std::uint64_t &value)
{
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    // A byte is a digit iff its high nibble is 3 and stays 3 when 6 is added.
    const std::uint64_t notDigit = ((w & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030)
        | (((w + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030);
    const std::uint64_t nonZero
        = (((notDigit & 0x7F7F7F7F7F7F7F7F) + 0x7F7F7F7F7F7F7F7F) | notDigit) & 0x8080808080808080;
    const unsigned n = nonZero ? static_cast<unsigned>(__builtin_ctzll(nonZero)) / 8 : 8;
    if (n == 0) {
        value = 0;
        return 0;
    }
    // The n digits into the top bytes (zeros below are leading zeros), then combined pairwise.
    std::uint64_t v = (w & 0x0F0F0F0F0F0F0F0F) << (8 * (8 - n));
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FF) * (100 + (1000000ULL << 32)))
            + (((v >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32))))
        >> 32;
    value = v & 0xFFFFFFFF;
    return n;
}

constexpr std::uint64_t IntPow10[]
    = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };

// Scans the decimal number starting at p and returns the end of it (nullptr if there is none).
// The value is float32(nearest double), exactly what numpy's float32(float(s)) gives: decimal
// text that fits Clinger's fast path (at most 19 digits, mantissa <= 2^53, no exponent, at most
// 22 decimals) goes through decimalToFloat; anything else through scanNumberSlow.
inline __attribute__((always_inline)) const char *scanNumber(
    const char *p, const char *e, float &out)
{
    const char *start = p;
    if (p == e)
        return nullptr;
    const bool negative = *p == '-';
    p += negative || *p == '+'; // no branch: the sign is a coin toss in real files
    std::uint64_t mantissa = 0;
    const char *digits = p;
    for (; p != e && isDigit(*p); ++p)
        mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    int count = static_cast<int>(p - digits);
    int exponent = 0;
    if (p != e && *p == '.') {
        const char *decimals = ++p;
        unsigned n = 8;
        if (e - p >= 8) {
            std::uint64_t chunk;
            n = eightDigits(p, chunk);
            mantissa = mantissa * IntPow10[n] + chunk;
            p += n;
        }
        if (n == 8) {
            for (; p != e && isDigit(*p); ++p)
                mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
        }
        exponent = -static_cast<int>(p - decimals);
        count -= exponent;
    }
    // (More than 19 digits may have overflowed mantissa: the slow path starts over.)
    if (count == 0 || count > 19 || (p != e && (*p | 0x20) == 'e')
        || mantissa > (std::uint64_t(1) << 53) || exponent < -22)
        return scanNumberSlow(start, e, out);
    float v = decimalToFloat(mantissa, -exponent);
    // The sign by its bit, not a branch the predictor would miss half of the time.
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    bits |= static_cast<std::uint32_t>(negative) << 31;
    std::memcpy(&v, &bits, sizeof v);
    out = v;
    return p;
}

// The whole of [p, e) as a number.
bool parseNumber(const char *p, const char *e, float &out)
{
    return p != e && scanNumber(p, e, out) == e;
}

bool parseUnsigned(std::string_view s, std::uint64_t &out)
{
    if (s.empty() || s.size() > 19)
        return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!isDigit(c))
            return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    return true;
}

// ---------------------------------------------------------------------------------------------
// Rows

// What one line (or binary row) turned out to be: a kind in the low bits, flags above.
constexpr std::uint8_t RowOk = 0;
constexpr std::uint8_t RowBlank = 1;
constexpr std::uint8_t RowWrongFields = 2;
constexpr std::uint8_t RowBadNumber = 3;
constexpr std::uint8_t RowNonFinite = 4;
constexpr std::uint8_t RowMissing
    = 5; // never parsed (the file shrank between counting and parsing)
constexpr std::uint8_t KindMask = 0x0F;
constexpr std::uint8_t FlagSpaces = 0x10;
constexpr std::uint8_t FlagInvalidUtf8 = 0x20;

struct Field
{
    const char *begin, *end;
};

bool allFinite(const float *v, int n)
{
    bool ok = true;
    for (int i = 0; i < n; ++i)
        ok &= std::abs(v[i]) <= std::numeric_limits<float>::max();
    return ok;
}

// Sets word to [b, e), made valid UTF-8; returns FlagInvalidUtf8 if anything was replaced.
std::uint8_t assignWord(std::string &word, const char *b, const char *e)
{
    bool ascii = true;
    for (const char *p = b; p != e; ++p)
        ascii &= static_cast<unsigned char>(*p) < 0x80;
    if (ascii) {
        word.assign(b, e);
        return 0;
    }
    std::size_t invalid = 0;
    word = sanitizeUtf8(std::string_view(b, static_cast<std::size_t>(e - b)), &invalid);
    return invalid ? FlagInvalidUtf8 : 0;
}

std::vector<Field> &splitFields(const char *b, const char *e, std::vector<Field> &fields)
{
    fields.clear();
    while (e != b && isSpace(e[-1]))
        --e; // a CR of a CRLF line end
    for (const char *p = b; p != e;) {
        while (p != e && isSeparator(*p))
            ++p;
        if (p == e)
            break;
        const char *q = p;
        while (q != e && !isSeparator(*q))
            ++q;
        fields.push_back({ p, q });
        p = q;
    }
    return fields;
}

// Parses one text line (without its '\n'): "word n1 ... nD" (wordColumn) or "n1\t...\tnD"
// (projector), into out[0, dim) and word. A line with more fields than that keeps the numbers
// on the right and the rest, spaces and all, as the word (GloVe 840B has ". . .").
std::uint8_t parseTextRow(const char *b, const char *e, int dim, bool wordColumn, float *out,
    std::string &word, std::vector<Field> &scratch)
{
    while (e != b && isSpace(e[-1]))
        --e;
    while (b != e && isSeparator(*b))
        ++b;
    if (b == e)
        return RowBlank;

    // Fast path: exactly the expected fields, all well-formed.
    {
        const char *p = b;
        const char *wordEnd = b;
        if (wordColumn) {
            while (p != e && !isSeparator(*p))
                ++p;
            wordEnd = p;
        }
        int i = 0;
        for (; i < dim; ++i) {
            if (i > 0 || wordColumn) {
                if (p == e)
                    break;
                while (p != e && isSeparator(*p))
                    ++p;
            }
            const char *q = scanNumber(p, e, out[i]);
            if (!q || (q != e && !isSeparator(*q)))
                break;
            p = q;
        }
        if (i == dim && p == e) {
            std::uint8_t flags = wordColumn ? assignWord(word, b, wordEnd) : 0;
            return allFinite(out, dim) ? flags : RowNonFinite;
        }
    }

    // Slow path: split, then read the numbers from the right.
    const std::vector<Field> &fields = splitFields(b, e, scratch);
    const std::size_t n = fields.size();
    const std::size_t needed = static_cast<std::size_t>(dim) + (wordColumn ? 1 : 0);
    if (n < needed || (!wordColumn && n > needed))
        return RowWrongFields;
    const std::size_t first = n - static_cast<std::size_t>(dim);
    for (int i = 0; i < dim; ++i) {
        const Field &f = fields[first + static_cast<std::size_t>(i)];
        if (!parseNumber(f.begin, f.end, out[i]))
            return RowBadNumber;
    }
    if (!allFinite(out, dim))
        return RowNonFinite;
    if (!wordColumn)
        return RowOk;
    std::uint8_t flags = assignWord(word, fields[0].begin, fields[first - 1].end);
    if (first > 1)
        flags |= FlagSpaces;
    return flags;
}

std::uint64_t hashWord(std::string_view w)
{
    return std::hash<std::string_view>()(w);
}

// Row ids of distinct words: open addressing over indexes into a word list, with the hash's high
// bits as a tag so that a probe rarely has to look at a string; 8 bytes a slot, at most half full.
class WordSet
{
public:
    explicit WordSet(const std::vector<std::string> &words)
        : m_words(words)
    { }

    void reserve(std::uint64_t n)
    {
        std::size_t want = 16;
        while (want < 2 * n)
            want *= 2;
        if (want > m_slots.size())
            rehash(want);
    }

    // The slot where w (whose hashWord is hash) is or would go; *found tells which.
    std::size_t find(std::string_view w, std::uint64_t hash, bool *found) const
    {
        const std::uint32_t tag = static_cast<std::uint32_t>(hash >> 32);
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Slot &s = m_slots[i];
            if (s.id == 0) {
                *found = false;
                return i;
            }
            if (s.tag == tag && m_words[s.id - 1] == w) {
                *found = true;
                return i;
            }
        }
    }

    // Starts loading the first slot a later find(hash) will look at.
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(&m_slots[hash & m_mask]); }

    // Stores row (whose word is now m_words[row]) in the slot find() returned.
    void insert(std::size_t slot, std::size_t row, std::uint64_t hash)
    {
        m_slots[slot]
            = { static_cast<std::uint32_t>(row + 1), static_cast<std::uint32_t>(hash >> 32) };
        if (++m_size * 2 > m_slots.size())
            rehash(m_slots.size() * 2);
    }

private:
    struct Slot
    {
        std::uint32_t id = 0; // row + 1; 0 = empty
        std::uint32_t tag = 0;
    };

    void rehash(std::size_t count)
    {
        std::vector<Slot> old(count);
        old.swap(m_slots);
        m_mask = count - 1;
        for (const Slot &s : old) {
            if (s.id == 0)
                continue;
            std::size_t i = hashWord(m_words[s.id - 1]) & m_mask;
            while (m_slots[i].id != 0)
                i = (i + 1) & m_mask;
            m_slots[i] = s;
        }
    }

    const std::vector<std::string> &m_words;
    std::vector<Slot> m_slots = std::vector<Slot>(16);
    std::size_t m_mask = 15;
    std::size_t m_size = 0;
};

std::string gigabytes(double bytes)
{
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, bytes / 1e9, std::chars_format::fixed, 1);
    return std::string(buf, r.ptr) + " GB";
}

// Bytes of a table in memory: its floats and a string per word.
long double tableBytes(std::uint64_t rows, int dim)
{
    return static_cast<long double>(rows) * dim * (sizeof(float) + 0.0L)
        + static_cast<long double>(rows) * sizeof(std::string);
}

// Refuses a table this machine could not hold, before anything is allocated for it.
void checkTableSize(const std::string &path, std::uint64_t rows, int dim)
{
    const long double bytes = tableBytes(rows, dim);
    const std::uint64_t memory = physicalMemory();
    if (rows > std::numeric_limits<std::uint32_t>::max() - 1
        || bytes > static_cast<long double>(memory))
        fail(path,
            std::to_string(rows) + " x " + std::to_string(dim) + " vectors need "
                + gigabytes(static_cast<double>(bytes)) + ", more than this machine's "
                + gigabytes(static_cast<double>(memory)) + " of memory");
}

// The table being filled: capacity rows allocated, rows kept so far.
struct Table
{
    int dim = 0;
    RowMatrixXf vectors; // (capacity, dim)
    std::vector<std::string> words; // capacity entries
    std::uint64_t kept = 0;

    std::uint64_t capacity() const { return static_cast<std::uint64_t>(vectors.rows()); }

    void allocate(const std::string &path, std::uint64_t rows)
    {
        checkTableSize(path, rows, dim);
        vectors.resize(static_cast<Eigen::Index>(rows), dim);
        words.resize(static_cast<std::size_t>(rows));
    }

    // Grows by half (realloc: no copy of the floats, so no second table at any time).
    void reserve(const std::string &path, std::uint64_t rows, std::uint64_t limit)
    {
        if (rows <= capacity())
            return;
        std::uint64_t want = std::max<std::uint64_t>({ rows, capacity() + capacity() / 2, 1024 });
        if (limit)
            want = std::min(want, std::max(limit, rows));
        checkTableSize(path, want, dim);
        vectors.conservativeResize(static_cast<Eigen::Index>(want), dim);
        words.resize(static_cast<std::size_t>(want));
    }

    void shrink()
    {
        if (kept != capacity())
            vectors.conservativeResize(static_cast<Eigen::Index>(kept), dim);
        const std::size_t n = static_cast<std::size_t>(kept);
        if (n < words.size()) {
            words.resize(n);
            if (words.capacity() > n + n / 8 + 64)
                words.shrink_to_fit();
        }
    }
};

// Counts the problems of each row in file order, drops what cannot be kept, applies the limit
// and keeps the first of each word; shared by every reader so that the same file gives the
// same report whichever path read it.
class Collector
{
public:
    // projector: the words are labels[i] for the i-th non-blank line (row numbers without them).
    Collector(ImportReport &report, Table &table, std::uint64_t limit, bool projector,
        std::vector<std::string> *labels)
        : m_report(report)
        , m_table(table)
        , m_limit(limit)
        , m_projector(projector)
        , m_labels(labels)
        , m_seen(table.words)
    { }

    void reserve(std::uint64_t rows) { m_seen.reserve(rows); }
    void prefetch(std::uint64_t hash) const { m_seen.prefetch(hash); }

    // False once the limit is reached and another row follows: stop reading.
    bool wantsMore(std::uint8_t status)
    {
        if ((status & KindMask) == RowBlank || !m_limit || m_table.kept < m_limit)
            return true;
        m_report.limited = true;
        return false;
    }

    // The row at index row (vectors and words already filled) of status from line: true if it
    // was kept, in which case it now sits at index kept - 1. hash: hashWord of its word if known.
    bool add(std::size_t row, std::uint8_t status, std::uint64_t line,
        const std::uint64_t *hash = nullptr)
    {
        ImportReport &r = m_report;
        switch (status & KindMask) {
        case RowBlank:
            r.emptyLines.add(line);
            return false;
        case RowMissing:
            return false;
        default:
            break;
        }
        const std::uint64_t label = m_rowsInFile++;
        switch (status & KindMask) {
        case RowWrongFields:
            r.wrongFieldCount.add(line);
            return false;
        case RowBadNumber:
            r.badNumbers.add(line);
            return false;
        case RowNonFinite:
            r.nonFinite.add(line);
            return false;
        default:
            break;
        }
        if (status & FlagInvalidUtf8)
            r.invalidUtf8.add(line);
        if (status & FlagSpaces)
            r.tokensWithSpaces.add(line);

        std::vector<std::string> &words = m_table.words;
        if (m_projector) {
            if (m_labels && label < m_labels->size())
                words[row] = std::move((*m_labels)[label]);
            else
                words[row] = std::to_string(label + 1);
            hash = nullptr;
        }
        const std::uint64_t h = hash ? *hash : hashWord(words[row]);
        bool found = false;
        const std::size_t slot = m_seen.find(words[row], h, &found);
        if (found) {
            r.duplicates.add(line);
            return false;
        }
        const std::size_t to = static_cast<std::size_t>(m_table.kept);
        if (row != to) {
            const int dim = m_table.dim;
            std::memcpy(m_table.vectors.data() + to * static_cast<std::size_t>(dim),
                m_table.vectors.data() + row * static_cast<std::size_t>(dim),
                sizeof(float) * static_cast<std::size_t>(dim));
            words[to] = std::move(words[row]);
        }
        m_seen.insert(slot, to, h);
        ++m_table.kept;
        return true;
    }

    // Rows of the file other than blank lines (for the header count).
    std::uint64_t rowsInFile() const { return m_rowsInFile; }

private:
    ImportReport &m_report;
    Table &m_table;
    std::uint64_t m_limit;
    bool m_projector;
    std::vector<std::string> *m_labels;
    WordSet m_seen;
    std::uint64_t m_rowsInFile = 0;
};

// ---------------------------------------------------------------------------------------------
// Input

class InputFile
{
public:
    explicit InputFile(const std::string &path)
        : m_path(path)
    {
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0)
            failSystem(path, "cannot open", errno);
        struct stat st;
        if (::fstat(m_fd, &st) != 0) {
            const int error = errno;
            ::close(m_fd);
            failSystem(path, "cannot read", error);
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(m_fd);
            fail(path, S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
        }
        m_size = static_cast<std::uint64_t>(st.st_size);
    }
    ~InputFile() { ::close(m_fd); }
    InputFile(const InputFile &) = delete;
    InputFile &operator=(const InputFile &) = delete;

    int fd() const { return m_fd; }
    std::uint64_t size() const { return m_size; }
    const std::string &path() const { return m_path; }

    // Up to n bytes at offset (fewer only at the end of the file).
    std::size_t readAt(char *dst, std::size_t n, std::uint64_t offset) const
    {
        std::size_t got = 0;
        while (got < n) {
            const ssize_t r = ::pread(m_fd, dst + got, n - got, static_cast<off_t>(offset + got));
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                failSystem(m_path, "cannot read", errno);
            }
            if (r == 0)
                break;
            got += static_cast<std::size_t>(r);
        }
        return got;
    }

private:
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

bool isGzip(const InputFile &file)
{
    unsigned char magic[2] = { 0, 0 };
    return file.readAt(reinterpret_cast<char *>(magic), 2, 0) == 2 && magic[0] == 0x1f
        && magic[1] == 0x8b;
}

// The size of the decompressed content as the gzip trailer gives it (modulo 2^32, and of the
// last member only, so only a hint), never more than deflate could expand the file to.
std::uint64_t gzipContentHint(const InputFile &file)
{
    unsigned char trailer[4] = { 0, 0, 0, 0 };
    if (file.size() < 18 || file.readAt(reinterpret_cast<char *>(trailer), 4, file.size() - 4) != 4)
        return 0;
    const std::uint64_t isize = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16)
        | (static_cast<std::uint64_t>(trailer[3]) << 24);
    return std::min(isize, file.size() * MaxGzipRatio);
}

// The content of a file from the start, decompressed if it is gzip.
class ByteStream
{
public:
    ByteStream(const InputFile &file, bool gzip)
        : m_file(file)
    {
        if (!gzip)
            return;
        const int fd = ::dup(file.fd());
        if (fd < 0)
            failSystem(file.path(), "cannot read", errno);
        m_gz = ::gzdopen(fd, "rb");
        if (!m_gz) {
            ::close(fd);
            fail(file.path(), "cannot open the gzip stream");
        }
        ::gzbuffer(m_gz, 256 << 10);
    }
    ~ByteStream()
    {
        if (m_thread.joinable()) {
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_stop = true;
            }
            m_wake.notify_all();
            m_thread.join();
        }
        if (m_gz)
            ::gzclose(m_gz);
    }
    ByteStream(const ByteStream &) = delete;
    ByteStream &operator=(const ByteStream &) = delete;

    // From now on a second thread decompresses ahead, so that inflating and parsing overlap.
    // (Only for gzip: a plain file is read as fast as it is copied.)
    void startReadAhead()
    {
        if (!m_gz || m_thread.joinable())
            return;
        m_thread = std::thread([this] { produce(); });
    }

    // Fills dst with up to n bytes; 0 at the end (check truncated()).
    std::size_t read(char *dst, std::size_t n)
    {
        return m_thread.joinable() ? readAhead(dst, n) : readDirect(dst, n);
    }

    bool truncated() const { return m_truncated; }
    // Bytes of the file consumed so far (compressed bytes for gzip), for progress.
    std::uint64_t position() const
    {
        if (!m_gz)
            return m_offset;
        if (m_thread.joinable())
            return m_position.load();
        return gzPosition();
    }

private:
    std::uint64_t gzPosition() const
    {
        const z_off_t at = ::gzoffset(m_gz);
        return at < 0 ? 0 : std::min<std::uint64_t>(static_cast<std::uint64_t>(at), m_file.size());
    }

    // The producer: whole blocks into m_ready, at most MaxReady waiting.
    void produce()
    {
        static constexpr std::size_t MaxReady = 4;
        for (;;) {
            std::vector<char> block(BlockBytes);
            std::size_t got = 0;
            std::exception_ptr error;
            try {
                got = readDirect(block.data(), block.size());
            } catch (...) {
                error = std::current_exception();
            }
            block.resize(got);
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_ready.size() < MaxReady; });
            if (m_stop)
                return;
            m_position = gzPosition();
            if (got > 0)
                m_ready.push_back(std::move(block));
            if (error || got < BlockBytes) {
                m_error = error;
                m_done = true;
            }
            lock.unlock();
            m_wake.notify_all();
            if (m_done)
                return;
        }
    }

    std::size_t readAhead(char *dst, std::size_t n)
    {
        std::size_t got = 0;
        while (got < n) {
            if (m_readPos == m_current.size()) {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, [&] { return m_done || !m_ready.empty(); });
                if (m_ready.empty()) {
                    if (m_error)
                        std::rethrow_exception(m_error);
                    break;
                }
                m_current = std::move(m_ready.front());
                m_ready.pop_front();
                m_readPos = 0;
                lock.unlock();
                m_wake.notify_all();
            }
            const std::size_t k = std::min(n - got, m_current.size() - m_readPos);
            std::memcpy(dst + got, m_current.data() + m_readPos, k);
            m_readPos += k;
            got += k;
        }
        return got;
    }

    std::size_t readDirect(char *dst, std::size_t n)
    {
        if (!m_gz) {
            const std::size_t got = m_file.readAt(dst, n, m_offset);
            m_offset += got;
            return got;
        }
        std::size_t got = 0;
        while (got < n && !m_end) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
            const int r = ::gzread(m_gz, dst + got, chunk);
            if (r > 0) {
                got += static_cast<std::size_t>(r);
                continue;
            }
            int error = Z_OK;
            const char *message = ::gzerror(m_gz, &error);
            if (error == Z_BUF_ERROR) {
                m_truncated = true; // "unexpected end of file"
            } else if (error == Z_ERRNO) {
                failSystem(m_file.path(), "cannot read", errno);
            } else if (error != Z_OK) {
                // zlib names the stream "<fd:N>: "; the path says it better.
                std::string_view reason = message ? message : "";
                if (reason.substr(0, 4) == "<fd:" && reason.find(": ") != std::string_view::npos)
                    reason.remove_prefix(reason.find(": ") + 2);
                fail(m_file.path(), "corrupt gzip data: " + std::string(reason));
            }
            m_end = true;
        }
        return got;
    }

    const InputFile &m_file;
    gzFile m_gz = nullptr;
    std::uint64_t m_offset = 0;
    bool m_end = false;
    std::atomic<bool> m_truncated { false }; // set by the producer, when there is one

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::vector<char>> m_ready;
    std::vector<char> m_current;
    std::size_t m_readPos = 0;
    bool m_stop = false, m_done = false;
    std::exception_ptr m_error;
    std::atomic<std::uint64_t> m_position { 0 };
};

// A growable window on the stream: bytes [begin, end) of buf are unread.
struct StreamBuffer
{
    std::vector<char> buf;
    std::size_t begin = 0, end = 0;
    bool eof = false;

    std::size_t size() const { return end - begin; }
    const char *data() const { return buf.data() + begin; }

    // Reads at least one more block (fewer at the end); false if nothing more came.
    bool fill(ByteStream &in, std::size_t block = BlockBytes)
    {
        if (eof)
            return false;
        if (begin > 0) {
            std::memmove(buf.data(), buf.data() + begin, end - begin);
            end -= begin;
            begin = 0;
        }
        if (buf.size() < end + block)
            buf.resize(end + block);
        const std::size_t got = in.read(buf.data() + end, block);
        end += got;
        if (got < block)
            eof = true;
        return got > 0;
    }
};

// ---------------------------------------------------------------------------------------------
// Format detection

struct Layout
{
    VectorFormat format = VectorFormat::Auto;
    bool hasHeader = false;
    std::uint64_t headerRows = 0;
    int headerDim = 0;
    int dim = 0;
    std::size_t dataOffset = 0; // where the rows start in the (decompressed) content
    std::uint64_t firstLine = 1; // line number of the first row
    double bytesPerLine = 0; // average in the sample
};

struct SampleLine
{
    std::uint64_t number;
    const char *begin, *end; // without '\n'
};

bool looksLikeSafetensors(std::string_view s)
{
    if (s.size() < 10 || s[8] != '{')
        return false;
    std::uint64_t n = 0;
    std::memcpy(&n, s.data(), 8);
    // A length no reader accepts still has the NUL bytes of a binary length, never of text:
    // such a file is a broken checkpoint, and the checkpoint reader says what is wrong with it.
    return (n >= 2 && n < (std::uint64_t(100) << 20)) || std::memchr(s.data(), '\0', 8);
}

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

// Decides the format, header and dimension from the first bytes of the content. Returns
// nothing when the sample is too short to tell and more of the file exists.
std::optional<Layout> detectLayout(const std::string &path, std::string_view sample, bool atEnd,
    VectorFormat forced, std::uint64_t fileBytes, bool gzip)
{
    Layout lay;
    if (sample.empty())
        fail(path, "the file is empty");
    if (forced == VectorFormat::Checkpoint
        || (forced == VectorFormat::Auto && looksLikeSafetensors(sample))) {
        lay.format = VectorFormat::Checkpoint;
        return lay;
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
    const bool headerForced = forced == VectorFormat::Word2VecText
        || forced == VectorFormat::Word2VecBinary || forced == VectorFormat::FastText;
    const bool headerRefused
        = forced == VectorFormat::Glove || forced == VectorFormat::ProjectorTsv;
    if (headerForced && !headerLike)
        fail(path,
            std::string("expected the 'count dimension' header of ") + vectorFormatName(forced), 1);

    if (headerLike && !headerRefused) {
        std::size_t rowsStart = static_cast<std::size_t>(first.end - sample.data());
        if (rowsStart < sample.size())
            ++rowsStart; // the '\n'
        const std::string_view afterHeader = sample.substr(rowsStart);
        bool binary = forced == VectorFormat::Word2VecBinary;
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
            lay.format = VectorFormat::Word2VecBinary;
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

    bool projector = forced == VectorFormat::ProjectorTsv;
    if (forced == VectorFormat::Auto && !lay.hasHeader) {
        // vectors.tsv: tab-separated numbers and no word.
        const SampleLine &l = *rows.front();
        splitFields(l.begin, l.end, fields);
        float v;
        projector = std::memchr(l.begin, '\t', l.end - l.begin) != nullptr
            && std::all_of(fields.begin(), fields.end(),
                [&](const Field &f) { return parseNumber(f.begin, f.end, v); });
    }
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
            return detectLayout(path, sample, atEnd, VectorFormat::Glove, fileBytes, gzip);
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
        lay.format = VectorFormat::ProjectorTsv;
    } else if (!lay.hasHeader) {
        lay.format = VectorFormat::Glove;
    } else if (forced != VectorFormat::Auto) {
        lay.format = forced;
    } else {
        // word2vec.c writes "</s>" first; fastText ends every row with a space.
        const SampleLine &l = *rows.front();
        const bool trailingSpace = l.end != l.begin
            && (l.end[-1] == ' ' || (l.end[-1] == '\r' && l.end - l.begin > 1 && l.end[-2] == ' '));
        const bool word2vecC = std::string_view(l.begin, l.end - l.begin).substr(0, 5) == "</s> ";
        lay.format
            = trailingSpace && !word2vecC ? VectorFormat::FastText : VectorFormat::Word2VecText;
    }
    std::uint64_t sampleBytes = 0;
    for (const SampleLine *l : rows)
        sampleBytes += static_cast<std::uint64_t>(l->end - l->begin) + 1;
    lay.bytesPerLine = static_cast<double>(sampleBytes) / static_cast<double>(rows.size());
    return lay;
}

// Reads from the stream into buf until detectLayout can decide.
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

// What reading the rows will take (see estimateVectorMemory). contentBytes: the (decompressed)
// size, or a hint of it.
MemoryEstimate estimateLayout(
    const Layout &lay, std::uint64_t fileBytes, std::uint64_t contentBytes, std::uint64_t limit)
{
    MemoryEstimate e;
    e.format = lay.format;
    e.memory = physicalMemory();
    if (lay.format == VectorFormat::Checkpoint) {
        // The whole file is read, then the model and its gradients are built from it.
        e.bytes = fileBytes > std::numeric_limits<std::uint64_t>::max() / 3
            ? std::numeric_limits<std::uint64_t>::max()
            : 3 * fileBytes;
        return e;
    }
    e.dim = lay.dim;
    const std::uint64_t body = contentBytes > lay.dataOffset ? contentBytes - lay.dataOffset : 0;
    if (lay.format == VectorFormat::Word2VecBinary) {
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

// ---------------------------------------------------------------------------------------------
// Readers

// Shared state of one readVectors call.
struct Context
{
    const std::string &path;
    const ImportOptions &opts;
    ImportReport &report;
    std::uint64_t total = 0; // bytes of the file, for progress
    Clock::time_point lastProgress {};

    // Reports done bytes of total; throws Cancelled if the callback says stop.
    void progress(std::uint64_t done)
    {
        lastProgress = Clock::now();
        if (opts.progress && !opts.progress(std::min(done, total), total)) {
            report.cancelled = true;
            throw Cancelled(fileMessage(path, "cancelled"));
        }
    }

    // The same, at most 25 times a second (the first and last reports are progress() calls).
    void progressThrottled(std::uint64_t done)
    {
        if (opts.progress && Clock::now() - lastProgress >= std::chrono::milliseconds(40))
            progress(done);
    }
};

// Projector labels: one per non-blank line, or a header row first when there are columns.
std::vector<std::string> readLabels(const std::string &path, ImportReport &report)
{
    InputFile file(path);
    ByteStream in(file, isGzip(file));
    std::string text;
    std::vector<char> block(BlockBytes);
    while (const std::size_t n = in.read(block.data(), block.size()))
        text.append(block.data(), n);
    std::vector<std::string> labels;
    bool first = true;
    std::uint64_t line = 0;
    std::size_t pos = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string_view l(text.data() + pos, nl - pos);
        pos = nl + 1;
        ++line;
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (std::all_of(l.begin(), l.end(), [](char c) { return isSpace(c); }))
            continue; // the Projector skips blank lines
        const std::size_t tab = l.find('\t');
        if (first && tab != std::string_view::npos) {
            first = false;
            continue; // several columns: the first row names them
        }
        first = false;
        const std::string_view label = l.substr(0, tab);
        labels.emplace_back();
        if (assignWord(labels.back(), label.data(), label.data() + label.size()))
            report.invalidUtf8.add(line);
    }
    return labels;
}

// Text rows, read in one pass from a stream (gzip, or when only the first rows are wanted).
// contentBytes: the (decompressed) size if known, to allocate about once.
void readTextStream(Context &ctx, const Layout &lay, ByteStream &in, StreamBuffer &buf,
    std::uint64_t contentBytes, Table &table, Collector &collect)
{
    const bool wordColumn = lay.format != VectorFormat::ProjectorTsv;
    const std::uint64_t limit = ctx.opts.limit;
    std::uint64_t hint = 4096;
    if (contentBytes > lay.dataOffset && lay.bytesPerLine > 0)
        hint = static_cast<std::uint64_t>(
                   static_cast<double>(contentBytes - lay.dataOffset) / lay.bytesPerLine * 1.02)
            + 16;
    if (limit)
        hint = std::min(hint, limit);
    table.reserve(ctx.path, std::max<std::uint64_t>(hint, 1), limit);
    collect.reserve(hint);
    buf.begin += lay.dataOffset;
    std::uint64_t line = lay.firstLine;
    std::vector<Field> scratch;
    bool stop = false;

    std::vector<float> spareRow(static_cast<std::size_t>(lay.dim));
    std::string spareWord;
    auto parseLine = [&](const char *b, const char *e) {
        if (limit && table.kept >= limit) {
            // Only to tell a blank line from one more row.
            const std::uint8_t s
                = parseTextRow(b, e, lay.dim, wordColumn, spareRow.data(), spareWord, scratch);
            if (!collect.wantsMore(s))
                stop = true;
            else
                ctx.report.emptyLines.add(line++);
            return;
        }
        table.reserve(ctx.path, table.kept + 1, limit);
        const std::size_t row = static_cast<std::size_t>(table.kept);
        std::string &word = table.words[row];
        const std::uint8_t s = parseTextRow(b, e, lay.dim, wordColumn,
            table.vectors.data() + row * static_cast<std::size_t>(lay.dim), word, scratch);
        if (!collect.wantsMore(s)) {
            stop = true;
            return;
        }
        collect.add(row, s, line++);
    };

    for (;;) {
        const char *p = buf.data();
        const char *e = p + buf.size();
        while (!stop) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', e - p));
            if (!nl)
                break;
            parseLine(p, nl);
            p = nl + 1;
        }
        buf.begin += static_cast<std::size_t>(p - buf.data());
        if (stop)
            break;
        if (buf.size() > MaxLineBytes)
            fail(ctx.path, "a line longer than 256 MB: not a word-vector file", line);
        ctx.progressThrottled(in.position());
        if (!buf.fill(in)) {
            if (in.truncated())
                ctx.report.truncated = true; // and a last line cut short is not a row
            else if (buf.size() > 0)
                parseLine(buf.data(), buf.data() + buf.size());
            break;
        }
    }
}

// Text rows of a plain file with several threads: count the lines (so the table is allocated
// once, at its final size), parse each byte range straight into its rows, then collect.
void readTextParallel(
    Context &ctx, const Layout &lay, const InputFile &file, Table &table, Collector &collect)
{
    const std::uint64_t begin = lay.dataOffset, end = file.size();
    int threads = ctx.opts.threads > 0 ? ctx.opts.threads
                                       : static_cast<int>(std::thread::hardware_concurrency());
    threads = std::max(1, std::min<int>(threads, 64));
    const std::uint64_t bytesPerThread = std::max<std::uint64_t>(1, ctx.opts.bytesPerThread);
    threads = static_cast<int>(std::max<std::uint64_t>(
        1, std::min<std::uint64_t>(threads, (end - begin) / bytesPerThread)));

    // Ranges start just after a '\n'.
    std::vector<std::uint64_t> bounds(static_cast<std::size_t>(threads) + 1, end);
    bounds[0] = begin;
    {
        std::vector<char> probe(64 << 10);
        for (int k = 1; k < threads; ++k) {
            std::uint64_t pos = std::max(bounds[k - 1], begin + (end - begin) * k / threads);
            for (;;) {
                const std::size_t n = file.readAt(probe.data(), probe.size(), pos);
                if (n == 0) {
                    pos = end;
                    break;
                }
                const char *nl = static_cast<const char *>(std::memchr(probe.data(), '\n', n));
                if (nl) {
                    pos += static_cast<std::uint64_t>(nl - probe.data()) + 1;
                    break;
                }
                pos += n;
            }
            bounds[k] = std::min(pos, end);
        }
    }

    std::atomic<std::uint64_t> done { 0 };
    std::atomic<bool> stop { false };
    // Runs fn(k) for every range on its own thread while this thread reports progress.
    auto runAll = [&](const std::function<void(int)> &fn) {
        std::mutex mutex;
        std::condition_variable wake;
        int running = threads;
        std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
        std::vector<std::thread> workers;
        auto finishOne = [&] {
            std::lock_guard<std::mutex> lock(mutex);
            --running;
            wake.notify_all();
        };
        try {
            for (int k = 0; k < threads; ++k) {
                workers.emplace_back([&, k] {
                    try {
                        fn(k);
                    } catch (...) {
                        errors[static_cast<std::size_t>(k)] = std::current_exception();
                        stop = true;
                    }
                    finishOne();
                });
            }
        } catch (...) {
            stop = true;
            for (auto &w : workers)
                w.join();
            throw;
        }
        std::exception_ptr cancelled;
        {
            std::unique_lock<std::mutex> lock(mutex);
            while (running > 0) {
                wake.wait_for(lock, std::chrono::milliseconds(40));
                if (running == 0 || cancelled)
                    continue;
                lock.unlock();
                try {
                    ctx.progress(begin + done.load());
                } catch (...) {
                    cancelled = std::current_exception();
                    stop = true;
                }
                lock.lock();
            }
        }
        for (auto &w : workers)
            w.join();
        if (cancelled)
            std::rethrow_exception(cancelled);
        for (auto &e : errors) {
            if (e)
                std::rethrow_exception(e);
        }
    };

    // Pass 1: lines per range.
    std::vector<std::uint64_t> lineCounts(static_cast<std::size_t>(threads), 0);
    runAll([&](int k) {
        std::vector<char> block(BlockBytes);
        std::uint64_t pos = bounds[k], count = 0;
        char last = '\n';
        while (pos < bounds[k + 1] && !stop) {
            const std::size_t n = file.readAt(
                block.data(), std::min<std::uint64_t>(BlockBytes, bounds[k + 1] - pos), pos);
            if (n == 0)
                break;
            for (const char *p = block.data(), *e = p + n;
                 (p = static_cast<const char *>(std::memchr(p, '\n', e - p))); ++p)
                ++count;
            last = block[n - 1];
            pos += n;
        }
        if (last != '\n')
            ++count; // a last line without '\n'
        lineCounts[static_cast<std::size_t>(k)] = count;
    });
    if (stop)
        return;
    ctx.progress(begin);
    std::vector<std::uint64_t> firstRow(static_cast<std::size_t>(threads) + 1, 0);
    for (int k = 0; k < threads; ++k)
        firstRow[k + 1] = firstRow[k] + lineCounts[static_cast<std::size_t>(k)];
    const std::uint64_t lines = firstRow.back();
    table.allocate(ctx.path, lines);
    std::vector<std::uint8_t> status(static_cast<std::size_t>(lines), RowMissing);
    std::vector<std::uint64_t> hashes(static_cast<std::size_t>(lines)); // of the words, for collect

    // Pass 2: parse each range into its rows.
    const bool wordColumn = lay.format != VectorFormat::ProjectorTsv;
    const int dim = lay.dim;
    runAll([&](int k) {
        std::vector<char> block(BlockBytes + 4096);
        std::vector<Field> scratch;
        std::uint64_t pos = bounds[k];
        std::size_t row = static_cast<std::size_t>(firstRow[k]);
        const std::size_t rowEnd = static_cast<std::size_t>(firstRow[k + 1]);
        std::size_t carry = 0;
        auto parseLine = [&](const char *b, const char *e) {
            if (row >= rowEnd)
                return; // the file grew since it was counted
            const std::uint8_t s = parseTextRow(b, e, dim, wordColumn,
                table.vectors.data() + row * static_cast<std::size_t>(dim), table.words[row],
                scratch);
            status[row] = s;
            if ((s & KindMask) == RowOk && wordColumn)
                hashes[row] = hashWord(table.words[row]);
            ++row;
        };
        while (pos < bounds[k + 1] && !stop) {
            if (block.size() < carry + BlockBytes)
                block.resize(carry + BlockBytes);
            const std::size_t n = file.readAt(block.data() + carry,
                std::min<std::uint64_t>(BlockBytes, bounds[k + 1] - pos), pos);
            if (n == 0)
                break;
            pos += n;
            const char *p = block.data();
            const char *e = p + carry + n;
            while (const char *nl = static_cast<const char *>(std::memchr(p, '\n', e - p))) {
                parseLine(p, nl);
                p = nl + 1;
            }
            carry = static_cast<std::size_t>(e - p);
            if (carry > MaxLineBytes)
                fail(ctx.path, "a line longer than 256 MB: not a word-vector file",
                    lay.firstLine + row);
            if (p != block.data())
                std::memmove(block.data(), p, carry);
            done += n;
        }
        if (carry > 0 && !stop)
            parseLine(block.data(), block.data() + carry);
    });
    if (stop)
        return;

    // Collect in file order: problems, the limit, duplicates.
    collect.reserve(lines);
    constexpr std::size_t Ahead = 16; // rows: the set is too big for the cache, its slots are not
    for (std::size_t row = 0; row < status.size(); ++row) {
        if (row + Ahead < status.size())
            collect.prefetch(hashes[row + Ahead]);
        if (!collect.wantsMore(status[row]))
            break;
        collect.add(row, status[row], lay.firstLine + row, &hashes[row]);
    }
}

// word2vec binary: "count dim\n", then per row the word, a space, dim little-endian floats and,
// as word2vec.c writes it, a '\n' (skipped before the next word, as gensim does).
void readBinary(Context &ctx, const Layout &lay, ByteStream &in, StreamBuffer &buf,
    std::uint64_t contentBytes, Table &table, Collector &collect)
{
    const std::uint64_t limit = ctx.opts.limit;
    const std::size_t rowBytes = sizeof(float) * static_cast<std::size_t>(lay.dim);
    buf.begin += lay.dataOffset;
    // The header is a promise, not a size to allocate: never more rows than the file can hold.
    std::uint64_t rows = std::min<std::uint64_t>(lay.headerRows,
        (std::max<std::uint64_t>(contentBytes, lay.dataOffset) - lay.dataOffset) / (rowBytes + 2)
            + 1);
    if (limit)
        rows = std::min(rows, limit);
    table.reserve(ctx.path, std::max<std::uint64_t>(rows, 1), limit);
    collect.reserve(rows);

    std::uint64_t rowNumber = 0, lastCheck = 0;
    std::string raw;
    for (;;) {
        // Skip the '\n' that ends the previous row.
        for (;;) {
            while (buf.size() > 0 && *buf.data() == '\n')
                ++buf.begin;
            if (buf.size() > 0 || !buf.fill(in))
                break;
        }
        if (buf.size() == 0)
            break;
        if (!collect.wantsMore(RowOk))
            break;
        ++rowNumber;
        if (rowNumber - lastCheck >= 1024) {
            lastCheck = rowNumber;
            ctx.progressThrottled(in.position());
        }
        // The word, up to the space.
        raw.clear();
        bool cut = false;
        for (;;) {
            const char *p = buf.data();
            const char *sp = static_cast<const char *>(std::memchr(p, ' ', buf.size()));
            const std::size_t n = sp ? static_cast<std::size_t>(sp - p) : buf.size();
            raw.append(p, n);
            buf.begin += n;
            if (sp) {
                ++buf.begin;
                break;
            }
            if (raw.size() > MaxBinaryWordBytes)
                fail(ctx.path,
                    "no space after the word within " + std::to_string(MaxBinaryWordBytes)
                        + " bytes: not a word2vec binary file, or a corrupt one",
                    rowNumber);
            if (!buf.fill(in)) {
                cut = true;
                break;
            }
        }
        if (cut) {
            ctx.report.truncated = true;
            break;
        }
        // The numbers, straight into the table.
        table.reserve(ctx.path, table.kept + 1, limit);
        const std::size_t row = static_cast<std::size_t>(table.kept);
        char *dst = reinterpret_cast<char *>(table.vectors.data() + row * lay.dim);
        std::size_t have = 0;
        while (have < rowBytes) {
            if (buf.size() == 0 && !buf.fill(in, std::max(BlockBytes, rowBytes - have)))
                break;
            const std::size_t n = std::min(buf.size(), rowBytes - have);
            std::memcpy(dst + have, buf.data(), n);
            buf.begin += n;
            have += n;
        }
        if (have < rowBytes) {
            ctx.report.truncated = true;
            break;
        }
        std::uint8_t s = RowOk;
        if (raw.empty())
            s = RowWrongFields;
        else if (!allFinite(reinterpret_cast<const float *>(dst), lay.dim))
            s = RowNonFinite;
        else
            s = assignWord(table.words[row], raw.data(), raw.data() + raw.size());
        collect.add(row, s, rowNumber);
    }
    if (in.truncated())
        ctx.report.truncated = true;
}

WordVectors readCheckpointVectors(Context &ctx)
{
    ctx.progress(0);
    LoadedCheckpoint<float> ck = loadCheckpoint<float>(ctx.path);
    const auto &enc = ck.model->encoder(); // (E, V): column v is word v, i.e. [V, E] row-major
    const std::uint64_t V = static_cast<std::uint64_t>(enc.cols());
    const int dim = static_cast<int>(enc.rows());
    const std::uint64_t n = ctx.opts.limit ? std::min(ctx.opts.limit, V) : V;
    RowMatrixXf vectors = Eigen::Map<const RowMatrixXf>(enc.data(), enc.cols(), enc.rows())
                              .topRows(static_cast<Eigen::Index>(n));
    std::vector<std::string> words(ck.vocab.words().begin(), ck.vocab.words().begin() + n);
    std::vector<std::uint64_t> counts;
    if (ck.vocab.counts().size() == V)
        counts.assign(ck.vocab.counts().begin(), ck.vocab.counts().begin() + n);
    ck.model.reset(); // enc is gone from here on
    ImportReport &r = ctx.report;
    r.rows = n;
    r.rowsInFile = V;
    r.dim = dim;
    r.limited = n < V;
    ctx.progress(ctx.total);
    return WordVectors(std::move(words), std::move(vectors), std::move(counts));
}

// "3 with the wrong number of fields (first at line 7), ..." for the error of an empty result.
std::string problemSummary(const ImportReport &r)
{
    const char *unit = r.format == VectorFormat::Word2VecBinary ? "row" : "line";
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

std::string pathSibling(const std::string &path, const std::string &name)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

WordVectors readVectorsImpl(Context &ctx)
{
    const std::string &path = ctx.path;
    ImportReport &r = ctx.report;
    InputFile file(path);
    r.bytes = file.size();
    ctx.total = file.size();
    if (file.size() == 0)
        fail(path, "the file is empty");
    r.gzip = isGzip(file);
    ByteStream in(file, r.gzip);
    StreamBuffer buf;
    const Layout lay = sniff(path, in, buf, ctx.opts.format, file.size(), r.gzip);
    r.format = lay.format;
    r.hasHeader = lay.hasHeader;
    r.headerRows = lay.headerRows;
    r.headerDim = lay.headerDim;
    const std::uint64_t contentBytes
        = r.gzip ? std::max<std::uint64_t>(gzipContentHint(file), buf.size()) : file.size();
    const MemoryEstimate estimate = estimateLayout(lay, file.size(), contentBytes, ctx.opts.limit);
    r.estimatedRows = estimate.rows;
    r.estimatedBytes = estimate.bytes;
    if (lay.format != VectorFormat::Checkpoint && estimate.bytes > estimate.memory)
        checkTableSize(path, estimate.rows, lay.dim); // refuses, before reading any further
    if (lay.format == VectorFormat::Checkpoint) {
        if (r.gzip)
            fail(path, "a gzip-compressed checkpoint: decompress it first");
        return readCheckpointVectors(ctx);
    }
    ctx.progress(0);
    in.startReadAhead();

    std::vector<std::string> labels;
    std::vector<std::string> *labelList = nullptr;
    if (lay.format == VectorFormat::ProjectorTsv) {
        std::string meta = ctx.opts.metadataPath;
        if (meta.empty()) {
            const std::string sibling = pathSibling(path, "metadata.tsv");
            struct stat st;
            if (::stat(sibling.c_str(), &st) == 0 && sibling != path)
                meta = sibling;
        }
        if (!meta.empty()) {
            labels = readLabels(meta, r);
            labelList = &labels;
            r.metadataPath = meta;
        }
    }

    Table table;
    table.dim = lay.dim;
    Collector collect(
        r, table, ctx.opts.limit, lay.format == VectorFormat::ProjectorTsv, labelList);
    if (lay.format == VectorFormat::Word2VecBinary) {
        readBinary(ctx, lay, in, buf, contentBytes, table, collect);
    } else {
        const double lines
            = static_cast<double>(file.size() - lay.dataOffset) / std::max(1.0, lay.bytesPerLine);
        const bool fewRows = ctx.opts.limit && static_cast<double>(ctx.opts.limit) * 2 < lines;
        if (r.gzip || fewRows) {
            readTextStream(ctx, lay, in, buf, contentBytes, table, collect);
        } else {
            buf = StreamBuffer(); // the sample is no longer needed
            readTextParallel(ctx, lay, file, table, collect);
        }
    }
    r.rows = table.kept;
    r.rowsInFile = collect.rowsInFile();
    r.dim = lay.dim;
    if (lay.hasHeader && !r.limited && !r.cancelled)
        r.headerCountMismatch = collect.rowsInFile() != lay.headerRows;
    if (labelList
        && (r.limited ? labels.size() < collect.rowsInFile()
                      : labels.size() != collect.rowsInFile()))
        fail(r.metadataPath,
            std::to_string(labels.size()) + " labels for the "
                + std::to_string(collect.rowsInFile()) + " vectors of " + path);
    if (table.kept == 0) {
        const std::string problems = problemSummary(r);
        fail(path, "no usable word vectors" + (problems.empty() ? std::string() : ": " + problems));
    }
    table.shrink();
    ctx.progress(ctx.total);
    return WordVectors(std::move(table.words), std::move(table.vectors));
}

// ---------------------------------------------------------------------------------------------
// Writers

// Shortest decimal that reads back (double, then float) to exactly v; 9 digits if the shortest
// form would not survive the double rounding.
void appendFloat(std::string &out, float v)
{
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    float back = 0;
    if (!parseNumber(buf, r.ptr, back) || std::memcmp(&back, &v, sizeof v) != 0)
        r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 9);
    out.append(buf, r.ptr);
}

void checkWords(const std::string &path, const WordVectors &wv, WriteFormat format)
{
    if (wv.empty() || wv.dim() == 0)
        fail(path, "nothing to write: the table is empty");
    const auto &m = wv.vectors();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        if (!allFinite(m.row(i).data(), wv.dim()))
            fail(path,
                "cannot write row " + std::to_string(i + 1) + " ('" + wv.word(i)
                    + "'): it holds NaN or infinite values");
    }
    for (std::size_t i = 0; i < wv.size(); ++i) {
        const std::string &w = wv.word(i);
        const char *why = nullptr;
        if (w.empty())
            why = "it is empty";
        else if (w.find_first_of("\n\r") != std::string::npos)
            why = "it contains a line break";
        else if (format == WriteFormat::Word2VecBinary && w.find(' ') != std::string::npos)
            why = "word2vec binary cannot hold a space in a word";
        else if (format == WriteFormat::ProjectorTsv && w.find('\t') != std::string::npos)
            why = "projector labels cannot hold a tab";
        else if (format == WriteFormat::ProjectorTsv
            && std::all_of(w.begin(), w.end(), [](char c) { return isSpace(c); }))
            why = "projector labels cannot be blank";
        else if ((format == WriteFormat::Glove || format == WriteFormat::Word2VecText)
            && (isSeparator(w.front()) || isSeparator(w.back())))
            why = "text formats cannot hold spaces around a word";
        if (why)
            fail(path, "cannot write word " + std::to_string(i + 1) + " ('" + w + "'): " + why);
    }
}

void writeText(std::FILE *f, const WordVectors &wv, bool header, bool words, char separator)
{
    std::string out;
    out.reserve(BlockBytes + 65536);
    if (header)
        out += std::to_string(wv.size()) + " " + std::to_string(wv.dim()) + "\n";
    const auto &m = wv.vectors();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        const float *row = m.row(i).data();
        if (words)
            out += wv.word(static_cast<std::size_t>(i));
        for (int j = 0; j < wv.dim(); ++j) {
            if (words || j > 0)
                out += separator;
            appendFloat(out, row[j]);
        }
        out += '\n';
        if (out.size() >= BlockBytes) {
            std::fwrite(out.data(), 1, out.size(), f);
            out.clear();
        }
    }
    std::fwrite(out.data(), 1, out.size(), f);
}

void writeBinary(std::FILE *f, const WordVectors &wv)
{
    const std::string header = std::to_string(wv.size()) + " " + std::to_string(wv.dim()) + "\n";
    std::fwrite(header.data(), 1, header.size(), f);
    const auto &m = wv.vectors();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        const std::string &w = wv.word(static_cast<std::size_t>(i));
        std::fwrite(w.data(), 1, w.size(), f);
        std::fputc(' ', f);
        std::fwrite(m.row(i).data(), sizeof(float), static_cast<std::size_t>(wv.dim()), f);
        std::fputc('\n', f);
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public

const char *vectorFormatName(VectorFormat format)
{
    switch (format) {
    case VectorFormat::Glove:
        return "glove";
    case VectorFormat::Word2VecText:
        return "word2vec";
    case VectorFormat::Word2VecBinary:
        return "word2vec-bin";
    case VectorFormat::FastText:
        return "fasttext";
    case VectorFormat::ProjectorTsv:
        return "projector";
    case VectorFormat::Checkpoint:
        return "checkpoint";
    case VectorFormat::Auto:
        break;
    }
    return "auto";
}

bool parseVectorFormat(std::string_view name, VectorFormat &format)
{
    for (VectorFormat f : { VectorFormat::Auto, VectorFormat::Glove, VectorFormat::Word2VecText,
             VectorFormat::Word2VecBinary, VectorFormat::FastText, VectorFormat::ProjectorTsv,
             VectorFormat::Checkpoint }) {
        if (name == vectorFormatName(f)) {
            format = f;
            return true;
        }
    }
    return false;
}

std::uint64_t ImportReport::problemCount() const
{
    return duplicates.count + invalidUtf8.count + tokensWithSpaces.count + wrongFieldCount.count
        + badNumbers.count + nonFinite.count + emptyLines.count;
}

WordVectors readVectors(const std::string &path, const ImportOptions &opts, ImportReport *report)
{
    const auto start = Clock::now();
    ImportReport local;
    ImportReport &r = report ? *report : local;
    r = ImportReport();
    r.path = path;
    r.format = opts.format;
    Context ctx { path, opts, r };
    try {
        WordVectors wv = readVectorsImpl(ctx);
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return wv;
    } catch (...) {
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        throw;
    }
}

VectorFormat detectVectorFormat(const std::string &path)
{
    InputFile file(path);
    if (file.size() == 0)
        fail(path, "the file is empty");
    const bool gzip = isGzip(file);
    ByteStream in(file, gzip);
    StreamBuffer buf;
    return sniff(path, in, buf, VectorFormat::Auto, file.size(), gzip).format;
}

MemoryEstimate estimateVectorMemory(const std::string &path, const ImportOptions &opts)
{
    InputFile file(path);
    if (file.size() == 0)
        fail(path, "the file is empty");
    const bool gzip = isGzip(file);
    ByteStream in(file, gzip);
    StreamBuffer buf;
    const Layout lay = sniff(path, in, buf, opts.format, file.size(), gzip);
    const std::uint64_t contentBytes
        = gzip ? std::max<std::uint64_t>(gzipContentHint(file), buf.size()) : file.size();
    return estimateLayout(lay, file.size(), contentBytes, opts.limit);
}

void writeVectors(const std::string &path, const WordVectors &vectors, WriteFormat format,
    const std::string &metadataPath)
{
    checkWords(path, vectors, format);
    switch (format) {
    case WriteFormat::Glove:
        writeFileAtomically(path, [&](std::FILE *f) { writeText(f, vectors, false, true, ' '); });
        break;
    case WriteFormat::Word2VecText:
        writeFileAtomically(path, [&](std::FILE *f) { writeText(f, vectors, true, true, ' '); });
        break;
    case WriteFormat::Word2VecBinary:
        writeFileAtomically(path, [&](std::FILE *f) { writeBinary(f, vectors); });
        break;
    case WriteFormat::ProjectorTsv: {
        const std::string meta
            = metadataPath.empty() ? pathSibling(path, "metadata.tsv") : metadataPath;
        if (meta == path)
            fail(path, "the vectors and the labels cannot go to the same file");
        writeFileAtomically(path, [&](std::FILE *f) { writeText(f, vectors, false, false, '\t'); });
        writeFileAtomically(meta, [&](std::FILE *f) {
            for (const std::string &w : vectors.words()) {
                std::fwrite(w.data(), 1, w.size(), f);
                std::fputc('\n', f);
            }
        });
        break;
    }
    }
}

std::string reportToJson(const ImportReport &r)
{
    using Json = nlohmann::ordered_json;
    auto problem = [](const ProblemCount &p) {
        return Json { { "count", p.count }, { "first_lines", p.firstLines } };
    };
    Json j = { { "path", r.path }, { "format", vectorFormatName(r.format) }, { "gzip", r.gzip },
        { "rows", r.rows }, { "rows_in_file", r.rowsInFile }, { "dim", r.dim },
        { "has_header", r.hasHeader }, { "header_rows", r.headerRows },
        { "header_dim", r.headerDim } };
    if (!r.metadataPath.empty())
        j["metadata_path"] = r.metadataPath;
    j["problems"]
        = { { "duplicates", problem(r.duplicates) }, { "invalid_utf8", problem(r.invalidUtf8) },
              { "tokens_with_spaces", problem(r.tokensWithSpaces) },
              { "wrong_field_count", problem(r.wrongFieldCount) },
              { "bad_numbers", problem(r.badNumbers) }, { "non_finite", problem(r.nonFinite) },
              { "empty_lines", problem(r.emptyLines) } };
    j["header_count_mismatch"] = r.headerCountMismatch;
    j["truncated"] = r.truncated;
    j["limited"] = r.limited;
    j["cancelled"] = r.cancelled;
    j["seconds"] = r.seconds;
    j["bytes"] = r.bytes;
    j["estimated_rows"] = r.estimatedRows;
    j["estimated_bytes"] = r.estimatedBytes;
    // Paths that are not valid UTF-8 are written with U+FFFD rather than refused.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace embedlab
