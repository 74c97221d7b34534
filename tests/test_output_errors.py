"""The output module raises its own error, never a CLI one; the CLI shows it as a usage error (exit 2)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.output import OutputError, probe_all, write_atomic

from .conftest import SAMPLES

HPC = f"{SAMPLES}/hpc-cluster.yaml"


def test_output_errors_are_the_librarys_own(tmp_path):
    with pytest.raises(OutputError, match="the folder .* does not exist"):
        write_atomic(str(tmp_path / "missing" / "a.txt"), "x")
    with pytest.raises(OutputError, match="refusing to overwrite the input file"):
        probe_all([str(tmp_path / "a.txt"), HPC], protect=[HPC])
    with pytest.raises(OutputError, match="are the same file"):
        probe_all([str(tmp_path / "a.txt"), str(tmp_path / "." / "a.txt")])
    assert not list(tmp_path.iterdir())   # probing leaves nothing behind


def test_the_cli_shows_them_as_usage_errors(tmp_path):
    result = CliRunner().invoke(main, ["check", HPC, "-o", str(tmp_path / "missing" / "r.txt")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "check [OPTIONS] FILES..." in result.output and "Error: cannot write" in result.output
