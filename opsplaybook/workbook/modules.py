"""``workbook/modules.toml``: the course modules, their numbers, slugs and titles."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import LANGS
from .source import WorkbookSourceError

__all__ = ["Module", "load_modules"]

_FIELDS = ("number", "slug", "en", "zh")


@dataclass(frozen=True)
class Module:
    """One course module as listed in ``modules.toml``."""

    number: int
    slug: str
    en: str
    zh: str

    @property
    def nn(self) -> str:
        """The module number on two digits, e.g. ``"00"``."""
        return f"{self.number:02d}"

    def title(self, lang: str) -> str:
        """The title in the file names of ``lang``'s notebooks (words joined by dashes)."""
        return getattr(self, lang)

    def display(self, lang: str) -> str:
        """``"00 · Synthetic Company and Data System"``: number and title as people read them."""
        return f"{self.nn} · {self.title(lang).replace('-', ' ')}"

    def teaching_source(self, root: Path) -> Path:
        return root / "workbook" / f"{self.nn}-{self.slug}.py"

    def exercises_source(self, root: Path) -> Path:
        return root / "workbook" / f"{self.nn}-{self.slug}-exercises.py"

    def filename(self, lang: str, kind: str) -> str:
        """The built file name of this module's ``kind`` notebook in ``lang``."""
        stem = f"{self.nn}-{self.title(lang)}"
        return f"{stem}.ipynb" if kind == "teaching" else f"{stem}-exercises.ipynb"


def _toml_load(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ModuleNotFoundError("Reading modules.toml on Python 3.10 needs `tomli`: pip install tomli") from None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WorkbookSourceError(f"{path}: not valid TOML: {exc}") from None


def load_modules(root: str | Path = ".") -> list[Module]:
    """The modules of ``root/workbook/modules.toml``, sorted by number; checks every table.

    Raises :class:`~opsplaybook.workbook.source.WorkbookSourceError` for a missing file, a missing
    or badly typed field, a duplicate number or slug, or a title that cannot be a file name.
    """
    path = Path(root) / "workbook" / "modules.toml"
    if not path.is_file():
        raise WorkbookSourceError(f"{path} does not exist; the build needs the list of modules "
                                  f"(see workbook/README.md). Is `root` the repository folder?")
    data = _toml_load(path)
    tables = data.get("module")
    if not isinstance(tables, list) or not tables:
        raise WorkbookSourceError(f"{path}: no [[module]] table; write one per module with fields {list(_FIELDS)}.")
    modules: list[Module] = []
    for i, t in enumerate(tables, 1):
        where = f"{path}: [[module]] table {i}"
        missing = [f for f in _FIELDS if f not in t]
        if missing:
            raise WorkbookSourceError(f"{where} lacks {missing}; every table needs {list(_FIELDS)}.")
        extra = sorted(set(t) - set(_FIELDS))
        if extra:
            raise WorkbookSourceError(f"{where} has unknown field(s) {extra}; allowed: {list(_FIELDS)}.")
        if not isinstance(t["number"], int) or isinstance(t["number"], bool) or not 0 <= t["number"] <= 99:
            raise WorkbookSourceError(f"{where}: number={t['number']!r} must be a whole number from 0 to 99.")
        for f in ("slug",) + LANGS:
            v = t[f]
            if not isinstance(v, str) or not v or any(c in v for c in '/\\:*?"<>| '):
                raise WorkbookSourceError(f"{where}: {f}={v!r} must be a non-empty name without spaces or "
                                          f"any of / \\ : * ? \" < > | (words are joined by dashes).")
        modules.append(Module(t["number"], t["slug"], t["en"], t["zh"]))
    for attr in ("number", "slug"):
        seen: dict = {}
        for m in modules:
            v = getattr(m, attr)
            if v in seen:
                raise WorkbookSourceError(f"{path}: {attr} {v!r} is used by two modules; each module needs its own.")
            seen[v] = m
    return sorted(modules, key=lambda m: m.number)
