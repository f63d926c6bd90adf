"""tiktoken's cl100k_base encoding, built offline from the file bundled in the package.

The file is checked against its SHA-256 before use: tiktoken would otherwise download it on
first use, which fails offline. tiktoken itself is imported only here, and only when a text is
counted, so the plain `estimate` path never pays for it.
"""

from __future__ import annotations

import binascii
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from costcalc.errors import CodedError

if TYPE_CHECKING:  # tiktoken is imported at run time only when a text is counted
    from tiktoken import Encoding

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "cl100k_base.tiktoken"
# tiktoken's expected hash for cl100k_base (tiktoken_ext.openai_public).
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"

_encoding: Encoding | None = None


def _ranks(data: bytes) -> dict[bytes, int]:
    # The .tiktoken format: one base64 token and its rank per line, so the whitespace-split
    # fields alternate token, rank (one split and two maps: every check pays this at start-up).
    fields = data.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2])))


def load_cl100k(path: Path = DATA_FILE) -> Encoding:
    """tiktoken's cl100k_base Encoding, built from the bundled file; never touches the network."""
    global _encoding
    if _encoding is not None and path == DATA_FILE:
        return _encoding
    import tiktoken
    import tiktoken_ext.openai_public as public

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodedError("encoding_unreadable", file=str(path), reason=exc.strerror) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != CL100K_SHA256:
        raise CodedError("encoding_damaged", file=str(path), digest=digest, expected=CL100K_SHA256)
    ranks = _ranks(data)

    def bundled(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
        # Stands in for tiktoken's downloader: tiktoken's own constructor supplies the split
        # pattern and special tokens, and its expected hash must be the one we checked.
        if expected_hash != digest:
            raise CodedError("encoding_hash_mismatch", expected=expected_hash, digest=digest)
        return ranks

    original = public.load_tiktoken_bpe
    public.load_tiktoken_bpe = bundled
    try:
        spec = public.cl100k_base()
    finally:
        public.load_tiktoken_bpe = original
    encoding = tiktoken.Encoding(**spec)
    if path == DATA_FILE:
        _encoding = encoding
    return encoding
