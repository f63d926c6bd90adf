"""Write costcalc/data/cl100k_base.ranks, the packed rank table costcalc ships, from tiktoken's
official cl100k_base file (kept in tests/data/ for the tests that prove the two equal).

    python .ci/pack_cl100k.py           # exit 1 unless the shipped file is what it writes
    python .ci/pack_cl100k.py --write   # rewrite it, then pin the SHA-256 it prints in
                                        # costcalc/tokens/cl100k.py (RANKS_SHA256)

The official file is read with tiktoken's own reader (tiktoken.load.load_tiktoken_bpe) after its
SHA-256 is checked against the one tiktoken expects for cl100k_base (CL100K_SHA256), so the
packed table is decoded from the official text by code that is not ours. The official file:
https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT / "tests" / "data" / "cl100k_base.tiktoken"
sys.path.insert(0, str(ROOT))

from costcalc.tokens.cl100k import CL100K_SHA256, DATA_FILE, RANKS_SHA256  # noqa: E402
from costcalc.tokens.rankfile import pack  # noqa: E402


def packed_from_official() -> bytes:
    data = OFFICIAL.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != CL100K_SHA256:
        sys.exit(f"{OFFICIAL}: sha256 {digest}, tiktoken expects {CL100K_SHA256}")
    os.environ["TIKTOKEN_CACHE_DIR"] = ""  # tiktoken's reader must not write a cache copy
    from tiktoken.load import load_tiktoken_bpe

    return pack(load_tiktoken_bpe(str(OFFICIAL), expected_hash=CL100K_SHA256))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the shipped file")
    args = parser.parse_args()
    packed = packed_from_official()
    digest = hashlib.sha256(packed).hexdigest()
    if args.write:
        DATA_FILE.write_bytes(packed)
        print(f"wrote {DATA_FILE} ({len(packed):,} bytes), sha256 {digest}")
        if digest != RANKS_SHA256:
            print(f"now pin RANKS_SHA256 = {digest!r} in costcalc/tokens/cl100k.py")
        return 0
    shipped = DATA_FILE.read_bytes() if DATA_FILE.exists() else b""
    if shipped != packed or digest != RANKS_SHA256:
        print(f"{DATA_FILE} is stale or RANKS_SHA256 is not pinned: run {__file__} --write")
        return 1
    print(f"{DATA_FILE.name} is the official cl100k_base table, packed (sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
