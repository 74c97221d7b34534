"""Running rules so that none can end the run, write into its reports or run past its time budget.

Rules come from rule packs, which are code the user chose to trust, but a rule
can still misbehave: raise, call `sys.exit(0)` (a silent pass, before this
module), print into a report written to stdout, close `sys.stdout`, or loop
forever while catching the exception meant to stop it.

Where the platform can fork (Linux and the other POSIX systems but macOS),
`run_rules` runs a file's rules in a forked child process, one after the
other, and the child streams each rule's outcome back over a pipe. The parent
gives each rule its budget; when one overruns, the parent kills the child
(nothing the rule does can prevent that), records E901 and goes on with the
next rule in a new child. A child that dies under a rule (`os._exit`, a
signal) is an E900 for that rule. The child's stdin is /dev/null and its
stdout and stderr are captured, so a rule can never write to the outputs.
Forking once per file costs about a millisecond, and the function needs no
state, so a pool worker can call it as it is.

Elsewhere (or with WAVALIDATE_ISOLATION=thread) each rule runs in a thread
the caller stops waiting for at the deadline; the thread itself cannot be
stopped, so a runaway rule keeps a core busy until the process ends.
"""
from __future__ import annotations

import gc
import io
import marshal
import os
import select
import sys
import threading
import time
from typing import Any, Optional, Sequence

from .api import SEVERITIES, Rule, Violation
from .findings import ERROR, INPUT_NAMES, Finding, Related

OUTPUT_KEPT = 500  # characters of a rule's stray output quoted in its finding
_HEADER = 4        # bytes of length before each outcome on the pipe

# An outcome is plain data, so it crosses the pipe with marshal:
#   ("ok", [(path, message, severity, on_key), ...], output)
#   ("error", code, detail, output)
Outcome = tuple


def run_rules(rules: Sequence[Rule], arch, document, options, where=None) -> list[Finding]:
    """The findings of every rule on one document; a rule that crashes, exits, prints, returns garbage or
    overruns `options.rule_timeout` becomes a finding (E900-E902, W904) and the other rules still run.

    `where` maps a path of a composed architecture to the document that wrote it and the path there
    (compose.py); without it every path is in `document`."""
    rules = list(rules)
    if not rules:
        return []
    if _can_fork():
        outcomes = _forked(rules, arch, options.rule_timeout)
    else:
        outcomes = _threaded(rules, arch, options.rule_timeout)
    findings: list[Finding] = []
    for rule, outcome in zip(rules, outcomes):
        findings.extend(_findings(rule, outcome, document, options, where))
    return findings


def _can_fork() -> bool:
    chosen = os.environ.get("WAVALIDATE_ISOLATION", "")
    if chosen == "thread" or not hasattr(os, "fork") or not hasattr(select, "poll"):
        return False
    # macOS system libraries are not fork-safe; forking a process with other threads can deadlock the child
    return chosen == "fork" or (sys.platform != "darwin" and threading.active_count() == 1)


# -- running one rule here ------------------------------------------------------------


class _Output(io.TextIOBase):
    """sys.stdout and sys.stderr while rules run: what a rule's thread writes is kept for its finding,
    what any other thread writes goes where it went before. Closing it closes nothing."""

    def __init__(self, original: Any) -> None:
        super().__init__()
        self.original = original
        self.kept: dict[int, list[str]] = {}

    def write(self, text: Any) -> int:
        if not isinstance(text, str):  # as a text stream does (click probes streams with bytes)
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        kept = self.kept.get(threading.get_ident())
        if kept is not None:
            kept.append(text)
        elif self.original is not None:
            self.original.write(text)
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        if threading.get_ident() not in self.kept and self.original is not None:
            self.original.flush()

    def close(self) -> None:
        pass

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", None) or "utf-8"

    @property
    def errors(self) -> Optional[str]:  # type: ignore[override]
        return getattr(self.original, "errors", None)


def _evaluate(rule: Rule, arch) -> Outcome:
    """Run one rule in this thread, catching whatever it raises, and what it writes to sys.stdout/stderr."""
    from .engine import _known_violations
    streams = [s for s in (sys.stdout, sys.stderr) if isinstance(s, _Output)]
    me = threading.get_ident()
    kept: list[str] = []
    for stream in streams:
        stream.kept[me] = kept
    try:
        outcome = _plain(_known_violations(rule, list(rule.check(arch) or ()), arch))
    except SystemExit as error:
        outcome = ("error", "E900", f"tried to end the run (SystemExit: {error.code!r})")
    except KeyboardInterrupt:
        outcome = ("error", "E900", "raised KeyboardInterrupt")
    except BaseException as error:  # isolation: one broken rule must not hide the others
        outcome = ("error", "E900", f"crashed: {type(error).__name__}: {_text(error)}")
    finally:
        for stream in streams:
            stream.kept.pop(me, None)
    return outcome + ("".join(kept),)


