"""The notice's plain-text conventions, read into blocks a template renders (escaped as usual):
a line starting with "## " is a heading, consecutive lines starting with "- " are a list, other
lines are paragraphs. The board writes the notice in a text area with these conventions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            out.append(Block("heading", line[3:].strip()))
        elif line.startswith("- "):
            if not out or out[-1].kind != "list":
                out.append(Block("list"))
            out[-1].items.append(line[2:].strip())
        else:
            out.append(Block("paragraph", line))
    return out
