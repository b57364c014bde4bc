#pragma once
// The reference training configuration's sizes and the command-line options that change them,
// shared by bench_training and bench_sgemm.
#include <cstdio>
#include <cstdlib>
#include <string>

struct ReferenceShape
{
    int threads = 0, vocab = 10000, dim = 200, layers = 2, batch = 20, bptt = 35;

    // Takes `--threads`, `--vocab`, `--dim`, `--layers`, `--batch` or `--bptt` with its value;
    // false for any other option.
    bool take(const std::string &option, const char *value)
    {
        int *field = option == "--threads" ? &threads
            : option == "--vocab"          ? &vocab
            : option == "--dim"            ? &dim
            : option == "--layers"         ? &layers
            : option == "--batch"          ? &batch
            : option == "--bptt"           ? &bptt
                                           : nullptr;
        if (field)
            *field = std::atoi(value);
        return field != nullptr;
    }
};
