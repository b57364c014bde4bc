// Tests of the text layer: UTF-8, tokenizer, vocabulary, corpus loading and batchify.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <string>
#include <vector>

#include "core/corpus.h"
#include "core/tokenizer.h"
#include "core/utf8.h"
#include "core/vocabulary.h"

using namespace embedlab;

namespace {

QString dataFile(const char *name)
{
    return QStringLiteral(EMBEDLAB_TEST_DATA "/text/") + QLatin1String(name);
}

std::string dataPath(const char *name)
{
    return dataFile(name).toStdString();
}

std::string bytes(const QByteArray &a)
{
    return std::string(a.constData(), static_cast<std::size_t>(a.size()));
}

QStringList toList(const std::vector<std::string> &tokens)
{
    QStringList list;
    for (const std::string &t : tokens)
        list << QString::fromStdString(t);
    return list;
}

// The words of an id stream, so expectations read like text.
QStringList wordsOf(const Vocabulary &vocab, const std::vector<std::int32_t> &ids)
{
    QStringList list;
    for (std::int32_t id : ids)
        list << QString::fromStdString(vocab.word(id));
    return list;
}

std::vector<std::pair<std::string, std::uint64_t>> parseCounts(const QStringList &spec)
{
    std::vector<std::pair<std::string, std::uint64_t>> counts;
    for (const QString &s : spec) {
        const qsizetype colon = s.lastIndexOf(QLatin1Char(':'));
        counts.emplace_back(s.left(colon).toStdString(), s.mid(colon + 1).toULongLong());
    }
    return counts;
}

// The message of the Error thrown by f, or an empty string if none was thrown.
template <typename F> QString errorOf(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

const QStringList Specials = { "<pad>", "<unk>", "<eos>" };

} // namespace

class TestText : public QObject
{
    Q_OBJECT

private slots:
    void joinsWithoutSpace_data()
    {
        QTest::addColumn<QString>("left");
        QTest::addColumn<QString>("right");
        QTest::addColumn<bool>("joined");
        QTest::newRow("Chinese words") << "我们"
                                       << "学习" << true;
        QTest::newRow("Japanese") << "日本語"
                                  << "です" << true;
        QTest::newRow("Thai") << "ภาษา"
                              << "ไทย" << true;
        QTest::newRow("English words") << "Hello"
                                       << "world" << false;
        QTest::newRow("Latin then Han") << "Hello"
                                        << "世界" << false;
        QTest::newRow("Han then Latin") << "世界"
                                        << "Hello" << false;
        QTest::newRow("Chinese comma after") << "的"
                                             << "，" << true;
        QTest::newRow("Chinese comma before") << "，"
                                              << "他" << true;
        QTest::newRow("full stop after Latin") << "Q"
                                               << "。" << true;
        QTest::newRow("quote after Chinese") << "说"
                                             << "“" << true;
        QTest::newRow("quote before Chinese") << "“"
                                              << "我" << true;
        QTest::newRow("quote after English") << "said"
                                             << "“" << false;
        QTest::newRow("doubled ellipsis") << "…"
                                          << "…" << true;
        QTest::newRow("doubled dash") << "—"
                                      << "—" << true;
        QTest::newRow("dash after English") << "word"
                                            << "—" << false;
        QTest::newRow("English comma") << "word"
                                       << "," << false;
        QTest::newRow("empty") << ""
                               << "我" << false;
    }
    void joinsWithoutSpace()
    {
        QFETCH(QString, left);
        QFETCH(QString, right);
        QFETCH(bool, joined);
        QCOMPARE(embedlab::joinsWithoutSpace(left.toStdString(), right.toStdString()), joined);
    }
    void decodeUtf8_data();
    void decodeUtf8();
    void appendUtf8Encodes_data();
    void appendUtf8Encodes();

    void wordTokens_data();
    void wordTokens();
    void charTokens_data();
    void charTokens();
    void lowercaseMatchesQt();
    void modeNames();

    void vocabularyBuild_data();
    void vocabularyBuild();
    void vocabularyLookup();
    void vocabularyFromWords_data();
    void vocabularyFromWords();
    void vocabularyManyWords();

    void eosPerNonEmptyLine_data();
    void eosPerNonEmptyLine();
    void vocabularyFromTrainingOnly();
    void validationSplit_data();
    void validationSplit();
    void validationFile();
    void corpusFiles();
    void refusedFiles_data();
    void refusedFiles();
    void noTokens_data();
    void noTokens();
    void missingFile();
    void progressAndCancel();
    void encodeWithVocabulary();

    void batchifyStreams_data();
    void batchifyStreams();
};

void TestText::decodeUtf8_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("invalid");

    const QString r(QChar(0xFFFD));
    QTest::newRow("ascii") << QByteArray("abc") << "abc" << 0;
    QTest::newRow("two bytes") << QByteArray("caf\xC3\xA9") << QString::fromUtf8("café") << 0;
    QTest::newRow("three bytes") << QByteArray("\xE2\x82\xAC") << QString(QChar(0x20AC)) << 0;
    QTest::newRow("four bytes") << QByteArray("\xF0\x9F\x98\x80")
                                << QString::fromUcs4(U"\U0001F600") << 0;
    QTest::newRow("stray continuation") << QByteArray("a\x80z") << "a" + r + "z" << 1;
    QTest::newRow("latin-1 byte") << QByteArray("caf\xE9!") << "caf" + r + "!" << 1;
    QTest::newRow("truncated at end") << QByteArray("ab\xE2\x82") << "ab" + r << 1;
    QTest::newRow("truncated before ascii") << QByteArray("\xE2\x82x") << r + "x" << 1;
    QTest::newRow("overlong") << QByteArray("\xC0\xAF") << r + r << 2;
    QTest::newRow("overlong three") << QByteArray("\xE0\x80\xAF") << r + r + r << 3;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << r + r + r << 3;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << r + r + r + r << 4;
    QTest::newRow("F5 lead") << QByteArray("\xF5\x80") << r + r << 2;
    QTest::newRow("bad third byte") << QByteArray("\xF0\x9F\x98z") << r + "z" << 1;
}

