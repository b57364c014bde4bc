#include "ui/neighborspanel.h"

#include <QComboBox>
#include <QCompleter>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStringListModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

#include "core/wordlookup.h"

namespace embedlab {

struct NeighborsPanel::Indexed
{
    std::shared_ptr<const WordVectors> table;
    std::unique_ptr<NeighborIndex> index;
};

// What a query found, delivered to the GUI thread.
struct NeighborsPanel::Answer
{
    std::vector<Neighbor> neighbors; // Word, Words; DoesntMatch: the ranking, odd one last
    double similarity = std::numeric_limits<double>::quiet_NaN();
    QString oddOneOut;
    QStringList ignored; // DoesntMatch: words not in the vocabulary
    QString unknown; // a word not in the vocabulary (the query was not run)
    QStringList suggestions; // what it may have meant
    bool fromNgrams = false; // Word: not in the vocabulary, looked up by its character n-grams
    QStringList ngramWords; // Words, Similarity, DoesntMatch: the words taken by their n-grams
    QList<QPair<QString, QString>> caseResolved; // (asked, answered for): a word in another case
    QString error;
    std::shared_ptr<void> indexed; // keeps the index built on the worker
};

namespace {
// " (out of vocabulary, by their n-grams: cats, rivers)" for the words a fastText model took by
// their n-grams, else nothing.
QString ngramNote(const QStringList &words)
{
    if (words.isEmpty())
        return QString();
    return QLatin1Char(' ')
        + NeighborsPanel::tr("(out of vocabulary, by their n-grams: %1)")
              .arg(words.join(QStringLiteral(", ")));
}

// " (“elizabeth” is not in the vocabulary: read as “Elizabeth”)" for each word answered in
// another case.
QString caseNote(const QList<QPair<QString, QString>> &resolved)
{
    QString note;
    for (const auto &[asked, used] : resolved)
        note += QLatin1Char(' ')
            + NeighborsPanel::tr("(“%1” is not in the vocabulary: read as “%2”)").arg(asked, used);
    return note;
}

QString emptyStatus()
{
    return NeighborsPanel::tr("Open a corpus and train, or import vectors, then ask for a word.");
}

// "king, woman" or "king woman" -> {"king", "woman"}
QStringList wordsOf(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

std::vector<std::string> stdWords(const QStringList &words)
{
    std::vector<std::string> out;
    for (const QString &w : words)
        out.push_back(w.toStdString());
    return out;
}
} // namespace

NeighborsPanel::NeighborsPanel(QWidget *parent)
    : QWidget(parent)
    , m_similarity(std::numeric_limits<double>::quiet_NaN())
{
    m_query = new QLineEdit(this);
    m_query->setPlaceholderText(tr("Word"));
    m_query->setClearButtonEnabled(true);
    m_words = new QStringListModel(this);
    m_completer = new QCompleter(m_words, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setModelSorting(QCompleter::UnsortedModel);
    m_completer->setMaxVisibleItems(12);
    m_query->setCompleter(m_completer);
    m_k = new QSpinBox(this);
    m_k->setRange(1, 200);
    m_k->setValue(10);
    m_k->setPrefix(tr("k = "));
    m_k->setObjectName(QStringLiteral("k"));
    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("metric"));
    m_metric->addItem(tr("Cosine"));
    m_metric->addItem(tr("Euclidean"));
    m_restrict = new QSpinBox(this);
    m_restrict->setObjectName(QStringLiteral("restrict"));
    m_restrict->setRange(0, 100000000);
    m_restrict->setSingleStep(1000);
    m_restrict->setSpecialValueText(tr("all words"));
    m_restrict->setPrefix(tr("among the top "));
    m_restrict->setToolTip(tr("Search only the N most frequent words (gensim's restrict_vocab)"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_query, 1);
    top->addWidget(m_k);
    top->addWidget(m_metric);
    top->addWidget(m_restrict);

    // Several positive and negative words: king, woman − man.
    m_positive = new QLineEdit(this);
    m_positive->setObjectName(QStringLiteral("positive"));
    m_negative = new QLineEdit(this);
    m_negative->setObjectName(QStringLiteral("negative"));
    m_positive->setPlaceholderText(tr("king, woman"));
    m_negative->setPlaceholderText(tr("man"));
    m_positive->setToolTip(tr("Words to add, separated by commas or spaces"));
    m_negative->setToolTip(tr("Words to subtract, separated by commas or spaces"));
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("method"));
    m_method->addItem(tr("3CosAdd"));
    m_method->addItem(tr("3CosMul"));
    m_method->setToolTip(tr("3CosAdd: cosine with the mean of the words (gensim's most_similar); "
                            "3CosMul: Levy and Goldberg's multiplicative objective "
                            "(most_similar_cosmul)"));
    auto *solve = new QPushButton(tr("Solve"), this);
    solve->setObjectName(QStringLiteral("solve"));
    solve->setToolTip(tr("Words nearest to the positive words minus the negative ones"));
    auto *analogy = new QHBoxLayout;
    analogy->addWidget(m_positive, 1);
    analogy->addWidget(new QLabel(QStringLiteral("−"), this));
    analogy->addWidget(m_negative, 1);
    analogy->addWidget(m_method);
    analogy->addWidget(solve);

    // Similarity of two words; the odd one out of a list.
    m_simA = new QLineEdit(this);
    m_simA->setObjectName(QStringLiteral("similarityA"));
    m_simB = new QLineEdit(this);
    m_simB->setObjectName(QStringLiteral("similarityB"));
    m_simA->setPlaceholderText(tr("cat"));
    m_simB->setPlaceholderText(tr("dog"));
    auto *compare = new QPushButton(tr("Similarity"), this);
    compare->setObjectName(QStringLiteral("compare"));
    compare->setToolTip(tr("The cosine similarity of the two words"));
    m_oddWords = new QLineEdit(this);
    m_oddWords->setObjectName(QStringLiteral("oddWords"));
    m_oddWords->setPlaceholderText(tr("breakfast, lunch, dinner, car"));
    auto *odd = new QPushButton(tr("Odd one out"), this);
    odd->setObjectName(QStringLiteral("oddOneOut"));
    odd->setToolTip(tr("The word furthest from the mean of the words (gensim's doesnt_match)"));
    auto *tools = new QHBoxLayout;
    tools->addWidget(m_simA, 1);
    tools->addWidget(m_simB, 1);
    tools->addWidget(compare);
    tools->addWidget(m_oddWords, 2);
    tools->addWidget(odd);
    // Narrow enough for a 1024-pixel screen: the word boxes give way first.
    const int letter = fontMetrics().horizontalAdvance(QLatin1Char('x'));
    for (QLineEdit *e : { m_positive, m_negative, m_simA, m_simB, m_oddWords })
        e->setMinimumWidth(6 * letter);
    top->setSpacing(4);
    analogy->setSpacing(4);
    tools->setSpacing(4);
    for (QLineEdit *e : { m_positive, m_negative, m_simA, m_simB, m_oddWords })
        e->setCompleter(m_completer);

    m_results = new QTableWidget(0, 2, this);
    m_results->setObjectName(QStringLiteral("results"));
    m_results->setHorizontalHeaderLabels({ tr("Word"), tr("Cosine") });
    m_results->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setAlternatingRowColors(true);
    // Compact rows, and room for at least five answers however the docks are split.
    const int rowHeight = fontMetrics().height() + 6;
    m_results->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_results->setMinimumHeight(m_results->horizontalHeader()->sizeHint().height() + 5 * rowHeight
        + 2 * m_results->frameWidth());
    m_status = new QLabel(emptyStatus(), this);
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setMinimumWidth(1);
    m_suggest = new QLabel(this);
    m_suggest->setObjectName(QStringLiteral("suggestions"));
    m_suggest->setWordWrap(true);
    m_suggest->setTextFormat(Qt::RichText);
    m_suggest->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_suggest->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_suggest->setMinimumWidth(1);
    m_suggest->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(analogy);
    layout->addLayout(tools);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_suggest);

