#include "core/snapshotfile.h"

#include "core/error.h"
#include "core/fileio.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace embedlab {

namespace {

constexpr const char *Layout
    = "an embedding snapshot is a zstd frame with a content checksum holding \"EMBSNAP1\", the "
      "step (int64), rows and cols (int32) and rows x cols float16 values, little-endian";

// Halves converted per step while streaming, so that no second copy of the table is needed.
constexpr std::size_t ChunkValues = 1 << 15;

struct CCtxDeleter
{
    void operator()(ZSTD_CCtx *c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter
{
    void operator()(ZSTD_DCtx *d) const { ZSTD_freeDCtx(d); }
};

void putLittleEndian(unsigned char *out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[i] = static_cast<unsigned char>((value >> (8 * i)) & 0xFF);
}

std::uint64_t littleEndian(const unsigned char *p, int bytes)
{
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return value;
}

std::string printable(const unsigned char *p, std::size_t n)
{
    std::string s = "\"";
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '"' && p[i] != '\\') {
            s += static_cast<char>(p[i]);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", p[i]);
            s += buf;
        }
    }
    return s + "\"";
}

// Decompresses one frame from a file in memory in steps, reporting damage as Error.
class FrameReader
{
public:
    FrameReader(const std::string &path, const std::string &file)
        : m_path(path)
        , m_dctx(ZSTD_createDCtx())
        , m_in { file.data(), file.size(), 0 }
    {
        if (!m_dctx)
            throw Error(fileMessage(path, "cannot allocate a zstd decompression context"));
    }

    // Fills [dst, dst + n) with the next n decompressed bytes.
    void read(void *dst, std::size_t n)
    {
        ZSTD_outBuffer out { dst, n, 0 };
        while (out.pos < out.size) {
            // zstd checked the content size against the data, so this is only a safeguard.
            if (m_frameDone)
                throw Error(fileMessage(m_path, "the zstd frame ends early"));
            const std::size_t inBefore = m_in.pos, outBefore = out.pos;
            const std::size_t result = ZSTD_decompressStream(m_dctx.get(), &out, &m_in);
            check(result);
            m_frameDone = result == 0;
            if (!m_frameDone && m_in.pos == inBefore && out.pos == outBefore)
                throwTruncated();
        }
    }

    // Decompresses the rest of the frame into a scratch buffer: a frame whose contents are not
    // what they should be may only be damaged, which its checksum then says.
    void drain()
    {
        std::vector<unsigned char> scratch(1 << 16);
        while (!m_frameDone) {
            ZSTD_outBuffer out { scratch.data(), scratch.size(), 0 };
            const std::size_t inBefore = m_in.pos;
            const std::size_t result = ZSTD_decompressStream(m_dctx.get(), &out, &m_in);
            check(result);
            m_frameDone = result == 0;
            if (!m_frameDone && m_in.pos == inBefore && out.pos == 0)
                throwTruncated();
        }
    }

    // Reads the rest of the frame, which must hold no more data: this is where zstd checks the
    // content checksum, unless the last read got that far. Then nothing may follow the frame.
    void finish()
    {
        unsigned char extra = 0;
        while (!m_frameDone) {
            ZSTD_outBuffer out { &extra, 1, 0 };
            const std::size_t inBefore = m_in.pos;
            const std::size_t result = ZSTD_decompressStream(m_dctx.get(), &out, &m_in);
            check(result);
            if (out.pos != 0)
                throw Error(
                    fileMessage(m_path, "the zstd frame holds more data than its header says"));
            m_frameDone = result == 0;
            if (!m_frameDone && m_in.pos == inBefore)
                throwTruncated();
        }
        if (m_in.pos != m_in.size)
            throw Error(fileMessage(m_path,
                std::to_string(m_in.size - m_in.pos) + " bytes follow the zstd frame; "
                    + std::string(Layout)));
    }

private:
    void check(std::size_t result) const
    {
        if (!ZSTD_isError(result))
            return;
        if (ZSTD_getErrorCode(result) == ZSTD_error_checksum_wrong)
            throw Error(fileMessage(m_path, "content checksum mismatch: the file is damaged"));
        throw Error(
            fileMessage(m_path, std::string("corrupt zstd data: ") + ZSTD_getErrorName(result)));
    }

