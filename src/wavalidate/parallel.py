"""Checking many files at once: on every core (`--jobs`), from a result cache (`--cache`), one CI shard (`--shard`).

The unit of work is a group of files checked together: today a file, with
composition a file and the files it uses. Each group is checked by the same
function as in a single process (`engine.file_result`), so a group's
findings do not depend on where it ran; the report puts them back in the
order of the command line, so the output is byte for byte that of
`--jobs 1`.

Workers are forked processes, fed one group at a time (largest first, so
the last to finish is a small one) over a pipe. A worker that dies while it
checks a group (a crash in the loader, the memory killer) costs that group
an E900 finding and is replaced; the other groups are unaffected. Results
cross the pipe pickled: both ends are this program, nothing is read back
from disk that way (the cache is JSON, see cache.py).
"""
from __future__ import annotations

import os
import pickle
import select
import signal
from typing import Callable, Mapping, Optional, Sequence

from .findings import ERROR, Finding
from .locations import START
from .results import FileResult

_HEADER = 4  # bytes of length before each message on a pipe


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    from .isolation import _can_fork
    return _can_fork()


def run_all(paths: Sequence[str], check: Callable[[str], FileResult], jobs: int) -> list[FileResult]:
    """`check(path)` for every path, in `jobs` forked workers when more than one; results in the paths' order."""
    if jobs <= 1 or len(paths) <= 1 or not can_fork():
        return [check(path) for path in paths]
    return _Pool(paths, check, min(jobs, len(paths))).run()


def slim(result: FileResult) -> FileResult:
    """What a worker sends back: the findings and whether the file validated, not the document."""
    return FileResult(result.file, result.findings, None, result.valid)


def crashed(path: str, how: str) -> FileResult:
    message = f"checking this file ended its worker process ({how}); the other files were checked"
    return FileResult(path, (Finding(path, START, "E900", ERROR, message, "rule-crashed"),))


class _Worker:
    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.index: Optional[int] = None   # the group it is checking
        self.buffer = b""


class _Pool:
    def __init__(self, paths: Sequence[str], check: Callable[[str], FileResult], size: int) -> None:
        self.paths, self.check, self.size = list(paths), check, size
        self.results: list[Optional[FileResult]] = [None] * len(self.paths)
        self.queue = sorted(range(len(self.paths)), key=_size_of(self.paths), reverse=True)
        self.queue.reverse()  # pop() takes the largest first
        self.workers: dict[int, _Worker] = {}  # by result descriptor

    def run(self) -> list[FileResult]:
        try:
            for _ in range(self.size):
                self._start()
            for worker in list(self.workers.values()):
                self._feed(worker)
            poller = select.poll()
            for fd in self.workers:
                poller.register(fd, select.POLLIN)
            while any(worker.index is not None for worker in self.workers.values()):
                for fd, _ in poller.poll():
                    worker = self.workers[fd]
                    chunk = os.read(fd, 1 << 20)
                    if chunk:
                        worker.buffer += chunk
                        self._take(worker)
                        continue
                    poller.unregister(fd)   # the worker died
                    self._lost(worker)
                    if self.queue:
                        fresh = self._start()
                        poller.register(fresh.results, select.POLLIN)
                        self._feed(fresh)
        finally:
            self._stop()
        return [result for result in self.results if result is not None]

    def _start(self) -> _Worker:
        for stream in ("stdout", "stderr"):  # unwritten buffers would be written twice
            try:
                getattr(__import__("sys"), stream).flush()
            except Exception:
                pass
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            try:
                os.close(task_write)
                os.close(result_read)
                for other in self.workers.values():
                    os.close(other.tasks)
                    os.close(other.results)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _serve(self.paths, self.check, task_read, result_write)
            finally:
                os._exit(0)
        os.close(task_read)
        os.close(result_write)
        worker = _Worker(pid, task_write, result_read)
        self.workers[result_read] = worker
        return worker

    def _feed(self, worker: _Worker) -> None:
        if not self.queue:
            worker.index = None
            return
        worker.index = self.queue.pop()
        _write(worker.tasks, worker.index.to_bytes(_HEADER, "big"))

    def _take(self, worker: _Worker) -> None:
        while len(worker.buffer) >= _HEADER:
            size = int.from_bytes(worker.buffer[:_HEADER], "big")
            if len(worker.buffer) < _HEADER + size:
                return
            payload, worker.buffer = worker.buffer[_HEADER:_HEADER + size], worker.buffer[_HEADER + size:]
            if worker.index is not None:
                self.results[worker.index] = pickle.loads(payload)  # from our own forked worker
            self._feed(worker)

    def _lost(self, worker: _Worker) -> None:
        del self.workers[worker.results]
        os.close(worker.results)
        os.close(worker.tasks)
        how = _reap(worker.pid)
        if worker.index is not None:
            self.results[worker.index] = crashed(self.paths[worker.index], how)
            worker.index = None

    def _stop(self) -> None:
        for worker in self.workers.values():
            for fd in (worker.tasks, worker.results):
                try:
                    os.close(fd)   # a waiting worker reads end of file and exits
                except OSError:
                    pass
            if worker.index is not None:  # interrupted while it worked
                try:
                    os.kill(worker.pid, signal.SIGKILL)
                except OSError:
                    pass
        for worker in self.workers.values():
            _reap(worker.pid)
        self.workers.clear()