def _text(value: Any) -> str:
    try:
        return str(value)
    except BaseException:  # a str() that raises is the rule's problem, not ours
        return "(unprintable)"


def _plain(violations: Sequence) -> tuple:
    """Violations as plain data, or the E902 outcome for the first thing that is not a proper one."""
    plain = []
    for violation in violations:
        item = _plain_violation(violation)
        if item is None:
            return ("error", "E902", f"returned {type(violation).__name__} instead of a Violation")
        plain.append(item)
    return ("ok", plain)


def _plain_violation(violation: Any) -> Optional[tuple]:
    if not isinstance(violation, Violation) or not isinstance(violation.message, str) \
            or not isinstance(violation.path, (tuple, list)) \
            or not (violation.severity is None or violation.severity in SEVERITIES):
        return None
    path = _plain_path(violation.path)
    if path is None or not isinstance(violation.related, (tuple, list)):
        return None
    related = [_plain_path(p) for p in violation.related]
    if any(p is None for p in related):
        return None
    return (path, str.__str__(violation.message), violation.severity, bool(violation.on_key), tuple(related))


def _plain_path(steps: Any) -> Optional[tuple]:
    """A document path as plain str and int steps (subclasses could misbehave across the pipe)."""
    if not isinstance(steps, (tuple, list)):
        return None
    path: list = []
    for step in steps:
        if isinstance(step, str):
            path.append(str.__str__(step))
        elif isinstance(step, int) and not isinstance(step, bool):
            path.append(int(step))
        else:
            return None
    return tuple(path)


# -- the forked child -------------------------------------------------------------------


def _forked(rules: list[Rule], arch, timeout: float) -> list[Outcome]:
    outcomes: list[Outcome] = []
    while len(outcomes) < len(rules):
        _session(rules, arch, timeout, outcomes)
    return outcomes


def _session(rules: list[Rule], arch, timeout: float, outcomes: list[Outcome]) -> None:
    """One child runs rules from len(outcomes) on, until all are done or one overruns or kills it."""
    first = len(outcomes)
    for stream in (sys.stdout, sys.stderr):  # the child inherits unwritten buffers; flush them here, once
        try:
            stream.flush()
        except Exception:
            pass
    results, feed = os.pipe()
    lifeline, hold = os.pipe()  # the child ends itself when this closes: when the parent is gone
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(results)
            os.close(hold)
            _child(rules[first:], arch, feed, lifeline)
        finally:
            os._exit(0)
    os.close(feed)
    os.close(lifeline)
    try:
        os.setpgid(pid, pid)  # also done in the child; whichever runs first
    except OSError:
        pass
    buffer = b""
    try:
        deadline = time.monotonic() + timeout if timeout > 0 else None
        poller = select.poll()
        poller.register(results, select.POLLIN)
        while len(outcomes) < len(rules):
            wait = None if deadline is None else max(0, int((deadline - time.monotonic()) * 1000) + 1)
            if not poller.poll(wait):
                outcomes.append(("error", "E901", f"ran over its {timeout:g} s budget and was stopped", ""))
                return
            chunk = os.read(results, 1 << 16)
            if not chunk:  # the child is gone before the rule finished
                outcomes.append(("error", "E900", f"ended the checking process ({_status(pid)})", ""))
                pid = 0
                return
            buffer += chunk
            while len(buffer) >= _HEADER:
                size = int.from_bytes(buffer[:_HEADER], "big")
                if len(buffer) < _HEADER + size:
                    break
                outcomes.append(marshal.loads(buffer[_HEADER:_HEADER + size]))
                buffer = buffer[_HEADER + size:]
                if deadline is not None:
                    deadline = time.monotonic() + timeout
    finally:
        if pid:
            _kill(pid)
        os.close(results)
        os.close(hold)


