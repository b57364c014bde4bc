// Tests for the run folder's files: TensorBoard event files (core/tfevents), float16
// (core/float16) and embedding snapshots (core/snapshotfile).
#include "core/corpus.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/float16.h"
#include "core/runlog.h"
#include "core/snapshotfile.h"
#include "core/tfevents.h"

#include "filesizelimit.h"

#include <nlohmann/json.hpp>
#include <zstd.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <random>

#include <unistd.h>

using namespace embedlab;
using Json = nlohmann::json;
using Scalars = std::vector<std::pair<std::string, float>>;

namespace {

const std::string RunLogData = EMBEDLAB_TEST_DATA "/runlog/";

std::string toStd(const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    return std::string(utf8.constData(), std::size_t(utf8.size()));
}

QString toQ(const std::string &s)
{
    return QString::fromStdString(s);
}

// Without writeFileAtomically's fsync: the tests write many small files.
void writeBytes(const std::string &path, const std::string &bytes)
{
    QFile file(toQ(path));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
}

// The message of the embedlab::Error that f throws, or "<no exception>".
template <typename F> QString errorFrom(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromUtf8(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("<other exception: %1>").arg(QString::fromUtf8(e.what()));
    }
    return QStringLiteral("<no exception>");
}

std::uint32_t bitsOf(float f)
{
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

float floatOf(std::uint32_t bits)
{
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

std::uint32_t hexBits(const Json &value)
{
    return static_cast<std::uint32_t>(std::stoul(value.get<std::string>(), nullptr, 16));
}

Json expectations()
{
    return Json::parse(readFile(RunLogData + "expected.json"));
}

// Byte offsets at which the TFRecord frames of a well-formed file start.
std::vector<std::size_t> frameStarts(const std::string &file)
{
    std::vector<std::size_t> starts;
    for (std::size_t offset = 0; offset + 12 <= file.size();) {
        starts.push_back(offset);
        std::uint64_t length = 0;
        for (int i = 0; i < 8; ++i)
            length |= static_cast<std::uint64_t>(static_cast<unsigned char>(file[offset + i]))
                << (8 * i);
        offset += 16 + length;
    }
    return starts;
}

// A protocol buffer encoder of its own, for Events the writer would never produce.
std::string varint(std::uint64_t v)
{
    std::string out;
    while (v >= 0x80) {
        out += char((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += char(v);
    return out;
}

std::string key(int field, int wireType)
{
    return varint((std::uint64_t(field) << 3) | std::uint64_t(wireType));
}

std::string lengthDelimited(int field, const std::string &bytes)
{
    return key(field, 2) + varint(bytes.size()) + bytes;
}

std::string fixed32(int field, std::uint32_t v)
{
    std::string out = key(field, 5);
    for (int i = 0; i < 4; ++i)
        out += char((v >> (8 * i)) & 0xFF);
    return out;
}

std::string simpleValue(const std::string &tag, float value)
{
    return lengthDelimited(1, tag) + fixed32(2, bitsOf(value));
}

void compareScalars(
    const std::vector<ScalarEvent> &actual, const std::vector<ScalarEvent> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const QByteArray where = QByteArray::number(qulonglong(i));
        QVERIFY2(actual[i].tag == expected[i].tag, where.constData());
        QVERIFY2(actual[i].step == expected[i].step, where.constData());
        QVERIFY2(actual[i].wallTime == expected[i].wallTime, where.constData());
        QVERIFY2(bitsOf(actual[i].value) == bitsOf(expected[i].value), where.constData());
    }
}

std::vector<ScalarEvent> scalarsOf(const Json &expected)
{
    std::vector<ScalarEvent> scalars;
    for (const Json &s : expected.at("scalars"))
        scalars.push_back({ s.at("wall_time").get<double>(), s.at("step").get<std::int64_t>(),
            s.at("tag").get<std::string>(), floatOf(hexBits(s.at("value_bits"))) });
    return scalars;
}

bool isNanHalf(std::uint16_t h)
{
    return (h & 0x7C00u) == 0x7C00u && (h & 0x3FFu) != 0;
}

// The bytes inside a snapshot's zstd frame.
std::string snapshotContent(const std::string &magic, std::int64_t step, std::int32_t rows,
    std::int32_t cols, std::size_t halves)
{
    std::string s = magic;
    for (int i = 0; i < 8; ++i)
        s += char((std::uint64_t(step) >> (8 * i)) & 0xFF);
    for (std::int32_t v : { rows, cols })
        for (int i = 0; i < 4; ++i)
            s += char((std::uint32_t(v) >> (8 * i)) & 0xFF);
    s.append(2 * halves, '\x3c'); // 0x3C3C: 1.05859375
    return s;
}

std::string zstdFrame(const std::string &content, bool checksum = true, bool contentSize = true)
{
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, contentSize ? 1 : 0);
    std::string out(ZSTD_compressBound(content.size()), '\0');
    const std::size_t n
        = ZSTD_compress2(cctx, out.data(), out.size(), content.data(), content.size());
    ZSTD_freeCCtx(cctx);
    if (ZSTD_isError(n))
        return {};
    out.resize(n);
    return out;
}

std::vector<float> normalTable(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(n);
    for (float &v : values)
        v = normal(rng) * 0.1f;
    return values;
}

} // namespace

class TestRunLog : public QObject
{
    Q_OBJECT

private slots:
    void crc32cKnownValues_data();
    void crc32cKnownValues();
    void crc32cInPieces();

    void eventFileRoundTrip();
    void eventFileNames();
    void eventFilesInFolder();
    void referenceFixture();
    void encodingMatchesProtobuf();
    void corruptRecords_data();
    void corruptRecords();
    void truncatedEventFile();
    void malformedEvents_data();
    void malformedEvents();
    void oneofLastWins();
    void eventWriterErrors();

    void halfMatchesNumpy();
    void halfRounding_data();
    void halfRounding();
    void halfRoundTripEveryValue();

    void snapshotRoundTrip_data();
    void snapshotRoundTrip();
    void snapshotSmallerThanFloat32();
    void snapshotCompressionLevels();
    void snapshotRefusals_data();
    void snapshotRefusals();
    void snapshotDamaged();
    void snapshotAbsurdSize();
    void snapshotWriteErrors();

    void runFolderRoundTrip();
    void runTokenizerSettings();
    void runFolderSurvivesACrash();
    void continuedRunReplacesLaterLines();
};

// --- CRC-32C ---

void TestRunLog::crc32cKnownValues_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<uint>("crc");
    QTest::newRow("check value") << QByteArray("123456789") << 0xE3069283u;
    QTest::newRow("empty") << QByteArray() << 0u;
    // RFC 3720 (iSCSI) appendix B.4.
    QTest::newRow("32 zeros") << QByteArray(32, '\0') << 0x8A9136AAu;
    QTest::newRow("32 x 0xFF") << QByteArray(32, '\xFF') << 0x62A8AB43u;
    QByteArray ascending, descending;
    for (int i = 0; i < 32; ++i) {
        ascending += char(i);
        descending += char(31 - i);
    }
    QTest::newRow("0 ... 31") << ascending << 0x46DD794Eu;
    QTest::newRow("31 ... 0") << descending << 0x113FDB5Cu;
}

void TestRunLog::crc32cKnownValues()
{
    QFETCH(QByteArray, data);
    QFETCH(uint, crc);
    QCOMPARE(crc32c(data.constData(), std::size_t(data.size())), std::uint32_t(crc));
    QCOMPARE(toQ(expectations().at("crc32c_123456789").get<std::string>()),
        QStringLiteral("0xe3069283"));
}

void TestRunLog::crc32cInPieces()
{
    std::string data;
    for (int i = 0; i < 300; ++i)
        data += char((i * 7919) & 0xFF);
    const std::uint32_t whole = crc32c(data.data(), data.size());
    for (std::size_t cut = 0; cut <= data.size(); ++cut) {
        const std::uint32_t first = crc32c(data.data(), cut);
        QCOMPARE(crc32c(data.data() + cut, data.size() - cut, first), whole);
    }
    QCOMPARE(crc32c("123456789", 9), crc32c("6789", 4, crc32c("12345", 5)));
    QCOMPARE(maskedCrc32c(0), 0xA282EAD8u);
}

// --- Event files ---

void TestRunLog::eventFileRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::time_t before = std::time(nullptr);
    std::vector<ScalarEvent> written;
    std::string path;
    {
        EventFileWriter writer(toStd(dir.path()));
        path = writer.path();
        for (std::int64_t step = 0; step < 40; ++step) {
            const double wall = 1.7e9 + double(step) * 0.37 + 1.0 / 3.0;
            const float loss = 7.0f / float(step + 1);
            writer.addScalar("loss", step, loss, wall);
            written.push_back({ wall, step, "loss", loss });
            if (step % 5 == 0) {
                const Scalars values = { { "valid/loss", loss * 1.5f }, { "lr", 20.0f / 3.0f },
                    { "grad_norm", std::ldexp(1.0f, -140) } };
                writer.addScalars(step, wall + 0.5, values);
                for (const auto &[tag, value] : values)
                    written.push_back({ wall + 0.5, step, tag, value });
            }
        }
        writer.addScalar("negative step", -12345678901LL, -0.0f, 0.0);
        written.push_back({ 0.0, -12345678901LL, "negative step", -0.0f });
        writer.flush();
    }
    const std::time_t after = std::time(nullptr);

    char host[256] = {};
    QCOMPARE(::gethostname(host, sizeof host - 1), 0);
    const QRegularExpression name(QStringLiteral("^events\\.out\\.tfevents\\.(\\d{10})\\.%1$")
                                      .arg(QRegularExpression::escape(QString::fromUtf8(host))));
    const QString fileName = QFileInfo(toQ(path)).fileName();
    const QRegularExpressionMatch match = name.match(fileName);
    QVERIFY2(match.hasMatch(), qPrintable(fileName));
    QCOMPARE(QFileInfo(toQ(path)).absolutePath(), QDir(dir.path()).absolutePath());
    const qint64 seconds = match.captured(1).toLongLong();
    QVERIFY(seconds >= before && seconds <= after);

    const EventFileContents contents = readEventFile(path);
    QCOMPARE(toQ(contents.fileVersion), QStringLiteral("brain.Event:2"));
    QCOMPARE(contents.records, std::size_t(1 + 40 + 8 + 1));
    QVERIFY(!contents.truncated);
    compareScalars(contents.scalars, written);

    // The first record is the file_version event, stamped with the time the file was made.
    const std::string file = readFile(path);
    const std::vector<std::size_t> starts = frameStarts(file);
    QCOMPARE(starts.size(), contents.records);
    const std::string first = file.substr(12, starts[1] - 16);
    QCOMPARE(first.at(0), '\x09'); // wall_time, a double
    double wall = 0;
    std::memcpy(&wall, first.data() + 1, 8);
    QVERIFY(wall >= double(before) && wall < double(after) + 1);
    QCOMPARE(QByteArray::fromStdString(first.substr(9)),
        QByteArray("\x1a\x0d"
                   "brain.Event:2"));
}

void TestRunLog::eventFileNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string folder = toStd(dir.filePath("run/nested"));
    // Writers started within one second get names of their own, never each other's file.
    std::vector<std::string> paths;
    {
        EventFileWriter a(folder), b(folder), c(folder, ".v2");
        a.addScalar("x", 1, 1.0f, 1.0);
        b.addScalar("x", 2, 2.0f, 2.0);
        c.addScalar("x", 3, 3.0f, 3.0);
        paths = { a.path(), b.path(), c.path() };
    }
    QVERIFY(paths[0] != paths[1]);
    QVERIFY(toQ(paths[2]).endsWith(QStringLiteral(".v2")));
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const EventFileContents contents = readEventFile(paths[i]);
        QCOMPARE(contents.records, std::size_t(2));
        QCOMPARE(contents.scalars.size(), std::size_t(1));
        QCOMPARE(contents.scalars[0].step, std::int64_t(i + 1));
    }
    if (QFileInfo(toQ(paths[0])).fileName().size() == QFileInfo(toQ(paths[1])).fileName().size())
        QSKIP("the clock moved to the next second between the writers");
    QCOMPARE(toQ(paths[1]), toQ(paths[0]) + QStringLiteral(".1"));
}

