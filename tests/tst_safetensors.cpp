// Tests for core/fileio and core/safetensors (its strict JSON included).
#include "core/checkpoint.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/safetensors.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace embedlab;
using Json = nlohmann::ordered_json;

namespace {

std::string toStd(const QByteArray &bytes)
{
    return std::string(bytes.constData(), std::size_t(bytes.size()));
}

QByteArray toBytes(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

QByteArray le64(quint64 value)
{
    QByteArray bytes;
    for (int i = 0; i < 8; ++i)
        bytes += char((value >> (8 * i)) & 0xFF);
    return bytes;
}

template <typename T> QByteArray rawBytes(const std::vector<T> &values)
{
    return QByteArray(
        reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * sizeof(T)));
}

// A safetensors file: length prefix, header as given (no padding added), data.
QByteArray safetensorsFile(const QByteArray &header, const QByteArray &data = {})
{
    return le64(quint64(header.size())) + header + data;
}

QByteArray readBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray("<cannot open>");
    return f.readAll();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
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

QStringList entriesOf(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Independent decoders for the exhaustive half-precision checks.
double halfByFormula(quint16 bits)
{
    const double sign = (bits & 0x8000) ? -1.0 : 1.0;
    const int exponent = (bits >> 10) & 0x1F;
    const int mantissa = bits & 0x3FF;
    if (exponent == 0x1F)
        return mantissa ? std::numeric_limits<double>::quiet_NaN()
                        : sign * std::numeric_limits<double>::infinity();
    if (exponent == 0)
        return sign * std::ldexp(double(mantissa), -24);
    return sign * std::ldexp(double(1024 + mantissa), exponent - 25);
}

double bfloat16ByFormula(quint16 bits)
{
    const double sign = (bits & 0x8000) ? -1.0 : 1.0;
    const int exponent = (bits >> 7) & 0xFF;
    const int mantissa = bits & 0x7F;
    if (exponent == 0xFF)
        return mantissa ? std::numeric_limits<double>::quiet_NaN()
                        : sign * std::numeric_limits<double>::infinity();
    if (exponent == 0)
        return sign * std::ldexp(double(mantissa), -133);
    return sign * std::ldexp(double(128 + mantissa), exponent - 134);
}

bool sameValue(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

} // namespace

class TestSafeTensors : public QObject
{
    Q_OBJECT

private slots:
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void jsonNumbers_data();
    void jsonNumbers();
    void jsonIntegers();
    void jsonQuote_data();
    void jsonQuote();
    void jsonErrors_data();
    void jsonErrors();
    void jsonDepthLimit();
    void jsonObjectAccess();

    void safeTensorsRoundTrip();
    void safeTensorsMatchReferenceBytes();
    void safeTensorsReferenceFixture();
    void halfPrecision_data();
    void halfPrecision();
    void halfPrecisionExhaustive();
    void readRefusals();
    void corruptFiles_data();
    void corruptFiles();
    void missingFile();
    void writeRefusals();
    void checkpointMetadataOfTheWrongType();

    void atomicWriteReplaces();
    void atomicWriteKeepsOldFileWhenWriterThrows();
    void atomicWriteKeepsOldFileWhenDirectoryUnwritable();
    void atomicWriteOverDirectory();
    void atomicWriteMissingDirectory();
    void atomicWriteDetectsWriteErrors();
};

// ---------------------------------------------------------------------------------------------
// JSON

void TestSafeTensors::jsonRoundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("null") << QByteArray("null") << QByteArray("null");
    QTest::newRow("whitespace") << QByteArray(" \t\r\n true \n") << QByteArray("true");
    QTest::newRow("false") << QByteArray("false") << QByteArray("false");
    QTest::newRow("empty containers")
        << QByteArray("[ {} , [ ] , \"\" ]") << QByteArray("[{},[],\"\"]");
    // Doubles keep a ".0" when whole, so that they read back as doubles.
    QTest::newRow("numbers") << QByteArray("[0, -0.125, 2.50, 1e3, 1E-7, 12e+2, 1.5e300]")
                             << QByteArray("[0,-0.125,2.5,1000.0,1e-07,1200.0,1.5e+300]");
    QTest::newRow("integers stay exact")
        << QByteArray("[9007199254740993,-9223372036854775808,18446744073709551615]")
        << QByteArray("[9007199254740993,-9223372036854775808,18446744073709551615]");
    QTest::newRow("integer beyond 64 bits")
        << QByteArray("123456789012345678901234567890") << QByteArray("1.2345678901234568e+29");
    QTest::newRow("underflow to zero")
        << QByteArray("[1e-400,-1e-400]") << QByteArray("[0.0,-0.0]");
    // "-0" is the integer 0; the double -0.0 keeps its sign.
    QTest::newRow("minus zero") << QByteArray("[-0,-0.0,0]") << QByteArray("[0,-0.0,0]");
    QTest::newRow("object keeps insertion order")
        << QByteArray("{\"zeta\": 1, \"alpha\": [true, null], \"mid\": {\"b\": 2, \"a\": 3}}")
        << QByteArray("{\"zeta\":1,\"alpha\":[true,null],\"mid\":{\"b\":2,\"a\":3}}");
    QTest::newRow("short escapes")
        << QByteArray(R"("q\" b\\ s\/ \b\f\n\r\t")") << QByteArray(R"("q\" b\\ s/ \b\f\n\r\t")");
    QTest::newRow("control escapes")
        << QByteArray(R"("\u0000\u001F\u007f")") << QByteArray("\"\\u0000\\u001f\x7f\"");
    QTest::newRow("unicode escapes") << QByteArray(R"("\u00e9\u20AC\ud83d\ude00")")
                                     << QByteArray("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    QTest::newRow("raw UTF-8") << QByteArray("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"")
                               << QByteArray("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
}

void TestSafeTensors::jsonRoundTrip()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    const Json value = parseJsonStrict(toStd(input));
    QCOMPARE(toBytes(dumpJson(value)), expected);
    const Json again = parseJsonStrict(dumpJson(value));
    QVERIFY(again == value);
    QCOMPARE(toBytes(dumpJson(again)), expected);
}

void TestSafeTensors::jsonNumbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("0.1") << 0.1 << QByteArray("0.1");
    QTest::newRow("1/3") << 1.0 / 3.0 << QByteArray("0.3333333333333333");
    QTest::newRow("whole") << 3.0 << QByteArray("3.0");
    QTest::newRow("2^53") << 9007199254740992.0 << QByteArray("9.007199254740992e+15");
    QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
    QTest::newRow("negative") << -123456.789 << QByteArray("-123456.789");
    QTest::newRow("max") << std::numeric_limits<double>::max()
                         << QByteArray("1.7976931348623157e+308");
    QTest::newRow("denormal min") << std::numeric_limits<double>::denorm_min()
                                  << QByteArray("5e-324");
    QTest::newRow("float 0.1") << double(0.1f) << QByteArray("0.10000000149011612");
    QTest::newRow("minus zero") << -0.0 << QByteArray("-0.0");
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QByteArray("null");
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << QByteArray("null");
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << QByteArray("null");
}

