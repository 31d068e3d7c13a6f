"""What each tab shows and how to read it, for someone learning RNNs and embeddings (F7, or "Help" in Ctrl+P).

All the help text lives here, one section per tab, so it can be read and edited in one place. It says
only what the app computes (the formulas in ``runtime``, ``training`` and the widgets), never a claim
the app does not measure. The keys are not written here: ``keys_markdown`` lists them from the tab's
own ``BINDINGS``, so the help and the footer always agree.
"""

from __future__ import annotations

from typing import Iterable

from textual.binding import Binding, BindingType

# Longer words for a binding's footer label, by action name; a binding without one shows its label alone.
KEY_NOTES = {
    "show_tab('play')": "type a review, see what the classifier makes of it",
    "show_tab('inside')": "the recurrent layer at work on Play's text, word by word",
    "show_tab('words')": "word neighbours in two embedding spaces, analogies, guess the blank",
    "show_tab('train')": "train a classifier or word vectors",
    "show_tab('models')": "the saved models, their cards and layers (from a text box too: Textual's F6, select the line, is given up for it)",
    "help": "this help, for the tab in front (F7 again or Esc closes it), from anywhere, a text box too",
    "show_tab('lab')": "memory experiments: race cells on tasks that need a long memory, gradients through time",
    "command_palette": "commands by name: switch models, go to a tab, train a preset, an example…",
    "toggle_theme": "light or dark colours",
    "quit": "leave rnnplay (a training run is cancelled, nothing is saved)",
    "example": "replaces the text with an example (Ctrl+Z brings yours back)",
    "clear_text": "empties the text box (Ctrl+Z brings it back)",
    "pick_model": "opens the list of saved classifiers",
    "toggle_scale": "shows the shares on the logit scale, or back on the P scale",
    "toggle_compare": "opens (or closes) the compare line for a second text",
    "move_word(-1)": "the word before",
    "move_word(1)": "the word after",
    "first_word": "the first word",
    "last_word": "the last word",
    "move_strip(-1)": "the strip above: its numbers go on the line under the strips",
    "move_strip(1)": "the strip below",
    "move_unit(-1)": "the unit to the left: its value goes on the line under the strips",
    "move_unit(1)": "the unit to the right",
    "toggle_direction": "a bidirectional layer's other direction (forward reads left to right, backward right to left)",
    "next_layer": "the next recurrent layer of a stacked model",
    "next_view": "the next view: Steps, Gradient, Memory, Axis, Stream (or click a view's name)",
    "focus_part('#word')": "the Queries pane's word box: type a word, then Enter",
    "pick_vectors": "opens the list of saved word vectors",
    "focus_part('#vectors-choice')": "the list of saved word vectors",
    "focus_part('#analogy-a')": "the analogy's first word",
    "focus_part('#blank-text')": "the sentence with a blank",
    "dissect": "the guess box's guess, stage by stage, beside gensim's predict_output_word (Esc closes)",
    "focus_part('#onehot-a')": "the One-hot vs dense pane: two words' cosines under one-hot and dense vectors, and what one-hot inputs cost",
    "focus_part('#map-words')": "the Map pane: chosen words on the PCA plane of both spaces",
    "focus_part('#cbow-stepper')": "the CBOW step by step pane: a tiny CBOW model trained one pair at a time",
    "start": "starts training what the form describes",
    "history": "reads the saved races again",
    "page_down": "scrolls the pane down (results, the gradient plot and the saved races are below the form)",
    "page_up": "scrolls the pane back up",
    "cancel": "stops the run at the next batch; nothing is saved",
    "use_trained": "loads the model just trained: a classifier on Play, vectors on Words",
    "load": "the selected model becomes Play's classifier, or Words' vectors (Enter does the same)",
    "delete": "deletes one of your models, after asking (shipped ones cannot be deleted)",
    "refresh": "reads the models folders again",
    "errors": "what the selected classifier gets wrong on its test texts",
    # Lab: One unit (tui/widgets/one_unit_panel.py) and Real text (tui/widgets/real_text_panel.py)
    "nudge('w', 1)": "w, the recurrent weight: W raises it by 0.05, w lowers it",
    "nudge('u', 1)": "u, the input weight: U raises it, u lowers it",
    "nudge('b', 1)": "b, the bias: B raises it, b lowers it",
    "nudge('steps', 1)": "the number of steps T: T adds 10, t takes 10 away",
    "nudge('forget', 1)": "the LSTM unit's forget gate f: F raises it by 0.01, f lowers it",
    "cycle_cell": "the cell: tanh, linear (no tanh), one LSTM unit",
    "reset": "w, u, b, the cell and the steps back to where they started",
    "run": "runs the memory probe on the classifier in use",
    "stop": "stops the probe at the next batch",
    # CBOW step by step (tui/widgets/cbow_stepper.py)
    "forward": "the forward pass of the next training pair: context → input vectors → h → scores → softmax, the loss; gradients computed, not applied",
    "update": "applies the pending gradients (one SGD step); ◆ marks the W_in rows and W_out columns that moved",
    "next_half": "wevi's Next: the forward pass, or the update when one is pending",
    "run(20)": "runs 20 whole steps",
    "run(100)": "runs 100 whole steps",
    "run(500)": "runs 500 whole steps",
    "cycle_window": "the context: single word (each word predicts the next), then CBOW windows of ±1 and ±2; starts again",
    "cycle_preset": "the next tiny corpus: fruit and juice, king and queen, your own lines; starts again",
    "edit_lines": "the box of your own lines (commas between lines; Enter trains on them, Esc comes back)",
    "next_word": "the next word whose nearest neighbours are shown",
    "restart": "starts again from the initial weights",
}

