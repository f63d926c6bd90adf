"""tiktoken's cl100k_base encoding, built offline from the rank table bundled in the package.

tiktoken would download cl100k_base's rank file on first use
(https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken), which fails
offline. costcalc ships the same table packed (costcalc.tokens.rankfile): one C-level split
instead of decoding 100,256 base64 lines, about half the time, at every start of a command
that counts text, and a few texts need no dict at all (costcalc.tokens.subtable). The packed
file is checked against its own SHA-256 before use; .ci/pack_cl100k.py wrote it from the
official file, whose SHA-256 tiktoken itself pins, and tests/test_rankfile.py proves it
decodes to exactly the official file's ranks. tiktoken is imported only here and in subtable,
and only when a text is counted, so the plain `estimate` path never pays for it.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.errors import CodedError

if TYPE_CHECKING:  # tiktoken is imported at run time only when a text is counted
    from tiktoken import Encoding

    from costcalc.tokens.rankfile import Packed

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "cl100k_base.ranks"
# The packed file's own hash (written by .ci/pack_cl100k.py).
RANKS_SHA256 = "14b85d185371e7cb3a9450496b5bfe8dcee5e217006cb4c2a5f88f11c369b013"
# tiktoken's expected hash for the official cl100k_base file (tiktoken_ext.openai_public): the
# table the packed file holds.
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"

_encoding: Encoding | None = None
_packed: Packed | None = None
_ranks: dict[bytes, int] | None = None
_template: dict[str, Any] | None = None
_template_lock = threading.Lock()


def load_packed(path: Path = DATA_FILE) -> Packed:
    """cl100k_base's packed rank table from the file at `path`, after its SHA-256 is checked
    (read once per process for the bundled file)."""
    global _packed
    if _packed is not None and path == DATA_FILE:
        return _packed
    from costcalc.tokens.rankfile import Packed

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodedError("encoding_unreadable", file=str(path), reason=exc.strerror) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != RANKS_SHA256:
        raise CodedError("encoding_damaged", file=str(path), digest=digest, expected=RANKS_SHA256)
    packed = Packed(data)  # the pinned file parses (tests/test_rankfile.py)
    if path == DATA_FILE:
        _packed = packed
    return packed


def load_ranks(path: Path = DATA_FILE) -> dict[bytes, int]:
    """cl100k_base's whole rank table (token bytes -> rank), once per process for the bundled
    file."""
    global _ranks
    if _ranks is not None and path == DATA_FILE:
        return _ranks
    ranks = load_packed(path).to_dict()
    if path == DATA_FILE:
        _ranks = ranks
    return ranks


def cl100k_spec(ranks: dict[bytes, int]) -> dict[str, Any]:
    """tiktoken.Encoding's arguments for cl100k_base (name, split pattern, special tokens, from
    tiktoken's own constructor) with the rank table `ranks`."""
    global _template
    with _template_lock:
        if _template is None:
            _template = _tiktoken_spec()
    return {**_template, "mergeable_ranks": ranks}


def _tiktoken_spec() -> dict[str, Any]:
    # tiktoken's constructor, with its downloader replaced for the one call (once per process,
    # under a lock: the replacement is visible to every thread while it lasts).
    import tiktoken_ext.openai_public as public

    def bundled(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
        # The file tiktoken expects must be the one we packed.
        if expected_hash != CL100K_SHA256:
            raise CodedError("encoding_hash_mismatch", expected=expected_hash, digest=CL100K_SHA256)
        return {}

    original = public.load_tiktoken_bpe
    public.load_tiktoken_bpe = bundled
    try:
        spec: dict[str, Any] = public.cl100k_base()
    finally:
        public.load_tiktoken_bpe = original
    return spec


def load_cl100k(path: Path = DATA_FILE) -> Encoding:
    """tiktoken's cl100k_base Encoding, built from the bundled table; never touches the network."""
    global _encoding
    if _encoding is not None and path == DATA_FILE:
        return _encoding
    import tiktoken

    encoding = tiktoken.Encoding(**cl100k_spec(load_ranks(path)))
    if path == DATA_FILE:
        _encoding = encoding
    return encoding
