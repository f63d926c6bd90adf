"""Write costcalc/schemas/<command>.schema.json: the JSON Schema of each command's JSON output.

    python .ci/build_schemas.py          # rewrite the files
    python .ci/build_schemas.py --check  # exit 1 if a file differs (tests/test_schemas.py too)

The schemas are written here from shared pieces (money, bands, scenarios, the estimate analysis)
so a field is described once. They are the contract: required keys, money as decimal strings,
the stable names as enums; objects stay open (additionalProperties) so new fields, which the
contract allows, do not break a consumer validating with an older schema.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "costcalc" / "schemas"
SCHEMA_VERSION = 1

DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2,}$"}
MONEY = {**DECIMAL, "description": "USD, a decimal string at full precision"}
INT = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
SCENARIO = {"enum": ["standard", "batch", "cache", "batch_cache"]}
TOKEN_CLASS = {"enum": ["input", "cache_write_5m", "cache_write_1h", "cache_read", "output"]}
TTL = {"enum": ["5m", "1h"]}


# A workload's fields: estimate's `workload`, and actual's comparison with a plan.
WORKLOAD = {
    "requests": COUNT,
    "shared_tokens": COUNT,
    "unique_tokens": COUNT,
    "output_tokens": COUNT,
    "ttl": TTL,
    "cache_writes": COUNT,
}


def null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


# What a budget gate compares: a scenario, actual's real bill, or reconcile's billed total; and
# for check, the case of batch_cache.
GATED = {"enum": [*SCENARIO["enum"], "real_bill", "billed"]}
CASE = null({"enum": ["worst", "expected"]})


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


NOTICE = {
    "type": "object",
    "required": ["code", "severity", "message", "figures", "lines"],
    "properties": {
        "code": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "severity": {"enum": ["info", "warning", "error"]},
        "message": STR,
        "figures": {"type": "object"},
        "lines": array(INT),
    },
    "additionalProperties": False,
}

BAND = obj({"low": COUNT, "central": COUNT, "high": COUNT, "exact": BOOL})

BUDGET_FIELDS = {
    "scenario": GATED,
    "case": CASE,
    "budget_usd": MONEY,
    "total_usd": MONEY,
    "within": BOOL,
    "over_by_usd": MONEY,
    "failed_by": array(STR),
    "passes": BOOL,
}
BUDGET = obj(BUDGET_FIELDS)

SCENARIO_DOC = obj(
    {
        "name": SCENARIO,
        "batch": BOOL,
        "cached": BOOL,
        "total_usd": MONEY,
        "per_request_usd": MONEY,
        "savings_usd": MONEY,
        "savings_pct": DECIMAL,
        "lines": array(
            obj(
                {
                    "token_class": TOKEN_CLASS,
                    "tokens": COUNT,
                    "rate_per_mtok": MONEY,
                    "cost_usd": MONEY,
                }
            )
        ),
    }
)

# Warnings are English sentences today; a structured form may replace them (see `notices`).
WARNINGS = array({"type": ["string", "object"]})

ANALYSIS = obj(
    {
        "costcalc_version": STR,
        "model": STR,
        "model_name": STR,
        "priced_on": DATE,
        "pricing": obj({"source": STR, "checked": DATE}),
        "workload": obj(WORKLOAD),
        "caching_applies": BOOL,
        "long_context": BOOL,
        "scenarios": {**array(ref("scenario")), "minItems": 1},
        "warnings": WARNINGS,
        "budget": null(ref("budget")),
        "modifiers": obj({"region": STR, "fast": BOOL}),
        "hit_rate": null(DECIMAL),
        "expected_hit_rate": DECIMAL,
        "batch_plan": null(
            obj(
                {
                    "batches": COUNT,
                    "requests_per_batch": COUNT,
                    "last_batch_requests": COUNT,
                    "bytes_per_request": COUNT,
                    "total_bytes": COUNT,
                    "bytes_per_token": DECIMAL,
                    "limited_by": null({"enum": ["requests", "size"]}),
                    "max_requests": COUNT,
                    "max_bytes": COUNT,
                }
            )
        ),
        "cache_range": array(
            {
                **obj(
                    {
                        "case": STR,
                        "cache_writes": COUNT,
                        "cache_reads": COUNT,
                        "hit_rate": DECIMAL,
                        "cache_usd": MONEY,
                        "costs_more_than_uncached": BOOL,
                    }
                ),
                # "<cached scenario>_usd" and "<uncached scenario>_usd", e.g. batch_cache_usd.
                "patternProperties": {"^(standard|batch|cache|batch_cache)_usd$": MONEY},
            }
        ),
        "break_even": obj({"hit_rate": null(DECIMAL), "min_requests_with_one_write": null(COUNT)}),
        "ttl_advice": null(
            obj(
                {
                    "recommended": TTL,
                    "at_hit_rate": DECIMAL,
                    "cost_5m_usd": MONEY,
                    "cost_1h_usd": MONEY,
                    "extra_for_1h_usd": MONEY,
                    "hit_rate_for_1h_to_match": null(DECIMAL),
                    # Why, as a stable code (the table words it; JSON holds no prose).
                    "code": {
                        "enum": ["fast_real_time", "five_minutes_cheaper", "batches_run_long"]
                    },
                }
            )
        ),
        "token_counts": null(
            obj(
                {
                    "method": STR,
                    "tokenizer": STR,
                    "shared": null(ref("band")),
                    "unique_per_request": null(ref("band")),
                    "unique_max": null(ref("band")),
                    "unique_texts": null(COUNT),
                    "shared_bytes": null(COUNT),
                    "unique_bytes_per_request": null(COUNT),
                }
            )
        ),
        "cost_at_token_band": null(
            {
                "type": "object",
                "propertyNames": SCENARIO,
                "additionalProperties": obj({"low_usd": MONEY, "high_usd": MONEY}),
            }
        ),
        "warning_codes": array(null(STR)),
    }
)

COMMON_DEFS = {"scenario": SCENARIO_DOC, "budget": BUDGET, "band": BAND, "notice": NOTICE}


def document(command: str, title: str, body: dict[str, Any], defs: dict[str, Any]) -> dict:
    """A command's schema: its body plus the keys every document has."""
    top = {
        "costcalc_version": STR,
        "schema_version": {"const": SCHEMA_VERSION},
    }
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": f"`costcalc {command} --format json`, schema_version {SCHEMA_VERSION}.",
    }
    merged = {**body}
    merged["required"] = list(
        dict.fromkeys(["costcalc_version", "schema_version", *merged.get("required", [])])
    )
    props = {**top, **merged.get("properties", {})}
    props["notices"] = array(ref("notice"))
    merged["properties"] = props
    merged["additionalProperties"] = True
    return {**schema, **merged, "$defs": {**COMMON_DEFS, **defs}}


