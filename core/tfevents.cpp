#include "core/tfevents.h"

#include "core/error.h"
#include "core/fileio.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace embedlab {

namespace {

// Protocol buffer wire types (https://protobuf.dev/programming-guides/encoding/).
enum WireType : std::uint32_t {
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
};

// Field numbers of tensorboard/compat/proto/event.proto and summary.proto.
namespace EventField {
constexpr std::uint32_t WallTime = 1, Step = 2, FileVersion = 3, Summary = 5;
constexpr std::uint32_t FirstOfWhat = 3, LastOfWhat = 9; // the members of oneof what
} // namespace EventField
namespace SummaryField {
constexpr std::uint32_t Value = 1;
}
namespace ValueField {
constexpr std::uint32_t Tag = 1, SimpleValue = 2;
// The members of oneof value: simple_value, obsolete_old_style_histogram, image, histo, audio,
// tensor (7 is node_name, outside the oneof).
constexpr std::uint32_t OneofValue[] = { 2, 3, 4, 5, 6, 8 };
} // namespace ValueField

constexpr std::size_t FrameHeaderBytes = 12; // length and its CRC
constexpr std::size_t FrameOverheadBytes = 16; // header and the data's CRC

std::array<std::uint32_t, 256> makeCrc32cTable()
{
    std::array<std::uint32_t, 256> table {};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int bit = 0; bit < 8; ++bit)
            c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[i] = c;
    }
    return table;
}

[[noreturn]] void throwSystemError(const std::string &path, const std::string &what, int error)
{
    throw Error(fileMessage(path, what + ": " + std::strerror(error)));
}

// --- Encoding ---