KEY_NAMES = {"escape": "Esc", "enter": "Enter", "delete": "Delete", "backspace": "Backspace", "tab": "Tab",
             "space": "Space", "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "PgUp",
             "pagedown": "PgDn", "home": "Home", "end": "End", "left_square_bracket": "[",
             "right_square_bracket": "]"}

PLAY = """\
# Play: what the classifier makes of a text

Type a review in the box. Every panel below follows each keystroke, all from one model: the classifier
named in the **Model** list (another saved classifier is a pick away). Nothing is trained here; the
model only reads.

## Prediction
**P(positive)** is the model's probability that the text is a positive review: its last layer gives
one number (the *logit*), and the sigmoid turns it into P between 0 and 1. The bar is filled to P; the
mark ┊ is at 0.5, where the label flips from negative to positive. P near 0 or 1 means the model is
sure, near 0.5 that it is torn. Sure is not right: the Models tab's errors view lists the test reviews
the model got wrong, the surest mistakes first.

## Words: share of P(positive), or of the logit
Each word's **share** is how much P changes when that one word is left out of the text:
*share = P(text) − P(text without the word)*. Green words pushed the verdict towards positive (leaving
them out lowers P), red ones towards negative; the stronger the colour, the bigger the share. Struck
words are not in the model's vocabulary: it reads each as `[UNK]`. Under the text, **up** and **down**
name the known words with the biggest shares each way, with their numbers; a word that occurs n times
is listed once, ×n, with its occurrences' shares summed; the unknown words are summed on a line of
their own (they all read as the same `[UNK]`), and shares that round to zero are left out. Shares are
measured one word at a time, so they need not add up to anything.

Shares come on two scales (Ctrl+F switches them; the panel's title says which one it shows):

- **probability**: the change in P, as above. When the model is sure (P near 0 or 1) the sigmoid is
  flat, so leaving out one word barely moves P and every share looks tiny, even for a word that counts.
- **logit**: the change in the logit, log(P / (1 − P)), the number before the sigmoid. It keeps
  moving where P has stopped, so on a long, confident review the words that matter still stand out.

## While reading
P(positive) after each **prefix** of the text: after the first word, after the first two, …, after the
whole text. It shows where the model changed its mind. The columns rise with P, green above 0.5 and
red below; the dotted line is 0.5, where the verdict flips. The axis is labelled: a trace that moves
little is drawn zoomed (the labels give the range shown), so small steps stay visible. The line under
the chart says where P started, where it ended and the biggest jump from one word to the next.

How it was computed is the lesson. A **one-directional** network reads left to right, so P after each
word is a state it passed through: the whole trace comes out of one pass (*one left-to-right pass*),
and such a model could answer while you type. A **bidirectional** network also reads the text right to
left, starting from its last word, so that half of its state depends on where the text ends: each
prefix is a different text that has to be read again from its own end (*every prefix re-read*).

## Encoder (text → token ids)
How the text becomes the numbers the model reads, as Keras' `TextVectorization` does it:

- **standardization**, one step a row with the words it changed: `<br />` removed (for most models),
  ASCII letters lowercased, ASCII punctuation deleted: `Don't` → `dont`, `7/10` → `710`.
- **split**: the standardized text cut at spaces, tabs and line breaks into tokens.
- **truncate**: a model reads at most its *max length* tokens (the first or the last ones, as the
  panel's bottom line says for this model); the words past that are not read at all, and the row names them.
- **ids**: each token's place in the vocabulary (the most frequent words of the training texts come
  first); id 1 is `[UNK]`, every word the vocabulary lacks. This is what the model reads, one text,
  unpadded.
- **padded**: in a Keras batch every text is padded with zeros (id 0) to one length.
- **mask**: which positions the recurrent layers read. With `mask_zero` every id but the padding 0 is
  read (an `[UNK]` is read); the padding is skipped, so a text gets the same answer alone or padded.

Below, the round trip turns the ids back into words (an unknown word shows as `[UNK]`) and
`encoder.get_vocabulary()` shows the head of the vocabulary. The panel's bottom line gives the
vocabulary size and the steps this model uses.

## Compare
Ctrl+B opens a second line for another text: both predictions, and the words where the two texts
differ (compared token by token after standardization, so the differences are the ones the model sees),
each with its share in its own text. Read "not good at all" against "good", and "not bad at all"
against "bad", to see what "not" does.

The line under the text box says how many words the model read and how many it did not know. A text
of more than 1,000 words is not explained word by word (its prediction is still given).
"""

