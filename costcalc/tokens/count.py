"""Token counts from real text: reading texts, counting each distinct one once (cl100k_base
count and content kind), and the counts `estimate` and `tokens` are built from.

Claude's tokenizers are not published. Offline counts are cl100k_base counts times each
tokenizer's calibration ratio for the text's kind, always with a low-high band (tokens.bands);
only /v1/messages/count_tokens (costcalc.tokens.exact) is exact. The encoding is loaded offline by
costcalc.tokens.cl100k, the only module that imports tiktoken, and only when a text is counted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from costcalc.errors import CodedError
from costcalc.prices.model import Tokenizer
from costcalc.tokens.bands import Band, band, band_text, mean_and_max, mean_and_max_bands, total
from costcalc.tokens.cl100k import CL100K_SHA256, DATA_FILE, load_cl100k
from costcalc.tokens.stream import Counted, decoded_blocks, open_binary

if TYPE_CHECKING:  # the API client is imported only with --exact
    from costcalc.tokens.exact import ExactCounter

# Re-exported: callers import these from costcalc.tokens.count.
__all__ = [
    "CL100K_SHA256",
    "DATA_FILE",
    "Band",
    "Column",
    "Counter",
    "Row",
    "Text",
    "TextInputs",
    "TokenSource",
    "band",
    "band_text",
    "expand",
    "load_cl100k",
    "mean_and_max",
    "mean_and_max_bands",
    "measure",
    "read_inputs",
    "read_text",
    "request_bytes",
    "tabulate",
    "tabulate_counted",
    "text_band",
    "text_of",
    "total",
]


@dataclass(frozen=True)
class Text:
    """One input text: where it came from, its size and content hash."""

    label: str
    text: str
    size: int  # bytes read from the file (after a UTF-8 byte order mark)
    digest: str


def read_text(path: Path, encoding: str = "utf-8") -> Text:
    """Read a text file whole, refusing binary files and naming undecodable bytes. It is read
    through the streaming reader (costcalc.tokens.stream), so both accept and refuse the same
    files, and binary input such as /dev/zero is refused at its first block, not read whole."""
    digest = hashlib.sha256()
    size = 0
    parts: list[str] = []
    with open_binary(path) as source:
        for data, text in decoded_blocks(source, str(path), encoding):
            digest.update(data)
            size += len(data)
            parts.append(text)
    return Text(str(path), "".join(parts), size, digest.hexdigest())


def text_of(text: str, label: str = "") -> Text:
    """A Text for an in-memory string (its digest keys the count cache)."""
    data = text.encode("utf-8", errors="replace")
    return Text(label, text, len(data), hashlib.sha256(data).hexdigest())


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files under each directory (recursively, sorted, no hidden)."""
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        # os.walk skips a directory it cannot list; say so rather than count nothing.
        where = exc.filename if exc.filename is not None else path
        raise CodedError("directory_unreadable", dir=str(where), reason=exc.strerror) from None

    for path in paths:
        if path.is_dir():
            found = [
                Path(root) / name
                for root, dirs, names in os.walk(path, onerror=unreadable)
                for name in names
                if not name.startswith(".")
                and not any(part.startswith(".") for part in Path(root).relative_to(path).parts)
            ]
            files.extend(sorted(found))
        elif path.exists():
            files.append(path)
        else:
            raise CodedError("no_such_path", path=str(path))
    return files


class Counter:
    """cl100k_base counts, each distinct text counted (and classified) once."""

    def __init__(self) -> None:
        self._encoding = load_cl100k()
        self._seen: dict[str, int] = {}
        self._kinds: dict[str, str] = {}

    def count(self, text: Text) -> int:
        known = self._seen.get(text.digest)
        if known is None:
            known = self._seen[text.digest] = len(self._encoding.encode_ordinary(text.text))
        return known

    def kind(self, text: Text) -> str:
        """The content kind (costcalc.tokens.textkind) that picks the text's ratio band."""
        known = self._kinds.get(text.digest)
        if known is None:
            # Imported here: compiling its patterns is not free, and `estimate` never needs it.
            from costcalc.tokens.textkind import classify

            known = self._kinds[text.digest] = classify(text.text)
        return known

    def count_and_kind(self, text: Text) -> tuple[int, str]:
        return self.count(text), self.kind(text)

    def count_str(self, text: str) -> tuple[int, str]:
        """(cl100k count, kind) of an in-memory string: for callers such as check that hold
        block texts; band(n, tokenizer, kind) turns it into a Claude band."""
        return self.count_and_kind(text_of(text))

    @property
    def distinct(self) -> int:
        return len(self._seen)


def text_band(counter: Counter, text: str, tokenizer: Tokenizer) -> tuple[Band, str]:
    """The Claude band of an in-memory text and its kind: what check needs per block text
    (its counter today returns a bare cl100k count; this keeps the kind)."""
    n, kind = counter.count_str(text)
    return band(n, tokenizer, kind), kind


@dataclass(frozen=True)
class TextInputs:
    """The texts an estimate is built from."""

    shared: Text | None  # the --shared-file texts joined in order: one cached prefix
    uniques: list[Text] | None  # one per request: --unique-file, or each file of --unique-dir


