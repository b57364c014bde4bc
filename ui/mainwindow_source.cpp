// The main window's "Showing" box on the map's top line: what the map and the Neighbours panel
// show (the model's embedding, the vectors imported to explore, or a recorded step of the selected
// run), and the choice between them.
#include "ui/mainwindow.h"

#include "ui/embeddingmap.h"
#include "ui/neighborspanel.h"
#include "ui/runtimeline.h"
#include "ui/trainingcontroller.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace embedlab {

void MainWindow::createSourceBox()
{
    auto *line = new QWidget(m_map);
    auto *layout = new QHBoxLayout(line);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Showing:"), line);
    m_sourceBox = new QComboBox(line);
    m_sourceBox->setObjectName(QStringLiteral("viewSource"));
    // A long file or run name is elided, the line stays one line.
    m_sourceBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_sourceBox->setMinimumContentsLength(12);
    m_sourceBox->setPlaceholderText(tr("nothing yet"));
    label->setBuddy(m_sourceBox);
    layout->addWidget(label);
    layout->addWidget(m_sourceBox);
    m_map->addHeaderWidget(line);
    connect(m_sourceBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            showSource(static_cast<ViewSource>(m_sourceBox->itemData(index).toInt()));
    });
    updateSourceBox();
}

void MainWindow::updateSourceBox()
{
    if (!m_sourceBox)
        return;
    QList<QPair<QString, ViewSource>> entries;
    const QLocale locale;
    if (model())
        entries.append({ m_modelStep > 0 ? tr("Model, step %1").arg(locale.toString(m_modelStep))
                                         : tr("Model"),
            ViewSource::Model });
    if (m_explored)
        entries.append(
            { tr("Imported: %1").arg(QFileInfo(m_exploredPath).fileName()), ViewSource::Imported });
    // A recorded step: the one shown, else the one the timeline is at in the selected run (but
    // not the newest step of a run training, which is the model).
    const qint64 shownStep = shownRunStep();
    const QString runDir = shownStep >= 0 ? m_map->historyId() : m_selectedRun;
    const qint64 runStep = shownStep >= 0 ? shownStep : m_timeline->currentStep();
    const bool liveEnd = shownStep < 0 && runDir == m_liveRunDir && m_controller->isRunning()
        && m_timeline->isAtLatest();
    if (const auto run = m_document->run(runDir); run && runStep >= 0 && !liveEnd)
        entries.append(
            { tr("Run %1, step %2")
                    .arg(QString::fromStdString(run->settings.name), locale.toString(runStep)),
                ViewSource::Run });
    ViewSource shown = ViewSource::Model;
    bool showsOne = true;
    if (m_viewsShowModel)
        shown = ViewSource::Model;
    else if (shownStep >= 0)
        shown = ViewSource::Run;
    else if (m_explored && m_neighbors->table() == m_explored)
        shown = ViewSource::Imported;
    else
        showsOne = false;

    const QSignalBlocker blocker(m_sourceBox);
    // The same entries: only their names change (a live step), so an open list stays open.
    bool same = m_sourceBox->count() == entries.size();
    for (int i = 0; same && i < entries.size(); ++i)
        same = m_sourceBox->itemData(i).toInt() == static_cast<int>(entries[i].second);
    if (!same)
        m_sourceBox->clear();
    for (int i = 0; i < entries.size(); ++i) {
        if (same)
            m_sourceBox->setItemText(i, entries[i].first);
        else
            m_sourceBox->addItem(entries[i].first, static_cast<int>(entries[i].second));
    }
    const int index = showsOne ? m_sourceBox->findData(static_cast<int>(shown)) : -1;
    m_sourceBox->setCurrentIndex(index);
    m_sourceBox->setEnabled(m_sourceBox->count() > 0);
    m_sourceBox->setToolTip(
        (index >= 0 ? m_sourceBox->itemText(index) + QLatin1Char('\n') : QString())
        + tr("What the map and the Neighbours panel show; choose another to show it in both"));
}

void MainWindow::showSource(ViewSource source)
{
    switch (source) {
    case ViewSource::Model:
        if (!m_controller->isRunning()) {
            showModelTable(m_modelStep);
        } else {
            // Training: the newest live table now, the next ones as they come.
            m_scrubbing = false;
            if (m_liveTable)
                showTable(m_liveTable, tr("model, step %1").arg(m_modelStep), false, true);
        }
        break;
    case ViewSource::Imported:
        if (!m_explored)
            break;
        m_scrubbing = m_controller->isRunning(); // the live table waits
        showTable(m_explored, QFileInfo(m_exploredPath).fileName(), false, false);
        break;
    case ViewSource::Run:
        if (!m_selectedRun.isEmpty() && m_timeline->currentStep() >= 0)
            showRunStep(m_selectedRun, m_timeline->currentStep(), m_timeline->isAtLatest());
        break;
    }
    updateSourceBox();
}

} // namespace embedlab
