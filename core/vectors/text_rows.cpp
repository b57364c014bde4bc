#include "core/vectors/text_rows.h"

#include "core/vectors/numbers.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace embedlab::vectors {

std::uint8_t parseTextRow(const char *b, const char *e, int dim, bool wordColumn, float *out,
    std::string &word, std::vector<Field> &scratch)
{
    while (e != b && isSpace(e[-1]))
        --e;
    while (b != e && isSeparator(*b))
        ++b;
    if (b == e)
        return RowBlank;

    // Fast path: exactly the expected fields, all well-formed.
    {
        const char *p = b;
        const char *wordEnd = b;
        if (wordColumn) {
            while (p != e && !isSeparator(*p))
                ++p;
            wordEnd = p;
        }
        int i = 0;
        for (; i < dim; ++i) {
            if (i > 0 || wordColumn) {
                if (p == e)
                    break;
                while (p != e && isSeparator(*p))
                    ++p;
            }
            const char *q = scanNumber(p, e, out[i]);
            if (!q || (q != e && !isSeparator(*q)))
                break;
            p = q;
        }
        if (i == dim && p == e) {
            std::uint8_t flags = wordColumn ? assignWord(word, b, wordEnd) : 0;
            return allFinite(out, dim) ? flags : RowNonFinite;
        }
    }

    // Slow path: split, then read the numbers from the right.
    const std::vector<Field> &fields = splitFields(b, e, scratch);
    const std::size_t n = fields.size();
    const std::size_t needed = static_cast<std::size_t>(dim) + (wordColumn ? 1 : 0);
    if (n < needed || (!wordColumn && n > needed))
        return RowWrongFields;
    const std::size_t first = n - static_cast<std::size_t>(dim);
    for (int i = 0; i < dim; ++i) {
        const Field &f = fields[first + static_cast<std::size_t>(i)];
        if (!parseNumber(f.begin, f.end, out[i]))
            return RowBadNumber;
    }
    if (!allFinite(out, dim))
        return RowNonFinite;
    if (!wordColumn)
        return RowOk;
    std::uint8_t flags = assignWord(word, fields[0].begin, fields[first - 1].end);
    if (first > 1)
        flags |= FlagSpaces;
    return flags;
}

namespace {

// Text rows, read in one pass from a stream (gzip, or when only the first rows are wanted).
// contentBytes: the (decompressed) size if known, to allocate about once.
void readTextStream(Context &ctx, const Layout &lay, ByteStream &in, StreamBuffer &buf,
    std::uint64_t contentBytes, Table &table, Collector &collect)
{
    const bool wordColumn = findVectorFormat(lay.format)->layout != VectorLayout::NumberRows;
    const std::uint64_t limit = ctx.opts.limit;
    std::uint64_t hint = 4096;
    if (contentBytes > lay.dataOffset && lay.bytesPerLine > 0)
        hint = static_cast<std::uint64_t>(
                   static_cast<double>(contentBytes - lay.dataOffset) / lay.bytesPerLine * 1.02)
            + 16;
    if (limit)
        hint = std::min(hint, limit);
    table.reserve(ctx.path, std::max<std::uint64_t>(hint, 1), limit);
    collect.reserve(hint);
    buf.begin += lay.dataOffset;
    std::uint64_t line = lay.firstLine;
    std::vector<Field> scratch;
    bool stop = false;

    std::vector<float> spareRow(static_cast<std::size_t>(lay.dim));
    std::string spareWord;
    auto parseLine = [&](const char *b, const char *e) {
        if (limit && table.kept >= limit) {
            // Only to tell a blank line from one more row.
            const std::uint8_t s
                = parseTextRow(b, e, lay.dim, wordColumn, spareRow.data(), spareWord, scratch);
            if (!collect.wantsMore(s))
                stop = true;
            else
                ctx.report.emptyLines.add(line++);
            return;
        }
        table.reserve(ctx.path, table.kept + 1, limit);
        const std::size_t row = static_cast<std::size_t>(table.kept);
        std::string &word = table.words[row];
        const std::uint8_t s = parseTextRow(b, e, lay.dim, wordColumn,
            table.vectors.data() + row * static_cast<std::size_t>(lay.dim), word, scratch);
        if (!collect.wantsMore(s)) {
            stop = true;
            return;
        }
        collect.add(row, s, line++);
    };

    for (;;) {
        const char *p = buf.data();
        const char *e = p + buf.size();
        while (!stop) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', e - p));
            if (!nl)
                break;
            parseLine(p, nl);
            p = nl + 1;
        }
        buf.begin += static_cast<std::size_t>(p - buf.data());
        if (stop)
            break;
        if (buf.size() > MaxLineBytes)
            fail(ctx.path, "a line longer than 256 MB: not a word-vector file", line);
        ctx.progressThrottled(in.position());
        if (!buf.fill(in)) {
            if (in.truncated())
                ctx.report.truncated = true; // and a last line cut short is not a row
            else if (buf.size() > 0)
                parseLine(buf.data(), buf.data() + buf.size());
            break;
        }
    }
}

