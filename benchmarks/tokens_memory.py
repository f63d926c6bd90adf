"""Peak memory of `costcalc tokens` against input size: it must stay flat (issue 18).

Writes text files of 10 MB and 100 MB (this repository's sources, repeated with a varying
word) and runs `costcalc tokens FILE` on each in a fresh process, reporting the peak resident
memory (getrusage of the child). Compare the two figures of one run: the 100 MB file should
need about as much memory as the 10 MB one (before streaming: about 13 x its size).

    python benchmarks/tokens_memory.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _write(path: Path, size: int) -> None:
    blob = "\n".join(p.read_text(encoding="utf-8") for p in sorted(REPO.glob("costcalc/**/*.py")))
    with path.open("w", encoding="utf-8") as out:
        i = 0
        while out.tell() < size:
            out.write(blob.replace("costcalc", f"costcalc{i}"))
            i += 1


def peak_mib(path: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", "tokens", str(path), "--model", "opus-4.7"],
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (10, 100):
            path = Path(tmp) / f"{mb}mb.txt"
            _write(path, mb * 1_000_000)
            print(f"{mb:>4} MB input: peak RSS {peak_mib(path):.0f} MiB")


if __name__ == "__main__":
    main()
