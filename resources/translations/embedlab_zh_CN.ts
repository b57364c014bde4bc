<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>Not enough memory.</source>
        <translation>内存不足。</translation>
    </message>
    <message>
        <source>&lt;li&gt;%1: %2 (lines %3%4)&lt;/li&gt;</source>
        <translation>&lt;li&gt;%1：%2（第 %3%4 行）&lt;/li&gt;</translation>
    </message>
</context>
<context>
    <name>embedlab::BookmarksDialog</name>
    <message>
        <source>Manage Bookmarks</source>
        <translation>管理书签</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>重命名(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move Do&amp;wn</source>
        <translation>下移(&amp;W)</translation>
    </message>
    <message>
        <source>Double-click a name to rename it.</source>
        <translation>双击名称可重命名。</translation>
    </message>
</context>
<context>
    <name>embedlab::ClassifierScreenshotDriver</name>
    <message>
        <source>Timed out after %1 s before the window was ready</source>
        <translation>已超时 %1 秒，窗口仍未就绪</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>embedlab::ClassifierWindow</name>
    <message>
        <source>Loss and accuracy</source>
        <translation>损失与准确率</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>投影图</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>已暂停。</translation>
    </message>
    <message>
        <source>Training...</source>
        <translation>正在训练...</translation>
    </message>
    <message>
        <source>Open a labelled corpus (File &gt; Open Labelled Corpus) or the sample to begin.</source>
        <translation>请打开一个带标签的语料（文件 &gt; 打开带标签的语料）或示例语料以开始。</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss (cross-entropy)</source>
        <translation>损失（交叉熵）</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Batch loss</source>
        <translation>批损失</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Labelled corpus</source>
        <translation>带标签的语料</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Open...</source>
        <translation>打开...</translation>
    </message>
    <message>
        <source>Open Labelled Corpus</source>
        <translation>打开带标签的语料</translation>
    </message>
    <message>
        <source>Labelled text (*.tsv *.txt *.csv *.ft *.train *.valid);;All files (*)</source>
        <translation>带标签的文本 (*.tsv *.txt *.csv *.ft *.train *.valid);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Detect (tab or fastText)</source>
        <translation>自动识别（制表符或 fastText）</translation>
    </message>
    <message>
        <source>label&lt;TAB&gt;text</source>
        <translation>标签&lt;TAB&gt;文本</translation>
    </message>
    <message>
        <source>fastText (__label__name text)</source>
        <translation>fastText（__label__名称 文本）</translation>
    </message>
    <message>
        <source>CSV with a header</source>
        <translation>带表头的 CSV</translation>
    </message>
    <message>
        <source>How the file holds its examples: one a line as label, a tab and the text; fastText&apos;s __label__ prefixes; or CSV whose header names the columns</source>
        <translation>文件如何存放样本：每行一个，标签、制表符、文本；fastText 的 __label__ 前缀；或由表头给出列名的 CSV</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>CSV: the column that holds each example&apos;s label</source>
        <translation>CSV：存放每个样本标签的列</translation>
    </message>
    <message>
        <source>CSV: the column that holds each example&apos;s text</source>
        <translation>CSV：存放每个样本文本的列</translation>
    </message>
    <message>
        <source>Label column:</source>
        <translation>标签列：</translation>
    </message>
    <message>
        <source>Text column:</source>
        <translation>文本列：</translation>
    </message>
    <message>
        <source>The last examples of the file, held out to measure the model</source>
        <translation>文件末尾的样本，留出用于评估模型</translation>
    </message>
    <message>
        <source>Validation:</source>
        <translation>验证集：</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>按词</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>按字符</translation>
    </message>
    <message>
        <source>Lowercase</source>
        <translation>转为小写</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>The most frequent words kept, the three special tokens included; the rest read as &lt;unk&gt;</source>
        <translation>保留的最常见词数（含三个特殊词元）；其余的词读作 &lt;unk&gt;</translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation>词元：</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表大小：</translation>
    </message>
    <message>
        <source>Min count:</source>
        <translation>最低词频：</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <source>GRU</source>
        <translation>GRU</translation>
    </message>
    <message>
        <source>RNN (tanh)</source>
        <translation>RNN (tanh)</translation>
    </message>
    <message>
        <source>RNN (ReLU)</source>
        <translation>RNN (ReLU)</translation>
    </message>
    <message>
        <source>Last real token</source>
        <translation>最后一个真实词元</translation>
    </message>
    <message>
        <source>Mean over the text</source>
        <translation>全文平均</translation>
    </message>
    <message>
        <source>Maximum over the text</source>
        <translation>全文最大值</translation>
    </message>
    <message>
        <source>What the head reads: the hidden state at the last real token, or the mean or maximum of the outputs over the real tokens (pads are masked)</source>
        <translation>分类头读取的内容：最后一个真实词元处的隐藏状态，或所有真实词元输出的平均值或最大值（填充被遮蔽）</translation>
    </message>
    <message>
        <source>Cell:</source>
        <translation>循环单元：</translation>
    </message>
    <message>
        <source>Read out:</source>
        <translation>读出方式：</translation>
    </message>
    <message>
        <source>Embedding dim:</source>
        <translation>嵌入维度：</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>隐藏层大小：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>longest text</source>
        <translation>最长文本</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>Every text is padded with &lt;pad&gt; (id 0) or cut to this length, as Keras&apos; pad_sequences does; pads are masked</source>
        <translation>每个文本都用 &lt;pad&gt;（编号 0）填充或截断到此长度，与 Keras 的 pad_sequences 相同；填充被遮蔽</translation>
    </message>
    <message>
        <source>before (pre)</source>
        <translation>之前 (pre)</translation>
    </message>
    <message>
        <source>after (post)</source>
        <translation>之后 (post)</translation>
    </message>
    <message>
        <source>Where the pads go in a short text</source>
        <translation>短文本的填充放在哪一端</translation>
    </message>
    <message>
        <source>Where a long text is cut: pre keeps its end, post its start</source>
        <translation>长文本从哪一端截断：pre 保留结尾，post 保留开头</translation>
    </message>
    <message>
        <source>Length:</source>
        <translation>长度：</translation>
    </message>
    <message>
        <source>Pad:</source>
        <translation>填充：</translation>
    </message>
    <message>
        <source>Cut:</source>
        <translation>截断：</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Seeds the initial weights and the order of the batches</source>
        <translation>决定初始权重和批次顺序的随机种子</translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation>优化器：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Gradient clip:</source>
        <translation>梯度裁剪：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;New Model</source>
        <translation>新建模型(&amp;N)</translation>
    </message>
    <message>
        <source>Discard the model, so the text and shape settings apply again</source>
        <translation>丢弃模型，使文本与结构设置重新生效</translation>
    </message>
    <message>
        <source>Validation results</source>
        <translation>验证结果</translation>
    </message>
    <message>
        <source>Train a model to see how it does on the held-out examples.</source>
        <translation>训练一个模型，查看它在留出样本上的表现。</translation>
    </message>
    <message>
        <source>Rows: the true label; columns: the label predicted. The shade is the share of the row.</source>
        <translation>行：真实标签；列：预测标签。颜色深浅表示占该行的比例。</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>The number of examples of the class</source>
        <translation>该类的样本数</translation>
    </message>
    <message>
        <source>Confusion matrix (true label by row, predicted by column)</source>
        <translation>混淆矩阵（行为真实标签，列为预测标签）</translation>
    </message>
    <message>
        <source>Per class</source>
        <translation>各类别</translation>
    </message>
    <message>
        <source>Try a text</source>
        <translation>试试一段文本</translation>
    </message>
    <message>
        <source>Type or paste a text; the model&apos;s prediction follows.</source>
        <translation>输入或粘贴一段文本，即可看到模型的预测。</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>A word is coloured by the class whose probability it raises most when read alone (against the empty text), if it raises it by at least this much; otherwise grey</source>
        <translation>单独读入一个词时（与空文本相比），它使哪个类别的概率升高最多，就用该类别的颜色标记它，前提是升高至少达到此值；否则为灰色</translation>
    </message>
    <message>
        <source>Colour a word from a pull of</source>
        <translation>着色所需的最小拉力</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Labelled Corpus...</source>
        <translation>打开带标签的语料(&amp;O)...</translation>
    </message>
    <message>
        <source>Open S&amp;ample: Austen or Shakespeare?</source>
        <translation>打开示例(&amp;A)：奥斯汀还是莎士比亚？</translation>
    </message>
    <message>
        <source>Open &amp;Classifier...</source>
        <translation>打开分类器(&amp;C)...</translation>
    </message>
    <message>
        <source>Open Classifier</source>
        <translation>打开分类器</translation>
    </message>
    <message>
        <source>Classifier (*.safetensors);;All files (*)</source>
        <translation>分类器 (*.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Classifier</source>
        <translation>保存分类器</translation>
    </message>
    <message>
        <source>Classifier (*.safetensors)</source>
        <translation>分类器 (*.safetensors)</translation>
    </message>
    <message>
        <source>&amp;Save Classifier</source>
        <translation>保存分类器(&amp;S)</translation>
    </message>
    <message>
        <source>Save Classifier &amp;As...</source>
        <translation>分类器另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Could not open the corpus</source>
        <translation>无法打开语料</translation>
    </message>
    <message>
        <source>Could not open the sample corpus</source>
        <translation>无法打开示例语料</translation>
    </message>
    <message>
        <source>Austen or Shakespeare? (sample)</source>
        <translation>奥斯汀还是莎士比亚？（示例）</translation>
    </message>
    <message>
        <source>Reading %1...</source>
        <translation>正在读取 %1...</translation>
    </message>
    <message>
        <source>%1: every example has the label &apos;%2&apos;; a classifier needs at least two.</source>
        <translation>%1：所有样本的标签都是“%2”；分类器至少需要两个类别。</translation>
    </message>
    <message numerus="yes">
        <source>%1 training and %2 validation examples; %n classes: %3.</source>
        <translation>
            <numerusform>%1 个训练样本，%2 个验证样本；%n 个类别：%3。</numerusform>
        </translation>
    </message>
    <message>
        <source>Vocabulary %1 words; %2 of the training tokens read as &lt;unk&gt;.</source>
        <translation>词表 %1 个词；训练词元中有 %2 读作 &lt;unk&gt;。</translation>
    </message>
    <message>
        <source>Read with the model&apos;s vocabulary.</source>
        <translation>已按模型的词表读取。</translation>
    </message>
    <message>
        <source>Nothing to train on</source>
        <translation>没有可训练的数据</translation>
    </message>
    <message>
        <source>Open a labelled corpus first (File &gt; Open Labelled Corpus, or the sample).</source>
        <translation>请先打开一个带标签的语料（文件 &gt; 打开带标签的语料，或示例语料）。</translation>
    </message>
    <message>
        <source>%1 has no training examples.</source>
        <translation>%1 没有训练样本。</translation>
    </message>
    <message>
        <source>Cannot train</source>
        <translation>无法训练</translation>
    </message>
    <message>
        <source>Epoch %1 of %2 · batch %3 of %4 · %5 examples/s</source>
        <translation>第 %1/%2 轮 · 第 %3/%4 批 · 每秒 %5 个样本</translation>
    </message>
    <message>
        <source>After epoch %1: validation accuracy %2, loss %3; training accuracy %4.</source>
        <translation>第 %1 轮后：验证准确率 %2，损失 %3；训练准确率 %4。</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>训练发散</translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s) of this run.</source>
        <translation>
            <numerusform>本次训练在 %n 轮后停止。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done: %n epoch(s) in %1 s; validation accuracy %2.</source>
        <translation>
            <numerusform>完成：%n 轮，用时 %1 秒；验证准确率 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of the %2 examples labelled %3 were predicted %4</source>
        <translation>标签为 %3 的 %2 个样本中，有 %1 个被预测为 %4</translation>
    </message>
    <message>
        <source>Macro average</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <source>This model on the %1 held-out examples: accuracy %2, loss %3.</source>
        <translation>该模型在 %1 个留出样本上：准确率 %2，损失 %3。</translation>
    </message>
    <message>
        <source>the classifier&apos;s embedding</source>
        <translation>分类器的嵌入</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>中性</translation>
    </message>
    <message>
        <source>Words by the class they pull towards: %1</source>
        <translation>按词所偏向的类别着色：%1</translation>
    </message>
    <message>
        <source>(no model yet)</source>
        <translation>（尚无模型）</translation>
    </message>
    <message>
        <source>With no text the model says %1 (%2): what it has learnt of the classes&apos; shares.</source>
        <translation>没有文本时，模型预测为 %1（%2）：这是它学到的各类别所占比例。</translation>
    </message>
    <message>
        <source>Predicted: %1 (%2)</source>
        <translation>预测：%1（%2）</translation>
    </message>
    <message>
        <source>Not in the vocabulary (read as &lt;unk&gt;): %1</source>
        <translation>不在词表中（读作 &lt;unk&gt;）：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) cut: the model reads %1 tokens.</source>
        <translation>
            <numerusform>截掉了 %n 个词元：模型只读取 %1 个词元。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not open the classifier</source>
        <translation>无法打开分类器</translation>
    </message>
    <message>
        <source>Stop the training first.</source>
        <translation>请先停止训练。</translation>
    </message>
    <message>
        <source>Opening %1 replaces it.</source>
        <translation>打开 %1 将替换当前模型。</translation>
    </message>
    <message>
        <source>Open a labelled corpus to measure this model.</source>
        <translation>请打开一个带标签的语料来评估该模型。</translation>
    </message>
    <message>
        <source>Opened %1: %2 classes, vocabulary %3.</source>
        <translation>已打开 %1：%2 个类别，词表 %3 个词。</translation>
    </message>
    <message>
        <source>Could not save the classifier</source>
        <translation>无法保存分类器</translation>
    </message>
    <message>
        <source>There is no model to save.</source>
        <translation>没有可保存的模型。</translation>
    </message>
    <message>
        <source>Saved the model as of its last copy to %1; training goes on.</source>
        <translation>已将模型最近一次的副本保存到 %1；训练仍在继续。</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Unsaved classifier</source>
        <translation>分类器未保存</translation>
    </message>
    <message>
        <source>The classifier has training that is not saved.</source>
        <translation>分类器有尚未保存的训练结果。</translation>
    </message>
    <message>
        <source>A new model discards it.</source>
        <translation>新建模型将丢弃它。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Train the model further on this corpus</source>
        <translation>在此语料上继续训练模型</translation>
    </message>
    <message>
        <source>Train a new model with these settings</source>
        <translation>用这些设置训练一个新模型</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>This belongs to the model now; New Model discards it</source>
        <translation>此项现已属于模型；“新建模型”会丢弃它</translation>
    </message>
    <message>
        <source>untitled classifier</source>
        <translation>未命名的分类器</translation>
    </message>
    <message>
        <source>Text Classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <source>Closing the window discards it.</source>
        <translation>关闭窗口将丢弃它。</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Pre-trained Vectors...</source>
        <translation>预训练向量...</translation>
    </message>
    <message>
        <source>Start the embedding from GloVe, word2vec or fastText vectors (Keras&apos; weights=[matrix])</source>
        <translation>用 GloVe、word2vec 或 fastText 向量初始化嵌入（即 Keras 的 weights=[matrix]）</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Start the embedding from random rows instead</source>
        <translation>改为用随机行初始化嵌入</translation>
    </message>
    <message>
        <source>Frozen (trainable=False)</source>
        <translation>冻结（trainable=False）</translation>
    </message>
    <message>
        <source>The embedding keeps its weights while the rest trains; it can be changed between runs</source>
        <translation>其余部分训练时嵌入保持权重不变；可在两次训练之间更改</translation>
    </message>
    <message>
        <source>Embedding:</source>
        <translation>嵌入：</translation>
    </message>
    <message>
        <source>random, like the layer&apos;s default (normal 0, 1)</source>
        <translation>随机（与该层的默认初始化相同，正态分布 0, 1）</translation>
    </message>
    <message>
        <source>Dimensions differ</source>
        <translation>维度不一致</translation>
    </message>
    <message>
        <source>The vectors have %1 dimensions but the model&apos;s embedding has %2. Change the embedding size or let the model adopt the file&apos;s dimension.</source>
        <translation>词向量为 %1 维，而模型的嵌入为 %2 维。请更改嵌入维度，或让模型采用该文件的维度。</translation>
    </message>
    <message>
        <source>%1 (%2 words, %3 dimensions)</source>
        <translation>%1（%2 个词，%3 维）</translation>
    </message>
    <message>
        <source>Embedding initialised from %1: %2 of %3 words covered</source>
        <translation>已用 %1 初始化嵌入：覆盖了 %3 个词中的 %2 个</translation>
    </message>
    <message>
        <source>Read %1 with the model&apos;s vocabulary.</source>
        <translation>已按模型的词表读取 %1。</translation>
    </message>
    <message>
        <source>Read %1. Start trains a new model with these settings.</source>
        <translation>已读取 %1。点击“开始”即按这些设置训练新模型。</translation>
    </message>
    <message>
        <source>%1 (%2 words, %3 dimensions) covers %4 of the vocabulary and %5 of the training tokens</source>
        <translation>%1（%2 个词，%3 维）覆盖词表的 %4、训练词元的 %5</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>主工具栏</translation>
    </message>