void putVarint(std::string &out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

void putKey(std::string &out, std::uint32_t field, WireType type)
{
    putVarint(out, (static_cast<std::uint64_t>(field) << 3) | type);
}

void putLittleEndian(std::string &out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

void putDouble(std::string &out, std::uint32_t field, double value)
{
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    putKey(out, field, Fixed64);
    putLittleEndian(out, bits, 8);
}

void putFloat(std::string &out, std::uint32_t field, float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    putKey(out, field, Fixed32);
    putLittleEndian(out, bits, 4);
}

void putBytes(std::string &out, std::uint32_t field, const std::string &bytes)
{
    putKey(out, field, LengthDelimited);
    putVarint(out, bytes.size());
    out += bytes;
}

// wall_time and step as proto3 writes them: a field holding its default value is left out.
void putEventHeader(std::string &out, double wallTime, std::int64_t step)
{
    if (wallTime != 0)
        putDouble(out, EventField::WallTime, wallTime);
    if (step != 0) {
        putKey(out, EventField::Step, Varint);
        putVarint(out, static_cast<std::uint64_t>(step)); // negative steps take 10 bytes
    }
}

// --- Decoding ---

// What is wrong with an Event's bytes; readEventFile adds the file, record and offset.
struct MalformedEvent
{
    std::string reason;
};

std::uint64_t littleEndian(const unsigned char *p, int bytes)
{
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return value;
}

// Reads one protocol buffer message from [begin, end).
class ProtoReader
{
public:
    ProtoReader(const unsigned char *begin, const unsigned char *end)
        : m_pos(begin)
        , m_end(end)
    { }

    bool atEnd() const { return m_pos == m_end; }

    // The next field's number and wire type.
    std::pair<std::uint32_t, std::uint32_t> key()
    {
        const std::uint64_t key = varint();
        const std::uint64_t field = key >> 3;
        if (field == 0 || field > 0x1FFFFFFF)
            throw MalformedEvent { "field number " + std::to_string(field) + " out of range" };
        return { static_cast<std::uint32_t>(field), static_cast<std::uint32_t>(key & 7) };
    }

    std::uint64_t varint()
    {
        std::uint64_t value = 0;
        for (int i = 0; i < 10; ++i) {
            if (m_pos == m_end)
                throw MalformedEvent { "a varint runs past the end of its message" };
            const unsigned char byte = *m_pos++;
            value |= static_cast<std::uint64_t>(byte & 0x7F) << (7 * i);
            if ((byte & 0x80) == 0)
                return value;
        }
        throw MalformedEvent { "a varint is longer than 10 bytes" };
    }

    std::uint64_t fixed(int bytes)
    {
        need(static_cast<std::size_t>(bytes), "a fixed-size field");
        const std::uint64_t value = littleEndian(m_pos, bytes);
        m_pos += bytes;
        return value;
    }

    // A length-delimited field's bytes.
    std::pair<const unsigned char *, const unsigned char *> bytes()
    {
        const std::uint64_t length = varint();
        need(length, "a length-delimited field of " + std::to_string(length) + " bytes");
        const unsigned char *begin = m_pos;
        m_pos += length;
        return { begin, m_pos };
    }

    std::string string()
    {
        const auto [begin, end] = bytes();
        return std::string(reinterpret_cast<const char *>(begin), std::size_t(end - begin));
    }

    // Skips a field this reader does not use, whatever its number.
    void skip(std::uint32_t field, std::uint32_t type)
    {
        switch (type) {
        case Varint:
            varint();
            return;
        case Fixed64:
            fixed(8);
            return;
        case LengthDelimited:
            bytes();
            return;
        case Fixed32:
            fixed(4);
            return;
        case StartGroup:
        case EndGroup:
            throw MalformedEvent { "field " + std::to_string(field) + " is a group (wire type "
                + std::to_string(type) + "), which no TensorBoard message uses" };
        default:
            throw MalformedEvent { "field " + std::to_string(field) + " has wire type "
                + std::to_string(type) + ", which protocol buffers do not define" };
        }
    }

private:
    void need(std::uint64_t n, const std::string &what)
    {
        if (n > static_cast<std::uint64_t>(m_end - m_pos))
            throw MalformedEvent { what + " runs past the end of its message" };
    }

    const unsigned char *m_pos;
    const unsigned char *m_end;
};

struct DecodedEvent
{
    double wallTime = 0;
    std::int64_t step = 0;
    bool hasFileVersion = false;
    std::string fileVersion;
    std::vector<std::pair<std::string, float>> scalars;
};

// A Summary.Value; appends (tag, simple_value) to scalars when that is what it holds.
void decodeValue(ProtoReader reader, std::vector<std::pair<std::string, float>> &scalars)
{
    std::string tag;
    std::uint32_t valueCase = 0; // the oneof member seen last wins, as in protobuf
    float simpleValue = 0;
    while (!reader.atEnd()) {
        const auto [field, type] = reader.key();
        if (field == ValueField::Tag && type == LengthDelimited) {
            tag = reader.string();
            continue;
        }
        if (field == ValueField::SimpleValue && type == Fixed32) {
            const auto bits = static_cast<std::uint32_t>(reader.fixed(4));
            std::memcpy(&simpleValue, &bits, sizeof simpleValue);
            valueCase = field;
            continue;
        }
        const auto &oneof = ValueField::OneofValue;
        if (std::find(std::begin(oneof), std::end(oneof), field) != std::end(oneof))
            valueCase = field;
        reader.skip(field, type);
    }
    if (valueCase == ValueField::SimpleValue)
        scalars.emplace_back(std::move(tag), simpleValue);
}

void decodeSummary(ProtoReader reader, std::vector<std::pair<std::string, float>> &scalars)
{
    while (!reader.atEnd()) {
        const auto [field, type] = reader.key();
        if (field == SummaryField::Value && type == LengthDelimited) {
            const auto [begin, end] = reader.bytes();
            decodeValue(ProtoReader(begin, end), scalars);
        } else {
            reader.skip(field, type);
        }
    }
}

DecodedEvent decodeEvent(const unsigned char *begin, const unsigned char *end)
{
    DecodedEvent event;
    ProtoReader reader(begin, end);
    std::uint32_t whatCase = 0;
    while (!reader.atEnd()) {
        const auto [field, type] = reader.key();
        if (field == EventField::WallTime && type == Fixed64) {
            const std::uint64_t bits = reader.fixed(8);
            std::memcpy(&event.wallTime, &bits, sizeof event.wallTime);
        } else if (field == EventField::Step && type == Varint) {
            event.step = static_cast<std::int64_t>(reader.varint());
        } else if (field == EventField::FileVersion && type == LengthDelimited) {
            event.fileVersion = reader.string();
            whatCase = field;
        } else if (field == EventField::Summary && type == LengthDelimited) {
            // Setting another member of the oneof clears a summary; repeats of it merge.
            if (whatCase != field)
                event.scalars.clear();
            whatCase = field;
            const auto [summaryBegin, summaryEnd] = reader.bytes();
            decodeSummary(ProtoReader(summaryBegin, summaryEnd), event.scalars);
        } else {
            if (field >= EventField::FirstOfWhat && field <= EventField::LastOfWhat)
                whatCase = field;
            reader.skip(field, type);
        }
    }
    event.hasFileVersion = whatCase == EventField::FileVersion;
    if (whatCase != EventField::Summary)
        event.scalars.clear();
    return event;
}

std::string hostname()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
        return "localhost";
    return name;
}

std::string hex(std::uint32_t value)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", value);
    return buf;
}

} // namespace

