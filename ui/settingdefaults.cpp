#include "ui/settingdefaults.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSpinBox>

#include <cmath>

namespace embedlab {

namespace {

// "Tokens:" -> "Tokens", "&Lowercase" -> "Lowercase".
QString settingName(const QWidget *label)
{
    QString name;
    if (const auto *l = qobject_cast<const QLabel *>(label))
        name = l->text();
    else if (const auto *b = qobject_cast<const QAbstractButton *>(label))
        name = b->text();
    name.remove(QLatin1Char('&'));
    name = name.trimmed();
    if (name.endsWith(QLatin1Char(':'))
        || name.endsWith(QChar(0xFF1A))) // also the full-width colon
        name.chop(1);
    return name;
}

} // namespace

void SettingDefaults::add(QWidget *field, const QVariant &defaultValue, QWidget *label)
{
    Entry e;
    e.field = field;
    e.label = label ? label : field;
    e.defaultValue = defaultValue;
    e.baseToolTip = e.label->toolTip();
    m_entries.push_back(e);
}

const SettingDefaults::Entry *SettingDefaults::find(const QWidget *field) const
{
    for (const Entry &e : m_entries)
        if (e.field == field)
            return &e;
    return nullptr;
}

QVariant SettingDefaults::valueOf(const QWidget *field)
{
    if (const auto *c = qobject_cast<const QComboBox *>(field))
        return c->currentData();
    if (const auto *s = qobject_cast<const QSpinBox *>(field))
        return s->value();
    if (const auto *s = qobject_cast<const QDoubleSpinBox *>(field))
        return s->value();
    if (const auto *b = qobject_cast<const QCheckBox *>(field))
        return b->isChecked();
    return {};
}

QString SettingDefaults::text(const QWidget *field, const QVariant &value)
{
    if (const auto *c = qobject_cast<const QComboBox *>(field))
        return c->itemText(c->findData(value));
    if (const auto *s = qobject_cast<const QSpinBox *>(field)) {
        if (value.toInt() == s->minimum() && !s->specialValueText().isEmpty())
            return s->specialValueText();
        return s->locale().toString(value.toInt()) + s->suffix();
    }
    if (const auto *s = qobject_cast<const QDoubleSpinBox *>(field)) {
        if (value.toDouble() == s->minimum() && !s->specialValueText().isEmpty())
            return s->specialValueText();
        // As the box shows it, without the zeros a fixed number of decimals adds.
        QString t = s->locale().toString(value.toDouble(), 'f', s->decimals());
        const QChar point = s->locale().decimalPoint().at(0);
        if (t.contains(point)) {
            while (t.endsWith(QLatin1Char('0')))
                t.chop(1);
            if (t.endsWith(point))
                t.chop(1);
        }
        return t + s->suffix();
    }
    if (qobject_cast<const QCheckBox *>(field))
        return value.toBool() ? QCoreApplication::translate("embedlab::SettingDefaults", "on")
                              : QCoreApplication::translate("embedlab::SettingDefaults", "off");
    return value.toString();
}

bool SettingDefaults::same(const QVariant &a, const QVariant &b)
{
    if (a.typeId() == QMetaType::Double || b.typeId() == QMetaType::Double) {
        const double x = a.toDouble(), y = b.toDouble();
        return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(y));
    }
    return a == b;
}

bool SettingDefaults::isDefault(const QWidget *field) const
{
    const Entry *e = find(field);
    return !e || same(valueOf(field), e->defaultValue);
}

void SettingDefaults::restore()
{
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.field)
            continue;
        if (auto *c = qobject_cast<QComboBox *>(e.field.data()))
            c->setCurrentIndex(c->findData(e.defaultValue));
        else if (auto *s = qobject_cast<QSpinBox *>(e.field.data()))
            s->setValue(e.defaultValue.toInt());
        else if (auto *s = qobject_cast<QDoubleSpinBox *>(e.field.data()))
            s->setValue(e.defaultValue.toDouble());
        else if (auto *b = qobject_cast<QCheckBox *>(e.field.data()))
            b->setChecked(e.defaultValue.toBool());
    }
}

void SettingDefaults::setNote(QWidget *field, const QString &note)
{
    for (Entry &e : m_entries)
        if (e.field == field)
            e.note = note;
}

void SettingDefaults::updateMarks()
{
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.field || !e.label)
            continue;
        const bool changed = !same(valueOf(e.field), e.defaultValue);
        QFont font = e.label->font();
        if (font.bold() != changed) {
            font.setBold(changed);
            e.label->setFont(font);
        }
        QStringList tip;
        if (!e.baseToolTip.isEmpty())
            tip << e.baseToolTip;
        if (changed && !e.note.isEmpty())
            tip << e.note;
        if (changed)
            tip << QCoreApplication::translate("embedlab::SettingDefaults", "Default: %1")
                       .arg(text(e.field, e.defaultValue));
        e.label->setToolTip(tip.join(QLatin1Char('\n')));
    }
}

QList<SettingChange> SettingDefaults::changes() const
{
    QList<SettingChange> out;
    for (const Entry &e : m_entries) {
        if (!e.field || same(valueOf(e.field), e.defaultValue))
            continue;
        out.push_back({ settingName(e.label), text(e.field, valueOf(e.field)),
            text(e.field, e.defaultValue), e.note });
    }
    return out;
}

} // namespace embedlab
