#pragma once
// The parts every reader and writer shares: the state of one readVectors call, the table
// building around a format's row reader, and the checks before a table is written.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/corpus.h"
#include "core/error.h"
#include "core/vectors/detect.h"
#include "core/vectors/input.h"
#include "core/vectors/table.h"
#include "core/vectors/vectors.h"

namespace embedlab::vectors {

using Clock = std::chrono::steady_clock;

// Shared state of one readVectors call.
struct Context
{
    const std::string &path;
    const ImportOptions &opts;
    ImportReport &report;
    std::uint64_t total = 0; // bytes of the file, for progress
    Clock::time_point lastProgress {};

    // Reports done bytes of total; throws Cancelled if the callback says stop.
    void progress(std::uint64_t done)
    {
        lastProgress = Clock::now();
        if (opts.progress && !opts.progress(std::min(done, total), total)) {
            report.cancelled = true;
            throw Cancelled(fileMessage(path, "cancelled"));
        }
    }

    // The same, at most 25 times a second (the first and last reports are progress() calls).
    void progressThrottled(std::uint64_t done)
    {
        if (opts.progress && Clock::now() - lastProgress >= std::chrono::milliseconds(40))
            progress(done);
    }
};

// What a format's reader is given: the call, the layout detected, and the file with the sample
// already read from it (buf holds the content from its start).
struct ReadJob
{
    Context &ctx;
    const Layout &lay;
    const InputFile &file;
    ByteStream &in;
    StreamBuffer &buf;
    std::uint64_t contentBytes; // the (decompressed) size, or a hint of it
};

// Reads rows into table through collect.
using RowReader = void (*)(ReadJob &job, Table &table, Collector &collect);
// Fills labels for the rows; false when there are none (the words are then row numbers).
using LabelReader = bool (*)(ReadJob &job, std::vector<std::string> &labels);

// A table format's read: rows by readRowsBody, labels by readLabels if given, then the checks
// every table gets (header count, labels count, nothing usable).
WordVectors readTable(ReadJob &job, RowReader readRowsBody, LabelReader readLabels = nullptr);

// name in the directory of path.
std::string pathSibling(const std::string &path, const std::string &name);

// Why a format cannot hold word (nullptr: it can).
using WordProblem = const char *(*)(const std::string &word);

// Refuses an empty table, non-finite values and words that are empty, hold a line break or that
// problem refuses, naming the first bad row or word.
void checkWritable(const std::string &path, const WordVectors &wv, WordProblem problem);

} // namespace embedlab::vectors
