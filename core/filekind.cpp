#include "core/filekind.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

#include "core/utf8.h"

namespace embedlab {

namespace {

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::uint32_t le16(std::string_view s, std::size_t at)
{
    return static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8;
}

// The names of a ZIP archive's members, from its local file headers (at most `limit`).
std::vector<std::string_view> zipMembers(std::string_view s, std::size_t limit = 64)
{
    std::vector<std::string_view> names;
    std::size_t at = 0;
    while (names.size() < limit && at + 30 <= s.size() && s.substr(at, 4) == "PK\x03\x04") {
        const std::uint32_t nameLength = le16(s, at + 26), extraLength = le16(s, at + 28);
        const std::uint32_t flags = le16(s, at + 6);
        const std::uint32_t compressed = le16(s, at + 18) | le16(s, at + 20) << 16;
        if (at + 30 + nameLength > s.size())
            break;
        names.push_back(s.substr(at + 30, nameLength));
        if (flags & 0x8)
            break; // sizes follow the data: the next header cannot be found without inflating
        at += 30 + std::size_t(nameLength) + extraLength + compressed;
    }
    return names;
}

std::string describeZip(std::string_view s)
{
    const auto names = zipMembers(s);
    auto has = [&](auto &&pred) { return std::any_of(names.begin(), names.end(), pred); };
    if (has([](std::string_view n) { return endsWith(n, "data.pkl"); }))
        return "it is a PyTorch file saved with torch.save (.pt or .pth: a ZIP of pickled "
               "tensors). Embedding Lab reads safetensors: in Python, save the state_dict with "
               "safetensors.torch.save_file and the metadata the README describes (Checkpoints)";
    if (has([](std::string_view n) { return n == "config.json"; })
        && has([](std::string_view n) { return endsWith(n, ".weights.h5"); }))
        return "it is a Keras model (.keras: a ZIP of its configuration and HDF5 weights). Save "
               "the embedding layer's matrix with its words as word2vec text and open that with "
               "File > Import Vectors (embedlab-cli: --vectors)";
    if (!names.empty() && std::all_of(names.begin(), names.end(), [](std::string_view n) {
            return endsWith(n, ".npy");
        }))
        return "it is a NumPy .npz archive (arrays without their words). Save the embedding with "
               "its words as word2vec text and open that with File > Import Vectors "
               "(embedlab-cli: --vectors)";
    return "it is a ZIP archive; unpack it first";
}

// The first line's fields split on spaces and tabs (at most `limit` of them).
std::vector<std::string_view> firstLineFields(std::string_view s, std::size_t limit = 4096)
{
    std::vector<std::string_view> fields;
    const std::size_t end = std::min(s.find('\n'), s.size());
    std::size_t i = 0;
    while (i < end && fields.size() < limit) {
        while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            ++i;
        const std::size_t start = i;
        while (i < end && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            ++i;
        if (i > start)
            fields.push_back(s.substr(start, i - start));
    }
    return fields;
}

bool isInteger(std::string_view f)
{
    return !f.empty() && f.size() < 19
        && std::all_of(f.begin(), f.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isNumber(std::string_view f)
{
    // A decimal number as word-vector files write them: sign, digits, point, exponent.
    std::size_t i = 0;
    if (i < f.size() && (f[i] == '-' || f[i] == '+'))
        ++i;
    bool digits = false;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
        ++i;
        digits = true;
    }
    if (i < f.size() && f[i] == '.') {
        ++i;
        while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
            ++i;
            digits = true;
        }
    }
    if (digits && i < f.size() && (f[i] == 'e' || f[i] == 'E')) {
        ++i;
        if (i < f.size() && (f[i] == '-' || f[i] == '+'))
            ++i;
        if (i == f.size() || !std::isdigit(static_cast<unsigned char>(f[i])))
            return false;
        while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])))
            ++i;
    }
    return digits && i == f.size();
}

// Text: in the first bytes no NUL, and few control characters (other than whitespace) or
// ill-formed UTF-8 sequences: under a quarter (Windows-1252 prose has about a tenth, random
// bytes over half).
bool looksLikeText(std::string_view s)
{
    const std::string_view head = s.substr(0, 4096);
    if (head.empty())
        return false;
    std::size_t odd = 0;
    for (std::size_t i = 0; i < head.size();) {
        const auto c = static_cast<unsigned char>(head[i]);
        if (c == 0)
            return false;
        const Utf8Char u = decodeUtf8At(head, i);
        // A sequence cut by the end of the head is not held against the file.
        if (!u.valid && i + 4 < head.size())
            ++odd;
        else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ++odd;
        i += std::max<std::size_t>(u.length, 1);
    }
    return odd * 4 < head.size();
}

