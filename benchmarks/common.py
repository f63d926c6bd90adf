"""Helpers the benchmark scripts share."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path


def costcalc_exe() -> str:
    """The installed `costcalc` beside this Python (the one being measured)."""
    script = Path(sys.executable).with_name("costcalc")
    if script.exists():
        return str(script)
    found = shutil.which("costcalc")
    if not found:
        sys.exit("costcalc is not installed in this environment: pip install . first")
    return found


def parse_only(path: Path) -> float:
    """Seconds to json.loads every line of `path`: the floor any reader of the file pays."""
    start = time.perf_counter()
    with path.open("rb") as f:
        for line in f:
            json.loads(line)
    return time.perf_counter() - start