void TestRunLog::eventFilesInFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string folder = toStd(dir.path());
    for (const char *name :
        { "events.out.tfevents.1700000002.b", "notes.txt", "events.out.tfevents.1700000001.a.v2",
            "xevents.out.tfevents.1", "model.safetensors", "events.out.tfevents.1700000001.a" })
        writeBytes(folder + "/" + name, "");
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("events.out.tfevents.folder")));
    const std::vector<std::string> expected = { "events.out.tfevents.1700000001.a",
        "events.out.tfevents.1700000001.a.v2", "events.out.tfevents.1700000002.b" };
    QVERIFY(eventFilesIn(folder) == expected);

    const std::string missing = folder + "/missing";
    const QString message = errorFrom([&] { eventFilesIn(missing); });
    QVERIFY2(message.startsWith(toQ(missing) + ": cannot list the folder"), qPrintable(message));
}

void TestRunLog::referenceFixture()
{
    const Json expected = expectations().at("reference");
    const EventFileContents contents = readEventFile(RunLogData + "reference.tfevents");
    QCOMPARE(toQ(contents.fileVersion), toQ(expected.at("file_version").get<std::string>()));
    QCOMPARE(contents.records, expected.at("records").get<std::size_t>());
    QVERIFY(!contents.truncated);
    const std::vector<ScalarEvent> scalars = scalarsOf(expected);
    // loss at steps 0, 1 and 3, lr, accuracy, four edge values, and two at step -7; not the
    // histogram, the tensor, the session log or the graph.
    QCOMPARE(scalars.size(), std::size_t(11));
    compareScalars(contents.scalars, scalars);
    QCOMPARE(toQ(contents.scalars.back().tag), QStringLiteral("损失/训练"));
}

