<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>embedlab::ClassifierWindow</name>
    <message numerus="yes">
        <source>%1 training and %2 validation examples; %n classes: %3.</source>
        <translation>
            <numerusform>%1 training and %2 validation examples; %n class: %3.</numerusform>
            <numerusform>%1 training and %2 validation examples; %n classes: %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s) of this run.</source>
        <translation>
            <numerusform>Stopped after %n epoch of this run.</numerusform>
            <numerusform>Stopped after %n epochs of this run.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done: %n epoch(s) in %1 s; validation accuracy %2.</source>
        <translation>
            <numerusform>Done: %n epoch in %1 s; validation accuracy %2.</numerusform>
            <numerusform>Done: %n epochs in %1 s; validation accuracy %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) cut: the model reads %1 tokens.</source>
        <translation>
            <numerusform>%n token cut: the model reads %1 tokens.</numerusform>
            <numerusform>%n tokens cut: the model reads %1 tokens.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>embedlab::EmbeddingMap</name>
    <message numerus="yes">
        <source>%n outside the view: %1 · double-click shows all</source>
        <translation>
            <numerusform>%n outside the view: %1 · double-click shows all</numerusform>
            <numerusform>%n outside the view: %1 · double-click shows all</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Isolate “%1” and Its %n Nearest Neighbours</source>
        <translation>
            <numerusform>Isolate “%1” and Its Nearest Neighbour</numerusform>
            <numerusform>Isolate “%1” and Its %n Nearest Neighbours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Filtered: the %n words of %1 that “%2” finds</source>
        <translation>
            <numerusform>Filtered: the %n word of %1 that “%2” finds</numerusform>
            <numerusform>Filtered: the %n words of %1 that “%2” finds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other values or none (%1)</source>
        <translation>
            <numerusform>%n other value or none (%1)</numerusform>
            <numerusform>%n other values or none (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Isolated: “%1” and its %n nearest neighbours (cosine, of %2 words)</source>
        <translation>
            <numerusform>Isolated: “%1” and its nearest neighbour (cosine, of %2 words)</numerusform>
            <numerusform>Isolated: “%1” and its %n nearest neighbours (cosine, of %2 words)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>embedlab::HistoryChart</name>
    <message numerus="yes">
        <source>%Ln snapshot(s)</source>
        <translation>
            <numerusform>%Ln snapshot</numerusform>
            <numerusform>%Ln snapshots</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>embedlab::MainWindow</name>
    <message numerus="yes">
        <source>Delete %n run(s) and their recorded history? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n run and its recorded history? This cannot be undone.</numerusform>
            <numerusform>Delete %n runs and their recorded history? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; trained %n step(s), Start continues from there</source>
        <translation>
            <numerusform>; trained %n step, Start continues from there</numerusform>
            <numerusform>; trained %n steps, Start continues from there</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training finished: %n epoch(s)</source>
        <translation>
            <numerusform>Training finished: %n epoch</numerusform>
            <numerusform>Training finished: %n epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>None of the %n rows of %1 names a word on the map (its first column begins %2).</source>
        <translation>
            <numerusform>The %n row of %1 names no word on the map (its first column is %2).</numerusform>
            <numerusform>None of the %n rows of %1 names a word on the map (its first column begins %2).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of its %n rows name words on the map, by its column “%3”</source>
        <translation>
            <numerusform>%1: %2 of its %n row names a word on the map, by its column “%3”</numerusform>
            <numerusform>%1: %2 of its %n rows name words on the map, by its column “%3”</numerusform>
        </translation>
    </message>
</context>
</TS>
