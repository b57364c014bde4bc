#include "ui/mapbookmarks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSettings>

#include <algorithm>
#include <cmath>

namespace embedlab {

namespace {

const char *sourceId(MapBookmark::Source source)
{
    switch (source) {
    case MapBookmark::Source::Imported:
        return "imported";
    case MapBookmark::Source::Run:
        return "run";
    case MapBookmark::Source::Model:
        break;
    }
    return "model";
}

// JSON has no NaN: a range not recorded is left out.
void putNumber(QJsonObject &o, const char *key, double v)
{
    if (std::isfinite(v))
        o.insert(QLatin1String(key), v);
}

double number(const QJsonObject &o, const char *key, double fallback)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? v.toDouble() : fallback;
}

} // namespace

QJsonObject viewStateToJson(const EmbeddingMap::ViewState &s)
{
    QJsonObject o;
    o.insert(QStringLiteral("method"), s.method);
    o.insert(QStringLiteral("dimensions"), s.dimensions);
    o.insert(QStringLiteral("customAxes"), QJsonArray::fromStringList(s.customAxes));
    o.insert(QStringLiteral("axes"), QJsonArray { s.axisX, s.axisY });
    o.insert(QStringLiteral("maxPoints"), s.maxPoints);
    o.insert(QStringLiteral("labels"), s.labelCount);
    QJsonObject range;
    putNumber(range, "xLower", s.xLower);
    putNumber(range, "xUpper", s.xUpper);
    putNumber(range, "yLower", s.yLower);
    putNumber(range, "yUpper", s.yUpper);
    o.insert(QStringLiteral("range"), range);
    QJsonArray rotation; // row by row
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            rotation.append(s.rotation(r, c));
    o.insert(QStringLiteral("rotation"), rotation);
    o.insert(QStringLiteral("fitAll"), s.fitAll);
    o.insert(QStringLiteral("followData"), s.followData);
    o.insert(QStringLiteral("selected"), s.selectedWord);
    if (!s.isolatedWord.isEmpty()) {
        o.insert(QStringLiteral("isolated"), s.isolatedWord);
        o.insert(QStringLiteral("isolatedNeighbours"), s.isolatedNeighbours);
    }
    if (!s.filter.isEmpty())
        o.insert(QStringLiteral("filter"), s.filter);
    return o;
}

EmbeddingMap::ViewState viewStateFromJson(const QJsonObject &o)
{
    EmbeddingMap::ViewState s;
    s.method = o.value(QStringLiteral("method")).toString(s.method);
    s.dimensions = o.value(QStringLiteral("dimensions")).toInt(s.dimensions) == 3 ? 3 : 2;
    for (const QJsonValue &a : o.value(QStringLiteral("customAxes")).toArray())
        s.customAxes << a.toString();
    const QJsonArray axes = o.value(QStringLiteral("axes")).toArray();
    if (axes.size() == 2) {
        s.axisX = std::clamp(axes[0].toInt(0), 0, EmbeddingMap::Components - 1);
        s.axisY = std::clamp(axes[1].toInt(1), 0, EmbeddingMap::Components - 1);
    }
    s.maxPoints = std::max(0, o.value(QStringLiteral("maxPoints")).toInt(0));
    s.labelCount = std::max(0, o.value(QStringLiteral("labels")).toInt(0));
    const QJsonObject range = o.value(QStringLiteral("range")).toObject();
    s.xLower = number(range, "xLower", s.xLower);
    s.xUpper = number(range, "xUpper", s.xUpper);
    s.yLower = number(range, "yLower", s.yLower);
    s.yUpper = number(range, "yUpper", s.yUpper);
    const QJsonArray rotation = o.value(QStringLiteral("rotation")).toArray();
    if (rotation.size() == 9) {
        Eigen::Matrix3d m;
        for (int i = 0; i < 9; ++i)
            m(i / 3, i % 3) = rotation[i].toDouble();
        // Only a rotation: anything else would shear the 3D view.
        if (m.allFinite() && (m * m.transpose() - Eigen::Matrix3d::Identity()).norm() < 1e-6)
            s.rotation = m;
    }
    s.fitAll = o.value(QStringLiteral("fitAll")).toBool(s.fitAll);
    s.followData = o.value(QStringLiteral("followData")).toBool(s.followData);
    s.selectedWord = o.value(QStringLiteral("selected")).toString();
    s.isolatedWord = o.value(QStringLiteral("isolated")).toString();
    s.isolatedNeighbours = std::clamp(
        o.value(QStringLiteral("isolatedNeighbours")).toInt(EmbeddingMap::DefaultIsolateNeighbours),
        1, 5000);
    s.filter = o.value(QStringLiteral("filter")).toString();
    return s;
}

