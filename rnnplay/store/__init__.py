"""Saved models on disk: where they live, how they are named, written atomically and loaded safely.

A model is a folder: ``card.json`` (what it is, how it was made, how well it does, a sha256 of every
other file; parsed into a typed ``rnnplay.card.Card``), ``weights.npz`` (float32 arrays, or float16
where a card says so; read member by member, never unpickled), ``vocab.txt`` (one token a line; for a
classifier line 1 is the empty padding token) and, for classifiers trained or imported through Keras,
``model.keras`` so Keras users can take the model back into their own code.

Two kinds share the layout: ``classifier`` (embedding → recurrent stack → head) and ``vectors``
(word vectors: ``input`` rows, and for CBOW the ``output`` rows that guess a word from its context and
the training ``counts`` of each word).

Shipped defaults live read-only in the repository's ``saved/``; a user's models go to the user data
directory (``$RNNPLAY_MODELS_DIR``, ``--models-dir``, or the platform's data dir).

- ``places``: the models folders, resolving a name, listing;
- ``reading``: loading a folder, bounded by its card and checked against it;
- ``writing``: names, reserving a name, atomic saves and removals, exports;
- ``workspace``: one writer per name, and recovering what an interrupted save left;
- ``swap``: the atomic exchange that replaces a model in one step.
"""

from rnnplay.card import CARD_FORMAT, KERAS, VOCAB, WEIGHTS
from rnnplay.store.places import MODELS_DIR_ENV, SHIPPED_DIR, ListedModel, list_models, resolve, search_dirs, user_models_dir
from rnnplay.store.reading import CARD, StoredModel, check_arrays, load_model, read_card, sha256
from rnnplay.store.writing import (
    Reservation,
    atomic_file,
    atomic_model_dir,
    check_name,
    delete_model,
    ensure_free,
    new_card,
    prepare_folder,
    reserve,
    write_model,
)

__all__ = [
    "CARD", "CARD_FORMAT", "KERAS", "MODELS_DIR_ENV", "SHIPPED_DIR", "VOCAB", "WEIGHTS", "ListedModel", "Reservation",
    "StoredModel", "atomic_file", "atomic_model_dir", "check_arrays", "check_name", "delete_model", "ensure_free",
    "list_models", "load_model", "new_card", "prepare_folder", "read_card", "reserve", "resolve", "search_dirs", "sha256",
    "user_models_dir", "write_model",
]
