#pragma once
// TensorBoard event files (events.out.tfevents.*): TFRecord frames of Event protocol buffers,
// written append-only during a run and read back as scalar series.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace embedlab {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord frames. Pass
// the previous result as crc to continue over another piece: crc32c(b, crc32c(a)) equals the
// CRC of a followed by b.
std::uint32_t crc32c(const void *data, std::size_t n, std::uint32_t crc = 0);

// TensorFlow's crc32c::Mask: a CRC stored next to the data it covers is rotated and offset so
// that the CRC of a buffer that itself contains CRCs does not degenerate.
constexpr std::uint32_t maskedCrc32c(std::uint32_t crc)
{
    return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

// The version string of the first event of every file, as TensorFlow and TensorBoard write it.
constexpr const char *EventFileVersion = "brain.Event:2";

// Appends Events to a new file events.out.tfevents.<unix seconds, 10 digits>.<hostname><suffix>
// in a directory, the name TensorFlow's EventsWriter gives it, so that TensorBoard reads the
// folder as a run. Each event is one TFRecord frame: little-endian uint64 length, its masked
// CRC-32C, the serialized Event, the masked CRC-32C of those bytes. A process that dies mid-run
// leaves every frame it flushed readable. Not thread-safe: one thread writes.
class EventFileWriter
{
public:
    // Creates directory (and its parents) if missing, then the file, and writes the file_version
    // event. When a file of that name exists already (two writers started within one second),
    // ".1", ".2", ... goes after the hostname rather than appending to another writer's file.
    // Throws Error naming the path and strerror.
    explicit EventFileWriter(const std::string &directory, const std::string &suffix = {});
    ~EventFileWriter(); // closes the file; buffered events are written, errors ignored
    EventFileWriter(const EventFileWriter &) = delete;
    EventFileWriter &operator=(const EventFileWriter &) = delete;

    const std::string &path() const { return m_path; }

    // One Event at step holding one Summary.Value (tag, simple_value). wallTime is seconds since
    // the Unix epoch. Throws Error naming the path and strerror when the write fails.
    void addScalar(const std::string &tag, std::int64_t step, float value, double wallTime);
    // One Event holding a Summary.Value per (tag, value), in the given order.
    void addScalars(std::int64_t step, double wallTime,
        const std::vector<std::pair<std::string, float>> &values);

    // Hands the buffered frames to the operating system (fflush): they survive the process
    // dying, though not a power cut. Throws Error naming the path and strerror. After a failed
    // write or flush every later call throws too: a frame written after a partial one would be
    // unreadable, while a partial last frame is only a truncated file.
    void flush();

private:
    void writeRecord(const std::string &data);
    void checkNotFailed() const;

    std::string m_path;
    std::FILE *m_file = nullptr;
    bool m_failed = false;
};

// The serialized Event protocol buffer (tensorboard/compat/proto/event.proto) of the first
// event of a file, and of an event with scalar values, as the Python protobuf library writes
// them: fields in number order, wall_time and step left out when zero.
std::string encodeFileVersionEvent(double wallTime, const std::string &version = EventFileVersion);
std::string encodeScalarEvent(
    std::int64_t step, double wallTime, const std::vector<std::pair<std::string, float>> &values);
// A TFRecord frame around data.
std::string tfRecord(const std::string &data);

// One Summary.Value with a simple_value.
struct ScalarEvent
{
    double wallTime = 0;
    std::int64_t step = 0;
    std::string tag;
    float value = 0;
};

struct EventFileContents
{
    std::string fileVersion; // of the first event that has one; empty if none does
    std::vector<ScalarEvent> scalars; // in file order
    std::size_t records = 0; // complete frames read
    // The file ends inside a frame (its writer was stopped mid-write): the frames before it
    // were read and the incomplete one, which starts at byte truncatedAt, was not.
    bool truncated = false;
    std::uint64_t truncatedAt = 0;
};

// Reads every frame, checking both CRCs of each, and collects the simple_value scalars; values
// of other kinds (tensors, histograms, images) and fields this reader does not know are
// skipped. Throws Error "path: record N at byte B: reason" (records counted from 1, bytes from
// 0) for a damaged frame or an Event that is not valid protocol buffer encoding.
EventFileContents readEventFile(const std::string &path);

// Names (not paths) of the regular files in dir whose names start with "events.out.tfevents.",
// sorted by name, which for the files of one host is the order they were created in. Throws
// Error naming dir when it cannot be listed.
std::vector<std::string> eventFilesIn(const std::string &dir);

} // namespace embedlab
