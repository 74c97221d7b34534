"""`check --jobs` and `check --cache`: the output is byte for byte that of one process without a cache."""
from __future__ import annotations

import glob
import json
import os
import shutil

import pytest
from click.testing import CliRunner

from wavalidate import cache as caching
from wavalidate.cli import main
from wavalidate.parallel import run_all
from wavalidate.results import FileResult

from .conftest import SAMPLES

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A checkout of a few samples, one broken file and one waiver-style suppression; the cache outside it."""
    checkout = tmp_path / "repo"
    checkout.mkdir()
    (checkout / ".git").mkdir()
    names = sorted(glob.glob(os.path.join(SAMPLES, "*.yaml")))[:5]
    for name in names:
        shutil.copy(name, checkout / os.path.basename(name))
    (checkout / "broken.yaml").write_text("version: 1\nresources: [\n")
    monkeypatch.chdir(checkout)
    return checkout


def check(*args):
    result = CliRunner().invoke(main, ["check", *sorted(glob.glob("*.yaml")), "--today", "2026-01-15", *args],
                                catch_exceptions=False)
    return result.exit_code, result.output


@needs_fork
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_jobs_give_the_output_of_one_process(repo, fmt):
    one = check("--jobs", "1", "-f", fmt)
    assert one[0] == 2   # broken.yaml
    assert check("--jobs", "2", "-f", fmt) == one
    assert check("--jobs", "3", "-f", fmt) == one
    assert check("-f", fmt) == one   # the default: a worker per CPU


@needs_fork
def test_a_worker_that_dies_costs_only_its_file_an_E900(monkeypatch):
    import wavalidate.parallel
    monkeypatch.setattr(wavalidate.parallel, "can_fork", lambda: True)   # another test may have left a thread

    def checked(path: str) -> FileResult:
        if path == "b":
            os._exit(7)
        return FileResult(path, ())
    results = run_all(["a", "b", "c", "d"], checked, 2)
    assert [r.file for r in results] == ["a", "b", "c", "d"]
    assert [r.findings for r in results if r.file != "b"] == [(), (), ()]
    (finding,) = results[1].findings
    assert (finding.code, finding.file) == ("E900", "b")
    assert "exit status 7" in finding.message


def test_a_warm_cache_gives_the_same_output(repo, tmp_path):
    folder = tmp_path / "cache"
    cold = check("--jobs", "1", "-f", "json")
    assert check("--cache", str(folder), "-f", "json") == cold
    entries = glob.glob(str(folder / "*" / "*.json"))
    assert len(entries) == 6   # every file, the broken one too
    for entry in entries:  # the second run reads them all
        os.utime(entry, (0, 0))
    assert check("--cache", str(folder), "-f", "json") == cold
    assert check("--cache", str(folder), "-f", "text", "--jobs", "2") == check("--jobs", "1")


def test_a_changed_file_or_rule_set_misses(repo, tmp_path):
    folder = str(tmp_path / "cache")
    check("--cache", folder)
    before = set(glob.glob(os.path.join(folder, "*", "*.json")))
    name = sorted(glob.glob("*.yaml"))[1]
    with open(name, "a") as stream:
        stream.write("\n# a comment changes the content\n")
    check("--cache", folder)
    assert len(set(glob.glob(os.path.join(folder, "*", "*.json"))) - before) == 1
    assert check("--cache", folder, "--select", "REL") == check("--select", "REL", "--jobs", "1")


def test_corrupt_and_forged_entries_are_ignored(repo, tmp_path):
    folder = tmp_path / "cache"
    expected = check("--jobs", "1", "-f", "json")
    check("--cache", str(folder))
    entries = sorted(glob.glob(str(folder / "*" / "*.json")))
    forged = []
    for index, entry in enumerate(entries):
        with open(entry) as stream:
            data = json.load(stream)
        if index % 3 == 0:     # garbage
            text = "{not json"
        elif index % 3 == 1:   # the right key, findings taken away but with a field of the wrong type
            data["findings"] = [{"file": data["file"], "span": [1, 1, 1, "1"]}]
            text = json.dumps(data)
        else:                  # another entry's content under this key (a foreign entry)
            data["key"] = "0" * 64
            data["findings"] = []
            text = json.dumps(data)
        forged.append(text)
        with open(entry, "w") as stream:
            stream.write(text)
    assert check("--cache", str(folder), "-f", "json") == expected
    for entry, text in zip(entries, forged):  # each was checked again, and rewritten
        with open(entry) as stream:
            assert stream.read() != text


def test_an_entry_of_the_right_shape_for_another_file_is_not_used(tmp_path):
    store_entry = {"format": caching.FORMAT, "version": "0.0.0", "key": "k", "file": "a.yaml", "valid": True,
                   "findings": []}
    assert caching._result(store_entry, "k", "a.yaml") is None   # another version
    store_entry["version"] = caching.__version__
    assert caching._result(store_entry, "k", "b.yaml") is None   # another file
    assert caching._result(store_entry, "k", "a.yaml") == FileResult("a.yaml", (), None, True)
    store_entry["extra"] = 1
    assert caching._result(store_entry, "k", "a.yaml") is None


def test_the_cache_folder_must_be_outside_the_repository(repo):
    code, output = check("--cache", "cache")
    assert code == 2 and "inside the repository root" in output
    assert not os.path.exists("cache")


def test_the_key_is_the_same_in_every_process():
    import subprocess
    import sys
    program = ("from wavalidate import cache; from wavalidate.plugins import load_rules; "
               "from wavalidate.engine import Options; rules, _ = load_rules([]); "
               "print(cache.Cache('/nowhere', rules, Options()).salt)")
    salts = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(salts) == 1 and len(salts.pop()) == 65


def test_shards_cover_every_file_once_balanced_by_size(tmp_path, monkeypatch):
    from wavalidate.parallel import shard
    monkeypatch.chdir(tmp_path)
    sizes = [5000, 100, 2500, 2400, 300, 50, 4000, 10]
    names = []
    for index, size in enumerate(sizes):
        name = f"f{index}.yaml"
        (tmp_path / name).write_text("#" * size)
        names.append(name)
    parts = [shard(names, k, 3) for k in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == sorted(names)
    for part in parts:  # in the given order
        assert part == [n for n in names if n in part]
    totals = [sum(os.path.getsize(p) for p in part) for part in parts]
    assert max(totals) - min(totals) <= max(sizes) // 2
    # the same split whatever the order the files are named in
    assert [sorted(shard(list(reversed(names)), k, 3)) for k in (1, 2, 3)] == [sorted(p) for p in parts]
    assert shard(names[:1], 2, 2) == []


def test_shard_option_and_sarif_category(repo):
    files = sorted(glob.glob("*.yaml"))
    seen = []
    for k in (1, 2):
        code, output = check("--shard", f"{k}/2", "-f", "sarif", "--jobs", "1")
        run = json.loads(output)["runs"][0]
        assert run["runAutomationDetails"] == {"id": f"wavalidate/shard-{k}-of-2/"}
        code, output = check("--shard", f"{k}/2", "-f", "json", "--jobs", "1")
        seen += json.loads(output)["files"]
    assert sorted(seen) == files
    assert "runAutomationDetails" not in check("-f", "sarif")[1]
    for bad in ("3/2", "0/2", "a/b", "2"):
        code, output = check("--shard", bad)
        assert code == 2 and "--shard" in output