void TestText::decodeUtf8()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(int, invalid);

    std::size_t counted = 0;
    const std::u32string decoded = embedlab::decodeUtf8(bytes(input), &counted);
    QCOMPARE(QString::fromStdU32String(decoded), expected);
    QCOMPARE(counted, std::size_t(invalid));

    counted = 0;
    const std::string clean = sanitizeUtf8(bytes(input), &counted);
    QCOMPARE(QByteArray::fromStdString(clean), expected.toUtf8());
    QCOMPARE(counted, std::size_t(invalid));
}

void TestText::appendUtf8Encodes_data()
{
    QTest::addColumn<uint>("cp");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("ascii") << 0x41u << QByteArray("A");
    QTest::newRow("U+07FF") << 0x7FFu << QByteArray("\xDF\xBF");
    QTest::newRow("U+4E2D") << 0x4E2Du << QByteArray("\xE4\xB8\xAD");
    QTest::newRow("U+10FFFF") << 0x10FFFFu << QByteArray("\xF4\x8F\xBF\xBF");
    QTest::newRow("surrogate") << 0xD800u << QByteArray("\xEF\xBF\xBD");
    QTest::newRow("too big") << 0x110000u << QByteArray("\xEF\xBF\xBD");
}

void TestText::appendUtf8Encodes()
{
    QFETCH(uint, cp);
    QFETCH(QByteArray, expected);

    std::string out = "x";
    appendUtf8(out, cp);
    QCOMPARE(QByteArray::fromStdString(out), "x" + expected);
}