def _serve(paths: list[str], check: Callable[[str], FileResult], tasks: int, results: int) -> None:
    """A worker's loop: read a group's index, check it, send its slim result; until the pipe closes."""
    while True:
        header = _read_exactly(tasks, _HEADER)
        if len(header) < _HEADER:
            return
        result = slim(check(paths[int.from_bytes(header, "big")]))
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        _write(results, len(payload).to_bytes(_HEADER, "big") + payload)


def _read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _reap(pid: int) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "status unknown"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else "status unknown"


def _size_of(paths: list[str]) -> Callable[[int], tuple]:
    def size(index: int) -> tuple:
        try:
            return (os.stat(paths[index]).st_size, -index)
        except OSError:
            return (0, -index)
    return size


def check_all(paths: Sequence[str], rules: Sequence, options, jobs: int = 1, cache: Optional[str] = None,
              readers: Mapping[str, Callable[[], str]] = {}) -> list[FileResult]:
    """`engine.file_result` of every path, from the cache where it holds them, the others on `jobs` workers.
    A path with a reader in `readers` (a version from git) is read by it, and never cached."""
    from .engine import file_result

    def check(path: str) -> FileResult:
        return file_result(path, rules, options, readers.get(path))
    if cache is None:
        return run_all(paths, check, jobs)
    from .cache import Cache
    store = Cache(cache, rules, options)
    results: list[Optional[FileResult]] = [None] * len(paths)
    keys: list[Optional[str]] = []
    for index, path in enumerate(paths):
        key = None if path in readers else store.key(group_of(path))
        keys.append(key)
        if key is not None:
            results[index] = store.get(key, path)
    missing = [index for index, result in enumerate(results) if result is None]
    for index, result in zip(missing, run_all([paths[i] for i in missing], check, jobs)):
        results[index] = result
        key = keys[index]
        if key is not None and store.key(group_of(paths[index])) == key:  # not changed while it was checked
            store.put(key, result)
    return [result for result in results if result is not None]


def group_of(path: str) -> list[str]:
    """The files checked together with `path`, whose content its findings depend on: for now the file itself."""
    return [path]


def cache_folder(folder: str) -> str:
    """`--cache DIR`, refused inside the repository root: a pull request could plant entries there."""
    from .configured import UsageProblem
    from .files import inside, policy
    current = policy()
    resolved = os.path.realpath(folder)
    if current is not None and inside(resolved, current.root):
        raise UsageProblem(f"--cache '{folder}' is inside the repository root, where a pull request could plant "
                           "results; keep it outside (e.g. in $RUNNER_TEMP or ~/.cache)")
    if os.path.islink(folder.rstrip(os.sep) or folder):
        raise UsageProblem(f"--cache '{folder}' is a symbolic link; name the folder itself")
    return folder


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1 <= K <= N) as (K, N); ValueError otherwise."""
    left, slash, right = text.partition("/")
    if not (slash and left.strip().isdigit() and right.strip().isdigit()):
        raise ValueError(f"--shard {text!r} is not K/N (e.g. 2/4)")
    k, n = int(left), int(right)
    if not 1 <= k <= n:
        raise ValueError(f"--shard {text!r}: K must be between 1 and N")
    return k, n


def shard(paths: Sequence[str], k: int, n: int) -> list[str]:
    """The paths of shard K of N, in their given order.

    Groups of files checked together are never split. Each group, largest
    first (ties by name), goes to the shard with the fewest bytes so far (ties
    to the lowest number): every job of a CI matrix computes the same split
    from the same checkout, whatever the machine or the order of the files.
    """
    groups: dict[tuple, list[str]] = {}
    for path in paths:
        groups.setdefault(tuple(sorted(_name(p) for p in group_of(path))), []).append(path)
    totals = [0] * n
    mine: set[str] = set()
    for _, given in sorted(groups.items(), key=lambda item: (-_bytes(item[1]), item[0])):
        target = min(range(n), key=lambda i: (totals[i], i))
        totals[target] += _bytes(given)
        if target == k - 1:
            mine.update(given)
    return [path for path in paths if path in mine]


def _name(path: str) -> str:
    """A path the same on every machine: relative to the current folder, with forward slashes."""
    return os.path.relpath(os.path.abspath(path)).replace(os.sep, "/")


def _bytes(paths: Sequence[str]) -> int:
    total = 1   # an empty or unreadable file still costs a check
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
    return total
