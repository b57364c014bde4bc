#include "core/safetensors.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/filekind.h"
#include "core/json.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <unordered_set>

// Tensor bytes are little-endian in the file and are copied to and from memory as they are.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.cpp assumes a little-endian host"
#endif

namespace embedlab {

namespace {

// The reference implementation's limit (MAX_HEADER_SIZE in safetensors/src/tensor.rs).
constexpr std::uint64_t MaxHeaderSize = 100'000'000;

struct DTypeEntry
{
    DType dtype;
    const char *name;
    std::size_t size;
};

constexpr DTypeEntry dtypeTable[] = {
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
constexpr const char *unsupportedDtypes[]
    = { "U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64" };

const DTypeEntry &entryFor(DType dtype)
{
    for (const DTypeEntry &entry : dtypeTable) {
        if (entry.dtype == dtype)
            return entry;
    }
    throw Error("invalid DType value " + std::to_string(static_cast<int>(dtype)));
}

std::string quoted(std::string_view s)
{
    return jsonQuote(s);
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

bool nonNegativeInteger(const Json &value, std::uint64_t &out)
{
    if (!value.isInteger() || value.asDouble() < 0)
        return false;
    out = value.asUInt();
    return true;
}

// True if s can be stored in a JSON header unchanged (jsonQuote replaces invalid UTF-8).
bool survivesJson(std::string_view s)
{
    return Json::parse(jsonQuote(s)).asString() == s;
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

float halfToFloat(std::uint16_t bits)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    std::uint32_t exponent = (bits >> 10) & 0x1Fu;
    std::uint32_t mantissa = bits & 0x3FFu;
    std::uint32_t result;
    if (exponent == 0x1F) {
        result = sign | 0x7F800000u | (mantissa << 13); // inf or NaN, payload kept
    } else if (exponent != 0) {
        result = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        result = sign; // signed zero
    } else {
        // Subnormal half: every one is a normal float. Shift the leading 1 into the hidden bit.
        exponent = 127 - 15 + 1;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        result = sign | (exponent << 23) | ((mantissa & 0x3FFu) << 13);
    }
    float f;
    std::memcpy(&f, &result, sizeof f);
    return f;
}

float bfloat16ToFloat(std::uint16_t bits)
{
    // bfloat16 is the upper half of a float.
    const std::uint32_t result = static_cast<std::uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &result, sizeof f);
    return f;
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
        header = Json::parse(std::string_view(m_file).substr(8, headerLength));
    } catch (const Error &e) {
        const std::string message
            = std::string("header is not valid JSON (offsets count from the header start): ")
            + e.what();
        if (headerLength == 0 || m_file[8] != '{')
            failForeign(message);
        fail(message);
    }
    if (!header.isObject())
        fail(std::string("header is a JSON ") + jsonTypeName(header.type())
            + ", expected an object");

    for (const auto &[key, value] : header.members()) {
        if (key == "__metadata__") {
            if (value.isNull())
                continue;
            if (!value.isObject())
                fail(std::string("\"__metadata__\" is a JSON ") + jsonTypeName(value.type())
                    + ", expected an object of strings");
            for (const auto &[metaKey, metaValue] : value.members()) {
                if (!metaValue.isString())
                    fail("\"__metadata__\" value for key " + quoted(metaKey) + " is a JSON "
                        + jsonTypeName(metaValue.type()) + ", expected a string");
                m_metadata[metaKey] = metaValue.asString();
            }
            continue;
        }

        const std::string where = "tensor " + quoted(key) + ": ";
        if (!value.isObject())
            fail(where + "entry is a JSON " + jsonTypeName(value.type()) + ", expected an object");
        const Json &entry = value; // C++17 lambdas cannot capture structured bindings
        const auto field = [&](const char *name, Json::Type type) -> const Json & {
            const Json *f = entry.find(name);
            if (!f)
                fail(where + "missing \"" + name + "\"");
            if (f->type() != type)
                fail(where + "\"" + name + "\" is a JSON " + jsonTypeName(f->type()) + ", expected "
                    + (type == Json::Type::String ? "a string" : "an array"));
            return *f;
        };

        TensorInfo info;
        info.name = key;

        const std::string &dtype = field("dtype", Json::Type::String).asString();
        const auto known = std::find_if(std::begin(dtypeTable), std::end(dtypeTable),
            [&](const DTypeEntry &e) { return dtype == e.name; });
        if (known == std::end(dtypeTable)) {
            const bool valid = std::any_of(std::begin(unsupportedDtypes),
                std::end(unsupportedDtypes), [&](const char *name) { return dtype == name; });
            fail(where
                + (valid ? "dtype " + quoted(dtype) + " is not supported"
                         : "unknown dtype " + quoted(dtype)));
        }
        info.dtype = known->dtype;

        const Json &shape = field("shape", Json::Type::Array);
        for (const Json &dim : shape.items()) {
            std::uint64_t d = 0;
            if (!nonNegativeInteger(dim, d)
                || d > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
                fail(where + "\"shape\" must hold non-negative integers, found " + shape.dump());
            info.shape.push_back(static_cast<std::int64_t>(d));
        }
        std::uint64_t elements = 0, bytes = 0;
        if (!byteCount(info.shape, known->size, elements, bytes))
            fail(
                where + "shape " + shapeString(info.shape) + " of " + dtype + " overflows 64 bits");

        const Json &offsets = field("data_offsets", Json::Type::Array);
        if (offsets.size() != 2 || !nonNegativeInteger(offsets[0], info.begin)
            || !nonNegativeInteger(offsets[1], info.end))
            fail(where + "\"data_offsets\" must be two non-negative integers, found "
                + offsets.dump());
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
            fail("tensors " + quoted(previous->name) + " and " + quoted(info.name)
                + " overlap: bytes " + std::to_string(info.begin) + " to " + std::to_string(covered)
                + " are claimed by both");
        if (info.begin > covered)
            fail("bytes " + std::to_string(covered) + " to " + std::to_string(info.begin)
                + " of the data buffer belong to no tensor (gap before tensor " + quoted(info.name)
                + ")");
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
    throw Error(fileMessage(m_path, "no tensor named " + quoted(name)));
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
            "tensor " + quoted(name) + " has dtype " + dtypeName(info.dtype)
                + ", expected a floating-point tensor"));
    if (count != info.elements())
        throw Error(fileMessage(m_path,
            "tensor " + quoted(name) + " with shape " + shapeString(info.shape) + " has "
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
            values.set(key, value);
        }
        header.set("__metadata__", std::move(values));
    }

    std::vector<std::uint64_t> sizes;
    std::unordered_set<std::string_view> names;
    std::uint64_t offset = 0;
    for (const TensorToWrite &t : tensors) {
        const std::string where = "tensor " + quoted(t.name) + ": ";
        if (t.name.empty() || t.name == "__metadata__" || !survivesJson(t.name))
            fail(where + "invalid name");
        if (!names.insert(t.name).second)
            fail(where + "duplicate name");
        Json shape = Json::array();
        for (std::int64_t dim : t.shape) {
            if (dim < 0)
                fail(where + "negative dimension in shape " + shapeString(t.shape));
            shape.push(dim);
        }
        std::uint64_t elements = 0, bytes = 0;
        if (!byteCount(t.shape, dtypeSize(t.dtype), elements, bytes))
            fail(where + "shape " + shapeString(t.shape) + " overflows 64 bits");
        if (bytes > 0 && !t.data)
            fail(where + "no data");
        if (bytes > std::numeric_limits<std::uint64_t>::max() - offset)
            fail(where + "the tensors add up to more than 2^64 bytes");
        Json offsets = Json::array();
        offsets.push(offset);
        offsets.push(offset + bytes);
        Json entry = Json::object();
        entry.set("dtype", dtypeName(t.dtype))
            .set("shape", std::move(shape))
            .set("data_offsets", std::move(offsets));
        header.set(t.name, std::move(entry));
        sizes.push_back(bytes);
        offset += bytes;
    }

    std::string headerText = header.dump();
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
