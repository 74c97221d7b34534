"""Issue 12, files: what a pull request's checkout can do to the readers and writers (see docs/security.md).

The end-to-end run as the GitHub Action does it is tests/test_hostile_repo.py; these test each reader and
writer on its own, in-process.
"""
from __future__ import annotations

import json
import os
import re
import stat

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wavalidate import baseline, config, files, suppress
from wavalidate.cli import main
from wavalidate.findings import Finding
from wavalidate.locations import Span

from .conftest import SAMPLES

HPC = os.path.join(SAMPLES, "hpc-cluster.yaml")
SECRET = "ghp_0123456789abcdefSECRETSECRETSECRET"


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository (a `.git` folder) as the current directory, and a secret outside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (tmp_path / "secret").write_text(f"https://ci:{SECRET}@github.com\n")
    monkeypatch.chdir(root)
    with open(HPC, encoding="utf-8") as handle:
        (root / "hpc.yaml").write_text(handle.read())
    return root


def test_the_root_is_found_by_looking_for_git_never_by_running_it(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert files.repository_root(str(tmp_path / "a" / "b")) == os.path.realpath(tmp_path / "a" / "b")
    (tmp_path / "a" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's `.git` is a file
    assert files.repository_root(str(tmp_path / "a" / "b")) == os.path.realpath(tmp_path / "a")


def test_an_input_linked_out_of_the_root_is_refused_without_echoing_it(repo):
    os.symlink(repo.parent / "secret", "x.yaml")
    result = run("check", "x.yaml")
    assert result.exit_code == 2 and SECRET[:12] not in result.output
    assert "x.yaml:1:1: error E106 'x.yaml' leads outside the repository root (through a symbolic link)" \
        in result.output
    result = run("check", "x.yaml", "--allow-outside-root")  # named, and the user said so: read
    assert "x.yaml:1:1: error E105" in result.output


def test_a_name_outside_the_root_needs_the_option_and_a_link_inside_it_is_fine(repo):
    assert "leads outside the repository root; name it with --allow-outside-root" in run("check", HPC).output
    assert run("check", HPC, "--allow-outside-root", "--fail-on", "never").exit_code == 0
    os.mkdir("infra")
    os.symlink(os.path.join("..", "hpc.yaml"), os.path.join("infra", "linked.yaml"))
    assert run("check", "infra/linked.yaml", "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_non_regular_inputs_are_refused_at_once(repo, kind):
    if kind == "fifo":
        os.mkfifo("x.yaml")
    elif kind == "dev-zero":
        os.symlink("/dev/zero", "x.yaml")
    else:
        os.mkdir("x.yaml")
    for args in (["check", "x.yaml"], ["check", "x.yaml", "--allow-outside-root"], ["render", "x.yaml", "-f", "dot"],
                 ["import", "cloudformation", "x.yaml"], ["diff", "x.yaml", "hpc.yaml"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "x.yaml" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("option", ["--waivers", "--baseline", "--requirements", "--config"])
def test_side_files_that_are_fifos_or_links_out_are_refused(repo, option):
    os.mkfifo("fifo.yaml")
    os.symlink(repo.parent / "secret", "link.yaml")
    for name in ("fifo.yaml", "link.yaml"):
        result = run("check", "hpc.yaml", option, name, "--fail-on", "never")
        assert result.exit_code == 2, (option, name, result.output)
        assert name in result.output and SECRET[:12] not in result.output


def test_a_found_config_cannot_reach_outside_the_root_even_with_the_option(repo):
    os.mkfifo("fifo.yaml")
    (repo.parent / "other.yaml").write_text("version: 1\nwaivers: []\n")
    (repo / ".wavalidate.yaml").write_text(f"waivers: [{repo.parent / 'secret'}, ../other.yaml, fifo.yaml]\n")
    for extra in ([], ["--allow-outside-root"]):
        result = run("check", "hpc.yaml", "-f", "json", "--fail-on", "never", *extra)
        assert result.exit_code == 2 and SECRET[:12] not in result.output
        problems = [f for f in json.loads(result.output)["findings"] if f["code"] == "E106"]
        assert len(problems) == 3, problems
        assert "found rather than chosen" in problems[0]["message"]
    # chosen with --config (trusted) and --allow-outside-root: its waiver outside the root is read
    chosen = run("check", "hpc.yaml", "--config", ".wavalidate.yaml", "--allow-outside-root", "-f", "json")
    assert "found rather than chosen" not in chosen.output and "other.yaml" not in chosen.output


def test_a_config_linked_out_is_refused(repo):
    os.symlink(repo.parent / "secret", ".wavalidate.yaml")
    result = run("check", "hpc.yaml", "--fail-on", "never")
    assert result.exit_code == 2 and ".wavalidate.yaml:1:1: error E106" in result.output
    os.unlink(".wavalidate.yaml")
    os.symlink("/dev/zero", "pyproject.toml")  # the header search reads no more than the limit
    assert run("check", "hpc.yaml", "--fail-on", "never").exit_code == 0


# -- outputs -----------------------------------------------------------------

def test_outputs_are_never_written_through_a_symlink_or_a_linked_folder(repo):
    victim = repo.parent / "victim"
    victim.write_text("precious")
    os.symlink(victim, "wavalidate.sarif")
    os.symlink(repo.parent, "reports")
    for target in ("sarif:wavalidate.sarif", "sarif:reports/victim"):
        result = run("check", "hpc.yaml", "-f", target, "--fail-on", "never")
        assert result.exit_code == 2 and "symbolic link" in result.output, result.output
    for args in (["--write-baseline", "wavalidate.sarif"], ["--diagram", "wavalidate.sarif"]):
        assert run("check", "hpc.yaml", *args).exit_code == 2
    assert run("import", "cloudformation", "hpc.yaml", "-o", "wavalidate.sarif").exit_code != 0
    assert victim.read_text() == "precious" and os.path.islink("wavalidate.sarif")


def test_an_output_is_never_a_fifo_and_a_rename_never_replaces_one(repo):
    os.mkfifo("out.json")
    result = run("check", "hpc.yaml", "-f", "json:out.json", "--fail-on", "never")
    assert result.exit_code == 2 and "not a regular file" in result.output
    assert stat.S_ISFIFO(os.lstat("out.json").st_mode)


def test_a_character_device_named_as_the_output_is_written_straight_to(repo, tmp_path):
    if os.geteuid() == 0:  # as root, a device node of our own: a bug must not replace the machine's /dev/null
        device = str(tmp_path / "null")
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = "/dev/null"
    result = run("check", "hpc.yaml", "-f", f"json:{device}", "--fail-on", "never", "--write-baseline", device)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert not [n for n in os.listdir(os.path.dirname(device)) if n.startswith(".wavalidate-")]


def test_a_planted_link_to_a_device_is_refused(repo):
    os.symlink("/dev/null", "wavalidate.sarif")
    result = run("check", "hpc.yaml", "-f", "sarif:wavalidate.sarif", "--fail-on", "never")
    assert result.exit_code == 2 and "symbolic link" in result.output


def test_split_picture_names_are_bounded_and_checked_before_any_is_written(repo):
    vpcs = "".join(f"  {'v' * 300}{i}: {{type: vpc, region: eu-west-1, cidr: 10.{i}.0.0/16}}\n"
                   f"  s{i}: {{type: subnet, vpc: {'v' * 300}{i}, az: eu-west-1a, cidr: 10.{i}.1.0/24}}\n"
                   for i in range(3))
    (repo / "big.yaml").write_text(f"version: 1\nresources:\n{vpcs}")
    result = run("render", "big.yaml", "-f", "dot", "--split", "always")
    assert result.exit_code == 0, result.output
    written = sorted(n for n in os.listdir(repo) if n.startswith("big.") and n.endswith(".dot"))
    assert len(written) == 4 and all(len(n) < 100 for n in written), written
    assert len({n.rsplit("-", 1)[-1] for n in written[1:]}) == 3  # told apart by a hash of the full name
    for name in written:
        os.unlink(name)
    long_stem = "b" * 200 + ".yaml"  # the overview's own name fits, the parts' would not
    os.rename("big.yaml", long_stem)
    result = run("render", long_stem, "-f", "dot", "--split", "always")
    assert result.exit_code == 2 and "over 255 bytes" in result.output
    assert not [n for n in os.listdir(repo) if n.endswith(".dot")]


# -- the baseline reader ------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    (b"\xff\xfe{\x00}\x00", "1:1: error E103"),
    (('{"version": 1, "findings": [{"file": "a", "code": "X", "path": "p", "count": ' + "9" * 5000 + "}]}")
     .encode(), "1:78: error E100"),
    # The column depends on where the installed libyaml stops (its own nesting cap, or ours).
    (b"[" * 100_000, r"1:\d+: error E104 nesting deeper"),
    (b'{"version": 1, "findings": [\n  {"file": "a", "code": 5, "path": "p"}]}', "2:3: error E105"),
    (b'{"version": 1, "findings": [{"file": "a", "code": "X", "path": "p", "count": 0}]}', "1:78: error E105"),
    (b'{"version": 1,\n "findings": [}', "2:15: error E100 not JSON"),
])
def test_hostile_baselines_are_positioned_errors(repo, content, expected):
    (repo / "base.json").write_bytes(content)
    result = run("check", "hpc.yaml", "--baseline", "base.json")
    assert result.exit_code == 2 and re.search("base.json:" + expected.replace(".", r"\."), result.output), \
        result.output
    assert "Traceback" not in result.output


def test_a_baseline_linked_to_dev_zero_is_refused_at_once(repo):
    os.symlink("/dev/zero", "base.json")
    for extra in ([], ["--allow-outside-root"]):
        result = run("check", "hpc.yaml", "--baseline", "base.json", *extra)
        assert result.exit_code == 2 and "base.json" in result.output


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace")),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                              lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                         max_size=4))
                 .map(lambda v: json.dumps({"version": 1, "findings": [v]}))))
def test_the_baseline_reader_never_crashes(text):
    try:
        baseline.loads(text, "b.json")
    except baseline.BaselineError as error:
        assert str(error).startswith("b.json:"), error


# -- the config reader ---------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    ("[tool.wavalidate]\nselect = " + "[" * 5000 + "]" * 5000 + "\n", "error E104"),
    ("[tool.wavalidate]\nfail_on = " + "9" * 5000 + "\n", "error E100"),
    ("[tool.wavalidate\n", "pyproject.toml:1:"),
])
def test_hostile_pyproject_tables_are_positioned_errors(repo, content, expected):
    (repo / "pyproject.toml").write_text(content)
    result = run("check", "hpc.yaml", "--fail-on", "never")
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output, result.output


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=200), toml=st.booleans())
def test_the_config_reader_never_crashes(tmp_path_factory, body, toml):
    folder = tmp_path_factory.mktemp("config")
    name = folder / ("pyproject.toml" if toml else ".wavalidate.yaml")
    name.write_text(("[tool.wavalidate]\n" if toml else "") + body, encoding="utf-8")
    loaded = config.load(str(name))
    assert all(p.line >= 1 and p.col >= 1 for p in loaded.problems)