INSIDE = """\
# Inside: the recurrent layer at work

This tab studies a text with the classifier in use on Play. It takes Play's text whenever that text has
changed since the tab last looked; the line at the top is this tab's own: typing there studies another
text and leaves Play's alone (Play keeps its text and its undo history, and its next change comes back
here). Everything follows each keystroke. A text too long for Play to explain word by word keeps the
views whose cost grows with its length (states, gates, gradient, memory, axis), and one line says what
was left out. The keys below act on the view, in every pane (←/→ and Home/End move the word cursor,
↑/↓ scroll the panes other than Steps); in the text line ← and → move the text cursor, and Enter (or
Tab) goes back to the view.

A recurrent layer reads the words one at a time. At word t it reads x(t), the word's embedding row, and
h(t−1), the state it carried from the word before, and computes h(t), the state after the word. The
classifier's head reads only the last state (of each direction), so everything the model knows about
the text has to pass through these states.

## Steps
What the cell computes at each word, and which units each word switches on or off.

The words on one line, the word under the cursor highlighted; below it, that word's **strips**, one
block per unit: x(t), h(t−1), the gates and h(t). A block's height is the size of the value and its
colour its sign (green above 0, red below) or, for a gate, how open it is (grey closed, blue open).
Gates are sigmoids, between 0 and 1: a gate multiplies a signal, so 0 stops it and 1 lets it all through.

- **LSTM**: the *forget* gate f scales the old cell c(t−1), the *input* gate i scales the *candidate*
  (new content from x(t) and h(t−1)), and c(t) = f·c(t−1) + i·candidate; the *output* gate o decides
  how much of tanh(c(t)) becomes h(t). The cell is the LSTM's long memory.
- **GRU**: the *reset* gate r says how much of h(t−1) the candidate may read; the *update* gate z mixes:
  h(t) = z·h(t−1) + (1 − z)·candidate, so z near 1 keeps the old state.
- **SimpleRNN**: no gate: h(t) = tanh(pre-activation), the pre-activation being W·x(t) + U·h(t−1) + b.
  Everything it remembers is rewritten at every word, which is why its memory is short.

The line under the strips gives the selected strip's smallest, largest and mean value at this word and
the selected unit's value (the unit is underlined in the strip). Values without a bound (x(t), the
cell, the pre-activation) are drawn against the largest magnitude they reach over the text, and the
line says which.

Below, **h(t) over the whole text**, a row per word and a column per unit, in the strips' columns: it
shows which units switch at words such as "not", "but" or "wonderful", and which hold their value
across many words. A bidirectional layer has a *backward* direction too, which reads the text from its
last word: its h(t) depends on the words after t, and what it carried in is h(t+1). Stacked layers read
the states of the layer below as their x(t). When the terminal is too narrow or too short, the view
shows the units and words around the cursor and says how many are hidden.

## Gradient
How far back each direction's memory reaches: the gradient fades as it flows back through the states.

How much the logit would change if word t's embedding changed, ‖∂logit/∂x(t)‖, for each word and each
direction, on a log scale (the bar's scale is given above the chart), found by backpropagation through
time: from the logit back through the head, then step by step back through the states. Beside it, the
leave-one-out share on the logit scale: how much the logit drops when the word is left out. The two
disagree in an instructive way: a word the model has firmly stored (its gates latched) changes the
output a lot when removed but little when nudged, and the line under the chart names the word where
they disagree most. The table below gives the share of the gradient on the first half of the text, for
each direction and together, for this text and on average over the model's held-out reviews: a forward
direction that forgets gives the start of a long review little, the backward one much.

## Memory
How much of its past the layer keeps. For an LSTM, the forget gate (how much of the old cell is kept);
for a GRU, the update gate (how much of the old state is kept). Their distribution over this text, over
the model's held-out reviews and in the same network at Keras' initialisation, the share near 0 or 1
(saturated), and each unit's span τ = 1/(1 − f) in words: the number of words after which a kept value
has shrunk by e. A model whose gates stay where they started barely uses long memory. A SimpleRNN has
no such gate, and the pane says so.

## Axis
Where the state goes. The final states of the held-out reviews, projected on their two principal
components (the directions they vary most along), as a cloud coloured by the reviews' labels; how much
of the variance each explains and how closely the first follows the logit; the head's readout
direction ◆; and this text as a path, one mark per word: the state after each word.

## Stream
Why a bidirectional model cannot give a prediction while you type. After each new word a one-directional
model takes one step from the state it has; a bidirectional one must also re-read the backward direction
over the whole text so far. The pane counts the recurrent steps each way and measures their time on
this model and this text (it measures only while it is in front).

The figures of Gradient, Memory and Axis that concern held-out reviews are computed once per model
(a progress line shows it; a few seconds) and kept in the user data folder; an imported model has no
held-out reviews, and the panes say so.
"""