def _kill(pid: int) -> None:
    for kill in (lambda: os.killpg(pid, 9), lambda: os.kill(pid, 9)):
        try:
            kill()
            break
        except OSError:
            continue
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _status(pid: int) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "it disappeared"
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _child(rules: list[Rule], arch, feed: int, lifeline: int) -> None:
    try:
        os.setpgid(0, 0)  # its own process group: killed as a whole, and no Ctrl-C from the terminal
    except OSError:
        pass
    gc.freeze()  # leave the parent's objects alone: collecting them would copy every page
    threading.Thread(target=_watch, args=(lifeline,), daemon=True).start()
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    sink = _sink(null)
    os.dup2(sink, 1)
    os.dup2(sink, 2)
    sys.stdout = _Output(None)
    sys.stderr = _Output(None)
    written = 0
    for rule in rules:
        outcome = _evaluate(rule, arch)
        size = os.fstat(sink).st_size if sink != null else 0
        if size > written:  # written straight to the file descriptors (os.write, a subprocess)
            raw = os.pread(sink, min(size - written, OUTPUT_KEPT * 4), written).decode("utf-8", "replace")
            outcome = outcome[:-1] + (outcome[-1] + raw,)
            written = size
        outcome = outcome[:-1] + (outcome[-1][:OUTPUT_KEPT * 2],)
        try:
            data = marshal.dumps(outcome)
        except ValueError:
            data = marshal.dumps(("error", "E902", "returned a value that cannot be reported", ""))
        _write_all(feed, len(data).to_bytes(_HEADER, "big") + data)


def _sink(fallback: int) -> int:
    """Where the child's fd 1 and 2 go: an anonymous file read back after each rule, else /dev/null."""
    try:
        return os.memfd_create("wavalidate-rule-output")
    except (AttributeError, OSError):
        return fallback


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _watch(lifeline: int) -> None:
    try:
        os.read(lifeline, 1)  # returns when the parent closes its end, or dies
    finally:
        os._exit(1)


# -- threads, where there is no fork ---------------------------------------------------------


def _threaded(rules: list[Rule], arch, timeout: float) -> list[Outcome]:
    outputs = _Output(sys.stdout), _Output(sys.stderr)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = outputs
    abandoned = False
    try:
        outcomes = []
        for rule in rules:
            box: list[Outcome] = []
            # Bind this iteration's box and rule: a thread abandoned at its timeout must not append its late
            # result to the next rule's box.
            worker = threading.Thread(target=lambda box=box, rule=rule: box.append(_evaluate(rule, arch)), daemon=True,
                                      name=f"wavalidate rule {rule.code}")
            worker.start()
            worker.join(timeout if timeout > 0 else None)
            if box:
                outcomes.append(box[0])
            else:
                abandoned = True
                outcomes.append(("error", "E901", f"ran over its {timeout:g} s budget and was abandoned "
                                 "(it may still be running)", ""))
        return outcomes
    finally:
        # a rule still running keeps writing into these, which pass everyone else's writes through
        if not abandoned and (sys.stdout, sys.stderr) == outputs:
            sys.stdout, sys.stderr = saved


# -- outcomes as findings ---------------------------------------------------------------------


def _findings(rule: Rule, outcome: Outcome, document, options, where=None) -> list[Finding]:
    def internal(code: str, message: str, severity: str = ERROR) -> Finding:
        return Finding(document.name, document.source.locate(()), code, severity,
                       f"rule {rule.code} ({rule.name}, pack '{rule.pack}') {message}", INPUT_NAMES[code])

    output = " ".join(outcome[-1].split())
    said = ""
    if output:
        said = output if len(output) <= OUTPUT_KEPT else output[:OUTPUT_KEPT - 1] + "…"
    if outcome[0] == "error":
        return [internal(outcome[1], outcome[2] + (f"; it wrote: {said}" if said else ""))]
    severity = options.severity_overrides.get(rule.code)
    findings = []
    for path, message, own, on_key, related in outcome[1]:
        resource = path[1] if len(path) > 1 and path[0] == "resources" else ""
        owner, path = where(path) if where else (document, path)
        file, span = owner.locate(path, on_key)
        places = []
        for other in related:
            far, at = where(other) if where else (document, other)
            far_file, far_span = far.locate(at)
            places.append(Related(far_span, at, "" if far_file == file else far_file))
        findings.append(Finding(file, span, rule.code,
                                severity or own or rule.severity, message, rule.name, rule.pillar,
                                str(resource), path, related=tuple(places)))
    if said:
        findings.append(internal("W904", f"wrote to standard output or error, which wavalidate keeps out of its "
                                         f"reports: {said}", "low"))
    return findings
