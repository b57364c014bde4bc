#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#ifdef EMBEDLAB_HAVE_OPENBLAS
extern "C" void openblas_set_num_threads(int);
#endif

namespace embedlab {

namespace {

int hardwareThreads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

// Persistent workers, so a parallel loop costs a wake-up rather than a thread start. The engine
// splits its own work (matrix products by columns, softmax by tokens); BLAS itself runs on one
// thread per call, which avoids two thread pools spinning against each other on few cores.
class Pool
{
public:
    explicit Pool(int threads)
    {
        for (int i = 1; i < threads; ++i)
            m_workers.emplace_back([this, i] { work(i); });
    }

    ~Pool()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        for (auto &w : m_workers)
            w.join();
    }

    int size() const { return static_cast<int>(m_workers.size()) + 1; }

    void run(
        std::size_t n, std::size_t chunks, const std::function<void(std::size_t, std::size_t)> &fn)
    {
        std::lock_guard<std::mutex> serial(m_runMutex); // one loop at a time
        const std::size_t step = (n + chunks - 1) / chunks;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_fn = &fn;
            m_n = n;
            m_step = step;
            m_chunks = chunks;
            m_pending = static_cast<int>(chunks) - 1;
            m_error = nullptr;
            ++m_generation;
        }
        m_wake.notify_all();
        runChunk(0);
        std::unique_lock<std::mutex> lock(m_mutex);
        m_done.wait(lock, [this] { return m_pending == 0; });
        m_fn = nullptr;
        if (m_error)
            std::rethrow_exception(m_error);
    }

    static thread_local bool t_insideWorker;

private:
    void runChunk(std::size_t c)
    {
        const std::size_t begin = c * m_step, end = std::min(m_n, begin + m_step);
        if (begin >= end)
            return;
        try {
            (*m_fn)(begin, end);
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_error)
                m_error = std::current_exception();
        }
    }

    void work(int index)
    {
        t_insideWorker = true;
        std::uint64_t seen = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, [&] { return m_quit || m_generation != seen; });
                if (m_quit)
                    return;
                seen = m_generation;
                if (static_cast<std::size_t>(index) >= m_chunks)
                    continue;
            }
            runChunk(static_cast<std::size_t>(index));
            std::lock_guard<std::mutex> lock(m_mutex);
            if (--m_pending == 0)
                m_done.notify_one();
        }
    }

    std::vector<std::thread> m_workers;
    std::mutex m_runMutex, m_mutex;
    std::condition_variable m_wake, m_done;
    const std::function<void(std::size_t, std::size_t)> *m_fn = nullptr;
    std::size_t m_n = 0, m_step = 0, m_chunks = 0;
    int m_pending = 0;
    std::uint64_t m_generation = 0;
    bool m_quit = false;
    std::exception_ptr m_error;
};

thread_local bool Pool::t_insideWorker = false;

void useSingleThreadedBlas()
{
#ifdef EMBEDLAB_HAVE_OPENBLAS
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
#endif
}

std::mutex g_poolMutex;
std::shared_ptr<Pool> g_pool;
std::atomic<int> g_threads { 0 };

std::shared_ptr<Pool> pool()
{
    std::lock_guard<std::mutex> lock(g_poolMutex);
    const int want = threadCount();
    if (!g_pool || g_pool->size() != want) {
        g_pool = std::make_shared<Pool>(want);
    }
    return g_pool;
}

} // namespace

void setThreadCount(int n)
{
    useSingleThreadedBlas();
    g_threads.store(n <= 0 ? hardwareThreads() : n);
}

int threadCount()
{
    const int n = g_threads.load();
    return n <= 0 ? hardwareThreads() : n;
}

void parallelFor(
    std::size_t n, std::size_t minChunk, const std::function<void(std::size_t, std::size_t)> &fn)
{
    if (n == 0)
        return;
    useSingleThreadedBlas();
    minChunk = std::max<std::size_t>(minChunk, 1);
    const std::size_t maxChunks = (n + minChunk - 1) / minChunk;
    std::size_t chunks = std::min<std::size_t>(static_cast<std::size_t>(threadCount()), maxChunks);
    if (chunks <= 1 || Pool::t_insideWorker) {
        fn(0, n);
        return;
    }
    auto p = pool();
    chunks = std::min<std::size_t>(chunks, static_cast<std::size_t>(p->size()));
    p->run(n, chunks, fn);
}

void parallelForAligned(std::size_t n, std::size_t align, std::size_t minChunk,
    const std::function<void(std::size_t, std::size_t)> &fn)
{
    align = std::max<std::size_t>(align, 1);
    const std::size_t blocks = (n + align - 1) / align;
    parallelFor(blocks, (std::max<std::size_t>(minChunk, 1) + align - 1) / align,
        [&](std::size_t b, std::size_t e) { fn(b * align, std::min(n, e * align)); });
}

namespace {

// A reusable barrier for a team whose members all run at once: the last to arrive starts the
// next generation; the others spin on it, then yield so a busy machine is not held up.
class SpinBarrier
{
public:
    explicit SpinBarrier(std::size_t members)
        : m_members(members)
    { }

    void arriveAndWait()
    {
        if (m_broken.load(std::memory_order_acquire))
            return;
        const std::uint64_t generation = m_generation.load(std::memory_order_acquire);
        if (m_arrived.fetch_add(1, std::memory_order_acq_rel) + 1 == m_members) {
            m_arrived.store(0, std::memory_order_relaxed);
            m_generation.store(generation + 1, std::memory_order_release);
            return;
        }
        for (int spins = 0; m_generation.load(std::memory_order_acquire) == generation
             && !m_broken.load(std::memory_order_acquire);
             ++spins) {
            if (spins < 4096) {
#if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
#endif
            } else {
                std::this_thread::yield();
            }
        }
    }

    // A member that throws will not arrive again: the others stop waiting for it.
    void breakAll()
    {
        m_broken.store(true, std::memory_order_release);
    }

private:
    const std::size_t m_members;
    std::atomic<bool> m_broken { false };
    std::atomic<std::size_t> m_arrived { 0 };
    std::atomic<std::uint64_t> m_generation { 0 };
};

} // namespace

void parallelTeam(std::size_t maxMembers,
    const std::function<void(std::size_t member, std::size_t members, const TeamSync &sync)> &fn)
{
    if (maxMembers == 0)
        return;
    useSingleThreadedBlas();
    std::size_t members
        = std::min<std::size_t>(static_cast<std::size_t>(threadCount()), maxMembers);
    if (members <= 1 || Pool::t_insideWorker) {
        fn(0, 1, [] {});
        return;
    }
    auto p = pool();
    members = std::min<std::size_t>(members, static_cast<std::size_t>(p->size()));
    SpinBarrier barrier(members);
    const TeamSync sync = [&barrier] { barrier.arriveAndWait(); };
    // One chunk of one member per thread: the pool runs every chunk at once.
    p->run(members, members, [&](std::size_t b, std::size_t e) {
        try {
            for (std::size_t m = b; m < e; ++m)
                fn(m, members, sync);
        } catch (...) {
            barrier.breakAll();
            throw;
        }
    });
}

} // namespace embedlab