WORDS = """\
# Words: one word in two embedding spaces

An **embedding** gives every word of a vocabulary a vector, a list of numbers (each column's title gives
its vocabulary × dimension). Two words are compared by the **cosine** of their vectors: +1 when they point the same
way, 0 when unrelated, −1 when opposite. Type a word and press Enter: each column lists the words
nearest to it, by cosine, in its own space, with a bar per cosine.

## Word vectors (left)
CBOW vectors (imdb-cbow to start with) are trained for one task only: guess a word from the words
around it (the mean of their vectors, up to *window* words on each side). Words used in the same places
end up near each other, whatever they mean: "good" and "bad" both fill "a ___ movie", so they can be
close here. The list at the top picks other saved vectors.

## Classifier embedding (right)
The first layer of the classifier in use on Play. It was trained only to get the verdict right, so
words end up near each other when they push the verdict the same way, so "good" and "bad" can point
apart, and odd words can sit together because they came up in reviews of the same verdict (in the
shipped imdb-bilstm "710", a reviewer's "7/10", sits beside "810", "910" and "bravo"). Where it started matters too: the shipped imdb-bilstm started from CBOW vectors and
kept much of their layout (its card's training section names them), while a classifier trained from
random vectors shows the verdict's split most plainly.

**Why the two spaces differ:** same words, different training tasks (and, for a classifier started from
CBOW vectors, only as far as training moved them). Guessing a word from its
neighbours groups words by where they occur; deciding positive or negative groups them by which way
they pull the verdict.

The strip under the columns gives the **same** few words' cosine with your word in both spaces
(word vectors / classifier), since the two lists hold different words: ask "good" and read "bad" there, to
see whether its cosine changes sign from one space to the other. An unknown word gets the nearest spellings the vocabulary has, as buttons.

## Analogy A − B + C
`king − man + woman`: the three words' vectors (each scaled to length 1) are added and subtracted,
and the words nearest to the result are listed, the three words typed left out. When the space has
learnt one direction for man → woman, the answer lands near "queen"; often it lands elsewhere, and
the list shows where. Answers come from the word vectors of the left column.

## Guess the blank ___
CBOW's own task, shown back: write a sentence with `___` where a word is missing. CBOW reads up to
*window* known words on each side of the blank (the box's bottom line shows what it read), averages
their vectors, and scores every word of its vocabulary with its output layer; the probabilities are a
softmax of those scores, the model's own estimate rather than calibrated odds. The sentence's own
words often come back among the guesses; the **hide context** checkbox leaves the words read out of
the ranking (their probabilities do not change), so the other guesses show. Only CBOW vectors can guess: a classifier's embedding or imported vectors have no
output layer, and the box says so.

**Ctrl+B** opens the guess, dissected: the words read around the blank and those skipped as unknown
(CBOW never saw them), their mean vector h (a strip, one character a number), the output scores W′·h,
and two rankings side by side. On the left the guess's own: W′·h plus **0.75·ln count**, the log of the
noise distribution negative sampling drew its wrong answers from, added back (training pushed W′·h
towards log P(w | context) minus that log, so without it rare words tied to the context win). On the
right the ranking gensim's `predict_output_word` gives: the softmax of W′·h alone, computed here from
the same arrays.

## The panes: Queries, One-hot vs dense, Map, CBOW step by step
The tab holds panes (their names on the line under the tabs; Ctrl+N, Ctrl+S, Ctrl+L, Ctrl+R bring them up).
Everything above is **Queries**.

**One-hot vs dense**: two words, then Enter. A **one-hot** vector is as long as the vocabulary, all zeros
but one 1 at the word's position (drawn `0…0 1 0…0` with the position named); two different words are
then orthogonal, cosine 0, whatever they mean, and the table computes it from those vectors. Beside it
the same pair's cosine in the word vectors and in the classifier's embedding, with their dense vectors
as strips. A word a vocabulary lacks is said: CBOW has no vector for it; the classifier reads it as
`[UNK]` (id 1), so two unknown words are the same one-hot vector there. Under it, **Cost on**: the
classifier's embedding lookup on a text (Play's text until you type another) against a one-hot matrix
times the same weights, which is what a Dense layer on one-hot inputs computes: the same numbers
(checked), timed on this machine, and the memory each input needs (tokens × vocabulary × 4 bytes
against one id a token).

**Map**: words (commas join a group, one colour; none typed: good/great/excellent, bad/awful/terrible,
actor/actress/king/queen) placed on the plane of the first two principal components of their unit
vectors, in the word vectors and in the classifier's embedding side by side. Each map says the share
of the words' variance its plane keeps: the less it keeps, the less its distances mean.

**CBOW step by step**: the mechanics of a guess on a corpus of a dozen short lines (wevi's "fruit and
juice" and "king and queen", or your own lines), with a hidden layer of 5 and a **full softmax** over the
few words (every output vector moves at each step; the real imdb-cbow vectors use negative sampling
instead). **f** runs the forward pass of the next training pair: the context words' input vectors
(rows of W_in), their mean h, the scores h·v_out of every word, the softmax, the target's probability
and the loss; the gradients are computed but not applied. **u** applies them (one SGD step): ◆ marks the
W_in rows and W_out columns that moved. **n** is wevi's Next (forward, or the update when one is
pending); **1**, **2**, **3** run 20, 100, 500 steps; **w** switches from a single-word context (each
word predicts the next) to CBOW windows of ±1 and ±2; **p** the corpus; **e** edits your own lines;
**c** the word whose neighbours are listed; **r** starts again. Heatmaps of W_in and W_out, the input
vectors on their first two principal components, the loss over the corpus and the neighbours follow.
"""

