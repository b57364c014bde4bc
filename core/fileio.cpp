#include "core/fileio.h"

#include "core/error.h"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace embedlab {

namespace {

[[noreturn]] void throwSystemError(const std::string &path, const std::string &what, int error)
{
    throw Error(fileMessage(path, what + ": " + std::strerror(error)));
}

std::string directoryOf(const std::string &path)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

// Six characters from the process id, a counter and the clock: unique enough that O_EXCL
// rarely has to retry, even with several threads or processes saving next to each other.
std::string temporarySuffix(unsigned attempt)
{
    static std::atomic<unsigned> counter { 0 };
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::uint64_t x
        = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    x ^= static_cast<std::uint64_t>(::getpid()) << 32;
    x ^= static_cast<std::uint64_t>(counter.fetch_add(1)) * 0x9E3779B97F4A7C15ULL;
    x ^= static_cast<std::uint64_t>(attempt) * 0xC2B2AE3D27D4EB4FULL;
    std::string suffix;
    for (int i = 0; i < 6; ++i) {
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9ULL;
        suffix += alphabet[x % (sizeof alphabet - 1)];
    }
    return suffix;
}

// Makes the rename itself durable; some file systems refuse fsync on a directory, and by now
// the new file is already in place, so failures here are not reported.
void syncDirectory(const std::string &directory)
{
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

void writeFileAtomically(const std::string &path, const std::function<void(std::FILE *)> &writer)
{
    std::string tempPath;
    int fd = -1;
    for (unsigned attempt = 0; fd < 0; ++attempt) {
        tempPath = path + ".tmp-" + temporarySuffix(attempt);
        fd = ::open(tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || attempt >= 100))
            throwSystemError(path, "cannot create temporary file " + tempPath, errno);
    }

    // Replacing a file should not change who may read it.
    struct stat existing;
    if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
        ::fchmod(fd, existing.st_mode & 07777);

    std::FILE *file = ::fdopen(fd, "wb");
    if (!file) {
        const int error = errno;
        ::close(fd);
        ::unlink(tempPath.c_str());
        throwSystemError(path, "cannot open temporary file " + tempPath, error);
    }
    const auto discard = [&] {
        std::fclose(file);
        ::unlink(tempPath.c_str());
    };

    try {
        errno = 0;
        writer(file);
    } catch (...) {
        discard();
        throw;
    }

    const int flushed = std::fflush(file);
    if (flushed != 0 || std::ferror(file)) {
        // errno still describes the failed write (or the failed flush).
        const int error = errno != 0 ? errno : EIO;
        discard();
        throwSystemError(path, "cannot write", error);
    }
    if (::fsync(::fileno(file)) != 0) {
        const int error = errno;
        discard();
        throwSystemError(path, "cannot sync to disk", error);
    }
    if (std::fclose(file) != 0) {
        const int error = errno;
        ::unlink(tempPath.c_str());
        throwSystemError(path, "cannot close", error);
    }
    if (std::rename(tempPath.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(tempPath.c_str());
        throwSystemError(path, "cannot replace with " + tempPath, error);
    }
    syncDirectory(directoryOf(path));
}

void writeFileAtomically(const std::string &path, std::string_view contents)
{
    writeFileAtomically(path, [contents](std::FILE *file) {
        if (!contents.empty())
            std::fwrite(contents.data(), 1, contents.size(), file);
    });
}

void makeDirectories(const std::string &path)
{
    namespace fs = std::filesystem;
    fs::path partial;
    for (const fs::path &part : fs::path(path)) {
        partial /= part;
        std::error_code ec;
        const fs::file_status st = fs::status(partial, ec);
        if (fs::is_directory(st))
            continue;
        if (fs::exists(st))
            throw Error(fileMessage(partial.string(),
                "cannot create the folder " + path + ": this is a file, not a folder"));
        if (!fs::create_directory(partial, ec) && !fs::is_directory(partial))
            throw Error(fileMessage(partial.string(), "cannot create the folder: " + ec.message()));
    }
}

std::string joinPath(const std::string &dir, const std::string &name)
{
    return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool fileExists(const std::string &path)
{
    struct stat st
    {
    };
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string readFile(const std::string &path)
{
    const auto closer = [](std::FILE *f) { std::fclose(f); };
    std::unique_ptr<std::FILE, decltype(closer)> file(std::fopen(path.c_str(), "rb"), closer);
    if (!file)
        throwSystemError(path, "cannot open", errno);
    // A directory opens fine with fopen on Linux; stat tells it apart and gives the size.
    struct stat info;
    if (::fstat(::fileno(file.get()), &info) != 0)
        throwSystemError(path, "cannot stat", errno);
    if (!S_ISREG(info.st_mode))
        throw Error(fileMessage(path, "not a regular file"));
    const auto size = info.st_size;
    checkFileFitsInMemory(path, static_cast<std::uint64_t>(size));
    std::string bytes(static_cast<std::size_t>(size), '\0');
    errno = 0;
    if (size > 0 && std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
        if (std::ferror(file.get()))
            throwSystemError(path, "cannot read", errno != 0 ? errno : EIO);
        throw Error(fileMessage(path, "file changed size while being read"));
    }
    return bytes;
}

std::uint64_t physicalMemory()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0)
        return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
}

void checkFileFitsInMemory(const std::string &path, std::uint64_t bytes)
{
    const std::uint64_t memory = physicalMemory();
    if (bytes <= memory)
        return;
    const auto gb = [](std::uint64_t n) {
        char buf[32];
        auto r = std::to_chars(
            buf, buf + sizeof buf, static_cast<double>(n) / 1e9, std::chars_format::fixed, 1);
        return std::string(buf, r.ptr) + " GB";
    };
    throw Error(fileMessage(path,
        "the file is " + gb(bytes) + ", more than this machine's " + gb(memory) + " of memory"));
}

} // namespace embedlab
