// The main window's Bookmarks menu: named views of the map (what it shows, its projection, its
// zoom and its selection) to come back to, kept in the settings.
#include "ui/mainwindow.h"

#include "core/projection.h"
#include "ui/bookmarksdialog.h"
#include "ui/embeddingmap.h"
#include "ui/neighborspanel.h"
#include "ui/runtimeline.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QLayout>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QToolButton>

#include <algorithm>
#include <memory>

namespace embedlab {

void MainWindow::createBookmarksMenu()
{
    m_bookmarkStore.load();
    // After View, where browsers keep theirs.
    m_bookmarksMenu = menuBar()->addMenu(tr("&Bookmarks"));
    m_bookmarksMenu->setObjectName(QStringLiteral("bookmarksMenu"));
    QAction *add
        = m_bookmarksMenu->addAction(tr("&Add Bookmark..."), this, &MainWindow::askBookmarkName);
    add->setObjectName(QStringLiteral("addBookmarkAction"));
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    add->setStatusTip(tr("Save the map's view (what it shows, the projection, the zoom and the "
                         "selected word) under a name"));
    m_manageBookmarksAct = m_bookmarksMenu->addAction(
        tr("&Manage Bookmarks..."), this, &MainWindow::manageBookmarks);
    m_manageBookmarksAct->setObjectName(QStringLiteral("manageBookmarksAction"));
    m_bookmarksMenu->addSeparator();
    rebuildBookmarksMenu();
    // The same menu beside "Showing:" on the map's top line, as a browser's star sits beside its
    // address.
    if (m_sourceBox && m_sourceBox->parentWidget()->layout()) {
        auto *button = new QToolButton(m_sourceBox->parentWidget());
        button->setObjectName(QStringLiteral("bookmarksButton"));
        button->setText(QStringLiteral("★"));
        button->setToolTip(tr("Bookmarks: save this view (Ctrl+D) or go back to a saved one"));
        button->setAutoRaise(true);
        button->setPopupMode(QToolButton::InstantPopup);
        button->setMenu(m_bookmarksMenu);
        m_sourceBox->parentWidget()->layout()->addWidget(button);
    }
}

void MainWindow::rebuildBookmarksMenu()
{
    // Later: an entry may be the sender of the signal being handled.
    for (QAction *act : std::as_const(m_bookmarkEntries)) {
        m_bookmarksMenu->removeAction(act);
        act->deleteLater();
    }
    m_bookmarkEntries.clear();
    m_manageBookmarksAct->setEnabled(!m_bookmarkStore.bookmarks().isEmpty());
    if (m_bookmarkStore.bookmarks().isEmpty()) {
        QAction *none = m_bookmarksMenu->addAction(tr("No bookmarks yet"));
        none->setEnabled(false);
        m_bookmarkEntries << none;
    }
    for (const MapBookmark &b : m_bookmarkStore.bookmarks()) {
        // A name with "&" is shown as it is, not as a mnemonic.
        QString text = b.name;
        text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *act = m_bookmarksMenu->addAction(text);
        act->setData(b.name);
        const QString name = b.name;
        connect(act, &QAction::triggered, this, [this, name] { restoreBookmark(name); });
        m_bookmarkEntries << act;
    }
}

QStringList MainWindow::bookmarkNames() const
{
    QStringList names;
    for (const MapBookmark &b : m_bookmarkStore.bookmarks())
        names << b.name;
    return names;
}

QString MainWindow::suggestedBookmarkName() const
{
    QStringList parts;
    const std::string method = m_map->method().toStdString();
    QString name = QString::fromStdString(projectionMethod(method).name);
    if (m_map->dimensions() == 3)
        name = tr("%1 3D").arg(name);
    parts << name;
    if (!m_map->selectedWord().isEmpty())
        parts << m_map->selectedWord();
    const QLocale locale;
    if (const qint64 step = shownRunStep(); step >= 0) {
        if (const auto run = m_document->run(m_map->historyId()))
            parts << QString::fromStdString(run->settings.name);
        parts << tr("step %1").arg(locale.toString(step));
    } else if (m_viewsShowModel) {
        if (m_modelStep > 0)
            parts << tr("step %1").arg(locale.toString(m_modelStep));
    } else if (m_explored && m_neighbors->table() == m_explored) {
        parts << QFileInfo(m_exploredPath).fileName();
    }
    return m_bookmarkStore.uniqueName(parts.join(QStringLiteral(" · ")));
}

void MainWindow::askBookmarkName()
{
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("bookmarkNameDialog"));
    dialog.setWindowTitle(tr("Add Bookmark"));
    dialog.setLabelText(tr("Name of the bookmark:"));
    dialog.setTextValue(suggestedBookmarkName());
    // Wide enough for the suggested name whole (a file name and a step can be long).
    dialog.resize(std::max(420, dialog.fontMetrics().horizontalAdvance(dialog.textValue()) + 80),
        dialog.sizeHint().height());
    if (dialog.exec() != QDialog::Accepted)
        return;
    addBookmark(dialog.textValue());
}

