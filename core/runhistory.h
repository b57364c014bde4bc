#pragma once
// How a run's embedding settles: for each recorded snapshot, how much the neighbourhoods of the
// frequent words changed since the snapshot before, and the analogy accuracy, kept beside the run
// in history.jsonl so that reopening a run does not compute them again.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/neighbors.h"
#include "core/runlog.h"

namespace embedlab {

inline constexpr const char *RunHistoryFile = "history.jsonl";
inline constexpr const char *RunHistoryFormat = "embedlab-history";

// The k nearest rows by cosine (NeighborIndex: ties by row, the lower first) of each of `rows`,
// the row itself and the rows in `exclude` left out: gensim's most_similar(word, topn=k) when
// exclude is empty. progress(done, total) is called every few rows; returning false stops, and
// the lists then cover the rows done so far.
// Shapes: result[i] holds min(k, candidates) rows, best first.
std::vector<std::vector<int>> neighbourLists(const NeighborIndex &index,
    const std::vector<int> &rows, int k, const std::vector<int> &exclude = {},
    const std::function<bool(std::size_t done, std::size_t total)> &progress = {});

// |prev[i] ∩ cur[i]| for each i: the neighbours two tables share, the order inside the top k not
// counted. prev and cur must be lists of the same rows.
std::vector<int> neighbourOverlaps(
    const std::vector<std::vector<int>> &prev, const std::vector<std::vector<int>> &cur);

// The mean over the rows of |prev[i] ∩ cur[i]| / k (1: the top k did not change), k being the
// length of the lists (shorter than asked only in a table with fewer candidates); NaN without rows.
double meanNeighbourOverlap(
    const std::vector<std::vector<int>> &prev, const std::vector<std::vector<int>> &cur);

// What an evaluation of a run is made of; the cache is valid only for the same values.
struct HistoryOptions
{
    int words = 1000; // the most frequent words whose neighbourhoods are compared
    int k = 10; // neighbours per word
    std::string analogies; // a questions file (core/analogy.h), or empty for none
};

struct HistoryPoint
{
    std::int64_t step = 0;
    int epoch = 0;
    double tokens = 0;
    double wallTime = 0; // of the snapshot (snapshots.jsonl): a snapshot recorded again differs
    // Mean neighbourhood overlap with the snapshot before; NaN for the first snapshot.
    double overlap = std::numeric_limits<double>::quiet_NaN();
    // With an analogy file: evaluateAnalogies' total; NaN accuracy without one.
    double analogyAccuracy = std::numeric_limits<double>::quiet_NaN();
    int analogyCorrect = 0, analogyTotal = 0;
};

struct RunHistory
{
    int words = 0, k = 0; // the options evaluated with
    int wordsCompared = 0; // how many words took part (fewer in a smaller vocabulary); not cached
    std::string analogies; // the questions file's path as given
    std::uint64_t analogiesBytes = 0;
    std::string analogiesFingerprint; // textFingerprint of its bytes
    std::vector<HistoryPoint> points; // by step, one per snapshot evaluated
    bool stopped = false; // the progress callback stopped it; points holds what was finished
    std::string cacheError; // updateRunHistory could not write history.jsonl (a read-only folder)
};

// Evaluates the run's snapshots in step order: the neighbourhood overlap of the `words` most
// frequent words (vocabulary ids 3.., <pad>, <unk> and <eos> left out of the words and of their
// neighbours) with the snapshot before, and, with an analogy file, evaluateAnalogies (3CosAdd,
// every row searched, case folded: embedlab-cli evaluate's defaults) on readRunSnapshot's table.
// The points of `previous` that were made with the same options and still match the run's
// snapshots (same steps and recording times, in order) are kept; only the rest is computed.
// progress(done, total) counts the snapshots to compute; returning false stops after the
// snapshot being computed, with stopped set. Throws Error naming the file that cannot be read.
RunHistory evaluateRunHistory(const RunData &run, const HistoryOptions &options,
    const RunHistory *previous = nullptr,
    const std::function<bool(std::size_t done, std::size_t total)> &progress = {});

// The run's history.jsonl, or an empty history (no points) when there is none. Throws Error
// naming the file and line when it is damaged.
RunHistory readRunHistory(const std::string &dir);
// Rewrites history.jsonl atomically.
void writeRunHistory(const std::string &dir, const RunHistory &history);

// evaluateRunHistory with the cache: reads history.jsonl (a damaged one is recomputed), computes
// what is missing and writes the file again when anything changed. A failure to write is kept in
// cacheError: the figures are still returned.
RunHistory updateRunHistory(const RunData &run, const HistoryOptions &options,
    const std::function<bool(std::size_t done, std::size_t total)> &progress = {});

} // namespace embedlab
