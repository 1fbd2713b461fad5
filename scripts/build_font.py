"""Build the CJK fonts bundled with opsplaybook: ``opsplaybook/fonts/OpsPlaybookSansSC-{Regular,Bold}.ttf``.

Why: matplotlib draws Chinese labels as empty boxes unless a font with Chinese glyphs is
available. ``opsplaybook.set_theme()`` prefers an installed CJK font and falls back to this one, so
charts render on a machine that has only pip.

Source
    Noto Sans CJK SC Regular and Bold, version 2.004 (© 2014-2021 Adobe; SIL Open Font License
    1.1), as shipped by Debian's ``fonts-noto-cjk`` package (1:20220127+repack1-1, Debian 12
    "bookworm")::

        apt-get update && apt-get install -y fonts-noto-cjk
        # -> /usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc (face "Noto Sans CJK SC")

    Upstream: the googlefonts/noto-cjk repository (``Sans/OTF/SimplifiedChinese/NotoSansCJKsc-
    Regular.otf`` / ``-Bold.otf`` are the same faces as stand-alone files and work as
    ``--regular`` / ``--bold`` too).

Command (from the repository root)::

    .venv/bin/python scripts/build_font.py
    # or: python scripts/build_font.py --regular NotoSansCJKsc-Regular.otf \
    #         --bold NotoSansCJKsc-Bold.otf --out opsplaybook/fonts

What it does
    1. Subsets each face with fontTools to: GB2312 (all 7 445 characters: 6 763 hanzi plus symbols),
       printable ASCII and Latin-1, general punctuation, CJK symbols and punctuation, full-width
       forms, arrows and the maths signs charts use (− ≤ ≥ ≈ ≠ ∞ ‰ ×), ¥ and ￥. Layout tables
       (GSUB/GPOS), vertical metrics and hinting are dropped: matplotlib does not use them.
    2. Converts the CFF (cubic) outlines to TrueType (quadratic) ``glyf`` outlines with cu2qu
       (max error 1 font unit of 1000): TrueType-flavoured fonts embed cleanly in matplotlib's PDF
       and PS output both as Type 42 and as Type 3, while CFF-flavoured OpenType does not.
    3. Renames the family to "OpsPlaybook Sans SC" (so it never shadows a full installed Noto Sans
       CJK) and records the derivation; the copyright and licence fields are kept. The OFL's only
       Reserved Font Name for this font is "Source", which the new name does not use.
    4. Writes the licence text beside the font as ``LICENSE-OFL.txt``.

The output is reproducible: same source file ⇒ byte-identical font (timestamps are kept from the
source, not set to "now"). The result is about 2.1 MB per weight. Bold is bundled because titles
are bold in the kit's theme (without it matplotlib logs "Failed to find font weight bold").
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
DEFAULT_OUT = ROOT / "opsplaybook" / "fonts"
FAMILY = "OpsPlaybook Sans SC"
PS_BASE = "OpsPlaybookSansSC"
SOURCE_FAMILY = "Noto Sans CJK SC"

OFL_TEXT = """\
Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.

OpsPlaybook Sans SC (OpsPlaybookSansSC-Regular.ttf, OpsPlaybookSansSC-Bold.ttf) is a Modified
Version of Noto Sans CJK SC Regular and Bold 2.004: a subset to the GB2312 character set plus ASCII, Latin-1 and common punctuation,
converted to TrueType outlines and renamed, made with fontTools by scripts/build_font.py of
opsplaybook. It is distributed under the same licence, reproduced below. Noto is a trademark of
Google Inc. The rest of opsplaybook is under the MIT licence (LICENSE); this font is not.

This Font Software is licensed under the SIL Open Font License, Version 1.1.
This license is copied below, and is also available with a FAQ at:
https://openfontlicense.org


-----------------------------------------------------------
SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007
-----------------------------------------------------------

PREAMBLE
The goals of the Open Font License (OFL) are to stimulate worldwide
development of collaborative font projects, to support the font creation
efforts of academic and linguistic communities, and to provide a free and
open framework in which fonts may be shared and improved in partnership
with others.

The OFL allows the licensed fonts to be used, studied, modified and
redistributed freely as long as they are not sold by themselves. The
fonts, including any derivative works, can be bundled, embedded,
redistributed and/or sold with any software provided that any reserved
names are not used by derivative works. The fonts and derivatives,
however, cannot be released under any other type of license. The
requirement for fonts to remain under this license does not apply
to any document created using the fonts or their derivatives.

DEFINITIONS
"Font Software" refers to the set of files released by the Copyright
Holder(s) under this license and clearly marked as such. This may
include source files, build scripts and documentation.

"Reserved Font Name" refers to any names specified as such after the
copyright statement(s).

"Original Version" refers to the collection of Font Software components as
distributed by the Copyright Holder(s).

"Modified Version" refers to any derivative made by adding to, deleting,
or substituting -- in part or in whole -- any of the components of the
Original Version, by changing formats or by porting the Font Software to a
new environment.

"Author" refers to any designer, engineer, programmer, technical
writer or other person who contributed to the Font Software.

PERMISSION & CONDITIONS
Permission is hereby granted, free of charge, to any person obtaining
a copy of the Font Software, to use, study, copy, merge, embed, modify,
redistribute, and sell modified and unmodified copies of the Font
Software, subject to the following conditions:

1) Neither the Font Software nor any of its individual components,
in Original or Modified Versions, may be sold by itself.

2) Original or Modified Versions of the Font Software may be bundled,
redistributed and/or sold with any software, provided that each copy
contains the above copyright notice and this license. These can be
included either as stand-alone text files, human-readable headers or
in the appropriate machine-readable metadata fields within text or
binary files as long as those fields can be easily viewed by the user.

