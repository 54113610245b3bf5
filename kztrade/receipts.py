"""Receipts of checks that passed: a fresh server need not check again data it has already checked.

A receipt is an empty file named by a digest of everything a check's verdict depends on: every file of the data
folder (names and bytes), the reference copy of the interview, whether frictionless ran, the source of every module
of the data layer, and the versions of Python and Babel (whose locale data reads the quotes' numbers). Change any of
them and the digest changes, so the check runs again. Only a check that found nothing leaves a receipt: a problem is
found, and shown, every time. Without a folder that can be written (a read-only deployment), nothing is kept and
every fresh server checks, as before. No Streamlit, no plotly."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from pathlib import Path

import babel

from .guard import content_stamp

LOG = logging.getLogger("kztrade")
PACKAGE = Path(__file__).resolve().parent


def receipts_dir() -> Path:
    """KZTRADE_CACHE_DIR if set (tests use it), else kztrade/ in the user's cache folder (XDG_CACHE_HOME or
    ~/.cache)."""
    if os.environ.get("KZTRADE_CACHE_DIR"):
        return Path(os.environ["KZTRADE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kztrade"


def file_digest(path: Path | None) -> bytes:
    """A file's digest; a fixed mark for no file or one that cannot be read."""
    if path is None:
        return b"none"
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "blake2b").digest()
    except OSError:
        return b"unreadable"


def receipt_key(data_dir: Path, reference: Path | None, full: bool) -> str:
    """The digest a passed check of this data, with this code, is kept under ('' if the folder cannot be read)."""
    stamp = content_stamp(Path(data_dir))
    if not stamp:
        return ""
    h = hashlib.blake2b(digest_size=20)
    depth = b"frictionless, guard and rules" if full else b"guard and rules"
    for part in (stamp.encode(), file_digest(reference), depth, sys.version.encode(), babel.__version__.encode()):
        h.update(part + b"\0")
    for module in sorted(PACKAGE.glob("*.py")):  # the data layer's source: the rules and how they read
        h.update(module.name.encode() + b"\0" + file_digest(module))
    return h.hexdigest()


def has_receipt(folder: Path | None, key: str) -> bool:
    """Whether a check of this key passed before (never, without a folder or a key)."""
    return bool(key) and (folder / f"{key}.passed").is_file()


def keep_receipt(folder: Path | None, key: str) -> None:
    """Record a passed check; a folder that cannot be written keeps nothing (the next fresh server checks again)."""
    if folder is None or not key:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".receipt-")
        os.close(fd)
        os.replace(tmp, folder / f"{key}.passed")
    except OSError as e:
        LOG.info("no receipt kept for the data check in %s: %s", folder, e)
