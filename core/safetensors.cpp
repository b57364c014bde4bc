#include "core/safetensors.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/filekind.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <numeric>
#include <unordered_set>

// Tensor bytes are little-endian in the file and are copied to and from memory as they are.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.cpp assumes a little-endian host"
#endif

namespace embedlab {

namespace {

using Json = nlohmann::ordered_json;

// A const char * that records how far nlohmann-json has read the text: SAX events carry no
// position, and duplicate keys and deep nesting are reported at their byte offset.
class TrackedPointer
{
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;

    TrackedPointer(const char *p, const char **furthest)
        : m_p(p)
        , m_furthest(furthest)
    { }
    reference operator*() const { return *m_p; }
    TrackedPointer &operator++()
    {
        *m_furthest = ++m_p;
        return *this;
    }
    TrackedPointer operator++(int)
    {
        TrackedPointer old = *this;
        ++*this;
        return old;
    }
    bool operator==(const TrackedPointer &other) const { return m_p == other.m_p; }
    bool operator!=(const TrackedPointer &other) const { return m_p != other.m_p; }

private:
    const char *m_p;
    const char **m_furthest;
};

// Builds the document from nlohmann-json's SAX events, refusing what its own DOM parser lets
// through: a repeated key (it would keep the last one silently) and excessive nesting.
class StrictJsonBuilder
{
public:
    StrictJsonBuilder(std::string_view text, const char *const *read)
        : m_text(text)
        , m_read(read)
    { }

    Json &result() { return m_root; }

    bool null()
    {
        add(nullptr);
        return true;
    }
    bool boolean(bool value)
    {
        add(value);
        return true;
    }
    bool number_integer(Json::number_integer_t value)
    {
        add(value);
        return true;
    }
    bool number_unsigned(Json::number_unsigned_t value)
    {
        add(value);
        return true;
    }
    bool number_float(Json::number_float_t value, const Json::string_t &)
    {
        add(value);
        return true;
    }
    bool string(Json::string_t &value)
    {
        add(std::move(value));
        return true;
    }
    bool binary(Json::binary_t &) { return false; } // JSON text has no binary values
    bool start_object(std::size_t)
    {
        open(Json::object());
        m_keys.emplace_back();
        return true;
    }
    bool key(Json::string_t &key)
    {
        // RFC 8259 leaves duplicate keys to the implementation; a file that has them is almost
        // certainly damaged or hand-edited by mistake, so refuse rather than pick one.
        if (!m_keys.back().insert(key).second)
            fail(keyStart(), "duplicate key " + jsonQuote(key));
        m_key = std::move(key);
        return true;
    }
    bool end_object()
    {
        m_keys.pop_back();
        m_open.pop_back();
        return true;
    }
    bool start_array(std::size_t)
    {
        open(Json::array());
        return true;
    }
    bool end_array()
    {
        m_open.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string &lastToken, const Json::exception &e)
    {
        // position counts the bytes read, the offending one included; a number too large for a
        // double is reported once all of it has been read, so point at its start instead.
        const bool overflow = dynamic_cast<const Json::out_of_range *>(&e) != nullptr;
        std::size_t offset = position > 0 ? position - 1 : 0;
        if (overflow && lastToken.size() <= position)
            offset = position - lastToken.size();
        fail(offset, reasonOf(e.what()));
    }

    [[noreturn]] static void fail(std::size_t offset, const std::string &reason)
    {
        throw Error("JSON offset " + std::to_string(offset) + ": " + reason);
    }

private:
    // "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error ..." loses
    // its prefix (the offset replaces line and column), a long token its middle, and bytes that
    // are not UTF-8 become U+FFFD so that the message can be shown and written as JSON.
    static std::string reasonOf(std::string what)
    {
        if (what.rfind("[json.exception.", 0) == 0 && what.find("] ") != std::string::npos)
            what.erase(0, what.find("] ") + 2);
        if (what.rfind("parse error at line ", 0) == 0 && what.find(": ") != std::string::npos)
            what.erase(0, what.find(": ") + 2);
        constexpr std::size_t MaxToken = 40;
        const std::string lastRead = "; last read: '";
        if (const std::size_t from = what.find(lastRead); from != std::string::npos) {
            const std::size_t begin = from + lastRead.size();
            const std::size_t end = what.find('\'', begin + 1);
            if (end != std::string::npos && end - begin > MaxToken)
                what.replace(begin, end - begin - MaxToken, "...");
        }
        return sanitizeUtf8(what);
    }

