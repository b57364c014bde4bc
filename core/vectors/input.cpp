#include "core/vectors/input.h"

#include "core/error.h"

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace embedlab::vectors {

void fail(const std::string &path, const std::string &message, std::uint64_t line)
{
    throw Error(fileMessage(path, message, static_cast<std::size_t>(line)));
}

void failSystem(const std::string &path, const std::string &what, int error)
{
    fail(path, what + ": " + std::strerror(error));
}

InputFile::InputFile(const std::string &path)
    : m_path(path)
{
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        failSystem(path, "cannot open", errno);
    struct stat st;
    if (::fstat(m_fd, &st) != 0) {
        const int error = errno;
        ::close(m_fd);
        failSystem(path, "cannot read", error);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(m_fd);
        fail(path, S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
    }
    m_size = static_cast<std::uint64_t>(st.st_size);
}

InputFile::~InputFile()
{
    ::close(m_fd);
}

std::size_t InputFile::readAt(char *dst, std::size_t n, std::uint64_t offset) const
{
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(m_fd, dst + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            failSystem(m_path, "cannot read", errno);
        }
        if (r == 0)
            break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

bool isGzip(const InputFile &file)
{
    unsigned char magic[2] = { 0, 0 };
    return file.readAt(reinterpret_cast<char *>(magic), 2, 0) == 2 && magic[0] == 0x1f
        && magic[1] == 0x8b;
}

std::uint64_t gzipContentHint(const InputFile &file)
{
    unsigned char trailer[4] = { 0, 0, 0, 0 };
    if (file.size() < 18 || file.readAt(reinterpret_cast<char *>(trailer), 4, file.size() - 4) != 4)
        return 0;
    const std::uint64_t isize = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16)
        | (static_cast<std::uint64_t>(trailer[3]) << 24);
    return std::min(isize, file.size() * MaxGzipRatio);
}

} // namespace embedlab::vectors
