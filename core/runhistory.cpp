#include "core/runhistory.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/analogy.h"
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/jsonfields.h"
#include "core/safetensors.h"
#include "core/vocabulary.h"

#include <nlohmann/json.hpp>

namespace embedlab {

namespace {

using Json = nlohmann::ordered_json;

// Rows between two calls of the progress callback inside one table's neighbour lists.
constexpr std::size_t ProgressEvery = 64;

bool sameKey(const RunHistory &a, const RunHistory &b)
{
    return a.words == b.words && a.k == b.k && a.analogies == b.analogies
        && a.analogiesBytes == b.analogiesBytes && a.analogiesFingerprint == b.analogiesFingerprint;
}

} // namespace

std::vector<std::vector<int>> neighbourLists(const NeighborIndex &index,
    const std::vector<int> &rows, int k, const std::vector<int> &exclude,
    const std::function<bool(std::size_t, std::size_t)> &progress)
{
    std::vector<std::vector<int>> lists;
    lists.reserve(rows.size());
    std::vector<int> skip = exclude;
    skip.push_back(-1); // the query row's place
    const RowMatrixXf &table = index.table().vectors();
    // One query at a time: each scan already runs on all threads once the table is large enough
    // to gain from it, and the engine's thread pool runs one loop at a time.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (progress && i % ProgressEvery == 0 && !progress(i, rows.size()))
            return lists;
        const int row = rows[i];
        if (row < 0 || static_cast<std::size_t>(row) >= index.size())
            throw Error("word vectors: row " + std::to_string(row) + " out of range (table has "
                + std::to_string(index.size()) + " rows)");
        skip.back() = row;
        const std::vector<Neighbor> found
            = index.nearest(table.row(row).transpose(), k, Metric::Cosine, skip);
        std::vector<int> ids;
        ids.reserve(found.size());
        for (const Neighbor &n : found)
            ids.push_back(n.row);
        lists.push_back(std::move(ids));
    }
    if (progress)
        progress(rows.size(), rows.size());
    return lists;
}

std::vector<int> neighbourOverlaps(
    const std::vector<std::vector<int>> &prev, const std::vector<std::vector<int>> &cur)
{
    if (prev.size() != cur.size())
        throw Error("neighbour overlap: " + std::to_string(prev.size()) + " and "
            + std::to_string(cur.size()) + " lists");
    std::vector<int> counts(prev.size(), 0);
    for (std::size_t i = 0; i < prev.size(); ++i) {
        std::vector<int> a = prev[i], b = cur[i];
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        std::vector<int> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
        counts[i] = static_cast<int>(both.size());
    }
    return counts;
}

double meanNeighbourOverlap(
    const std::vector<std::vector<int>> &prev, const std::vector<std::vector<int>> &cur)
{
    const std::vector<int> counts = neighbourOverlaps(prev, cur);
    double sum = 0;
    std::size_t rows = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const std::size_t k = std::max(prev[i].size(), cur[i].size());
        if (k == 0)
            continue;
        sum += static_cast<double>(counts[i]) / static_cast<double>(k);
        ++rows;
    }
    return rows == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(rows);
}

RunHistory evaluateRunHistory(const RunData &run, const HistoryOptions &options,
    const RunHistory *previous, const std::function<bool(std::size_t, std::size_t)> &progress)
{
    if (options.words < 1 || options.k < 1)
        throw Error("history: words and k must be at least 1 (got " + std::to_string(options.words)
            + " and " + std::to_string(options.k) + ")");
    RunHistory out;
    out.words = options.words;
    out.k = options.k;
    out.analogies = options.analogies;
    out.wordsCompared = std::clamp(
        static_cast<int>(run.words.size()) - Vocabulary::SpecialCount, 0, options.words);
    if (!options.analogies.empty()) {
        const std::string bytes = readFile(options.analogies);
        out.analogiesBytes = bytes.size();
        out.analogiesFingerprint = textFingerprint(bytes);
    }

    // The points still valid: same options, and the snapshots they were made of unchanged.
    std::size_t keep = 0;
    if (previous && sameKey(*previous, out)) {
        while (keep < previous->points.size() && keep < run.snapshots.size()
            && previous->points[keep].step == run.snapshots[keep].step
            && previous->points[keep].wallTime == run.snapshots[keep].wallTime)
            ++keep;
        out.points.assign(
            previous->points.begin(), previous->points.begin() + static_cast<std::ptrdiff_t>(keep));
    }
    const std::size_t total = run.snapshots.size() - keep;
    if (total == 0)
        return out;

    // Ids in frequency order after the specials; the specials are nobody's neighbours.
    const int vocab = static_cast<int>(run.words.size());
    std::vector<int> rows, exclude;
    for (int id = Vocabulary::SpecialCount;
         id < std::min(vocab, Vocabulary::SpecialCount + options.words); ++id)
        rows.push_back(id);
    for (int id = 0; id < std::min(vocab, static_cast<int>(Vocabulary::SpecialCount)); ++id)
        exclude.push_back(id);

    std::size_t done = 0;
    bool stop = false;
    const auto ask = [&](std::size_t, std::size_t) {
        if (progress && !stop && !progress(done, total))
            stop = true;
        return !stop;
    };

    std::vector<std::vector<int>> prevLists;
    if (keep > 0) {
        // The lists of the last kept snapshot, which the next one is compared with.
        const WordVectors table = readRunSnapshot(run, run.snapshots[keep - 1].step, true);
        const NeighborIndex index(table);
        prevLists = neighbourLists(index, rows, options.k, exclude, ask);
    }
    for (std::size_t i = keep; i < run.snapshots.size() && !stop; ++i) {
        const RunSnapshotEntry &snap = run.snapshots[i];
        const WordVectors table = readRunSnapshot(run, snap.step, true);
        const NeighborIndex index(table);
        std::vector<std::vector<int>> lists = neighbourLists(index, rows, options.k, exclude, ask);
        if (stop)
            break;
        HistoryPoint p;
        p.step = snap.step;
        p.epoch = snap.epoch;
        p.tokens = snap.tokens;
        p.wallTime = snap.wallTime;
        if (i > 0)
            p.overlap = meanNeighbourOverlap(prevLists, lists);
        if (!options.analogies.empty()) {
            const AnalogyEvaluation ev
                = evaluateAnalogies(index, options.analogies, AnalogyMethod::Add, 0, true, ask);
            if (ev.stopped || stop)
                break;
            p.analogyCorrect = ev.total.correct;
            p.analogyTotal = ev.total.total;
            p.analogyAccuracy = ev.total.total > 0 ? ev.total.accuracy()
                                                   : std::numeric_limits<double>::quiet_NaN();
        }
        out.points.push_back(p);
        prevLists = std::move(lists);
        ++done;
        if (progress && done < total && !progress(done, total))
            stop = true;
    }
    if (progress && !stop)
        progress(total, total);
    out.stopped = out.points.size() < run.snapshots.size();
    return out;
}