void TestText::wordTokens_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("lowercase");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("invalid");
    QTest::addColumn<QString>("flags"); // "chars", "nfc", "nfkc", "simple", comma-separated

    // Literals are UTF-8; \x is used only for bytes that are not valid UTF-8.
    auto row = [](const char *name, const char *line, const QStringList &expected,
                   bool lowercase = false, int invalid = 0, const char *flags = "") {
        QTest::newRow(name) << QByteArray(line) << lowercase << expected << invalid
                            << QString::fromLatin1(flags);
    };
    // With CjkSegmentation::Chars (the tokenizer before ICU).
    auto chars = [&row](const char *name, const char *line, const QStringList &expected) {
        row(name, line, expected, false, 0, "chars");
    };
    // Punctuation
    row("comma and bang", "Hello, world!", { "Hello", ",", "world", "!" });
    row("underscores", "_them_", { "_", "them", "_" });
    row("double hyphen", "--", { "-", "-" });
    row("dash between words", "a--b", { "a", "-", "-", "b" });
    row("dangling hyphens", "well- -ish", { "well", "-", "-", "ish" });
    row("brackets and quotes", "(\"yes\")", { "(", "\"", "yes", "\"", ")" });
    row("symbols", "$100 & 50% #tag", { "$", "100", "&", "50", "%", "#", "tag" });
    row("latin-1 punctuation", "\u00BFQu\u00E9? \u00A1S\u00ED!",
        { "\u00BF", "Qu\u00E9", "?", "\u00A1", "S\u00ED", "!" });
    row("general punctuation", "\u201CYes,\u201D he said\u2014",
        { "\u201C", "Yes", ",", "\u201D", "he", "said", "\u2014" });
    row("ellipsis", "wait\u2026", { "wait", "\u2026" });
    row("currency and math symbols", "\u20AC5 x\u2208y", { "\u20AC", "5", "x", "\u2208", "y" });
    // Contractions and compounds
    row("compounds", "twenty-one don't Emma's", { "twenty-one", "don't", "Emma's" });
    row("typographic apostrophe", "don\u2019t", { "don\u2019t" });
    row("leading and trailing apostrophe", "'tis the dogs' toys",
        { "'", "tis", "the", "dogs", "'", "toys" });
    row("several joiners", "rock'n'roll", { "rock'n'roll" });
    row("apostrophe then hyphen", "a'-b", { "a", "'", "-", "b" });
    // Numbers
    row("decimal", "3.14 1,000", { "3.14", "1,000" });
    row("sentence end after number", "is 2.5.", { "is", "2.5", "." });
    row("list of digits", "1,2,3", { "1,2,3" });
    row("version", "v1.2.3", { "v1.2.3" });
    row("dot after letter", "end.3", { "end", ".", "3" });
    row("comma then space", "3, 4", { "3", ",", "4" });
    // CJK, one token per ideograph (CjkSegmentation::Chars, the old behaviour)
    chars("chinese", "\u6211\u7231\u5317\u4EAC", { "\u6211", "\u7231", "\u5317", "\u4EAC" });
    chars("chinese with latin", "\u6211\u7231NLP\u548CAI\u3002",
        { "\u6211", "\u7231", "NLP", "\u548C", "AI", "\u3002" });
    chars("latin then cjk", "Hello\u4E16\u754C!", { "Hello", "\u4E16", "\u754C", "!" });
    chars("fullwidth punctuation", "\u4F60\u597D\uFF0C\u4E16\uFF01",
        { "\u4F60", "\u597D", "\uFF0C", "\u4E16", "\uFF01" });
    chars("kana stays a word", "\u6771\u4EAC\u30BF\u30EF\u30FC",
        { "\u6771", "\u4EAC", "\u30BF\u30EF\u30FC" });
    chars("extension B", "\U00020000a", { "\U00020000", "a" });
    chars("chinese sentence as characters", "我们在学习神经网络和词向量",
        { "我", "们", "在", "学", "习", "神", "经", "网", "络", "和", "词", "向", "量" });
    chars("thai run is one word", "ภาษาไทยเป็นภาษาที่สวยงาม", { "ภาษาไทยเป็นภาษาที่สวยงาม" });
    chars("kana joins latin", "abcタワー", { "abcタワー" });
    // Dictionary scripts cut by ICU's word break iterator (CjkSegmentation::Words, the default;
    // the pieces are those of ICU 72's dictionaries)
    row("chinese words", "我们在学习神经网络和词向量",
        { "我们", "在", "学习", "神经", "网络", "和", "词", "向量" });
    row("chinese words 2", "\u6211\u7231\u5317\u4EAC", { "我", "爱", "北京" });
    row("chinese words with latin", "\u6211\u7231NLP\u548CAI\u3002",
        { "我", "爱", "NLP", "和", "AI", "。" });
    row("latin then chinese word", "Hello\u4E16\u754C!", { "Hello", "世界", "!" });
    row("fullwidth punctuation splits", "你好，世！", { "你好", "，", "世", "！" });
    row("japanese kanji and kana", "私は東京で日本語を勉強しています。",
        { "私", "は", "東京", "で", "日本語", "を", "勉強", "し", "てい", "ます", "。" });
    row("japanese katakana word", "東京タワーに行きました",
        { "東京タワー", "に", "行き", "ま", "した" });
    row("iteration mark", "日々の生活", { "日々", "の", "生活" });
    row("half-width katakana", "ｶﾀｶﾅ", { "ｶﾀｶﾅ" });
    row("kana ends a latin word", "abcタワー", { "abc", "タワー" });
    row("extension B word", "\U00020000a", { "\U00020000", "a" });
    row("thai", "ภาษาไทยเป็นภาษาที่สวยงาม", { "ภาษา", "ไทย", "เป็น", "ภาษา", "ที่", "สวยงาม" });
    row("thai 2", "ฉันรักเธอ", { "ฉัน", "รัก", "เธอ" });
    row("khmer", "ខ្ញុំស្រឡាញ់ភាសាខ្មែរ", { "ខ្ញុំ", "ស្រឡាញ់", "ភាសាខ្មែរ" });
    row("burmese", "မြန်မာဘာသာစကား", { "မြန်မာဘာသာ", "စကား" });
    row("lao", "ສະບາຍດີ", { "ສະບາຍດີ" });
    // Whitespace and line endings
    row("unicode spaces", "a\u00A0b\u3000c\u2003d\te\vf\fg", { "a", "b", "c", "d", "e", "f", "g" });
    row("crlf", "Hello world\r", { "Hello", "world" });
    row("empty", "", {});
    row("blank", "  \t \r", {});
    // Invalid UTF-8 is replaced inside the word and counted
    row("latin-1 in word", "caf\xE9 ok", { "caf\uFFFD", "ok" }, false, 1);
    row("truncated at end", "abc\xE2\x82", { "abc\uFFFD" }, false, 1);
    row("two bad bytes", "\xFF\xFE", { "\uFFFD\uFFFD" }, false, 2);
    // Lowercasing
    row("lower ascii", "Hello WORLD", { "hello", "world" }, true);
    // Full case folding (ICU, default non-Turkic rules)
    row("lower latin-1", "\u00C9COLE Stra\u00DFe", { "\u00E9cole", "strasse" }, true);
    row("german sharp s", "STRASSE Straße straße", { "strasse", "strasse", "strasse" }, true);
    row("lower latin extended-a", "\u0141\u00D3D\u0179 \u0130",
        { "\u0142\u00F3d\u017A", "i\u0307" }, true);
    // İ -> i + combining dot above, ı stays, I -> i (Turkish would give i, ı, ı, i)
    row("turkish i", "İ ı I i", { "i\u0307", "\u0131", "i", "i" }, true);
    row("turkish words", "İstanbul ISPARTA ıspanak",
        { "i\u0307stanbul", "isparta", "\u0131spanak" }, true);
    row("final sigma", "ΣΊΣΥΦΟΣ ς", { "σίσυφοσ", "σ" }, true);
    // CaseFolding::Simple: the old 1:1 table, for checkpoints saved before full folding
    row("simple folding", "Stra\u00DFe \u0130 ΣΊΣΥΦΟΣ", { "stra\u00DFe", "i", "σίσυφοσ" }, true, 0,
        "simple");
    row("lower greek", "\u0391\u0398\u0397\u039D\u0391 \u0386\u03BB\u03C6\u03B1",
        { "\u03B1\u03B8\u03B7\u03BD\u03B1", "\u03AC\u03BB\u03C6\u03B1" }, true);
    row("lower cyrillic", "\u041C\u041E\u0421\u041A\u0412\u0410 \u0401\u0436",
        { "\u043C\u043E\u0441\u043A\u0432\u0430", "\u0451\u0436" }, true);
    row("lower keeps cjk", "\u4E2DA", { "\u4E2D", "a" }, true);
    row("lower with invalid", "A\xFFZ", { "a\uFFFDz" }, true, 1);
    row("lower keeps thai and japanese", "ABCタワー ไทย", { "abc", "タワー", "ไทย" }, true);
    // Normalisation
    row("decomposed stays without normalize", "e\u0301cole", { "e\u0301cole" });
    row("nfc composes", "e\u0301cole", { "\u00E9cole" }, false, 0, "nfc");
    row("nfc keeps ligature and full-width", "\uFB01ne \uFF11\uFF12\uFF13",
        { "\uFB01ne", "\uFF11\uFF12\uFF13" }, false, 0, "nfc");
    row("nfkc", "e\u0301cole \uFB01ne \uFF11\uFF12\uFF13.5 ｶﾀｶﾅ",
        { "\u00E9cole", "fine", "123.5", "カタカナ" }, false, 0, "nfkc");
    row("nfkc then fold", "\uFB01NE \uFF21\uFF22", { "fine", "ab" }, true, 0, "nfkc");
    row("nfc composed is untouched", "\u00E9cole", { "\u00E9cole" }, false, 0, "nfc");
    row("nfc with invalid", "A\xFF\u00E9e\u0301", { "A\uFFFD\u00E9\u00E9" }, false, 1, "nfc");
    row("nfkc ascii", "Hello, world", { "Hello", ",", "world" }, false, 0, "nfkc");
}

