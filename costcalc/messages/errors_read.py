"""The English of coded errors raised by the files and reading layers (files/, read/):
one line naming the problem and the fix."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages.common import F

ERRORS: dict[str, Callable[[F], str]] = {}


def _plan_where(f: F) -> str:
    """The 'jobs[0] (name): field: ' part of a plan file's error, empty when it names nothing."""
    where = ""
    if f["job"] is not None:
        where = f"jobs[{f['job']}]" + (f" ({f['job_name']})" if f["job_name"] else "")
    label = ": ".join(part for part in (where, f["field"]) if part)
    return label + ": " if label else ""


def _output_not_regular(f: F) -> str:
    kind = "a directory" if f["is_dir"] else "not a regular file"
    return f"{f['path']} is {kind}; {f['option']} writes only to a new or regular file " + (
        "(leave out --out to write to stdout and redirect it)"
        if f["option"] == "--out"
        else "(give the path of one)"
    )


def _batch_fetch_status(f: F) -> str:
    reason = ""
    if f["error_type"] is not None:
        reason = f"({f['error_type']}: {f['error_message']})".strip()
    return f"fetching batch {f['batch_id']} failed at {f['where']}: HTTP {f['status']} {reason}"


ERRORS.update(
    {
        # read/jsonstream.py
        "request_file_form_unknown": lambda f: (
            f"{f['file']} is not a request file (it starts with {f['start']!r}); expected JSONL, "
            '{"requests": [...]} or a JSON array of requests'
        ),
        "requests_array_missing": lambda f: (
            'no "requests" array found; expected JSONL, {"requests": [...]} or a JSON array'
        ),
        # read/plans.py
        "plan_file_missing": lambda f: f"plan file {f['file']} not found",
        "plan_file_unreadable": lambda f: f"cannot read plan file {f['file']}: {f['error']}",
        "plan_not_yaml": lambda f: (
            f"{f['file']}:"
            + (f" line {f['line']}:" if f["line"] is not None else "")
            + f" not valid YAML: {f['problem']}"
        ),
        "plan_unknown_key": lambda f: (
            f"{f['file']}: {_plan_where(f)}unknown key {f['key']!r} "
            f"(known keys: {', '.join(f['known'])})"
        ),
        "plan_invalid": lambda f: f"{f['file']}: {_plan_where(f)}{f['error']}",
        # read/fetch.py
        "fetch_needs_sdk": lambda f: (
            "fetching batch results needs the Anthropic SDK: pip install 'costcalc[api]'"
        ),
        "fetch_needs_api_key": lambda f: (
            f"fetching batch results needs an API key in {f['env']} (of the workspace "
            "that ran the batch); or download the results and give the file"
        ),
        "batch_id_invalid": lambda f: (
            f"{f['batch_id']!r} is not a Message Batch id (they start with {f['prefix']})"
        ),
        "batch_not_ended": lambda f: (
            f"batch {f['batch_id']} is still {f['status'] or 'processing'}: {f['done']:,} of "
            f"{f['total']:,} requests done ({f['processing']:,} processing); its results can "
            "be priced once it has ended"
        ),
        "batch_not_found": lambda f: (
            f"batch {f['batch_id']} was not found at {f['where']} (HTTP 404): check the id and "
            f"that {f['env']} belongs to the workspace that created it"
        ),
        "api_key_refused": lambda f: (
            f"the API key was refused at {f['where']} (HTTP {f['status']}): check {f['env']}"
        ),
        "batch_fetch_status": _batch_fetch_status,
        "batch_unreachable": lambda f: (
            f"cannot reach {f['where']} to fetch batch {f['batch_id']}: {f['error']}"
        ),
        "batch_fetch_failed": lambda f: f"fetching batch {f['batch_id']} failed: {f['error']}",
        # files/outputs.py
        "output_dash": lambda f: (
            "--out - is not needed: without --out the output goes to stdout"
            if f["option"] == "--out"
            else f"{f['option']} takes the path of a file, not - (standard output)"
        ),
        "output_unwritable": lambda f: f"cannot write {f['path']}: {f['reason']}",
        "output_is_symlink": lambda f: (
            f"{f['path']} is a symbolic link; costcalc does not write through links "
            "(give the path of the file itself)"
        ),
        "output_not_regular": _output_not_regular,
        "output_read_only": lambda f: (
            f"cannot write {f['path']}: Permission denied (the file is read-only; "
            "make it writable or choose another file)"
        ),
        "output_is_input": lambda f: (
            f"{f['path']} is also an input ({f['source']}); write the output to another file"
        ),
        "output_dir_missing": lambda f: (
            f"cannot write {f['path']}: directory {f['parent']} does not exist"
        ),
        # files/inputs.py
        "stdin_unreadable": lambda f: f"cannot read standard input: {f['error']}",
        "input_is_directory": lambda f: f"cannot read {f['path']}: it is a directory; give a file",
        "input_not_found": lambda f: f"cannot read {f['path']}: no such file (check the path)",
        "input_unreadable": lambda f: f"cannot read {f['path']}: {f['reason']}",
        "input_bad_start": lambda f: (
            f"{f['path']} does not start with text a JSON or YAML file can hold (bytes "
            f"{f['bytes']}); save it as UTF-8"
        ),
        "input_spool_failed": lambda f: (
            f"cannot save {f['path']} to a temporary file ({f['reason']}); "
            "save it to a file and give that"
        ),
        # read/tags.py (the custom_id,tag file of --group-by tags:FILE.csv)
        "tags_reserved_label": lambda f: (
            f"{f['file']}"
            + (f" line {f['line']}" if f["line"] is not None else "")
            + f": custom_id {f['custom_id']!r} is tagged {f['tag']!r}, the label costcalc "
            + (
                "gives requests with no tag"
                if f["tag"] == "(untagged)"
                else "gives requests a custom_id pattern does not match"
            )
            + "; rename the tag"
        ),
        # compute/grouping.py (--group-by custom_id:REGEX)
        "group_by_capture_reserved": lambda f: (
            f"--group-by {f['spec']!r} takes {f['value']!r} from custom_id {f['custom_id']!r} "
            f"in {f['file']}, the label of requests it does not match; rename the id (the API "
            "accepts only a-z, A-Z, 0-9, _ and - in one) or change the pattern"
        ),
        # files/inmemory.py
        "temp_file_failed": lambda f: f"cannot make a temporary file ({f['reason']})",
        "in_memory_spool_failed": lambda f: (
            f"cannot save {f['source']} to a temporary file ({f['reason']})"
        ),
    }
)