void TestRunLog::encodingMatchesProtobuf()
{
    const Json simple = expectations().at("simple");
    const std::string fixture = readFile(RunLogData + "simple.tfevents");

    std::string encoded
        = tfRecord(encodeFileVersionEvent(simple.at("file_version_wall_time").get<double>()));
    std::string tail; // everything after the file_version event
    for (const Json &event : simple.at("events")) {
        Scalars values;
        for (const Json &v : event.at("values"))
            values.emplace_back(v.at(0).get<std::string>(), floatOf(hexBits(v.at(1))));
        tail += tfRecord(encodeScalarEvent(
            event.at("step").get<std::int64_t>(), event.at("wall_time").get<double>(), values));
    }
    encoded += tail;
    QCOMPARE(
        QByteArray::fromStdString(encoded).toHex(), QByteArray::fromStdString(fixture).toHex());

    // EventFileWriter writes the same frames after its own file_version event.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::string path;
    {
        EventFileWriter writer(toStd(dir.path()));
        path = writer.path();
        for (const Json &event : simple.at("events")) {
            const auto step = event.at("step").get<std::int64_t>();
            const auto wall = event.at("wall_time").get<double>();
            Scalars values;
            for (const Json &v : event.at("values"))
                values.emplace_back(v.at(0).get<std::string>(), floatOf(hexBits(v.at(1))));
            if (values.size() == 1)
                writer.addScalar(values[0].first, step, values[0].second, wall);
            else
                writer.addScalars(step, wall, values);
        }
    }
    const std::string written = readFile(path);
    const std::size_t firstEnd = frameStarts(written).at(1);
    QCOMPARE(QByteArray::fromStdString(written.substr(firstEnd)).toHex(),
        QByteArray::fromStdString(tail).toHex());

    const EventFileContents contents = readEventFile(RunLogData + "simple.tfevents");
    QCOMPARE(contents.records, simple.at("records").get<std::size_t>());
    compareScalars(contents.scalars, scalarsOf(simple));
}

void TestRunLog::corruptRecords_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("record");
    QTest::addColumn<qlonglong>("offset");
    QTest::addColumn<QString>("reason");

    const std::string fixture = readFile(RunLogData + "simple.tfevents");
    const std::vector<std::size_t> starts = frameStarts(fixture);
    const int last = int(starts.size());
    QVERIFY(last >= 5);
    const auto flipped = [&](std::size_t at) {
        QByteArray bytes = QByteArray::fromStdString(fixture);
        bytes[qsizetype(at)] = char(bytes[qsizetype(at)] ^ 0x20);
        return bytes;
    };
    const QString dataCrc = QStringLiteral("data CRC mismatch (stored 0x");
    const QString lengthCrc = QStringLiteral("length CRC mismatch (stored 0x");
    QTest::newRow("data byte of record 3")
        << flipped(starts[2] + 12 + 3) << 3 << qlonglong(starts[2]) << dataCrc;
    QTest::newRow("data CRC of the last record")
        << flipped(fixture.size() - 1) << last << qlonglong(starts.back()) << dataCrc;
    QTest::newRow("length of record 2")
        << flipped(starts[1]) << 2 << qlonglong(starts[1]) << lengthCrc;
    QTest::newRow("length CRC of record 4")
        << flipped(starts[3] + 9) << 4 << qlonglong(starts[3]) << lengthCrc;
    // The stored CRC is the text's bytes 8 to 11, "s\n1,", read as a little-endian number.
    QTest::newRow("not an event file") << QByteArray("step,loss\n1,6.25\n2,5.5\n") << 1 << 0LL
                                       << QStringLiteral("length CRC mismatch (stored 0x2c310a73");
    QTest::newRow("zeros after the last record")
        << QByteArray::fromStdString(fixture) + QByteArray(64, '\0') << last + 1
        << qlonglong(fixture.size()) << lengthCrc;
}

void TestRunLog::corruptRecords()
{
    QFETCH(QByteArray, file);
    QFETCH(int, record);
    QFETCH(qlonglong, offset);
    QFETCH(QString, reason);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("events.out.tfevents.1.host"));
    writeBytes(path, file.toStdString());
    const QString message = errorFrom([&] { readEventFile(path); });
    const QString where
        = QStringLiteral("%1: record %2 at byte %3: ").arg(toQ(path)).arg(record).arg(offset);
    QVERIFY2(message.startsWith(where + reason), qPrintable(message));
    if (record == 1)
        QVERIFY2(message.contains("not a TensorBoard event file"), qPrintable(message));
}

void TestRunLog::truncatedEventFile()
{
    const std::string fixture = readFile(RunLogData + "simple.tfevents");
    const std::vector<std::size_t> starts = frameStarts(fixture);
    const EventFileContents whole = readEventFile(RunLogData + "simple.tfevents");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("events.out.tfevents.1.host"));

    const Json events = expectations().at("simple").at("events"); // records 1, 2, ...
    const std::size_t n = starts.size();
    QVERIFY(n >= 3);

    // Cut at every byte of the last two frames: a cut at a frame boundary is a complete file.
    for (std::size_t cut = starts[n - 2]; cut < fixture.size(); ++cut) {
        writeBytes(path, fixture.substr(0, cut));
        const EventFileContents contents = readEventFile(path);
        const std::size_t complete = cut < starts[n - 1] ? n - 2 : n - 1;
        const std::size_t start = starts[complete];
        const QByteArray where = "cut at " + QByteArray::number(qulonglong(cut));
        QVERIFY2(contents.truncated == (cut != start), where.constData());
        if (cut != start)
            QVERIFY2(contents.truncatedAt == start, where.constData());
        QVERIFY2(contents.records == complete, where.constData());
        QCOMPARE(toQ(contents.fileVersion), QStringLiteral("brain.Event:2"));
        // Earlier records are intact: the scalars of the complete events, as in the whole file.
        std::size_t kept = 0;
        for (std::size_t record = 1; record < complete; ++record)
            kept += events.at(record - 1).at("values").size();
        QVERIFY2(contents.scalars.size() == kept, where.constData());
        compareScalars(contents.scalars,
            std::vector<ScalarEvent>(whole.scalars.begin(), whole.scalars.begin() + kept));
    }
}