void TestText::wordTokens()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, lowercase);
    QFETCH(QStringList, expected);
    QFETCH(int, invalid);
    QFETCH(QString, flags);

    TokenizerOptions options;
    options.lowercase = lowercase;
    const QStringList flagList = flags.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (flagList.contains(QLatin1String("chars")))
        options.cjk = CjkSegmentation::Chars;
    if (flagList.contains(QLatin1String("nfc")))
        options.normalize = Normalization::Nfc;
    if (flagList.contains(QLatin1String("nfkc")))
        options.normalize = Normalization::Nfkc;
    if (flagList.contains(QLatin1String("simple")))
        options.folding = CaseFolding::Simple;
    std::vector<std::string> tokens { "before" };
    std::size_t counted = 0;
    tokenizeLine(bytes(line), options, tokens, &counted);
    QCOMPARE(toList(tokens), QStringList { "before" } + expected); // appends
    QCOMPARE(counted, std::size_t(invalid));
}

void TestText::charTokens_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("lowercase");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("invalid");

    QTest::newRow("ascii with space")
        << QByteArray("a b") << false << QStringList { "a", " ", "b" } << 0;
    QTest::newRow("multi-byte") << QByteArray("\u00E9\u4E2D\U0001F600") << false
                                << QStringList { "\u00E9", "\u4E2D", "\U0001F600" } << 0;
    QTest::newRow("crlf") << QByteArray("ab\r") << false << QStringList { "a", "b" } << 0;
    QTest::newRow("tab kept") << QByteArray("\t.") << false << QStringList { "\t", "." } << 0;
    QTest::newRow("invalid") << QByteArray("a\xFFz") << false << QStringList { "a", "\uFFFD", "z" }
                             << 1;
    QTest::newRow("lowercase") << QByteArray("\u00C0B\u0416") << true
                               << QStringList { "\u00E0", "b", "\u0436" } << 0;
    // The line is folded before it is split: ß gives two tokens
    QTest::newRow("fold sharp s") << QByteArray("Stra\u00DFe") << true
                                  << QStringList { "s", "t", "r", "a", "s", "s", "e" } << 0;
    QTest::newRow("cjk is one per character")
        << QByteArray("向量") << false << QStringList { "向", "量" } << 0;
    QTest::newRow("empty") << QByteArray("\r") << false << QStringList {} << 0;
}

void TestText::charTokens()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, lowercase);
    QFETCH(QStringList, expected);
    QFETCH(int, invalid);

    TokenizerOptions options;
    options.mode = TokenizerMode::Char;
    options.lowercase = lowercase;
    std::vector<std::string> tokens;
    std::size_t counted = 0;
    tokenizeLine(bytes(line), options, tokens, &counted);
    QCOMPARE(toList(tokens), expected);
    QCOMPARE(counted, std::size_t(invalid));
}

// Qt's own Unicode tables are the independent reference for the simple lowercase mapping.
void TestText::lowercaseMatchesQt()
{
    for (char32_t c = 0; c < 0x530; ++c) {
        if (c >= 0x180 && c < 0x370)
            continue; // Latin Extended-B and IPA are not covered
        if (c == 0x130)
            continue; // simple mapping 'i'; Qt keeps it since its full lowercase is 2 code points
        const auto expected = static_cast<char32_t>(QChar::toLower(static_cast<uint>(c)));
        if (lowercaseCodePoint(c) != expected)
            QFAIL(qPrintable(QStringLiteral("U+%1 lowercases to U+%2, Qt says U+%3")
                                 .arg(uint(c), 4, 16, QLatin1Char('0'))
                                 .arg(uint(lowercaseCodePoint(c)), 4, 16, QLatin1Char('0'))
                                 .arg(uint(expected), 4, 16, QLatin1Char('0'))));
    }
    QCOMPARE(lowercaseCodePoint(0x4E2D), char32_t(0x4E2D));
}

void TestText::modeNames()
{
    TokenizerMode mode = TokenizerMode::Word;
    QVERIFY(parseTokenizerMode("char", mode));
    QCOMPARE(mode, TokenizerMode::Char);
    QCOMPARE(tokenizerModeName(mode), "char");
    QVERIFY(parseTokenizerMode("Word", mode));
    QCOMPARE(mode, TokenizerMode::Word);
    QCOMPARE(tokenizerModeName(mode), "word");
    QVERIFY(!parseTokenizerMode("bpe", mode));
    QCOMPARE(mode, TokenizerMode::Word);

    CjkSegmentation cjk = CjkSegmentation::Words;
    QVERIFY(parseCjkSegmentation("Chars", cjk));
    QCOMPARE(cjk, CjkSegmentation::Chars);
    QCOMPARE(cjkSegmentationName(cjk), "chars");
    QCOMPARE(cjkSegmentationName(CjkSegmentation::Words), "words");
    QVERIFY(!parseCjkSegmentation("char", cjk));
    Normalization n = Normalization::None;
    QVERIFY(parseNormalization("NFKC", n));
    QCOMPARE(n, Normalization::Nfkc);
    QCOMPARE(normalizationName(Normalization::Nfc), "nfc");
    QCOMPARE(normalizationName(Normalization::None), "none");
    QVERIFY(!parseNormalization("nfd", n));
    CaseFolding f = CaseFolding::Full;
    QVERIFY(parseCaseFolding("simple", f));
    QCOMPARE(f, CaseFolding::Simple);
    QCOMPARE(caseFoldingName(CaseFolding::Full), "full");

    // Old files: one token per ideograph and the simple table. The folding counts only when
    // lowercasing, the CJK choice only in word mode.
    const TokenizerOptions legacy = legacyTokenizerOptions();
    QCOMPARE(legacy.cjk, CjkSegmentation::Chars);
    QCOMPARE(legacy.folding, CaseFolding::Simple);
    QCOMPARE(legacy.normalize, Normalization::None);
    TokenizerOptions a, b = legacy;
    QVERIFY(!sameTokenization(a, b)); // words against characters
    b.cjk = CjkSegmentation::Words;
    QVERIFY(sameTokenization(a, b)); // no lowercase: the folding does not matter
    a.lowercase = b.lowercase = true;
    QVERIFY(!sameTokenization(a, b));
    a.mode = b.mode = TokenizerMode::Char;
    b.folding = CaseFolding::Full;
    b.cjk = CjkSegmentation::Chars;
    QVERIFY(sameTokenization(a, b));
    b.normalize = Normalization::Nfc;
    QVERIFY(!sameTokenization(a, b));
}

