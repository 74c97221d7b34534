"""Finding rule packs (without importing them) and loading them (reporting failures by name).

Packs come from three places only: the built-in pack, installed packages that
declare the `wavalidate.rules` entry point, and folders or files the user names
with `--rules`. Nothing next to the checked file is ever imported.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import io
import os
import pkgutil
import signal
import sys
import threading
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Iterable

from .api import ATTRIBUTE, Rule
from .entrypoints import entry_points

BUILTIN = "wavalidate_rules"
GROUP = "wavalidate.rules"


@dataclass(frozen=True)
class Pack:
    name: str
    origin: str   # builtin, entry-point or path
    target: str   # a module name, or a filesystem path


class PluginError(Exception):
    def __init__(self, pack: str, message: str) -> None:
        super().__init__(f"rule pack '{pack}': {message}")
        self.pack = pack


def find_packs(paths: Iterable[str] = ()) -> list[Pack]:
    """The packs to load, in a stable order; nothing is imported here."""
    packs = [Pack("builtin", "builtin", BUILTIN)]
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        if point.value.split(":")[0] != BUILTIN:
            packs.append(Pack(point.name, "entry-point", point.value.split(":")[0]))
    packs.extend(Pack(os.path.basename(os.path.normpath(p)) or p, "path", os.path.abspath(p)) for p in paths)
    return packs


def load_rules(paths: Iterable[str] = ()) -> tuple[list[Rule], list[PluginError]]:
    """Every rule of every pack, sorted by code, and the packs that failed."""
    rules: dict[str, Rule] = {}
    errors: list[PluginError] = []
    for pack in find_packs(paths):
        found, failed = load_pack(pack)
        errors.extend(failed)
        for item in found:
            if item.code in rules:
                errors.append(PluginError(pack.name, f"rule {item.code} is already defined by "
                                          f"'{rules[item.code].pack}'"))
                continue
            rules[item.code] = item
    return [rules[code] for code in sorted(rules)], errors


# What importing a pack may raise without ending the run: a module that calls sys.exit() or raises
# KeyboardInterrupt at import is a broken pack like any other (a real Ctrl-C still ends the run).
_FAILURES = (Exception, SystemExit, KeyboardInterrupt)


def load_pack(pack: Pack) -> tuple[list[Rule], list[PluginError]]:
    """The rules of one pack; a module that fails to import is reported and skipped."""
    errors: list[str] = []
    try:
        with _Guard():
            modules = _modules_from_path(pack.target, errors) if pack.origin == "path" else \
                _modules_from_name(pack.target, errors)
    except PluginError as error:
        return [], [error]
    except _FAILURES as error:  # a broken pack must not stop the others
        _reraise_a_real_interrupt(error)
        return [], [PluginError(pack.name, f"failed to import: {_describe(error)}")]
    found: list[Rule] = []
    for module in modules:
        for value in vars(module).values():
            declared = getattr(value, ATTRIBUTE, None)
            if isinstance(declared, Rule) and getattr(value, "__module__", None) == module.__name__:
                found.append(replace(declared, pack=pack.name))
    return sorted(found, key=lambda r: r.code), [PluginError(pack.name, message) for message in errors]


def _import_each(names: Iterable[str], errors: list[str]) -> list[ModuleType]:
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except _FAILURES as error:  # one broken module must not hide its siblings' rules
            _reraise_a_real_interrupt(error)
            errors.append(f"module {name.rsplit('.', 1)[-1]} failed to import: {_describe(error)}")
    return modules


def _modules_from_name(name: str, errors: list[str]) -> list[ModuleType]:
    module = importlib.import_module(name)
    if not hasattr(module, "__path__"):
        return [module]
    children = [f"{name}.{info.name}" for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name)
                if not info.name.startswith("_")]
    return [module] + _import_each(children, errors)


def _modules_from_path(path: str, errors: list[str]) -> list[ModuleType]:
    if not os.path.exists(path):
        raise PluginError(path, "no such file or folder")
    digest = hashlib.sha1(path.encode()).hexdigest()[:8]
    if os.path.isfile(path):
        return [_import_file(f"wavalidate_local_{digest}", path)]
    if os.path.isfile(os.path.join(path, "__init__.py")):
        package = f"wavalidate_local_{digest}"
        spec = importlib.util.spec_from_file_location(package, os.path.join(path, "__init__.py"),
                                                      submodule_search_locations=[path])
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[package] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return [module] + _import_each([f"{package}.{info.name}" for info in sorted(
            pkgutil.iter_modules([path]), key=lambda i: i.name) if not info.name.startswith("_")], errors)
    modules = []
    for name in sorted(os.listdir(path)):
        if name.endswith(".py") and not name.startswith("_"):
            try:
                modules.append(_import_file(f"wavalidate_local_{digest}_{name[:-3]}", os.path.join(path, name)))
            except _FAILURES as error:  # keep the folder's other modules
                _reraise_a_real_interrupt(error)
                errors.append(f"{name} failed to import: {_describe(error)}")
    return modules


def _import_file(module_name: str, file: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise PluginError(file, "not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _describe(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"tried to end the run (SystemExit: {error.code!r})"
    return f"{type(error).__name__}: {error}"


_INTERRUPTED = threading.Event()


def _reraise_a_real_interrupt(error: BaseException) -> None:
    if isinstance(error, KeyboardInterrupt) and _INTERRUPTED.is_set():
        raise error


class _Sink(io.StringIO):
    def close(self) -> None:  # a pack that closes sys.stdout closes nothing of ours
        pass


class _Guard:
    """While a pack imports: what it prints is kept out of the outputs (stdout may be a report), and a
    real Ctrl-C is told apart from a KeyboardInterrupt the pack raises itself."""

    def __enter__(self) -> "_Guard":
        self.streams = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = _Sink()
        self.handler = None
        _INTERRUPTED.clear()
        if threading.current_thread() is threading.main_thread():
            self.handler = signal.signal(signal.SIGINT, self._interrupt)
        return self

    @staticmethod
    def _interrupt(signum, frame) -> None:
        _INTERRUPTED.set()
        raise KeyboardInterrupt

    def __exit__(self, *exc) -> None:
        sys.stdout, sys.stderr = self.streams
        if self.handler is not None:
            signal.signal(signal.SIGINT, self.handler)