# -- waivers -----------------------------------------------------------------

def test_a_reason_of_invisible_characters_is_no_reason(tmp_path):
    waivers = tmp_path / "w.yaml"
    waivers.write_text("version: 1\nwaivers:\n  - rule: REL001\n    reason: \"" + "\\u200b" * 11 + "\"\n"
                       "  - rule: REL002\n    reason: \"\\u3164\\u3164\\u3164\\u3164\\u3164\\u3164\\u3164\\u3164"
                       "\\u3164\\u3164\\u3164\"\n  - rule: REL003\n    reason: accepted until the migration\n")
    entries, problems = suppress.load_waivers([str(waivers)])
    assert [e.rule for e in entries] == ["REL003"]
    assert [p.code for p in problems] == ["E300", "E300"]
    assert "\\u200b" in problems[0].message and "\u200b" not in problems[0].message
    assert suppress.visible_length("é réseau") == 7


def test_the_waiver_bound_is_a_positioned_error(tmp_path, monkeypatch):
    monkeypatch.setattr(suppress, "MAX_WAIVERS", 3)
    waivers = tmp_path / "w.yaml"
    waivers.write_text("version: 1\nwaivers:\n" + "".join(
        f"  - {{rule: REL00{i}, reason: accepted for the migration}}\n" for i in range(4)))
    entries, problems = suppress.load_waivers([str(waivers)])
    assert not entries and [(p.code, p.line) for p in problems] == [("E104", 2)]
    waivers.write_text("version: 1\nwaivers:\n" + "".join(  # far over: stopped while it is read
        f"  - {{rule: REL00{i}, reason: accepted for the migration, owner: me, file: a.yaml}}\n" for i in range(9)))
    entries, problems = suppress.load_waivers([str(waivers)])
    assert not entries and [(p.code, p.line) for p in problems] == [("E104", 7)]
    assert "read up to 48 values (over 3 waivers)" in problems[0].message


