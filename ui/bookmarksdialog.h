#pragma once
// Bookmarks > Manage Bookmarks: the bookmarks in a list to rename (in place), delete and reorder.
// The changes apply on OK; Cancel leaves the bookmarks as they were.
#include <QDialog>
#include <QVector>

#include "ui/mapbookmarks.h"

class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace embedlab {

class BookmarksDialog : public QDialog
{
    Q_OBJECT
public:
    explicit BookmarksDialog(const QVector<MapBookmark> &bookmarks, QWidget *parent = nullptr);

    QVector<MapBookmark> bookmarks() const; // as edited
    QListWidget *list() const { return m_list; }
    // Renames the bookmark in `row`; false (and the name stays) when it is empty or taken.
    bool rename(int row, const QString &name);

private:
    void onItemChanged(QListWidgetItem *item);
    void move(int by);
    void updateButtons();

    QVector<MapBookmark> m_bookmarks; // in the list's order
    QListWidget *m_list;
    QPushButton *m_rename, *m_delete, *m_up, *m_down;
};

} // namespace embedlab
