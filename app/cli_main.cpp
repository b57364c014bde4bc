#include "app/cli.h"

int main(int argc, char **argv)
{
    return embedlab::runCli(argc, argv);
}
