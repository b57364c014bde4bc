#pragma once
// Detection: the format, header and dimension of a file from the first bytes of its content,
// decided by the layouts and claims of the rows of vectorFormats().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/vectors/input.h"
#include "core/vectors/vectors.h"

namespace embedlab::vectors {

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

// Decides the format, header and dimension from the first bytes of the content. Returns
// nothing when the sample is too short to tell and more of the file exists.
std::optional<Layout> detectLayout(const std::string &path, std::string_view sample, bool atEnd,
    VectorFormat forced, std::uint64_t fileBytes, bool gzip);

// Reads from the stream into buf until detectLayout can decide.
Layout sniff(const std::string &path, ByteStream &in, StreamBuffer &buf, VectorFormat forced,
    std::uint64_t fileBytes, bool gzip);

// What reading the rows will take (see estimateVectorMemory). contentBytes: the (decompressed)
// size, or a hint of it.
MemoryEstimate estimateLayout(
    const Layout &lay, std::uint64_t fileBytes, std::uint64_t contentBytes, std::uint64_t limit);

} // namespace embedlab::vectors
