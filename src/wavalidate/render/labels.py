"""Text that is safe inside DOT: HTML-like labels and quoted ids, whatever the names hold."""
from __future__ import annotations

import re

from ..formats.escape import dot_html, dot_id  # noqa: F401  (dot_id: drawing imports it from here)

# The escaping itself lives with every other format's, in formats/escape.py.
html = dot_html


# An IPv4 address or CIDR, or an IPv6 one, is one token: never broken at its dots, colons or slash.
_ADDRESS = r"(?:\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:/\d{1,3})?)"
_TOKEN = re.compile(_ADDRESS + r"[\s,;)]?|[^\s\-_./:]*[\s\-_./:]?")
_WHOLE = re.compile(_ADDRESS + r"[\s,;)]?$")


def wrap(text: str, width: int = 26) -> str:
    """Break a long name or message into lines of about `width` characters, at separators when it can
    (never inside an IP address or a CIDR)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph):
            if not token:
                continue
            while len(token) > width and not _WHOLE.match(token):   # a separator-free run longer than a line
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