void TestSafeTensors::jsonNumbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);

    const Json json(value);
    QVERIFY(json.is_number());
    QCOMPARE(toBytes(dumpJson(json)), expected);
    if (std::isfinite(value)) {
        const double back = parseJsonStrict(dumpJson(json)).get<double>();
        QVERIFY(back == value); // shortest form still round-trips
        QCOMPARE(std::memcmp(&back, &value, sizeof value), 0); // -0.0 included
    }
}

void TestSafeTensors::jsonIntegers()
{
    constexpr auto int64Min = std::numeric_limits<std::int64_t>::min();
    constexpr auto int64Max = std::numeric_limits<std::int64_t>::max();
    constexpr auto uint64Max = std::numeric_limits<std::uint64_t>::max();

    QCOMPARE(dumpJson(Json(int64Min)), std::string("-9223372036854775808"));
    QCOMPARE(parseJsonStrict("-9223372036854775808").get<std::int64_t>(), int64Min);
    QCOMPARE(parseJsonStrict("9223372036854775807").get<std::int64_t>(), int64Max);
    const Json big = parseJsonStrict("18446744073709551615");
    QVERIFY(big.is_number_unsigned());
    QCOMPARE(big.get<std::uint64_t>(), uint64Max);
    QCOMPARE(dumpJson(Json(uint64Max)), std::string("18446744073709551615"));
    QCOMPARE(dumpJson(Json(42)), std::string("42"));
    QCOMPARE(dumpJson(Json(42u)), std::string("42"));
    QCOMPARE(dumpJson(Json(std::size_t(7))), std::string("7"));
    QCOMPARE(dumpJson(Json(-7LL)), std::string("-7"));
    QVERIFY(parseJsonStrict("-7").is_number_integer());
    QVERIFY(parseJsonStrict("2e3").is_number_float());
    QVERIFY(parseJsonStrict("2.0").is_number_float());
    // Past 64 bits an integer becomes the nearest double instead of an error.
    QVERIFY(parseJsonStrict("18446744073709551616").is_number_float());

    QVERIFY(parseJsonStrict("1") == parseJsonStrict("1.0"));
    QVERIFY(Json(std::uint64_t(5)) == Json(std::int64_t(5)));
}

