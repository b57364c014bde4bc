#include "core/corpus.h"

#include "core/fileio.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

namespace embedlab {

namespace {

// Bytes between two progress reports: often enough for a smooth bar, rare enough to be free.
constexpr std::uint64_t ProgressStep = std::uint64_t(1) << 18;

class ProgressReporter
{
public:
    ProgressReporter(const ProgressFn &fn, std::uint64_t total, const std::string &name)
        : m_fn(fn)
        , m_total(total)
        , m_name(name)
    { }

    // Reports done unconditionally; throws Cancelled if the callback says stop.
    void report(std::uint64_t done)
    {
        m_last = done;
        if (m_fn && !m_fn(done, m_total))
            throw Cancelled(fileMessage(m_name, "cancelled"));
    }

    void maybeReport(std::uint64_t done)
    {
        if (done >= m_last + ProgressStep)
            report(done);
    }

private:
    const ProgressFn &m_fn;
    std::uint64_t m_total;
    std::uint64_t m_last = 0;
    const std::string &m_name;
};

// Tokenizes every line of text (from byte begin on) and appends toId(token) per token to out,
// and <eos> after each non-empty line. progress, if given, gets base + bytes done.
template <typename ToId>
void encodeLines(std::string_view text, std::size_t begin, const TokenizerOptions &options,
    ToId &&toId, std::vector<std::int32_t> &out, TextStats &stats,
    ProgressReporter *progress = nullptr, std::uint64_t base = 0)
{
    const std::size_t size = text.size();
    out.reserve(out.size() + (options.mode == TokenizerMode::Word ? size / 5 : size) + 16);
    std::string_view token;
    std::size_t pos = begin;
    while (pos < size) {
        const auto *nl
            = static_cast<const char *>(std::memchr(text.data() + pos, '\n', size - pos));
        const std::size_t end = nl ? static_cast<std::size_t>(nl - text.data()) : size;
        const std::string_view line = text.substr(pos, end - pos);
        ++stats.lines;
        if (nl && !line.empty() && line.back() == '\r')
            ++stats.crlfLines;

        LineTokenizer tokenizer(line, options);
        std::uint64_t n = 0;
        while (tokenizer.next(token)) {
            out.push_back(toId(token));
            ++n;
        }
        if (n > 0) {
            out.push_back(Vocabulary::Eos);
            ++stats.nonEmptyLines;
            stats.tokens += n;
        }
        stats.invalidUtf8 += tokenizer.invalidUtf8();

        pos = end + 1;
        if (progress)
            progress->maybeReport(base + std::min(pos, size));
    }
}

void addStats(TextStats &to, const TextStats &from)
{
    to.bytes += from.bytes;
    to.lines += from.lines;
    to.nonEmptyLines += from.nonEmptyLines;
    to.tokens += from.tokens;
    to.invalidUtf8 += from.invalidUtf8;
    to.crlfLines += from.crlfLines;
}

// How many of n non-empty lines are held out for validation.
std::uint64_t validLineCount(std::uint64_t n, double fraction)
{
    if (fraction <= 0 || n < 2)
        return 0;
    auto k = static_cast<std::uint64_t>(std::llround(fraction * static_cast<double>(n)));
    return std::clamp<std::uint64_t>(k, 1, n - 1); // always keep a training line
}

Corpus corpusFromText(std::string_view text, const CorpusOptions &options, const std::string &name,
    const ProgressFn &progressFn)
{
    const bool separateValid = !options.validPath.empty();
    const double fraction = options.validFraction;
    if (!separateValid && !(fraction >= 0 && fraction < 1))
        throw Error(fileMessage(name, "validation fraction must be at least 0 and below 1"));

    std::string validText;
    if (separateValid)
        validText = readTextFile(options.validPath);
    ProgressReporter progress(progressFn, text.size() + validText.size(), name);
    progress.report(0);

    // First pass: provisional ids in order of first appearance over the whole input. Tokens can
    // never be spelled like a special ("<" is punctuation), so specials keep ids 0..2 and the
    // stream can use Vocabulary::Eos directly.
    Vocabulary seen;
    auto addToken = [&seen](std::string_view token) { return seen.add(token); };
    std::vector<std::int32_t> stream, validStream;
    Corpus corpus;
    corpus.path = name;
    corpus.fingerprint = textFingerprint(text);
    TextStats mainStats;
    mainStats.bytes = text.size();
    encodeLines(
        text, checkUtf8Text(text, name), options.tokenizer, addToken, stream, mainStats, &progress);
    corpus.stats = mainStats;
    if (separateValid) {
        TextStats validStats;
        validStats.bytes = validText.size();
        encodeLines(validText, checkUtf8Text(validText, options.validPath), options.tokenizer,
            addToken, validStream, validStats, &progress, text.size());
        addStats(corpus.stats, validStats);
        if (validStream.empty())
            throw Error(fileMessage(options.validPath, "no tokens"));
    }

    // The training part is a prefix of the main text: its first trainLines non-empty lines.
    const std::uint64_t trainLines = mainStats.nonEmptyLines
        - (separateValid ? 0 : validLineCount(mainStats.nonEmptyLines, fraction));
    std::size_t split = 0;
    for (std::uint64_t lines = 0; lines < trainLines; ++split) {
        if (stream[split] == Vocabulary::Eos)
            ++lines;
    }
    if (split == 0)
        throw Error(fileMessage(name, "no tokens"));
    if (!separateValid)
        validStream.assign(stream.begin() + static_cast<std::ptrdiff_t>(split), stream.end());
    stream.resize(split);

    // Because the training part is a prefix, ascending provisional ids are its order of first
    // appearance, which is what build() uses to break ties.
    std::vector<std::uint64_t> counts(static_cast<std::size_t>(seen.size()), 0);
    for (std::int32_t id : stream)
        ++counts[static_cast<std::size_t>(id)];
    std::vector<std::pair<std::string, std::uint64_t>> wordCounts;
    for (int id = Vocabulary::SpecialCount; id < seen.size(); ++id) {
        if (counts[static_cast<std::size_t>(id)] > 0)
            wordCounts.emplace_back(seen.word(id), counts[static_cast<std::size_t>(id)]);
    }
    corpus.vocab = Vocabulary::build(wordCounts, options.minCount, options.maxVocab);
    wordCounts = {};

    std::vector<std::int32_t> remap(static_cast<std::size_t>(seen.size()));
    for (int id = 0; id < seen.size(); ++id)
        remap[static_cast<std::size_t>(id)]
            = id < Vocabulary::SpecialCount ? id : corpus.vocab.id(seen.word(id));
    auto translate = [&remap](std::vector<std::int32_t> &ids, std::uint64_t &unk) {
        for (std::int32_t &id : ids) {
            id = remap[static_cast<std::size_t>(id)];
            unk += id == Vocabulary::Unk ? 1 : 0;
        }
    };
    translate(stream, corpus.trainUnk);
    translate(validStream, corpus.validUnk);
    corpus.train = std::move(stream);
    corpus.valid = std::move(validStream);
    corpus.vocab.setCount(Vocabulary::Eos, trainLines);
    corpus.vocab.setCount(Vocabulary::Unk, corpus.trainUnk);

    progress.report(text.size() + validText.size());
    return corpus;
}

} // namespace

std::string textFingerprint(std::string_view bytes)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string readTextFile(const std::string &path)
{
    namespace fs = std::filesystem;
    const fs::path fsPath = fs::u8path(path);
    std::error_code ec;
    if (fs::is_directory(fsPath, ec))
        throw Error(fileMessage(path, "is a directory"));

    errno = 0;
    std::ifstream in(fsPath, std::ios::binary);
    if (!in)
        throw Error(fileMessage(
            path, std::string("cannot open: ") + (errno ? std::strerror(errno) : "unknown error")));

    std::string data;
    const std::uintmax_t expected = fs::file_size(fsPath, ec);
    if (!ec)
        checkFileFitsInMemory(path, expected);
    if (!ec && expected > 0) {
        data.resize(static_cast<std::size_t>(expected));
        in.read(data.data(), static_cast<std::streamsize>(data.size()));
        data.resize(static_cast<std::size_t>(in.gcount()));
    }
    // The size is a hint only: read on until the end in case the file is still growing.
    char chunk[1 << 16];
    while (in) {
        in.read(chunk, sizeof chunk);
        data.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad())
        throw Error(fileMessage(
            path, std::string("cannot read: ") + (errno ? std::strerror(errno) : "unknown error")));
    return data;
}

std::size_t checkUtf8Text(std::string_view text, const std::string &path)
{
    const auto byte = [text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    if (text.size() >= 2
        && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF)))
        throw Error(fileMessage(
            path, "UTF-16 byte-order mark; the file looks like UTF-16/binary, not UTF-8 text", 1));
    if (const void *nul = std::memchr(text.data(), 0, text.size())) {
        const auto at = static_cast<std::size_t>(static_cast<const char *>(nul) - text.data());
        const auto line
            = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
        throw Error(fileMessage(path, "NUL byte; the file looks like UTF-16/binary, not UTF-8 text",
            static_cast<std::size_t>(line)));
    }
    if (text.size() >= 3 && byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF)
        return 3;
    return 0;
}

