#pragma once
// Building the table: what each row turned out to be, the words seen so far (duplicates), and
// the Collector that every reader hands its rows to, so the same file gives the same report
// whichever path read it.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/vectors/report.h"
#include "core/wordvectors.h"

namespace embedlab::vectors {

// Rows

// What one line (or binary row) turned out to be: a kind in the low bits, flags above.
inline constexpr std::uint8_t RowOk = 0;
inline constexpr std::uint8_t RowBlank = 1;
inline constexpr std::uint8_t RowWrongFields = 2;
inline constexpr std::uint8_t RowBadNumber = 3;
inline constexpr std::uint8_t RowNonFinite = 4;
inline constexpr std::uint8_t RowMissing
    = 5; // never parsed (the file shrank between counting and parsing)
inline constexpr std::uint8_t KindMask = 0x0F;
inline constexpr std::uint8_t FlagSpaces = 0x10;
inline constexpr std::uint8_t FlagInvalidUtf8 = 0x20;

struct Field
{
    const char *begin, *end;
};

inline bool allFinite(const float *v, int n)
{
    bool ok = true;
    for (int i = 0; i < n; ++i)
        ok &= std::abs(v[i]) <= std::numeric_limits<float>::max();
    return ok;
}

// Sets word to [b, e), made valid UTF-8; returns FlagInvalidUtf8 if anything was replaced.
std::uint8_t assignWord(std::string &word, const char *b, const char *e);

// The fields of a line separated by spaces or tabs, a CR at its end ignored.
std::vector<Field> &splitFields(const char *b, const char *e, std::vector<Field> &fields);

inline std::uint64_t hashWord(std::string_view w)
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
// "1.5 GB"
std::string gigabytes(double bytes);

// Bytes of a table in memory: its floats and a string per word.
long double tableBytes(std::uint64_t rows, int dim);

// Refuses a table this machine could not hold, before anything is allocated for it.
void checkTableSize(const std::string &path, std::uint64_t rows, int dim);

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
    // numbered: the words are labels[i] for the i-th non-blank line (row numbers without them),
    // for rows of numbers alone (VectorLayout::NumberRows).
    Collector(ImportReport &report, Table &table, std::uint64_t limit, bool numbered,
        std::vector<std::string> *labels)
        : m_report(report)
        , m_table(table)
        , m_limit(limit)
        , m_numbered(numbered)
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
        if (m_numbered) {
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
    bool m_numbered;
    std::vector<std::string> *m_labels;
    WordSet m_seen;
    std::uint64_t m_rowsInFile = 0;
};

} // namespace embedlab::vectors
