#include "ui/neighborspanel.h"

#include <QComboBox>
#include <QCompleter>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace embedlab {

struct NeighborsPanel::Indexed
{
    std::shared_ptr<const WordVectors> table;
    std::unique_ptr<NeighborIndex> index;
};

namespace {
QString emptyStatus()
{
    return NeighborsPanel::tr("Open a corpus and train, or import vectors, then ask for a word.");
}

struct QueryResult
{
    std::vector<Neighbor> neighbors;
    QString error;
    std::shared_ptr<void> indexed; // keeps the index built on the worker
};
} // namespace

NeighborsPanel::NeighborsPanel(QWidget *parent)
    : QWidget(parent)
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
    m_metric = new QComboBox(this);
    m_metric->addItem(tr("Cosine"));
    m_metric->addItem(tr("Euclidean"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_query, 1);
    top->addWidget(m_k);
    top->addWidget(m_metric);

    m_plusB = new QLineEdit(this);
    m_minusA = new QLineEdit(this);
    m_plusC = new QLineEdit(this);
    m_plusB->setPlaceholderText(tr("king"));
    m_minusA->setPlaceholderText(tr("man"));
    m_plusC->setPlaceholderText(tr("woman"));
    for (QLineEdit *e : { m_plusB, m_minusA, m_plusC })
        e->setCompleter(m_completer);
    auto *solve = new QPushButton(tr("Solve"), this);
    solve->setToolTip(tr("Words nearest to first − second + third (3CosAdd)"));
    auto *analogy = new QHBoxLayout;
    analogy->addWidget(m_plusB, 1);
    analogy->addWidget(new QLabel(QStringLiteral("−"), this));
    analogy->addWidget(m_minusA, 1);
    analogy->addWidget(new QLabel(QStringLiteral("+"), this));
    analogy->addWidget(m_plusC, 1);
    analogy->addWidget(solve);

    m_results = new QTableWidget(0, 2, this);
    m_results->setHorizontalHeaderLabels({ tr("Word"), tr("Score") });
    m_results->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setAlternatingRowColors(true);
    m_status = new QLabel(emptyStatus(), this);
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setMinimumWidth(1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(analogy);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_status);

    connect(m_query, &QLineEdit::returnPressed, this, [this] { query(m_query->text()); });
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
        [this](const QString &w) { query(w); });
    connect(m_k, &QSpinBox::valueChanged, this, &NeighborsPanel::run);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &NeighborsPanel::run);
    connect(solve, &QPushButton::clicked, this,
        [this] { queryAnalogy(m_minusA->text(), m_plusB->text(), m_plusC->text()); });
    for (QLineEdit *e : { m_plusB, m_minusA, m_plusC })
        connect(e, &QLineEdit::returnPressed, solve, &QPushButton::click);
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
                m_request = { Request::Word, w, {}, {}, {} };
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
    m_request = { Request::Word, word.trimmed(), {}, {}, {} };
    m_autoQuery = false;
    if (m_query->text() != word)
        m_query->setText(word);
    run();
}

void NeighborsPanel::queryAnalogy(const QString &a, const QString &b, const QString &c)
{
    m_request = { Request::Analogy, {}, a.trimmed(), b.trimmed(), c.trimmed() };
    m_autoQuery = false;
    run();
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
    m_queries.request<QueryResult>(
        [this]() -> std::function<QueryResult()> {
            // One query runs at a time, so these describe the one in flight.
            m_asked = m_request;
            m_askedTable = m_table;
            const Request req = m_request;
            const int k = m_k->value();
            const Metric metric
                = m_metric->currentIndex() == 1 ? Metric::Euclidean : Metric::Cosine;
            auto table = m_table;
            auto indexed = m_indexed;
            return [req, k, metric, table, indexed]() -> QueryResult {
                QueryResult r;
                try {
                    auto ix = indexed;
                    if (!ix) {
                        ix = std::make_shared<Indexed>();
                        ix->table = table;
                        ix->index = std::make_unique<NeighborIndex>(*table);
                    }
                    r.indexed = ix;
                    if (req.kind == Request::Word)
                        r.neighbors = ix->index->nearestToWord(req.word.toStdString(), k, metric);
                    else
                        r.neighbors = ix->index->analogy(req.a.toStdString(), req.b.toStdString(),
                            req.c.toStdString(), k, AnalogyMethod::Add);
                } catch (const std::exception &e) {
                    r.error = QString::fromStdString(e.what());
                }
                return r;
            };
        },
        [this](std::shared_ptr<QueryResult> r, QString error) {
            if (r && m_askedTable == m_table && r->indexed)
                m_indexed = std::static_pointer_cast<Indexed>(r->indexed);
            // Answers to a question the user has since replaced are not shown.
            if (m_asked == m_request)
                showResults(r ? r->neighbors : std::vector<Neighbor>(), r ? r->error : error);
        });
}

void NeighborsPanel::showResults(const std::vector<Neighbor> &neighbors, const QString &error)
{
    if (!error.isEmpty()) {
        m_status->setText(error);
        m_results->setRowCount(0);
        emit resultsChanged();
        return;
    }
    m_results->setRowCount(static_cast<int>(neighbors.size()));
    for (int i = 0; i < static_cast<int>(neighbors.size()); ++i) {
        m_results->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(neighbors[i].word)));
        auto *score = new QTableWidgetItem(QString::number(neighbors[i].score, 'f', 4));
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_results->setItem(i, 1, score);
    }
    const QString what = m_request.kind == Request::Word
        ? tr("Nearest to “%1”").arg(m_request.word)
        : tr("%1 − %2 + %3").arg(m_request.b, m_request.a, m_request.c);
    m_status->setText(tr("%1 in %2").arg(what, m_source));
    emit resultsChanged();
}

QList<QPair<QString, double>> NeighborsPanel::results() const
{
    QList<QPair<QString, double>> out;
    for (int i = 0; i < m_results->rowCount(); ++i)
        out.append({ m_results->item(i, 0)->text(), m_results->item(i, 1)->text().toDouble() });
    return out;
}

} // namespace embedlab