void TestRunLog::malformedEvents_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QString>("reason");
    const auto row = [](const char *name, const std::string &event, const char *reason) {
        QTest::newRow(name) << QByteArray::fromStdString(event) << QString::fromUtf8(reason);
    };
    row("varint cut off", "\x10\xFF", "a varint runs past the end of its message");
    row("varint of 11 bytes", "\x10" + std::string(10, '\xFF') + "\x01",
        "a varint is longer than 10 bytes");
    row("key cut off", "\x09" + std::string(8, '\0') + "\x80", "a varint runs past the end");
    row("length beyond the record",
        "\x2A\x10"
        "abc",
        "a length-delimited field of 16 bytes runs past the end of its message");
    row("length beyond the summary", lengthDelimited(5, "\x0A\x02\x0A\x09"),
        "a length-delimited field of 9 bytes runs past the end of its message");
    row("double cut off", std::string("\x09\x00\x00", 3),
        "a fixed-size field runs past the end of its message");
    row("float cut off in a value", lengthDelimited(5, lengthDelimited(1, "\x15\x00")),
        "a fixed-size field runs past the end of its message");
    row("group", "\x0B", "field 1 is a group (wire type 3), which no TensorBoard message uses");
    row("wire type 7", "\x17", "field 2 has wire type 7, which protocol buffers do not define");
    row("field number 0", std::string("\x00\x00", 2), "field number 0 out of range");
}

void TestRunLog::malformedEvents()
{
    QFETCH(QByteArray, event);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("events.out.tfevents.1.host"));
    const std::string first = tfRecord(encodeFileVersionEvent(1.0));
    writeBytes(path, first + tfRecord(event.toStdString()) + tfRecord(encodeScalarEvent(1, 2, {})));
    const QString message = errorFrom([&] { readEventFile(path); });
    const QString expected = QStringLiteral("%1: record 2 at byte %2: not a valid Event protocol "
                                            "buffer: %3")
                                 .arg(toQ(path))
                                 .arg(first.size())
                                 .arg(reason);
    QVERIFY2(message.startsWith(expected), qPrintable(message + "\nexpected: " + expected));
}

// Members of a oneof replace each other, as protobuf parsers have it; unknown fields and known
// fields of an unexpected wire type are skipped.
void TestRunLog::oneofLastWins()
{
    const std::string tensor = lengthDelimited(8, lengthDelimited(5, std::string(4, '\0')));
    const std::string events[] = {
        // value: simple_value, then tensor -> not a scalar
        lengthDelimited(5, lengthDelimited(1, simpleValue("replaced", 1.0f) + tensor)),
        // value: tensor, then simple_value -> a scalar
        lengthDelimited(
            5, lengthDelimited(1, lengthDelimited(1, "kept") + tensor + fixed32(2, bitsOf(2.0f)))),
        // event: summary, then file_version -> no scalars, a file version
        lengthDelimited(5, lengthDelimited(1, simpleValue("cleared", 3.0f)))
            + lengthDelimited(3, "brain.Event:2"),
        // event: file_version, then summary -> a scalar
        lengthDelimited(3, "brain.Event:1")
            + lengthDelimited(5, lengthDelimited(1, simpleValue("after", 4.0f))),
        // event: a summary in two pieces merges; step as a fixed32 is not the step
        key(2, 0) + varint(9) + lengthDelimited(5, lengthDelimited(1, simpleValue("one", 5.0f)))
            + fixed32(2, 77) + lengthDelimited(5, lengthDelimited(1, simpleValue("two", 6.0f))),
        // event: a session_log replaces the summary
        lengthDelimited(5, lengthDelimited(1, simpleValue("session", 7.0f)))
            + lengthDelimited(7, key(1, 0) + varint(1)),
    };
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("events.out.tfevents.1.host"));
    std::string file;
    for (const std::string &event : events)
        file += tfRecord(event);
    writeBytes(path, file);
    const EventFileContents contents = readEventFile(path);
    QCOMPARE(contents.records, std::size_t(6));
    QCOMPARE(toQ(contents.fileVersion), QStringLiteral("brain.Event:2"));
    compareScalars(contents.scalars,
        { { 0, 0, "kept", 2.0f }, { 0, 0, "after", 4.0f }, { 0, 9, "one", 5.0f },
            { 0, 9, "two", 6.0f } });
}

void TestRunLog::eventWriterErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string blocker = toStd(dir.filePath("file"));
    writeBytes(blocker, "not a folder");
    QString message = errorFrom([&] { EventFileWriter writer(blocker + "/run"); });
    QVERIFY2(message.startsWith(toQ(blocker)), qPrintable(message));

    // A full disk: the error names the file, later calls refuse to write after a partial frame,
    // and what reached the file reads back as complete frames and perhaps one cut-off one.
    const std::string folder = toStd(dir.filePath("run"));
    std::unique_ptr<EventFileWriter> writer;
    std::int64_t written = 0;
    {
        const FileSizeLimit full(3000);
        QVERIFY(full.active());
        writer = std::make_unique<EventFileWriter>(folder);
        message = errorFrom([&] {
            for (; written < 100000; ++written) {
                writer->addScalar("loss", written, 1.0f, 1.0);
                if (written % 10 == 9)
                    writer->flush();
            }
        });
        QVERIFY2(message.startsWith(toQ(writer->path()) + ": cannot write: "), qPrintable(message));
        QVERIFY2(message.contains(QString::fromUtf8(std::strerror(EFBIG))), qPrintable(message));
        message = errorFrom([&] { writer->addScalar("loss", 0, 1.0f, 1.0); });
        QVERIFY2(message.contains("an earlier write failed"), qPrintable(message));
        message = errorFrom([&] { writer->flush(); });
        QVERIFY2(message.contains("an earlier write failed"), qPrintable(message));
    }
    const std::string path = writer->path();
    writer.reset();
    QVERIFY(QFileInfo(toQ(path)).size() <= 3000);
    const EventFileContents contents = readEventFile(path);
    QVERIFY(contents.scalars.size() > 0);
    QVERIFY(std::int64_t(contents.scalars.size()) <= written);
    for (std::size_t i = 0; i < contents.scalars.size(); ++i)
        QCOMPARE(contents.scalars[i].step, std::int64_t(i));
}

