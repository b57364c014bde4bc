#include "core/labelled.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "core/corpus.h"
#include "core/error.h"

namespace embedlab {

namespace {

constexpr std::string_view FastTextPrefix = "__label__";

// The start of a line for a message: at most 40 bytes, then "...".
std::string preview(std::string_view line)
{
    constexpr std::size_t Max = 40;
    std::string s(line.substr(0, Max));
    for (char &c : s)
        if (c == '\t')
            c = ' ';
    return line.size() > Max ? s + "..." : s;
}

bool isBlank(std::string_view s)
{
    return s.find_first_not_of(" \t\r\v\f") == std::string_view::npos;
}

std::string_view trimSpaces(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

RawExample parseFastText(std::string_view line, const std::string &name, std::size_t lineNo)
{
    std::string_view rest = line.substr(line.find_first_not_of(" \t"));
    const std::size_t end = rest.find_first_of(" \t");
    RawExample ex;
    ex.line = lineNo;
    ex.label = std::string(rest.substr(FastTextPrefix.size(),
        (end == std::string_view::npos ? rest.size() : end) - FastTextPrefix.size()));
    if (ex.label.empty())
        throw Error(fileMessage(
            name, "empty label after __label__, found '" + preview(line) + "'", lineNo));
    rest = end == std::string_view::npos ? std::string_view() : trimSpaces(rest.substr(end));
    if (rest.substr(0, FastTextPrefix.size()) == FastTextPrefix)
        throw Error(fileMessage(name,
            "several labels on one line (multi-label is not supported), found '" + preview(line)
                + "'",
            lineNo));
    ex.text = std::string(rest);
    return ex;
}

RawExample parseTab(std::string_view line, const std::string &name, std::size_t lineNo)
{
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos)
        throw Error(fileMessage(name,
            "expected 'label<TAB>text' (or '__label__name text' on every line), found '"
                + preview(line) + "'",
            lineNo));
    RawExample ex;
    ex.line = lineNo;
    ex.label = std::string(trimSpaces(line.substr(0, tab)));
    if (ex.label.empty())
        throw Error(
            fileMessage(name, "empty label before the tab, found '" + preview(line) + "'", lineNo));
    ex.text = std::string(line.substr(tab + 1));
    return ex;
}

// How many of n examples are held out (the rule of the language model's corpus).
std::size_t validCount(std::size_t n, double fraction)
{
    if (fraction <= 0 || n < 2)
        return 0;
    const auto k = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
    return std::clamp<std::size_t>(k, 1, n - 1);
}

} // namespace

const char *labelledFormatName(LabelledFormat format)
{
    switch (format) {
    case LabelledFormat::Auto:
        return "auto";
    case LabelledFormat::Tab:
        return "tab";
    case LabelledFormat::FastText:
        return "fasttext";
    case LabelledFormat::Csv:
        return "csv";
    }
    return "auto";
}

std::vector<RawExample> readLabelledLines(
    std::string_view text, const std::string &name, LabelledFormat format, LabelledFormat *detected)
{
    if (format == LabelledFormat::Csv)
        throw Error(fileMessage(name, "CSV needs the label and text column names"));
    std::vector<RawExample> out;
    std::size_t pos = checkUtf8Text(text, name);
    std::size_t lineNo = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        const std::string_view line = stripCarriageReturn(text.substr(pos, nl - pos));
        pos = nl + 1;
        ++lineNo;
        if (isBlank(line))
            continue;
        if (format == LabelledFormat::Auto)
            format = trimSpaces(line).substr(0, FastTextPrefix.size()) == FastTextPrefix
                ? LabelledFormat::FastText
                : LabelledFormat::Tab;
        if (format == LabelledFormat::FastText) {
            if (trimSpaces(line).substr(0, FastTextPrefix.size()) != FastTextPrefix)
                throw Error(fileMessage(name,
                    "expected '__label__name text' as on the first line, found '" + preview(line)
                        + "'",
                    lineNo));
            out.push_back(parseFastText(line, name, lineNo));
        } else {
            out.push_back(parseTab(line, name, lineNo));
        }
    }
    if (detected)
        *detected = format == LabelledFormat::Auto ? LabelledFormat::Tab : format;
    return out;
}

namespace {

// RFC 4180 records, one at a time.
struct CsvReader
{
    std::string_view text;
    const std::string &name;
    std::size_t pos = 0, lineNo = 1;