void TestText::vocabularyBuild_data()
{
    QTest::addColumn<QStringList>("counts"); // "word:count" in order of first appearance
    QTest::addColumn<int>("minCount");
    QTest::addColumn<int>("maxVocab");
    QTest::addColumn<QStringList>("expected"); // after the specials

    QTest::newRow("by count") << QStringList { "a:1", "b:3", "c:2" } << 1 << 0
                              << QStringList { "b", "c", "a" };
    QTest::newRow("ties by first appearance") << QStringList { "x:2", "y:5", "z:2", "w:2" } << 1
                                              << 0 << QStringList { "y", "x", "z", "w" };
    QTest::newRow("minCount") << QStringList { "a:1", "b:3", "c:2", "d:1" } << 2 << 0
                              << QStringList { "b", "c" };
    QTest::newRow("maxVocab counts specials")
        << QStringList { "a:1", "b:3", "c:2", "d:3" } << 1 << 5 << QStringList { "b", "d" };
    QTest::newRow("maxVocab and minCount")
        << QStringList { "a:4", "b:3", "c:2", "d:1" } << 2 << 100 << QStringList { "a", "b", "c" };
    QTest::newRow("specials only") << QStringList { "a:9" } << 1 << 3 << QStringList {};
    QTest::newRow("special spelling skipped")
        << QStringList { "<unk>:4", "a:1" } << 1 << 0 << QStringList { "a" };
    QTest::newRow("empty") << QStringList {} << 1 << 0 << QStringList {};
}

void TestText::vocabularyBuild()
{
    QFETCH(QStringList, counts);
    QFETCH(int, minCount);
    QFETCH(int, maxVocab);
    QFETCH(QStringList, expected);

    const auto parsed = parseCounts(counts);
    const Vocabulary v = Vocabulary::build(parsed, std::uint64_t(minCount), std::size_t(maxVocab));
    QCOMPARE(toList(v.words()), Specials + expected);
    QCOMPARE(v.size(), int(Specials.size() + expected.size()));
    for (int id = 0; id < v.size(); ++id) {
        QCOMPARE(v.find(v.word(id)), id);
        if (id >= Vocabulary::SpecialCount) {
            const auto it = std::find_if(
                parsed.begin(), parsed.end(), [&](const auto &p) { return p.first == v.word(id); });
            QCOMPARE(v.count(id), it->second);
        }
    }
    QCOMPARE(v.count(Vocabulary::Eos), std::uint64_t(0));
}

void TestText::vocabularyLookup()
{
    Vocabulary v;
    QCOMPARE(toList(v.words()), Specials);
    QCOMPARE(v.word(Vocabulary::Pad), std::string("<pad>"));
    QCOMPARE(v.word(Vocabulary::Unk), std::string("<unk>"));
    QCOMPARE(v.word(Vocabulary::Eos), std::string("<eos>"));
    QCOMPARE(v.add("cat"), 3);
    QCOMPARE(v.add("dog"), 4);
    QCOMPARE(v.add("cat"), 3);
    QCOMPARE(v.size(), 5);
    QCOMPARE(v.find(std::string_view("dog")), 4);
    QCOMPARE(v.find("bird"), -1);
    QCOMPARE(v.id("bird"), int(Vocabulary::Unk));
    QCOMPARE(v.id("<eos>"), int(Vocabulary::Eos));
    v.setCount(4, 7);
    QCOMPARE(v.count(4), std::uint64_t(7));
    QCOMPARE(v.counts().size(), std::size_t(5));
    QVERIFY(!errorOf([&] { v.word(5); }).isEmpty());
    QVERIFY(!errorOf([&] { v.count(-1); }).isEmpty());

    // A copy is independent and still finds its words.
    Vocabulary copy = v;
    copy.add("bird");
    QCOMPARE(copy.find("bird"), 5);
    QCOMPARE(v.find("bird"), -1);
}

void TestText::vocabularyFromWords_data()
{
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<int>("countEntries"); // -1: no counts
    QTest::addColumn<QString>("error"); // expected part of the message; empty: no error

    QTest::newRow("ok") << (Specials + QStringList { "the", "cat" }) << -1 << QString();
    QTest::newRow("ok with counts") << (Specials + QStringList { "the" }) << 4 << QString();
    QTest::newRow("missing specials")
        << QStringList { "the", "cat" } << -1 << "must start with <pad>, <unk>, <eos>";
    QTest::newRow("specials out of order")
        << QStringList { "<unk>", "<pad>", "<eos>" } << -1 << "must start with <pad>, <unk>, <eos>";
    QTest::newRow("duplicate") << (Specials + QStringList { "the", "cat", "the" }) << -1
                               << "\"the\" appears twice";
    QTest::newRow("duplicate special")
        << (Specials + QStringList { "<unk>" }) << -1 << "\"<unk>\" appears twice";
    QTest::newRow("count mismatch")
        << (Specials + QStringList { "the" }) << 3 << "4 words but 3 counts";
}

