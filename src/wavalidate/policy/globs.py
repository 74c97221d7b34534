"""Wildcard patterns (`*`, `?`) compiled once: matching, overlap and containment."""
from __future__ import annotations

import enum
import re
from functools import lru_cache
from typing import Any, FrozenSet, List, Set, Tuple, Union


class Wild(enum.Enum):
    STAR = "*"
    ONE = "?"


Token = Union[str, Wild]
Tokens = Tuple[Token, ...]


# A pattern *source* is policy text in which `*` and `?` are wildcards and a
# backslash escapes the next character, so that values substituted for policy
# variables (and `${*}`) can match literally. With `colon_bound` a wildcard
# never matches `:` (it stays within one ARN segment); without, it matches anything.


def source(raw: str) -> str:
    """Raw policy text as a pattern source: wildcards stay wildcards."""
    return raw.replace("\\", "\\\\")


def literal(text: str) -> str:
    """Text that must match itself only."""
    return re.sub(r"([\\*?])", r"\\\1", text)


def has_wildcards(src: str) -> bool:
    return any(isinstance(token, Wild) for token in tokens(src))


def unescape(src: str) -> str:
    """The text of a wildcard-free source."""
    return "".join(token.value if isinstance(token, Wild) else token for token in tokens(src))


@lru_cache(maxsize=8192)
def tokens(src: str) -> Tokens:
    out: List[Token] = []
    escaped = False
    for char in src:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "*":
            # Consecutive stars mean the same as one; collapsing keeps automata small.
            if not (out and out[-1] is Wild.STAR):
                out.append(Wild.STAR)
        elif char == "?":
            out.append(Wild.ONE)
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return tuple(out)


@lru_cache(maxsize=16384)
def match(src: str, value: str, *, ignore_case: bool = False, colon_bound: bool = False) -> bool:
    """Whether the whole of `value` matches the pattern, in time linear in each of them.

    With `colon_bound` every `:` of the value must meet a literal `:` of the
    pattern (wildcards cannot produce one), so the two are cut there and the
    pieces matched one to one.
    """
    pattern = _norm(src, ignore_case)
    chars = tuple(c.lower() for c in value) if ignore_case else tuple(value)
    if not colon_bound:
        return _match(pattern, chars)
    pieces = _cut(pattern)
    texts = _cut(chars)
    return len(pieces) == len(texts) and all(_match(p, t) for p, t in zip(pieces, texts))


def _cut(items: Tuple[Any, ...]) -> List[Tuple[Any, ...]]:
    """Split tokens or characters at each literal `:`."""
    out: List[Tuple[Any, ...]] = []
    start = 0
    for k, item in enumerate(items):
        if item == ":":
            out.append(items[start:k])
            start = k + 1
    out.append(items[start:])
    return out


def _match(pattern: Tokens, chars: Tuple[str, ...]) -> bool:
    """Greedy two-pointer wildcard matching: on a mismatch, only the last `*` takes one more character.

    Backtracking to earlier stars is never needed: whatever they could take,
    the last star can take too, so the work is O(len(pattern) * len(chars)) at
    worst and no pattern makes it explode (unlike a backtracking regex).
    """
    i = j = 0
    star, resume = -1, 0
    while j < len(chars):
        token = pattern[i] if i < len(pattern) else None
        if token is Wild.STAR:
            star, resume = i, j
            i += 1
        elif token is Wild.ONE or (token is not None and token == chars[j]):
            i += 1
            j += 1
        elif star >= 0:
            resume += 1
            i, j = star + 1, resume
        else:
            return False
    while i < len(pattern) and pattern[i] is Wild.STAR:
        i += 1
    return i == len(pattern)


def example(src: str, filler: str = "") -> str:
    """One string the pattern matches: `*` becomes `filler`, `?` becomes `x`."""
    return "".join(filler if t is Wild.STAR else ("x" if t is Wild.ONE else t) for t in tokens(src))


def _norm(src: str, ignore_case: bool) -> Tokens:
    toks = tokens(src)
    if ignore_case:
        return tuple(t.lower() if isinstance(t, str) else t for t in toks)
    return toks