TRAIN = """\
# Train: a model of your own

Fill in the form and start. A progress bar, the elapsed time and an estimate of the time left, live
curves and a log follow the run; the other tabs keep working while it trains. Cancelling stops at the
next batch and saves nothing. A finished model is saved in your models folder, and **Use new model**
loads it: a classifier on Play, word vectors on Words.

## The form: a sentiment classifier
- **Train**: a sentiment classifier, or word vectors (CBOW).
- **Corpus**: `imdb` (25,000 IMDB movie reviews, half positive), `rt` (8,530 Rotten Tomatoes
  sentences), or the path of your own CSV, TSV or JSONL file of labelled texts.
- **Preset**: fills every field below with one set of settings; the note under the form says what the
  preset holds, and once you edit a field, what the form now says. Every number field is checked as
  you type against the same bounds as `rnnplay train`, and a wrong value is named under the form.
- **Cell**: the recurrent cell that reads the text one word at a time and carries a state from word to
  word: SimpleRNN (one state), GRU (a state with update and reset gates), LSTM (a state and a memory
  cell, with input, forget and output gates).
- **Direction**: *both ways (Bi)* makes the layer **bidirectional**: one copy reads left to right,
  another right to left, and their states are joined (units × 2 numbers). *Left to right only* reads
  one way; such a model can give Play's *While reading* trace from one pass.
- **Layers**: recurrent layers stacked; each reads the sequence of states of the one below.
- **Units**: the size of each direction's state.
- **Vocab size**: how many tokens get their own id, the most frequent of the training texts, counting
  padding and `[UNK]`; every other word becomes `[UNK]`.
- **Max length**: tokens kept per text (0 keeps whole texts); which end is kept comes with the preset.
- **Epochs**: passes over the training texts.
- **Devices** (`--strategy`, TensorFlow's `tf.distribute`): *one device* trains on the first GPU, or on
  the CPU; *mirrored* keeps a copy of the model on each GPU (or logical CPU device), splits every batch
  between them and sums their gradients; *auto* mirrors when there are several GPUs. Without a GPU,
  *mirrored* splits the CPU into one logical device per core, which TensorFlow allows only before its
  first run in this session, and the split stays until rnnplay restarts; a split CPU also runs *one
  device* slower. Mirroring over CPU cores shows the machinery; it adds no cores. How long each takes on
  your machine: `python benchmarks/distribute.py`.
  The model card records the devices. Training on several machines (`--strategy multi-worker`) is the
  CLI's: it takes one process per machine.
- **Save as**: the new model's name; left empty, it gets the name shown in grey.

## The form: word vectors (CBOW)
**Dimension** (numbers per word vector), **Window** (context words on each side of the word to
guess), **Min count** (rarer words are left out of the vocabulary), **Epochs**. The rest are word2vec's
defaults, as the note under the form says.

## What the curves show
A classifier's corpus is shuffled once and split: 70 % training, 10 % validation, 20 % test. The
model learns from the training texts only.

- **loss**: binary cross-entropy, how far P is from each text's true label (0 or 1), averaged; lower is
  better. 0.693 is what a model that says P = 0.5 for every text gets.
- **accuracy**: the share of texts on the right side of P = 0.5.
- The **line** is the training texts' running mean over the epoch so far, updated batch by batch; the
  **dots** are measured on the validation texts at the end of each epoch, texts the model never learns
  from.

**Overfitting** shows as the curves parting: the training loss keeps falling while the validation loss
turns up (and validation accuracy stops rising): the model fits its training texts better without
getting better on texts it has not seen. The log marks each epoch that is the best so far on
validation accuracy; presets that keep the best epoch save that epoch's weights. After the last epoch
the model is evaluated once on the test texts: the held-out accuracy shown at the end and on its card.

CBOW shows one curve: its negative-sampling loss (how well it tells the true word from random noise
words, *negative* of them per word). It has no labels, so no accuracy, and no validation split.
"""