3) No Modified Version of the Font Software may use the Reserved Font
Name(s) unless explicit written permission is granted by the corresponding
Copyright Holder. This restriction only applies to the primary font name as
presented to the users.

4) The name(s) of the Copyright Holder(s) or the Author(s) of the Font
Software shall not be used to promote, endorse or advertise any
Modified Version, except to acknowledge the contribution(s) of the
Copyright Holder(s) and the Author(s) or with their explicit written
permission.

5) The Font Software, modified or unmodified, in part or in whole,
must be distributed entirely under this license, and must not be
distributed under any other license. The requirement for fonts to
remain under this license does not apply to any document created
using the Font Software.

TERMINATION
This license becomes null and void if any of the above conditions are
not met.

DISCLAIMER
THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT
OF COPYRIGHT, PATENT, TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL THE
COPYRIGHT HOLDER BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
INCLUDING ANY GENERAL, SPECIAL, INDIRECT, INCIDENTAL, OR CONSEQUENTIAL
DAMAGES, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
FROM, OUT OF THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM
OTHER DEALINGS IN THE FONT SOFTWARE.
"""


# ------------------------------------------------------------------ character set
def gb2312_chars() -> list[str]:
    """Every character of GB2312 (rows 0xA1–0xF7, cells 0xA1–0xFE that decode)."""
    out = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


EXTRA_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: ¥ £ ° ± × ÷ · …
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2190, 0x2199),  # arrows
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # full-width forms
]
EXTRA_CHARS = "−±×÷≤≥≈≠∞∑√€￥￠￡↑↓→←·—–…•℃№"


def charset() -> list[int]:
    cps = {ord(c) for c in gb2312_chars()}
    for a, b in EXTRA_RANGES:
        cps.update(range(a, b + 1))
    cps.update(ord(c) for c in EXTRA_CHARS)
    return sorted(cps)


# ------------------------------------------------------------------ steps
def load_source(path: Path):
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        coll = TTCollection(str(path))
        for i, face in enumerate(coll.fonts):
            if face["name"].getDebugName(1) == SOURCE_FAMILY:
                return TTFont(str(path), fontNumber=i, recalcTimestamp=False)
        raise SystemExit(f"{path} has no face named {SOURCE_FAMILY!r}")
    font = TTFont(str(path), recalcTimestamp=False)
    if SOURCE_FAMILY not in (font["name"].getDebugName(1) or ""):
        print(f"warning: {path} is {font['name'].getDebugName(1)!r}, not {SOURCE_FAMILY!r}", file=sys.stderr)
    return font


def subset(font, codepoints: list[int]) -> None:
    from fontTools import subset as fts

    opts = fts.Options()
    opts.layout_features = []  # matplotlib shapes nothing; keeps the file small
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.drop_tables += ["BASE", "GSUB", "GPOS", "GDEF", "VORG", "vhea", "vmtx", "DSIG"]
    sub = fts.Subsetter(opts)
    sub.populate(unicodes=codepoints)
    sub.subset(font)


def cff_to_glyf(font, max_err: float = 1.0) -> None:
    """Replace CFF outlines by TrueType quadratic outlines (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    if "CFF " not in font:
        return
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(gs)
        gs[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyphs.items():
        adv, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (adv, getattr(g, "xMin", 0) if g.numberOfContours else 0)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font, style: str) -> None:
    name = font["name"]
    version = name.getDebugName(5) or ""
    ps_name = f"{PS_BASE}-{style}"
    texts = {
        1: FAMILY,
        2: style,
        3: f"{ps_name};{version.split(';')[0]}",
        4: f"{FAMILY} {style}",
        6: ps_name,
        10: (f"Subset of Noto Sans CJK SC {style} to GB2312 + ASCII/Latin-1 + punctuation, TrueType "
             "outlines, renamed; built by opsplaybook scripts/build_font.py. SIL OFL 1.1."),
    }
    # drop localized family names (e.g. the Chinese ones) and typographic names
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 6, 10, 16, 17, 21, 22)]
    for nid, s in texts.items():
        name.setName(s, nid, 3, 1, 0x409)
        name.setName(s, nid, 1, 0, 0)


def build_one(source: Path, style: str, out_dir: Path) -> Path:
    font = load_source(source)
    cps = charset()
    subset(font, cps)
    cff_to_glyf(font)
    rename(font, style)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{PS_BASE}-{style}.ttf"
    font.save(str(out))
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    cmap = font.getBestCmap()
    missing = [c for c in cps if c not in cmap]
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs, "
          f"sha256 {digest}…); {len(missing)} requested characters are not in the source font")
    return out


def build(sources: dict[str, Path], out_dir: Path) -> list[Path]:
    outs = [build_one(src, style, out_dir) for style, src in sources.items()]
    (out_dir / "LICENSE-OFL.txt").write_text(OFL_TEXT, encoding="utf-8")
    return outs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regular", type=Path, default=DEFAULT_SOURCES["Regular"],
                    help="Noto Sans CJK Regular .ttc/.otc, or NotoSansCJKsc-Regular.otf")
    ap.add_argument("--bold", type=Path, default=DEFAULT_SOURCES["Bold"],
                    help="Noto Sans CJK Bold .ttc/.otc, or NotoSansCJKsc-Bold.otf")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default opsplaybook/fonts)")
    args = ap.parse_args(argv)
    sources = {"Regular": args.regular, "Bold": args.bold}
    for src in sources.values():
        if not src.exists():
            print(f"{src} not found. Install it with `apt-get install fonts-noto-cjk` or pass "
                  "--regular/--bold.", file=sys.stderr)
            return 1
    build(sources, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