// Text rows of a plain file with several threads: count the lines (so the table is allocated
// once, at its final size), parse each byte range straight into its rows, then collect.
void readTextParallel(
    Context &ctx, const Layout &lay, const InputFile &file, Table &table, Collector &collect)
{
    const std::uint64_t begin = lay.dataOffset, end = file.size();
    int threads = ctx.opts.threads > 0 ? ctx.opts.threads
                                       : static_cast<int>(std::thread::hardware_concurrency());
    threads = std::max(1, std::min<int>(threads, 64));
    const std::uint64_t bytesPerThread = std::max<std::uint64_t>(1, ctx.opts.bytesPerThread);
    threads = static_cast<int>(std::max<std::uint64_t>(
        1, std::min<std::uint64_t>(threads, (end - begin) / bytesPerThread)));

    // Ranges start just after a '\n'.
    std::vector<std::uint64_t> bounds(static_cast<std::size_t>(threads) + 1, end);
    bounds[0] = begin;
    {
        std::vector<char> probe(64 << 10);
        for (int k = 1; k < threads; ++k) {
            std::uint64_t pos = std::max(bounds[k - 1], begin + (end - begin) * k / threads);
            for (;;) {
                const std::size_t n = file.readAt(probe.data(), probe.size(), pos);
                if (n == 0) {
                    pos = end;
                    break;
                }
                const char *nl = static_cast<const char *>(std::memchr(probe.data(), '\n', n));
                if (nl) {
                    pos += static_cast<std::uint64_t>(nl - probe.data()) + 1;
                    break;
                }
                pos += n;
            }
            bounds[k] = std::min(pos, end);
        }
    }

    std::atomic<std::uint64_t> done { 0 };
    std::atomic<bool> stop { false };
    // Runs fn(k) for every range on its own thread while this thread reports progress.
    auto runAll = [&](const std::function<void(int)> &fn) {
        std::mutex mutex;
        std::condition_variable wake;
        int running = threads;
        std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
        std::vector<std::thread> workers;
        auto finishOne = [&] {
            std::lock_guard<std::mutex> lock(mutex);
            --running;
            wake.notify_all();
        };
        try {
            for (int k = 0; k < threads; ++k) {
                workers.emplace_back([&, k] {
                    try {
                        fn(k);
                    } catch (...) {
                        errors[static_cast<std::size_t>(k)] = std::current_exception();
                        stop = true;
                    }
                    finishOne();
                });
            }
        } catch (...) {
            stop = true;
            for (auto &w : workers)
                w.join();
            throw;
        }
        std::exception_ptr cancelled;
        {
            std::unique_lock<std::mutex> lock(mutex);
            while (running > 0) {
                wake.wait_for(lock, std::chrono::milliseconds(40));
                if (running == 0 || cancelled)
                    continue;
                lock.unlock();
                try {
                    ctx.progress(begin + done.load());
                } catch (...) {
                    cancelled = std::current_exception();
                    stop = true;
                }
                lock.lock();
            }
        }
        for (auto &w : workers)
            w.join();
        if (cancelled)
            std::rethrow_exception(cancelled);
        for (auto &e : errors) {
            if (e)
                std::rethrow_exception(e);
        }
    };

    // Pass 1: lines per range.
    std::vector<std::uint64_t> lineCounts(static_cast<std::size_t>(threads), 0);
    runAll([&](int k) {
        std::vector<char> block(BlockBytes);
        std::uint64_t pos = bounds[k], count = 0;
        char last = '\n';
        while (pos < bounds[k + 1] && !stop) {
            const std::size_t n = file.readAt(
                block.data(), std::min<std::uint64_t>(BlockBytes, bounds[k + 1] - pos), pos);
            if (n == 0)
                break;
            for (const char *p = block.data(), *e = p + n;
                 (p = static_cast<const char *>(std::memchr(p, '\n', e - p))); ++p)
                ++count;
            last = block[n - 1];
            pos += n;
        }
        if (last != '\n')
            ++count; // a last line without '\n'
        lineCounts[static_cast<std::size_t>(k)] = count;
    });
    if (stop)
        return;
    ctx.progress(begin);
    std::vector<std::uint64_t> firstRow(static_cast<std::size_t>(threads) + 1, 0);
    for (int k = 0; k < threads; ++k)
        firstRow[k + 1] = firstRow[k] + lineCounts[static_cast<std::size_t>(k)];
    const std::uint64_t lines = firstRow.back();
    table.allocate(ctx.path, lines);
    std::vector<std::uint8_t> status(static_cast<std::size_t>(lines), RowMissing);
    std::vector<std::uint64_t> hashes(static_cast<std::size_t>(lines)); // of the words, for collect

    // Pass 2: parse each range into its rows.
    const bool wordColumn = findVectorFormat(lay.format)->layout != VectorLayout::NumberRows;
    const int dim = lay.dim;
    runAll([&](int k) {
        std::vector<char> block(BlockBytes + 4096);
        std::vector<Field> scratch;
        std::uint64_t pos = bounds[k];
        std::size_t row = static_cast<std::size_t>(firstRow[k]);
        const std::size_t rowEnd = static_cast<std::size_t>(firstRow[k + 1]);
        std::size_t carry = 0;
        auto parseLine = [&](const char *b, const char *e) {
            if (row >= rowEnd)
                return; // the file grew since it was counted
            const std::uint8_t s = parseTextRow(b, e, dim, wordColumn,
                table.vectors.data() + row * static_cast<std::size_t>(dim), table.words[row],
                scratch);
            status[row] = s;
            if ((s & KindMask) == RowOk && wordColumn)
                hashes[row] = hashWord(table.words[row]);
            ++row;
        };
        while (pos < bounds[k + 1] && !stop) {
            if (block.size() < carry + BlockBytes)
                block.resize(carry + BlockBytes);
            const std::size_t n = file.readAt(block.data() + carry,
                std::min<std::uint64_t>(BlockBytes, bounds[k + 1] - pos), pos);
            if (n == 0)
                break;
            pos += n;
            const char *p = block.data();
            const char *e = p + carry + n;
            while (const char *nl = static_cast<const char *>(std::memchr(p, '\n', e - p))) {
                parseLine(p, nl);
                p = nl + 1;
            }
            carry = static_cast<std::size_t>(e - p);
            if (carry > MaxLineBytes)
                fail(ctx.path, "a line longer than 256 MB: not a word-vector file",
                    lay.firstLine + row);
            if (p != block.data())
                std::memmove(block.data(), p, carry);
            done += n;
        }
        if (carry > 0 && !stop)
            parseLine(block.data(), block.data() + carry);
    });
    if (stop)
        return;

    // Collect in file order: problems, the limit, duplicates.
    collect.reserve(lines);
    constexpr std::size_t Ahead = 16; // rows: the set is too big for the cache, its slots are not
    for (std::size_t row = 0; row < status.size(); ++row) {
        if (row + Ahead < status.size())
            collect.prefetch(hashes[row + Ahead]);
        if (!collect.wantsMore(status[row]))
            break;
        collect.add(row, status[row], lay.firstLine + row, &hashes[row]);
    }
}
} // namespace