void TestSafeTensors::jsonQuote_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << QByteArray("hello") << QByteArray("\"hello\"");
    QTest::newRow("empty") << QByteArray("") << QByteArray("\"\"");
    QTest::newRow("quote and backslash") << QByteArray("a\"b\\c") << QByteArray(R"("a\"b\\c")");
    QTest::newRow("slash untouched") << QByteArray("a/b") << QByteArray("\"a/b\"");
    QTest::newRow("short escapes") << QByteArray("\b\f\n\r\t") << QByteArray(R"("\b\f\n\r\t")");
    QTest::newRow("other controls") << QByteArray("\x01\x1f", 2) << QByteArray(R"("\u0001\u001f")");
    QTest::newRow("nul") << QByteArray("a\0b", 3) << QByteArray(R"("a\u0000b")");
    QTest::newRow("del passes") << QByteArray("\x7f") << QByteArray("\"\x7f\"");
    QTest::newRow("utf8 passes") << QByteArray("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80")
                                 << QByteArray("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    QTest::newRow("invalid byte") << QByteArray("a\xFF"
                                                "b")
                                  << QByteArray("\"a\xEF\xBF\xBD"
                                                "b\"");
    QTest::newRow("truncated sequence") << QByteArray("\xC3") << QByteArray("\"\xEF\xBF\xBD\"");
    QTest::newRow("overlong") << QByteArray("\xC0\x80")
                              << QByteArray("\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    QTest::newRow("encoded surrogate")
        << QByteArray("\xED\xA0\x80") << QByteArray("\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

void TestSafeTensors::jsonQuote()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    const std::string quoted = embedlab::jsonQuote(toStd(input));
    QCOMPARE(toBytes(quoted), expected);
    // Always valid JSON; exact round trip when the input was valid UTF-8.
    const std::string back = parseJsonStrict(quoted).get<std::string>();
    if (!expected.contains("\xEF\xBF\xBD"))
        QCOMPARE(toBytes(back), input);
}

void TestSafeTensors::jsonErrors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("reason");

    // The offset is that of the byte where the problem was found (the end, for a cut-off text).
    QTest::newRow("empty") << QByteArray("") << 0 << "unexpected end of input; expected";
    QTest::newRow("only spaces") << QByteArray("   ") << 3 << "unexpected end of input";
    QTest::newRow("trailing comma in array")
        << QByteArray("[1,]") << 3 << "unexpected ']'; expected '[', '{', or a literal";
    QTest::newRow("trailing comma in object")
        << QByteArray("{\"a\":1,}") << 7 << "object key - unexpected '}'; expected string literal";
    QTest::newRow("missing comma")
        << QByteArray("[1 2]") << 3 << "array - unexpected number literal; expected ']'";
    QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << 5 << "expected ':'";
    QTest::newRow("unquoted key") << QByteArray("{a:1}") << 1
                                  << "invalid literal; last read: '{a'; expected string literal";
    QTest::newRow("single quotes") << QByteArray("'a'") << 0 << "invalid literal; last read: '''";
    QTest::newRow("unclosed array")
        << QByteArray("[1") << 2 << "unexpected end of input; expected ']'";
    QTest::newRow("unclosed string") << QByteArray("\"abc") << 4 << "missing closing quote";
    QTest::newRow("second value") << QByteArray("true false") << 9
                                  << "unexpected false literal; expected end of input";
    QTest::newRow("bad literal") << QByteArray("nul") << 3 << "invalid literal; last read: 'nul'";
    QTest::newRow("capital literal") << QByteArray("True") << 0 << "invalid literal";
    QTest::newRow("NaN") << QByteArray("NaN") << 0 << "invalid literal; last read: 'N'";
    QTest::newRow("leading zero") << QByteArray("01") << 1
                                  << "unexpected number literal; expected end of input";
    QTest::newRow("plus sign") << QByteArray("+1") << 0 << "invalid literal; last read: '+'";
    QTest::newRow("bare minus") << QByteArray("-") << 1 << "expected digit after '-'";
    QTest::newRow("leading dot") << QByteArray(".5") << 0 << "invalid literal; last read: '.'";
    QTest::newRow("trailing dot") << QByteArray("1.") << 2 << "expected digit after '.'";
    QTest::newRow("empty exponent")
        << QByteArray("[1e]") << 3 << "expected '+', '-', or digit after exponent";
    QTest::newRow("hex number") << QByteArray("0x10") << 1 << "expected end of input";
    QTest::newRow("too large") << QByteArray("[1e400]") << 1 << "number overflow parsing '1e400'";
    QTest::newRow("raw tab in string")
        << QByteArray("\"a\tb\"") << 2 << "control character U+0009 (HT) must be escaped";
    QTest::newRow("raw newline in string")
        << QByteArray("\"a\nb\"") << 2 << "control character U+000A (LF) must be escaped";
    QTest::newRow("bad escape") << QByteArray(R"("a\x")") << 3
                                << "forbidden character after backslash";
    QTest::newRow("short unicode escape")
        << QByteArray(R"("\u12")") << 5 << "'\\u' must be followed by 4 hex digits";
    QTest::newRow("lone high surrogate") << QByteArray(R"("\ud800")") << 7
                                         << "surrogate U+D800..U+DBFF must be followed by "
                                            "U+DC00..U+DFFF";
    QTest::newRow("high then letter") << QByteArray(R"("\ud800\u0041")") << 12
                                      << "surrogate U+D800..U+DBFF must be followed by "
                                         "U+DC00..U+DFFF";
    QTest::newRow("lone low surrogate")
        << QByteArray(R"("\udc00")") << 6 << "surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF";
    QTest::newRow("invalid UTF-8") << QByteArray("\"a\xC3\x28\"") << 3 << "ill-formed UTF-8 byte";
    QTest::newRow("overlong UTF-8") << QByteArray("\"\xC0\xAF\"") << 1 << "ill-formed UTF-8 byte";
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF{}") << 0 << "byte 0xEF";
    QTest::newRow("duplicate key")
        << QByteArray("{\"a\":1,\"b\":2,\"a\":3}") << 13 << "duplicate key \"a\"";
    QTest::newRow("duplicate escaped key")
        << QByteArray(R"({"a\"\\":1,"a\u0022\\":2})") << 11 << R"(duplicate key "a\"\\")";
    QTest::newRow("duplicate nested key")
        << QByteArray(R"({"a":{"k":1},"b":{"k":2,"k":3}})") << 24 << R"(duplicate key "k")";
}

