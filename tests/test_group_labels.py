"""--group-by labels the requests outside every group "(untagged)" (no row of the tags file names
them) and "(unmatched)" (the custom_id pattern takes nothing from them), and no value of the
user's is ever counted as one of those: a tags file that uses either label as a tag is refused
with exit 2 when it is read (naming the file, the line and the value), and so is an id from
which a custom_id pattern takes "(unmatched)". Look-alike tags are groups of their own.

Figures by hand, Opus 4.7 at batch prices (half of $5 input and $25 output per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing): each result line below reports
1,000 input and 1,000 output tokens:
  1,000 x $2.50/MTok + 1,000 x $12.50/MTok = $0.0025 + $0.0125 = $0.015 a request.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.compute.grouping import UNMATCHED, UNTAGGED, GroupKey, Request, parse_keys
from costcalc.errors import CodedError
from costcalc.read.tags import RESERVED, read_tags

DAY = "2026-11-24"
ONE = D(1000) * D("2.50") / 10**6 + D(1000) * D("12.50") / 10**6  # 0.015
IDS = ("teama-1", "teama-2", "teamb-1", "teamc-1")
NO_TAG = "the label costcalc gives requests with no tag; rename the tag"
NO_MATCH = "the label costcalc gives requests a custom_id pattern does not match; rename the tag"


def results(tmp_path: Path, ids=IDS) -> Path:
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "batch"}
    message = {"model": "claude-opus-4-7", "usage": usage}
    path = tmp_path / "r.jsonl"
    path.write_text(
        "".join(
            json.dumps({"custom_id": i, "result": {"type": "succeeded", "message": message}}) + "\n"
            for i in ids
        ),
        encoding="utf-8",
    )
    return path


def requests(tmp_path: Path, ids=IDS) -> Path:
    path = tmp_path / "b.jsonl"
    messages = [{"role": "user", "content": "hi"}]
    body = {"model": "claude-opus-4-7", "max_tokens": 10, "messages": messages}
    path.write_text(
        "".join(json.dumps({"custom_id": i, "params": body}) + "\n" for i in ids),
        encoding="utf-8",
    )
    return path


def tags_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tags.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def run(cli, command: str, tmp_path: Path, *specs: str, ids=IDS):
    source = results(tmp_path, ids) if command == "actual" else requests(tmp_path, ids)
    argv = [command, str(source), "--date", DAY, "--format", "json"]
    for spec in specs:
        argv += ["--group-by", spec]
    return cli(*argv)


@pytest.mark.parametrize("command", ["actual", "check"])
@pytest.mark.parametrize(("tag", "meaning"), [(UNTAGGED, NO_TAG), (UNMATCHED, NO_MATCH)])
def test_a_tag_that_is_a_no_group_label_is_refused(cli, tmp_path, command, tag, meaning):
    # Line 1 is the header, line 2 a good row: the third line is the one named.
    tags = tags_file(tmp_path, f"custom_id,tag\nteama-1,alpha\nteama-2,{tag}\n")
    code, out, err = run(cli, command, tmp_path, f"tags:{tags}")
    assert (code, out) == (2, "")
    assert err == (
        f"costcalc {command}: error: {tags} line 3: custom_id 'teama-2' is tagged {tag!r}, "
        f"{meaning}\n"
    )


def test_the_bug_a_request_tagged_untagged_is_not_counted_as_untagged(cli, tmp_path):
    """Before: teama-2 (tagged "(untagged)") and teamc-1 (in no row) made one group of 2
    requests, $0.030; the tags file is refused now, and with the tag renamed they are two."""
    tags = tags_file(tmp_path, "teama-1,alpha\nteama-2,(untagged)\nteamb-1,beta\n")
    code, _, err = run(cli, "actual", tmp_path, f"tags:{tags}")
    assert code == 2 and "line 2" in err and "rename the tag" in err
    tags = tags_file(tmp_path, "teama-1,alpha\nteama-2,untagged\nteamb-1,beta\n")
    code, out, err = run(cli, "actual", tmp_path, f"tags:{tags}")
    assert code == 0, err
    groups = {g["key"][0]: (g["requests"], D(g["cost_usd"])) for g in json.loads(out)["groups"]}
    assert groups == {
        "alpha": (1, ONE),
        "untagged": (1, ONE),
        "beta": (1, ONE),
        "(untagged)": (1, ONE),  # teamc-1 alone, $0.015
    }


def test_a_reserved_tag_is_refused_after_trimming_and_quoting(cli, tmp_path):
    for text in ("teama-1,  (untagged)\t\n", 'teama-1,"(unmatched)"\n', "teama-1, (unmatched) \n"):
        tags = tags_file(tmp_path, text)
        code, _, err = run(cli, "actual", tmp_path, f"tags:{tags}")
        assert code == 2 and " line 1: custom_id 'teama-1' is tagged '(" in err, text


def test_look_alike_tags_are_groups_of_their_own(cli, tmp_path):
    """Only the exact labels are refused: a tag that differs by case, by a control character or
    by more text is a group of one request, $0.015; teamc-1 (in no row) alone is (untagged)."""
    tags = tags_file(
        tmp_path, 'teama-1,(Untagged)\nteama-2,"(untagged)\x1b[2J"\nteamb-1,(unmatched) team\n'
    )
    code, out, err = run(cli, "actual", tmp_path, f"tags:{tags}")
    assert code == 0, err
    groups = {g["key"][0]: (g["requests"], D(g["cost_usd"])) for g in json.loads(out)["groups"]}
    assert groups == {
        "(Untagged)": (1, ONE),
        "(untagged)\x1b[2J": (1, ONE),
        "(unmatched) team": (1, ONE),
        UNTAGGED: (1, ONE),
    }
    assert sum(cost for _, cost in groups.values()) == D("0.060")  # 4 x $0.015


def test_an_empty_tag_is_refused_naming_its_line(cli, tmp_path):
    for text, line in (("teama-1,x\nteama-2,\n", 2), ("teama-1,   \n", 1), ('teama-1,""\n', 1)):
        tags = tags_file(tmp_path, text)
        code, _, err = run(cli, "actual", tmp_path, f"tags:{tags}")
        assert code == 2 and f"line {line}: expected two cells" in err, text


def test_control_characters_in_a_refused_row_are_shown_escaped(cli, tmp_path):
    ids = ("te\x1b[2Jam-1", "teamb-1")
    tags = tags_file(tmp_path, '"te\x1b[2Jam-1",(untagged)\n')
    code, _, err = run(cli, "actual", tmp_path, f"tags:{tags}", ids=ids)
    assert code == 2 and "\x1b" not in err
    assert "custom_id 'te\\x1b[2Jam-1' is tagged '(untagged)'" in err


@pytest.mark.parametrize("command", ["actual", "check"])
def test_an_id_the_pattern_takes_unmatched_from_is_refused(cli, tmp_path, command):
    """Only an id the API would refuse can hold "(unmatched)" (its ids are 1 to 64 of a-z,
    A-Z, 0-9, _ and -, https://docs.anthropic.com/en/api/creating-message-batches)."""
    ids = ("a-1", "a-(unmatched)", "b-1")
    code, out, err = run(cli, command, tmp_path, "custom_id:^a-(.+)$", ids=ids)
    name = "r.jsonl" if command == "actual" else "b.jsonl"
    assert (code, out) == (2, "")
    assert err.startswith(
        f"costcalc {command}: error: --group-by 'custom_id:^a-(.+)$' takes '(unmatched)' from "
        f"custom_id 'a-(unmatched)' in "
    )
    assert name in err and err.endswith("or change the pattern\n") and err.count("\n") == 1


def test_a_pattern_that_takes_more_than_the_label_groups_as_usual(cli, tmp_path):
    """a-x(unmatched) gives "x(unmatched)": a group of its own; b-1 does not match: (unmatched).
    Each is one request, $0.015."""
    ids = ("a-1", "a-x(unmatched)", "b-1")
    code, out, err = run(cli, "actual", tmp_path, "custom_id:^a-(.+)$", ids=ids)
    assert code == 0, err
    groups = {g["key"][0]: (g["requests"], D(g["cost_usd"])) for g in json.loads(out)["groups"]}
    assert groups == {"1": (1, ONE), "x(unmatched)": (1, ONE), UNMATCHED: (1, ONE)}


def test_two_levels_refuse_a_reserved_tag_too(cli, tmp_path):
    tags = tags_file(tmp_path, "teama-1,(unmatched)\n")
    code, _, err = run(cli, "actual", tmp_path, "custom_id:^([a-z]+)-", f"tags:{tags}")
    assert code == 2 and "line 1" in err and "rename the tag" in err


def test_a_mapping_from_elsewhere_is_checked_too():
    """parse_keys takes the reader from its caller; a mapping that holds a label is refused
    (there is no line to name)."""
    with pytest.raises(CodedError) as caught:
        parse_keys(["tags:t.csv"], lambda path: {"a-1": "x", "a-2": UNTAGGED})
    assert caught.value.code == "tags_reserved_label"
    assert str(caught.value) == f"t.csv: custom_id 'a-2' is tagged '(untagged)', {NO_TAG}"


def test_the_reader_is_read_tags_and_keeps_its_rules(tmp_path):
    tags = tags_file(tmp_path, "\ufeffcustom_id,tag\r\n a-1 , x \r\n\r\na-2,y\r\n")
    assert read_tags(tags) == {"a-1": "x", "a-2": "y"}
    (key,) = parse_keys([f"tags:{tags}"], read_tags)
    assert key.tags == {"a-1": "x", "a-2": "y"}


def _one_row(tag: str) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(["id-1", tag])
    return out.getvalue()


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(RESERVED)
)
def test_no_tag_is_ever_taken_for_untagged(tmp_path, tag):
    """Whatever the tag's text, the tagged request is either refused with the file or in a group
    named by its tag (trimmed), never in (untagged)."""
    path = tmp_path / "t.csv"
    path.write_bytes(_one_row(tag).encode("utf-8"))
    try:
        mapping = read_tags(path)
    except CodedError as exc:
        if tag.strip() in RESERVED:
            assert exc.code == "tags_reserved_label"
        elif not tag.strip():
            assert exc.code == "tags_row_not_two_cells"
        else:
            assert exc.code == "tags_not_csv" and "\x00" in tag
        return
    assert tag.strip() not in RESERVED and tag.strip()
    assert mapping == {"id-1": tag.strip()}
    key = GroupKey("tags:t.csv", "tags", tags=mapping)
    assert key.value(Request("r.jsonl", "id-1", "claude-opus-4-7", "batch")) == tag.strip()
    assert key.value(Request("r.jsonl", "id-2", "claude-opus-4-7", "batch")) == UNTAGGED


@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=64) | st.sampled_from(RESERVED)
)
def test_no_capture_is_ever_taken_for_unmatched(custom_id):
    """A pattern that takes the whole id: the id is its group, an empty id is (unmatched), and
    an id that is the text "(unmatched)" is refused."""
    (key,) = parse_keys(["custom_id:(?s)^(.*)$"])
    try:
        value = key.value(Request("r.jsonl", custom_id, "claude-opus-4-7", "batch"))
    except CodedError as exc:
        assert exc.code == "group_by_capture_reserved" and custom_id == UNMATCHED
        return
    assert custom_id != UNMATCHED
    assert value == (custom_id or UNMATCHED)