MODELS = """\
# Models: what is saved

## The table
Every model in your models folder, then the ones shipped with rnnplay (marked \\*, read-only):
name, kind (classifier or vectors), the corpus it was trained on, the architecture, **acc.** (a
classifier's accuracy on its held-out test texts), size on disk and date. ● marks the models in use.
Loading a classifier (Enter or l) makes it Play's model (and the right column on Words); loading
vectors makes them the left column on Words.

## model.summary()
The layers, as Keras' `model.summary()` prints them, read from the card (no TensorFlow): each layer's
type, output shape and number of parameters (the numbers training adjusted). `(batch, time, 64)` is one
64-number vector per word of each text; `(batch, 64)` is one vector per text. The embedding holds
vocabulary × dimension parameters. For word vectors the listing shows the matrices instead: the input
vectors (the embeddings themselves) and, for CBOW, the output vectors it guesses a blank with.

## card.json
Everything recorded when the model was saved: what it is, the text settings (how raw text becomes
tokens, as on Play's encoder panel), the training settings, the history per epoch (the numbers Train's
curves plotted), the scores on the validation and test texts, the library versions, and its files with
their sizes (each checked against its sha256 when loaded).

## Errors (e)
What the selected classifier gets wrong on its test texts (the split recorded on its card, rebuilt and
classified again). The **confusion matrix** counts those texts by true label and predicted label: the
counts where the two agree are right; the others are the mistakes (negative reviews called positive,
and positive ones called negative). Below it, the **misclassified reviews**, the most confident
mistakes first; Enter opens one on Play (Ctrl+Z there brings your own text back), where its shares show
which words led the model astray.
"""