void TestSafeTensors::jsonErrors()
{
    QFETCH(QByteArray, input);
    QFETCH(int, offset);
    QFETCH(QString, reason);

    const QString message = errorFrom([&] { parseJsonStrict(toStd(input)); });
    const QString prefix = QStringLiteral("JSON offset %1: ").arg(offset);
    QVERIFY2(message.startsWith(prefix), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(!message.contains("json.exception"), qPrintable(message));
}

void TestSafeTensors::jsonDepthLimit()
{
    const auto nested = [](int depth, char open, char close, const std::string &inner) {
        std::string s;
        for (int i = 0; i < depth; ++i)
            s += open == '{' ? std::string("{\"k\":") : std::string(1, open);
        s += inner;
        s.append(std::size_t(depth), close);
        return s;
    };
    const Json deep = parseJsonStrict(nested(MaxJsonDepth, '[', ']', "1"));
    QCOMPARE(dumpJson(deep), nested(MaxJsonDepth, '[', ']', "1"));
    parseJsonStrict(nested(MaxJsonDepth, '{', '}', "1"));

    const QString arrays
        = errorFrom([&] { parseJsonStrict(nested(MaxJsonDepth + 1, '[', ']', "1")); });
    QVERIFY2(arrays.startsWith("JSON offset 256: nesting deeper than 256"), qPrintable(arrays));
    const QString objects = errorFrom([&] { parseJsonStrict(nested(100000, '{', '}', "1")); });
    QVERIFY2(objects.contains("nesting deeper than 256"), qPrintable(objects));
}

void TestSafeTensors::jsonObjectAccess()
{
    // Headers are written in insertion order; replacing a member keeps its place.
    Json object = Json::object();
    object["b"] = 1;
    object["a"] = "text";
    object["c"] = Json::array();
    object["b"] = 2.5;
    QCOMPARE(object.size(), std::size_t(3));
    QCOMPARE(dumpJson(object), std::string(R"({"b":2.5,"a":"text","c":[]})"));
    QCOMPARE(object.begin().key(), std::string("b"));
    QVERIFY(object.find("missing") == object.end());

    // Strings that are not UTF-8 are written with U+FFFD instead of failing.
    QCOMPARE(dumpJson(Json("a\xFF")), std::string("\"a\xEF\xBF\xBD\""));

    QVERIFY(parseJsonStrict(R"({"a":[1,{"b":null}]})")
        == parseJsonStrict(R"({ "a" : [1.0, {"b":null}] })"));
    QVERIFY(parseJsonStrict(R"({"a":1,"b":2})") != parseJsonStrict(R"({"b":2,"a":1})"));

    // A long token is shortened in the message.
    const std::string longString = "\"" + std::string(1000, 'x') + "\x01\"";
    const QString message = errorFrom([&] { parseJsonStrict(longString); });
    QVERIFY2(message.startsWith("JSON offset 1001: ") && message.size() < 300, qPrintable(message));
}

// ---------------------------------------------------------------------------------------------
// safetensors

void TestSafeTensors::safeTensorsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("model.safetensors").toUtf8());

    const std::vector<float> weights = { 0.5f, -1.25f, 3.0e-8f, 1.0e30f, -0.0f, 0.1f };
    const std::vector<double> bias = { 0.1, -2.0 / 3.0, 1e-300, 6.02214076e23 };
    const std::vector<float> scalar = { 42.0f };
    const std::vector<std::uint16_t> half = { 0x3C00, 0xC000 }; // 1, -2
    const std::vector<std::int32_t> ids = { 7, -1, 1 << 30 };
    const std::map<std::string, std::string> metadata = {
        { "framework", "embedlab" },
        { "note", "quote \" backslash \\ newline \n caf\xC3\xA9" },
    };
    writeSafeTensors(path,
        { { "embedding.weight", { 2, 3 }, DType::F32, weights.data() },
            { "lstm.bias", { 4 }, DType::F64, bias.data() },
            { "scalar", {}, DType::F32, scalar.data() }, { "empty", { 0, 3 }, DType::F32, nullptr },
            { "half", { 2 }, DType::F16, half.data() }, { "ids", { 3 }, DType::I32, ids.data() } },
        metadata);

    const SafeTensorsReader reader(path);
    QCOMPARE(reader.path(), path);
    QCOMPARE(reader.metadata(), metadata);
    const auto &tensors = reader.tensors();
    QCOMPARE(tensors.size(), std::size_t(6));
    const std::vector<std::string> names
        = { "embedding.weight", "lstm.bias", "scalar", "empty", "half", "ids" };
    const std::vector<DType> dtypes
        = { DType::F32, DType::F64, DType::F32, DType::F32, DType::F16, DType::I32 };
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        QCOMPARE(tensors[i].name, names[i]);
        QCOMPARE(tensors[i].dtype, dtypes[i]);
        QCOMPARE(tensors[i].begin, offset); // laid out in the given order, no gaps
        QCOMPARE(
            tensors[i].end - tensors[i].begin, tensors[i].elements() * dtypeSize(tensors[i].dtype));
        offset = tensors[i].end;
        QCOMPARE(reader.find(names[i]), &tensors[i]);
    }
    QCOMPARE(tensors[0].shape, (std::vector<std::int64_t> { 2, 3 }));
    QCOMPARE(tensors[2].shape, std::vector<std::int64_t> {});
    QCOMPARE(tensors[2].elements(), std::uint64_t(1));
    QCOMPARE(tensors[3].elements(), std::uint64_t(0));
    QVERIFY(reader.find("nope") == nullptr);

    std::vector<float> w(6);
    reader.read("embedding.weight", w.data(), w.size());
    QCOMPARE(std::memcmp(w.data(), weights.data(), sizeof(float) * 6), 0);
    std::vector<double> wd(6);
    reader.read("embedding.weight", wd.data(), wd.size());
    for (std::size_t i = 0; i < 6; ++i)
        QCOMPARE(wd[i], double(weights[i]));
    std::vector<double> b(4);
    reader.read("lstm.bias", b.data(), b.size());
    QCOMPARE(std::memcmp(b.data(), bias.data(), sizeof(double) * 4), 0);
    float s = 0;
    reader.read("scalar", &s, 1);
    QCOMPARE(s, 42.0f);
    reader.read("empty", static_cast<float *>(nullptr), 0);
    std::vector<float> h(2);
    reader.read("half", h.data(), h.size());
    QCOMPARE(h, (std::vector<float> { 1.0f, -2.0f }));
    QCOMPARE(std::memcmp(reader.bytes(tensors[5]), ids.data(), sizeof(std::int32_t) * 3), 0);

    // The layout on disk: header padded with spaces to a multiple of 8, data right after it.
    const QByteArray bytes = readBytes(dir.filePath("model.safetensors"));
    quint64 headerLength = 0;
    std::memcpy(&headerLength, bytes.constData(), 8);
    QCOMPARE(headerLength % 8, quint64(0));
    QCOMPARE(quint64(bytes.size()), 8 + headerLength + offset);
    const QByteArray header = bytes.mid(8, qsizetype(headerLength));
    QVERIFY(header.startsWith("{\"__metadata__\":{\"framework\":\"embedlab\","));
    QVERIFY(header.trimmed().endsWith('}'));
    QVERIFY(header.size() - header.trimmed().size() < 8);
    QCOMPARE(entriesOf(dir.path()), QStringList { "model.safetensors" });
}

// The expected bytes are those of the reference implementation's own tests
// (test_serialization, test_serialization_forced_alignement and test_empty in
// huggingface/safetensors safetensors/src/tensor.rs).
void TestSafeTensors::safeTensorsMatchReferenceBytes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("ref.safetensors").toUtf8());
    const std::vector<float> values = { 0, 1, 2, 3, 4, 5 };
    const QByteArray data = rawBytes(values);

    writeSafeTensors(path, { { "attn.0", { 1, 2, 3 }, DType::F32, values.data() } });
    QCOMPARE(readBytes(dir.filePath("ref.safetensors")),
        safetensorsFile(
            R"({"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}})", data));

    writeSafeTensors(path, { { "attn0", { 1, 1, 2, 3 }, DType::F32, values.data() } });
    QCOMPARE(readBytes(dir.filePath("ref.safetensors")),
        safetensorsFile(
            R"({"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       )", data));

    writeSafeTensors(path, {});
    QCOMPARE(readBytes(dir.filePath("ref.safetensors")), safetensorsFile("{}      "));
    QVERIFY(SafeTensorsReader(path).tensors().empty());

    writeSafeTensors(path, {}, { { "framework", "pt" } });
    QCOMPARE(readBytes(dir.filePath("ref.safetensors")),
        safetensorsFile(R"({"__metadata__":{"framework":"pt"}}     )"));
    QCOMPARE(SafeTensorsReader(path).metadata().at("framework"), std::string("pt"));
}