std::uint32_t crc32c(const void *data, std::size_t n, std::uint32_t crc)
{
    static const std::array<std::uint32_t, 256> table = makeCrc32cTable();
    const auto *p = static_cast<const unsigned char *>(data);
    crc = ~crc;
    for (std::size_t i = 0; i < n; ++i)
        crc = table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

std::string encodeFileVersionEvent(double wallTime, const std::string &version)
{
    std::string out;
    putEventHeader(out, wallTime, 0);
    putBytes(out, EventField::FileVersion, version);
    return out;
}

std::string encodeScalarEvent(
    std::int64_t step, double wallTime, const std::vector<std::pair<std::string, float>> &values)
{
    std::string summary;
    for (const auto &[tag, value] : values) {
        std::string encoded;
        if (!tag.empty())
            putBytes(encoded, ValueField::Tag, tag);
        putFloat(encoded, ValueField::SimpleValue, value);
        putBytes(summary, SummaryField::Value, encoded);
    }
    std::string out;
    putEventHeader(out, wallTime, step);
    putBytes(out, EventField::Summary, summary);
    return out;
}

std::string tfRecord(const std::string &data)
{
    std::string frame;
    frame.reserve(data.size() + FrameOverheadBytes);
    putLittleEndian(frame, data.size(), 8);
    putLittleEndian(frame, maskedCrc32c(crc32c(frame.data(), 8)), 4);
    frame += data;
    putLittleEndian(frame, maskedCrc32c(crc32c(data.data(), data.size())), 4);
    return frame;
}

EventFileWriter::EventFileWriter(const std::string &directory, const std::string &suffix)
{
    makeDirectories(directory);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%010lld", static_cast<long long>(std::time(nullptr)));
    const std::string stem = directory + "/events.out.tfevents." + seconds + "." + hostname();
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        m_path = stem + (attempt > 0 ? "." + std::to_string(attempt) : std::string()) + suffix;
        // O_EXCL: an event file belongs to one writer; two appending to it would interleave.
        fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || attempt >= 1000))
            throwSystemError(m_path, "cannot create event file", errno);
    }
    m_file = ::fdopen(fd, "ab");
    if (!m_file) {
        const int error = errno;
        ::close(fd);
        throwSystemError(m_path, "cannot open event file", error);
    }
    const double now
        = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    try {
        writeRecord(encodeFileVersionEvent(now));
        flush();
    } catch (...) {
        // The file is this writer's (O_EXCL) and holds no complete event.
        std::fclose(m_file);
        ::unlink(m_path.c_str());
        throw;
    }
}

EventFileWriter::~EventFileWriter()
{
    std::fclose(m_file);
}

void EventFileWriter::addScalar(
    const std::string &tag, std::int64_t step, float value, double wallTime)
{
    writeRecord(encodeScalarEvent(step, wallTime, { { tag, value } }));
}

void EventFileWriter::addScalars(
    std::int64_t step, double wallTime, const std::vector<std::pair<std::string, float>> &values)
{
    writeRecord(encodeScalarEvent(step, wallTime, values));
}

void EventFileWriter::flush()
{
    checkNotFailed();
    errno = 0;
    if (std::fflush(m_file) != 0) {
        m_failed = true;
        throwSystemError(m_path, "cannot write", errno != 0 ? errno : EIO);
    }
}

