"""A parse cache for configuration files: python-hcl2 dominates a run's time, and most files do not change.

A file's parsed Body is kept under a key made of the file's bytes, the name it is reported under, and everything
that could change the tree for the same bytes: the gate's version, python-hcl2's, Python's, and the source of the
modules that lower python-hcl2's tree (so an edited lowering never reads a stale tree). A miss, an unreadable or
corrupt entry, or an unusable cache directory only means parsing again; an input error is never cached, so it is
reported on every run.

Where: $PULSE_GATE_CACHE_DIR, else $XDG_CACHE_HOME/pulse-gate, else ~/.cache/pulse-gate; PULSE_GATE_CACHE=off turns
it off. Entries are pickles, so the directory must be private to the user (created 0700, and not read at all when
another user owns it). Writes go to a temporary file in the same directory and are renamed into place, so
concurrent runs never see half an entry.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile

from .. import __version__
from .nodes import Body   # not .syntax: a run answered from the cache never imports python-hcl2 and lark

FORMAT = "1"          # of the entries themselves
PARALLEL_BYTES = 256 * 1024     # below this much unparsed text in a directory, starting workers costs more than it saves
_LOWERING = ("nodes.py", "syntax.py", "jsonsyntax.py", "cache.py")
_salt: bytes | None = None
_ready: dict = {}                 # key -> result parsed ahead by prepare_directory, taken once
_prepared: set = set()            # directories already prepared in this process


def cache_dir() -> str | None:
    if os.environ.get("PULSE_GATE_CACHE", "").lower() in ("off", "0", "false", "no"):
        return None
    explicit = os.environ.get("PULSE_GATE_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pulse-gate")


def _version_salt() -> bytes:
    global _salt
    if _salt is None:
        h = hashlib.sha256()
        h.update(f"{FORMAT}|{__version__}|{sys.version}|{pickle.HIGHEST_PROTOCOL}|".encode())
        h.update(hcl2_version_source() or b"?")
        here = os.path.dirname(os.path.abspath(__file__))
        for name in _LOWERING:
            with open(os.path.join(here, name), "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
        _salt = h.digest()
    return _salt


def hcl2_version_source() -> bytes | None:
    """python-hcl2's generated version.py (its version and commit), found without importing the package; None when
    python-hcl2 is not installed."""
    spec = importlib.util.find_spec("hcl2")
    if spec is None or not spec.origin:
        return None
    try:
        with open(os.path.join(os.path.dirname(spec.origin), "version.py"), "rb") as fh:
            return fh.read()
    except OSError:
        return spec.origin.encode()


def key(content: bytes, path: str, display: str) -> str:
    h = hashlib.sha256(_version_salt())
    kind = ".tfvars.json" if path.endswith(".tfvars.json") else os.path.splitext(path)[1]
    h.update(f"\0{display}\0{kind}\0".encode())
    h.update(content)
    return h.hexdigest()


def _private(directory: str) -> bool:
    """The directory exists (created 0700 if need be) and belongs to this user: pickles from anyone else are code."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        return not hasattr(os, "getuid") or os.stat(directory).st_uid == os.getuid()
    except OSError:
        return False


@contextlib.contextmanager
def gc_paused():
    """Parsing builds a few hundred thousand short-lived objects and no cycles: collections there are pure cost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_file(path: str, display: str | None = None) -> Body:
    """syntax.parse_file, answered from the cache when the same bytes were parsed before."""
    return _cached("config", _parse_config, path, display or path, Body)


def parse_values_file(path: str, display: str | None = None) -> list:
    """syntax.parse_values_file ([(name, expression, line)]) behind the same cache."""
    return _cached("values", _parse_values, path, display or path, list)


def _parse_config(path: str, display: str) -> Body:
    from . import syntax
    return syntax.parse_file(path, display)


def _parse_values(path: str, display: str) -> list:
    from . import syntax
    return syntax.parse_values_file(path, display)


def _cached(kind: str, parse, path: str, display: str, expected: type):
    directory = cache_dir()
    if directory is not None and not _private(directory):
        directory = None
    if kind == "config":
        _prepare_directory(path, display, directory)
    try:
        with open(path, "rb") as fh:
            content = fh.read()
    except OSError:               # let the parser report the unreadable file as an input error
        with gc_paused():
            return parse(path, display)
    name = key(content, path, f"{kind}:{display}")
    result = _ready.pop(name, None)
    if result is not None:
        return result
    entry = os.path.join(directory, name + ".pickle") if directory else None
    result = _load(entry, expected) if entry else None
    if result is None:
        with gc_paused():
            result = parse(path, display)
        if entry:
            _store(entry, result)
    return result


def _prepare_directory(path: str, display: str, directory: str | None):
    """The loader reads every configuration file of a module directory, one after the other; when the ones not yet
    cached add up to enough text, parse them all at once in worker processes (python-hcl2 is pure Python, so threads
    would not help), so a large flat root is parsed on every core."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder in _prepared:
        return
    _prepared.add(folder)
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or "fork" not in _start_methods():
        return
    from .loader import config_files
    prefix = display[: len(display) - len(os.path.basename(path))]   # the module's relative directory, or ""
    todo = []
    for name in sum(config_files(folder), []):
        full = os.path.join(folder, name)
        try:
            with open(full, "rb") as fh:
                content = fh.read()
        except OSError:
            continue
        entry_key = key(content, full, f"config:{prefix}{name}")
        if directory and os.path.exists(os.path.join(directory, entry_key + ".pickle")):
            continue
        todo.append((len(content), full, prefix + name, entry_key))
    if len(todo) < 2 or sum(t[0] for t in todo) < PARALLEL_BYTES:
        return
    import concurrent.futures
    import multiprocessing
    todo.sort(reverse=True)       # largest first: the workers finish together
    with concurrent.futures.ProcessPoolExecutor(min(workers, len(todo)),
                                                mp_context=multiprocessing.get_context("fork")) as pool:
        for (_, _, _, entry_key), result in zip(todo, pool.map(_parse_ahead, [(t[1], t[2]) for t in todo])):
            if result is None:
                continue          # an error: the loader parses that file itself and reports it in order
            _ready[entry_key] = result
            if directory:
                _store(os.path.join(directory, entry_key + ".pickle"), result)


def _start_methods() -> list:
    import multiprocessing
    return multiprocessing.get_all_start_methods()


def _parse_ahead(job):
    path, display = job
    try:
        with gc_paused():
            return _parse_config(path, display)
    except Exception:  # noqa: BLE001 - reported by the loader's own parse, in its order
        return None


def _load(entry: str, expected: type):
    try:
        with open(entry, "rb") as fh, gc_paused():
            result = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a corrupt or foreign entry is a miss, never an error
        return None
    return result if isinstance(result, expected) else None


def _store(entry: str, result):
    directory = os.path.dirname(entry)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pickle")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)        # atomic: a concurrent reader sees the old entry, none, or this one whole
    except Exception:  # noqa: BLE001 - a full disk or an unpicklable result only costs the cache
        with contextlib.suppress(OSError):
            os.unlink(tmp)
