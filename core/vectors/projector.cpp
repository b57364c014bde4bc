// Embedding Projector TSV: NAME.tsv (tab-separated numbers) and NAME_metadata.tsv (labels).
#include "core/fileio.h"
#include "core/vectors/formats.h"
#include "core/vectors/numbers.h"
#include "core/vectors/text_rows.h"
#include "core/vectors/vectors.h"

#include <algorithm>
#include <cstring>

#include <sys/stat.h>

namespace embedlab::vectors {

namespace {

// vectors.tsv: tab-separated numbers and no word.
bool claimsProjector(std::string_view row)
{
    std::vector<Field> fields;
    splitFields(row.data(), row.data() + row.size(), fields);
    float v;
    return row.find('\t') != std::string_view::npos
        && std::all_of(fields.begin(), fields.end(),
            [&](const Field &f) { return parseNumber(f.begin, f.end, v); });
}

// Projector labels: one per non-blank line, or a header row first when there are columns.
std::vector<std::string> readLabels(const std::string &path, ImportReport &report)
{
    InputFile file(path);
    ByteStream in(file, isGzip(file));
    std::string text;
    std::vector<char> block(BlockBytes);
    while (const std::size_t n = in.read(block.data(), block.size()))
        text.append(block.data(), n);
    std::vector<std::string> labels;
    bool first = true;
    std::uint64_t line = 0;
    std::size_t pos = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string_view l(text.data() + pos, nl - pos);
        pos = nl + 1;
        ++line;
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        if (std::all_of(l.begin(), l.end(), [](char c) { return isSpace(c); }))
            continue; // the Projector skips blank lines
        const std::size_t tab = l.find('\t');
        if (first && tab != std::string_view::npos) {
            first = false;
            continue; // several columns: the first row names them
        }
        first = false;
        const std::string_view label = l.substr(0, tab);
        labels.emplace_back();
        if (assignWord(labels.back(), label.data(), label.data() + label.size()))
            report.invalidUtf8.add(line);
    }
    return labels;
}

// The labels of ImportOptions::metadataPath, or of NAME_metadata.tsv or metadata.tsv next to
// the vectors.
bool readProjectorLabels(ReadJob &job, std::vector<std::string> &labels)
{
    const std::string &path = job.ctx.path;
    std::string meta = job.ctx.opts.metadataPath;
    for (const std::string &sibling :
        { projectorMetadataPath(path), pathSibling(path, "metadata.tsv") }) {
        struct stat st;
        if (meta.empty() && ::stat(sibling.c_str(), &st) == 0 && sibling != path)
            meta = sibling;
    }
    if (meta.empty())
        return false;
    labels = readLabels(meta, job.ctx.report);
    job.ctx.report.metadataPath = meta;
    return true;
}

WordVectors readProjector(ReadJob &job)
{
    return readTable(job, readTextRows, readProjectorLabels);
}

const char *labelProblem(const std::string &word)
{
    if (word.find('\t') != std::string::npos)
        return "projector labels cannot hold a tab";
    if (std::all_of(word.begin(), word.end(), [](char c) { return isSpace(c); }))
        return "projector labels cannot be blank";
    return nullptr;
}

void writeProjector(
    const std::string &path, const WordVectors &vectors, const std::string &metadataPath)
{
    checkWritable(path, vectors, labelProblem);
    const std::string meta = metadataPath.empty() ? projectorMetadataPath(path) : metadataPath;
    if (meta == path)
        fail(path, "the vectors and the labels cannot go to the same file");
    writeFileAtomically(path, [&](std::FILE *f) { writeText(f, vectors, false, false, '\t'); });
    writeFileAtomically(meta, [&](std::FILE *f) {
        for (const std::string &w : vectors.words()) {
            std::fwrite(w.data(), 1, w.size(), f);
            std::fputc('\n', f);
        }
    });
}

} // namespace

VectorFormatInfo projectorFormat()
{
    return { VectorFormat::ProjectorTsv, "projector", "Embedding Projector TSV", { "tsv" },
        VectorLayout::NumberRows, false, nullptr, claimsProjector, readProjector, writeProjector };
}

} // namespace embedlab::vectors

namespace embedlab {

std::string projectorMetadataPath(const std::string &vectorsPath)
{
    const std::size_t slash = vectorsPath.rfind('/');
    const std::size_t start = slash == std::string::npos ? 0 : slash + 1;
    std::string stem = vectorsPath.substr(start);
    if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".gz") == 0)
        stem.resize(stem.size() - 3);
    if (const std::size_t dot = stem.rfind('.'); dot != std::string::npos && dot > 0)
        stem.resize(dot);
    return vectorsPath.substr(0, start) + stem + "_metadata.tsv";
}

} // namespace embedlab
