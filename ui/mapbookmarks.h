#pragma once
// Named views of the map to come back to (the Bookmarks menu): what the map showed (the model,
// a file of imported vectors, or a recorded step of a run) and how (EmbeddingMap::ViewState),
// written as JSON, and the list of them kept in the settings.
#include <QJsonObject>
#include <QString>
#include <QVector>

#include "ui/embeddingmap.h"

namespace embedlab {

struct MapBookmark
{
    enum class Source { Model, Imported, Run };
    QString name; // unique in its store
    Source source = Source::Model;
    QString path; // the imported file or the run folder
    qint64 step = -1; // the run's recorded step (or the model's, for the name only)
    EmbeddingMap::ViewState view;
};

QJsonObject viewStateToJson(const EmbeddingMap::ViewState &state);
// Missing or malformed fields keep ViewState's defaults, so that a bookmark of an older (or a
// newer) version still restores what it can.
EmbeddingMap::ViewState viewStateFromJson(const QJsonObject &object);
QJsonObject bookmarkToJson(const MapBookmark &bookmark);
MapBookmark bookmarkFromJson(const QJsonObject &object);

// The bookmarks in the order the user keeps them, saved in QSettings under one key as a JSON
// array (one value, so that a crash never leaves half a list).
class BookmarkStore
{
public:
    static constexpr const char *SettingsKey = "mapBookmarks";

    void load();
    void save() const;
    const QVector<MapBookmark> &bookmarks() const { return m_bookmarks; }
    void setBookmarks(const QVector<MapBookmark> &bookmarks); // names made unique, then saved
    int indexOf(const QString &name) const; // -1 if none
    const MapBookmark *find(const QString &name) const;
    // Adds `bookmark`, or replaces the one of its name in its place; saved.
    void put(const MapBookmark &bookmark);
    bool remove(const QString &name);
    // `base`, or "base (2)", "base (3)", ... the first no bookmark has.
    QString uniqueName(const QString &base) const;

private:
    QVector<MapBookmark> m_bookmarks;
};

} // namespace embedlab
