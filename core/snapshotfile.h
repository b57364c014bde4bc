#pragma once
// Compact embedding snapshots for a run folder: the embedding table at one training step as
// float16 in a zstd frame, small enough to keep one every few hundred steps.
#include <cstdint>
#include <string>
#include <vector>

#include "core/float16.h"

namespace embedlab {

// A snapshot file is one zstd frame, with its content size and content checksum, holding:
//   "EMBSNAP1"           8 bytes
//   step                 int64, little-endian
//   rows, cols           int32 each, little-endian
//   values               rows * cols float16, little-endian, row-major (row r is word r)
constexpr const char *EmbeddingSnapshotMagic = "EMBSNAP1";
constexpr int EmbeddingSnapshotHeaderBytes = 24;
// zstd's own default: about as fast as writing the raw table, which float16 already halves.
constexpr int DefaultSnapshotCompressionLevel = 3;

struct EmbeddingSnapshotHeader
{
    std::int64_t step = 0;
    std::int32_t rows = 0, cols = 0;
};

struct EmbeddingSnapshotData
{
    EmbeddingSnapshotHeader header;
    std::vector<float> values; // rows * cols, row-major, each exactly a float16 value
};

// Writes header.rows rows of header.cols floats from data (row-major), each rounded to float16
// (floatToHalf), compressed at compressionLevel (zstd's 1 ... 19, or negative for its fast
// levels). Writes atomically (writeFileAtomically). Throws Error naming path for negative
// sizes, a level zstd does not have, or a failed write.
void writeEmbeddingSnapshot(const std::string &path, const EmbeddingSnapshotHeader &header,
    const float *data, int compressionLevel = DefaultSnapshotCompressionLevel);

// Reads and checks a whole snapshot. Throws Error naming path and what is wrong (not zstd, a
// different magic, a header whose sizes disagree with the frame, a truncated or damaged file);
// sizes are checked against the frame's content size before anything is allocated for them.
EmbeddingSnapshotData readEmbeddingSnapshot(const std::string &path);

} // namespace embedlab
