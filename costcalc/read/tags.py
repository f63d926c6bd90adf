"""The custom_id,tag list of `--group-by tags:FILE.csv`: a CSV read into a custom_id -> tag
mapping that the grouping (compute/grouping.py) looks requests up in.

Each row is `custom_id,tag`, both cells trimmed: a custom_id has no spaces (the Message Batches
API accepts 1 to 64 of a-z, A-Z, 0-9, _ and -,
https://docs.anthropic.com/en/api/creating-message-batches), so " team-1 " means team-1. A header
row of exactly those two names is skipped. Refused, each naming the file and the row: a row
that is not two non-empty cells, an id given two different tags (the total would be split by
guesswork), and a tag that is one of the labels costcalc gives requests outside every group
(RESERVED): a request tagged "(untagged)" would be counted, and shown, as one that has no tag.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from costcalc.errors import CodedError
from costcalc.files.inputs import open_binary

# The group labels of requests that no tag (UNTAGGED) or no custom_id pattern (UNMATCHED)
# puts in a group. They are written with parentheses so that no custom_id the API accepts can
# be one; a tags list may not use them either.
UNTAGGED = "(untagged)"
UNMATCHED = "(unmatched)"
RESERVED = (UNTAGGED, UNMATCHED)
MAX_TAG_BYTES = 1 << 30  # a mapping file larger than this is not a tag list


def read_tags(path: Path) -> dict[str, str]:
    """custom_id -> tag from the CSV at `path` (the module docstring says what is refused)."""
    with open_binary(path) as f:
        raw = f.read(MAX_TAG_BYTES + 1)
    if len(raw) > MAX_TAG_BYTES:
        raise CodedError("tags_too_large", file=str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodedError("tags_not_utf8", file=str(path), byte=exc.start) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CodedError("tags_not_csv", file=str(path), error=str(exc)) from None
    tags: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        if not row or row == [""]:
            continue
        if number == 1 and [c.strip().lower() for c in row] == ["custom_id", "tag"]:
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise CodedError("tags_row_not_two_cells", file=str(path), line=number)
        custom_id, tag = row[0].strip(), row[1].strip()
        if tag in RESERVED:
            raise CodedError(
                "tags_reserved_label", file=str(path), line=number, custom_id=custom_id, tag=tag
            )
        if tags.setdefault(custom_id, tag) != tag:
            raise CodedError(
                "tags_id_tagged_twice",
                file=str(path),
                line=number,
                custom_id=custom_id,
                first=tags[custom_id],
                second=tag,
            )
    if not tags:
        raise CodedError("tags_no_rows", file=str(path))
    return tags
