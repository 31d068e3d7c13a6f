"""Loading a model folder: checked against its card, bounded by it, and never leaving the folder.

The card is read first (at most ``limits.MAX_CARD_BYTES``) and parsed into a ``Card``; from then on
every read is bounded by what the card declares. Each file the card lists is opened relative to the
folder (its name is one of ``card.MODEL_FILES``, opened without following links, refused unless it is
a regular file), its size checked against what the card's architecture needs, its sha256 checked, and
only then read. ``weights.npz`` is read member by member: each member's declared size, ``.npy``
header, shape and dtype are checked against the card before its bytes are read, and no pickle is ever
loaded. A folder replaced by a save while it is being read is read again, from its new contents.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import math
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Mapping

import numpy as np

from rnnplay import card as cards
from rnnplay import limits
from rnnplay.card import VOCAB, WEIGHTS, ArraySpec, Card, CardError
from rnnplay.errors import RnnplayError
from rnnplay.printable import printable

CARD = "card.json"
NPY_OVERHEAD = 4096  # a member's zip entry and .npy header, with room to spare
READS = 3  # attempts when a concurrent save swaps the folder mid-read
LOCAL_HEADER, LOCAL_SIGNATURE = 30, b"PK\x03\x04"  # a zip member's fixed local header (APPNOTE 4.3.7)


@dataclass(frozen=True)
class StoredModel:
    """A model folder as read from disk, checked against its card."""

    path: Path
    card: Card
    arrays: Mapping[str, np.ndarray]
    vocabulary: list[str]

    @property
    def name(self) -> str:
        return self.card.name or self.path.name


class _Folder:
    """A model folder opened once; every file is opened relative to it, never through a path that can
    change under us or lead outside it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        shown = printable(self.path)
        try:
            self.fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise RnnplayError(f"no model folder at {shown}") from None
        except NotADirectoryError:
            raise RnnplayError(f"{shown} is a file, not a model folder") from None
        except OSError as error:
            raise RnnplayError(f"cannot open the model folder {shown}: {error.strerror}") from None
        info = os.fstat(self.fd)
        self.identity = (info.st_dev, info.st_ino)

    def open(self, name: str) -> io.BufferedReader:
        shown = printable(self.path / name)
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(name, flags, dir_fd=self.fd)
        except FileNotFoundError:
            raise RnnplayError(f"{printable(self.path)} is incomplete: {name} is missing") from None
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise RnnplayError(f"{shown} is a link; a model's files must be plain files in its folder") from None
            raise RnnplayError(f"cannot read {shown}: {error.strerror}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise RnnplayError(f"{shown} is not a regular file")
        return os.fdopen(fd, "rb")

    def replaced(self) -> bool:
        """True when the path now names another folder than the one opened (a save swapped it)."""
        try:
            info = os.stat(self.path)
        except OSError:
            return True
        return (info.st_dev, info.st_ino) != self.identity

    def close(self) -> None:
        os.close(self.fd)


def read_json(path: Path, limit: int) -> object:
    """The JSON value of a small file of ours (a cached profile, a saved race), reading at most ``limit`` bytes
    and never through a symbolic link. OSError when it cannot be opened; ValueError when it is larger, not
    UTF-8 or not JSON."""
    flags = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit:,} bytes")
    return json.loads(data.decode("utf-8"))


def sha256(path: Path) -> str:
    with Path(path).open("rb") as f:
        return _digest(f)


def _digest(f: BinaryIO, limit: int | None = None) -> str:
    digest, seen = hashlib.sha256(), 0
    for block in iter(lambda: f.read(1 << 20), b""):
        digest.update(block)
        seen += len(block)
        if limit is not None and seen > limit:
            break
    return digest.hexdigest()


def read_card(path: Path) -> Card:
    """The card of a model folder, parsed and checked (files are not opened)."""
    folder = _Folder(path)
    try:
        return _card(folder)
    finally:
        folder.close()


