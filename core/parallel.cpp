#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#ifdef EMBEDLAB_HAVE_OPENBLAS
extern "C" void openblas_set_num_threads(int);
#endif

namespace embedlab {

namespace {
std::atomic<int> g_threads{0};

int hardwareThreads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}
} // namespace

void setThreadCount(int n)
{
    const int count = n <= 0 ? hardwareThreads() : n;
    g_threads.store(count);
#ifdef EMBEDLAB_HAVE_OPENBLAS
    openblas_set_num_threads(count);
#endif
}

int threadCount()
{
    const int n = g_threads.load();
    return n <= 0 ? hardwareThreads() : n;
}

void parallelFor(std::size_t n, std::size_t minChunk,
                 const std::function<void(std::size_t, std::size_t)> &fn)
{
    if (n == 0)
        return;
    minChunk = std::max<std::size_t>(minChunk, 1);
    const std::size_t maxChunks = (n + minChunk - 1) / minChunk;
    const std::size_t chunks = std::min<std::size_t>(static_cast<std::size_t>(threadCount()), maxChunks);
    if (chunks <= 1) {
        fn(0, n);
        return;
    }
    std::vector<std::thread> workers;
    workers.reserve(chunks - 1);
    std::exception_ptr firstError;
    std::mutex errorMutex;
    auto run = [&](std::size_t begin, std::size_t end) {
        try {
            fn(begin, end);
        } catch (...) {
            std::lock_guard<std::mutex> lock(errorMutex);
            if (!firstError)
                firstError = std::current_exception();
        }
    };
    const std::size_t step = (n + chunks - 1) / chunks;
    for (std::size_t c = 1; c < chunks; ++c) {
        const std::size_t begin = c * step;
        const std::size_t end = std::min(n, begin + step);
        if (begin < end)
            workers.emplace_back(run, begin, end);
    }
    run(0, std::min(n, step));
    for (auto &w : workers)
        w.join();
    if (firstError)
        std::rethrow_exception(firstError);
}

} // namespace embedlab
