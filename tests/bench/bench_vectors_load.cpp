// Word-vector loading speed and memory: reads FILE N times with readVectors and prints one JSON
// object: the best time, the table's shape, MB/s of the file on disk, and the peak resident
// memory of the process next to the bytes of the table it built (floats plus words).
//
//   bench_vectors_load FILE [--repeat N] [--threads N] [--format NAME] [--limit N]
//                           [--write-bin OUT] [--write-glove OUT]
//
// Peak memory is that of the first load (ru_maxrss never goes down). cpu_seconds is the process
// CPU time (all threads) of the fastest load: the work done, whatever else the machine runs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/vectors/vectors.h"

#include <nlohmann/json.hpp>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

// User + system CPU seconds of the process so far: on a shared machine the wall clock depends
// on what else runs, this does not.
double cpuSeconds()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double peakRssBytes()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) * 1024.0; // Linux reports kilobytes
}

// What the table holds: the floats, and each word's std::string with its heap buffer if any.
double tableBytes(const WordVectors &wv)
{
    double bytes = static_cast<double>(wv.vectors().size()) * sizeof(float);
    for (const std::string &w : wv.words())
        bytes += sizeof(std::string)
            + (w.capacity() > 15 ? static_cast<double>(w.capacity()) + 1 : 0);
    return bytes;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr,
            "usage: bench_vectors_load FILE [--repeat N] [--threads N] [--format NAME] "
            "[--limit N] [--write-bin OUT] [--write-glove OUT]\n");
        return 2;
    }
    const std::string path = argv[1];
    int repeat = 3;
    ImportOptions opts;
    std::string writeBin, writeGlove;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const char *v = argv[i + 1];
        if (a == "--repeat")
            repeat = std::max(1, std::atoi(v));
        else if (a == "--threads")
            opts.threads = std::atoi(v);
        else if (a == "--limit")
            opts.limit = std::strtoull(v, nullptr, 10);
        else if (a == "--format") {
            if (!parseVectorFormat(v, opts.format)) {
                std::fprintf(stderr, "unknown format %s\n", v);
                return 2;
            }
        } else if (a == "--write-bin")
            writeBin = v;
        else if (a == "--write-glove")
            writeGlove = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }

    try {
        const double rssBefore = peakRssBytes();
        double best = 1e300, bestCpu = 0, peakAfterFirst = 0, table = 0;
        ImportReport report;
        WordVectors wv;
        for (int i = 0; i < repeat; ++i) {
            wv = WordVectors(); // free the previous table before loading again
            const double cpuBefore = cpuSeconds();
            wv = readVectors(path, opts, &report);
            const double cpu = cpuSeconds() - cpuBefore;
            if (report.seconds < best) {
                best = report.seconds;
                bestCpu = cpu;
            }
            if (i == 0) {
                peakAfterFirst = peakRssBytes();
                table = tableBytes(wv);
            }
        }
        Json out = Json::object();
        out["file"] = path;
        out["format"] = vectorFormatName(report.format);
        out["gzip"] = report.gzip;
        out["rows"] = report.rows;
        out["dim"] = report.dim;
        out["repeat"] = repeat;
        out["seconds_best"] = best;
        out["cpu_seconds"] = bestCpu;
        out["mb_per_sec"] = static_cast<double>(report.bytes) / 1e6 / best;
        out["file_mb"] = static_cast<double>(report.bytes) / 1e6;
        out["table_mb"] = table / 1e6;
        out["rss_before_mb"] = rssBefore / 1e6;
        out["peak_rss_mb"] = peakAfterFirst / 1e6;
        out["peak_rss_over_table"] = peakAfterFirst / table;
        out["problems"] = report.problemCount();
        std::printf("%s\n", out.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());

        using Clock = std::chrono::steady_clock;
        if (!writeBin.empty()) {
            const auto t = Clock::now();
            writeVectors(writeBin, wv, WriteFormat::Word2VecBinary);
            std::printf("{\"wrote\":\"%s\",\"seconds\":%.3f}\n", writeBin.c_str(),
                std::chrono::duration<double>(Clock::now() - t).count());
        }
        if (!writeGlove.empty()) {
            const auto t = Clock::now();
            writeVectors(writeGlove, wv, WriteFormat::Glove);
            std::printf("{\"wrote\":\"%s\",\"seconds\":%.3f}\n", writeGlove.c_str(),
                std::chrono::duration<double>(Clock::now() - t).count());
        }
    } catch (const Error &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