    connect(m_query, &QLineEdit::returnPressed, this, [this] { query(m_query->text()); });
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
        [this](const QString &w) {
            if (m_completer->widget() == m_query) // not a completion in another field
                query(w);
        });
    connect(m_k, &QSpinBox::valueChanged, this, &NeighborsPanel::run);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &NeighborsPanel::run);
    connect(m_restrict, &QSpinBox::valueChanged, this, &NeighborsPanel::run);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        if (m_request.kind == Request::Words)
            run();
    });
    connect(solve, &QPushButton::clicked, this,
        [this] { queryWords(wordsOf(m_positive->text()), wordsOf(m_negative->text())); });
    for (QLineEdit *e : { m_positive, m_negative })
        connect(e, &QLineEdit::returnPressed, solve, &QPushButton::click);
    connect(compare, &QPushButton::clicked, this,
        [this] { querySimilarity(m_simA->text(), m_simB->text()); });
    for (QLineEdit *e : { m_simA, m_simB })
        connect(e, &QLineEdit::returnPressed, compare, &QPushButton::click);
    connect(odd, &QPushButton::clicked, this,
        [this] { queryDoesntMatch(wordsOf(m_oddWords->text())); });
    connect(m_oddWords, &QLineEdit::returnPressed, odd, &QPushButton::click);
    connect(m_suggest, &QLabel::linkActivated, this,
        [this](const QString &link) { replaceWord(m_unknown, link); });
    connect(m_results, &QTableWidget::cellActivated, this, [this](int row, int) {
        const QString w = m_results->item(row, 0)->text();
        query(w);
        emit wordActivated(w);
    });
    connect(m_results, &QTableWidget::cellClicked, this,
        [this](int row, int) { emit wordActivated(m_results->item(row, 0)->text()); });
}