// reference.safetensors is written by make_reference.py (torch, reference layout).
void TestSafeTensors::safeTensorsReferenceFixture()
{
    const SafeTensorsReader reader(EMBEDLAB_TEST_DATA "/safetensors/reference.safetensors");

    const std::map<std::string, std::string> metadata
        = { { "format", "pt" }, { "note", "fixture \xC3\xA9 \"quoted\"" } };
    QCOMPARE(reader.metadata(), metadata);

    std::vector<std::string> names;
    for (const TensorInfo &info : reader.tensors())
        names.push_back(info.name);
    QCOMPARE(names,
        (std::vector<std::string> {
            "step", "lstm.bias", "embedding.weight", "empty", "scalar", "ids", "brain", "half" }));

    const TensorInfo *weight = reader.find("embedding.weight");
    QVERIFY(weight);
    QCOMPARE(weight->dtype, DType::F32);
    QCOMPARE(weight->shape, (std::vector<std::int64_t> { 3, 4 }));
    std::vector<float> w(12);
    reader.read("embedding.weight", w.data(), w.size());
    for (int i = 0; i < 12; ++i)
        QCOMPARE(w[std::size_t(i)], i * 0.25f - 1.0f);

    std::vector<double> bias(5);
    reader.read("lstm.bias", bias.data(), bias.size());
    QCOMPARE(bias, (std::vector<double> { 0.1, -2.5, 1e-300, 3.141592653589793, 1e300 }));
    std::vector<float> biasAsFloat(5);
    reader.read("lstm.bias", biasAsFloat.data(), biasAsFloat.size());
    QCOMPARE(biasAsFloat[1], -2.5f);
    QCOMPARE(biasAsFloat[2], 0.0f);
    QVERIFY(std::isinf(biasAsFloat[4]));

    std::vector<float> half(6);
    reader.read("half", half.data(), half.size());
    QCOMPARE(half,
        (std::vector<float> {
            1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -14), std::ldexp(1.0f, -24), -0.0f }));
    QVERIFY(std::signbit(half[5]));

    std::vector<double> brain(4);
    reader.read("brain", brain.data(), brain.size());
    QCOMPARE(brain, (std::vector<double> { 1.0, -3.140625, std::ldexp(1.0, 100), 0.0078125 }));

    float scalar = 0;
    reader.read("scalar", &scalar, 1);
    QCOMPARE(scalar, 7.5f);
    QCOMPARE(reader.find("scalar")->shape, std::vector<std::int64_t> {});
    QCOMPARE(reader.find("empty")->elements(), std::uint64_t(0));

    const TensorInfo *step = reader.find("step");
    QVERIFY(step);
    QCOMPARE(step->dtype, DType::I64);
    std::int64_t stepValue = 0;
    std::memcpy(&stepValue, reader.bytes(*step), 8);
    QCOMPARE(stepValue, std::int64_t(42));
    const TensorInfo *ids = reader.find("ids");
    std::vector<std::int32_t> idValues(3);
    std::memcpy(idValues.data(), reader.bytes(*ids), 12);
    QCOMPARE(idValues, (std::vector<std::int32_t> { 1, -2, 3 }));
}

void TestSafeTensors::halfPrecision_data()
{
    QTest::addColumn<bool>("bfloat");
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("expected");

    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("f16 one") << false << 0x3C00 << 1.0;
    QTest::newRow("f16 minus two") << false << 0xC000 << -2.0;
    QTest::newRow("f16 third") << false << 0x3555 << 0.333251953125;
    QTest::newRow("f16 max") << false << 0x7BFF << 65504.0;
    QTest::newRow("f16 min normal") << false << 0x0400 << std::ldexp(1.0, -14);
    QTest::newRow("f16 max subnormal") << false << 0x03FF << std::ldexp(1023.0, -24);
    QTest::newRow("f16 min subnormal") << false << 0x0001 << std::ldexp(1.0, -24);
    QTest::newRow("f16 minus zero") << false << 0x8000 << -0.0;
    QTest::newRow("f16 inf") << false << 0x7C00 << inf;
    QTest::newRow("f16 -inf") << false << 0xFC00 << -inf;
    QTest::newRow("f16 nan") << false << 0x7E00 << nan;
    QTest::newRow("bf16 one") << true << 0x3F80 << 1.0;
    QTest::newRow("bf16 pi") << true << 0x4049 << 3.140625;
    QTest::newRow("bf16 max") << true << 0x7F7F << std::ldexp(255.0, 120);
    QTest::newRow("bf16 min subnormal") << true << 0x0001 << std::ldexp(1.0, -133);
    QTest::newRow("bf16 minus zero") << true << 0x8000 << -0.0;
    QTest::newRow("bf16 -inf") << true << 0xFF80 << -inf;
    QTest::newRow("bf16 nan") << true << 0x7FC0 << nan;
}

void TestSafeTensors::halfPrecision()
{
    QFETCH(bool, bfloat);
    QFETCH(int, bits);
    QFETCH(double, expected);

    const auto b = static_cast<std::uint16_t>(bits);
    const float direct = bfloat ? bfloat16ToFloat(b) : halfToFloat(b);
    QVERIFY2(sameValue(direct, expected), qPrintable(QString::number(double(direct))));

    // Through a file, into float and into double.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("half.safetensors").toUtf8());
    writeSafeTensors(path, { { "t", { 1 }, bfloat ? DType::BF16 : DType::F16, &b } });
    const SafeTensorsReader reader(path);
    float f = 0;
    double d = 0;
    reader.read("t", &f, 1);
    reader.read("t", &d, 1);
    QVERIFY(sameValue(f, expected));
    QVERIFY(sameValue(d, expected));
}

