"""Cache: built datasets on disk in formats that cannot run code.

One entry is two files in the cache folder: ``dataset-<key>.arrow`` (the
partner table as Arrow IPC) and ``dataset-<key>.json`` (the metadata, the
key itself, the SHA-256 of the Arrow file and each column's codec). No
pickle: reading an entry can only ever produce data.

An entry is used only when

* the folder is ours and mode 0700 (created so; a folder of another user
  switches the cache off), the files are regular files owned by this user,
  opened without following symbolic links;
* the key inside the metadata is the key asked for (another registry's
  entry planted under this name is refused);
* the metadata match their own checksum, the Arrow file its recorded size
  and SHA-256 (one flipped byte is found);
* every column decodes with its codec.

Anything else is logged and ignored: the caller rebuilds and overwrites. The
folder stays small: after each write only the newest :data:`KEEP_PER_GROUP`
entries of the same registry are kept, and the oldest entries beyond
:data:`KEEP_TOTAL` are removed. Legacy ``dataset-*.pickle`` files are deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from partnernetz.errors import ExportError
from partnernetz.files import write_bytes_atomically

log = logging.getLogger("partnernetz.cache")

FORMAT = "partnernetz-dataset/2"
KEEP_PER_GROUP = 3
KEEP_TOTAL = 24
MAX_META_BYTES = 20_000_000
MAX_TABLE_BYTES = 2_000_000_000
_KEY_RE = re.compile(r"^[0-9a-f]{64}$")


# --------------------------------------------------------------------------- folder


def open_store(setting: str | Path | None) -> Path | None:
    """The cache folder for ``setting`` (None: ``$PARTNERNETZ_CACHE_DIR`` or ``~/.cache/partnernetz``).

    Created with mode 0700. Returns None when caching is ``off`` or the folder
    cannot be used safely (not a folder, not ours).
    """
    if setting is None:
        setting = os.environ.get("PARTNERNETZ_CACHE_DIR") or None
    if setting is not None and str(setting) == "off":
        return None
    store = Path(setting) if setting else Path.home() / ".cache" / "partnernetz"
    try:
        store.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(store)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            log.warning("Dataset-Cache %s ist kein eigener Ordner dieses Benutzers; Cache aus", store)
            return None
        if info.st_mode & 0o077:
            os.chmod(store, 0o700)
    except OSError as exc:
        log.warning("Dataset-Cache %s nicht nutzbar (%s); Cache aus", store, exc)
        return None
    return store


def _read_owned(path: Path, limit: int) -> bytes:
    """A regular file owned by this user, not through a symbolic link, at most ``limit`` bytes."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("keine normale Datei")
        if info.st_uid != os.geteuid():
            raise ValueError(f"gehört Benutzer {info.st_uid}, nicht diesem")
        if info.st_size > limit:
            raise ValueError(f"zu groß ({info.st_size} Bytes)")
        chunks = []
        while chunk := os.read(fd, 1 << 22):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- entries


def read_entry(store: Path, key: str) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    """The table and metadata stored under ``key``, or None (missing, foreign, corrupt)."""
    if not _KEY_RE.match(key):
        return None
    meta_path = store / f"dataset-{key}.json"
    if not meta_path.exists():
        return None
    try:
        envelope = json.loads(_read_owned(meta_path, MAX_META_BYTES))
        if not isinstance(envelope, dict) or envelope.pop("checksum", None) != _checksum(envelope):
            raise ValueError("Prüfsumme der Metadaten stimmt nicht (Datei beschädigt)")
        if envelope.get("format") != FORMAT:
            raise ValueError(f"anderes Format {envelope.get('format')!r}")
        if envelope.get("key") != key:
            raise ValueError("gehört zu einer anderen Registry-Version (Schlüssel passt nicht)")
        data = _read_owned(store / f"dataset-{key}.arrow", MAX_TABLE_BYTES)
        if len(data) != envelope["table_bytes"] or _sha256(data) != envelope["table_sha256"]:
            raise ValueError("Prüfsumme der Tabelle stimmt nicht (Datei beschädigt)")
        frame = _table_to_frame(data, envelope["codecs"])
        return frame, envelope["meta"]
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        log.warning("Dataset-Cache-Eintrag %s wird ignoriert und neu gebaut: %s", meta_path.name, exc)
        return None


def write_entry(store: Path, key: str, *, frame: pd.DataFrame, meta: dict[str, Any],
                group: str) -> bool:
    """Store ``frame`` and ``meta`` under ``key``; False (logged) when that is not possible.

    ``group`` names the registry the entry belongs to (for pruning).
    """
    try:
        data, codecs = _frame_to_table(frame)
        envelope = {
            "format": FORMAT, "key": key, "group": _sha256(group.encode()),
            "created": time.time(), "table_bytes": len(data), "table_sha256": _sha256(data),
            "codecs": codecs, "meta": meta,
        }
        envelope["checksum"] = _checksum(envelope)
        text = json.dumps(envelope, ensure_ascii=False, allow_nan=False)
        write_bytes_atomically(store / f"dataset-{key}.arrow", data, mode=0o600)
        write_bytes_atomically(store / f"dataset-{key}.json", text.encode("utf-8"), mode=0o600)
    except (ExportError, TypeError, ValueError, pa.ArrowException) as exc:
        log.warning("Dataset-Cache %s: Eintrag nicht geschrieben (%s)", store, exc)
        return False
    prune_store(store)
    return True