NeighborsPanel::~NeighborsPanel() = default;

void NeighborsPanel::setTable(std::shared_ptr<const WordVectors> table, const QString &source)
{
    const bool sameWords = m_table && table && m_table->size() == table->size()
        && (table->size() == 0
            || m_table->word(table->size() - 1) == table->word(table->size() - 1));
    m_table = std::move(table);
    m_source = source;
    m_indexed.reset();
    emit tableChanged();
    if (!sameWords)
        updateCompleter();
    if (!sameWords && m_autoQuery)
        m_request = {};
    if (m_request.kind == Request::None && m_table) {
        // Show something at once: the most frequent plain word of four letters or more.
        const std::size_t n = std::min<std::size_t>(m_table->size(), 500);
        for (std::size_t i = 0; i < n; ++i) {
            const QString w = QString::fromStdString(m_table->word(i));
            // Letters only, and four or more of them unless they are ideographs, whose words
            // are one or two characters long.
            const bool han = !w.isEmpty() && w.at(0).script() == QChar::Script_Han;
            if ((w.size() >= 4 || han)
                && std::all_of(w.begin(), w.end(), [](QChar c) { return c.isLetter(); })) {
                m_query->setText(w);
                m_request = { Request::Word, w, {}, {} };
                m_autoQuery = true;
                break;
            }
        }
    }
    run();
}

void NeighborsPanel::clear()
{
    m_queries.cancel(); // an answer still on its way is dropped
    m_table.reset();
    m_indexed.reset();
    m_source.clear();
    m_request = {};
    m_autoQuery = true;
    updateCompleter();
    m_results->setRowCount(0);
    m_status->setText(emptyStatus());
    emit resultsChanged();
    emit tableChanged();
}

void NeighborsPanel::updateCompleter()
{
    QStringList words;
    if (m_table) {
        const std::size_t n = std::min<std::size_t>(m_table->size(), 200000);
        words.reserve(static_cast<int>(n));
        for (std::size_t i = 0; i < n; ++i)
            words << QString::fromStdString(m_table->word(i));
    }
    m_words->setStringList(words);
}

void NeighborsPanel::query(const QString &word)
{
    m_request = { Request::Word, word.trimmed(), {}, {} };
    m_autoQuery = false;
    if (m_query->text() != word)
        m_query->setText(word);
    run();
}

