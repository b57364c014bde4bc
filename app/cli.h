#pragma once

namespace embedlab {
// Runs embedlab-cli with the process arguments; returns the exit code.
int runCli(int argc, char **argv);
}