void TestText::vocabularyFromWords()
{
    QFETCH(QStringList, words);
    QFETCH(int, countEntries);
    QFETCH(QString, error);

    std::vector<std::string> list;
    for (const QString &w : words)
        list.push_back(w.toStdString());
    std::vector<std::uint64_t> counts;
    for (int i = 0; i < countEntries; ++i)
        counts.push_back(std::uint64_t(10 + i));

    Vocabulary v;
    const QString message = errorOf([&] { v = Vocabulary::fromWords(list, counts); });
    if (!error.isEmpty()) {
        QVERIFY2(message.contains(error), qPrintable(message));
        return;
    }
    QVERIFY2(message.isEmpty(), qPrintable(message));
    QCOMPARE(toList(v.words()), words);
    for (int id = 0; id < v.size(); ++id) {
        QCOMPARE(v.find(list[std::size_t(id)]), id);
        QCOMPARE(v.count(id), countEntries < 0 ? std::uint64_t(0) : std::uint64_t(10 + id));
    }
}

void TestText::vocabularyManyWords()
{
    const int n = 300000;
    std::vector<std::string> words = { "<pad>", "<unk>", "<eos>" };
    Vocabulary grown;
    for (int i = 0; i < n; ++i) {
        words.push_back("w" + std::to_string(i));
        QCOMPARE(grown.add(words.back()), i + 3);
    }
    const Vocabulary loaded = Vocabulary::fromWords(words);
    for (int i = 0; i < n; i += 997) {
        QCOMPARE(grown.find(words[std::size_t(i) + 3]), i + 3);
        QCOMPARE(loaded.find(words[std::size_t(i) + 3]), i + 3);
        QCOMPARE(loaded.find("x" + std::to_string(i)), -1);
    }
}

void TestText::eosPerNonEmptyLine_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("charMode");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("lines");
    QTest::addColumn<int>("nonEmptyLines");

    QTest::newRow("word mode") << QByteArray("a b\n\n c\n \t \nd") << false
                               << QStringList { "a", "b", "<eos>", "c", "<eos>", "d", "<eos>" } << 5
                               << 3;
    QTest::newRow("crlf") << QByteArray("a b\r\n\r\nc\r\n") << false
                          << QStringList { "a", "b", "<eos>", "c", "<eos>" } << 3 << 2;
    QTest::newRow("only punctuation")
        << QByteArray("...\n") << false << QStringList { ".", ".", ".", "<eos>" } << 1 << 1;
    QTest::newRow("char mode") << QByteArray("ab\n \n\r\nc\r\n") << true
                               << QStringList { "a", "b", "<eos>", " ", "<eos>", "c", "<eos>" } << 4
                               << 3;
}

void TestText::eosPerNonEmptyLine()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, charMode);
    QFETCH(QStringList, expected);
    QFETCH(int, lines);
    QFETCH(int, nonEmptyLines);

    CorpusOptions options;
    options.validFraction = 0;
    options.tokenizer.mode = charMode ? TokenizerMode::Char : TokenizerMode::Word;
    const Corpus c = buildCorpus(bytes(text), options);
    QCOMPARE(wordsOf(c.vocab, c.train), expected);
    QVERIFY(c.valid.empty());
    QCOMPARE(c.stats.lines, std::uint64_t(lines));
    QCOMPARE(c.stats.nonEmptyLines, std::uint64_t(nonEmptyLines));
    QCOMPARE(c.stats.tokens, std::uint64_t(expected.size() - nonEmptyLines));
    QCOMPARE(c.stats.bytes, std::uint64_t(text.size()));
    QCOMPARE(c.vocab.count(Vocabulary::Eos), std::uint64_t(nonEmptyLines));
    QCOMPARE(c.path, std::string("<text>"));
}

void TestText::vocabularyFromTrainingOnly()
{
    // 5 non-empty lines, 20% held out: the last line is validation only.
    CorpusOptions options;
    options.validFraction = 0.2;
    options.minCount = 2;
    const Corpus c = buildCorpus("the cat\nthe dog\n\nthe cat sat\na cat\nthe zebra\n", options);

    QCOMPARE(wordsOf(c.vocab, c.train),
        QStringList({ "the", "cat", "<eos>", "the", "<unk>", "<eos>", "the", "cat", "<unk>",
            "<eos>", "<unk>", "cat", "<eos>" }));
    QCOMPARE(toList(c.vocab.words()), Specials + QStringList({ "the", "cat" }));
    // "the" and "cat" tie at 3 in the training lines ("the zebra" is validation): first seen first.
    QCOMPARE(c.vocab.count(3), std::uint64_t(3));
    QCOMPARE(c.vocab.count(4), std::uint64_t(3));
    QCOMPARE(c.vocab.count(Vocabulary::Eos), std::uint64_t(4));
    QCOMPARE(c.trainUnk, std::uint64_t(3)); // dog, sat, a: below minCount
    QCOMPARE(c.vocab.count(Vocabulary::Unk), c.trainUnk);
    QCOMPARE(wordsOf(c.vocab, c.valid), QStringList({ "the", "<unk>", "<eos>" }));
    QCOMPARE(c.validUnk, std::uint64_t(1));
}