def estimate() -> dict:
    single = {"$ref": "#/$defs/analysis"}
    comparison = obj({"comparison": {**array(ref("analysis")), "minItems": 2}})
    body = {"type": "object", "oneOf": [single, comparison]}
    return document("estimate", "costcalc estimate", body, {"analysis": ANALYSIS})


PARAM = {"type": ["string", "integer", "null"]}


def sweep() -> dict:
    point = {"allOf": [ref("analysis"), obj({"params": {"type": "object"}})]}
    body = obj(
        {
            "swept": {"type": "object", "additionalProperties": {**array(PARAM), "minItems": 2}},
            "points": array(point),
        }
    )
    return document("sweep", "costcalc sweep", body, {"analysis": ANALYSIS})


def plan() -> dict:
    job = {"allOf": [ref("analysis"), obj({"job": STR})]}
    totals = {"type": "object", "propertyNames": SCENARIO, "additionalProperties": MONEY}
    body = obj({"jobs": array(job), "totals": totals, "budget": null(ref("budget"))})
    return document("plan", "costcalc plan", body, {"analysis": ANALYSIS})


def tokens() -> dict:
    row = obj(
        {
            "file": STR,
            "bytes": COUNT,
            "cl100k_base": COUNT,
            "counts": {"type": "object", "additionalProperties": ref("band")},
            "kind": null(STR),
        }
    )
    body = obj(
        {
            # Per column: count_tokens (exact), or an estimate: cl100k_base x a ratio band.
            "method": {
                "type": "object",
                "additionalProperties": obj(
                    {"method": {"enum": ["count_tokens", "estimate"]}},
                    {
                        "base": {"const": "cl100k_base"},
                        "ratio": ref("ratio"),
                        "ratio_by_kind": {"type": "object", "additionalProperties": ref("ratio")},
                    },
                ),
            },
            "files": array(ref("row")),
            "total": ref("row"),
            "distinct_texts": COUNT,
        }
    )
    ratio = obj({"low": DECIMAL, "central": DECIMAL, "high": DECIMAL})
    return document("tokens", "costcalc tokens", body, {"row": row, "ratio": ratio})