// Every bit pattern against a formula and, for F16, against Qt's own qfloat16 conversion.
void TestSafeTensors::halfPrecisionExhaustive()
{
    for (quint32 i = 0; i <= 0xFFFF; ++i) {
        const auto bits = static_cast<quint16>(i);
        const float half = halfToFloat(bits);
        if (!sameValue(half, halfByFormula(bits)))
            QFAIL(qPrintable(QStringLiteral("F16 0x%1 -> %2").arg(i, 4, 16).arg(double(half))));
        qfloat16 q;
        std::memcpy(static_cast<void *>(&q), &bits, sizeof bits); // qfloat16 is 16 raw bits
        float qt = 0;
        qFloatFromFloat16(&qt, &q, 1);
        if (!sameValue(half, qt))
            QFAIL(qPrintable(QStringLiteral("F16 0x%1 differs from Qt").arg(i, 4, 16)));
        const float bf = bfloat16ToFloat(bits);
        if (!sameValue(bf, bfloat16ByFormula(bits)))
            QFAIL(qPrintable(QStringLiteral("BF16 0x%1 -> %2").arg(i, 4, 16).arg(double(bf))));
    }
}

void TestSafeTensors::readRefusals()
{
    const std::string path = EMBEDLAB_TEST_DATA "/safetensors/reference.safetensors";
    const SafeTensorsReader reader(path);
    const QString file = QString::fromStdString(path);
    std::vector<float> buffer(16);

    QString message = errorFrom([&] { reader.read("nope", buffer.data(), 1); });
    QVERIFY2(message.startsWith(file) && message.contains("no tensor named \"nope\""),
        qPrintable(message));
    message = errorFrom([&] { reader.read("ids", buffer.data(), 3); });
    QVERIFY2(message.startsWith(file) && message.contains("dtype I32"), qPrintable(message));
    message = errorFrom([&] { reader.read("embedding.weight", buffer.data(), 11); });
    QVERIFY2(message.startsWith(file) && message.contains("has 12 elements, expected 11"),
        qPrintable(message));
}

void TestSafeTensors::corruptFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    const QByteArray f32x2 = rawBytes(std::vector<float> { 1.0f, 2.0f });
    const auto tensor = [](const char *dtype, const char *shape, const char *offsets) {
        return QByteArray("{\"t\":{\"dtype\":\"") + dtype + "\",\"shape\":" + shape
            + ",\"data_offsets\":" + offsets + "}}";
    };

    QTest::newRow("empty file") << QByteArray() << "0 bytes long, too short";
    QTest::newRow("truncated length") << QByteArray("\x08\x00\x00", 3) << "3 bytes long, too short";
    QTest::newRow("header past the end")
        << le64(64) + QByteArray("{}") << "header length 64 runs past";
    QTest::newRow("header too large")
        << le64(200'000'000) + QByteArray("{}") << "larger than the 100 MB limit";
    QTest::newRow("huge header length")
        << le64(~quint64(0)) + QByteArray("{}") << "larger than the 100 MB limit";
    QTest::newRow("truncated data") << safetensorsFile(tensor("F32", "[2]", "[0,8]"), f32x2.left(5))
                                    << "extend beyond the data buffer of 5 bytes";
    QTest::newRow("bad JSON") << safetensorsFile("{\"t\":{\"dtype\":\"F32\",}}")
                              << "not valid JSON (offsets count from the header start): "
                                 "JSON offset 20:";
    QTest::newRow("invalid UTF-8") << safetensorsFile("{\"\xFF\":1}")
                                   << "JSON offset 2: syntax error while parsing object key - "
                                      "invalid string: ill-formed UTF-8 byte";
    QTest::newRow("header is array") << safetensorsFile("[]      ") << "header is a JSON array";
    QTest::newRow("entry not object")
        << safetensorsFile("{\"t\":[1]}") << "tensor \"t\": entry is a JSON array";
    QTest::newRow("missing dtype")
        << safetensorsFile("{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}", f32x2)
        << "tensor \"t\": missing \"dtype\"";
    QTest::newRow("missing shape")
        << safetensorsFile("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", f32x2)
        << "tensor \"t\": missing \"shape\"";
    QTest::newRow("missing data_offsets")
        << safetensorsFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}", f32x2)
        << "tensor \"t\": missing \"data_offsets\"";
    QTest::newRow("dtype not string")
        << safetensorsFile(tensor("F32", "[2]", "[0,8]").replace("\"F32\"", "4"), f32x2)
        << "\"dtype\" is a JSON number, expected a string";
    QTest::newRow("shape not array") << safetensorsFile(tensor("F32", "2", "[0,8]"), f32x2)
                                     << "\"shape\" is a JSON number, expected an array";
    QTest::newRow("unknown dtype")
        << safetensorsFile(tensor("Q7", "[2]", "[0,8]"), f32x2) << "unknown dtype \"Q7\"";
    QTest::newRow("unsupported dtype") << safetensorsFile(tensor("U32", "[2]", "[0,8]"), f32x2)
                                       << "dtype \"U32\" is not supported";
    QTest::newRow("negative dimension") << safetensorsFile(tensor("F32", "[-2]", "[0,8]"), f32x2)
                                        << "\"shape\" must hold non-negative integers, found [-2]";
    QTest::newRow("fractional dimension") << safetensorsFile(tensor("F32", "[1.5]", "[0,8]"), f32x2)
                                          << "\"shape\" must hold non-negative integers";
    QTest::newRow("string dimension") << safetensorsFile(tensor("F32", "[\"2\"]", "[0,8]"), f32x2)
                                      << "\"shape\" must hold non-negative integers";
    QTest::newRow("shape overflow")
        << safetensorsFile(tensor("F32", "[4294967296,4294967296]", "[0,8]"), f32x2)
        << "shape [4294967296, 4294967296] of F32 overflows 64 bits";
    QTest::newRow("bytes overflow")
        << safetensorsFile(tensor("F64", "[4611686018427387904]", "[0,8]"), f32x2)
        << "overflows 64 bits";
    QTest::newRow("offsets not pair") << safetensorsFile(tensor("F32", "[2]", "[0,8,8]"), f32x2)
                                      << "\"data_offsets\" must be two non-negative integers";
    QTest::newRow("negative offset") << safetensorsFile(tensor("F32", "[2]", "[-8,0]"), f32x2)
                                     << "\"data_offsets\" must be two non-negative integers";
    QTest::newRow("end before begin") << safetensorsFile(tensor("F32", "[0]", "[8,0]"), f32x2)
                                      << "data_offsets [8, 0] end before they begin";
    QTest::newRow("offsets out of range") << safetensorsFile(tensor("F32", "[2]", "[4,12]"),
        f32x2) << "data_offsets [4, 12] extend beyond the data buffer of 8 bytes";
    QTest::newRow("wrong size for shape") << safetensorsFile(tensor("F32", "[3]", "[0,8]"), f32x2)
                                          << "data_offsets [0, 8] hold 8 bytes, but F32 with shape "
                                             "[3] needs 12";
    QTest::newRow("overlap") << safetensorsFile(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        f32x2) << "tensors \"a\" and \"b\" overlap";
    QTest::newRow("gap") << safetensorsFile(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        f32x2) << "bytes 0 to 4 of the data buffer belong to no tensor (gap before tensor \"a\")";
    QTest::newRow("trailing bytes") << safetensorsFile(tensor("F32", "[1]", "[0,4]"),
        f32x2) << "the last 4 bytes of the 8-byte data buffer belong to no tensor";
    QTest::newRow("duplicate tensor") << safetensorsFile(
        "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        f32x2) << "duplicate key \"t\"";
    QTest::newRow("metadata not object") << safetensorsFile("{\"__metadata__\":[\"a\"]}")
                                         << "\"__metadata__\" is a JSON array, expected an object";
    QTest::newRow("metadata non-string")
        << safetensorsFile("{\"__metadata__\":{\"epoch\":3}}")
        << "\"__metadata__\" value for key \"epoch\" is a JSON number, expected a string";
}