void TestText::validationSplit_data()
{
    QTest::addColumn<int>("lines");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<int>("validLines");

    QTest::newRow("10 at 0.1") << 10 << 0.1 << 1;
    QTest::newRow("10 at 0.25 rounds up") << 10 << 0.25 << 3;
    QTest::newRow("10 at 0") << 10 << 0.0 << 0;
    QTest::newRow("2 at 0.1 gives at least one") << 2 << 0.1 << 1;
    QTest::newRow("3 at 0.01 gives at least one") << 3 << 0.01 << 1;
    QTest::newRow("1 line keeps it for training") << 1 << 0.5 << 0;
    QTest::newRow("one training line is kept") << 5 << 0.9 << 4;
    QTest::newRow("100 at 0.1") << 100 << 0.1 << 10;
}

void TestText::validationSplit()
{
    QFETCH(int, lines);
    QFETCH(double, fraction);
    QFETCH(int, validLines);

    // Each line is "wI", with an empty line in between that must not count.
    std::string text;
    for (int i = 0; i < lines; ++i)
        text += "w" + std::to_string(i) + "\n\n";
    CorpusOptions options;
    options.validFraction = fraction;
    const Corpus c = buildCorpus(text, options);

    const int trainLines = lines - validLines;
    QCOMPARE(c.train.size(), std::size_t(2 * trainLines));
    QCOMPARE(c.valid.size(), std::size_t(2 * validLines));
    for (int i = 0; i < validLines; ++i) // validation is the end of the text, in order
        QCOMPARE(c.valid[std::size_t(2 * i)], Vocabulary::Unk);
    QCOMPARE(c.validUnk, std::uint64_t(validLines));
    QCOMPARE(c.trainUnk, std::uint64_t(0));
    QCOMPARE(c.vocab.size(), 3 + trainLines);
    QCOMPARE(c.vocab.word(c.train.front()), std::string("w0"));
    QCOMPARE(c.stats.nonEmptyLines, std::uint64_t(lines));
}

void TestText::validationFile()
{
    CorpusOptions options;
    options.validFraction = 0.5; // ignored
    options.validPath = dataPath("valid.txt");
    const Corpus c = loadCorpus(dataPath("train.txt"), options);
    QCOMPARE(wordsOf(c.vocab, c.train),
        QStringList({ "the", "cat", "sat", "<eos>", "the", "dog", "<eos>" }));
    QCOMPARE(
        wordsOf(c.vocab, c.valid), QStringList({ "the", "<unk>", "<eos>", "the", "cat", "<eos>" }));
    QCOMPARE(c.validUnk, std::uint64_t(1));
    QCOMPARE(c.stats.bytes, std::uint64_t(20 + 18));
    QCOMPARE(c.stats.lines, std::uint64_t(2 + 3));
    QCOMPARE(c.stats.nonEmptyLines, std::uint64_t(4));
    QCOMPARE(c.stats.tokens, std::uint64_t(9));
    QCOMPARE(c.vocab.count(Vocabulary::Eos), std::uint64_t(2));

    // The same from memory.
    const Corpus m = buildCorpus("the cat sat\nthe dog\n", options, "mem");
    QCOMPARE(m.valid, c.valid);
    QCOMPARE(m.path, std::string("mem"));
}

void TestText::corpusFiles()
{
    CorpusOptions options;
    options.validFraction = 0;
    const Corpus crlf = loadCorpus(dataPath("crlf.txt"), options);
    QCOMPARE(wordsOf(crlf.vocab, crlf.train),
        QStringList({ "Hello", ",", "world", "!", "<eos>", "Second", "line", ".", "<eos>" }));
    QCOMPARE(crlf.stats.crlfLines, std::uint64_t(3));
    QCOMPARE(crlf.stats.lines, std::uint64_t(3));
    QCOMPARE(crlf.path, dataPath("crlf.txt"));

    // UTF-8 BOM skipped, Chinese cut into words, one invalid byte replaced and counted.
    const Corpus mixed = loadCorpus(dataPath("mixed.txt"), options);
    QCOMPARE(wordsOf(mixed.vocab, mixed.train),
        QStringList({ "Emma's", "caf\u00E9", "<eos>", "\u6211", "\u7231", "\u5317\u4EAC", "\u3002",
            "<eos>", "caf\uFFFD", "ok", "<eos>" }));
    QCOMPARE(mixed.stats.invalidUtf8, std::uint64_t(1));
    QCOMPARE(mixed.stats.crlfLines, std::uint64_t(0));

    // One token per ideograph, as before ICU.
    options.tokenizer.cjk = CjkSegmentation::Chars;
    const Corpus ideographs = loadCorpus(dataPath("mixed.txt"), options);
    QCOMPARE(wordsOf(ideographs.vocab, ideographs.train),
        QStringList({ "Emma's", "caf\u00E9", "<eos>", "\u6211", "\u7231", "\u5317", "\u4EAC",
            "\u3002", "<eos>", "caf\uFFFD", "ok", "<eos>" }));

    options.tokenizer.lowercase = true;
    options.tokenizer.mode = TokenizerMode::Char;
    const Corpus chars = loadCorpus(dataPath("mixed.txt"), options);
    QCOMPARE(chars.train.front(), chars.vocab.find("e"));
    QCOMPARE(chars.stats.invalidUtf8, std::uint64_t(1));
}

void TestText::refusedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");

    QTest::newRow("UTF-16 LE") << "utf16le.txt" << 1;
    QTest::newRow("UTF-16 BE") << "utf16be.txt" << 1;
    QTest::newRow("NUL byte") << "binary.bin" << 3;
}