void NeighborsPanel::queryAnalogy(const QString &a, const QString &b, const QString &c)
{
    queryWords({ b.trimmed(), c.trimmed() }, { a.trimmed() });
}

void NeighborsPanel::queryWords(const QStringList &positive, const QStringList &negative)
{
    m_request = { Request::Words, {}, positive, negative };
    m_autoQuery = false;
    const QString p = positive.join(QStringLiteral(", ")), n = negative.join(QStringLiteral(", "));
    if (wordsOf(m_positive->text()) != positive)
        m_positive->setText(p);
    if (wordsOf(m_negative->text()) != negative)
        m_negative->setText(n);
    run();
}

void NeighborsPanel::querySimilarity(const QString &a, const QString &b)
{
    m_request = { Request::Similarity, {}, { a.trimmed(), b.trimmed() }, {} };
    m_autoQuery = false;
    if (m_simA->text().trimmed() != a.trimmed())
        m_simA->setText(a.trimmed());
    if (m_simB->text().trimmed() != b.trimmed())
        m_simB->setText(b.trimmed());
    run();
}

void NeighborsPanel::queryDoesntMatch(const QStringList &words)
{
    m_request = { Request::DoesntMatch, {}, words, {} };
    m_autoQuery = false;
    if (wordsOf(m_oddWords->text()) != words)
        m_oddWords->setText(words.join(QStringLiteral(", ")));
    run();
}

void NeighborsPanel::setMethod(AnalogyMethod method)
{
    m_method->setCurrentIndex(method == AnalogyMethod::Mul ? 1 : 0);
}

void NeighborsPanel::setRestrict(int n)
{
    m_restrict->setValue(n);
}

// A "did you mean" link: the suggestion takes the unknown word's place in the question.
void NeighborsPanel::replaceWord(const QString &unknown, const QString &suggestion)
{
    Request r = m_request;
    const auto swap = [&](QStringList &list) {
        for (QString &w : list)
            if (w == unknown)
                w = suggestion;
    };
    switch (r.kind) {
    case Request::Word:
        query(suggestion);
        return;
    case Request::Words:
        swap(r.positive);
        swap(r.negative);
        queryWords(r.positive, r.negative);
        return;
    case Request::Similarity:
        swap(r.positive);
        querySimilarity(r.positive.value(0), r.positive.value(1));
        return;
    case Request::DoesntMatch:
        swap(r.positive);
        queryDoesntMatch(r.positive);
        return;
    case Request::None:
        return;
    }
}

QString NeighborsPanel::currentWord() const
{
    return m_request.kind == Request::Word ? m_request.word : QString();
}

