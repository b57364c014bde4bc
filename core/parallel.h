#pragma once
// Thread count shared by the engine's own loops and the BLAS behind Eigen's matrix products.
#include <cstddef>
#include <functional>

namespace embedlab {

// n <= 0 means one thread per hardware core.
void setThreadCount(int n);
int threadCount();

// Calls fn(begin, end) on contiguous chunks covering [0, n), at most one chunk per thread and none
// smaller than minChunk; returns when all are done. The first exception thrown is rethrown.
void parallelFor(
    std::size_t n, std::size_t minChunk, const std::function<void(std::size_t, std::size_t)> &fn);

} // namespace embedlab