void TestText::refusedFiles()
{
    QFETCH(QString, file);
    QFETCH(int, line);

    const std::string path = dataPath(qPrintable(file));
    const QString where = QString::fromStdString(path) + " line " + QString::number(line) + ": ";
    auto check = [&](const QString &message) {
        QVERIFY2(message.startsWith(where), qPrintable(message));
        QVERIFY2(message.contains("looks like UTF-16/binary, not UTF-8 text"), qPrintable(message));
    };
    check(errorOf([&] { loadCorpus(path, CorpusOptions {}); }));
    check(errorOf([&] { encodeFile(path, Vocabulary {}, TokenizerOptions {}); }));

    // As a validation file, the message names that file.
    CorpusOptions options;
    options.validPath = path;
    check(errorOf([&] { loadCorpus(dataPath("train.txt"), options); }));
}

void TestText::noTokens_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("empty") << "empty.txt";
    QTest::newRow("blank lines") << "blank.txt";
}

void TestText::noTokens()
{
    QFETCH(QString, file);
    const std::string path = dataPath(qPrintable(file));
    QCOMPARE(errorOf([&] { loadCorpus(path, CorpusOptions {}); }),
        QString::fromStdString(path) + ": no tokens");

    CorpusOptions options;
    options.validPath = path;
    QCOMPARE(errorOf([&] { loadCorpus(dataPath("train.txt"), options); }),
        QString::fromStdString(path) + ": no tokens");
}

void TestText::missingFile()
{
    const std::string path = dataPath("no-such-file.txt");
    const QString message = errorOf([&] { loadCorpus(path, CorpusOptions {}); });
    QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
    QVERIFY2(message.contains("No such file or directory"), qPrintable(message));
    QVERIFY(errorOf([&] { readTextFile(EMBEDLAB_TEST_DATA); }).contains("is a directory"));

    CorpusOptions bad;
    bad.validFraction = 1.0;
    QVERIFY(errorOf([&] { buildCorpus("a\nb\n", bad); }).contains("validation fraction"));
}

void TestText::progressAndCancel()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("big.txt").toStdString();
    {
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray line = "The quick brown fox jumps over the lazy dog, again and again.\n";
        for (int i = 0; i < 40000; ++i) // about 2.5 MB
            f.write(line);
    }
    const auto size = std::uint64_t(QFileInfo(QString::fromStdString(path)).size());

    // Uncancelled: increasing byte counts from 0 to the file size.
    std::vector<std::uint64_t> done;
    const Corpus c = loadCorpus(path, CorpusOptions {}, [&](std::uint64_t d, std::uint64_t total) {
        if (total != size)
            return false;
        done.push_back(d);
        return true;
    });
    QVERIFY(done.size() > 3);
    QCOMPARE(done.front(), std::uint64_t(0));
    QCOMPARE(done.back(), size);
    QVERIFY(std::is_sorted(done.begin(), done.end()));
    QCOMPARE(c.stats.nonEmptyLines, std::uint64_t(40000));

    // Cancelled on the second report: stops there, with the dedicated exception.
    int calls = 0;
    std::uint64_t last = 0;
    bool cancelled = false;
    try {
        loadCorpus(path, CorpusOptions {}, [&](std::uint64_t d, std::uint64_t) {
            last = d;
            return ++calls < 2;
        });
    } catch (const Cancelled &e) {
        cancelled = true;
        QCOMPARE(QString::fromStdString(e.what()), QString::fromStdString(path) + ": cancelled");
    }
    QVERIFY(cancelled);
    QCOMPARE(calls, 2);
    QVERIFY(last < size / 2);
}

void TestText::encodeWithVocabulary()
{
    const Vocabulary v = Vocabulary::fromWords({ "<pad>", "<unk>", "<eos>", "the", "cat", "." });
    std::uint64_t unk = 5; // added to, not reset
    const auto ids = encodeText("\xEF\xBB\xBFThe cat.\r\n\nthe dog", v, TokenizerOptions {}, &unk);
    QCOMPARE(
        wordsOf(v, ids), QStringList({ "<unk>", "cat", ".", "<eos>", "the", "<unk>", "<eos>" }));
    QCOMPARE(unk, std::uint64_t(7));

    TokenizerOptions lower;
    lower.lowercase = true;
    QCOMPARE(wordsOf(v, encodeText("The", v, lower)), QStringList({ "the", "<eos>" }));

    const auto fromFile = encodeFile(dataPath("train.txt"), v, TokenizerOptions {});
    QCOMPARE(wordsOf(v, fromFile),
        QStringList({ "the", "cat", "<unk>", "<eos>", "the", "<unk>", "<eos>" }));
}

void TestText::batchifyStreams_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("steps");

    QTest::newRow("26 by 4") << 26 << 4 << 6; // the two last ids are dropped
    QTest::newRow("24 by 4") << 24 << 4 << 6;
    QTest::newRow("batch 1") << 5 << 1 << 5;
    QTest::newRow("batch larger than stream") << 3 << 4 << 0;
    QTest::newRow("empty") << 0 << 2 << 0;
}

void TestText::batchifyStreams()
{
    QFETCH(int, length);
    QFETCH(int, batch);
    QFETCH(int, steps);

    std::vector<std::int32_t> stream(static_cast<std::size_t>(length));
    for (int i = 0; i < length; ++i)
        stream[std::size_t(i)] = i;
    const BatchedStream b = batchify(stream, batch);
    QCOMPARE(b.batch, batch);
    QCOMPARE(b.steps, std::size_t(steps));
    QCOMPARE(b.data.size(), std::size_t(steps * batch));
    // torch: data.narrow(0, 0, nbatch * bsz).view(bsz, -1).t(), so column j is chunk j.
    for (int t = 0; t < steps; ++t) {
        for (int j = 0; j < batch; ++j)
            QCOMPARE(b.data[std::size_t(t * batch + j)], j * steps + t);
    }
    QVERIFY(errorOf([&] { batchify(stream, 0); }).contains("batch size"));
}

QTEST_GUILESS_MAIN(TestText)
#include "tst_text.moc"