void NeighborsPanel::run()
{
    if (!m_table || m_request.kind == Request::None)
        return;
    // The newest request wins: while one query runs, only the latest waits.
    m_queries.request<Answer>(
        [this]() -> std::function<Answer()> {
            // One query runs at a time, so these describe the one in flight.
            m_asked = m_request;
            m_askedTable = m_table;
            const Request req = m_request;
            const int k = m_k->value();
            const Metric metric
                = m_metric->currentIndex() == 1 ? Metric::Euclidean : Metric::Cosine;
            const AnalogyMethod method
                = m_method->currentIndex() == 1 ? AnalogyMethod::Mul : AnalogyMethod::Add;
            const std::size_t restrict = static_cast<std::size_t>(m_restrict->value());
            auto table = m_table;
            auto indexed = m_indexed;
            return [req = req, k, metric, method, restrict, table, indexed]() mutable -> Answer {
                Answer r;
                try {
                    auto ix = indexed;
                    if (!ix) {
                        ix = std::make_shared<Indexed>();
                        ix->table = table;
                        ix->index = std::make_unique<NeighborIndex>(*table);
                    }
                    r.indexed = ix;
                    // A word outside the vocabulary: say which, and what it may have been.
                    QStringList asked = req.kind == Request::Word ? QStringList { req.word }
                                                                  : req.positive + req.negative;
                    for (const QString &w : asked) {
                        if (table->find(w.toStdString()) >= 0)
                            continue;
                        // A fastText model answers for any word with character n-grams.
                        if (table->subwords()) {
                            Eigen::VectorXf v(table->dim());
                            if (table->vectorOf(w.toStdString(), v)) {
                                r.fromNgrams = true;
                                if (!r.ngramWords.contains(w))
                                    r.ngramWords << w;
                                continue;
                            }
                        }
                        // Known in another case ("elizabeth" for "Elizabeth"): answer for it.
                        if (const std::string variant = caseVariant(*table, w.toStdString());
                            !variant.empty()) {
                            const QString v = QString::fromStdString(variant);
                            r.caseResolved.append({ w, v });
                            if (req.word == w)
                                req.word = v;
                            for (QStringList *list : { &req.positive, &req.negative })
                                list->replaceInStrings(
                                    QRegularExpression(QStringLiteral("^")
                                        + QRegularExpression::escape(w) + QStringLiteral("$")),
                                    v);
                            for (const std::string &s :
                                spellingSuggestions(*table, w.toStdString()))
                                if (s != variant && r.suggestions.size() < 4)
                                    r.suggestions << QString::fromStdString(s);
                            continue;
                        }
                        if (req.kind == Request::DoesntMatch)
                            continue; // left out and named

                        r.unknown = w;
                        for (const std::string &s : spellingSuggestions(*table, w.toStdString()))
                            r.suggestions << QString::fromStdString(s);
                        return r;
                    }
                    switch (req.kind) {
                    case Request::Word:
                        r.neighbors
                            = ix->index->nearestToWord(req.word.toStdString(), k, metric, restrict);
                        break;
                    case Request::Words:
                        r.neighbors = ix->index->mostSimilar(
                            stdWords(req.positive), stdWords(req.negative), k, method, restrict);
                        break;
                    case Request::Similarity:
                        r.similarity = ix->index->similarity(req.positive.value(0).toStdString(),
                            req.positive.value(1).toStdString());
                        break;
                    case Request::DoesntMatch: {
                        const NeighborIndex::OddOneOut odd
                            = ix->index->doesntMatch(stdWords(req.positive));
                        r.neighbors = odd.ranked;
                        r.oddOneOut = QString::fromStdString(odd.word);
                        for (const std::string &w : odd.ignored)
                            r.ignored << QString::fromStdString(w);
                        if (!r.ignored.isEmpty())
                            for (const std::string &s :
                                spellingSuggestions(*table, odd.ignored.front()))
                                r.suggestions << QString::fromStdString(s);
                        if (!r.ignored.isEmpty())
                            r.unknown = r.ignored.front();
                        break;
                    }
                    case Request::None:
                        break;
                    }
                } catch (const std::exception &e) {
                    r.error = QString::fromStdString(e.what());
                }
                return r;
            };
        },
        [this](std::shared_ptr<Answer> r, QString error) {
            if (r && m_askedTable == m_table && r->indexed)
                m_indexed = std::static_pointer_cast<Indexed>(r->indexed);
            // Answers to a question the user has since replaced are not shown.
            if (m_asked == m_request)
                showResults(r ? *r : Answer(), r ? r->error : error);
        });
}