def _card(folder: _Folder) -> Card:
    where = printable(folder.path / CARD)
    try:
        f = folder.open(CARD)
    except RnnplayError as error:
        if "is missing" in str(error):
            raise RnnplayError(f"{printable(folder.path)} is not a saved model: it has no {CARD}") from None
        raise
    with f:
        data = f.read(limits.MAX_CARD_BYTES + 1)
    if len(data) > limits.MAX_CARD_BYTES:
        raise RnnplayError(f"{where} is over {limits.MAX_CARD_BYTES >> 20} MB: not an rnnplay model card")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RnnplayError(f"{where} is corrupt: not UTF-8 ({error.reason} at byte {error.start})") from None
    except ValueError as error:
        raise RnnplayError(f"{where} is corrupt: not valid JSON ({printable(error)})") from None
    except RecursionError:
        raise RnnplayError(f"{where} is corrupt: nested too deeply to be a model card") from None
    try:
        return cards.parse(value)
    except CardError as error:
        raise RnnplayError(f"{where} is not a valid model card: {printable(error)}") from None


def load_model(path: Path) -> StoredModel:
    """Read and verify a model folder: its card, the hash and size of every file, arrays without pickle."""
    for attempt in range(READS):
        folder = _Folder(path)
        try:
            return _load(folder)
        except RnnplayError:
            if attempt + 1 < READS and folder.replaced():
                continue
            raise
        finally:
            folder.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _load(folder: _Folder) -> StoredModel:
    card = _card(folder)
    for required in (WEIGHTS, VOCAB):
        if required not in card.files:
            raise RnnplayError(f"{printable(folder.path / CARD)} lists no {required}")
    arrays: dict[str, np.ndarray] = {}
    vocabulary: list[str] = []
    for name, digest in card.files.items():
        where = printable(folder.path / name)
        bound = file_bound(card, name)
        with folder.open(name) as f:
            size = os.fstat(f.fileno()).st_size
            if size > bound:
                raise RnnplayError(f"{where} is {size:,} bytes, more than its card allows ({bound:,}): "
                                   "the model is corrupt or was edited")
            if _digest(f, bound) != digest:
                raise RnnplayError(f"{where} does not match its card (sha256 differs): the model is corrupt or was edited")
            f.seek(0)
            if name == WEIGHTS:
                arrays = read_weights(f, card, where)
            elif name == VOCAB:
                vocabulary = read_vocabulary(f.read(bound + 1), card, where)
    return StoredModel(folder.path, card, arrays, vocabulary)


def file_bound(card: Card, name: str) -> int:
    """The most bytes a file of this model can need, from its card's architecture."""
    specs = card.architecture.arrays()
    if name == WEIGHTS:
        return sum(spec.nbytes for spec in specs.values()) + NPY_OVERHEAD * (len(specs) + 1)
    if name == VOCAB:
        return card.architecture.vocab_size * (limits.MAX_TOKEN_BYTES + 1)
    if card.kind != "classifier":
        raise RnnplayError(f"{printable(card.name)}: a {card.kind} model has no {name}")
    return limits.keras_bytes(sum(spec.nbytes for spec in specs.values()))


def read_weights(f: io.BufferedReader, card: Card, where: str) -> dict[str, np.ndarray]:
    """The arrays of ``weights.npz``, each checked against the card before its bytes are read."""
    specs = card.architecture.arrays()
    try:
        with zipfile.ZipFile(f) as archive:
            members: dict[str, zipfile.ZipInfo] = {}
            for info in archive.infolist():
                name = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
                if name not in specs:
                    raise RnnplayError(f"{where} holds {printable(repr(info.filename))}, an array its card does not declare")
                if name in members:
                    raise RnnplayError(f"{where} holds {name} twice")
                if info.file_size > specs[name].nbytes + NPY_OVERHEAD:
                    raise RnnplayError(f"{where}: {name} declares {info.file_size:,} bytes; its card's shape "
                                       f"{specs[name].shape} needs at most {specs[name].nbytes:,}")
                members[name] = info
            missing = [name for name, spec in specs.items() if spec.required and name not in members]
            if missing:
                raise RnnplayError(f"{where} has no {missing[0]} array")
            arrays = {name: _read_member(f, archive, info, specs[name], f"{where}: {name}") for name, info in members.items()}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as error:
        raise RnnplayError(f"{where} is corrupt: {printable(error)}") from None
    check_arrays(card, arrays, where)
    return arrays