def test_a_bad_waiver_among_many_is_located(tmp_path):
    waivers = tmp_path / "w.yaml"
    items = [f"  - {{rule: REL001, resource: r{i}, reason: accepted for the migration}}\n" for i in range(2000)]
    items[1500] = "  - {rule: REL001, reason: accepted for the migration, colour: red}\n"
    waivers.write_text("version: 1\nwaivers:\n" + "".join(items))
    _, problems = suppress.load_waivers([str(waivers)])
    assert [(p.code, p.line, p.path) for p in problems] == [("E200", 1503, ("waivers", 1500, "colour"))]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), st.lists(st.fixed_dictionaries(
    {"rule": st.text(max_size=8), "reason": st.text(max_size=20)},
    optional={"file": st.text(max_size=8), "resource": st.text(max_size=5), "expires": st.text(max_size=10),
              "owner": st.integers()}), max_size=5).map(lambda w: json.dumps({"version": 1, "waivers": w}))))
def test_the_waiver_reader_never_crashes(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("waivers") / "w.yaml"
    path.write_text(text, encoding="utf-8")
    entries, problems = suppress.load_waivers([str(path)])
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


def _finding(file, code, name, resource):
    return Finding(file, Span.point(1, 1), code, "high", "m", name, "reliability", resource)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["REL001", "REL", "R", "SEC116", "rds-single-az", " rel00", ""]),
                          st.sampled_from([None, "a.yaml", "infra/a.yaml", "/a.yaml", "*.yaml", "infra/*", "b.yaml"]),
                          st.sampled_from([None, "db", "d*", "web"])), max_size=12),
       st.lists(st.tuples(st.sampled_from(["a.yaml", "infra/a.yaml", "x/infra/a.yaml", "b.yaml"]),
                          st.sampled_from([("REL001", "rds-single-az"), ("SEC116", "open-ssh")]),
                          st.sampled_from(["db", "web", ""])), max_size=8))
def test_indexed_waiver_matching_is_the_plain_scan(waivers, findings):
    entries = [suppress.Entry(rule, "accepted for the migration", "waiver", "w.yaml", Span.point(1, 1),
                              Span.point(1, 1), resource, target=target) for rule, target, resource in waivers]
    index = suppress.WaiverIndex(entries)
    for file, (code, name), resource in findings:
        finding = _finding(file, code, name, resource)
        assert list(index.matching(finding)) == [e for e in entries if e.matches(finding)]