LAB = """\
# Lab: how far back can a recurrent cell remember?

The material says a plain RNN has a short memory because its gradient vanishes through time, and that
LSTM and GRU fix it. Here you measure it. Every figure comes from the race you run.

## Race
Pick a **task**, generated from a seed (nothing is downloaded):

- **first** (the first token decides): the label is the first token, the other T − 1 tokens are noise.
  A model that forgets the start scores 0.5.
- **adding** (Hochreiter & Schmidhuber 1997): each step is a (value, marker) pair; the target is the
  sum of the two marked values, one in each half. Scored by the mean squared error (MSE; lower is
  better), beside the *predict-the-mean baseline* (what a model that learned nothing scores) and the
  share of answers within 0.04 of the target.
- **order** (temporal order, as in Pascanu et al.'s trainingRNNs): two symbols, A or B, one in
  [T/10, 2T/10) and one in [5T/10, 6T/10) among noise symbols; four classes (AA, AB, BA, BB).

Each **cell** (rnn = SimpleRNN, gru, lstm, bi-lstm) is trained on the same sequences with each **seed**,
one small Keras model each (Embedding or the raw pairs, one recurrent layer, one Dense output), and
scored after every epoch on sequences it never trained on. The knobs: units, learning rate, optimizer,
gradient clipping (clip norm, 0 for none), the recurrent initialiser (orthogonal is Keras' default)
and the LSTM's forget bias (Keras starts it at +1, so the forget gate starts about 0.73 open).

The curves show the training loss of the run in progress and the held-out score per epoch, a colour per
cell. When the race ends, the table gives each cell's final score as mean ± standard deviation over the
seeds, its range and the time per seed; the race is saved in the user data folder (races/), and the
list at the bottom holds the saved races: Enter on one shows it again, to compare.

## Gradient over distance
For each cell, at initialisation and after training: g(k) = ‖∂h(T)/∂x(T − k)‖, how much the last state
would move if the input k steps before the end moved, averaged over held-out sequences, found by
backpropagation through time. The plot shows g(k)/g(0) on a log scale (dotted: at initialisation,
solid: trained); the table gives it at a few distances and the decay per step, the factor fitted to
log g(k) by least squares (a linear RNN whose recurrent weight is w gives exactly w). A decay of 0.5
leaves 0.5^50 ≈ 1e-15 of the gradient after 50 steps, so training starts with almost no signal from the
first tokens; whether the cell learns anyway is what the race shows (compare the decay at initialisation
with the decay after training: run the adding problem and see whether the steepest-decaying cell learns).

Under the results, the token tasks give a second measure, influence: the share of held-out answers that
change when the decisive token is swapped (A ↔ B). Bengio et al. (1994) argue that a firmly latched
memory passes little gradient yet decides the answer; the swap and the gradient side by side let you see
whether your trained cells do. Read the score, the swap and the gradient together.

## One unit
h(t) = tanh(w·h(t−1) + u·x(t) + b) with a single number for a state (the input is one impulse, x(1) = 1
then zeros), so backpropagation through time is a product of numbers: ∂h(T)/∂h(0) = Π w·tanh′(a(t)).
**w**/**W** lower or raise w (by 0.05), **u**/**U** and **b**/**B** likewise, **t**/**T** the steps,
**c** cycles the cell: tanh, linear (no tanh: the product is w^T exactly, and w > 1 explodes) and one
LSTM unit, whose cell c(t) = f·c(t−1) + i·g(t) carries its past through the forget gate f
(**f**/**F**): its path back is Π f, the "constant error carousel" when f is near 1. **0** resets.
The plot of the state over the steps, the product written out and a one-line reading follow every key.

## Real text
A decisive sentence from one of the classifier's own held-out reviews is put at the start or at the end
of filler: sentences of other held-out reviews that the same classifier scores near 0.5. **Enter** runs
the probe on the classifier in use (Play's), **Esc** stops it; the table says, for each length of filler,
how often the verdict still follows the sentence and its mean probability. A sentence pushed past the
tokens the model keeps (its card's maximum length) is never read: the table says "cut", which is
forgotten by construction, not by memory.
"""