QJsonObject bookmarkToJson(const MapBookmark &b)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), b.name);
    o.insert(QStringLiteral("source"), QLatin1String(sourceId(b.source)));
    if (!b.path.isEmpty())
        o.insert(QStringLiteral("path"), b.path);
    if (b.step >= 0)
        o.insert(QStringLiteral("step"), b.step);
    o.insert(QStringLiteral("view"), viewStateToJson(b.view));
    return o;
}

MapBookmark bookmarkFromJson(const QJsonObject &o)
{
    MapBookmark b;
    b.name = o.value(QStringLiteral("name")).toString();
    const QString source = o.value(QStringLiteral("source")).toString();
    b.source = source == QLatin1String("run") ? MapBookmark::Source::Run
        : source == QLatin1String("imported") ? MapBookmark::Source::Imported
                                              : MapBookmark::Source::Model;
    b.path = o.value(QStringLiteral("path")).toString();
    b.step = o.value(QStringLiteral("step")).toInteger(-1);
    b.view = viewStateFromJson(o.value(QStringLiteral("view")).toObject());
    return b;
}

void BookmarkStore::load()
{
    m_bookmarks.clear();
    const QByteArray text = QSettings().value(QLatin1String(SettingsKey)).toByteArray();
    QVector<MapBookmark> read;
    for (const QJsonValue &v : QJsonDocument::fromJson(text).array())
        if (v.isObject())
            read.append(bookmarkFromJson(v.toObject()));
    QSet<QString> seen;
    for (MapBookmark &b : read) {
        b.name = b.name.trimmed();
        if (b.name.isEmpty() || seen.contains(b.name))
            continue; // edited by hand: the first of a name wins
        seen.insert(b.name);
        m_bookmarks.append(b);
    }
}

void BookmarkStore::save() const
{
    QJsonArray array;
    for (const MapBookmark &b : m_bookmarks)
        array.append(bookmarkToJson(b));
    QSettings().setValue(
        QLatin1String(SettingsKey), QJsonDocument(array).toJson(QJsonDocument::Compact));
}

void BookmarkStore::setBookmarks(const QVector<MapBookmark> &bookmarks)
{
    m_bookmarks.clear();
    for (MapBookmark b : bookmarks) {
        b.name = uniqueName(b.name.trimmed());
        m_bookmarks.append(b);
    }
    save();
}

int BookmarkStore::indexOf(const QString &name) const
{
    for (int i = 0; i < m_bookmarks.size(); ++i)
        if (m_bookmarks[i].name == name)
            return i;
    return -1;
}

const MapBookmark *BookmarkStore::find(const QString &name) const
{
    const int i = indexOf(name);
    return i >= 0 ? &m_bookmarks[i] : nullptr;
}

void BookmarkStore::put(const MapBookmark &bookmark)
{
    const int i = indexOf(bookmark.name);
    if (i >= 0)
        m_bookmarks[i] = bookmark;
    else
        m_bookmarks.append(bookmark);
    save();
}

bool BookmarkStore::remove(const QString &name)
{
    const int i = indexOf(name);
    if (i < 0)
        return false;
    m_bookmarks.removeAt(i);
    save();
    return true;
}

QString BookmarkStore::uniqueName(const QString &base) const
{
    const QString stem = base.isEmpty() ? QStringLiteral("Bookmark") : base;
    if (indexOf(stem) < 0)
        return stem;
    for (int n = 2;; ++n) {
        const QString name = QStringLiteral("%1 (%2)").arg(stem).arg(n);
        if (indexOf(name) < 0)
            return name;
    }
}

} // namespace embedlab