void TestSafeTensors::corruptFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("corrupt.safetensors");
    QVERIFY(writeBytes(path, bytes));
    const QString message = errorFrom([&] { SafeTensorsReader reader(toStd(path.toUtf8())); });
    QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestSafeTensors::missingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("absent.safetensors");
    QString message = errorFrom([&] { SafeTensorsReader reader(toStd(path.toUtf8())); });
    QVERIFY2(
        message.startsWith(path + ": cannot open: " + std::strerror(ENOENT)), qPrintable(message));
    message = errorFrom([&] { SafeTensorsReader reader(toStd(dir.path().toUtf8())); });
    QVERIFY2(message.contains("not a regular file"), qPrintable(message));
}

void TestSafeTensors::writeRefusals()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("bad.safetensors").toUtf8());
    const std::vector<float> data(4, 1.0f);

    struct Case
    {
        std::vector<TensorToWrite> tensors;
        std::map<std::string, std::string> metadata;
        const char *expected;
    };
    const std::vector<Case> cases = {
        { { { "a", { 2 }, DType::F32, data.data() }, { "a", { 2 }, DType::F32, data.data() } }, {},
            "tensor \"a\": duplicate name" },
        { { { "a", { -2 }, DType::F32, data.data() } }, {}, "negative dimension in shape [-2]" },
        { { { "a", { 2 }, DType::F32, nullptr } }, {}, "tensor \"a\": no data" },
        { { { "", { 1 }, DType::F32, data.data() } }, {}, "invalid name" },
        { { { "__metadata__", { 1 }, DType::F32, data.data() } }, {}, "invalid name" },
        { { { "bad\xFF", { 1 }, DType::F32, data.data() } }, {}, "invalid name" },
        { {}, { { "k", "bad\xC3" } }, "metadata entry \"k\" is not valid UTF-8" },
    };
    for (const Case &c : cases) {
        const QString message = errorFrom([&] { writeSafeTensors(path, c.tensors, c.metadata); });
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
        QVERIFY2(message.contains(QString::fromUtf8(c.expected)), qPrintable(message));
    }
    QVERIFY(entriesOf(dir.path()).isEmpty());
}

// The JSON in a checkpoint's metadata is read as strictly as the header: a value of the wrong
// type is an error that names the file and the entry, never a silent conversion.
void TestSafeTensors::checkpointMetadataOfTheWrongType()
{
    const std::string base = EMBEDLAB_TEST_DATA "/bad/ckpt_base.safetensors";
    const SafeTensorsReader reader(base);
    std::vector<TensorToWrite> tensors;
    for (const TensorInfo &t : reader.tensors())
        tensors.push_back({ t.name, t.shape, t.dtype, reader.bytes(t) });
    const std::size_t words = parseJsonStrict(reader.metadata().at(MetaVocab)).size();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = toStd(dir.filePath("changed.safetensors").toUtf8());
    writeSafeTensors(path, tensors, reader.metadata());
    QVERIFY(loadCheckpoint<float>(path).model); // unchanged, it loads

    struct Case
    {
        const char *key;
        std::function<std::string(const std::string &)> change;
        const char *expected;
    };
    const auto setMember = [](const char *name, Json value) {
        return [name, value](const std::string &text) {
            Json j = parseJsonStrict(text);
            j[name] = value;
            return dumpJson(j);
        };
    };
    const std::vector<Case> cases = {
        { MetaConfig, setMember("hidden_size", 4.5),
            "metadata 'embedlab.config': JSON: expected an integer, found 4.5" },
        { MetaConfig, setMember("layers", "1"),
            "metadata 'embedlab.config': JSON: expected an integer, found string" },
        { MetaConfig, setMember("dropout", "high"),
            "metadata 'embedlab.config': JSON: expected a number, found string" },
        { MetaConfig, setMember("tied", 1),
            "metadata 'embedlab.config': JSON: expected a boolean, found number" },
        { MetaConfig, [](const std::string &text) { return "{\"layers\":1," + text.substr(1); },
            "metadata 'embedlab.config' is not valid JSON: JSON offset 61: duplicate key "
            "\"layers\"" },
        { MetaVocab,
            [](const std::string &text) {
                Json j = parseJsonStrict(text);
                j[3] = 3;
                return dumpJson(j);
            },
            "metadata 'embedlab.vocab': JSON: expected a string, found number" },
        { MetaCounts,
            [words](const std::string &) {
                return dumpJson(Json(std::vector<std::string>(words, "7")));
            },
            "metadata 'embedlab.vocab': JSON: expected an integer, found string" },
    };
    for (const Case &c : cases) {
        std::map<std::string, std::string> metadata = reader.metadata();
        metadata[c.key] = c.change(metadata.count(c.key) ? metadata.at(c.key) : std::string());
        writeSafeTensors(path, tensors, metadata);
        const QString message = errorFrom([&] { loadCheckpoint<float>(path); });
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
        QVERIFY2(message.contains(QString::fromUtf8(c.expected)), qPrintable(message));
    }
}