    // One record: its fields and the line it starts on; false at the end of the text.
    bool next(std::vector<std::string> &fields, std::size_t &startLine)
    {
        fields.clear();
        startLine = lineNo;
        if (pos >= text.size())
            return false;
        std::string field;
        bool quoted = false, wasQuoted = false;
        while (true) {
            if (pos >= text.size()) {
                if (quoted)
                    throw Error(fileMessage(name,
                        "unterminated quoted field (the record starts on this line)", startLine));
                fields.push_back(std::move(field));
                return true;
            }
            const char c = text[pos];
            if (quoted) {
                if (c == '"') {
                    if (pos + 1 < text.size() && text[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                    } else {
                        quoted = false;
                        ++pos;
                    }
                    continue;
                }
                if (c == '\n')
                    ++lineNo;
                field += c;
                ++pos;
                continue;
            }
            if (c == '"' && field.empty() && !wasQuoted) {
                quoted = wasQuoted = true;
                ++pos;
            } else if (c == ',') {
                fields.push_back(std::move(field));
                field.clear();
                wasQuoted = false;
                ++pos;
            } else if (c == '\n' || (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n')) {
                pos += c == '\r' ? 2 : 1;
                ++lineNo;
                fields.push_back(std::move(field));
                return true;
            } else if (wasQuoted) {
                throw Error(fileMessage(name,
                    std::string("unexpected '") + c
                        + "' after a closing quote (a quote inside a "
                          "quoted field is written \"\")",
                    lineNo));
            } else {
                field += c;
                ++pos;
            }
        }
    }

    // The header row; blank lines before it are skipped.
    std::vector<std::string> header(std::size_t &line)
    {
        std::vector<std::string> names;
        do {
            if (!next(names, line))
                throw Error(fileMessage(name, "no header row (CSV needs column names)"));
        } while (names.size() == 1 && isBlank(names[0]));
        return names;
    }
};

} // namespace

std::vector<std::string> readCsvHeader(std::string_view text, const std::string &name)
{
    CsvReader reader { text, name, checkUtf8Text(text, name) };
    std::size_t line = 0;
    return reader.header(line);
}

std::vector<RawExample> readLabelledCsv(std::string_view text, const std::string &name,
    const std::string &labelColumn, const std::string &textColumn)
{
    CsvReader reader { text, name, checkUtf8Text(text, name) };
    std::size_t line = 0;
    std::vector<std::string> fields;
    const std::vector<std::string> header = reader.header(line);
    auto column = [&](const std::string &want) {
        const auto it = std::find(header.begin(), header.end(), want);
        if (it == header.end()) {
            std::string names;
            for (const auto &h : header)
                names += (names.empty() ? "'" : ", '") + h + "'";
            throw Error(fileMessage(
                name, "no column '" + want + "' in the header; the columns are " + names, line));
        }
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t labelAt = column(labelColumn), textAt = column(textColumn);
    std::vector<RawExample> out;
    while (reader.next(fields, line)) {
        if (fields.size() == 1 && isBlank(fields[0]))
            continue;
        if (fields.size() != header.size())
            throw Error(fileMessage(name,
                "expected " + std::to_string(header.size()) + " fields as in the header, found "
                    + std::to_string(fields.size()),
                line));
        RawExample ex;
        ex.line = line;
        ex.label = std::string(trimSpaces(fields[labelAt]));
        if (ex.label.empty())
            throw Error(fileMessage(name, "empty label in column '" + labelColumn + "'", line));
        ex.text = std::move(fields[textAt]);
        out.push_back(std::move(ex));
    }
    return out;
}

std::vector<RawExample> readLabelledFile(const std::string &path, LabelledFormat format,
    const std::string &labelColumn, const std::string &textColumn, LabelledFormat *detected)
{
    const std::string text = readTextFile(path);
    if (format == LabelledFormat::Csv) {
        if (detected)
            *detected = LabelledFormat::Csv;
        return readLabelledCsv(text, path, labelColumn, textColumn);
    }
    return readLabelledLines(text, path, format, detected);
}

std::vector<LabelledExample> encodeExamples(const std::vector<RawExample> &raw,
    const Vocabulary &vocab, const std::vector<std::string> &labels,
    const TokenizerOptions &tokenizer, const std::string &name, std::uint64_t *unk)
{
    std::vector<LabelledExample> out;
    out.reserve(raw.size());
    std::string_view token;
    for (const RawExample &r : raw) {
        const auto it = std::lower_bound(labels.begin(), labels.end(), r.label);
        if (it == labels.end() || *it != r.label)
            throw Error(
                fileMessage(name, "label '" + r.label + "' is not one of the model's", r.line));
        LabelledExample ex;
        ex.label = static_cast<std::int32_t>(it - labels.begin());
        ex.line = r.line;
        // A line break inside a CSV field separates words like a space.
        std::string_view text = r.text;
        while (!text.empty()) {
            const std::size_t nl = text.find('\n');
            LineTokenizer tok(text.substr(0, nl), tokenizer);
            while (tok.next(token)) {
                const int id = vocab.id(token);
                if (id == Vocabulary::Unk && unk)
                    ++*unk;
                ex.ids.push_back(id);
            }
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        }
        out.push_back(std::move(ex));
    }
    return out;
}

namespace {
void buildVocabulary(LabelledCorpus &corpus, const std::vector<RawExample> &train,
    const std::vector<RawExample> &valid, const LabelledOptions &options);
} // namespace

LabelledCorpus buildLabelledCorpus(
    std::string_view text, const LabelledOptions &options, const std::string &name)
{
    const bool separateValid = !options.validPath.empty();
    if (!separateValid && !(options.validFraction >= 0 && options.validFraction < 1))
        throw Error(fileMessage(name, "validation fraction must be at least 0 and below 1"));
    LabelledCorpus corpus;
    corpus.path = name;
    std::vector<RawExample> train = options.format == LabelledFormat::Csv
        ? readLabelledCsv(text, name, options.labelColumn, options.textColumn)
        : readLabelledLines(text, name, options.format, &corpus.format);
    if (options.format == LabelledFormat::Csv)
        corpus.format = LabelledFormat::Csv;
    if (train.empty())
        throw Error(fileMessage(name, "no examples"));
    std::vector<RawExample> valid;
    if (separateValid) {
        valid = readLabelledFile(
            options.validPath, options.format, options.labelColumn, options.textColumn);
    } else {
        const std::size_t k = validCount(train.size(), options.validFraction);
        valid.assign(std::make_move_iterator(train.end() - static_cast<std::ptrdiff_t>(k)),
            std::make_move_iterator(train.end()));
        train.resize(train.size() - k);
    }

    if (options.fixedVocab) {
        corpus.labels = options.fixedLabels;
        corpus.vocab = *options.fixedVocab;
    } else {
        buildVocabulary(corpus, train, valid, options);
    }
    corpus.train = encodeExamples(
        train, corpus.vocab, corpus.labels, options.tokenizer, name, &corpus.trainUnk);
    corpus.valid = encodeExamples(valid, corpus.vocab, corpus.labels, options.tokenizer,
        separateValid ? options.validPath : name, &corpus.validUnk);
    if (!options.fixedVocab)
        corpus.vocab.setCount(Vocabulary::Unk, corpus.trainUnk);
    for (const auto &e : corpus.train)
        corpus.trainTokens += e.ids.size();
    for (const auto &e : corpus.valid)
        corpus.validTokens += e.ids.size();
    return corpus;
}

namespace {

// The label set of both splits and the vocabulary of the training texts.
void buildVocabulary(LabelledCorpus &corpus, const std::vector<RawExample> &train,
    const std::vector<RawExample> &valid, const LabelledOptions &options)
{
    std::map<std::string, bool> labelSet;
    for (const auto *set : { &train, &valid })
        for (const RawExample &r : *set)
            labelSet[r.label] = true;
    for (const auto &[label, unused] : labelSet)
        corpus.labels.push_back(label);

    // The vocabulary from the training texts: counts in order of first appearance.
    Vocabulary seen;
    std::vector<std::uint64_t> counts;
    std::string_view token;
    for (const RawExample &r : train) {
        std::string_view t = r.text;
        while (!t.empty()) {
            const std::size_t nl = t.find('\n');
            LineTokenizer tok(t.substr(0, nl), options.tokenizer);
            while (tok.next(token)) {
                const auto id = static_cast<std::size_t>(seen.add(token));
                if (id >= counts.size())
                    counts.resize(id + 1, 0);
                ++counts[id];
            }
            t = nl == std::string_view::npos ? std::string_view() : t.substr(nl + 1);
        }
    }
    std::vector<std::pair<std::string, std::uint64_t>> wordCounts;
    for (int id = Vocabulary::SpecialCount; id < seen.size(); ++id)
        if (static_cast<std::size_t>(id) < counts.size()
            && counts[static_cast<std::size_t>(id)] > 0)
            wordCounts.emplace_back(seen.word(id), counts[static_cast<std::size_t>(id)]);
    corpus.vocab = Vocabulary::build(wordCounts, options.minCount, options.maxVocab);
}

} // namespace

LabelledCorpus loadLabelledCorpus(const std::string &path, const LabelledOptions &options)
{
    return buildLabelledCorpus(readTextFile(path), options, path);
}

} // namespace embedlab