SECTIONS = {"play": PLAY, "inside": INSIDE, "words": WORDS, "lab": LAB, "train": TRAIN, "models": MODELS}


def key_name(key: str) -> str:
    """``ctrl+r`` → ``Ctrl+R``, ``f7`` → ``F7``, ``escape`` → ``Esc``: keys as a learner types them."""
    parts = key.split("+")
    *modifiers, last = parts
    name = KEY_NAMES.get(last, last.upper() if len(last) > 1 or modifiers else last)
    return "+".join([*(modifier.capitalize() for modifier in modifiers), name])


def keys_markdown(bindings: Iterable[BindingType]) -> str:
    """One line per binding: its keys, its footer label, and a longer note when there is one."""
    lines = []
    for binding in bindings:
        if not isinstance(binding, Binding):  # Textual also takes (key, action[, description]) tuples
            binding = Binding(binding[0], binding[1], binding[2] if len(binding) > 2 else "")
        keys = " or ".join(f"**{key_name(key.strip())}**" for key in binding.key.split(","))
        note = KEY_NOTES.get(binding.action, "")
        lines.append(f"- {keys} {binding.description}" + (f": {note}" if note else ""))
    return "\n".join(lines)


def help_markdown(tab: str, tab_bindings: Iterable[BindingType], app_bindings: Iterable[BindingType]) -> str:
    """The help for ``tab`` ("play", "inside", "words", "lab", "train" or "models"): its section, then its keys and the app's."""
    return (f"{SECTIONS[tab]}\n## Keys on this tab\n{keys_markdown(tab_bindings)}\n\n"
            f"## Keys everywhere\n{keys_markdown(app_bindings)}\n")