// --- float16 ---

void TestRunLog::halfMatchesNumpy()
{
    QFile file(toQ(RunLogData + "half.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    std::vector<float> inputs;
    std::vector<std::uint16_t> expected;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.split(' ');
        QCOMPARE(fields.size(), qsizetype(2));
        bool ok1 = false, ok2 = false;
        inputs.push_back(floatOf(fields[0].toUInt(&ok1, 16)));
        expected.push_back(std::uint16_t(fields[1].toUInt(&ok2, 16)));
        QVERIFY(ok1 && ok2);
    }
    QVERIFY(inputs.size() > 8000);
    std::vector<std::uint16_t> bulk(inputs.size());
    floatsToHalves(inputs.data(), bulk.data(), inputs.size());
    std::size_t nans = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::uint16_t half = floatToHalf(inputs[i]);
        QCOMPARE(bulk[i], half);
        const bool ok = isNanHalf(expected[i]) ? isNanHalf(half) : half == expected[i];
        nans += isNanHalf(expected[i]);
        if (!ok)
            QFAIL(qPrintable(QStringLiteral("float 0x%1 (%2): 0x%3, numpy 0x%4")
                                 .arg(bitsOf(inputs[i]), 8, 16, QLatin1Char('0'))
                                 .arg(double(inputs[i]), 0, 'g', 9)
                                 .arg(half, 4, 16, QLatin1Char('0'))
                                 .arg(expected[i], 4, 16, QLatin1Char('0'))));
    }
    QVERIFY(nans >= 6);
}

void TestRunLog::halfRounding_data()
{
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("half");
    QTest::newRow("1") << 1.0f << 0x3C00;
    QTest::newRow("1 + 2^-11, a tie: to even") << 1.0f + std::ldexp(1.0f, -11) << 0x3C00;
    QTest::newRow("1 + 3 * 2^-11, a tie: to even") << 1.0f + 3 * std::ldexp(1.0f, -11) << 0x3C02;
    QTest::newRow("just above a tie")
        << std::nextafter(1.0f + std::ldexp(1.0f, -11), 2.0f) << 0x3C01;
    QTest::newRow("largest half") << 65504.0f << 0x7BFF;
    QTest::newRow("below 65520") << std::nextafter(65520.0f, 0.0f) << 0x7BFF;
    QTest::newRow("65520 overflows") << 65520.0f << 0x7C00;
    QTest::newRow("-1e9") << -1e9f << 0xFC00;
    QTest::newRow("smallest normal") << std::ldexp(1.0f, -14) << 0x0400;
    QTest::newRow("largest subnormal rounds up")
        << std::nextafter(std::ldexp(1.0f, -14), 0.0f) << 0x0400;
    QTest::newRow("smallest subnormal") << std::ldexp(1.0f, -24) << 0x0001;
    QTest::newRow("2^-25, a tie with zero") << std::ldexp(1.0f, -25) << 0x0000;
    QTest::newRow("above 2^-25") << std::nextafter(std::ldexp(1.0f, -25), 1.0f) << 0x0001;
    QTest::newRow("1.5 * 2^-24, a tie: to even") << 1.5f * std::ldexp(1.0f, -24) << 0x0002;
    QTest::newRow("2.5 * 2^-24, a tie: to even") << 2.5f * std::ldexp(1.0f, -24) << 0x0002;
    QTest::newRow("-tiny") << -1e-30f << 0x8000;
    QTest::newRow("-0") << -0.0f << 0x8000;
    QTest::newRow("inf") << std::numeric_limits<float>::infinity() << 0x7C00;
    QTest::newRow("quiet NaN") << std::numeric_limits<float>::quiet_NaN() << 0x7E00;
    QTest::newRow("NaN with only low payload bits stays NaN") << floatOf(0x7F800001u) << 0x7E00;
    QTest::newRow("negative NaN keeps payload") << floatOf(0xFFA02000u) << 0xFF01;
}

void TestRunLog::halfRounding()
{
    QFETCH(float, value);
    QFETCH(int, half);
    QCOMPARE(floatToHalf(value), std::uint16_t(half));
}

void TestRunLog::halfRoundTripEveryValue()
{
    std::vector<std::uint16_t> all(65536);
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = std::uint16_t(i);
    std::vector<float> floats(all.size());
    halvesToFloats(all.data(), floats.data(), all.size());
    std::vector<std::uint16_t> back(all.size());
    floatsToHalves(floats.data(), back.data(), floats.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        QCOMPARE(bitsOf(floats[i]), bitsOf(halfToFloat(all[i])));
        const std::uint16_t h = all[i];
        // A NaN comes back quiet, with its payload otherwise kept.
        const std::uint16_t expected = isNanHalf(h) ? std::uint16_t(h | 0x200u) : h;
        if (back[i] != expected)
            QFAIL(qPrintable(QStringLiteral("0x%1 -> 0x%2").arg(h, 4, 16).arg(back[i], 4, 16)));
    }
}

// --- Embedding snapshots ---

void TestRunLog::snapshotRoundTrip_data()
{
    QTest::addColumn<qlonglong>("step");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<bool>("specials");
    QTest::newRow("2000 x 64") << 12345LL << 2000 << 64 << false;
    QTest::newRow("one value") << 0LL << 1 << 1 << false;
    QTest::newRow("odd sizes, negative step") << -3LL << 37 << 3 << false;
    QTest::newRow("large step") << (1LL << 50) << 3 << 100000 << false;
    QTest::newRow("no rows") << 1LL << 0 << 64 << false;
    QTest::newRow("empty") << 1LL << 0 << 0 << false;
    QTest::newRow("special values") << 7LL << 4 << 5 << true;
}

