from pathlib import Path

import pytest

from costcalc.cli import main
from costcalc.pricing import load_pricing

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pricing():
    return load_pricing()


@pytest.fixture
def write_pricing(tmp_path):
    """Write a variant of the bundled pricing.yaml (text edited by `edit`) and return its path."""

    def make(edit=lambda text: text, name="pricing.yaml"):
        path = tmp_path / name
        path.write_text(edit((REPO / "pricing.yaml").read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return make


@pytest.fixture
def cli(capsys):
    """Run costcalc in-process: (exit status, stdout, stderr), argparse's own exits included."""

    def run(*argv):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
