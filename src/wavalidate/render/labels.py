"""Text that is safe inside DOT: HTML-like labels and quoted ids, whatever the names hold."""
from __future__ import annotations

import re

_SAFE_ID = re.compile(r'[^"\\<>%:\x00-\x1f\x7f\u2028\u2029]')


def dot_id(name: str, endpoint: bool = True) -> str:
    """A DOT id for a name: the name itself, with `"`, `\\`, `<`, `>`, `%`, `:` and control characters
    percent-encoded, so it can never close its quotes, become an HTML string, end in a backslash or (`:`)
    be read as a node's port in an edge (`endpoint=False` keeps `:` for names that never end an edge,
    such as clusters).
    The mapping is one-to-one (`%` itself is encoded), and never starts with `%`."""
    encoded = "".join(ch if _SAFE_ID.match(ch) or (ch == ":" and not endpoint)
                      else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in name)
    # graphviz takes names that start with "%" for its own anonymous objects; a literal "%" is always "%25",
    # so the "_" added here cannot collide with any other name
    return "_" + encoded if encoded.startswith("%") else encoded


def html(text: str, limit: int = 0) -> str:
    """Plain text for an HTML-like label: entities for `& < > "`, a doubled backslash (graphviz still
    expands `\\N`, `\\G`, `\\l` inside HTML labels), `<BR/>` for newlines, and no control characters."""
    text = "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in str(text))
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\\", "\\\\"))
    return "<BR/>".join(text.split("\n"))


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
