#include "ui/historychart.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>

namespace embedlab {

namespace {

// Fixed hues, as the loss chart's: blue for the neighbourhoods, orange for the analogies.
const QColor OverlapColour(31, 119, 180);
const QColor AccuracyColour(255, 127, 14);

QColor forBackground(QColor c, bool dark)
{
    return dark ? c.lighter(140) : c;
}

} // namespace

HistoryChart::HistoryChart(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("historyChart"));
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("historyTitle"));
    m_analogiesButton = new QPushButton(tr("Analogy File..."), this);
    m_analogiesButton->setObjectName(QStringLiteral("historyAnalogiesButton"));
    m_analogiesButton->setToolTip(
        tr("Choose a questions file (': section' lines, then 'a b c d' lines) whose accuracy is "
           "drawn for every recorded snapshot"));
    connect(m_analogiesButton, &QPushButton::clicked, this, &HistoryChart::analogiesRequested);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_analogiesButton);

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("historyEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setText(
        tr("<p><b>How the embedding settles over training</b></p>"
           "<p>For every recorded snapshot of the selected run: how many of the 10 nearest "
           "neighbours of the 1,000 most frequent words it shares with the snapshot before "
           "(1 = nothing moved), and, with an analogy file, the share of analogy questions it "
           "answers.</p>"
           "<p>Select a run with recorded snapshots in the Runs list (every run trained in the "
           "window records them); choose <i>Training &gt; Evaluate Analogies over "
           "Training...</i> for the accuracy.</p>"));
    m_empty->setMargin(24);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("historyPlot"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->xAxis->setLabel(tr("Step"));
    m_plot->yAxis->setLabel(tr("Overlap with the snapshot before"));
    m_plot->yAxis2->setLabel(tr("Analogy accuracy"));
    m_plot->yAxis2->setVisible(true);
    for (QCPAxis *axis : { m_plot->yAxis, m_plot->yAxis2 })
        axis->setRange(-0.02, 1.02); // 0 and 1 drawn inside the frame
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(0.2);
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis2->setTicker(ticker);

    m_overlapGraph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    m_overlapGraph->setObjectName(QStringLiteral("overlap"));
    m_overlapGraph->setName(tr("Neighbourhood overlap (top 10)"));
    m_accuracyGraph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_accuracyGraph->setObjectName(QStringLiteral("accuracy"));
    m_accuracyGraph->setName(tr("Analogy accuracy"));
    // The legend in a row under the plot: the curves end near the top right as the embedding
    // settles, where a legend inside the frame would cover them.
    m_plot->legend->setVisible(true);
    m_plot->legend->setIconSize(18, 10);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    auto *legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(5, 0, 5, 5));
    legendRow->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_plot);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_status);
    applyPalette();
    clear();
}

void HistoryChart::clear()
{
    m_history = RunHistory();
    m_run.clear();
    m_overlapGraph->data()->clear();
    m_accuracyGraph->data()->clear();
    m_stack->setCurrentWidget(m_empty);
    updateTitle();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HistoryChart::setHistory(const QString &run, const RunHistory &history)
{
    m_history = history;
    m_run = run;
    QVector<double> steps, overlaps, accSteps, accuracies;
    for (const HistoryPoint &p : history.points) {
        const double step = static_cast<double>(p.step);
        if (std::isfinite(p.overlap)) {
            steps.push_back(step);
            overlaps.push_back(p.overlap);
        }
        if (std::isfinite(p.analogyAccuracy)) {
            accSteps.push_back(step);
            accuracies.push_back(p.analogyAccuracy);
        }
    }
    m_overlapGraph->setData(steps, overlaps, true);
    m_accuracyGraph->setData(accSteps, accuracies, true);
    m_overlapGraph->setName(tr("Neighbourhood overlap (top %1 neighbours)").arg(history.k));
    const bool analogies = !history.analogies.empty();
    // How many questions the accuracy is of: a file about other words answers none, and a flat
    // zero must not read as a model that learned nothing.
    int answered = 0;
    for (const HistoryPoint &p : history.points)
        if (std::isfinite(p.analogyAccuracy))
            answered = p.analogyTotal;
    const QString file = QFileInfo(QString::fromStdString(history.analogies)).fileName();
    m_accuracyGraph->setName(!analogies ? tr("Analogy accuracy: choose an analogy file")
            : answered > 0
            ? tr("Analogy accuracy (%1; questions with every word in the vocabulary: %2)")
                  .arg(file)
                  .arg(answered)
            : tr("Analogy accuracy (%1: no question has all its words in the vocabulary)")
                  .arg(file));
    m_accuracyGraph->setVisible(analogies);
    m_plot->yAxis2->setVisible(analogies);
    if (history.points.empty()) {
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_plot);
        const double first = static_cast<double>(history.points.front().step);
        const double last = static_cast<double>(history.points.back().step);
        const double pad = std::max(1.0, (last - first) * 0.03);
        m_plot->xAxis->setRange(first - pad, last + pad);
    }
    updateTitle();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HistoryChart::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

QString HistoryChart::status() const
{
    return m_status->text();
}

bool HistoryChart::isEmpty() const
{
    return m_history.points.empty();
}

int HistoryChart::overlapPointCount() const
{
    return m_overlapGraph->dataCount();
}

QString HistoryChart::accuracyName() const
{
    return m_accuracyGraph->name();
}

int HistoryChart::accuracyPointCount() const
{
    return m_accuracyGraph->visible() ? m_accuracyGraph->dataCount() : 0;
}

void HistoryChart::updateTitle()
{
    if (m_run.isEmpty()) {
        m_title->setText(tr("No run selected"));
        return;
    }
    const int n = static_cast<int>(m_history.points.size());
    const QString snapshots = tr("%Ln snapshot(s)", nullptr, n);
    m_title->setText(n == 0
            ? m_run
            : tr("%1 · %2 · the %3 most frequent words")
                  .arg(m_run, snapshots, QLocale().toString(m_history.wordsCompared)));
}

void HistoryChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void HistoryChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::WindowText);
    const bool dark = base.lightnessF() < 0.5;
    m_plot->setBackground(base);
    m_plot->legend->setBrush(base);
    m_plot->legend->setTextColor(text);
    m_plot->legend->setBorderPen(QPen(pal.color(QPalette::Mid)));
    for (QCPAxis *axis : { m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2 }) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
    }
    m_plot->yAxis2->grid()->setVisible(false);
    const QColor overlap = forBackground(OverlapColour, dark);
    const QColor accuracy = forBackground(AccuracyColour, dark);
    m_overlapGraph->setPen(QPen(overlap, 2));
    m_overlapGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, overlap, overlap, 6));
    m_accuracyGraph->setPen(QPen(accuracy, 2));
    m_accuracyGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssSquare, accuracy, accuracy, 6));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace embedlab
