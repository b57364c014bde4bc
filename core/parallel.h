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

// parallelFor over [0, n) whose chunk boundaries fall on multiples of `align` (but the last),
// for splits of rows whose vector code must not depend on where a chunk starts.
void parallelForAligned(std::size_t n, std::size_t align, std::size_t minChunk,
    const std::function<void(std::size_t, std::size_t)> &fn);

// Lock-step work: fn(member, members, sync) runs on `members` threads at once (at most
// threadCount() and at most maxMembers, one when called from inside a parallel loop); sync()
// returns once every member has called it, so members can take turns at shared data step by step.
// The wait spins briefly and then yields, for steps of a few microseconds.
using TeamSync = std::function<void()>;
void parallelTeam(std::size_t maxMembers,
    const std::function<void(std::size_t member, std::size_t members, const TeamSync &sync)> &fn);

} // namespace embedlab