</context>
<context>
    <name>embedlab::CompareDialog</name>
    <message>
        <source>random initialisation</source>
        <translation>随机初始化</translation>
    </message>
    <message>
        <source>%1 initialisation (%2)</source>
        <translation>%1 初始化（%2）</translation>
    </message>
    <message>
        <source>pre-trained</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>frozen embedding</source>
        <translation>冻结的嵌入</translation>
    </message>
    <message>
        <source>trainable embedding</source>
        <translation>可训练的嵌入</translation>
    </message>
    <message>
        <source>embedding size %1</source>
        <translation>嵌入维度 %1</translation>
    </message>
    <message>
        <source>Compare with a Sibling Run</source>
        <translation>与对照运行比较</translation>
    </message>
    <message>
        <source>Base run</source>
        <translation>基准运行</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Corpus:</source>
        <translation>语料：</translation>
    </message>
    <message>
        <source>Initialisation:</source>
        <translation>初始化：</translation>
    </message>
    <message>
        <source>pre-trained, from %1</source>
        <translation>预训练，来自 %1</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Embedding size:</source>
        <translation>嵌入维度：</translation>
    </message>
    <message>
        <source>Embedding:</source>
        <translation>嵌入：</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>trainable</source>
        <translation>可训练</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>The sibling differs in one setting</source>
        <translation>对照运行只改动一项设置</translation>
    </message>
    <message>
        <source>&amp;Random initialisation</source>
        <translation>随机初始化(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pre-trained initialisation from word vectors</source>
        <translation>用预训练词向量初始化(&amp;P)</translation>
    </message>
    <message>
        <source>GloVe, word2vec, fastText .vec, Projector TSV or .safetensors</source>
        <translation>GloVe、word2vec、fastText .vec、Projector TSV 或 .safetensors</translation>
    </message>
    <message>
        <source>&amp;Browse...</source>
        <translation>浏览(&amp;B)...</translation>
    </message>
    <message>
        <source>&amp;Trainable embedding</source>
        <translation>可训练的嵌入(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Frozen embedding</source>
        <translation>冻结的嵌入(&amp;F)</translation>
    </message>
    <message>
        <source>Another embedding &amp;size:</source>
        <translation>其他嵌入维度(&amp;S)：</translation>
    </message>
    <message>
        <source>The base run ties the decoder to the embedding, which must then learn: a tied embedding cannot be frozen</source>
        <translation>基准运行将解码器与嵌入绑定，嵌入因此必须参与学习：绑定的嵌入不能冻结</translation>
    </message>
    <message>
        <source>The embedding size of a run initialised from vectors is the vectors&apos; dimension (%1)</source>
        <translation>从词向量初始化的运行，其嵌入维度即词向量的维度（%1）</translation>
    </message>
    <message>
        <source>Everything else is the base run&apos;s: the corpus and its tokenizer, the seed, the model and the training settings, and the sibling trains as many windows as the base did.</source>
        <translation>其余设置均与基准运行相同：语料及其分词方式、随机种子、模型和训练设置；对照运行训练的窗口数也与基准运行相同。</translation>
    </message>
    <message>
        <source>Start Sibling</source>
        <translation>开始对照运行</translation>
    </message>
    <message>
        <source>Initialise from Word Vectors</source>
        <translation>从词向量初始化</translation>
    </message>
    <message>
        <source>The embedding size follows the vectors&apos; dimension, and so does the hidden size, which is tied to it: vectors of another dimension than %1 change the model&apos;s size too.</source>
        <translation>嵌入维度取决于词向量的维度，与之绑定的隐藏层大小也是如此：若词向量不是 %1 维，模型大小也会随之改变。</translation>
    </message>
    <message>
        <source>The embedding size follows the vectors&apos; dimension: vectors of another dimension than %1 change the embedding size too.</source>
        <translation>嵌入维度取决于词向量的维度：若词向量不是 %1 维，嵌入维度也会随之改变。</translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 不是文件。</translation>
    </message>
    <message>
        <source>%1: %2 dimensions, the base&apos;s embedding size.</source>
        <translation>%1：%2 维，与基准运行的嵌入维度相同。</translation>
    </message>
    <message>
        <source>%1: %2 dimensions, so the sibling&apos;s embedding size becomes %2 (the base&apos;s is %3)%4.</source>
        <translation>%1：%2 维，因此对照运行的嵌入维度变为 %2（基准运行为 %3）%4。</translation>
    </message>
    <message>
        <source>, and its hidden size too</source>
        <translation>，隐藏层大小也随之改变</translation>
    </message>
    <message>
        <source>%1 is the base&apos;s embedding size; choose another.</source>
        <translation>%1 是基准运行的嵌入维度，请选择其他值。</translation>
    </message>
    <message>
        <source>The decoder is tied to the embedding, so the hidden size follows it.</source>
        <translation>解码器与嵌入绑定，因此隐藏层大小随嵌入维度而定。</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <source>GRU</source>
        <translation>GRU</translation>
    </message>
    <message>
        <source>RNN (tanh)</source>
        <translation>RNN (tanh)</translation>
    </message>
    <message>
        <source>RNN (ReLU)</source>
        <translation>RNN (ReLU)</translation>
    </message>
    <message>
        <source>%1 cell</source>
        <translation>%1 循环单元</translation>
    </message>
    <message>
        <source>Cell:</source>
        <translation>循环单元：</translation>
    </message>
    <message>
        <source>Another &amp;cell:</source>
        <translation>其他循环单元(&amp;C)：</translation>
    </message>
</context>
<context>
    <name>embedlab::CorpusPanel</name>
    <message>
        <source>No corpus open</source>
        <translation>未打开语料</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词方式</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>按词</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>按字符</translation>
    </message>
    <message>
        <source>Lowercase</source>
        <translation>转为小写</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation>词元：</translation>
    </message>
    <message>
        <source>Min count:</source>
        <translation>最低词频：</translation>
    </message>
    <message>
        <source>Max vocabulary:</source>
        <translation>词表上限：</translation>
    </message>
    <message>
        <source>Validation share:</source>
        <translation>验证集比例：</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>频次</translation>
    </message>
    <message>
        <source>%1 · %2 lines · %3 tokens
Vocabulary %4 words · &lt;unk&gt; %5%
Training %6 · validation %7 tokens</source>
        <translation>%1 · %2 行 · %3 个词元
词表 %4 个词 · &lt;unk&gt; %5%
训练 %6 · 验证 %7 个词元</translation>
    </message>
    <message>
        <source>
%1 invalid UTF-8 sequences replaced</source>
        <translation>
已替换 %1 个无效的 UTF-8 序列</translation>
    </message>
    <message>
        <source>Words (dictionary)</source>
        <translation>按词（词典分词）</translation>
    </message>
    <message>
        <source>One per character</source>
        <translation>每字一个词元</translation>
    </message>
    <message>
        <source>How Chinese, Japanese, Thai, Lao, Khmer and Burmese text is cut</source>
        <translation>中文、日文、泰文、老挝文、高棉文和缅甸文的切分方式</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不规范化</translation>
    </message>
    <message>
        <source>NFC</source>
        <translation>NFC</translation>
    </message>
    <message>
        <source>NFKC</source>
        <translation>NFKC</translation>
    </message>
    <message>
        <source>CJK and Thai:</source>
        <translation>中日文与泰文：</translation>
    </message>
    <message>
        <source>Normalize:</source>
        <translation>Unicode 规范化：</translation>
    </message>
    <message>
        <source>%1 · %2 lines · %3 tokens
Vocabulary %4 characters · &lt;unk&gt; %5%
Training %6 · validation %7 tokens</source>
        <translation>%1 · %2 行 · %3 个词元
词表 %4 个字符 · &lt;unk&gt; %5%
训练 %6 · 验证 %7 个词元</translation>
    </message>
    <message>
        <source>Character</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>The character %1</source>
        <translation>字符 %1</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Put every tokenizer setting back to its default</source>
        <translation>将所有分词设置恢复为默认值</translation>
    </message>
</context>
<context>
    <name>embedlab::Document</name>
    <message>
        <source>%1 is not a run folder</source>
        <translation>%1 不是运行文件夹</translation>
    </message>
    <message>
        <source>some files of %1 could not be deleted</source>
        <translation>%1 中的部分文件无法删除</translation>
    </message>
</context>
<context>
    <name>embedlab::EmbeddingMap</name>
    <message>
        <source>Custom axes</source>
        <translation>自定义坐标轴</translation>
    </message>
    <message>
        <source>How the words are placed: PCA (the widest directions), t-SNE and UMAP (near words near, iteratively), or custom axes named by words</source>
        <translation>词的摆放方式：PCA（方差最大的方向）、t-SNE 和 UMAP（迭代地让相近的词彼此靠近），或由词定义的自定义坐标轴</translation>
    </message>
    <message>
        <source>2D</source>
        <translation>2D</translation>
    </message>
    <message>
        <source>3D</source>
        <translation>3D</translation>
    </message>
    <message>
        <source>3D: drag to turn the map, the nearer words drawn stronger</source>
        <translation>3D：拖动可旋转投影图，越近的词颜色越深</translation>
    </message>
    <message>
        <source>Words: all</source>
        <translation>词：全部</translation>
    </message>
    <message>
        <source>Words: </source>
        <translation>词：</translation>
    </message>
    <message>
        <source>How many of the most frequent words the map shows (all: every one). t-SNE and UMAP take longer the more words they place.</source>
        <translation>投影图显示多少个最高频的词（全部：显示所有词）。词越多，t-SNE 和 UMAP 耗时越长。</translation>
    </message>
    <message>
        <source>PC%1 / PC%2</source>
        <translation>PC%1 / PC%2</translation>
    </message>
    <message>
        <source>Labels: </source>
        <translation>标签：</translation>
    </message>
    <message>
        <source>How many of the most frequent words carry a label</source>
        <translation>为多少个最高频的词显示标签</translation>
    </message>
    <message>
        <source>Find a word...</source>
        <translation>查找词...</translation>
    </message>
    <message>
        <source>Trail</source>
        <translation>轨迹</translation>
    </message>
    <message>
        <source>Across:</source>
        <translation>横轴：</translation>
    </message>
    <message>
        <source>Up:</source>
        <translation>纵轴：</translation>
    </message>
    <message>
        <source>Depth:</source>
        <translation>深度：</translation>
    </message>
    <message>
        <source>e.g. man - woman</source>
        <translation>例如 man - woman</translation>
    </message>
    <message>
        <source>e.g. king - queen</source>
        <translation>例如 king - queen</translation>
    </message>
    <message>
        <source>e.g. good - bad</source>
        <translation>例如 good - bad</translation>
    </message>
    <message>
        <source>Words joined by + and -, a space on each side of the sign: the map places each word by its dot product with this direction</source>
        <translation>用 + 和 - 连接的词，符号两侧各留一个空格：投影图按每个词与该方向的点积来摆放它</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop here: the map keeps the positions reached so far</source>
        <translation>在此停止：投影图保留目前已得到的位置</translation>
    </message>
    <message>
        <source>Train a model or import vectors to see the map.</source>
        <translation>训练模型或导入词向量后即可查看投影图。</translation>
    </message>
    <message>
        <source>Type a direction in words for each axis, e.g. man - woman across and king - queen up.</source>
        <translation>为每个坐标轴输入一个由词表示的方向，例如横轴为 man - woman，纵轴为 king - queen。</translation>
    </message>
    <message>
        <source>Type a direction in words for each of the three axes, e.g. man - woman.</source>
        <translation>为三个坐标轴分别输入一个由词表示的方向，例如 man - woman。</translation>
    </message>
    <message>
        <source>%1: finding the neighbours...</source>
        <translation>%1：正在查找近邻...</translation>
    </message>
    <message>
        <source>%1: iteration %2 of %3</source>
        <translation>%1：第 %2 次迭代，共 %3 次</translation>
    </message>
    <message>
        <source>%1 stopped at iteration %2 of %3: the map is unfinished.</source>
        <translation>%1 在第 %2 次迭代（共 %3 次）时停止：投影图尚未完成。</translation>
    </message>
    <message>
        <source>Stopped at iteration %1 of %2</source>
        <translation>已在第 %1 次迭代（共 %2 次）时停止</translation>
    </message>
    <message>
        <source>Run Again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>Project these words again from the start</source>
        <translation>从头重新投影这些词</translation>
    </message>
    <message>
        <source>Neighbours kept: ...</source>
        <translation>近邻保留率：...</translation>
    </message>
    <message>
        <source>Neighbours kept: %1%</source>
        <translation>近邻保留率：%1%</translation>
    </message>
    <message>
        <source>Of each word&apos;s %1 nearest neighbours in the full space (by cosine), the share that are also among its %1 nearest on this map, averaged over %2 words across the frequency ranks. The lower it is, the less the distances on the map can be trusted: check a word&apos;s neighbours in the Neighbours panel.</source>
        <translation>对每个词在完整空间中（按余弦）的 %1 个最近邻，统计其中同样位于该词在投影图上 %1 个最近邻之中的比例，并在覆盖各频率排名的 %2 个词上取平均。该值越低，投影图上的距离越不可信：请在“近邻”面板中查看词的近邻。</translation>
    </message>
    <message>
        <source>%1 (%2% of variance)</source>
        <translation>%1（方差占比 %2%）</translation>
    </message>
    <message>
        <source>drag to turn</source>
        <translation>拖动可旋转</translation>
    </message>
    <message>
        <source>the %1 most frequent of %2 words</source>
        <translation>%2 个词中最高频的 %1 个</translation>
    </message>
    <message>
        <source>all %1 words</source>
        <translation>全部 %1 个词</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Red: the most frequent words. Drag to turn, wheel to zoom, double-click to fit.</source>
        <translation>红色：最高频的词。拖动可旋转，滚轮可缩放，双击可适应窗口。</translation>
    </message>
    <message>
        <source>Red: the most frequent words. Drag to pan, wheel to zoom, double-click to fit.</source>
        <translation>红色：最高频的词。拖动可平移，滚轮可缩放，双击可适应窗口。</translation>
    </message>
    <message>
        <source>“%1” is not on the map</source>
        <translation>“%1”不在投影图上</translation>
    </message>
    <message>
        <source>Trails show a word&apos;s path over a run&apos;s recorded steps: select a run with several of them</source>
        <translation>轨迹显示一个词在某次运行的各个已记录步上的移动路径：请选择一个记录了多步的运行</translation>
    </message>
    <message>
        <source>Select a word to show its path over the recorded steps</source>
        <translation>选择一个词，以显示其在已记录步上的移动路径</translation>
    </message>
    <message>
        <source>Show the path of “%1” over the recorded steps</source>
        <translation>显示“%1”在已记录步上的移动路径</translation>
    </message>
    <message>
        <source>Hide the Trail of “%1”</source>
        <translation>隐藏“%1”的轨迹</translation>
    </message>
    <message>
        <source>Show the Trail of “%1”</source>
        <translation>显示“%1”的轨迹</translation>
    </message>
    <message>
        <source>Clear All Trails</source>
        <translation>清除所有轨迹</translation>
    </message>
    <message>
        <source>“%1” is not among the %2 words drawn: raise Words to see it</source>
        <translation>“%1”不在所绘制的 %2 个词中：调高“词：”的数值即可看到它</translation>
    </message>
    <message>
        <source>All words shown · double-click fits the bulk</source>
        <translation>已显示全部词 · 双击只显示主体</translation>
    </message>
    <message numerus="yes">
        <source>%n outside the view: %1 · double-click shows all</source>
        <translation>
            <numerusform>视图外还有 %n 个词：%1 · 双击显示全部</numerusform>
        </translation>
    </message>
    <message>
        <source>The filter “%1” finds fewer than two of the %2 words: Show All Words to see the others</source>
        <translation>筛选“%1”在 %2 个词中找到的不足两个：点击“显示全部词”查看其他词</translation>
    </message>
    <message numerus="yes">
        <source>Isolate “%1” and Its %n Nearest Neighbours</source>
        <translation>
            <numerusform>单独显示“%1”及其 %n 个最近邻</numerusform>
        </translation>
    </message>
    <message>
        <source>Show All Words</source>
        <translation>显示全部词</translation>
    </message>
    <message>
        <source>Colour and Label by Metadata...</source>
        <translation>按元数据着色和标注...</translation>
    </message>
    <message>
        <source>Shows only the words this regular expression finds (anywhere in the word, ignoring case), projected on their own. Enter applies it; clear it to show all words again.</source>
        <translation>只显示此正则表达式找到的词（匹配词中任意位置，不区分大小写），并单独重新投影。按回车应用；清空即可重新显示全部词。</translation>
    </message>
    <message>
        <source>Colour the words by a column of the metadata file</source>
        <translation>按元数据文件的某一列为词着色</translation>
    </message>
    <message>
        <source>Label the words by a column of the metadata file</source>
        <translation>按元数据文件的某一列标注词</translation>
    </message>
    <message>
        <source>Neighbours: </source>
        <translation>近邻数：</translation>
    </message>
    <message>
        <source>How many of the word&apos;s nearest neighbours (by cosine, among all the table&apos;s words) are isolated with it</source>
        <translation>与该词一起单独显示的最近邻个数（按余弦相似度，在表中全部词里查找）</translation>
    </message>
    <message>
        <source>“%1” is not in this table: all words shown</source>
        <translation>此表中没有“%1”：已显示全部词</translation>
    </message>
    <message>
        <source>The filter is not a regular expression: %1 (at character %2)</source>
        <translation>筛选条件不是有效的正则表达式：%1（第 %2 个字符处）</translation>
    </message>
    <message>
        <source>No word of the %1 on the map matches “%2”</source>
        <translation>投影图上的 %1 个词中没有与“%2”匹配的词</translation>
    </message>
    <message numerus="yes">
        <source>Filtered: the %n words of %1 that “%2” finds</source>
        <translation>
            <numerusform>已筛选：%1 个词中“%2”找到的 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Colour: frequency</source>
        <translation>颜色：词频</translation>
    </message>
    <message>
        <source>Label: word</source>
        <translation>标签：词</translation>
    </message>
    <message>
        <source>Colour: %1</source>
        <translation>颜色：%1</translation>
    </message>
    <message>
        <source>Label: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n other values or none (%1)</source>
        <translation>
            <numerusform>其他 %n 个取值或无取值（%1）</numerusform>
        </translation>
    </message>
    <message>
        <source>none (%1)</source>
        <translation>无取值（%1）</translation>
    </message>
    <message>
        <source>Filter by regex...</source>
        <translation>按正则表达式筛选...</translation>
    </message>
    <message numerus="yes">
        <source>Isolated: “%1” and its %n nearest neighbours (cosine, of %2 words)</source>
        <translation>
            <numerusform>单独显示：“%1”及其 %n 个最近邻（余弦，取自 %2 个词）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>embedlab::EvaluateDialog</name>
    <message>
        <source>undefined</source>
        <translation>无定义</translation>
    </message>
    <message>
        <source>Ignore case, as gensim does</source>
        <translation>忽略大小写（与 gensim 相同）</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Evaluate Vectors</source>
        <translation>评估词向量</translation>
    </message>
    <message>
        <source>every word</source>
        <translation>全部词</translation>
    </message>
    <message>
        <source>Only the most frequent words take part (gensim&apos;s restrict_vocab, 300,000 by default); a question or pair with another word is skipped and counted</source>
        <translation>只使用最高频的词（即 gensim 的 restrict_vocab，默认 300,000）；含有其他词的问题或词对会被跳过并计数</translation>
    </message>
    <message>
        <source>Most frequent words:</source>
        <translation>高频词数量：</translation>
    </message>
    <message>
        <source>word TAB word TAB score per line, as WordSim-353</source>
        <translation>每行：词 TAB 词 TAB 分数，与 WordSim-353 相同</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Word Pairs File</source>
        <translation>词对文件</translation>
    </message>
    <message>
        <source>Word pairs (*.tsv *.txt *.csv);;All files (*)</source>
        <translation>词对 (*.tsv *.txt *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a file of scored word pairs (WordSim-353, SimLex-999) and press Evaluate.</source>
        <translation>选择一个带分数的词对文件（WordSim-353、SimLex-999），然后点击“评估”。</translation>
    </message>
    <message>
        <source>Word pairs</source>
        <translation>词对相似度</translation>
    </message>
    <message>
        <source>&quot;: section&quot; lines, then a b c d per line</source>
        <translation>“: 类别”行，之后每行 a b c d</translation>
    </message>
    <message>
        <source>Analogy Questions File</source>
        <translation>类比问题文件</translation>
    </message>
    <message>
        <source>Analogy questions (*.txt);;All files (*)</source>
        <translation>类比问题 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>3CosAdd (gensim&apos;s most_similar)</source>
        <translation>3CosAdd（gensim 的 most_similar）</translation>
    </message>
    <message>
        <source>3CosMul (Levy and Goldberg)</source>
        <translation>3CosMul（Levy 与 Goldberg）</translation>
    </message>
    <message>
        <source>Choose an analogy questions file (questions-words.txt) and press Evaluate.</source>
        <translation>选择一个类比问题文件（questions-words.txt），然后点击“评估”。</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已作答</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Analogies</source>
        <translation>类比</translation>
    </message>
    <message>
        <source>No table to evaluate: train a model or import vectors.</source>
        <translation>没有可评估的嵌入表：请先训练模型或导入词向量。</translation>
    </message>
    <message>
        <source>Evaluates &lt;b&gt;%1&lt;/b&gt;: %2 words × %3 dimensions.</source>
        <translation>评估对象 &lt;b&gt;%1&lt;/b&gt;：%2 个词 × %3 维。</translation>
    </message>
    <message>
        <source>Choose a word pairs file first.</source>
        <translation>请先选择词对文件。</translation>
    </message>
    <message>
        <source>Evaluating...</source>
        <translation>正在评估...</translation>
    </message>
    <message>
        <source>Could not evaluate: %1</source>
        <translation>无法评估：%1</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; on %7&lt;/p&gt;&lt;table cellspacing=&apos;4&apos;&gt;&lt;tr&gt;&lt;td&gt;Pearson&lt;/td&gt;&lt;td align=&apos;right&apos;&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Spearman&lt;/td&gt;&lt;td align=&apos;right&apos;&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Out of vocabulary&lt;/td&gt;&lt;td align=&apos;right&apos;&gt;%4%&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;%5 pairs evaluated, %6 skipped for a word outside the table.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;（%7）&lt;/p&gt;&lt;table cellspacing=&apos;4&apos;&gt;&lt;tr&gt;&lt;td&gt;Pearson 相关系数&lt;/td&gt;&lt;td align=&apos;right&apos;&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Spearman 相关系数&lt;/td&gt;&lt;td align=&apos;right&apos;&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;不在词表中&lt;/td&gt;&lt;td align=&apos;right&apos;&gt;%4%&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;评估了 %5 个词对，%6 个因含有表外的词而跳过。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Choose an analogy questions file first.</source>
        <translation>请先选择类比问题文件。</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>%1: accuracy %2 on %3 questions answered; %4 skipped for a word outside the table.</source>
        <translation>%1：已作答 %3 题，准确率 %2；%4 题因含有表外的词而跳过。</translation>
    </message>
    <message>
        <source>%1 malformed lines were ignored.</source>
        <translation>忽略了 %1 行格式错误的内容。</translation>
    </message>
    <message>
        <source>Cancelled: the figures cover the questions done so far.</source>
        <translation>已取消：以下数字只包括已完成的问题。</translation>
    </message>
</context>
<context>
    <name>embedlab::GeneratePanel</name>
    <message>
        <source>Prompt (optional), e.g. It is a truth</source>
        <translation>提示文本（可选），例如 It is a truth</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>T = </source>
        <translation>T = </translation>
    </message>
    <message>
        <source>Sampling temperature; 0 always takes the likeliest token</source>
        <translation>采样温度；为 0 时总是选取概率最高的词元</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>随机种子 </translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Train or open a model, then generate text from it.</source>
        <translation>请先训练或打开一个模型，然后用它生成文本。</translation>
    </message>
    <message>
        <source>Press Generate to sample text; a prompt (optional) is continued.</source>
        <translation>按“生成”采样文本；如填写了提示文本（可选），将接着它续写。</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>来自：%1</translation>
    </message>
    <message>
        <source>Not in the vocabulary: %1 — read as &lt;unk&gt;</source>
        <translation>不在词表中：%1——按 &lt;unk&gt; 读取</translation>
    </message>
</context>
<context>
    <name>embedlab::HistoryChart</name>
    <message>
        <source>Analogy File...</source>
        <translation>类比文件...</translation>
    </message>
    <message>
        <source>Choose a questions file (&apos;: section&apos; lines, then &apos;a b c d&apos; lines) whose accuracy is drawn for every recorded snapshot</source>
        <translation>选择一个问题文件（先是“: section”行，然后是“a b c d”行），为每个已记录的快照绘制其准确率</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;How the embedding settles over training&lt;/b&gt;&lt;/p&gt;&lt;p&gt;For every recorded snapshot of the selected run: how many of the 10 nearest neighbours of the 1,000 most frequent words it shares with the snapshot before (1 = nothing moved), and, with an analogy file, the share of analogy questions it answers.&lt;/p&gt;&lt;p&gt;Select a run with recorded snapshots in the Runs list (every run trained in the window records them); choose &lt;i&gt;Training &amp;gt; Evaluate Analogies over Training...&lt;/i&gt; for the accuracy.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;嵌入在训练中如何趋于稳定&lt;/b&gt;&lt;/p&gt;&lt;p&gt;对所选运行的每个已记录快照：1,000 个最高频词的 10 个最近邻中，有多少与前一个快照相同（1 = 没有变化）；如提供了类比文件，还显示它答对的类比问题所占比例。&lt;/p&gt;&lt;p&gt;请在运行列表中选择一个有已记录快照的运行（在本窗口中训练的每个运行都会记录快照）；要查看准确率，请选择&lt;i&gt;训练 &amp;gt; 在训练过程中评估类比...&lt;/i&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Overlap with the snapshot before</source>
        <translation>与前一个快照的重合度</translation>
    </message>
    <message>
        <source>Analogy accuracy</source>
        <translation>类比准确率</translation>
    </message>
    <message>
        <source>Neighbourhood overlap (top 10)</source>
        <translation>近邻重合度（前 10 个）</translation>
    </message>
    <message>
        <source>Neighbourhood overlap (top %1 neighbours)</source>
        <translation>近邻重合度（前 %1 个近邻）</translation>
    </message>
    <message>
        <source>Analogy accuracy: choose an analogy file</source>
        <translation>类比准确率：请选择类比文件</translation>
    </message>
    <message>
        <source>Analogy accuracy (%1; questions with every word in the vocabulary: %2)</source>
        <translation>类比准确率（%1；所有词均在词表中的问题：%2）</translation>
    </message>
    <message>
        <source>Analogy accuracy (%1: no question has all its words in the vocabulary)</source>
        <translation>类比准确率（%1：没有一个问题的所有词都在词表中）</translation>
    </message>
    <message>
        <source>No run selected</source>
        <translation>未选择运行</translation>
    </message>
    <message numerus="yes">
        <source>%Ln snapshot(s)</source>
        <translation>
            <numerusform>%Ln 个快照</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · the %3 most frequent words</source>
        <translation>%1 · %2 · 最高频的 %3 个词</translation>
    </message>
</context>
<context>
    <name>embedlab::ImportVectorsDialog</name>
    <message>
        <source>Import Word Vectors</source>
        <translation>导入词向量</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Detect from the content</source>
        <translation>根据内容自动检测</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Cancel Reading</source>
        <translation>取消读取</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Read at most:</source>
        <translation>最多读取：</translation>
    </message>
    <message>
        <source>Use the vectors</source>
        <translation>词向量用途</translation>
    </message>
    <message>
        <source>Explore them on their own (map and neighbours)</source>
        <translation>单独探索（投影图和近邻）</translation>
    </message>
    <message>
        <source>Initialise the model&apos;s embedding from them</source>
        <translation>用它们初始化模型的嵌入</translation>
    </message>
    <message>
        <source>Keep the embedding frozen while training</source>
        <translation>训练时保持嵌入冻结</translation>
    </message>
    <message>
        <source>Let the model adopt the file&apos;s dimension</source>
        <translation>让模型采用文件的维度</translation>
    </message>
    <message>
        <source>random, like the layer&apos;s default</source>
        <translation>随机（与该层的默认初始化相同）</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>全零</translation>
    </message>
    <message>
        <source>the mean vector</source>
        <translation>平均向量</translation>
    </message>
    <message>
        <source>Words not covered start as:</source>
        <translation>未覆盖的词初始化为：</translation>
    </message>
    <message>
        <source>Open a corpus first: the embedding is built for its vocabulary</source>
        <translation>请先打开语料：嵌入是按语料的词表构建的</translation>
    </message>
    <message>
        <source>&lt;p&gt;Reading %1...&lt;/p&gt;</source>
        <translation>&lt;p&gt;正在读取 %1...&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Not enough memory for this table.</source>
        <translation>内存不足，无法容纳此表。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Reading cancelled; nothing was imported.&lt;/p&gt;</source>
        <translation>&lt;p&gt;已取消读取，未导入任何内容。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Could not import the file.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;无法导入该文件。&lt;/b&gt;&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>about %1 × %2 vectors</source>
        <translation>约 %1 个 %2 维向量</translation>
    </message>
    <message>
        <source>a model checkpoint</source>
        <translation>模型检查点</translation>
    </message>
    <message>
        <source>&lt;p&gt;Reading %1...&lt;/p&gt;&lt;p&gt;%2, needing about %3 of memory (this machine has %4).&lt;/p&gt;</source>
        <translation>&lt;p&gt;正在读取 %1...&lt;/p&gt;&lt;p&gt;%2，约需 %3 内存（本机共有 %4）。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;: %2 words × %3 dimensions, %4 format%5, read in %6 s.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;：%2 个词 × %3 维，%4 格式%5，读取用时 %6 秒。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>, gzip</source>
        <translation>，gzip 压缩</translation>
    </message>
    <message>
        <source>&lt;p&gt;Estimated before reading: about %1 rows, %2 of memory; the table takes %3.&lt;/p&gt;</source>
        <translation>&lt;p&gt;读取前估计：约 %1 行，需 %2 内存；该表占用 %3。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Estimated before reading: %1 of memory; the table takes %2.&lt;/p&gt;</source>
        <translation>&lt;p&gt;读取前估计：需 %1 内存；该表占用 %2。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Duplicate words (first kept)</source>
        <translation>重复的词（保留第一个）</translation>
    </message>
    <message>
        <source>Invalid UTF-8 (replaced)</source>
        <translation>无效的 UTF-8（已替换）</translation>
    </message>
    <message>
        <source>Words containing spaces</source>
        <translation>包含空格的词</translation>
    </message>
    <message>
        <source>Lines with the wrong number of fields (skipped)</source>
        <translation>字段数不正确的行（已跳过）</translation>
    </message>
    <message>
        <source>Lines with a field that is not a number (skipped)</source>
        <translation>含非数字字段的行（已跳过）</translation>
    </message>
    <message>
        <source>Lines with NaN or infinite values (skipped)</source>
        <translation>含 NaN 或无穷值的行（已跳过）</translation>
    </message>
    <message>
        <source>Blank lines</source>
        <translation>空行</translation>
    </message>
    <message>
        <source>&lt;li&gt;The header announces %1 words but the file has %2.&lt;/li&gt;</source>
        <translation>&lt;li&gt;文件头声明有 %1 个词，但文件实际有 %2 个。&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;li&gt;The file is truncated; the complete rows were kept.&lt;/li&gt;</source>
        <translation>&lt;li&gt;文件被截断；已保留完整的行。&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;li&gt;Stopped at the word limit.&lt;/li&gt;</source>
        <translation>&lt;li&gt;已达到词数上限，停止读取。&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No problems found.&lt;/p&gt;</source>
        <translation>&lt;p&gt;未发现问题。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Problems:&lt;/p&gt;&lt;ul&gt;%1&lt;/ul&gt;</source>
        <translation>&lt;p&gt;问题：&lt;/p&gt;&lt;ul&gt;%1&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Coverage of the corpus: %1 of %2 words (%3%), %4% of its tokens.&lt;/p&gt;</source>
        <translation>&lt;p&gt;语料覆盖率：%2 个词中覆盖 %1 个（%3%），占其词元的 %4%。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Most frequent words not covered: %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;未覆盖的最高频词：%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The model&apos;s embedding has %1 dimensions, the vectors %2: to initialise from them, let the model adopt the file&apos;s dimension.&lt;/p&gt;</source>
        <translation>&lt;p&gt;模型的嵌入为 %1 维，词向量为 %2 维：要用它们初始化，请让模型采用文件的维度。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Word vectors (%1);;All files (*)</source>
        <translation>词向量 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 of the covered words are not in the model&apos;s vocabulary: their vectors come from their character n-grams, as fastText gives them.&lt;/p&gt;</source>
        <translation>&lt;p&gt;已覆盖的词中有 %1 个不在模型的词表中：它们的向量由其字符 n-gram 得出，与 fastText 的做法相同。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>GloVe text</source>
        <translation>GloVe 文本</translation>
    </message>
    <message>
        <source>word2vec text</source>
        <translation>word2vec 文本</translation>
    </message>
    <message>
        <source>word2vec binary</source>
        <translation>word2vec 二进制</translation>
    </message>
    <message>
        <source>fastText .vec</source>
        <translation>fastText .vec 文本</translation>
    </message>
    <message>
        <source>fastText model (.bin)</source>
        <translation>fastText 模型（.bin）</translation>
    </message>
    <message>
        <source>Embedding Projector TSV</source>
        <translation>Embedding Projector TSV 表格</translation>
    </message>
    <message>
        <source>Embedding Lab model</source>
        <translation>Embedding Lab 模型</translation>
    </message>
    <message>
        <source>NumPy matrix (.npy) + vocabulary</source>
        <translation>NumPy 矩阵（.npy）+ 词表</translation>
    </message>
    <message>
        <source>GloVe, word2vec, fastText (.vec, .bin), Projector TSV, .npy or .safetensors</source>
        <translation>GloVe、word2vec、fastText（.vec、.bin）、Projector TSV、.npy 或 .safetensors</translation>
    </message>
    <message>
        <source>Initialise the Embedding</source>
        <translation>初始化嵌入</translation>
    </message>
</context>
<context>
    <name>embedlab::Language</name>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
</context>
<context>
    <name>embedlab::LossChart</name>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Weight of TensorBoard&apos;s debiased exponential moving average (0 = raw)</source>
        <translation>TensorBoard 去偏指数移动平均的权重（0 = 原始值）</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Log x</source>
        <translation>对数 x</translation>
    </message>
    <message>
        <source>Log y</source>
        <translation>对数 y</translation>
    </message>
    <message>
        <source>Auto-fit</source>
        <translation>自动适应</translation>
    </message>
    <message>
        <source>Keep all data in view; dragging or zooming turns this off, a double-click on the chart turns it back on</source>
        <translation>保持所有数据可见；拖动或缩放会关闭此项，在图表上双击可重新开启</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>PNG Image…</source>
        <translation>PNG 图像…</translation>
    </message>
    <message>
        <source>PDF Document…</source>
        <translation>PDF 文档…</translation>
    </message>
    <message>
        <source>CSV Data…</source>
        <translation>CSV 数据…</translation>
    </message>
    <message>
        <source>lr %1</source>
        <translation>学习率 %1</translation>
    </message>
    <message>
        <source>%1, per window</source>
        <translation>%1（每窗口）</translation>
    </message>
    <message>
        <source>%1, validation</source>
        <translation>%1（验证）</translation>
    </message>
    <message>
        <source>this run</source>
        <translation>本次运行</translation>
    </message>
    <message>
        <source>train perplexity, per window</source>
        <translation>训练困惑度（每窗口）</translation>
    </message>
    <message>
        <source>train loss, per window</source>
        <translation>训练损失（每窗口）</translation>
    </message>
    <message>
        <source>train perplexity, smoothed</source>
        <translation>训练困惑度（平滑）</translation>
    </message>
    <message>
        <source>train loss, smoothed</source>
        <translation>训练损失（平滑）</translation>
    </message>
    <message>
        <source>time (h:mm:ss)</source>
        <translation>时间 (h:mm:ss)</translation>
    </message>
    <message>
        <source>time (m:ss)</source>
        <translation>时间 (m:ss)</translation>
    </message>
    <message>
        <source>step (windows)</source>
        <translation>步（窗口）</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>time (s)</source>
        <translation>时间 (s)</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>loss (nats per token)</source>
        <translation>损失（每词元 nat）</translation>
    </message>
    <message>
        <source>validation perplexity</source>
        <translation>验证困惑度</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>ppl %1</source>
        <translation>困惑度 %1</translation>
    </message>
    <message>
        <source>smoothed %1</source>
        <translation>平滑值 %1</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>损失 %1</translation>
    </message>
    <message>
        <source>grad norm %1</source>
        <translation>梯度范数 %1</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message>
        <source>Drag: pan · wheel: zoom · double-click: fit · hover: values · ticks at the bottom: epoch ends</source>
        <translation>拖动：平移 · 滚轮：缩放 · 双击：适应窗口 · 悬停：查看数值 · 底部刻度：轮次结束</translation>
    </message>
    <message>
        <source>Drag: pan · wheel: zoom · double-click: fit · hover: values</source>
        <translation>拖动：平移 · 滚轮：缩放 · 双击：适应窗口 · 悬停：查看数值</translation>
    </message>
    <message>
        <source>Cannot export an image of %1 x %2 pixels</source>
        <translation>无法导出 %1 x %2 像素的图像</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: the image could not be encoded</source>
        <translation>无法写入 %1：图像无法编码</translation>
    </message>
    <message>
        <source>Cannot create a temporary file: %1</source>
        <translation>无法创建临时文件：%1</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Cannot write %1: the PDF could not be drawn</source>
        <translation>无法写入 %1：无法绘制 PDF</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export Loss Chart</source>
        <translation>导出损失图表</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>embedlab::MainWindow</name>
    <message>
        <source>Pride and Prejudice (sample)</source>
        <translation>傲慢与偏见（英文示例）</translation>
    </message>
    <message>
        <source>Lu Xun, Call to Arms and Wandering (sample)</source>
        <translation>鲁迅《呐喊》《彷徨》（中文示例）</translation>
    </message>
    <message>
        <source>Embedding Lab</source>
        <translation>Embedding Lab</translation>
    </message>
    <message>
        <source>Autosaved the model at step %1 to %2</source>
        <translation>已在第 %1 步将模型自动保存到 %2</translation>
    </message>
    <message>
        <source>Autosave failed, training continues: %1</source>
        <translation>自动保存失败，训练继续：%1</translation>
    </message>
    <message>
        <source>model, step %1</source>
        <translation>模型，第 %1 步</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Training...</source>
        <translation>正在训练...</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>近邻</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>A run could not be read: %1</source>
        <translation>无法读取某个运行：%1</translation>
    </message>
    <message>
        <source>Could not rename the run</source>
        <translation>无法重命名该运行</translation>
    </message>
    <message>
        <source>Could not change the run&apos;s colour</source>
        <translation>无法更改该运行的颜色</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s) and their recorded history? This cannot be undone.</source>
        <translation>
            <numerusform>删除 %n 个运行及其记录的历史？此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Could not delete the run</source>
        <translation>无法删除该运行</translation>
    </message>
    <message>
        <source>The run is not recorded any more, training continues: %1</source>
        <translation>该运行已不再被记录，训练继续：%1</translation>
    </message>
    <message>
        <source>%1, from %2</source>
        <translation>%1，来自 %2</translation>
    </message>
    <message>
        <source>, frozen</source>
        <translation>，已冻结</translation>
    </message>
    <message>
        <source>; vs %1: %2</source>
        <translation>；与 %1 比较：%2</translation>
    </message>
    <message>
        <source>%1, step %2</source>
        <translation>%1，第 %2 步</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>%1 was trained on %2, and another text is loaded.</source>
        <translation>%1 是在 %2 上训练的，而当前载入的是另一份文本。</translation>
    </message>
    <message>
        <source>%1 is loaded with another tokenizer than %2 was trained with.</source>
        <translation>%1 载入时所用的分词方式与 %2 训练时不同。</translation>
    </message>
    <message>
        <source>%1 is loaded with other settings than %2 was trained with: its vocabulary or its validation share differ (the Corpus panel&apos;s minimum count, vocabulary size or validation share).</source>
        <translation>%1 载入时所用的设置与 %2 训练时不同：词表或验证集比例不一致（语料面板中的最小词频、词表大小或验证集比例）。</translation>
    </message>
    <message>
        <source>Cannot compare with %1</source>
        <translation>无法与 %1 比较</translation>
    </message>
    <message>
        <source>Read %1 again with the tokenizer of %2?</source>
        <translation>用 %2 的分词方式重新读取 %1？</translation>
    </message>
    <message>
        <source>Could not open the sample corpus</source>
        <translation>无法打开示例语料</translation>
    </message>
    <message>
        <source>Open %1 to train the sibling on?</source>
        <translation>打开 %1 以训练对照运行？</translation>
    </message>
    <message>
        <source>Corpus not found</source>
        <translation>找不到语料</translation>
    </message>
    <message>
        <source>%1 was trained on %2, which does not exist any more. Put the file back or open the same text, then compare again.</source>
        <translation>%1 是在 %2 上训练的，但该文件已不存在。请将文件放回原处或打开同一份文本，然后重新比较。</translation>
    </message>
    <message>
        <source>Compare with %1</source>
        <translation>与 %1 比较</translation>
    </message>
    <message>
        <source>Comparing with %1 trains a new model in its place.</source>
        <translation>与 %1 比较将训练一个新模型来替换当前模型。</translation>
    </message>
    <message>
        <source>Vectors not found</source>
        <translation>找不到词向量</translation>
    </message>
    <message>
        <source>%1 does not exist (any more), so the sibling of %2 cannot start from it.</source>
        <translation>%1 已不存在，因此 %2 的对照运行无法以它为起点。</translation>
    </message>
    <message>
        <source>Reading %1...</source>
        <translation>正在读取 %1...</translation>
    </message>
    <message>
        <source>Could not read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>The corpus or the model changed while the vectors were read; the sibling was not started</source>
        <translation>读取词向量期间语料或模型发生了变化；未启动对照运行</translation>
    </message>
    <message>
        <source>, embedding size %1</source>
        <translation>，嵌入维度 %1</translation>
    </message>
    <message>
        <source>Cannot create the sibling&apos;s model</source>
        <translation>无法创建对照运行的模型</translation>
    </message>
    <message>
        <source>Training a sibling of %1: %2</source>
        <translation>正在训练 %1 的对照运行：%2</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Corpus...</source>
        <translation>打开语料(&amp;O)...</translation>
    </message>
    <message>
        <source>Open a UTF-8 text file to train on</source>
        <translation>打开一个 UTF-8 文本文件用于训练</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open S&amp;ample Corpus</source>
        <translation>打开示例语料(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;Model...</source>
        <translation>打开模型(&amp;M)...</translation>
    </message>
    <message>
        <source>&amp;Save Model</source>
        <translation>保存模型(&amp;S)</translation>
    </message>
    <message>
        <source>Save Model &amp;As...</source>
        <translation>模型另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>Open R&amp;un Folder...</source>
        <translation>打开运行文件夹(&amp;U)...</translation>
    </message>
    <message>
        <source>Open Run Folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <source>Runs are now kept in %1</source>
        <translation>运行现在保存在 %1</translation>
    </message>
    <message>
        <source>Show a recorded run, or use a folder of runs as the workspace</source>
        <translation>显示一个已记录的运行，或将一个运行文件夹用作工作区</translation>
    </message>
    <message>
        <source>&amp;Import Vectors...</source>
        <translation>导入词向量(&amp;I)...</translation>
    </message>
    <message>
        <source>Read GloVe, word2vec, fastText or Projector vectors</source>
        <translation>读取 GloVe、word2vec、fastText 或 Projector 格式的词向量</translation>
    </message>
    <message>
        <source>&amp;Export Embedding...</source>
        <translation>导出嵌入(&amp;E)...</translation>
    </message>
    <message>
        <source>Export the embedding of %1 at step %2</source>
        <translation>导出 %1 在第 %2 步的嵌入</translation>
    </message>
    <message>
        <source>Export Embedding</source>
        <translation>导出嵌入</translation>
    </message>
    <message>
        <source>Write the embedding the map shows (the model&apos;s, or a recorded step of a run) as GloVe, word2vec, fastText or Projector vectors</source>
        <translation>将投影图所显示的嵌入（模型的嵌入，或某个运行已记录的某一步）写出为 GloVe、word2vec、fastText 或 Projector 格式的词向量</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Reset Model</source>
        <translation>重置模型(&amp;R)</translation>
    </message>
    <message>
        <source>Reset Model discards it, and Start then trains a new one.</source>
        <translation>重置模型会丢弃当前模型，之后点击“开始”将训练一个新模型。</translation>
    </message>
    <message>
        <source>Model discarded; Start trains a new one</source>
        <translation>模型已丢弃；点击“开始”将训练一个新模型</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Export Map &amp;Image...</source>
        <translation>导出投影图图像(&amp;I)...</translation>
    </message>
    <message>
        <source>Export Map Image</source>
        <translation>导出投影图图像</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not export the map</source>
        <translation>无法导出投影图</translation>
    </message>
    <message>
        <source>Writing %1 failed.</source>
        <translation>写入 %1 失败。</translation>
    </message>
    <message>
        <source>Export Map &amp;Coordinates...</source>
        <translation>导出投影图坐标(&amp;C)...</translation>
    </message>
    <message>
        <source>Export Map Coordinates</source>
        <translation>导出投影图坐标</translation>
    </message>
    <message>
        <source>Tab-separated values (*.tsv)</source>
        <translation>制表符分隔值 (*.tsv)</translation>
    </message>
    <message>
        <source>Could not export the coordinates</source>
        <translation>无法导出坐标</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Embedding Lab shows %1 from its next start.</source>
        <translation>Embedding Lab 下次启动时将显示为%1。</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Embedding Lab &amp;Help</source>
        <translation>Embedding Lab 帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Embedding Lab</source>
        <translation>关于 Embedding Lab(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <source>%1 - Embedding Lab</source>
        <translation>%1 - Embedding Lab</translation>
    </message>
    <message>
        <source>Re-tokenised %1</source>
        <translation>已重新分词 %1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Opened model %1: %2 words, %3 dimensions</source>
        <translation>已打开模型 %1：%2 个词，%3 维</translation>
    </message>
    <message numerus="yes">
        <source>; trained %n step(s), Start continues from there</source>
        <translation>
            <numerusform>；已训练 %n 步，点击“开始”将从此处继续</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Could not export the embedding</source>
        <translation>无法导出嵌入</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>%1: no word occurs at least %2 times (the minimum count), so the vocabulary holds only &lt;pad&gt;, &lt;unk&gt; and &lt;eos&gt;. Lower the minimum count in the Corpus panel.</source>
        <translation>%1：没有任何词出现至少 %2 次（最小词频），因此词表只包含 &lt;pad&gt;、&lt;unk&gt; 和 &lt;eos&gt;。请在语料面板中降低最小词频。</translation>
    </message>
    <message>
        <source>Nothing to learn</source>
        <translation>没有可学习的内容</translation>
    </message>
    <message>
        <source>The settings or the vocabulary differ from the model&apos;s, so Start trains a new model in its place.</source>
        <translation>设置或词表与模型的不一致，因此点击“开始”将训练一个新模型来替换它。</translation>
    </message>
    <message>
        <source>Cannot create the model</source>
        <translation>无法创建模型</translation>
    </message>
    <message>
        <source>Continuing training...</source>
        <translation>正在继续训练...</translation>
    </message>
    <message>
        <source>Epoch %1/%2</source>
        <translation>第 %1/%2 轮</translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩余时间 %1</translation>
    </message>
    <message>
        <source>Epoch %1 done</source>
        <translation>第 %1 轮完成</translation>
    </message>
    <message>
        <source>: validation loss %1, perplexity %2</source>
        <translation>：验证损失 %1，困惑度 %2</translation>
    </message>
    <message>
        <source>; learning rate now %1</source>
        <translation>；学习率现为 %1</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>训练发散</translation>
    </message>
    <message>
        <source>Training stopped at step %1</source>
        <translation>训练已在第 %1 步停止</translation>
    </message>
    <message numerus="yes">
        <source>Training finished: %n epoch(s)</source>
        <translation>
            <numerusform>训练完成：共 %n 轮</numerusform>
        </translation>
    </message>
    <message>
        <source>, validation perplexity %1</source>
        <translation>，验证困惑度 %1</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Opening %1 replaces it.</source>
        <translation>打开 %1 将替换当前模型。</translation>
    </message>
    <message>
        <source>Opening model %1...</source>
        <translation>正在打开模型 %1...</translation>
    </message>
    <message>
        <source>Saving %1...</source>
        <translation>正在保存 %1...</translation>
    </message>
    <message>
        <source>Exploring %1</source>
        <translation>正在浏览 %1</translation>
    </message>
    <message>
        <source>Initialising the embedding from %1 starts a new model in its place.</source>
        <translation>用 %1 初始化嵌入将新建一个模型来替换当前模型。</translation>
    </message>
    <message>
        <source>Dimensions differ</source>
        <translation>维度不一致</translation>
    </message>
    <message>
        <source>The vectors have %1 dimensions but the model&apos;s embedding has %2. Change the embedding size or let the model adopt the file&apos;s dimension.</source>
        <translation>词向量为 %1 维，而模型的嵌入为 %2 维。请更改嵌入维度，或让模型采用该文件的维度。</translation>
    </message>
    <message>
        <source>Embedding initialised from %1: %2 of %3 words covered</source>
        <translation>已用 %1 初始化嵌入：覆盖了 %3 个词中的 %2 个</translation>
    </message>
    <message>
        <source>Cannot initialise the embedding</source>
        <translation>无法初始化嵌入</translation>
    </message>
    <message>
        <source>Exporting %1...</source>
        <translation>正在导出 %1...</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>the model the run %1 wrote at its last stop (step %2)</source>
        <translation>运行 %1 在上次停止时（第 %2 步）写出的模型</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>the model of the run %1</source>
        <translation>运行 %1 的模型</translation>
    </message>
    <message>
        <source>Compare starts a run of its own: stop the training first, or wait until it finishes</source>
        <translation>比较会启动一个独立的运行：请先停止训练，或等待训练结束</translation>
    </message>
    <message>
        <source>Compare waits until the file being read is done</source>
        <translation>比较需等待正在读取的文件读取完毕</translation>
    </message>
    <message>
        <source>Open Corpus</source>
        <translation>打开语料</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Models (*.safetensors);;All files (*)</source>
        <translation>模型 (*.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Models (*.safetensors)</source>
        <translation>模型 (*.safetensors)</translation>
    </message>
    <message>
        <source>Unsaved Model</source>
        <translation>模型未保存</translation>
    </message>
    <message>
        <source>The trained model has not been saved.</source>
        <translation>训练好的模型尚未保存。</translation>
    </message>
    <message>
        <source>Save the model first?</source>
        <translation>是否先保存模型？</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>About Embedding Lab</source>
        <translation>关于 Embedding Lab</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Embedding Lab %1&lt;/h3&gt;&lt;p&gt;Train word embeddings with a recurrent language model (LSTM, GRU or plain RNN) and watch them learn.&lt;/p&gt;&lt;p&gt;Built with Qt %2, Eigen, OpenBLAS and QCustomPlot. Checkpoints are safetensors files that PyTorch&apos;s word_language_model loads directly.&lt;/p&gt;&lt;p&gt;Licences: Qt (LGPL 3), Eigen (MPL 2), OpenBLAS (BSD), QCustomPlot (GPL 3), zlib (zlib), ICU (Unicode licence). Sample texts: Jane Austen, &lt;i&gt;Pride and Prejudice&lt;/i&gt; (1813), and Lu Xun, &lt;i&gt;Call to Arms&lt;/i&gt; (呐喊, 1923) and &lt;i&gt;Wandering&lt;/i&gt; (彷徨, 1926), all in the public domain.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Embedding Lab %1&lt;/h3&gt;&lt;p&gt;用循环语言模型（LSTM、GRU 或普通 RNN）训练词嵌入，并观察它们如何学习。&lt;/p&gt;&lt;p&gt;基于 Qt %2、Eigen、OpenBLAS 和 QCustomPlot 构建。检查点是 safetensors 文件，PyTorch 的 word_language_model 可以直接加载。&lt;/p&gt;&lt;p&gt;许可证：Qt（LGPL 3）、Eigen（MPL 2）、OpenBLAS（BSD）、QCustomPlot（GPL 3）、zlib（zlib）、ICU（Unicode 许可证）。示例文本：简·奥斯汀《傲慢与偏见》（1813）以及鲁迅《呐喊》（1923）和《彷徨》（1926），均属公有领域。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Embedding Lab Help</source>
        <translation>Embedding Lab 帮助</translation>
    </message>
    <message>
        <source>Quitting loses it.</source>
        <translation>退出后将丢失该模型。</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>How the selected run&apos;s embedding settled: neighbourhood change and analogy accuracy at each recorded snapshot</source>
        <translation>所选运行的嵌入如何趋于稳定：每个已记录快照的近邻变化和类比准确率</translation>
    </message>
    <message>
        <source>E&amp;valuate Vectors...</source>
        <translation>评估词向量(&amp;V)...</translation>
    </message>
    <message>
        <source>Word-pair similarity and analogy accuracy of the table the map shows, as gensim computes them</source>
        <translation>按 gensim 的算法计算投影图所示嵌入表的词对相似度和类比准确率</translation>
    </message>
    <message>
        <source>Evaluate &amp;Analogies over Training...</source>
        <translation>评估训练过程中的类比(&amp;A)...</translation>
    </message>
    <message>
        <source>Analogy Questions</source>
        <translation>类比问题</translation>
    </message>
    <message>
        <source>Analogy questions (*.txt);;All files (*)</source>
        <translation>类比问题 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Draw the accuracy on an analogy questions file at every recorded snapshot of the selected run (History tab)</source>
        <translation>在所选运行的每个已记录快照上绘制类比问题文件的准确率（“历史”标签页）</translation>
    </message>
    <message>
        <source>Evaluating the snapshots of %1...</source>
        <translation>正在评估 %1 的快照...</translation>
    </message>
    <message>
        <source>The history of %1 could not be evaluated: %2</source>
        <translation>无法评估 %1 的历史：%2</translation>
    </message>
    <message>
        <source>Not kept in the run folder: %1</source>
        <translation>未保存在运行文件夹中：%1</translation>
    </message>
    <message>
        <source>%1 has recorded no snapshots yet.</source>
        <translation>%1 尚未记录任何快照。</translation>
    </message>
    <message>
        <source>Evaluating snapshot %1 of %2...</source>
        <translation>正在评估第 %1 个快照，共 %2 个...</translation>
    </message>
    <message>
        <source>Text &amp;Classification...</source>
        <translation>文本分类(&amp;C)...</translation>
    </message>
    <message>
        <source>Train a classifier of labelled texts (spam or not, sentiment, topic) in its own window</source>
        <translation>在单独的窗口中训练带标签文本的分类器（垃圾邮件识别、情感、主题）</translation>
    </message>
    <message>
        <source>Opening %1 replaces it, unless its vocabulary is the model&apos;s.</source>
        <translation>打开 %1 会替换它，除非其词表与该模型的相同。</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Showing:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>nothing yet</source>
        <translation>暂无内容</translation>
    </message>
    <message>
        <source>Model, step %1</source>
        <translation>模型，第 %1 步</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Imported: %1</source>
        <translation>导入：%1</translation>
    </message>
    <message>
        <source>Run %1, step %2</source>
        <translation>运行 %1，第 %2 步</translation>
    </message>
    <message>
        <source>What the map and the Neighbours panel show; choose another to show it in both</source>
        <translation>投影图和近邻面板当前显示的内容；选择另一项可让两者同时显示它</translation>
    </message>
    <message>
        <source>Restore &amp;Default Settings...</source>
        <translation>恢复默认设置(&amp;D)...</translation>
    </message>
    <message>
        <source>Put the corpus options and the training settings back to their defaults</source>
        <translation>将语料选项和训练设置恢复为默认值</translation>
    </message>
    <message>
        <source>Exported the vectors to %1 and their words to %2</source>
        <translation>已将向量导出到 %1，对应的词导出到 %2</translation>
    </message>
    <message>
        <source>Replace the Labels?</source>
        <translation>替换标签文件？</translation>
    </message>
    <message>
        <source>A Projector export writes the vectors to %1 and their words to %2, which exists already.</source>
        <translation>导出为 Projector 格式会把向量写入 %1，把对应的词写入 %2，而后者已经存在。</translation>
    </message>
    <message>
        <source>Replace %1?</source>
        <translation>替换 %1？</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>%1: %2 (default: %3)</source>
        <translation>%1：%2（默认：%3）</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 及另外 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Not the defaults: %1 · &lt;a href=&quot;restore&quot;&gt;Restore Defaults&lt;/a&gt;</source>
        <translation>非默认设置：%1 · &lt;a href=&quot;restore&quot;&gt;恢复默认值&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Settings that differ from the defaults:</source>
        <translation>与默认值不同的设置：</translation>
    </message>
    <message>
        <source>The settings are the defaults already</source>
        <translation>设置已经是默认值</translation>
    </message>
    <message>
        <source>%1 is tokenised again.</source>
        <translation>%1 将重新分词。</translation>
    </message>
    <message>
        <source>The model does not match the default settings: Start then trains a new model in its place, and asks about the unsaved one first.</source>
        <translation>当前模型与默认设置不符：之后点击“开始”会训练一个新模型来替换它，并会先询问如何处理尚未保存的模型。</translation>
    </message>
    <message>
        <source>The model does not match the default settings: Start then trains a new model in its place.</source>
        <translation>当前模型与默认设置不符：之后点击“开始”会训练一个新模型来替换它。</translation>
    </message>
    <message>
        <source>Restore Default Settings</source>
        <translation>恢复默认设置</translation>
    </message>
    <message>
        <source>Put these settings back to their defaults?</source>
        <translation>将这些设置恢复为默认值？</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Default settings restored</source>
        <translation>已恢复默认设置</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Put every panel back where it was when first opened</source>
        <translation>把所有面板放回首次打开时的位置</translation>
    </message>
    <message>
        <source>Colour Map by &amp;Metadata...</source>
        <translation>按元数据为投影图着色(&amp;M)...</translation>
    </message>
    <message>
        <source>Read a metadata file (a header naming its columns, then a word and its values per line, separated by tabs) to colour and label the map&apos;s words by a column</source>
        <translation>读取元数据文件（首行为列名，之后每行一个词及其取值，以制表符分隔），按其中一列为投影图上的词着色和标注</translation>
    </message>
    <message>
        <source>Colour Map by Metadata</source>
        <translation>按元数据为投影图着色</translation>
    </message>
    <message>
        <source>Metadata (*.tsv *.txt);;All files (*)</source>
        <translation>元数据 (*.tsv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Could not read the metadata</source>
        <translation>无法读取元数据</translation>
    </message>
    <message numerus="yes">
        <source>None of the %n rows of %1 names a word on the map (its first column begins %2).</source>
        <translation>
            <numerusform>%1 的 %n 行中没有一行对应投影图上的词（其第一列开头为 %2）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of its %n rows name words on the map, by its column “%3”</source>
        <translation>
            <numerusform>%1：%n 行中有 %2 行对应投影图上的词（按“%3”列匹配）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: read; the map colours its words as they come</source>
        <translation>%1：已读取；词出现在投影图上时即按其着色</translation>
    </message>
    <message>
        <source>&amp;Bookmarks</source>
        <translation>书签(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Add Bookmark...</source>
        <translation>添加书签(&amp;A)...</translation>
    </message>
    <message>
        <source>Save the map&apos;s view (what it shows, the projection, the zoom and the selected word) under a name</source>
        <translation>以一个名称保存投影图的视图（显示的内容、投影方式、缩放和选中的词）</translation>
    </message>
    <message>
        <source>&amp;Manage Bookmarks...</source>
        <translation>管理书签(&amp;M)...</translation>
    </message>
    <message>
        <source>No bookmarks yet</source>
        <translation>还没有书签</translation>
    </message>
    <message>
        <source>%1 3D</source>
        <translation>%1 3D</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>Add Bookmark</source>
        <translation>添加书签</translation>
    </message>
    <message>
        <source>Name of the bookmark:</source>
        <translation>书签名称：</translation>
    </message>
    <message>
        <source>The map shows nothing to bookmark yet</source>
        <translation>投影图还没有可加入书签的内容</translation>
    </message>
    <message>
        <source>Replace Bookmark</source>
        <translation>替换书签</translation>
    </message>
    <message>
        <source>A bookmark named “%1” exists already.</source>
        <translation>已有名为“%1”的书签。</translation>
    </message>
    <message>
        <source>Replace it with the view shown now?</source>
        <translation>要用当前显示的视图替换它吗？</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>Bookmark “%1” saved</source>
        <translation>书签“%1”已保存</translation>
    </message>
    <message>
        <source>No model is loaded, so the map cannot show the model&apos;s embedding.</source>
        <translation>没有加载模型，投影图无法显示模型的嵌入。</translation>
    </message>
    <message>
        <source>%1 is not loaded: import it (File &gt; Import Vectors) to see the bookmark on its vectors.</source>
        <translation>%1 未加载：请导入它（文件 &gt; 导入词向量），才能在这些词向量上查看此书签。</translation>
    </message>
    <message>
        <source>The run folder %1 does not exist any more.</source>
        <translation>运行文件夹 %1 已不存在。</translation>
    </message>
    <message>
        <source>Reading the run of bookmark “%1”...</source>
        <translation>正在读取书签“%1”的运行...</translation>
    </message>
    <message>
        <source>Run %1 has no recorded step %2 any more; the nearest one is shown.</source>
        <translation>运行 %1 已没有记录的第 %2 步；显示的是最接近的一步。</translation>
    </message>
    <message>
        <source>Bookmark “%1” restored</source>
        <translation>书签“%1”已恢复</translation>
    </message>
    <message>
        <source>Bookmark “%1”: %2 The rest of its view is restored.</source>
        <translation>书签“%1”：%2 视图的其余部分已恢复。</translation>
    </message>
    <message>
        <source>Bookmarks: save this view (Ctrl+D) or go back to a saved one</source>
        <translation>书签：保存此视图（Ctrl+D），或回到已保存的视图</translation>
    </message>
</context>
<context>
    <name>embedlab::NeighborsPanel</name>
    <message>
        <source>Open a corpus and train, or import vectors, then ask for a word.</source>
        <translation>请先打开语料并训练，或导入词向量，然后查询一个词。</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>k = </source>
        <translation>k = </translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Euclidean</source>
        <translation>欧氏距离</translation>
    </message>
    <message>
        <source>all words</source>
        <translation>所有词</translation>
    </message>
    <message>
        <source>among the top </source>
        <translation>仅限前 </translation>
    </message>
    <message>
        <source>Search only the N most frequent words (gensim&apos;s restrict_vocab)</source>
        <translation>仅在前 N 个高频词中搜索（gensim 的 restrict_vocab）</translation>
    </message>
    <message>
        <source>king, woman</source>
        <translation>国王, 女人</translation>
    </message>
    <message>
        <source>man</source>
        <translation>男人</translation>
    </message>
    <message>
        <source>Words to add, separated by commas or spaces</source>
        <translation>要相加的词，以逗号或空格分隔</translation>
    </message>
    <message>
        <source>Words to subtract, separated by commas or spaces</source>
        <translation>要相减的词，以逗号或空格分隔</translation>
    </message>
    <message>
        <source>3CosAdd</source>
        <translation>3CosAdd</translation>
    </message>
    <message>
        <source>3CosMul</source>
        <translation>3CosMul</translation>
    </message>
    <message>
        <source>3CosAdd: cosine with the mean of the words (gensim&apos;s most_similar); 3CosMul: Levy and Goldberg&apos;s multiplicative objective (most_similar_cosmul)</source>
        <translation>3CosAdd：与这些词均值的余弦（gensim 的 most_similar）；3CosMul：Levy 和 Goldberg 的乘法目标函数（most_similar_cosmul）</translation>
    </message>
    <message>
        <source>Solve</source>
        <translation>求解</translation>
    </message>
    <message>
        <source>Words nearest to the positive words minus the negative ones</source>
        <translation>最接近“正向词减去负向词”的词</translation>
    </message>
    <message>
        <source>cat</source>
        <translation>猫</translation>
    </message>
    <message>
        <source>dog</source>
        <translation>狗</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>The cosine similarity of the two words</source>
        <translation>两个词的余弦相似度</translation>
    </message>
    <message>
        <source>breakfast, lunch, dinner, car</source>
        <translation>早餐, 午餐, 晚餐, 汽车</translation>
    </message>
    <message>
        <source>Odd one out</source>
        <translation>不合群的词</translation>
    </message>
    <message>
        <source>The word furthest from the mean of the words (gensim&apos;s doesnt_match)</source>
        <translation>离这些词的均值最远的词（gensim 的 doesnt_match）</translation>
    </message>
    <message>
        <source>Did you mean %1?</source>
        <translation>您是不是要找 %1？</translation>
    </message>
    <message>
        <source>“%1” is not in the vocabulary of %2.</source>
        <translation>“%1”不在 %2 的词表中。</translation>
    </message>
    <message>
        <source>Similarity of “%1” and “%2”: %3 in %4</source>
        <translation>“%1”与“%2”的相似度：%3（%4）</translation>
    </message>
    <message>
        <source>Nearest to “%1” (out of vocabulary, by its n-grams)</source>
        <translation>与“%1”最近的词（不在词表中，按其 n-gram 计算）</translation>
    </message>
    <message>
        <source>Nearest to “%1”</source>
        <translation>与“%1”最近的词</translation>
    </message>
    <message>
        <source>%1 (3CosMul)</source>
        <translation>%1（3CosMul）</translation>
    </message>
    <message>
        <source>“%1” doesn&apos;t match the others</source>
        <translation>“%1”与其他词不合群</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>(ignored, not in the vocabulary: %1)</source>
        <translation>（已忽略，不在词表中：%1）</translation>
    </message>
    <message>
        <source>(out of vocabulary, by their n-grams: %1)</source>
        <translation>（不在词表中，由字符 n-gram 得出：%1）</translation>
    </message>
    <message>
        <source>(“%1” is not in the vocabulary: read as “%2”)</source>
        <translation>（“%1”不在词表中：按“%2”查询）</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Cosine to the mean</source>
        <translation>与均值的余弦</translation>
    </message>
</context>
<context>
    <name>embedlab::RunTimeline</name>
    <message>
        <source>Play the recorded steps</source>
        <translation>播放已记录的步</translation>
    </message>
    <message>
        <source>Drag to see the embedding at a recorded step</source>
        <translation>拖动以查看嵌入在某个已记录步时的状态</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Live · steps recorded: %1</source>
        <translation>实时 · 已记录步数：%1</translation>
    </message>
    <message>
        <source>No recorded steps</source>
        <translation>没有已记录的步</translation>
    </message>
    <message>
        <source>Step %1 · %2 of %3</source>
        <translation>第 %1 步 · 第 %2 个，共 %3 个</translation>
    </message>
</context>
<context>
    <name>embedlab::RunsPanel</name>
    <message>
        <source>● training</source>
        <translation>● 训练中</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 步</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1 步</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>创建于 %1</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>筛选运行</translation>
    </message>
    <message>
        <source>Shows the runs whose name or detail contains this text (a plain substring, not case-sensitive)</source>
        <translation>显示名称或详情包含此文本的运行（普通子串匹配，不区分大小写）</translation>
    </message>
    <message>
        <source>No runs yet. Start training to record one.</source>
        <translation>尚无运行。开始训练即可记录一个运行。</translation>
    </message>
    <message>
        <source>No run matches the filter.</source>
        <translation>没有运行匹配筛选条件。</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Draw every run&apos;s curves</source>
        <translation>绘制所有运行的曲线</translation>
    </message>
    <message>
        <source>Hide others</source>
        <translation>隐藏其他</translation>
    </message>
    <message>
        <source>Draw only the selected runs&apos; curves</source>
        <translation>只绘制所选运行的曲线</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>比较…</translation>
    </message>
    <message>
        <source>Start a sibling of the selected run that differs in one setting</source>
        <translation>以所选运行为基准，启动一个只改动一项设置的对照运行</translation>
    </message>
    <message>
        <source>Colour of “%1”</source>
        <translation>“%1”的颜色</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>The run being trained cannot be deleted</source>
        <translation>无法删除正在训练的运行</translation>
    </message>
</context>
<context>
    <name>embedlab::ScreenshotDriver</name>
    <message>
        <source>Timed out after %1 s before the window was ready</source>
        <translation>已超时 %1 s，窗口仍未就绪</translation>
    </message>
    <message>
        <source>%1: the run has recorded no embedding</source>
        <translation>%1：该运行未记录任何嵌入</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>embedlab::SettingDefaults</name>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>默认：%1</translation>
    </message>
</context>
<context>
    <name>embedlab::TrainingPanel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <source>GRU</source>
        <translation>GRU</translation>
    </message>
    <message>
        <source>RNN (tanh)</source>
        <translation>RNN (tanh)</translation>
    </message>
    <message>
        <source>RNN (ReLU)</source>
        <translation>RNN (ReLU)</translation>
    </message>
    <message>
        <source>The recurrent layers: PyTorch&apos;s nn.LSTM, nn.GRU or nn.RNN with tanh or ReLU (word_language_model&apos;s LSTM, GRU, RNN_TANH, RNN_RELU)</source>
        <translation>循环层：PyTorch 的 nn.LSTM、nn.GRU，或使用 tanh、ReLU 的 nn.RNN（即 word_language_model 的 LSTM、GRU、RNN_TANH、RNN_RELU）</translation>
    </message>
    <message>
        <source>Tie decoder to embedding</source>
        <translation>将解码器与嵌入绑定</translation>
    </message>
    <message>
        <source>Freeze embedding</source>
        <translation>冻结嵌入</translation>
    </message>
    <message>
        <source>Cell:</source>
        <translation>循环单元：</translation>
    </message>
    <message>
        <source>Embedding dim:</source>
        <translation>嵌入维度：</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>隐藏层大小：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>丢弃率：</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>SGD (lr ÷4 on plateau)</source>
        <translation>SGD（进入平台期时学习率 ÷4）</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Write a checkpoint of the model this often while it trains (beside the saved model, or in the application&apos;s data folder)</source>
        <translation>训练期间按此间隔写入模型检查点（保存在已保存的模型旁，或应用程序的数据文件夹中）</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>BPTT length:</source>
        <translation>序列长度：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <source>Optimizer:</source>
        <translation>优化器：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Gradient clip:</source>
        <translation>梯度裁剪：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>Autosave every:</source>
        <translation>自动保存间隔：</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>重置(&amp;R)</translation>
    </message>
    <message>
        <source>Start training (continues the current model if its settings match)</source>
        <translation>开始训练（若设置一致，则继续训练当前模型）</translation>
    </message>
    <message>
        <source>Discard the trained model and start again from random weights</source>
        <translation>丢弃已训练的模型，从随机权重重新开始</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Put every model and training setting back to its default</source>
        <translation>将所有模型和训练设置恢复为默认值</translation>
    </message>
    <message>
        <source>Adopted from %1</source>
        <translation>沿用自 %1</translation>
    </message>
</context>
<context>
    <name>embedlab::TrainingWorker</name>
    <message>
        <source>Not enough memory to train this model.</source>
        <translation>内存不足，无法训练此模型。</translation>
    </message>
</context>
</TS>
