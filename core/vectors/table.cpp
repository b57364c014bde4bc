#include "core/vectors/table.h"

#include "core/fileio.h"
#include "core/utf8.h"
#include "core/vectors/input.h"
#include "core/vectors/numbers.h"

#include <charconv>

namespace embedlab::vectors {

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

std::string gigabytes(double bytes)
{
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, bytes / 1e9, std::chars_format::fixed, 1);
    return std::string(buf, r.ptr) + " GB";
}

long double tableBytes(std::uint64_t rows, int dim)
{
    return static_cast<long double>(rows) * dim * (sizeof(float) + 0.0L)
        + static_cast<long double>(rows) * sizeof(std::string);
}

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

} // namespace embedlab::vectors