def prune_store(store: Path, *, keep_per_group: int = KEEP_PER_GROUP,
                keep_total: int = KEEP_TOTAL) -> list[str]:
    """Delete all but the newest entries per registry and overall; the keys removed."""
    entries: list[tuple[float, str, str]] = []
    for meta_path in store.glob("dataset-*.json"):
        key = meta_path.stem.removeprefix("dataset-")
        try:
            envelope = json.loads(_read_owned(meta_path, MAX_META_BYTES))
            entries.append((float(envelope["created"]), str(envelope["group"]), key))
        except (OSError, ValueError, KeyError, TypeError):
            entries.append((0.0, "", key))  # unreadable: first to go
    entries.sort(reverse=True)
    seen: dict[str, int] = {}
    removed = []
    for rank, (_, group, key) in enumerate(entries):
        seen[group] = seen.get(group, 0) + 1
        if seen[group] > keep_per_group or rank >= keep_total or not group:
            removed.append(key)
    for key in removed:
        for suffix in (".json", ".arrow"):
            with contextlib.suppress(OSError):
                (store / f"dataset-{key}{suffix}").unlink()
    for legacy in store.glob("dataset-*.pickle"):
        with contextlib.suppress(OSError):
            if legacy.lstat().st_uid == os.geteuid():
                legacy.unlink()
                log.info("Dataset-Cache: alte Pickle-Datei %s gelöscht", legacy.name)
    return removed


def _checksum(envelope: dict[str, Any]) -> str:
    canonical = json.dumps(envelope, ensure_ascii=False, allow_nan=False, sort_keys=True)
    return _sha256(canonical.encode("utf-8"))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- frames


def _frame_to_table(frame: pd.DataFrame) -> tuple[bytes, dict[str, str]]:
    arrays, codecs = [], {}
    for name in frame.columns:
        codec, array = _encode_column(frame[name])
        arrays.append(array)
        codecs[str(name)] = codec
    table = pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes(), codecs


def _encode_column(series: pd.Series) -> tuple[str, pa.Array]:
    """One column as an Arrow array, with the name of the codec that reads it back exactly."""
    dtype = series.dtype
    if dtype == np.dtype(bool):
        return "bool", pa.array(series.to_numpy(), type=pa.bool_())
    if dtype == np.float64:
        return "float64", pa.array(series.to_numpy(), type=pa.float64())
    if dtype == np.int64:
        return "int64", pa.array(series.to_numpy(), type=pa.int64())
    if isinstance(dtype, pd.StringDtype):
        values = [None if pd.isna(v) else v for v in series.astype(object)]
        return f"string:{dtype}", pa.array(values, type=pa.string())
    if dtype != np.dtype(object):
        raise TypeError(f"Spalte {series.name}: Typ {dtype} wird nicht gecacht")
    values = series.tolist()
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {str}:
        return "object", pa.array(values, type=pa.string())
    if kinds <= {dt.date}:
        return "object", pa.array(values, type=pa.date32())
    if kinds <= {tuple} and all(type(x) is str for v in values if v is not None for x in v):
        return "tuple", pa.array(values, type=pa.list_(pa.string()))
    return "json", pa.array([json.dumps(_tag(v), ensure_ascii=False, allow_nan=False)
                             for v in values], type=pa.string())


def _table_to_frame(data: bytes, codecs: dict[str, str]) -> pd.DataFrame:
    table = pa.ipc.open_file(pa.BufferReader(data)).read_all()
    if list(table.column_names) != list(codecs):
        raise ValueError("Spalten passen nicht zu den Metadaten")
    columns: dict[str, pd.Series] = {}
    for name in table.column_names:
        codec, column = codecs[name], table.column(name)
        if codec in ("bool", "float64", "int64"):
            columns[name] = pd.Series(column.to_numpy(zero_copy_only=False), dtype=codec)
        elif codec == "object":
            columns[name] = pd.Series(column.to_pylist(), dtype=object)
        elif codec == "tuple":
            columns[name] = pd.Series([None if v is None else tuple(v) for v in column.to_pylist()],
                                      dtype=object)
        elif codec.startswith("string:"):
            columns[name] = pd.Series(column.to_pylist(), dtype=codec.split(":", 1)[1])
        elif codec == "json":
            columns[name] = pd.Series([_untag(json.loads(v)) for v in column.to_pylist()],
                                      dtype=object)
        else:
            raise ValueError(f"unbekannter Codec {codec!r}")
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))


def _tag(value: Any) -> Any:
    """JSON for a cell: tuples, lists, dicts and dates keep their type."""
    if isinstance(value, tuple):
        return {"t": [_tag(v) for v in value]}
    if isinstance(value, list):
        return {"l": [_tag(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[_tag(k), _tag(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise TypeError(f"Zelle vom Typ {type(value).__name__} wird nicht gecacht")


def _untag(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, inner),) = value.items()
    if kind == "t":
        return tuple(_untag(v) for v in inner)
    if kind == "l":
        return [_untag(v) for v in inner]
    if kind == "d":
        return {_untag(k): _untag(v) for k, v in inner}
    if kind == "dt":
        return dt.datetime.fromisoformat(inner)
    if kind == "date":
        return dt.date.fromisoformat(inner)
    raise ValueError(f"unbekannte Markierung {kind!r}")