RATES = {"type": "object", "propertyNames": TOKEN_CLASS, "additionalProperties": MONEY}
SPAN = {"effective_from": null(DATE), "effective_until": null(DATE)}


def models() -> dict:
    model = obj(
        {
            "id": STR,
            "name": STR,
            "aliases": array(STR),
            "status": STR,
            "released": null(DATE),
            "deprecated": null(DATE),
            "retired": null(DATE),
            "tokenizer": STR,
            "prices_per_mtok": RATES,
            "batch_prices_per_mtok": RATES,
            "batch_cache_read_pct_of_input": DECIMAL,
            "min_cache_tokens": COUNT,
            "context_window": null(COUNT),
            "max_output": null(COUNT),
            "long_context": array(obj({"threshold": COUNT, **SPAN, "prices_per_mtok": RATES})),
            "us_inference_multiplier": null(DECIMAL),
            "fast_prices_per_mtok": null(RATES),
            "source": STR,
            "checked": DATE,
            "status_group": {"enum": ["active", "legacy", "retired"]},
            "prices_date": DATE,
            "unconfirmed": BOOL,
            "unconfirmed_prices": array(STR),
            "dated_prices": array(obj({**SPAN, "prices_per_mtok": RATES})),
            "fast_mode": null(obj({**SPAN, "deprecated": null(DATE)})),
            "max_output_batch": null(COUNT),
            "max_output_batch_beta": null(STR),
            "image_tier": null(STR),
            "tool_use_system_prompt": array(
                obj({**SPAN, "auto_none": null(COUNT), "any_tool": null(COUNT)})
            ),
        }
    )
    body = obj({"models": array(model)})
    return document("models", "costcalc models", body, {})


COST_LINE = obj({"token_class": TOKEN_CLASS, "tokens": COUNT, "cost_usd": MONEY})

WARM = obj(
    {
        "primers": array(
            obj(
                {
                    "custom_id": STR,
                    "model": STR,
                    "line": COUNT,
                    "blocks": COUNT,
                    "tokens": COUNT,
                    "also_writes": COUNT,
                    "cost_usd": MONEY,
                }
            )
        ),
        "primer_count": COUNT,
        "entries_primed": COUNT,
        "skipped_unread": COUNT,
        "skipped_under_minimum": COUNT,
        "primer_cost_usd": MONEY,
        "batch_cost_usd": MONEY,
        "total_usd": MONEY,
        "expected_usd": MONEY,
        "cheapest": STR,
        "five_minute_breakpoints": BOOL,
    }
)