void TestRunLog::snapshotRoundTrip()
{
    QFETCH(qlonglong, step);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(bool, specials);

    std::vector<float> table = normalTable(std::size_t(rows) * std::size_t(cols), unsigned(rows));
    if (specials) {
        const float inf = std::numeric_limits<float>::infinity();
        const float nan = std::numeric_limits<float>::quiet_NaN();
        table = { 0.0f, -0.0f, inf, -inf, nan, 1e-6f, -1e-6f, 70000.0f, 65504.0f, 1e-10f, 1.0f,
            -2.0f, 0.1f, 1000.5f, 3.14159f, std::ldexp(1.0f, -24), std::ldexp(1.0f, -14), -1e30f,
            0.33333f, 12.0f };
    }
    QCOMPARE(table.size(), std::size_t(rows) * std::size_t(cols));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    writeEmbeddingSnapshot(path, { step, rows, cols }, table.data());
    const EmbeddingSnapshotData read = readEmbeddingSnapshot(path);
    QCOMPARE(read.header.step, std::int64_t(step));
    QCOMPARE(read.header.rows, rows);
    QCOMPARE(read.header.cols, cols);
    QCOMPARE(read.values.size(), table.size());
    const float tolerance = std::ldexp(1.0f, -11);
    for (std::size_t i = 0; i < table.size(); ++i) {
        const float x = table[i], y = read.values[i];
        if (std::isnan(x)) {
            QVERIFY(std::isnan(y));
            continue;
        }
        // Exactly the float16 nearest to the input...
        QCOMPARE(bitsOf(y), bitsOf(halfToFloat(floatToHalf(x))));
        // ...which in the normal range is within half a float16 ulp, relative.
        if (std::fabs(x) >= std::ldexp(1.0f, -14) && std::fabs(x) <= 65504.0f)
            QVERIFY2(std::fabs(y - x) <= tolerance * std::fabs(x),
                qPrintable(QString::number(double(x), 'g', 9)));
    }
}

void TestRunLog::snapshotSmallerThanFloat32()
{
    const int rows = 2000, cols = 64;
    const std::vector<float> table = normalTable(std::size_t(rows) * cols, 1);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    writeEmbeddingSnapshot(path, { 100, rows, cols }, table.data());
    const qint64 size = QFileInfo(toQ(path)).size();
    const qint64 raw = qint64(rows) * cols * qint64(sizeof(float));
    qInfo("2000 x 64 normals * 0.1: %lld bytes, %.1f%% of float32", size,
        100.0 * double(size) / double(raw));
    QVERIFY(size < raw / 2 + 1024);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { "embedding.snap" });
}

void TestRunLog::snapshotCompressionLevels()
{
    const std::vector<float> table = normalTable(300 * 16, 2);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    for (int level : { -5, 1, DefaultSnapshotCompressionLevel, 19 }) {
        writeEmbeddingSnapshot(path, { level, 300, 16 }, table.data(), level);
        const EmbeddingSnapshotData read = readEmbeddingSnapshot(path);
        QCOMPARE(read.header.step, std::int64_t(level));
        for (std::size_t i = 0; i < table.size(); ++i)
            QCOMPARE(bitsOf(read.values[i]), bitsOf(halfToFloat(floatToHalf(table[i]))));
    }
}

void TestRunLog::snapshotRefusals_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("reason");
    const auto row = [](const char *name, const std::string &file, const char *reason) {
        QTest::newRow(name) << QByteArray::fromStdString(file) << QString::fromUtf8(reason);
    };
    const std::string good = snapshotContent("EMBSNAP1", 5, 3, 4, 12);
    row("empty file", "", "not an embedding snapshot: the file does not start with a zstd frame");
    row("text", "0.1 0.2 0.3\n",
        "not an embedding snapshot: the file does not start with a zstd frame");
    row("uncompressed", good,
        "not an embedding snapshot: the file does not start with a zstd frame");
    row("bad magic", zstdFrame(snapshotContent("EMBSNAP2", 5, 3, 4, 12)),
        "not an embedding snapshot: the data starts with \"EMBSNAP2\", not \"EMBSNAP1\"");
    row("binary magic",
        zstdFrame(snapshotContent(std::string("\x89PNG\r\n\x1a\n", 8), 5, 3, 4, 12)),
        "not an embedding snapshot: the data starts with \"\\x89PNG\\x0D\\x0A\\x1A\\x0A\"");
    row("more values than the header says", zstdFrame(snapshotContent("EMBSNAP1", 5, 3, 4, 13)),
        "not an embedding snapshot: the header says 3 x 4 values (48 bytes with the header) but "
        "the zstd frame holds 50 bytes");
    row("fewer values than the header says", zstdFrame(snapshotContent("EMBSNAP1", 5, 3, 4, 11)),
        "the header says 3 x 4 values (48 bytes with the header) but the zstd frame holds 46");
    row("negative rows", zstdFrame(snapshotContent("EMBSNAP1", 5, -3, 4, 12)),
        "not an embedding snapshot: the header says -3 x 4 values");
    row("shorter than the header", zstdFrame("EMBSNAP1"),
        "not an embedding snapshot: the zstd frame holds 8 bytes, fewer than the 24-byte header");
    row("no checksum", zstdFrame(good, false),
        "not an embedding snapshot: the zstd frame has no content checksum");
    row("no content size", zstdFrame(good, true, false),
        "not an embedding snapshot: the zstd frame does not record its content size");
    row("bytes after the frame", zstdFrame(good) + "junk", "4 bytes follow the zstd frame");
    row("two frames", zstdFrame(good) + zstdFrame(good), "bytes follow the zstd frame");
}

void TestRunLog::snapshotRefusals()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    writeBytes(path, file.toStdString());
    const QString message = errorFrom([&] { readEmbeddingSnapshot(path); });
    QVERIFY2(message.startsWith(toQ(path) + ": "), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    if (message.contains("not an embedding snapshot") || message.contains("follow the zstd"))
        QVERIFY2(message.contains("an embedding snapshot is a zstd frame with a content checksum "
                                  "holding \"EMBSNAP1\""),
            qPrintable(message));
}

void TestRunLog::snapshotDamaged()
{
    const std::vector<float> table = normalTable(500 * 32, 3);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    writeEmbeddingSnapshot(path, { 9, 500, 32 }, table.data());
    const std::string good = readFile(path);
    const std::string damaged = toStd(dir.filePath("damaged.snap"));
    const auto messageFor = [&](const std::string &bytes) {
        writeBytes(damaged, bytes);
        return errorFrom([&] { readEmbeddingSnapshot(damaged); });
    };

    for (std::size_t cut : { std::size_t(0), std::size_t(3), std::size_t(5), std::size_t(12),
             std::size_t(40), good.size() / 2, good.size() - 5, good.size() - 1 }) {
        const QString message = messageFor(good.substr(0, cut));
        QVERIFY2(message.startsWith(toQ(damaged) + ": "), qPrintable(message));
        if (cut >= 40)
            QVERIFY2(message.contains("the file ends inside its zstd frame (truncated after "
                         + QString::number(cut) + " bytes)"),
                qPrintable(message));
    }
    // The content checksum is the frame's last 4 bytes.
    std::string bytes = good;
    bytes.back() = char(bytes.back() ^ 1);
    QCOMPARE(messageFor(bytes), toQ(damaged) + ": content checksum mismatch: the file is damaged");
    // Damage inside the compressed data is found by zstd's checks or by the checksum.
    for (std::size_t at = 20; at < good.size() - 4; at += good.size() / 7) {
        bytes = good;
        bytes[at] = char(bytes[at] ^ 0x10);
        const QString message = messageFor(bytes);
        QVERIFY2(message.startsWith(toQ(damaged) + ": content checksum mismatch")
                || message.startsWith(toQ(damaged) + ": corrupt zstd data: ")
                || message.startsWith(toQ(damaged) + ": the file ends inside its zstd frame"),
            qPrintable(message));
    }
    QCOMPARE(readEmbeddingSnapshot(path).values.size(), table.size());
}