    [[noreturn]] void throwTruncated() const
    {
        throw Error(fileMessage(m_path,
            "the file ends inside its zstd frame (truncated after " + std::to_string(m_in.size)
                + " bytes)"));
    }

    const std::string &m_path;
    std::unique_ptr<ZSTD_DCtx, DCtxDeleter> m_dctx;
    ZSTD_inBuffer m_in;
    bool m_frameDone = false; // zstd has returned 0: the frame is complete and its checksum right
};

} // namespace

void writeEmbeddingSnapshot(const std::string &path, const EmbeddingSnapshotHeader &header,
    const float *data, int compressionLevel)
{
    if (header.rows < 0 || header.cols < 0)
        throw Error(fileMessage(path,
            "cannot write a snapshot of " + std::to_string(header.rows) + " x "
                + std::to_string(header.cols) + " values"));
    if (compressionLevel < ZSTD_minCLevel() || compressionLevel > ZSTD_maxCLevel())
        throw Error(fileMessage(path,
            "zstd has no compression level " + std::to_string(compressionLevel) + " (it has "
                + std::to_string(ZSTD_minCLevel()) + " to " + std::to_string(ZSTD_maxCLevel())
                + ")"));
    const std::size_t count
        = static_cast<std::size_t>(header.rows) * static_cast<std::size_t>(header.cols);
    if (count > 0 && !data)
        throw Error(fileMessage(path, "no data for the snapshot"));

    std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
    if (!cctx)
        throw Error(fileMessage(path, "cannot allocate a zstd compression context"));
    const auto checkZstd = [&](std::size_t result) {
        if (ZSTD_isError(result))
            throw Error(fileMessage(path, std::string("zstd: ") + ZSTD_getErrorName(result)));
        return result;
    };
    checkZstd(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, compressionLevel));
    checkZstd(ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1));
    // Streaming loses the content size unless it is promised up front; the reader needs it to
    // check the header's sizes before allocating.
    const std::size_t contentBytes = EmbeddingSnapshotHeaderBytes + 2 * count;
    checkZstd(ZSTD_CCtx_setPledgedSrcSize(cctx.get(), contentBytes));

    unsigned char head[EmbeddingSnapshotHeaderBytes];
    std::memcpy(head, EmbeddingSnapshotMagic, 8);
    putLittleEndian(head + 8, static_cast<std::uint64_t>(header.step), 8);
    putLittleEndian(head + 16, static_cast<std::uint32_t>(header.rows), 4);
    putLittleEndian(head + 20, static_cast<std::uint32_t>(header.cols), 4);

    writeFileAtomically(path, [&](std::FILE *file) {
        std::vector<char> out(ZSTD_CStreamOutSize());
        const auto compress = [&](const void *src, std::size_t n, ZSTD_EndDirective mode) {
            ZSTD_inBuffer in { src, n, 0 };
            for (;;) {
                ZSTD_outBuffer buffer { out.data(), out.size(), 0 };
                const std::size_t remaining
                    = checkZstd(ZSTD_compressStream2(cctx.get(), &buffer, &in, mode));
                std::fwrite(out.data(), 1, buffer.pos, file);
                if (mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size)
                    return;
            }
        };
        compress(head, sizeof head, ZSTD_e_continue);
        std::vector<unsigned char> halves(2 * ChunkValues);
        for (std::size_t begin = 0; begin < count; begin += ChunkValues) {
            const std::size_t n = std::min(ChunkValues, count - begin);
            for (std::size_t i = 0; i < n; ++i)
                putLittleEndian(&halves[2 * i], floatToHalf(data[begin + i]), 2);
            compress(halves.data(), 2 * n, ZSTD_e_continue);
        }
        compress(nullptr, 0, ZSTD_e_end);
    });
}