def _read_member(f: io.BufferedReader, archive: zipfile.ZipFile, info: zipfile.ZipInfo, spec: ArraySpec, where: str) -> np.ndarray:
    """One array, its ``.npy`` header checked against the card before a byte of its data is read.

    ``np.savez`` stores members uncompressed, so their data is read straight from the file into the
    array (one copy; the whole file's sha256 was checked already, which zip's CRC would only repeat).
    A compressed member (``savez_compressed``) is read through zipfile, just as bounded.
    """
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member, max_header_size=10_000)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member, max_header_size=10_000)
        else:
            raise RnnplayError(f"{where} is a .npy file of version {version}, which rnnplay does not read")
        _check_spec(spec, tuple(shape), dtype, where)
        size = math.prod(shape) * dtype.itemsize
        if info.file_size - member.tell() != size:
            raise RnnplayError(f"{where} does not hold exactly the {size:,} bytes its header declares")
        if info.compress_type != zipfile.ZIP_STORED:
            array = np.frombuffer(member.read(size), dtype=dtype)
        else:
            start = _data_offset(f, info) + member.tell()
            array = np.empty(math.prod(shape), dtype=dtype)
            f.seek(start)
            if f.readinto(array.data.cast("B")) != size:
                raise RnnplayError(f"{where} ends before the {size:,} bytes its header declares")
    return array.reshape(shape, order="F" if fortran else "C")


def _data_offset(f: io.BufferedReader, info: zipfile.ZipInfo) -> int:
    """Where a member's data starts: after its local header, whose name and extra fields vary in length."""
    f.seek(info.header_offset)
    header = f.read(LOCAL_HEADER)
    if len(header) != LOCAL_HEADER or header[:4] != LOCAL_SIGNATURE:
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_length, extra_length = int.from_bytes(header[26:28], "little"), int.from_bytes(header[28:30], "little")
    return info.header_offset + LOCAL_HEADER + name_length + extra_length


def _check_spec(spec: ArraySpec, shape: tuple[int, ...], dtype: np.dtype, where: str) -> None:
    if dtype not in spec.dtypes:
        allowed = " or ".join(d.name for d in spec.dtypes)
        raise RnnplayError(f"{where} is {printable(dtype.str)} ({printable(dtype.name)}), not {allowed}")
    if shape != spec.shape:
        raise RnnplayError(f"{where} has shape {shape}; the card's architecture needs {spec.shape}")


def check_arrays(card: Card, arrays: Mapping[str, np.ndarray], where: str) -> None:
    """The arrays are exactly those the card's architecture needs: names, shapes, dtypes, finite values."""
    specs = card.architecture.arrays()
    for name in arrays:
        if name not in specs:
            raise RnnplayError(f"{where} holds {printable(repr(name))}, an array its card does not declare")
    for name, spec in specs.items():
        if name not in arrays:
            if spec.required:
                raise RnnplayError(f"{where} has no {name} array")
            continue
        array = arrays[name]
        _check_spec(spec, tuple(array.shape), array.dtype, f"{where}: {name}")
        if not _finite(array):
            raise RnnplayError(f"{where}: {name} holds NaN or infinite values")


def _finite(array: np.ndarray) -> bool:
    """No NaN or infinity; for float16, from the exponent bits (NumPy's isfinite converts each value)."""
    if array.dtype == np.float16:
        return not bool(np.any((array.view(np.uint16) & 0x7C00) == 0x7C00))
    return bool(np.isfinite(array).all())


def read_vocabulary(data: bytes, card: Card, where: str) -> list[str]:
    """One token a line, exactly as many as the card's vocabulary size."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RnnplayError(f"{where} is corrupt: not UTF-8 ({error.reason} at byte {error.start})") from None
    tokens = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    expected = card.architecture.vocab_size
    if len(tokens) != expected:
        raise RnnplayError(f"{where} has {len(tokens):,} tokens; its card says {expected:,}")
    return tokens
