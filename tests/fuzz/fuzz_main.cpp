// libFuzzer main of one fuzz target, chosen at build time (EMBEDLAB_FUZZ_TARGET); the work is in
// fuzz_entry.cpp, which the regression suite runs too.
#include "core/error.h"
#include "tests/fuzz/fuzz_entry.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const embedlab::fuzz::Target *target = [] {
        const auto *t = embedlab::fuzz::findTarget(EMBEDLAB_FUZZ_TARGET);
        if (!t) {
            std::fprintf(stderr, "unknown fuzz target %s\n", EMBEDLAB_FUZZ_TARGET);
            std::abort();
        }
        return t;
    }();
    try {
        target->run(data, size);
    } catch (const embedlab::Error &) {
        // A refused input, with a message: what bad input should get.
    }
    // Anything else (another exception, a sanitizer report, a crash) escapes and is a finding.
    return 0;
}