RunHistory readRunHistory(const std::string &dir)
{
    RunHistory history;
    const std::string path = joinPath(dir, RunHistoryFile);
    if (!fileExists(path))
        return history;
    const std::string text = readFile(path);
    std::size_t pos = 0, line = 0;
    bool header = false;
    while (pos < text.size()) {
        ++line;
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        const std::string_view l(text.data() + pos, end - pos);
        pos = end + 1;
        if (l.empty())
            continue;
        try {
            const Json j = parseJsonStrict(l);
            if (!j.is_object())
                throw Error("expected a JSON object");
            if (!header) {
                if (!j.contains("format") || !j["format"].is_string()
                    || j["format"].get<std::string>() != RunHistoryFormat)
                    throw Error(std::string("expected the header {\"format\": \"")
                        + RunHistoryFormat + "\", ...}");
                history.words = integerField<int>(j, "words");
                history.k = integerField<int>(j, "k");
                history.analogies = field<std::string>(j, "analogies");
                history.analogiesBytes = integerField<std::uint64_t>(j, "analogies_bytes");
                history.analogiesFingerprint = field<std::string>(j, "analogies_fingerprint");
                header = true;
                continue;
            }
            HistoryPoint p;
            p.step = integerField<std::int64_t>(j, "step");
            p.epoch = integerField<int>(j, "epoch");
            p.tokens = field<double>(j, "tokens");
            p.wallTime = field<double>(j, "wall");
            p.overlap = field<double>(j, "overlap");
            p.analogyAccuracy = field<double>(j, "analogy_accuracy");
            p.analogyCorrect = integerField<int>(j, "analogy_correct");
            p.analogyTotal = integerField<int>(j, "analogy_total");
            if (!history.points.empty() && p.step <= history.points.back().step)
                throw Error("steps must increase (step " + std::to_string(p.step) + " after "
                    + std::to_string(history.points.back().step) + ")");
            history.points.push_back(p);
        } catch (const std::exception &e) {
            throw Error(fileMessage(path,
                std::string(e.what())
                    + " (the first line says what was evaluated, each other line holds one "
                      "snapshot's figures)",
                line));
        }
    }
    if (!header)
        throw Error(fileMessage(path, "empty: expected a header line and one line per snapshot"));
    return history;
}

void writeRunHistory(const std::string &dir, const RunHistory &history)
{
    std::string text
        = dumpJson(Json { { "format", RunHistoryFormat }, { "version", 1 },
              { "words", history.words }, { "k", history.k }, { "analogies", history.analogies },
              { "analogies_bytes", history.analogiesBytes },
              { "analogies_fingerprint", history.analogiesFingerprint } })
        + "\n";
    for (const HistoryPoint &p : history.points)
        text += dumpJson(Json { { "step", p.step }, { "epoch", p.epoch }, { "tokens", p.tokens },
                    { "wall", p.wallTime }, { "overlap", finiteOrNull(p.overlap) },
                    { "analogy_accuracy", finiteOrNull(p.analogyAccuracy) },
                    { "analogy_correct", p.analogyCorrect }, { "analogy_total", p.analogyTotal } })
            + "\n";
    writeFileAtomically(joinPath(dir, RunHistoryFile), text);
}

RunHistory updateRunHistory(const RunData &run, const HistoryOptions &options,
    const std::function<bool(std::size_t, std::size_t)> &progress)
{
    RunHistory cached;
    try {
        cached = readRunHistory(run.dir);
    } catch (const Error &) {
        cached = RunHistory(); // damaged: computed again and rewritten
    }
    RunHistory history = evaluateRunHistory(run, options, &cached, progress);
    const bool unchanged = sameKey(cached, history) && cached.points.size() == history.points.size()
        && std::equal(cached.points.begin(), cached.points.end(), history.points.begin(),
            [](const HistoryPoint &a, const HistoryPoint &b) {
                return a.step == b.step && a.wallTime == b.wallTime;
            });
    if (!unchanged && !history.points.empty()) {
        try {
            writeRunHistory(run.dir, history);
        } catch (const Error &e) {
            history.cacheError = e.what();
        }
    }
    return history;
}

} // namespace embedlab