bool MainWindow::addBookmark(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return false;
    if (m_map->pointCount() == 0) {
        statusBar()->showMessage(tr("The map shows nothing to bookmark yet"), 8000);
        return false;
    }
    if (m_bookmarkStore.indexOf(trimmed) >= 0) {
        QMessageBox box(QMessageBox::Question, tr("Replace Bookmark"),
            tr("A bookmark named “%1” exists already.").arg(trimmed),
            QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("replaceBookmarkPrompt"));
        box.setInformativeText(tr("Replace it with the view shown now?"));
        box.button(QMessageBox::Yes)->setText(tr("&Replace"));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Yes)
            return false;
    }
    MapBookmark b;
    b.name = trimmed;
    b.view = m_map->viewState();
    if (const qint64 step = shownRunStep(); step >= 0) {
        b.source = MapBookmark::Source::Run;
        b.path = m_map->historyId();
        b.step = step;
    } else if (m_viewsShowModel) {
        b.source = MapBookmark::Source::Model;
        b.step = m_modelStep;
    } else {
        b.source = MapBookmark::Source::Imported;
        b.path = m_exploredPath;
    }
    m_bookmarkStore.put(b);
    rebuildBookmarksMenu();
    statusBar()->showMessage(tr("Bookmark “%1” saved").arg(trimmed), 5000);
    return true;
}

bool MainWindow::restoreBookmark(const QString &name)
{
    const MapBookmark *found = m_bookmarkStore.find(name);
    if (!found)
        return false;
    const MapBookmark b = *found;
    QString problem;
    switch (b.source) {
    case MapBookmark::Source::Model:
        if (!model())
            problem = tr("No model is loaded, so the map cannot show the model's embedding.");
        else if (!m_viewsShowModel)
            showSource(ViewSource::Model);
        break;
    case MapBookmark::Source::Imported:
        if (!m_explored || m_exploredPath != b.path)
            problem = tr("%1 is not loaded: import it (File > Import Vectors) to see the "
                         "bookmark on its vectors.")
                          .arg(QDir::toNativeSeparators(b.path));
        else if (m_viewsShowModel || shownRunStep() >= 0 || m_neighbors->table() != m_explored)
            showSource(ViewSource::Imported);
        break;
    case MapBookmark::Source::Run: {
        if (!QFileInfo(b.path).isDir()) {
            problem = tr("The run folder %1 does not exist any more.")
                          .arg(QDir::toNativeSeparators(b.path));
            break;
        }
        const auto run = m_document->run(b.path);
        if (!run) {
            // A folder not read yet (outside the workspace, or still being read): once it is,
            // the bookmark is restored; if it cannot be read, the document says why.
            m_document->addRunFolder(b.path);
            auto conn = std::make_shared<QMetaObject::Connection>();
            *conn = connect(m_document, &Document::runsChanged, this, [this, b, conn] {
                if (!m_document->run(b.path))
                    return;
                disconnect(*conn);
                restoreBookmark(b.name);
            });
            statusBar()->showMessage(tr("Reading the run of bookmark “%1”...").arg(b.name), 10000);
            return true;
        }
        const bool recorded = std::any_of(run->snapshots.begin(), run->snapshots.end(),
            [&](const auto &s) { return s.step == b.step; });
        if (!recorded)
            problem
                = tr("Run %1 has no recorded step %2 any more; the nearest one is shown.")
                      .arg(QString::fromStdString(run->settings.name), QLocale().toString(b.step));
        if (m_selectedRun != b.path)
            selectRun(b.path);
        // The timeline goes to the step (the nearest recorded one), and the map and the
        // neighbours follow it.
        m_timeline->setCurrentStep(b.step);
        break;
    }
    }
    m_map->restoreViewState(b.view);
    if (problem.isEmpty())
        statusBar()->showMessage(tr("Bookmark “%1” restored").arg(b.name), 5000);
    else
        statusBar()->showMessage(
            tr("Bookmark “%1”: %2 The rest of its view is restored.").arg(b.name, problem), 30000);
    return true;
}

void MainWindow::manageBookmarks()
{
    BookmarksDialog dialog(m_bookmarkStore.bookmarks(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_bookmarkStore.setBookmarks(dialog.bookmarks());
    rebuildBookmarksMenu();
}

} // namespace embedlab