def check() -> dict:
    body = obj(
        {
            "file": STR,
            "form": STR,
            "bytes": COUNT,
            "requests": COUNT,
            "malformed_lines": COUNT,
            "rejected_requests_not_priced": COUNT,
            # count_tokens (exact), or an estimate (cl100k_base x a ratio band).
            "token_counts": {"enum": ["count_tokens", "estimate"]},
            "models": array(
                obj(
                    {
                        "model": STR,
                        "requests": COUNT,
                        "distinct_cached_prefixes": COUNT,
                        "shared_tokens_per_prefix": null(ref("band")),
                        "unique_tokens_mean": null(ref("band")),
                        "unique_tokens_max": null(ref("band")),
                        "max_tokens_mean": null(COUNT),
                    }
                )
            ),
            "cost": obj(
                {
                    "best": {
                        "type": "object",
                        "propertyNames": SCENARIO,
                        "additionalProperties": MONEY,
                    },
                    "expected": obj({"batch_cache": MONEY, "hit_rate": DECIMAL}),
                    "worst": obj({"batch_cache": MONEY}),
                    "output": null(STR),
                }
            ),
            "problems": array(obj({"kind": STR, "count": COUNT, "lines": array(INT)})),
            "split": array(obj({"requests": COUNT, "bytes": COUNT, "prefixes": COUNT})),
            "budget": null(ref("budget")),
            "cache_entries_total": COUNT,
            "cache_entries": array(
                obj(
                    {
                        "model": STR,
                        "first_line": COUNT,
                        "tokens": COUNT,
                        "ttl": TTL,
                        "cached": BOOL,
                        "writes": COUNT,
                        "reads": COUNT,
                        "cost_usd": MONEY,
                    }
                )
            ),
            "cost_lines": {"type": "object", "additionalProperties": array(COST_LINE)},
            "warm_up": null(ref("warm")),
            "unpriced": obj(
                {
                    "count": COUNT,
                    "reasons": {"type": "object", "additionalProperties": COUNT},
                    "fails_budget": BOOL,
                }
            ),
        },
        _check_groups(),
    )
    return document("check", "costcalc check", body, {"warm": WARM})


def _check_groups() -> dict:
    """check --group-by's keys, present only with --group-by. A group's cost_usd is its best
    case (batch_cache as submitted); the groups add up to the file's figures."""
    group = obj(
        {
            "key": array(STR),
            "requests": COUNT,
            "rejected_requests": COUNT,
            "tokens": obj({c: COUNT for c in TOKEN_CLASS["enum"]}),
            "cost_by_class_usd": obj({c: MONEY for c in TOKEN_CLASS["enum"]}),
            "cost_usd": MONEY,
            "expected_usd": MONEY,
            "worst_usd": MONEY,
            "standard_usd": MONEY,
            "saving_usd": MONEY,
            "cache_hit_rate": null(DECIMAL),
        }
    )
    # check --budget-per-group: a budget gate per group, with the group's unpriced requests
    gate = obj({"group": STR, **BUDGET_FIELDS, "unpriced_requests": COUNT})
    return {
        "group_by": array(STR),
        "groups": array(group),
        "subtotals": array(group),
        "group_budgets": array(gate),
    }


def actual() -> dict:
    # What the estimate came from: the request file as submitted (check's best case: one cache
    # write per cache entry, max_tokens output, estimated token counts), or a plan (estimate's
    # workload on one model).
    source = {
        "oneOf": [
            obj({"kind": {"const": "request_file"}, "file": STR}),
            obj(
                {
                    "kind": {"const": "plan"},
                    "model": STR,
                    **WORKLOAD,
                }
            ),
        ]
    }
    comparison = obj(
        {
            "estimate": source,
            "estimated_requests": COUNT,
            "lines": array(
                obj(
                    {
                        "token_class": TOKEN_CLASS,
                        "estimated_tokens": COUNT,
                        "actual_tokens": COUNT,
                        "estimated_usd": MONEY,
                        "actual_usd": MONEY,
                    }
                )
            ),
            "estimated_total_usd": MONEY,
            "actual_total_usd": MONEY,
            "explanations": array(STR),
        }
    )
    cold = _cold_start()
    single = obj(
        {
            "file": STR,
            "priced_as": {"enum": ["batch", "real-time"]},
            "priced_on": null({**DATE, "description": "the date whose prices were used"}),
            "results": {"type": "object", "additionalProperties": COUNT},
            "malformed_lines": {"type": ["array", "integer"]},
            "lines": array(
                obj(
                    {
                        "token_class": TOKEN_CLASS,
                        "tokens": COUNT,
                        "average_rate_per_mtok": MONEY,
                        "cost_usd": MONEY,
                    }
                )
            ),
            "web_searches": COUNT,
            "web_search_usd": MONEY,
            "total_usd": MONEY,
            "per_request_usd": null(MONEY),
            "per_model": {
                "type": "object",
                "additionalProperties": obj({"requests": COUNT, "total_usd": MONEY}),
            },
            "cache": obj(
                {
                    "requests_that_wrote": COUNT,
                    "requests_that_read": COUNT,
                    "requests_that_did_both": COUNT,
                    "requests_that_did_neither": COUNT,
                    "read_share_of_cached_prefix_tokens": null(DECIMAL),
                    "effective_input_rate_vs_standard": null(DECIMAL),
                }
            ),
            "warnings": WARNINGS,
            "comparison": null(comparison),
            "service_tiers": {"type": "object", "additionalProperties": COUNT},
            "unpriced_requests": COUNT,
            "web_fetches": COUNT,
            "cache_miss_reasons": {
                "type": "object",
                "description": "diagnostics.cache_miss_reason.type of the succeeded lines "
                "that carry one (pending: a null reason; other: a type costcalc does not know)",
                "propertyNames": {
                    "enum": [
                        "model_changed",
                        "system_changed",
                        "tools_changed",
                        "messages_changed",
                        "previous_message_not_found",
                        "unavailable",
                        "pending",
                        "other",
                    ]
                },
                "additionalProperties": obj({"requests": COUNT, "missed_input_tokens": COUNT}),
            },
            "problems": array(obj({"code": STR, "count": COUNT, "lines": array(INT)})),
            "cold_start": null(cold),
        }
    )
    body = {"type": "object", "oneOf": [single, _report()]}
    return document("actual", "costcalc actual", body, {})


