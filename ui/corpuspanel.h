#pragma once
// What the engine made of the open corpus, and the tokenizer settings; a change of settings asks
// for a re-tokenisation (on the worker thread, see MainWindow).
#include <QWidget>

#include "core/corpus.h"
#include "ui/settingdefaults.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSettings;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace embedlab {

// A token as a table shows it: a space as "␣", a control character as its picture (␉ for a
// tab), other blank characters as their code point; any other token as it is.
QString visibleToken(const QString &token);

class CorpusPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CorpusPanel(QWidget *parent = nullptr);

    CorpusOptions options() const;
    void setOptions(const CorpusOptions &options);
    // Shows a corpus; `name` is what the user knows it by (file name).
    // mode: how it was tokenised, so the counts name words or characters.
    void showCorpus(
        const QString &name, const Corpus &corpus, TokenizerMode mode = TokenizerMode::Word);
    void setBusy(const QString &message);
    void setSettingsEnabled(bool enabled);
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);
    // The options a first start has (the tokenizer's defaults, 10,000 words, 10% validation).
    static CorpusOptions defaultOptions();
    // Sets every option to its default, silently (as setOptions).
    void restoreDefaults();
    // The options that differ from their defaults, whose labels are bold with the default in
    // their tooltip.
    QList<SettingChange> changedSettings() const { return m_defaults.changes(); }
    QPushButton *restoreDefaultsButton() const { return m_restoreDefaults; }

signals:
    // Debounced: emitted once the user has stopped changing settings for a moment.
    void optionsChanged();
    // At once, whenever an option changes (changedSettings() may differ).
    void settingsEdited();
    void restoreDefaultsRequested();

private:
    QLabel *m_name, *m_stats;
    QComboBox *m_tokenizer, *m_cjk, *m_normalize;
    QCheckBox *m_lowercase;
    CaseFolding m_folding = CaseFolding::Full; // kept from setOptions (an old run's is simple)
    QSpinBox *m_minCount, *m_maxVocab;
    QDoubleSpinBox *m_validFraction;
    QTableWidget *m_words;
    QTimer *m_debounce;
    QPushButton *m_restoreDefaults;
    SettingDefaults m_defaults;
    void updateMarks();
};

} // namespace embedlab
