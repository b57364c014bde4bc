#include "ui/bookmarksdialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace embedlab {

BookmarksDialog::BookmarksDialog(const QVector<MapBookmark> &bookmarks, QWidget *parent)
    : QDialog(parent)
    , m_bookmarks(bookmarks)
{
    setObjectName(QStringLiteral("bookmarksDialog"));
    setWindowTitle(tr("Manage Bookmarks"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("bookmarkList"));
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    for (const MapBookmark &b : std::as_const(m_bookmarks)) {
        auto *item = new QListWidgetItem(b.name, m_list);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_rename = new QPushButton(tr("&Rename"), this);
    m_rename->setObjectName(QStringLiteral("renameBookmark"));
    m_delete = new QPushButton(tr("&Delete"), this);
    m_delete->setObjectName(QStringLiteral("deleteBookmark"));
    m_up = new QPushButton(tr("Move &Up"), this);
    m_up->setObjectName(QStringLiteral("moveBookmarkUp"));
    m_down = new QPushButton(tr("Move Do&wn"), this);
    m_down->setObjectName(QStringLiteral("moveBookmarkDown"));
    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : { m_rename, m_delete, m_up, m_down })
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    auto *hint = new QLabel(tr("Double-click a name to rename it."), this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    layout->addLayout(row, 1);
    layout->addWidget(box);

    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemChanged, this, &BookmarksDialog::onItemChanged);
    connect(m_list, &QListWidget::currentRowChanged, this, &BookmarksDialog::updateButtons);
    connect(m_rename, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_list->currentItem())
            m_list->editItem(item);
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const int r = m_list->currentRow();
        if (r < 0)
            return;
        m_bookmarks.removeAt(r);
        delete m_list->takeItem(r);
        updateButtons();
    });
    connect(m_up, &QPushButton::clicked, this, [this] { move(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { move(1); });
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    updateButtons();
}

QVector<MapBookmark> BookmarksDialog::bookmarks() const
{
    return m_bookmarks;
}

bool BookmarksDialog::rename(int row, const QString &name)
{
    if (row < 0 || row >= m_bookmarks.size())
        return false;
    const QString n = name.trimmed();
    bool taken = n.isEmpty();
    for (int i = 0; i < m_bookmarks.size() && !taken; ++i)
        taken = i != row && m_bookmarks[i].name == n;
    if (!taken)
        m_bookmarks[row].name = n;
    // The list shows the name kept: the new one, or the old one again.
    const QSignalBlocker blocker(m_list);
    m_list->item(row)->setText(m_bookmarks[row].name);
    return !taken;
}

void BookmarksDialog::onItemChanged(QListWidgetItem *item)
{
    rename(m_list->row(item), item->text());
}

void BookmarksDialog::move(int by)
{
    const int r = m_list->currentRow();
    const int to = r + by;
    if (r < 0 || to < 0 || to >= m_list->count())
        return;
    m_bookmarks.move(r, to);
    QListWidgetItem *item = m_list->takeItem(r);
    m_list->insertItem(to, item);
    m_list->setCurrentRow(to);
    updateButtons();
}

void BookmarksDialog::updateButtons()
{
    const int r = m_list->currentRow();
    m_rename->setEnabled(r >= 0);
    m_delete->setEnabled(r >= 0);
    m_up->setEnabled(r > 0);
    m_down->setEnabled(r >= 0 && r + 1 < m_list->count());
}

} // namespace embedlab
