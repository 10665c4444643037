"""The speed pieces: the parse cache (content-keyed, atomic, never caching an error), the address index, progress."""
from __future__ import annotations

import io
import os
import time

import pytest

from pulse_gate.errors import InputError
from pulse_gate.hcl import cache, syntax
from pulse_gate.model import Model, Resource
from pulse_gate.report.progress import progress

TF = 'resource "azurerm_storage_account" "main" {\n  name = "st${var.x}"\n}\n'


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("PULSE_GATE_CACHE_DIR", str(directory))
    monkeypatch.delenv("PULSE_GATE_CACHE", raising=False)
    return directory


def _entries(directory):
    return sorted(p for p in os.listdir(directory) if p.endswith(".pickle") and not p.startswith(".tmp"))


def test_a_second_parse_of_the_same_bytes_comes_from_the_cache(tmp_path, cache_dir, monkeypatch):
    f = tmp_path / "main.tf"
    f.write_text(TF)
    first = cache.parse_file(str(f), "main.tf")
    assert len(_entries(cache_dir)) == 1
    assert oct(os.stat(cache_dir).st_mode & 0o777) == "0o700"

    def must_not_parse(*_):
        raise AssertionError("parsed again")
    monkeypatch.setattr(syntax, "parse_file", must_not_parse)
    assert cache.parse_file(str(f), "main.tf") == first


def test_changed_bytes_or_name_are_a_miss(tmp_path, cache_dir):
    f = tmp_path / "main.tf"
    f.write_text(TF)
    cache.parse_file(str(f), "main.tf")
    cache.parse_file(str(f), "modules/x/main.tf")     # the name is part of the tree (file:line in findings)
    f.write_text(TF.replace("st", "sa"))
    changed = cache.parse_file(str(f), "main.tf")
    assert len(_entries(cache_dir)) == 3
    assert "sa" in repr(changed) and "\"st\"" not in repr(changed)


def test_an_input_error_is_never_cached(tmp_path, cache_dir):
    f = tmp_path / "main.tf"
    f.write_text('resource "x" "y" {\n  a = \n}\n')
    for _ in range(2):
        with pytest.raises(InputError, match="malformed HCL"):
            cache.parse_file(str(f), "main.tf")
    assert not cache_dir.exists() or _entries(cache_dir) == []


def test_a_corrupt_entry_is_a_miss(tmp_path, cache_dir):
    f = tmp_path / "main.tf"
    f.write_text(TF)
    expected = cache.parse_file(str(f), "main.tf")
    [entry] = _entries(cache_dir)
    (cache_dir / entry).write_bytes(b"not a pickle")
    assert cache.parse_file(str(f), "main.tf") == expected


def test_values_files_are_cached_too(tmp_path, cache_dir):
    f = tmp_path / "dev.tfvars"
    f.write_text('x = "a"\n')
    assert cache.parse_values_file(str(f), "dev.tfvars") == syntax.parse_values_file(str(f), "dev.tfvars")
    assert len(_entries(cache_dir)) == 1


