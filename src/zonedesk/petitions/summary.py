"""A suggested public summary: the petition's title with the names in it masked.

A petition's title usually names the enterprise and its project ("Công ty TNHH Nidec Hòa Lạc
chậm cấp điện cho dự án mở rộng nhà xưởng"). The public summary is written by the board and is
empty until then (`services._publish` refuses to publish without one); the petition page offers
this suggestion beside the empty field, to be read and edited, never applied by itself.

Masked, each replaced by "[…]": the enterprise's name (whole, without its legal form such as
"Công ty TNHH", an alias in brackets, and its brand words such as "Nidec" or "FPT"), the names
of its investors, of the petition's project and the enterprise's other projects (and their
codes), the petitioner's name and the names of the enterprise's users, e-mail addresses and
Vietnamese phone numbers (which also covers tax codes). Matching ignores case and accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from zonedesk.core.text import fold

MASK = "[…]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 0xx or +84 followed by 8 to 10 more digits, spaces, dots or dashes between them (not amounts
# such as 1.500.000, which do not start with 0, nor decimals such as 0,5)
_PHONE = re.compile(r"(?<![\w.,/+])(?:\+84[ .\-]?|0)\d{1,3}(?:[ .\-]?\d){6,9}(?!\w)")
_LEGAL_FORM = re.compile(
    r"^(?:(?:tổng\s+)?(?:công\s+ty|cty|tập\s+đoàn|chi\s+nhánh|doanh\s+nghiệp)|ctcp|cttnhh)"
    r"(?:\s+(?:tnhh|cổ\s+phần|cp|mtv|một\s+thành\s+viên|hai\s+thành\s+viên(?:\s+trở\s+lên)?|tư\s+nhân|"
    r"liên\s+doanh|hợp\s+danh))*\s+",
    re.IGNORECASE,
)
_PROJECT = re.compile(r"^dự\s+án\s+", re.IGNORECASE)
_DEMO = re.compile(r"\s*\((?:minh họa|demo)\)\s*$", re.IGNORECASE)
_BRACKETS = re.compile(r"\(([^)]*)\)")
# words of company names that are not a brand of their own
_COMMON = frozenset(
    "nam viet vietnam group holdings jsc ltd co corp corporation company inc the and of hoa lac ha noi hanoi "
    "tech technology soft software bio electronics materials mechatronics aero education manufacturing services "
    "telecom invest investment development".split()
)
_HONORIFICS = ("ông", "bà", "anh", "chị", "Mr", "Ms", "Mrs")


def _fold_chars(text: str) -> str:
    """`core.text.fold` one character at a time, keeping the length (positions stay the same)."""
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
            continue
        folded = fold(ch)
        out.append(folded if len(folded) == 1 else (ch.lower()[:1] or ch))
    return "".join(out)


def _brand(word: str) -> bool:
    word = word.strip(".,;:–-")
    return len(word) >= 3 and word.isascii() and word[:1].isupper() and word.casefold() not in _COMMON


def organisation_names(name: str) -> set[str]:
    """The ways a company's name is written in a sentence: whole, without its legal form, an
    alias in brackets, each part of a name in two (“Tập đoàn Vingroup – Công ty Cổ phần”), and
    its brand words."""
    name = _DEMO.sub("", (name or "").strip())
    if not name:
        return set()
    out = {name}
    aliases = [a.strip() for a in _BRACKETS.findall(name) if a.strip()]
    bare = _BRACKETS.sub(" ", name)
    parts = [p.strip() for p in re.split(r"\s+[–-]\s+", bare) if p.strip()]
    for part in [bare, *parts, *aliases]:
        part = " ".join(part.split())
        core = part
        while True:  # "Tổng Công ty TNHH MTV ..." and the like
            shorter = _LEGAL_FORM.sub("", core, count=1)
            if shorter == core:
                break
            core = shorter
        if not _LEGAL_FORM.sub("", core + " ").strip():  # a legal form alone names nobody
            continue
        out |= {part, core}
        out |= {w.strip(".,;:–-") for w in core.split() if _brand(w)}
    return {n for n in out if len(fold(n)) >= 3}


def project_names(name: str) -> set[str]:
    name = " ".join((name or "").split())
    if not name:
        return set()
    return {n for n in {name, _PROJECT.sub("", name)} if len(fold(n)) >= 3}


def person_names(name: str) -> set[str]:
    """A person's whole name, and the given name after an honorific (“bà Riêng”)."""
    name = " ".join((name or "").split())
    if not name:
        return set()
    out = {name}
    given = name.split()[-1]
    out |= {f"{h} {given}" for h in _HONORIFICS}
    return {n for n in out if len(fold(n)) >= 3}


def mask(text: str, names: Iterable[str]) -> str:
    """`text` with each of `names` (any case, with or without accents, as whole words), each
    e-mail address and each phone number replaced by “[…]”."""
    text = unicodedata.normalize("NFC", text or "")
    folded = _fold_chars(text)
    spans: list[tuple[int, int]] = []
    for name in sorted({fold(n) for n in names if n and fold(n)}, key=len, reverse=True):
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)"
        spans += [m.span() for m in re.finditer(pattern, folded)]
    spans += [m.span() for m in _EMAIL.finditer(text)]
    spans += [m.span() for m in _PHONE.finditer(text)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], MASK]
        at = end
    out.append(text[at:])
    masked = "".join(out)
    masked = re.sub(re.escape(MASK) + r"(?:[\s,;–-]*" + re.escape(MASK) + ")+", MASK, masked)
    return unicodedata.normalize("NFC", " ".join(masked.split()))


def names_of(petition: Any) -> set[str]:
    """Every name the suggestion masks for this petition (see the module's docstring)."""
    from django.contrib.auth import get_user_model

    names: set[str] = set()
    enterprise = petition.enterprise
    if enterprise is not None:
        names |= organisation_names(enterprise.name)
        for investor in enterprise.investors.all():
            names |= organisation_names(investor.name)
        for project in enterprise.projects.all():
            names |= project_names(project.name_vi) | project_names(project.name_en) | {project.code}
        for user in get_user_model().objects.filter(enterprise=enterprise):
            names |= person_names(user.get_full_name())
    if petition.project is not None:
        names |= project_names(petition.project.name_vi) | project_names(petition.project.name_en)
        names.add(petition.project.code)
    names |= person_names(petition.petitioner_name)
    if petition.submitted_by is not None:
        names |= person_names(petition.submitted_by.get_full_name())
    return names


def suggested_summary(petition: Any) -> str:
    """The petition's title with its names masked: a first draft for the board to edit."""
    return mask(petition.title, names_of(petition))