    std::size_t read() const { return static_cast<std::size_t>(*m_read - m_text.data()); }

    // SAX reports a key once its closing quote has been read; walk back to the opening one
    // (a quote inside the key is preceded by an odd number of backslashes).
    std::size_t keyStart() const
    {
        std::size_t pos = read() - 1; // the closing quote
        while (pos > 0) {
            --pos;
            if (m_text[pos] != '"')
                continue;
            std::size_t backslashes = 0;
            while (backslashes < pos && m_text[pos - 1 - backslashes] == '\\')
                ++backslashes;
            if (backslashes % 2 == 0)
                return pos;
        }
        return pos;
    }

    Json *add(Json value)
    {
        if (m_open.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        Json &parent = *m_open.back();
        if (parent.is_array()) {
            auto &items = parent.get_ref<Json::array_t &>();
            items.push_back(std::move(value));
            return &items.back();
        }
        // Appended without the linear search of ordered_map's insert: key() refused duplicates.
        auto &members
            = static_cast<Json::object_t::Container &>(parent.get_ref<Json::object_t &>());
        members.emplace_back(std::move(m_key), std::move(value));
        return &members.back().second;
    }

    void open(Json container)
    {
        if (m_open.size() >= static_cast<std::size_t>(MaxJsonDepth))
            fail(read() - 1, "nesting deeper than " + std::to_string(MaxJsonDepth) + " levels");
        m_open.push_back(add(std::move(container)));
    }

    std::string_view m_text;
    const char *const *m_read;
    Json m_root;
    std::vector<Json *> m_open; // the arrays and objects being filled, innermost last
    std::vector<std::unordered_set<std::string>> m_keys; // per open object
    std::string m_key;
};

// The reference implementation's limit (MAX_HEADER_SIZE in safetensors/src/tensor.rs).
constexpr std::uint64_t MaxHeaderSize = 100'000'000;

struct DTypeEntry
{
    DType dtype;
    const char *name;
    std::size_t size;
};

constexpr DTypeEntry DTypeTable[] = {
    { DType::F64, "F64", 8 },
    { DType::F32, "F32", 4 },
    { DType::F16, "F16", 2 },
    { DType::BF16, "BF16", 2 },
    { DType::I64, "I64", 8 },
    { DType::I32, "I32", 4 },
    { DType::I16, "I16", 2 },
    { DType::I8, "I8", 1 },
    { DType::U8, "U8", 1 },
    { DType::Bool, "BOOL", 1 },
};

// Valid in the format, but nothing in Embedding Lab produces or needs them.
constexpr const char *UnsupportedDTypes[]
    = { "U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64" };

const DTypeEntry &entryFor(DType dtype)
{
    for (const DTypeEntry &entry : DTypeTable) {
        if (entry.dtype == dtype)
            return entry;
    }
    throw Error("invalid DType value " + std::to_string(static_cast<int>(dtype)));
}

std::string shapeString(const std::vector<std::int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

// Product of the dimensions times the element size, or false on overflow.
bool byteCount(const std::vector<std::int64_t> &shape, std::size_t elementSize,
    std::uint64_t &elements, std::uint64_t &bytes)
{
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    elements = 1;
    for (std::int64_t dim : shape) {
        const auto d = static_cast<std::uint64_t>(dim);
        if (d != 0 && elements > max / d)
            return false;
        elements *= d;
    }
    if (elements > max / elementSize)
        return false;
    bytes = elements * elementSize;
    return true;
}

std::uint64_t readLittleEndian64(const char *p)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(p[i]);
    return value;
}

// A whole number from 0 to 2^64 - 1, written as an integer or as a whole double (2e3).
bool nonNegativeInteger(const Json &value, std::uint64_t &out)
{
    if (value.is_number_unsigned()) {
        out = value.get<std::uint64_t>();
        return true;
    }
    if (!value.is_number_float())
        return false;
    const double d = value.get<double>();
    if (!(d >= 0 && d < 18446744073709551616.0) || std::trunc(d) != d)
        return false;
    out = static_cast<std::uint64_t>(d);
    return true;
}

// True if s can be stored in a JSON header unchanged (jsonQuote replaces invalid UTF-8).
bool survivesJson(std::string_view s)
{
    std::size_t invalid = 0;
    sanitizeUtf8(s, &invalid);
    return invalid == 0;
}

template <typename Scalar>
void convert(DType dtype, const unsigned char *src, Scalar *dst, std::size_t count)
{
    switch (dtype) {
    case DType::F64:
        for (std::size_t i = 0; i < count; ++i) {
            double v;
            std::memcpy(&v, src + 8 * i, 8);
            dst[i] = static_cast<Scalar>(v);
        }
        return;
    case DType::F32:
        for (std::size_t i = 0; i < count; ++i) {
            float v;
            std::memcpy(&v, src + 4 * i, 4);
            dst[i] = static_cast<Scalar>(v);
        }
        return;
    case DType::F16:
    case DType::BF16: {
        const bool half = dtype == DType::F16;
        for (std::size_t i = 0; i < count; ++i) {
            std::uint16_t bits;
            std::memcpy(&bits, src + 2 * i, 2);
            dst[i] = static_cast<Scalar>(half ? halfToFloat(bits) : bfloat16ToFloat(bits));
        }
        return;
    }
    default:
        throw Error("internal error: not a floating-point dtype");
    }
}

} // namespace

Json parseJsonStrict(std::string_view text)
{
    // nlohmann-json skips a byte order mark; the reference reader (serde_json) refuses one.
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        StrictJsonBuilder::fail(
            0, "unexpected byte 0xEF: a UTF-8 byte order mark, which JSON text must not have");
    const char *read = text.data();
    StrictJsonBuilder builder(text, &read);
    Json::sax_parse(TrackedPointer(text.data(), &read),
        TrackedPointer(text.data() + text.size(), &read), &builder);
    return std::move(builder.result());
}

std::string dumpJson(const Json &value)
{
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string jsonQuote(std::string_view s)
{
    return dumpJson(Json(std::string(s)));
}

const char *dtypeName(DType dtype)
{
    return entryFor(dtype).name;
}

std::size_t dtypeSize(DType dtype)
{
    return entryFor(dtype).size;
}

bool isFloatingPoint(DType dtype)
{
    return dtype == DType::F64 || dtype == DType::F32 || dtype == DType::F16
        || dtype == DType::BF16;
}

std::uint64_t TensorInfo::elements() const
{
    std::uint64_t n = 1;
    for (std::int64_t dim : shape)
        n *= static_cast<std::uint64_t>(dim);
    return n;
}

SafeTensorsReader::SafeTensorsReader(const std::string &path)
    : m_path(path)
{
    const auto fail
        = [&](const std::string &message) { throw Error(fileMessage(m_path, message)); };

    m_file = readFile(path);
    // A file that is not safetensors at all is named for what it is, not for its first bytes.
    const auto failForeign = [&](const std::string &message) {
        const std::string kind = describeForeignFile(m_file);
        fail(kind.empty() ? message : "not a safetensors checkpoint: " + kind);
    };
    if (m_file.size() < 8)
        fail("file is " + std::to_string(m_file.size())
            + " bytes long, too short for a safetensors file (expected at least 8)");
    const std::uint64_t headerLength = readLittleEndian64(m_file.data());
    if (headerLength > MaxHeaderSize)
        failForeign(
            "header length " + std::to_string(headerLength) + " is larger than the 100 MB limit");
    if (headerLength > m_file.size() - 8)
        failForeign("header length " + std::to_string(headerLength)
            + " runs past the end of the file (" + std::to_string(m_file.size()) + " bytes)");
    m_dataStart = 8 + static_cast<std::size_t>(headerLength);
    const std::uint64_t bufferSize = m_file.size() - m_dataStart;

    Json header;
    try {
        header = parseJsonStrict(std::string_view(m_file).substr(8, headerLength));
    } catch (const Error &e) {
        const std::string message
            = std::string("header is not valid JSON (offsets count from the header start): ")
            + e.what();
        if (headerLength == 0 || m_file[8] != '{')
            failForeign(message);
        fail(message);
    }
    if (!header.is_object())
        fail(std::string("header is a JSON ") + header.type_name() + ", expected an object");

    for (const auto &[key, value] : header.items()) {
        if (key == "__metadata__") {
            if (value.is_null())
                continue;
            if (!value.is_object())
                fail(std::string("\"__metadata__\" is a JSON ") + value.type_name()
                    + ", expected an object of strings");
            for (const auto &[metaKey, metaValue] : value.items()) {
                if (!metaValue.is_string())
                    fail("\"__metadata__\" value for key " + jsonQuote(metaKey) + " is a JSON "
                        + metaValue.type_name() + ", expected a string");
                m_metadata[metaKey] = metaValue.get<std::string>();
            }
            continue;
        }

        const std::string where = "tensor " + jsonQuote(key) + ": ";
        if (!value.is_object())
            fail(where + "entry is a JSON " + value.type_name() + ", expected an object");
        const Json &entry = value; // C++17 lambdas cannot capture structured bindings
        const auto field = [&](const char *name, Json::value_t type) -> const Json & {
            const auto f = entry.find(name);
            if (f == entry.end())
                fail(where + "missing \"" + name + "\"");
            if (f->type() != type)
                fail(where + "\"" + name + "\" is a JSON " + f->type_name() + ", expected "
                    + (type == Json::value_t::string ? "a string" : "an array"));
            return *f;
        };

        TensorInfo info;
        info.name = key;

        const std::string &dtype
            = field("dtype", Json::value_t::string).get_ref<const std::string &>();
        const auto known = std::find_if(std::begin(DTypeTable), std::end(DTypeTable),
            [&](const DTypeEntry &e) { return dtype == e.name; });
        if (known == std::end(DTypeTable)) {
            const bool valid = std::any_of(std::begin(UnsupportedDTypes),
                std::end(UnsupportedDTypes), [&](const char *name) { return dtype == name; });
            fail(where
                + (valid ? "dtype " + jsonQuote(dtype) + " is not supported"
                         : "unknown dtype " + jsonQuote(dtype)));
        }
        info.dtype = known->dtype;

        const Json &shape = field("shape", Json::value_t::array);
        for (const Json &dim : shape) {
            std::uint64_t d = 0;
            if (!nonNegativeInteger(dim, d)
                || d > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
                fail(where + "\"shape\" must hold non-negative integers, found " + dumpJson(shape));
            info.shape.push_back(static_cast<std::int64_t>(d));
        }
        std::uint64_t elements = 0, bytes = 0;
        if (!byteCount(info.shape, known->size, elements, bytes))
            fail(
                where + "shape " + shapeString(info.shape) + " of " + dtype + " overflows 64 bits");

        const Json &offsets = field("data_offsets", Json::value_t::array);
        if (offsets.size() != 2 || !nonNegativeInteger(offsets[0], info.begin)
            || !nonNegativeInteger(offsets[1], info.end))
            fail(where + "\"data_offsets\" must be two non-negative integers, found "
                + dumpJson(offsets));
        const std::string range
            = "[" + std::to_string(info.begin) + ", " + std::to_string(info.end) + "]";
        if (info.end < info.begin)
            fail(where + "data_offsets " + range + " end before they begin");
        if (info.end > bufferSize)
            fail(where + "data_offsets " + range + " extend beyond the data buffer of "
                + std::to_string(bufferSize) + " bytes");
        if (info.end - info.begin != bytes)
            fail(where + "data_offsets " + range + " hold " + std::to_string(info.end - info.begin)
                + " bytes, but " + dtype + " with shape " + shapeString(info.shape) + " needs "
                + std::to_string(bytes));

        m_index.emplace(info.name, m_tensors.size()); // JSON parsing refused duplicate keys
        m_tensors.push_back(std::move(info));
    }

    // Like the reference reader: in offset order the tensors must tile the buffer exactly.
    std::vector<std::size_t> order(m_tensors.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const TensorInfo &x = m_tensors[a], &y = m_tensors[b];
        return x.begin != y.begin ? x.begin < y.begin : x.end < y.end;
    });
    std::uint64_t covered = 0;
    const TensorInfo *previous = nullptr;
    for (std::size_t i : order) {
        const TensorInfo &info = m_tensors[i];
        if (info.begin < covered)
            fail("tensors " + jsonQuote(previous->name) + " and " + jsonQuote(info.name)
                + " overlap: bytes " + std::to_string(info.begin) + " to " + std::to_string(covered)
                + " are claimed by both");
        if (info.begin > covered)
            fail("bytes " + std::to_string(covered) + " to " + std::to_string(info.begin)
                + " of the data buffer belong to no tensor (gap before tensor "
                + jsonQuote(info.name) + ")");
        covered = info.end;
        previous = &info;
    }
    if (covered != bufferSize)
        fail("the last " + std::to_string(bufferSize - covered) + " bytes of the "
            + std::to_string(bufferSize) + "-byte data buffer belong to no tensor");
}

const TensorInfo *SafeTensorsReader::find(std::string_view name) const
{
    const auto it = m_index.find(std::string(name));
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

const TensorInfo &SafeTensorsReader::require(std::string_view name) const
{
    if (const TensorInfo *info = find(name))
        return *info;
    throw Error(fileMessage(m_path, "no tensor named " + jsonQuote(name)));
}

const unsigned char *SafeTensorsReader::bytes(const TensorInfo &info) const
{
    return reinterpret_cast<const unsigned char *>(m_file.data()) + m_dataStart + info.begin;
}

template <typename Scalar>
void SafeTensorsReader::read(std::string_view name, Scalar *dst, std::size_t count) const
{
    const TensorInfo &info = require(name);
    if (!isFloatingPoint(info.dtype))
        throw Error(fileMessage(m_path,
            "tensor " + jsonQuote(name) + " has dtype " + dtypeName(info.dtype)
                + ", expected a floating-point tensor"));
    if (count != info.elements())
        throw Error(fileMessage(m_path,
            "tensor " + jsonQuote(name) + " with shape " + shapeString(info.shape) + " has "
                + std::to_string(info.elements()) + " elements, expected "
                + std::to_string(count)));
    convert(info.dtype, bytes(info), dst, count);
}

template void SafeTensorsReader::read<float>(std::string_view, float *, std::size_t) const;
template void SafeTensorsReader::read<double>(std::string_view, double *, std::size_t) const;

void writeSafeTensors(const std::string &path, const std::vector<TensorToWrite> &tensors,
    const std::map<std::string, std::string> &metadata)
{
    const auto fail = [&](const std::string &message) { throw Error(fileMessage(path, message)); };

    Json header = Json::object();
    if (!metadata.empty()) {
        Json values = Json::object();
        for (const auto &[key, value] : metadata) {
            if (!survivesJson(key) || !survivesJson(value))
                fail("metadata entry " + jsonQuote(key) + " is not valid UTF-8");
            values[key] = value;
        }
        header["__metadata__"] = std::move(values);
    }

    std::vector<std::uint64_t> sizes;
    std::unordered_set<std::string_view> names;
    std::uint64_t offset = 0;
    for (const TensorToWrite &t : tensors) {
        const std::string where = "tensor " + jsonQuote(t.name) + ": ";
        if (t.name.empty() || t.name == "__metadata__" || !survivesJson(t.name))
            fail(where + "invalid name");
        if (!names.insert(t.name).second)
            fail(where + "duplicate name");
        Json shape = Json::array();
        for (std::int64_t dim : t.shape) {
            if (dim < 0)
                fail(where + "negative dimension in shape " + shapeString(t.shape));
            shape.push_back(dim);
        }
        std::uint64_t elements = 0, bytes = 0;
        if (!byteCount(t.shape, dtypeSize(t.dtype), elements, bytes))
            fail(where + "shape " + shapeString(t.shape) + " overflows 64 bits");
        if (bytes > 0 && !t.data)
            fail(where + "no data");
        if (bytes > std::numeric_limits<std::uint64_t>::max() - offset)
            fail(where + "the tensors add up to more than 2^64 bytes");
        Json entry = Json::object();
        entry["dtype"] = dtypeName(t.dtype);
        entry["shape"] = std::move(shape);
        entry["data_offsets"] = Json::array({ offset, offset + bytes });
        // Appended without ordered_map's linear search for the key: names are unique here.
        static_cast<Json::object_t::Container &>(header.get_ref<Json::object_t &>())
            .emplace_back(t.name, std::move(entry));
        sizes.push_back(bytes);
        offset += bytes;
    }

    std::string headerText = dumpJson(header);
    headerText.append((8 - headerText.size() % 8) % 8, ' ');
    unsigned char length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = static_cast<unsigned char>(std::uint64_t(headerText.size()) >> (8 * i));

    writeFileAtomically(path, [&](std::FILE *file) {
        std::fwrite(length, 1, sizeof length, file);
        std::fwrite(headerText.data(), 1, headerText.size(), file);
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            if (sizes[i] > 0)
                std::fwrite(tensors[i].data, 1, static_cast<std::size_t>(sizes[i]), file);
        }
    });
}

} // namespace embedlab
