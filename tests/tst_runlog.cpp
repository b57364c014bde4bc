// Tests for the run folder's files: float16 (core/float16).
#include "core/float16.h"

#include <QFile>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace embedlab;

namespace {

const std::string RunLogData = EMBEDLAB_TEST_DATA "/runlog/";

QString toQ(const std::string &s)
{
    return QString::fromStdString(s);
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

bool isNanHalf(std::uint16_t h)
{
    return (h & 0x7C00u) == 0x7C00u && (h & 0x3FFu) != 0;
}

} // namespace

class TestRunLog : public QObject
{
    Q_OBJECT

private slots:
    void halfMatchesNumpy();
    void halfRounding_data();
    void halfRounding();
    void halfRoundTripEveryValue();
};

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

QTEST_GUILESS_MAIN(TestRunLog)
#include "tst_runlog.moc"