Corpus loadCorpus(const std::string &path, const CorpusOptions &options, const ProgressFn &progress)
{
    const std::string text = readTextFile(path);
    return corpusFromText(text, options, path, progress);
}

Corpus buildCorpus(std::string_view text, const CorpusOptions &options, const std::string &name)
{
    return corpusFromText(text, options, name, {});
}

std::vector<std::int32_t> encodeText(std::string_view text, const Vocabulary &vocab,
    const TokenizerOptions &options, std::uint64_t *unk, std::vector<std::string> *unknownWords)
{
    std::vector<std::int32_t> ids;
    std::uint64_t unknown = 0;
    auto toId = [&vocab, &unknown, unknownWords](std::string_view token) {
        const int id = vocab.find(token);
        if (id >= 0)
            return id;
        ++unknown;
        if (unknownWords
            && std::find(unknownWords->begin(), unknownWords->end(), token) == unknownWords->end())
            unknownWords->emplace_back(token);
        return Vocabulary::Unk;
    };
    const std::size_t begin = text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    TextStats stats;
    encodeLines(text, begin, options, toId, ids, stats);
    if (unk)
        *unk += unknown;
    return ids;
}

std::vector<std::int32_t> encodeFile(const std::string &path, const Vocabulary &vocab,
    const TokenizerOptions &options, std::uint64_t *unk)
{
    const std::string text = readTextFile(path);
    checkUtf8Text(text, path);
    return encodeText(text, vocab, options, unk);
}

BatchedStream batchify(const std::vector<std::int32_t> &stream, int batch)
{
    if (batch < 1)
        throw Error("batchify: batch size must be at least 1, not " + std::to_string(batch));
    BatchedStream out;
    out.batch = batch;
    out.steps = stream.size() / static_cast<std::size_t>(batch);
    out.data.resize(out.steps * static_cast<std::size_t>(batch));
    // Stream b is stream[b * steps, (b + 1) * steps), laid out time-major.
    for (std::size_t b = 0; b < static_cast<std::size_t>(batch); ++b) {
        const std::int32_t *src = stream.data() + b * out.steps;
        for (std::size_t t = 0; t < out.steps; ++t)
            out.data[t * static_cast<std::size_t>(batch) + b] = src[t];
    }
    return out;
}

} // namespace embedlab
