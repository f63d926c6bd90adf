"""A mistyped --group-by gets a near-miss suggestion, as mistyped options and models do."""

from __future__ import annotations

import pytest

from costcalc.compute.grouping import parse_keys
from costcalc.errors import CodedError


@pytest.mark.parametrize(
    ("spec", "meant"),
    [
        ("modle", "model"),
        ("Model", "model"),
        ("fiel", "file"),
        ("teir", "tier"),
        ("tag:t.csv", "tags:t.csv"),
        ("custom_ids:^(a)", "custom_id:^(a)"),
        ("custom_id", "custom_id:REGEX"),
        ("tags", "tags:FILE.csv"),
    ],
)
def test_near_miss(spec, meant):
    with pytest.raises(CodedError) as caught:
        parse_keys([spec])
    assert caught.value.code == "group_by_near_miss"
    assert caught.value.figures["suggestion"] == meant


def test_nothing_close_lists_the_groupings():
    with pytest.raises(CodedError) as caught:
        parse_keys(["zzz"])
    assert caught.value.code == "group_by_unknown"


def test_the_cli_says_did_you_mean(cli, tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("{}\n", encoding="utf-8")
    code, _, err = cli("actual", str(path), "--group-by", "modle")
    assert code == 2 and "did you mean 'model'?" in err
    code, _, err = cli("actual", str(path), "--group-by", "tag:x.csv")
    assert code == 2 and "did you mean 'tags:x.csv'?" in err
