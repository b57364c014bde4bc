#include <csignal>

#include "app/cli.h"

int main(int argc, char **argv)
{
    // A write past the file-size limit fails with EFBIG (reported like a full disk) instead of
    // killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    return embedlab::runCli(argc, argv);
}