// ---------------------------------------------------------------------------------------------
// writeFileAtomically

void TestSafeTensors::atomicWriteReplaces()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("vectors.txt");
    const std::string p = toStd(path.toUtf8());

    writeFileAtomically(p, "old contents\n");
    QCOMPARE(readBytes(path), QByteArray("old contents\n"));
    QVERIFY(::chmod(p.c_str(), 0640) == 0);

    writeFileAtomically(p, [](std::FILE *f) {
        for (int i = 0; i < 100000; ++i)
            std::fputs("0123456789", f);
    });
    QCOMPARE(readBytes(path).size(), 1000000);
    QCOMPARE(toBytes(readFile(p)), readBytes(path));
    struct stat info;
    QVERIFY(::stat(p.c_str(), &info) == 0);
    QCOMPARE(info.st_mode & 07777, mode_t(0640)); // permissions survive the replacement

    writeFileAtomically(p, std::string_view());
    QCOMPARE(readBytes(path), QByteArray());
    QCOMPARE(entriesOf(dir.path()), QStringList { "vectors.txt" });
}

void TestSafeTensors::atomicWriteKeepsOldFileWhenWriterThrows()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("checkpoint.safetensors");
    QVERIFY(writeBytes(path, "previous"));

    QString message;
    try {
        writeFileAtomically(toStd(path.toUtf8()), [](std::FILE *f) {
            std::fputs("half of the new file", f);
            throw std::runtime_error("model changed while saving");
        });
    } catch (const std::runtime_error &e) {
        message = QString::fromUtf8(e.what());
    }
    QCOMPARE(message, QStringLiteral("model changed while saving")); // rethrown unchanged
    QCOMPARE(readBytes(path), QByteArray("previous"));
    QCOMPARE(entriesOf(dir.path()), QStringList { "checkpoint.safetensors" });
}

void TestSafeTensors::atomicWriteKeepsOldFileWhenDirectoryUnwritable()
{
    if (::geteuid() == 0)
        QSKIP("running as root: permission bits do not stop root from writing");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("vectors.txt");
    QVERIFY(writeBytes(path, "previous"));
    const std::string d = toStd(dir.path().toUtf8());
    QVERIFY(::chmod(d.c_str(), 0555) == 0);

    const QString message
        = errorFrom([&] { writeFileAtomically(toStd(path.toUtf8()), "new contents"); });
    ::chmod(d.c_str(), 0755);
    QVERIFY2(message.startsWith(path + ": cannot create temporary file"), qPrintable(message));
    QVERIFY2(message.endsWith(std::strerror(EACCES)), qPrintable(message));
    QCOMPARE(readBytes(path), QByteArray("previous"));
    QCOMPARE(entriesOf(dir.path()), QStringList { "vectors.txt" });
}

void TestSafeTensors::atomicWriteOverDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir("target"));
    QVERIFY(writeBytes(dir.filePath("target/inside"), "keep"));
    const QString path = dir.filePath("target");

    const QString message = errorFrom([&] { writeFileAtomically(toStd(path.toUtf8()), "x"); });
    QVERIFY2(
        message.startsWith(path + ": cannot replace with " + path + ".tmp-"), qPrintable(message));
    QCOMPARE(readBytes(dir.filePath("target/inside")), QByteArray("keep"));
    QCOMPARE(entriesOf(dir.path()), QStringList { "target" });
}

void TestSafeTensors::atomicWriteMissingDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("no/such/dir/file.txt");
    const QString message = errorFrom([&] { writeFileAtomically(toStd(path.toUtf8()), "x"); });
    QVERIFY2(message.startsWith(path + ": cannot create temporary file"), qPrintable(message));
    QVERIFY2(message.endsWith(std::strerror(ENOENT)), qPrintable(message));
}

// A file size limit makes write() fail with EFBIG part-way, as a full disk would (and works
// as root, unlike permission bits). The writer does not check fwrite; the error must still
// be caught.
void TestSafeTensors::atomicWriteDetectsWriteErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("big.bin");
    QVERIFY(writeBytes(path, "previous"));

    struct rlimit saved;
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    struct rlimit limited = saved;
    limited.rlim_cur = 4096;
    const auto savedHandler = std::signal(SIGXFSZ, SIG_IGN);
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    const std::string big(1 << 20, 'x');
    const QString message = errorFrom([&] { writeFileAtomically(toStd(path.toUtf8()), big); });
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, savedHandler);

    QVERIFY2(
        message.startsWith(path + ": cannot write: " + std::strerror(EFBIG)), qPrintable(message));
    QCOMPARE(readBytes(path), QByteArray("previous"));
    QCOMPARE(entriesOf(dir.path()), QStringList { "big.bin" });
}

QTEST_GUILESS_MAIN(TestSafeTensors)
#include "tst_safetensors.moc"
