#pragma once
// Reading and writing the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of JSON header, then the tensor bytes.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/float16.h"

#include <nlohmann/json_fwd.hpp>

namespace embedlab {

// Deeper nesting is refused by parseJsonStrict so that a hostile header cannot exhaust memory
// or the stack of code that walks the document.
constexpr int MaxJsonDepth = 256;

// Parses a safetensors header or a JSON metadata string the way the reference reader does: RFC
// 8259 as nlohmann-json reads it, and duplicate object keys, a byte order mark and nesting deeper
// than MaxJsonDepth are refused too. Objects keep their members in file order. Throws
// Error("JSON offset N: reason"), N counted in bytes from 0 to where the problem was found.
nlohmann::ordered_json parseJsonStrict(std::string_view text);

// Compact JSON text: members in insertion order, doubles in their shortest round-trip form,
// non-finite doubles as null, bytes that are not valid UTF-8 in strings as U+FFFD.
std::string dumpJson(const nlohmann::ordered_json &value);

// Quoted, escaped JSON string as nlohmann-json writes it; bytes that are not valid UTF-8 become
// U+FFFD so that the output is always valid JSON.
std::string jsonQuote(std::string_view s);

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

// The header's spelling ("F32", "BF16", "BOOL", ...).
const char *dtypeName(DType dtype);
// Bytes per element.
std::size_t dtypeSize(DType dtype);
bool isFloatingPoint(DType dtype);

// One entry of the header; begin and end are byte offsets relative to the start of the data.
struct TensorInfo
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0, end = 0;
    std::uint64_t elements() const; // product of shape (1 for a scalar)
};

// A whole safetensors file read into memory and validated the way the reference reader does:
// tensors must tile the data buffer exactly, without gaps or overlaps.
class SafeTensorsReader
{
public:
    // Throws Error naming path and what is wrong with the file.
    explicit SafeTensorsReader(const std::string &path);

    const std::string &path() const { return m_path; }
    const std::vector<TensorInfo> &tensors() const { return m_tensors; } // in header order
    const TensorInfo *find(std::string_view name) const;
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }

    // Converts F64/F32/F16/BF16 to Scalar (float or double); throws if name is missing, the
    // dtype is not floating point, or count != elements.
    template <typename Scalar>
    void read(std::string_view name, Scalar *dst, std::size_t count) const;

    // The tensor's raw little-endian bytes (info.end - info.begin of them), for integer dtypes.
    const unsigned char *bytes(const TensorInfo &info) const;

private:
    const TensorInfo &require(std::string_view name) const;

    std::string m_path;
    std::string m_file; // the whole file
    std::size_t m_dataStart = 0; // 8 + header length
    std::vector<TensorInfo> m_tensors;
    std::unordered_map<std::string, std::size_t> m_index; // name -> position in m_tensors
    std::map<std::string, std::string> m_metadata;
};

extern template void SafeTensorsReader::read<float>(std::string_view, float *, std::size_t) const;
extern template void SafeTensorsReader::read<double>(std::string_view, double *, std::size_t) const;

// One tensor for writeSafeTensors; data holds elements * dtypeSize(dtype) bytes in row-major
// (C) order, little-endian (the native order on every platform we build for).
struct TensorToWrite
{
    std::string name;
    std::vector<std::int64_t> shape;
    DType dtype = DType::F32;
    const void *data = nullptr;
};

// Writes atomically (writeFileAtomically). Tensors are laid out in the given order; the header
// is padded with spaces to a multiple of 8 bytes, as the reference implementation does. Throws
// Error for duplicate or empty names, negative dimensions, or missing data.
void writeSafeTensors(const std::string &path, const std::vector<TensorToWrite> &tensors,
    const std::map<std::string, std::string> &metadata = {});

} // namespace embedlab