// A frame whose header promises (2^31 - 1)^2 values, consistent with its content size, is
// refused before anything that size is allocated.
void TestRunLog::snapshotAbsurdSize()
{
    const std::int32_t big = std::numeric_limits<std::int32_t>::max();
    const std::uint64_t contentSize = 24 + 2 * std::uint64_t(big) * std::uint64_t(big);
    std::string frame = "\x28\xB5\x2F\xFD"; // zstd magic
    frame += char(0xC4); // 8-byte content size, a window descriptor, content checksum
    frame += char(0x00); // 1 KB window
    for (int i = 0; i < 8; ++i)
        frame += char((contentSize >> (8 * i)) & 0xFF);
    const std::string head = snapshotContent("EMBSNAP1", 1, big, big, 0);
    frame += char(head.size() << 3); // a raw block, not the last
    frame += '\0';
    frame += '\0';
    frame += head;

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    writeBytes(path, frame);
    const QString message = errorFrom([&] { readEmbeddingSnapshot(path); });
    QVERIFY2(message
            == toQ(path)
                + ": the snapshot holds 4611686014132420609 values, more than "
                  "this machine's memory can hold as floats",
        qPrintable(message));
}

void TestRunLog::snapshotWriteErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("embedding.snap"));
    const std::vector<float> table = normalTable(6, 4);
    writeEmbeddingSnapshot(path, { 1, 2, 3 }, table.data());
    const std::string before = readFile(path);

    QString message = errorFrom([&] { writeEmbeddingSnapshot(path, { 2, -2, 3 }, table.data()); });
    QCOMPARE(message, toQ(path) + ": cannot write a snapshot of -2 x 3 values");
    message = errorFrom([&] { writeEmbeddingSnapshot(path, { 2, 2, 3 }, table.data(), 100); });
    QVERIFY2(
        message.startsWith(toQ(path) + ": zstd has no compression level 100"), qPrintable(message));
    message = errorFrom([&] { writeEmbeddingSnapshot(path, { 2, 2, 3 }, nullptr); });
    QCOMPARE(message, toQ(path) + ": no data for the snapshot");
    const std::string missing = toStd(dir.filePath("missing/embedding.snap"));
    message = errorFrom([&] { writeEmbeddingSnapshot(missing, { 2, 2, 3 }, table.data()); });
    QVERIFY2(message.startsWith(toQ(missing)), qPrintable(message));
    QVERIFY(readFile(path) == before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { "embedding.snap" });
}

QTEST_GUILESS_MAIN(TestRunLog)
namespace {

Vocabulary runVocab()
{
    return Vocabulary::fromWords(
        { "<pad>", "<unk>", "<eos>", "cat", "dog", "mat" }, { 0, 1, 4, 9, 5, 3 });
}

RunSettings runSettings()
{
    RunSettings s;
    s.model.vocabSize = 6;
    s.model.embeddingDim = 4;
    s.model.hiddenSize = 4;
    s.model.layers = 1;
    s.corpus.name = "cats";
    s.snapshotEvery = 2;
    return s;
}

TrainEvent windowEvent(std::int64_t step, double loss)
{
    TrainEvent e;
    e.step = step;
    e.epoch = 1;
    e.window = step;
    e.tokens = static_cast<std::uint64_t>(step) * 10;
    e.seconds = 0.1 * static_cast<double>(step);
    e.loss = loss;
    e.lr = 20;
    e.gradNorm = 0.5;
    return e;
}

// Records steps first..last (loss = 10 / step) with a snapshot whenever one is due.
void recordSteps(
    RunRecorder &rec, LanguageModel<float> &model, std::int64_t first, std::int64_t last)
{
    for (std::int64_t s = first; s <= last; ++s) {
        model.encoder()(0, 3) = static_cast<float>(s); // the table changes with the step
        rec.recordWindow(windowEvent(s, 10.0 / static_cast<double>(s)));
        if (rec.snapshotDue(s))
            rec.recordSnapshot(windowEvent(s, 0), model);
    }
}

} // namespace

// The tokenizer's options go into run.json; a run recorded before ICU (no "cjk",
// "normalize" or "case_folding") reads back with the tokenizer of its time.
void TestRunLog::runTokenizerSettings()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    RunSettings settings = runSettings();
    settings.tokenizer.lowercase = true;
    settings.tokenizer.cjk = CjkSegmentation::Words;
    settings.tokenizer.normalize = Normalization::Nfkc;
    {
        RunRecorder rec(dir, settings, runVocab());
        rec.finish("finished", 0);
        QVERIFY(rec.error().empty());
    }
    RunData run = readRun(dir);
    QVERIFY(run.settings.tokenizer.lowercase);
    QCOMPARE(run.settings.tokenizer.cjk, CjkSegmentation::Words);
    QCOMPARE(run.settings.tokenizer.normalize, Normalization::Nfkc);
    QCOMPARE(run.settings.tokenizer.folding, CaseFolding::Full);

    const std::string path = dir + "/" + RunSettingsFile;
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(readTextFile(path));
    for (const char *key : { "cjk", "normalize", "case_folding" })
        j["tokenizer"].erase(key);
    writeFileAtomically(path, j.dump(2));
    run = readRun(dir);
    QVERIFY(run.settings.tokenizer.lowercase);
    QCOMPARE(run.settings.tokenizer.cjk, CjkSegmentation::Chars);
    QCOMPARE(run.settings.tokenizer.normalize, Normalization::None);
    QCOMPARE(run.settings.tokenizer.folding, CaseFolding::Simple);
}