void NeighborsPanel::showResults(const Answer &answer, const QString &error)
{
    // A link replaces the unknown word, or the one read in another case.
    m_unknown = !answer.unknown.isEmpty() || answer.caseResolved.isEmpty()
        ? answer.unknown
        : answer.caseResolved.front().first;
    m_suggestions = answer.suggestions;
    if (m_suggestions.isEmpty()) {
        m_suggest->clear();
        m_suggest->hide();
    } else {
        QStringList links;
        for (const QString &s : m_suggestions)
            links << QStringLiteral("<a href=\"%1\">%2</a>")
                         .arg(s.toHtmlEscaped(), s.toHtmlEscaped());
        m_suggest->setText(tr("Did you mean %1?").arg(links.join(QStringLiteral(", "))));
        m_suggest->show();
    }
    const bool ignoredOnly = m_request.kind == Request::DoesntMatch && error.isEmpty();
    if (!error.isEmpty() || (!answer.unknown.isEmpty() && !ignoredOnly)) {
        m_status->setText(!error.isEmpty()
                ? error
                : tr("“%1” is not in the vocabulary of %2.").arg(answer.unknown, m_source));
        m_results->setRowCount(0);
        emit resultsChanged();
        if (error.isEmpty() && m_request.kind == Request::Word && !m_autoQuery)
            emit wordAnswered(m_request.word);
        return;
    }
    if (m_request.kind == Request::Similarity) {
        m_similarity = answer.similarity;
        m_results->setRowCount(0);
        m_status->setText(tr("Similarity of “%1” and “%2”: %3 in %4")
                              .arg(m_request.positive.value(0), m_request.positive.value(1),
                                  QLocale().toString(answer.similarity, 'f', 4), m_source)
            + ngramNote(answer.ngramWords) + caseNote(answer.caseResolved));
        emit resultsChanged();
        return;
    }
    const std::vector<Neighbor> &neighbors = answer.neighbors;
    // The column says what the number is: a distance is smaller for nearer words.
    QString scoreName = tr("Cosine");
    if (m_request.kind == Request::Word && m_metric->currentIndex() == 1)
        scoreName = tr("Distance");
    else if (m_request.kind == Request::Words && m_method->currentIndex() == 1)
        scoreName = tr("3CosMul");
    else if (m_request.kind == Request::DoesntMatch)
        scoreName = tr("Cosine to the mean");
    m_results->setHorizontalHeaderLabels({ tr("Word"), scoreName });
    m_results->setRowCount(static_cast<int>(neighbors.size()));
    for (int i = 0; i < static_cast<int>(neighbors.size()); ++i) {
        m_results->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(neighbors[i].word)));
        auto *score = new QTableWidgetItem(QString::number(neighbors[i].score, 'f', 4));
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_results->setItem(i, 1, score);
    }
    const auto signedWords = [this] {
        QString text = m_request.positive.join(QStringLiteral(" + "));
        for (const QString &w : m_request.negative)
            text += (text.isEmpty() ? QStringLiteral("−") : QStringLiteral(" − ")) + w;
        return text;
    };
    QString what;
    if (m_request.kind == Request::Word)
        what = answer.fromNgrams
            ? tr("Nearest to “%1” (out of vocabulary, by its n-grams)").arg(m_request.word)
            : tr("Nearest to “%1”")
                  .arg(answer.caseResolved.isEmpty() ? m_request.word
                                                     : answer.caseResolved.front().second);
    else if (m_request.kind == Request::Words)
        what
            = m_method->currentIndex() == 1 ? tr("%1 (3CosMul)").arg(signedWords()) : signedWords();
    else
        what = tr("“%1” doesn't match the others").arg(answer.oddOneOut);
    QString status = tr("%1 in %2").arg(what, m_source);
    if (!answer.ignored.isEmpty())
        status += QLatin1Char(' ')
            + tr("(ignored, not in the vocabulary: %1)")
                  .arg(answer.ignored.join(QStringLiteral(", ")));
    if (m_request.kind != Request::Word)
        status += ngramNote(answer.ngramWords);
    status += caseNote(answer.caseResolved);
    m_status->setText(status);
    emit resultsChanged();
    if (m_request.kind == Request::Word && !m_autoQuery)
        emit wordAnswered(
            answer.caseResolved.isEmpty() ? m_request.word : answer.caseResolved.front().second);
}

QList<QPair<QString, double>> NeighborsPanel::results() const
{
    QList<QPair<QString, double>> out;
    for (int i = 0; i < m_results->rowCount(); ++i)
        out.append({ m_results->item(i, 0)->text(), m_results->item(i, 1)->text().toDouble() });
    return out;
}

QString NeighborsPanel::statusText() const
{
    return m_status->text();
}

QStringList NeighborsPanel::suggestions() const
{
    return m_suggestions;
}

} // namespace embedlab