void EventFileWriter::writeRecord(const std::string &data)
{
    checkNotFailed();
    const std::string frame = tfRecord(data);
    errno = 0;
    if (std::fwrite(frame.data(), 1, frame.size(), m_file) != frame.size()) {
        m_failed = true;
        throwSystemError(m_path, "cannot write", errno != 0 ? errno : EIO);
    }
}

void EventFileWriter::checkNotFailed() const
{
    if (m_failed)
        throw Error(fileMessage(m_path,
            "an earlier write failed; nothing more is appended, so that the file ends with at "
            "most one incomplete record"));
}

EventFileContents readEventFile(const std::string &path)
{
    const std::string file = readFile(path);
    const auto *bytes = reinterpret_cast<const unsigned char *>(file.data());
    const std::size_t size = file.size();
    EventFileContents contents;
    std::size_t offset = 0;
    while (offset < size) {
        const std::size_t record = contents.records + 1;
        const auto fail = [&](const std::string &reason) {
            throw Error(fileMessage(path,
                "record " + std::to_string(record) + " at byte " + std::to_string(offset) + ": "
                    + reason));
        };
        const std::size_t remaining = size - offset;
        if (remaining < FrameHeaderBytes) {
            contents.truncated = true;
            contents.truncatedAt = offset;
            break;
        }
        const unsigned char *header = bytes + offset;
        const std::uint64_t length = littleEndian(header, 8);
        const auto lengthCrc = static_cast<std::uint32_t>(littleEndian(header + 8, 4));
        const std::uint32_t expectedLengthCrc = maskedCrc32c(crc32c(header, 8));
        if (lengthCrc != expectedLengthCrc) {
            fail("length CRC mismatch (stored " + hex(lengthCrc) + ", computed "
                + hex(expectedLengthCrc) + "): "
                + (record == 1 ? "not a TensorBoard event file, whose records are TFRecord frames "
                                 "(uint64 length, masked CRC-32C of it, data, masked CRC-32C of "
                                 "the data)"
                               : "the frame header is damaged"));
        }
        // The length's CRC was right, so a frame longer than the rest of the file was cut off.
        if (remaining < FrameOverheadBytes || length > remaining - FrameOverheadBytes) {
            contents.truncated = true;
            contents.truncatedAt = offset;
            break;
        }
        const unsigned char *data = header + FrameHeaderBytes;
        const auto dataCrc = static_cast<std::uint32_t>(littleEndian(data + length, 4));
        const std::uint32_t expectedDataCrc = maskedCrc32c(crc32c(data, length));
        if (dataCrc != expectedDataCrc)
            fail("data CRC mismatch (stored " + hex(dataCrc) + ", computed " + hex(expectedDataCrc)
                + "): the event is damaged");
        DecodedEvent event;
        try {
            event = decodeEvent(data, data + length);
        } catch (const MalformedEvent &e) {
            fail("not a valid Event protocol buffer: " + e.reason);
        }
        if (event.hasFileVersion && contents.fileVersion.empty())
            contents.fileVersion = std::move(event.fileVersion);
        for (auto &[tag, value] : event.scalars)
            contents.scalars.push_back({ event.wallTime, event.step, std::move(tag), value });
        ++contents.records;
        offset += FrameOverheadBytes + length;
    }
    return contents;
}

std::vector<std::string> eventFilesIn(const std::string &dir)
{
    namespace fs = std::filesystem;
    std::error_code error;
    fs::directory_iterator it(dir, error);
    if (error)
        throw Error(fileMessage(dir, "cannot list the folder: " + error.message()));
    static const std::string prefix = "events.out.tfevents.";
    std::vector<std::string> names;
    for (const fs::directory_iterator end; it != end;) {
        std::string name = it->path().filename().string();
        std::error_code statusError; // an entry removed meanwhile is simply not listed
        if (name.compare(0, prefix.size(), prefix) == 0 && it->is_regular_file(statusError))
            names.push_back(std::move(name));
        it.increment(error);
        if (error)
            throw Error(fileMessage(dir, "cannot list the folder: " + error.message()));
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace embedlab
