"""Writing outputs so that nothing is ever half-written: one place for every writer of the kit.

A file is written to a temporary file beside it and moved into place with :func:`os.replace` (atomic
on one file system); a folder is filled under a temporary name and renamed when complete. On any
error the temporary file or folder is removed and the old output, if any, is untouched. Files get
the usual permissions (``0666`` minus the umask), not the ``0600`` of :func:`tempfile.mkstemp`.

Used by the world's writers, the report, the exports, ``mapping init``, the tag-rule YAML, the
grades table and the workbook build. Internal: nothing here is part of the public API.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Callable

from .errors import InvalidParameterError, OutputExistsError

__all__ = ["atomic_file", "write_text_atomic", "atomic_dir"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_file(path, write: Callable[[str], object], *, force: bool = True, exists_message: str | None = None) -> Path:
    """Run ``write(tmp)`` (a path string beside ``path``), then move the result onto ``path``.

    Parameters
    ----------
    path : str or Path
        The file to produce; its folder is created when missing.
    write : callable
        Writes the whole content to the path it is given.
    force : bool
        Replace an existing ``path``; when False an existing file raises :class:`OutputExistsError`.
    exists_message : str, optional
        The message of that error (default: names the file and says nothing was written).
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidParameterError(f"{path} is a folder; give a file name.")
    if path.exists() and not force:
        raise OutputExistsError(exists_message or f"{path} already exists; nothing was written. "
                                "Choose a new name or pass force=True.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_text_atomic(path, text: str, *, encoding: str = "utf-8", newline: str | None = "\n", force: bool = True,
                      exists_message: str | None = None) -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_file`); ``newline="\\n"`` on every OS."""
    def write(tmp):
        with open(tmp, "w", encoding=encoding, newline=newline) as fh:
            fh.write(text)

    return atomic_file(path, write, force=force, exists_message=exists_message)


def atomic_dir(out, write: Callable[[Path], object], *, force: bool) -> Path:
    """Run ``write(tmp)`` into a fresh folder beside ``out``, then move it into place.

    ``out`` may not hold data unless ``force``; then the old folder is replaced only after the new
    one is complete. On any error the temporary folder is removed and ``out`` is untouched.
    """
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise InvalidParameterError(f"`out`={str(out)!r} is a file, not a folder. Give a folder path.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExistsError(f"`out`={str(out)!r} already holds data; nothing was written. "
                                "Choose a new folder or pass force=True (CLI: --force) to replace it.")
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
    except OSError as exc:
        raise InvalidParameterError(f"`out`={str(out)!r} cannot be written: {exc.strerror or exc}. "
                                    "Choose a folder you can write to.") from None
    try:
        write(tmp)
        old = None
        if out.exists():
            old = parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
