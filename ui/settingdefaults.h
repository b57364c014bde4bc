#pragma once
// The defaults of a panel's settings: which fields differ from theirs (their labels bold, the
// default in the tooltip), what they are, and putting them back.
#include <QList>
#include <QPointer>
#include <QString>
#include <QVariant>

class QWidget;

namespace embedlab {

// A setting that is not at its default, as the window names it.
struct SettingChange
{
    QString name; // "Tokens"
    QString value; // "Characters"
    QString defaultValue; // "Words"
    QString note; // where the value came from ("adopted from glove.6B.100d.txt"), or empty
};

class SettingDefaults
{
public:
    // A QComboBox (default: its item data), QSpinBox, QDoubleSpinBox or QCheckBox; `label` is
    // marked (the field itself when null, as for a check box that carries its own text).
    void add(QWidget *field, const QVariant &defaultValue, QWidget *label = nullptr);
    bool isDefault(const QWidget *field) const;
    // Sets every field to its default, in the order they were added.
    void restore();
    // Bold labels and "Default: X" tooltips on the fields that differ.
    void updateMarks();
    QList<SettingChange> changes() const;
    // Said in the field's tooltip and in changes() while the field differs from its default.
    void setNote(QWidget *field, const QString &note);

private:
    struct Entry
    {
        QPointer<QWidget> field, label;
        QVariant defaultValue;
        QString baseToolTip; // the label's own tooltip
        QString note;
    };
    const Entry *find(const QWidget *field) const;
    static QVariant valueOf(const QWidget *field);
    static QString text(const QWidget *field, const QVariant &value);
    static bool same(const QVariant &a, const QVariant &b);
    QList<Entry> m_entries;
};

} // namespace embedlab
