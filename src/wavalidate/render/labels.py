"""Text that is safe inside DOT: HTML-like labels and quoted ids, whatever the names hold."""
from __future__ import annotations

import re

from ..formats.escape import dot_html, dot_id  # noqa: F401  (dot_id: drawing imports it from here)

# The escaping itself lives with every other format's, in formats/escape.py.
html = dot_html


def wrap(text: str, width: int = 26) -> str:
    """Break a long name or message into lines of about `width` characters, at separators when it can."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for token in re.findall(r"[^\s\-_./:]*[\s\-_./:]?", paragraph):
            if not token:
                continue
            while len(token) > width:   # a separator-free run longer than a line
                if line:
                    lines.append(line.rstrip())
                    line = ""
                lines.append(token[:width])
                token = token[width:]
            if len(line) + len(token.rstrip()) > width and line:
                lines.append(line.rstrip())
                line = ""
            line += token
        lines.append(line.rstrip())
    return "\n".join(lines)
