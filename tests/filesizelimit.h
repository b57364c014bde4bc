#pragma once
// A full disk for the tests: while a FileSizeLimit lives, no file of this process may grow past
// `bytes`, so write() fails with EFBIG where a full disk fails with ENOSPC (SIGXFSZ, which would
// kill the process instead, is ignored meanwhile). The old limit and handler come back after.
#include <csignal>

#include <sys/resource.h>

class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
        : m_handler(std::signal(SIGXFSZ, SIG_IGN))
    {
        m_ok = ::getrlimit(RLIMIT_FSIZE, &m_old) == 0;
        rlimit small = m_old;
        small.rlim_cur = bytes;
        m_ok = m_ok && ::setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_handler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;

    bool active() const { return m_ok; }

private:
    void (*m_handler)(int);
    rlimit m_old {};
    bool m_ok = false;
};
