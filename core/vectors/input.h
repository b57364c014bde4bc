#pragma once
// Input: a regular file read at offsets, its content as a stream (gunzipped when it is gzip,
// inflated ahead on a second thread), and the window on that stream the readers parse from.
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace embedlab::vectors {

inline constexpr std::size_t BlockBytes = std::size_t(1) << 20; // read and parse unit per thread
inline constexpr std::size_t SampleBytes = std::size_t(256) << 10; // first look at a file
inline constexpr std::size_t MaxSampleBytes = std::size_t(64)
    << 20; // the longest first lines we wait for
inline constexpr std::size_t SampleLines = 100; // lines that decide the dimension and the format
inline constexpr int MaxDim = 1 << 24;
inline constexpr std::size_t MaxBinaryWordBytes = std::size_t(1) << 20;
inline constexpr std::size_t MaxLineBytes = std::size_t(256) << 20; // 16M numbers would fit
inline constexpr std::uint64_t MaxGzipRatio = 1032; // deflate cannot expand data more than this

// Throws Error naming the file (and the line, when not 0).
[[noreturn]] void fail(const std::string &path, const std::string &message, std::uint64_t line = 0);
[[noreturn]] void failSystem(const std::string &path, const std::string &what, int error);

// A regular file, open for reading at any offset.
class InputFile
{
public:
    explicit InputFile(const std::string &path);
    ~InputFile();
    InputFile(const InputFile &) = delete;
    InputFile &operator=(const InputFile &) = delete;

    int fd() const { return m_fd; }
    std::uint64_t size() const { return m_size; }
    const std::string &path() const { return m_path; }

    // Up to n bytes at offset (fewer only at the end of the file).
    std::size_t readAt(char *dst, std::size_t n, std::uint64_t offset) const;

private:
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

bool isGzip(const InputFile &file);

// The size of the decompressed content as the gzip trailer gives it (modulo 2^32, and of the
// last member only, so only a hint), never more than deflate could expand the file to.
std::uint64_t gzipContentHint(const InputFile &file);

// The content of a file from the start, decompressed if it is gzip.
class ByteStream
{
public:
    ByteStream(const InputFile &file, bool gzip)
        : m_file(file)
    {
        if (!gzip)
            return;
        const int fd = ::dup(file.fd());
        if (fd < 0)
            failSystem(file.path(), "cannot read", errno);
        m_gz = ::gzdopen(fd, "rb");
        if (!m_gz) {
            ::close(fd);
            fail(file.path(), "cannot open the gzip stream");
        }
        ::gzbuffer(m_gz, 256 << 10);
    }
    ~ByteStream()
    {
        if (m_thread.joinable()) {
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_stop = true;
            }
            m_wake.notify_all();
            m_thread.join();
        }
        if (m_gz)
            ::gzclose(m_gz);
    }
    ByteStream(const ByteStream &) = delete;
    ByteStream &operator=(const ByteStream &) = delete;

    // From now on a second thread decompresses ahead, so that inflating and parsing overlap.
    // (Only for gzip: a plain file is read as fast as it is copied.)
    void startReadAhead()
    {
        if (!m_gz || m_thread.joinable())
            return;
        m_thread = std::thread([this] { produce(); });
    }

    // Fills dst with up to n bytes; 0 at the end (check truncated()).
    std::size_t read(char *dst, std::size_t n)
    {
        return m_thread.joinable() ? readAhead(dst, n) : readDirect(dst, n);
    }

    bool truncated() const { return m_truncated; }
    // Bytes of the file consumed so far (compressed bytes for gzip), for progress.
    std::uint64_t position() const
    {
        if (!m_gz)
            return m_offset;
        if (m_thread.joinable())
            return m_position.load();
        return gzPosition();
    }

private:
    std::uint64_t gzPosition() const
    {
        const z_off_t at = ::gzoffset(m_gz);
        return at < 0 ? 0 : std::min<std::uint64_t>(static_cast<std::uint64_t>(at), m_file.size());
    }

    // The producer: whole blocks into m_ready, at most MaxReady waiting.
    void produce()
    {
        static constexpr std::size_t MaxReady = 4;
        for (;;) {
            std::vector<char> block(BlockBytes);
            std::size_t got = 0;
            std::exception_ptr error;
            try {
                got = readDirect(block.data(), block.size());
            } catch (...) {
                error = std::current_exception();
            }
            block.resize(got);
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_ready.size() < MaxReady; });
            if (m_stop)
                return;
            m_position = gzPosition();
            if (got > 0)
                m_ready.push_back(std::move(block));
            if (error || got < BlockBytes) {
                m_error = error;
                m_done = true;
            }
            lock.unlock();
            m_wake.notify_all();
            if (m_done)
                return;
        }
    }

    std::size_t readAhead(char *dst, std::size_t n)
    {
        std::size_t got = 0;
        while (got < n) {
            if (m_readPos == m_current.size()) {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, [&] { return m_done || !m_ready.empty(); });
                if (m_ready.empty()) {
                    if (m_error)
                        std::rethrow_exception(m_error);
                    break;
                }
                m_current = std::move(m_ready.front());
                m_ready.pop_front();
                m_readPos = 0;
                lock.unlock();
                m_wake.notify_all();
            }
            const std::size_t k = std::min(n - got, m_current.size() - m_readPos);
            std::memcpy(dst + got, m_current.data() + m_readPos, k);
            m_readPos += k;
            got += k;
        }
        return got;
    }

    std::size_t readDirect(char *dst, std::size_t n)
    {
        if (!m_gz) {
            const std::size_t got = m_file.readAt(dst, n, m_offset);
            m_offset += got;
            return got;
        }
        std::size_t got = 0;
        while (got < n && !m_end) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
            const int r = ::gzread(m_gz, dst + got, chunk);
            if (r > 0) {
                got += static_cast<std::size_t>(r);
                continue;
            }
            int error = Z_OK;
            const char *message = ::gzerror(m_gz, &error);
            if (error == Z_BUF_ERROR) {
                m_truncated = true; // "unexpected end of file"
            } else if (error == Z_ERRNO) {
                failSystem(m_file.path(), "cannot read", errno);
            } else if (error != Z_OK) {
                // zlib names the stream "<fd:N>: "; the path says it better.
                std::string_view reason = message ? message : "";
                if (reason.substr(0, 4) == "<fd:" && reason.find(": ") != std::string_view::npos)
                    reason.remove_prefix(reason.find(": ") + 2);
                fail(m_file.path(), "corrupt gzip data: " + std::string(reason));
            }
            m_end = true;
        }
        return got;
    }

    const InputFile &m_file;
    gzFile m_gz = nullptr;
    std::uint64_t m_offset = 0;
    bool m_end = false;
    std::atomic<bool> m_truncated { false }; // set by the producer, when there is one

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::vector<char>> m_ready;
    std::vector<char> m_current;
    std::size_t m_readPos = 0;
    bool m_stop = false, m_done = false;
    std::exception_ptr m_error;
    std::atomic<std::uint64_t> m_position { 0 };
};

// A growable window on the stream: bytes [begin, end) of buf are unread.
struct StreamBuffer
{
    std::vector<char> buf;
    std::size_t begin = 0, end = 0;
    bool eof = false;

    std::size_t size() const { return end - begin; }
    const char *data() const { return buf.data() + begin; }

    // Reads at least one more block (fewer at the end); false if nothing more came.
    bool fill(ByteStream &in, std::size_t block = BlockBytes)
    {
        if (eof)
            return false;
        if (begin > 0) {
            std::memmove(buf.data(), buf.data() + begin, end - begin);
            end -= begin;
            begin = 0;
        }
        if (buf.size() < end + block)
            buf.resize(end + block);
        const std::size_t got = in.read(buf.data() + end, block);
        end += got;
        if (got < block)
            eof = true;
        return got > 0;
    }
};

} // namespace embedlab::vectors