def _cold_start() -> dict:
    """actual --batch's cold-start misses (one request file, or the totals over several)."""
    return obj(
        {
            "matched_requests": COUNT,
            "misses": COUNT,
            "tokens_written_again": COUNT,
            "extra_cost_usd": MONEY,
            "primer_cost_usd": MONEY,
            "warm_up_would_save_usd": MONEY,
            "unmatched_requests": COUNT,
            "primed_tokens_written": COUNT,
            "primed_extra_cost_usd": MONEY,
            "verdict": null({"enum": ["would_pay", "would_not_pay"]}),
            "notices": array(NOTICE),
        }
    )


def _report() -> dict:
    """actual over several files, --group-by, --budget-per-group or --format html's data."""
    totals = {
        "requests": COUNT,
        "unpriced_requests": COUNT,
        "tokens": obj({c: COUNT for c in TOKEN_CLASS["enum"]}),
        # null: every request of the group is unpriced, so no cost is known (never $0)
        "cost_by_class_usd": obj({c: null(MONEY) for c in TOKEN_CLASS["enum"]}),
        "web_searches": COUNT,
        "web_search_usd": null(MONEY),
        "cost_usd": null(MONEY),
        "standard_usd": null(MONEY),
        "saving_usd": null(MONEY),
        # true: some requests are unpriced, the costs are what the priced ones cost
        "cost_is_lower_bound": BOOL,
        "cache_hit_rate": null(DECIMAL),
    }
    # With --batch request files: each group's, file's and the total's cold-start misses.
    misses = {
        "cold_start_misses": COUNT,
        "cold_start_tokens_written_again": COUNT,
        "cold_start_extra_usd": {
            **MONEY,
            "description": "what the misses' writes cost beyond reading them (part of cost_usd)",
        },
    }
    group = obj({"key": array(STR), **totals}, misses)
    file = obj(
        {
            "file": STR,
            "results": {"type": "object", "additionalProperties": COUNT},
            "malformed_lines": COUNT,
            **totals,
            "total_usd": MONEY,
            "warnings": WARNINGS,
            "notices": array(NOTICE),
        },
        misses,
    )
    gate = obj(
        {
            "label": STR,
            "budget_usd": MONEY,
            # null when no request of the gate could be priced: the cost is not known
            "cost_usd": null(MONEY),
            "within": null(BOOL),
            "over_by_usd": null(MONEY),
            # some requests are unpriced or priced at a lower bound: the gate cannot pass
            "cost_is_lower_bound": BOOL,
            "unpriced_requests": COUNT,
            "lower_bound_requests": COUNT,
            "malformed_lines": COUNT,
            "passed": BOOL,
        }
    )
    return obj(
        {
            "report": {"const": "results"},
            "priced_as": {"enum": ["batch", "real-time"]},
            "files": array(file),
            "total_usd": MONEY,
            "total": obj(totals),
            "group_by": array(STR),
            "groups": array(group),
            "subtotals": array(group),
            "budgets": array(gate),
        },
        {
            "total": obj(totals, misses),
            # only with --batch (several request files)
            "cold_start": null(
                obj(
                    {
                        "request_files": array(STR),
                        **_cold_start()["properties"],
                        "requests_without_results": COUNT,
                    }
                )
            ),
        },
    )