EmbeddingSnapshotData readEmbeddingSnapshot(const std::string &path)
{
    const std::string file = readFile(path);
    const auto *bytes = reinterpret_cast<const unsigned char *>(file.data());
    const auto notSnapshot = [&](const std::string &reason) {
        return Error(fileMessage(path, "not an embedding snapshot: " + reason + "; " + Layout));
    };

    // RFC 8878 section 3.1.1: magic number 0xFD2FB528, then the frame header descriptor.
    if (file.size() < 4 || littleEndian(bytes, 4) != ZSTD_MAGICNUMBER)
        throw notSnapshot("the file does not start with a zstd frame");
    const unsigned long long contentSize = ZSTD_getFrameContentSize(file.data(), file.size());
    if (contentSize == ZSTD_CONTENTSIZE_ERROR)
        throw Error(fileMessage(path, "the zstd frame header is damaged or truncated"));
    if (contentSize == ZSTD_CONTENTSIZE_UNKNOWN)
        throw notSnapshot("the zstd frame does not record its content size");
    const bool hasChecksum = (bytes[4] & 0x04) != 0; // Content_Checksum_flag
    if (!hasChecksum)
        throw notSnapshot("the zstd frame has no content checksum");
    if (contentSize < EmbeddingSnapshotHeaderBytes)
        throw notSnapshot("the zstd frame holds " + std::to_string(contentSize)
            + " bytes, fewer than the " + std::to_string(EmbeddingSnapshotHeaderBytes)
            + "-byte header");

    FrameReader frame(path, file);
    // Damage is reported as damage, not as a file of another kind.
    const auto refuse = [&](const std::string &reason) {
        frame.drain();
        return notSnapshot(reason);
    };
    unsigned char head[EmbeddingSnapshotHeaderBytes];
    frame.read(head, sizeof head);
    if (std::memcmp(head, EmbeddingSnapshotMagic, 8) != 0)
        throw refuse("the data starts with " + printable(head, 8) + ", not \"EMBSNAP1\"");
    EmbeddingSnapshotData snapshot;
    EmbeddingSnapshotHeader &header = snapshot.header;
    header.step = static_cast<std::int64_t>(littleEndian(head + 8, 8));
    header.rows = static_cast<std::int32_t>(static_cast<std::uint32_t>(littleEndian(head + 16, 4)));
    header.cols = static_cast<std::int32_t>(static_cast<std::uint32_t>(littleEndian(head + 20, 4)));
    if (header.rows < 0 || header.cols < 0)
        throw refuse("the header says " + std::to_string(header.rows) + " x "
            + std::to_string(header.cols) + " values");
    const std::uint64_t count
        = static_cast<std::uint64_t>(header.rows) * static_cast<std::uint64_t>(header.cols);
    const std::uint64_t expected = EmbeddingSnapshotHeaderBytes + 2 * count;
    if (expected != contentSize)
        throw refuse("the header says " + std::to_string(header.rows) + " x "
            + std::to_string(header.cols) + " values (" + std::to_string(expected)
            + " bytes with the header) but the zstd frame holds " + std::to_string(contentSize)
            + " bytes");
    // The content size may itself be a lie of a damaged file; a table this machine cannot hold
    // is refused rather than attempted.
    if (count * sizeof(float) > physicalMemory())
        throw Error(fileMessage(path,
            "the snapshot holds " + std::to_string(count)
                + " values, more than this machine's memory can hold as floats"));

    snapshot.values.resize(static_cast<std::size_t>(count));
    std::vector<unsigned char> halves(2 * ChunkValues);
    for (std::size_t begin = 0; begin < count; begin += ChunkValues) {
        const std::size_t n = std::min<std::size_t>(ChunkValues, count - begin);
        frame.read(halves.data(), 2 * n);
        for (std::size_t i = 0; i < n; ++i)
            snapshot.values[begin + i]
                = halfToFloat(static_cast<std::uint16_t>(littleEndian(&halves[2 * i], 2)));
    }
    frame.finish();
    return snapshot;
}

} // namespace embedlab