void readTextRows(ReadJob &job, Table &table, Collector &collect)
{
    Context &ctx = job.ctx;
    const Layout &lay = job.lay;
    const double lines
        = static_cast<double>(job.file.size() - lay.dataOffset) / std::max(1.0, lay.bytesPerLine);
    const bool fewRows = ctx.opts.limit && static_cast<double>(ctx.opts.limit) * 2 < lines;
    if (ctx.report.gzip || fewRows) {
        readTextStream(ctx, lay, job.in, job.buf, job.contentBytes, table, collect);
    } else {
        job.buf = StreamBuffer(); // the sample is no longer needed
        readTextParallel(ctx, lay, job.file, table, collect);
    }
}

void writeText(std::FILE *f, const WordVectors &wv, bool header, bool words, char separator)
{
    std::string out;
    out.reserve(BlockBytes + 65536);
    if (header)
        out += std::to_string(wv.size()) + " " + std::to_string(wv.dim()) + "\n";
    const auto &m = wv.vectors();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        const float *row = m.row(i).data();
        if (words)
            out += wv.word(static_cast<std::size_t>(i));
        for (int j = 0; j < wv.dim(); ++j) {
            if (words || j > 0)
                out += separator;
            appendFloat(out, row[j]);
        }
        out += '\n';
        if (out.size() >= BlockBytes) {
            std::fwrite(out.data(), 1, out.size(), f);
            out.clear();
        }
    }
    std::fwrite(out.data(), 1, out.size(), f);
}

const char *textWordProblem(const std::string &word)
{
    if (isSeparator(word.front()) || isSeparator(word.back()))
        return "text formats cannot hold spaces around a word";
    return nullptr;
}

} // namespace embedlab::vectors
