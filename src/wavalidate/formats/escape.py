"""Escaping, one function per output format, for every string that comes from the checked input.

Resource names, file names, messages (which quote names), suppression reasons
and baseline entries are written by whoever wrote the checked file, which in
CI is the author of a pull request. Every format writes them only through the
function for its own syntax here, so a name can never close a code span, open
a link, mention a user, break a workflow command or make XML that does not
parse. Formats added later (an HTML review) use the function here too.
"""
from __future__ import annotations

import html as _html
import re

# -- plain text (terminal, job logs) --------------------------------------------


def printable(text: str, keep: str = "") -> str:
    """`text` with control and format characters written as escapes (`\\x1b`, `\\u202e`): names come from
    the checked file, and a terminal escape or a bidi override in one must not restyle or hide the output.
    Characters in `keep` (such as a newline) stay as they are."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep else
                   (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else
                    f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}") for ch in text)


def one_line(text: str) -> str:
    """Printable text on one line: line breaks become spaces, other controls escapes."""
    return printable(" ".join(str(text).splitlines()))


# -- Markdown (GitHub pull-request comments, job summaries) --------------------------

ZERO_WIDTH_SPACE = "\u200b"
# Markdown syntax that can appear mid-line; a backslash makes each a literal.
_MD_SYNTAX = re.compile(r"[\\`*_~\[\]<>&|$]")
# What GitHub turns into live links or notifications from plain text: URLs and
# `www.` hosts (autolinks), `@user` and e-mail addresses, `#12` and `GH-12`.
_MD_LIVE = re.compile(r"(?P<scheme>:)(?=//)|(?i:(?P<www>www)\.)|(?P<at>@)|(?P<ref>#|(?i:gh-))(?=\w)")


def _md_char(match: re.Match) -> str:
    if match.group("scheme"):
        return "\\:"
    if match.group("www"):
        return match.group("www") + "\\."
    return match.group(0) + ZERO_WIDTH_SPACE  # @ or a reference: a zero-width space breaks the link


def markdown_text(text: str) -> str:
    """Plain text that renders as itself in Markdown and creates nothing live: every character with a
    meaning mid-line is backslash-escaped (so no emphasis, code, link, image, HTML, entity, math or table
    cell break), autolinks are broken, and `@`, `#` and `GH-` are followed by a zero-width space so no
    user is mentioned and no issue linked. Line breaks become spaces."""
    text = one_line(text)
    text = _MD_SYNTAX.sub(lambda m: "\\" + m.group(0), text)
    return _MD_LIVE.sub(_md_char, text)


def markdown_code(text: str, table: bool = False) -> str:
    """A code span holding `text` that nothing inside can close: its fence is longer than any run of
    backticks in the text. GitHub renders nothing inside a code span as a link or a mention. In a table
    cell (`table=True`) a `|` is written `\\|`, which the table reads as a literal pipe."""
    text = one_line(text)
    if not text.strip():
        return markdown_text(text) if text else ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "  # one space each side is stripped again when rendered
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def markdown_message(text: str, table: bool = False) -> str:
    """A message as rules write them, quoting names in backticks: each backtick-quoted part becomes a code
    span and the rest plain text, both escaped as above. A backtick inside a name only moves the line
    between code and text; it can never open or close anything the message did not."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one opens nothing
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(markdown_text(part))
        else:
            out.append(markdown_code(part, table) if part.strip() else markdown_text(f"`{part}`"))
    return "".join(out)


# -- XML (JUnit) ----------------------------------------------------------------------

_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: control characters (NUL, ESC and the rest, which no XML parser accepts even
    as character references), lone surrogates and U+FFFE/U+FFFF become visible escapes. The XML writer
    still escapes `& < > "` itself, so `&#0;` in a name stays the five characters it is."""
    text = str(text)
    if not _XML_ILLEGAL.search(text) and text.isprintable():
        return text
    return printable(text, keep="\n\t")


# -- HTML -------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """Text for HTML element content or a quoted attribute value: `& < > " '` as character references,
    control and format characters as visible escapes."""
    return _html.escape(printable(text, keep="\n\t"), quote=True)


# -- graphviz (DOT, and the SVG graphviz writes from it) --------------------------------

_SAFE_ID = re.compile(r'[^"\\<>%:&\x00-\x1f\x7f\u2028\u2029]')


def dot_id(name: str, endpoint: bool = True) -> str:
    """A DOT id for a name: the name itself, with `"`, `\\`, `<`, `>`, `%`, `:`, `&` and control characters
    percent-encoded, so it can never close its quotes, become an HTML string, end in a backslash or (`:`)
    be read as a node's port in an edge (`endpoint=False` keeps `:` for names that never end an edge, such
    as clusters). graphviz copies ids into SVG titles and comments and leaves anything that looks like a
    character reference alone, so a literal `&` would let `&#0;` through into SVG that does not parse.
    The mapping is one-to-one (`%` itself is encoded), and never starts with `%`."""
    encoded = "".join(ch if _SAFE_ID.match(ch) or (ch == ":" and not endpoint)
                      else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")) for ch in name)
    # graphviz takes names that start with "%" for its own anonymous objects; a literal "%" is always "%25",
    # so the "_" added here cannot collide with any other name
    return "_" + encoded if encoded.startswith("%") else encoded


def dot_html(text: str, limit: int = 0) -> str:
    """Plain text for a graphviz HTML-like label: entities for `& < > "`, a doubled backslash (graphviz still
    expands `\\N`, `\\G`, `\\l` inside HTML labels), `<BR/>` for newlines, and no control characters."""
    text = "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in str(text))
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\\", "\\\\"))
    return "<BR/>".join(text.split("\n"))


# -- GitHub Actions workflow commands --------------------------------------------------------


def workflow_data(text: str) -> str:
    """The runner's own escaping of a command's message (`%`, CR, LF), which it undoes exactly."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """The runner's own escaping of a property value: the message escapes plus `:` and `,`."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def github_data(text: str) -> str:
    """A workflow command's message from the input: printable (no terminal escapes into the job log), then
    escaped as the runner expects, so nothing in it can end the command and start another on a new line."""
    return workflow_data(printable(text, keep="\r\n"))


def github_property(text: str) -> str:
    """A workflow command's property value (a file name, a title) from the input."""
    return workflow_property(printable(text))


# -- SARIF ----------------------------------------------------------------------------------


def sarif_text(text: str) -> str:
    """A SARIF plain-text message (SARIF 2.1.0 §3.11): printable, with `{` and `}` doubled as placeholders
    require, and a zero-width space in `](` so `[text](url)` in a name is no embedded link in a viewer."""
    text = printable(text, keep="\n").replace("{", "{{").replace("}", "}}")
    return text.replace("](", "]" + ZERO_WIDTH_SPACE + "(")