def _emits(token: Token, char: str, colon_bound: bool) -> bool:
    if isinstance(token, Wild):
        return not (colon_bound and char == ":")
    return token == char


def _compatible(a: Token, b: Token, a_bound: bool, b_bound: bool) -> bool:
    """Whether two single-character steps can produce the same character."""
    if isinstance(a, str):
        return _emits(b, a, b_bound) and _emits(a, a, a_bound)
    if isinstance(b, str):
        return _emits(a, b, a_bound)
    return True  # two wildcards agree on any ordinary character


@lru_cache(maxsize=4096)
def overlaps(a: str, b: str, *, ignore_case: bool = False, colon_bound: bool = False) -> bool:
    """Whether some string matches both patterns."""
    x, y = _norm(a, ignore_case), _norm(b, ignore_case)
    seen: Set[Tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(x) and j == len(y):
            return True
        nxt: List[Tuple[int, int]] = []
        if i < len(x) and x[i] is Wild.STAR:
            nxt.append((i + 1, j))
            if j < len(y) and y[j] is not Wild.STAR and _compatible(x[i], y[j], colon_bound, colon_bound):
                nxt.append((i, j + 1))
        if j < len(y) and y[j] is Wild.STAR:
            nxt.append((i, j + 1))
            if i < len(x) and x[i] is not Wild.STAR and _compatible(x[i], y[j], colon_bound, colon_bound):
                nxt.append((i + 1, j))
        if (i < len(x) and j < len(y) and x[i] is not Wild.STAR and y[j] is not Wild.STAR
                and _compatible(x[i], y[j], colon_bound, colon_bound)):
            nxt.append((i + 1, j + 1))
        stack.extend(nxt)
    return False


def _closure(pattern: Tokens, states: Set[int]) -> FrozenSet[int]:
    todo = list(states)
    done = set(states)
    while todo:
        k = todo.pop()
        if k < len(pattern) and pattern[k] is Wild.STAR and k + 1 not in done:
            done.add(k + 1)
            todo.append(k + 1)
    return frozenset(done)


def _step(pattern: Tokens, states: FrozenSet[int], char: str, bound: bool) -> FrozenSet[int]:
    moved: Set[int] = set()
    for k in states:
        if k < len(pattern) and _emits(pattern[k], char, bound):
            moved.add(k if pattern[k] is Wild.STAR else k + 1)
    return _closure(pattern, moved)


@lru_cache(maxsize=4096)
def contains(outer: str, inner: str, *, ignore_case: bool = False,
             outer_colon_bound: bool = False, inner_colon_bound: bool = False) -> bool:
    """Whether every string matching `inner` also matches `outer`.

    Explores `inner` symbolically while tracking the set of positions `outer`
    could be in; one representative character stands for all characters that
    `outer` does not mention, since `outer` treats them alike.
    """
    big, small = _norm(outer, ignore_case), _norm(inner, ignore_case)
    alphabet = {t for t in big if isinstance(t, str)} | {":"}
    other = "\x00"
    while other in alphabet:
        other = chr(ord(other) + 1)
    alphabet.add(other)
    letters = sorted(alphabet)
    start = (0, _closure(big, {0}))
    seen = {start}
    stack = [start]
    while stack:
        i, states = stack.pop()
        if not states:
            return False  # inner can still be completed, outer no longer matches
        nxt: List[Tuple[int, FrozenSet[int]]] = []
        if i == len(small):
            if len(big) not in states:
                return False
            continue
        token = small[i]
        if isinstance(token, str):
            nxt.append((i + 1, _step(big, states, token, outer_colon_bound)))
        else:
            for char in letters:
                if _emits(token, char, inner_colon_bound):
                    after = _step(big, states, char, outer_colon_bound)
                    nxt.append((i, after) if token is Wild.STAR else (i + 1, after))
            if token is Wild.STAR:
                nxt.append((i + 1, states))
        for state in nxt:
            if state not in seen:
                seen.add(state)
                stack.append(state)
    return True
