"""Vietnamese text folding for accent- and case-insensitive search.

"Hòa Lạc", "HOA LAC" and "hoa  lac" all fold to "hoa lac". Folded copies are stored in
indexed columns by the services that write, so a search is a plain `LIKE` on any database.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()