const char *ImportVectorsHint = "open it with File > Import Vectors (embedlab-cli: --vectors)";

std::string describeText(std::string_view s)
{
    const auto fields = firstLineFields(s);
    if (fields.size() == 2 && isInteger(fields[0]) && isInteger(fields[1]))
        return "this looks like a word-vector file (word2vec or fastText, header \""
            + std::string(fields[0]) + " " + std::string(fields[1]) + "\"); " + ImportVectorsHint;
    if (fields.size() >= 3 && std::all_of(fields.begin() + 1, fields.end(), [](std::string_view f) {
            return isNumber(f);
        }))
        return "this looks like a word-vector file (GloVe text: a word and "
            + std::to_string(fields.size() - 1) + " numbers a line); " + ImportVectorsHint;
    if (!s.empty() && (s.front() == '{' || s.front() == '['))
        return "it is a JSON or other text file, not a checkpoint";
    return "it is plain text; to train on it, open it as a corpus (File > Open Corpus; "
           "embedlab-cli train --corpus)";
}

} // namespace

std::string describeForeignFile(std::string_view s)
{
    if (startsWith(s, "\x89PNG\r\n\x1a\n"))
        return "it is a PNG image";
    // fastText's magic number, 793712314 as a little-endian int32.
    if (startsWith(s, "\xBA\x16\x4F\x2F"))
        return "it is a fastText model (.bin); " + std::string(ImportVectorsHint);
    if (startsWith(s, "\xFF\xD8\xFF"))
        return "it is a JPEG image";
    if (startsWith(s, "GIF87a") || startsWith(s, "GIF89a"))
        return "it is a GIF image";
    if (startsWith(s, "%PDF-"))
        return "it is a PDF document";
    if (startsWith(s, "PK\x03\x04") || startsWith(s, "PK\x05\x06"))
        return describeZip(s);
    if (startsWith(s, "\x89HDF\r\n\x1a\n"))
        return "it is an HDF5 file (a Keras .h5 model or weights). Save the embedding layer's "
               "matrix with its words as word2vec text and "
            + std::string(ImportVectorsHint);
    if (startsWith(s, "\x93NUMPY"))
        return "it is a NumPy .npy array: as word vectors, with its words one a line in "
               "NAME.vocab.txt beside it, "
            + std::string(ImportVectorsHint);
    if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0x80
        && static_cast<unsigned char>(s[1]) >= 2 && static_cast<unsigned char>(s[1]) <= 5)
        return "it is a Python pickle (a PyTorch .pt or .pth file in torch.save's legacy "
               "format). Embedding Lab reads safetensors: in Python, save the state_dict with "
               "safetensors.torch.save_file and the metadata the README describes (Checkpoints)";
    if (startsWith(s, "\x1F\x8B"))
        return "it is gzip-compressed; if it holds word vectors, " + std::string(ImportVectorsHint)
            + ", which reads .gz files";
    if (startsWith(s, "BZh")
        || startsWith(s,
            "\xFD"
            "7zXZ")
        || startsWith(s, "\x28\xB5\x2F\xFD"))
        return "it is compressed (bzip2, xz or zstd); decompress it first";
    if (startsWith(s,
            "\x7F"
            "ELF"))
        return "it is a program (ELF executable or library)";
    if (startsWith(s, "\xFF\xFE") || startsWith(s, "\xFE\xFF"))
        return "it is UTF-16 text";
    if (startsWith(s, "\xEF\xBB\xBF"))
        return describeText(s.substr(3));
    // A word2vec binary file: an ASCII "count dim" line, then raw floats.
    const std::size_t eol = s.find('\n');
    if (eol != std::string_view::npos && eol < 64) {
        const auto fields = firstLineFields(s.substr(0, eol));
        if (fields.size() == 2 && isInteger(fields[0]) && isInteger(fields[1])
            && !looksLikeText(s.substr(eol + 1)))
            return "this looks like a word-vector file (word2vec binary, header \""
                + std::string(fields[0]) + " " + std::string(fields[1]) + "\"); "
                + ImportVectorsHint;
    }
    if (looksLikeText(s))
        return describeText(s);
    return {};
}

} // namespace embedlab