void TestRunLog::runFolderRoundTrip()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    LanguageModel<float> model(runSettings().model);
    model.initRandom(1);
    {
        RunRecorder rec(dir, runSettings(), runVocab());
        QVERIFY(!rec.continued());
        rec.recordSnapshot(0, model);
        recordSteps(rec, model, 1, 7);
        TrainEvent epoch = windowEvent(7, 0);
        epoch.kind = TrainEvent::Kind::Epoch;
        epoch.trainLoss = 2.5;
        epoch.validLoss = 2.25;
        epoch.validPerplexity = std::exp(2.25);
        rec.recordEpoch(epoch);
        rec.finish("finished", 7);
        QVERIFY(rec.error().empty());
    }
    QVERIFY(isRunFolder(dir));
    const RunData run = readRun(dir);
    QCOMPARE(run.settings.status, std::string("finished"));
    QCOMPARE(run.settings.steps, std::int64_t(7));
    QCOMPARE(run.settings.name, std::string("run")); // the folder's name
    QCOMPARE(run.words, runVocab().words());
    QCOMPARE(run.scalars.size(), std::size_t(7));
    QCOMPARE(run.scalars[2].loss, 10.0 / 3);
    QCOMPARE(run.scalars[2].tokens, 30.0);
    QCOMPARE(run.epochs.size(), std::size_t(1));
    QCOMPARE(run.epochs[0].validLoss, 2.25);
    std::vector<std::int64_t> steps;
    for (const auto &s : run.snapshots)
        steps.push_back(s.step);
    QCOMPARE(steps, (std::vector<std::int64_t> { 0, 2, 4, 6 }));
    QCOMPARE(run.nearestSnapshotStep(5), std::int64_t(4));
    const WordVectors at4 = readRunSnapshot(run, 4, false);
    QCOMPARE(at4.size(), std::size_t(5)); // <pad> left out
    QCOMPARE(at4.find("cat"), 2);
    QCOMPARE(at4.vectors()(2, 0), 4.0f); // the step it was recorded at
    QVERIFY(at4.counts() == (std::vector<std::uint64_t> { 1, 4, 9, 5, 3 }));
    // The event file holds the same scalars.
    const auto files = eventFilesIn(dir);
    QCOMPARE(files.size(), std::size_t(1));
    const auto events = readEventFile(dir + "/" + files[0]);
    int losses = 0;
    for (const auto &e : events.scalars)
        if (e.tag == "train/loss") {
            ++losses;
            QCOMPARE(e.value, static_cast<float>(10.0 / static_cast<double>(e.step)));
        }
    QCOMPARE(losses, 7);
    try {
        readRunSnapshot(run, 5);
        QFAIL("step 5 was not recorded");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("nearest recorded steps are 2 4 6"), e.what());
    }
    // Without the listing (a live run read before its newest steps), from the step's file.
    const RunData header = runHeader(run);
    QVERIFY(header.snapshots.empty() && header.scalars.empty());
    QCOMPARE(header.words, run.words);
    const WordVectors direct = readRunSnapshotFile(header, 4, false);
    QCOMPARE(direct.vectors(), at4.vectors());
    QCOMPARE(direct.words(), at4.words());
    try {
        readRunSnapshotFile(header, 5);
        QFAIL("step 5 has no file");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains(QString::fromStdString(runSnapshotFile(5))), e.what());
    }
}

// A run killed mid-write: the half line is skipped with a warning; a damaged line in the middle
// is an error naming the file and the line.
void TestRunLog::runFolderSurvivesACrash()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    LanguageModel<float> model(runSettings().model);
    {
        RunRecorder rec(dir, runSettings(), runVocab());
        recordSteps(rec, model, 1, 4);
    }
    {
        QFile f(QString::fromStdString(dir + "/scalars.jsonl"));
        QVERIFY(f.open(QIODevice::Append));
        f.write("{\"step\":5,\"epo");
    }
    RunData run = readRun(dir);
    QCOMPARE(run.scalars.size(), std::size_t(4));
    QCOMPARE(run.settings.status, std::string("running")); // never finished
    QCOMPARE(run.warnings.size(), std::size_t(1));
    QVERIFY2(QString::fromStdString(run.warnings[0]).contains("scalars.jsonl line 5"),
        run.warnings[0].c_str());

    QString text;
    {
        QFile f(QString::fromStdString(dir + "/scalars.jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        text = QString::fromUtf8(f.readAll());
    }
    QStringList lines = text.split('\n');
    lines[1] = QStringLiteral("{\"step\": \"two\"}");
    writeFileAtomically(dir + "/scalars.jsonl", lines.join('\n').toStdString());
    try {
        readRun(dir);
        QFAIL("a damaged line was read");
    } catch (const Error &e) {
        QVERIFY2(
            QString(e.what()).contains("scalars.jsonl line 2: 'step' must be a number"), e.what());
    }
    QVERIFY(QFile::remove(QString::fromStdString(dir + "/run.json")));
    try {
        readRun(dir);
        QFAIL("a folder without run.json was read");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("not a run folder"), e.what());
    }
}

// A run continued from an earlier checkpoint than its files reach records those steps again:
// the reader keeps the newer lines.
void TestRunLog::continuedRunReplacesLaterLines()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    LanguageModel<float> model(runSettings().model);
    {
        RunRecorder rec(dir, runSettings(), runVocab());
        recordSteps(rec, model, 1, 6);
    }
    {
        RunSettings other = runSettings();
        other.name = "ignored: the run keeps its name";
        RunRecorder rec(dir, other, runVocab());
        QVERIFY(rec.continued());
        for (std::int64_t s = 5; s <= 8; ++s)
            rec.recordWindow(windowEvent(s, 100.0 + static_cast<double>(s)));
        rec.finish("stopped", 8);
    }
    const RunData run = readRun(dir);
    QCOMPARE(run.scalars.size(), std::size_t(8));
    for (std::size_t i = 0; i < 8; ++i)
        QCOMPARE(run.scalars[i].step, static_cast<std::int64_t>(i + 1));
    QCOMPARE(run.scalars[4].loss, 105.0); // the newer line for step 5
    QCOMPARE(run.scalars[3].loss, 10.0 / 4);
    QCOMPARE(run.settings.name, std::string("run"));
    QCOMPARE(run.settings.status, std::string("stopped"));
    // Another model size in the same folder is refused.
    RunSettings bigger = runSettings();
    bigger.model.embeddingDim = 5;
    try {
        RunRecorder rec(dir, bigger, runVocab());
        QFAIL("another run was recorded into the folder");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("another run"), e.what());
    }
}

#include "tst_runlog.moc"