def read_inputs(
    shared_files: Sequence[Path],
    unique_file: Path | None,
    unique_dir: Path | None,
    encoding: str = "utf-8",
) -> TextInputs:
    shared = None
    if shared_files:
        parts = [read_text(p, encoding) for p in shared_files]
        joined = "".join(p.text for p in parts)
        shared = Text(
            " + ".join(p.label for p in parts),
            joined,
            sum(p.size for p in parts),
            hashlib.sha256(joined.encode("utf-8")).hexdigest(),
        )
    uniques = None
    if unique_file is not None:
        uniques = [read_text(unique_file, encoding)]
    elif unique_dir is not None:
        if not unique_dir.is_dir():
            raise CodedError("unique_dir_not_a_directory", dir=str(unique_dir))
        uniques = [read_text(p, encoding) for p in expand([unique_dir])]
        if not uniques:
            raise CodedError("unique_dir_empty", dir=str(unique_dir))
    return TextInputs(shared, uniques)


@dataclass(frozen=True)
class TokenSource:
    """Token counts measured from text for one model, and the bytes they came from."""

    method: str  # "estimate" (cl100k_base x calibration) or "count_tokens" (exact)
    tokenizer: str
    shared: Band | None
    unique: Band | None  # per-request mean
    unique_max: Band | None
    unique_texts: int
    shared_bytes: int | None
    unique_bytes: int | None  # per-request mean

    @property
    def exact(self) -> bool:
        return self.method == "count_tokens"


def request_bytes(text: Text) -> int:
    """The bytes `text` adds to a request body: its UTF-8 length, whatever the file's encoding
    (a UTF-16 file is about twice its text's size on disk)."""
    return len(text.text.encode("utf-8"))


def measure(
    inputs: TextInputs,
    model_id: str,
    tokenizer: Tokenizer,
    counter: Counter | None = None,
    exact: ExactCounter | None = None,
) -> TokenSource:
    """Counts for one model: exact through `exact` (an ExactCounter), else estimated."""
    shared = unique = unique_max = None
    if exact is not None:
        if inputs.shared is not None:
            shared = Band.of(exact.shared(model_id, inputs.shared.text))
        if inputs.uniques is not None:
            mean, top = mean_and_max([exact.unique(model_id, t.text) for t in inputs.uniques])
            unique, unique_max = Band.of(mean), Band.of(top)
    else:
        counter = counter or Counter()
        if inputs.shared is not None:
            n, kind = counter.count_and_kind(inputs.shared)
            shared = band(n, tokenizer, kind)
        if inputs.uniques:
            unique, unique_max = mean_and_max_bands(
                [band(counter.count(t), tokenizer, counter.kind(t)) for t in inputs.uniques]
            )
    unique_bytes = (
        mean_and_max([request_bytes(t) for t in inputs.uniques])[0] if inputs.uniques else None
    )
    return TokenSource(
        method="count_tokens" if exact is not None else "estimate",
        tokenizer=model_id if exact is not None else tokenizer.name,
        shared=shared,
        unique=unique,
        unique_max=unique_max,
        unique_texts=len(inputs.uniques or ()),
        shared_bytes=request_bytes(inputs.shared) if inputs.shared else None,
        unique_bytes=unique_bytes,
    )


@dataclass(frozen=True)
class Column:
    """A tokenizer to count for: estimated from cl100k, or exact for `model_id`."""

    label: str
    tokenizer: Tokenizer
    model_id: str | None = None  # set when counting exactly through count_tokens


@dataclass(frozen=True)
class Row:
    label: str
    size: int
    cl100k: int
    counts: tuple[Band, ...]  # one per column
    kind: str = ""  # content kind (costcalc.tokens.textkind); "mixed" on a total of several kinds


def tabulate(
    texts: Sequence[Text],
    columns: Sequence[Column],
    exact: ExactCounter | None = None,
    counter: Counter | None = None,
) -> tuple[list[Row], Row]:
    """A row per text and a total row. Each text's band uses its kind's ratios; exact counts
    are summed."""
    counter = counter or Counter()
    if exact is None:
        return tabulate_counted([_counted(counter, t) for t in texts], columns)
    rows = []
    for t in texts:
        n, kind = counter.count_and_kind(t)
        counts = tuple(
            Band.of(exact.shared(c.model_id, t.text)) if c.model_id else band(n, c.tokenizer, kind)
            for c in columns
        )
        rows.append(Row(t.label, t.size, n, counts, kind))
    return rows, _total_row(rows, columns, exact=True)


def _counted(counter: Counter, text: Text) -> Counted:
    n, kind = counter.count_and_kind(text)
    return Counted(text.label, text.size, text.digest, n, kind)


def tabulate_counted(
    counted: Sequence[Counted], columns: Sequence[Column]
) -> tuple[list[Row], Row]:
    """Rows from counts already made (costcalc.textstream streams files into them)."""
    rows = [
        Row(
            c.label,
            c.size,
            c.cl100k,
            tuple(band(c.cl100k, col.tokenizer, c.kind) for col in columns),
            c.kind,
        )
        for c in counted
    ]
    return rows, _total_row(rows, columns, exact=False)


def _total_row(rows: list[Row], columns: Sequence[Column], exact: bool) -> Row:
    total_cl = sum(r.cl100k for r in rows)
    # Estimates scale linearly within a kind: the total is the band of each kind's summed
    # cl100k count (one rounding per kind, not per file), summed over kinds.
    by_kind: dict[str, int] = {}
    for r in rows:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + r.cl100k
    totals = tuple(
        Band.of(sum(r.counts[i].central for r in rows))
        if exact and c.model_id
        else total([band(n, c.tokenizer, k) for k, n in by_kind.items()])
        for i, c in enumerate(columns)
    )
    kinds = {r.kind for r in rows}
    kind = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else "")
    return Row("total", sum(r.size for r in rows), total_cl, totals, kind)