def warmup() -> dict:
    body = obj(
        {
            "file": STR,
            "entries": COUNT,
            **WARM["properties"],
            "unpriced": obj(
                {"count": COUNT, "reasons": {"type": "object", "additionalProperties": COUNT}}
            ),
            "notices": array(NOTICE),
            "primer_file": null(STR),
            "primer_requests_written": null(COUNT),
            "ttl_1h_copy": null(STR),
            "steps": array(
                {"enum": ["submit_primer", "wait_until_ended", "submit_batch_within_1h"]}
            ),
        }
    )
    return document("warmup", "costcalc warmup", body, {"warm": WARM})


CELL = obj(
    {
        "day": DATE,
        "model": null(STR),
        "service_tier": null(STR),
        "token_type": {
            "description": "a token class, web_search, or a cost type with no usage rows "
            "(code_execution, session_usage)",
            "type": "string",
        },
        "tokens": {**COUNT, "description": "usage tokens (web searches for web_search)"},
        "usage_priced_usd": {**null(MONEY), "description": "costcalc's price; null: unpriced"},
        "billed_usd": {**null(MONEY), "description": "the cost report; null: no cost row"},
        "difference_usd": {**null(MONEY), "description": "billed minus priced; null: not compared"},
        "status": {"enum": ["agree", "differ", "not_compared"]},
        "reason": {
            **null(STR),
            "description": "why not compared: priority_tier, no_usage_report, unknown_model, "
            "unknown_service_tier, rates_unavailable, context_window_ambiguous, web_search_filtered, "
            "unknown",
        },
        "workspace_id": null(STR),
    }
)
PCT = {**DECIMAL, "description": "a percentage (0-100), a decimal string"}
BATCH_CHECK = obj(
    {
        "results_files": array(
            obj(
                {
                    "file": STR,
                    "total_usd": MONEY,
                    "priced_on": DATE,
                    "low_usd": MONEY,
                    "high_usd": MONEY,
                    "unpriced_requests": COUNT,
                }
            )
        ),
        "results_usd": MONEY,
        "batch_billed_usd": MONEY,
        "share_pct": null(PCT),
        "input_billed_usd": MONEY,
        "input_at_standard_usd": MONEY,
        "effective_input_pct": null(PCT),
        "floor_pct": null(PCT),
    }
)


def reconcile() -> dict:
    body = obj(
        {
            "from": DATE,
            "to": DATE,
            "usage_priced_usd": MONEY,
            "billed_usd": MONEY,
            "difference_usd": MONEY,
            "not_compared_billed_usd": MONEY,
            "agree": {
                **BOOL,
                "description": "every compared cell agrees and no cell is unpriced",
            },
            "unpriced_cells": COUNT,
            "differences": array(ref("cell")),
            "not_compared": array(ref("cell")),
            "cells": array(ref("cell")),
            "batch": null(ref("batch")),
            "budget": null(ref("budget")),
        }
    )
    return document("reconcile", "costcalc reconcile", body, {"cell": CELL, "batch": BATCH_CHECK})


BUILDERS = {
    "estimate": estimate,
    "sweep": sweep,
    "plan": plan,
    "tokens": tokens,
    "check": check,
    "actual": actual,
    "models": models,
    "warmup": warmup,
    "reconcile": reconcile,
}


def rendered() -> dict[str, str]:
    return {
        f"{name}.schema.json": json.dumps(build(), indent=2) + "\n"
        for name, build in BUILDERS.items()
    }


def main() -> int:
    files = rendered()
    if sys.argv[1:] == ["--check"]:
        stale = [
            n
            for n, text in files.items()
            if not (OUT / n).exists() or (OUT / n).read_text() != text
        ]
        for name in stale:
            print(f"stale: costcalc/schemas/{name} (run python .ci/build_schemas.py)")
        return 1 if stale else 0
    OUT.mkdir(exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} schemas to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
