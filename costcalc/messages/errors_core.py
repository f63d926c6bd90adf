"""The English of coded errors raised by prices/, tokens/, compute/ and units:
one line naming the problem and the fix."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages.check_warnings import MESSAGES as CHECK_MESSAGES
from costcalc.messages.common import F


def _unknown_model_note(f: F) -> str:
    """The first unknown model, worded as its unpriced_unknown_model notice is."""
    return CHECK_MESSAGES["unpriced_unknown_model"][1](f)


ERRORS: dict[str, Callable[[F], str]] = {
    # prices/load.py (PricingError)
    "pricing_file_missing": lambda f: (
        f"pricing file {f['file']} not found; check the --pricing path"
    ),
    "pricing_no_pdf_page": lambda f: (
        "the pricing file has no token_overheads.pdf_page (the tokens of a PDF page and the "
        "page limits), which counting a request needs; copy that section from the bundled "
        "pricing.yaml"
    ),
    "pricing_file_unreadable": lambda f: f"cannot read pricing file {f['file']}: {f['reason']}",
    "pricing_not_utf8": lambda f: f"{f['file']} is not UTF-8 text; save it as UTF-8",
    "pricing_not_yaml": lambda f: (
        f"{f['file']}:"
        + (f" line {f['line']}:" if f["line"] is not None else "")
        + f" not valid YAML: {f['problem']}"
    ),
    # tokens/cl100k.py
    "encoding_unreadable": lambda f: f"cannot read the bundled encoding {f['file']}: {f['reason']}",
    "encoding_damaged": lambda f: (
        f"{f['file']} is damaged (sha256 {f['digest'][:12]}..., expected "
        f"{f['expected'][:12]}...); reinstall costcalc"
    ),
    "encoding_hash_mismatch": lambda f: (
        f"this tiktoken expects cl100k_base {f['expected']}, the bundled file is {f['digest']}"
    ),
    # tokens/count.py
    "directory_unreadable": lambda f: f"cannot read directory {f['dir']}: {f['reason']}",
    "no_such_path": lambda f: f"{f['path']}: no such file or directory",
    "unique_dir_not_a_directory": lambda f: f"--unique-dir {f['dir']} is not a directory",
    "unique_dir_empty": lambda f: (
        f"--unique-dir {f['dir']} holds no files (hidden ones are skipped)"
    ),
    # tokens/exact.py
    "exact_needs_sdk": lambda f: (
        "--exact needs the Anthropic SDK: pip install 'costcalc[anthropic]'"
    ),
    "exact_needs_api_key": lambda f: (
        f"--exact needs an API key in {f['env']} (counting tokens is free "
        "but needs an account); or drop --exact for offline estimates"
    ),
    "count_tokens_failed": lambda f: (
        f"count_tokens failed for {f['model']}: HTTP {f['status']} {f['reason']}"
    ),
    "api_unreachable": lambda f: f"cannot reach the Anthropic API at {f['url']}: {f['error']}",
    # tokens/stream.py
    "unknown_encoding": lambda f: f"unknown text encoding {f['encoding']!r}; try utf-8 or latin-1",
    "file_unreadable": lambda f: f"cannot read {f['file']}: {f['reason']}",
    "binary_nul_byte": lambda f: (
        f"{f['file']} looks binary (a NUL byte at offset {f['offset']:,}); pass text files only"
    ),
    "binary_nul_character": lambda f: (
        f"{f['file']} looks binary (a NUL character at character {f['at']:,}); pass text files only"
    ),
    "not_valid_encoding": lambda f: (
        f"{f['file']} is not valid {f['encoding']} (byte 0x{f['byte']} at offset "
        f"{f['offset']}); pass --encoding with the file's encoding, e.g. --encoding latin-1"
    ),
    "encoding_needs_bom": lambda f: (
        f"{f['file']} is not valid {f['encoding']} (it does not start with a byte order "
        f"mark); pass --encoding {f['encoding']}-le or --encoding {f['encoding']}-be"
    ),
    "path_is_directory": lambda f: f"{f['path']} is a directory; pass files, or use --unique-dir",
    # compute/actual.py
    "requests_not_results": lambda f: (
        f"{f['file']} looks like a batch request file; use costcalc check {f['file']}"
    ),
    "results_empty": lambda f: f"{f['file']} is empty: no results to price",
    "no_result_to_price": lambda f: (
        f"{f['file']} has no result to price: line {f['line']:,} is not a result with whole, "
        "non-negative usage counts (expected the batch results JSONL, one "
        '{"custom_id", "result"} per line)'
    ),
    # compute/engine.py (WorkloadError)
    "count_not_whole": lambda f: f"{f['name']} must be a whole number, got {f['value']}",
    "count_negative": lambda f: f"{f['name']} cannot be negative (got {f['value']:,})",
    "requests_below_one": lambda f: "requests must be at least 1",
    "ttl_unknown": lambda f: f"ttl must be '5m' or '1h', got {f['ttl']}",
    "cache_writes_over_requests": lambda f: (
        f"cache writes ({f['writes']:,}) cannot exceed requests ({f['requests']:,})"
    ),
    "region_unknown": lambda f: f"region must be 'global' or 'us', got {f['region']}",
    "request_over_context": lambda f: (
        f"each request has {f['tokens']:,} input tokens, over {f['model']}'s "
        f"context window of {f['limit']:,}; shorten the shared or unique part"
    ),
    # compute/failclosed.py
    "requests_empty": lambda f: (
        f'{f["file"]} is empty: no requests to price (expected JSONL, {{"requests": [...]}} '
        "or a JSON array of requests)"
    ),
    "all_unknown_models": lambda f: (
        f"{f['file']}: nothing can be priced: {_unknown_model_note(f)}"
        + (
            f" and {f['more']} more unknown model{'s' if f['more'] != 1 else ''}"
            if f["more"]
            else ""
        )
        + " ('costcalc models' lists every model)"
    ),
    "not_a_request_file": lambda f: (
        f"{f['file']} is not a request file (item {f['item']:,} is not a "
        '{"custom_id", "params"} request); expected JSONL, {"requests": [...]} or a JSON array '
        "of requests"
    ),
    # compute/grouping.py (the custom_id,tag file of --group-by tags:FILE.csv)
    "tags_too_large": lambda f: f"{f['file']} is larger than 1 GiB: not a custom_id,tag list",
    "tags_not_utf8": lambda f: (
        f"{f['file']} is not UTF-8 text (byte {f['byte']:,}); save it as UTF-8"
    ),
    "tags_not_csv": lambda f: f"{f['file']} is not CSV: {f['error']}",
    "tags_row_not_two_cells": lambda f: (
        f"{f['file']} line {f['line']}: expected two cells, custom_id,tag (both non-empty)"
    ),
    "tags_id_tagged_twice": lambda f: (
        f"{f['file']} line {f['line']}: custom_id {f['custom_id']!r} is tagged both "
        f"{f['first']!r} and {f['second']!r}; give each id one tag"
    ),
    "tags_no_rows": lambda f: f"{f['file']} has no custom_id,tag rows",
    # compute/manyresults.py
    "results_dir_empty": lambda f: (
        f"{f['dir']} is a directory with no results files (*.jsonl) in it; give the files"
    ),
    "pattern_matches_nothing": lambda f: f"{f['pattern']} matches no file; check the pattern",
    "stdin_named_twice": lambda f: "standard input can be read only once; name it once",
    # compute/planning.py (WorkloadError)
    "hit_rate_out_of_range": lambda f: (
        f"hit rate must be between 0 and 1 (e.g. 0.9), got {f['rate']}"
    ),
    "bytes_per_token_not_positive": lambda f: f"bytes per token must be positive, got {f['value']}",
    "request_over_batch_bytes": lambda f: (
        f"one request is about {f['bytes']:,} bytes, over the {f['limit']:,}-byte "
        "batch limit by itself"
    ),
    "largest_request_over_context": lambda f: (
        f"the largest request has {f['tokens']:,} input tokens (shared prefix + the largest "
        f"unique text), over {f['model']}'s context window of {f['limit']:,}"
    ),
    # compute/warmup.py
    "changed_while_read": lambda f: (
        f"{f['file']} changed while it was read (no request for {f['missing']}); run warmup again"
    ),
    "warmup_item_not_a_request": lambda f: (
        f"{f['file']} item {f['item']} is not a request; fix it before copying the file "
        "(no file was written)"
    ),
}