def test_off_means_off(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("PULSE_GATE_CACHE", "off")
    f = tmp_path / "main.tf"
    f.write_text(TF)
    cache.parse_file(str(f), "main.tf")
    assert not cache_dir.exists()


def test_the_key_covers_the_lowering_source(monkeypatch):
    before = cache.key(b"x", "main.tf", "main.tf")
    monkeypatch.setattr(cache, "_salt", b"another lowering")
    assert cache.key(b"x", "main.tf", "main.tf") != before


# -- Model.by_address ------------------------------------------------------------------------------------------------
def _res(address: str) -> Resource:
    return Resource(address, "azurerm_storage_account", address.rsplit(".", 1)[-1], "", "managed", {}, "main.tf", 1)


def test_by_address_finds_the_first_and_follows_edits():
    m = Model("dev", ".")
    a, b, b2 = _res("azurerm_storage_account.a"), _res("azurerm_storage_account.b"), _res("azurerm_storage_account.b")
    m.resources += [a, b, b2]
    assert m.by_address("azurerm_storage_account.b") is b and m.by_address("nope") is None
    c = _res("azurerm_storage_account.c")
    m.resources.append(c)                               # grew: re-indexed
    assert m.by_address("azurerm_storage_account.c") is c
    m.resources[1] = _res("azurerm_storage_account.z")  # replaced in place: still right
    assert m.by_address("azurerm_storage_account.b") is b2
    m.resources = [a]                                   # a new list
    assert m.by_address("azurerm_storage_account.c") is None and m.by_address("azurerm_storage_account.a") is a


def test_model_equality_ignores_the_index():
    m1, m2 = Model("dev", "."), Model("dev", ".")
    m1.resources.append(_res("azurerm_storage_account.a"))
    m2.resources.append(_res("azurerm_storage_account.a"))
    m1.by_address("azurerm_storage_account.a")
    assert m1 == m2


# -- progress ---------------------------------------------------------------------------------------------------------
class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_and_only_when_slow():
    tty, pipe = _Tty(), io.StringIO()
    with progress("evaluating", tty, delay=0.05, interval=0.02):
        time.sleep(0.2)
    with progress("evaluating", pipe, delay=0.05, interval=0.02):
        time.sleep(0.2)
    quick = _Tty()
    with progress("evaluating", quick, delay=5):
        pass
    assert "pulse-gate: evaluating..." in tty.getvalue() and tty.getvalue().endswith("\r\x1b[K")
    assert pipe.getvalue() == "" and quick.getvalue() == ""


# -- a large directory is parsed on every core ------------------------------------------------------------------------
def test_a_directory_parsed_ahead_in_workers_gives_the_same_trees(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(cache.os, "cpu_count", lambda: 2)
    for n in range(4):
        (tmp_path / f"r{n}.tf").write_text(TF.replace("main", f"m{n}"))
    first = cache.parse_file(str(tmp_path / "r0.tf"), "mod/r0.tf")
    assert len(_entries(cache_dir)) == 4          # the siblings were parsed ahead, under the loader's names
    for n in range(4):
        assert cache.parse_file(str(tmp_path / f"r{n}.tf"), f"mod/r{n}.tf") == \
            syntax.parse_file(str(tmp_path / f"r{n}.tf"), f"mod/r{n}.tf")
    assert first == syntax.parse_file(str(tmp_path / "r0.tf"), "mod/r0.tf")


def test_a_broken_sibling_is_still_reported_by_the_loader_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(cache.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PULSE_GATE_CACHE", "off")
    (tmp_path / "a.tf").write_text(TF)
    (tmp_path / "b.tf").write_text('resource "x" "y" {\n  a = \n}\n')
    assert cache.parse_file(str(tmp_path / "a.tf"), "a.tf") == syntax.parse_file(str(tmp_path / "a.tf"), "a.tf")
    with pytest.raises(InputError) as err:
        cache.parse_file(str(tmp_path / "b.tf"), "b.tf")
    assert (err.value.file, err.value.line) == ("b.tf", 2)


def test_a_run_answered_from_the_cache_never_imports_python_hcl2(tmp_path, cache_dir):
    """Importing python-hcl2 and lark is most of a repeat run's time: with every file in the cache, neither loads."""
    import subprocess
    import sys
    (tmp_path / "main.tf").write_text(TF.replace("${var.x}", "example"))
    code = ("import sys\nfrom pulse_gate.cli import main\ntry:\n    main(['check', '--root', sys.argv[1], "
            "'--policy-data', 'none'])\nexcept SystemExit:\n    pass\n"
            "print('loaded:', sorted(m for m in ('hcl2', 'lark') if m in sys.modules))")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    def loaded():
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=repo,
                             env=dict(os.environ), check=False).stdout
        return out.strip().splitlines()[-1]
    assert loaded() == "loaded: ['hcl2', 'lark']"     # cold: parsed
    assert loaded() == "loaded: []"                   # repeat: from the cache


def test_version_names_python_hcl2_without_importing_it():
    from pulse_gate.report import versions
    from hcl2.version import __version__ as installed
    assert versions()["python_hcl2"] == installed
