"""Plan files: several jobs in one YAML, validated by pydantic so a typo in a key is caught.

jobs:
  - name: code-review
    model: opus-4.7
    requests: 10k
    shared: 80k
    unique: 2k
    output: 800
    ttl: 1h
    hit_rate: 0.9
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    model_validator,
)

from costcalc.errors import CodedError, CodedValueError
from costcalc.fieldproblems import field_problem
from costcalc.prices.load import decimal_loader
from costcalc.units import check_count, parse_count


def _strict_count(value: Any, what: str) -> Any:
    """A count as text ('80k') or a whole YAML integer; never a boolean ('requests: true' is
    not 1) nor a decimal ('80.000' is not 80), and never beyond the CLI's ceilings."""
    if isinstance(value, str):
        return parse_count(value, what)
    if isinstance(value, bool) or not isinstance(value, int):
        if value is None or isinstance(value, (bool, int, float, Decimal)):
            raise CodedValueError("plan_count_not_whole", value=value, what=what)
        return value
    return check_count(value, what)


def _count(value: Any) -> Any:
    return _strict_count(value, "tokens")


def _requests(value: Any) -> Any:
    return _strict_count(value, "requests")


def _writes(value: Any) -> Any:
    writes = None if value is None else _strict_count(value, "cache_writes")
    if writes == 0:
        raise CodedValueError("cache_writes_zero")
    return writes


Count = Annotated[int, BeforeValidator(_count), Field(ge=0)]


class Job(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    model: str
    requests: Annotated[int, BeforeValidator(_requests), Field(ge=1)]
    shared: Count = 0
    unique: Count = 0
    output: Count = 0
    ttl: Literal["5m", "1h"] = "5m"
    hit_rate: Decimal | None = Field(None, ge=0, le=1, decimal_places=10)
    cache_writes: Annotated[int | None, BeforeValidator(_writes), Field(ge=0)] = None
    region: Literal["global", "us"] = "global"
    fast: StrictBool = False
    bytes_per_token: Decimal = Field(Decimal(4), gt=0, le=1000, decimal_places=10)

    @model_validator(mode="after")
    def _one_cache_model(self) -> Job:
        if self.hit_rate is not None and self.cache_writes is not None:
            raise CodedValueError("plan_hit_rate_and_writes")
        return self


class PlanFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    jobs: list[Job] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> PlanFile:
        seen: set[str] = set()
        for job in self.jobs:
            if job.name in seen:
                raise CodedValueError("plan_job_names_repeat", name=job.name)
            seen.add(job.name)
        return self


# YAML 1.1 reads 0x10 as 16, 0o17 as 15 and 1:30 as 90; in a plan those are typos. Only plain
# decimal integers are numbers; the rest stay text, which the count parser refuses. The Decimal
# loader is built at run time (prices.load), so the subclass is made with type().
_PlanLoader: Any = type("_PlanLoader", (decimal_loader(),), {})


def _plain_int(loader: Any, node: Any) -> Any:
    text = loader.construct_scalar(node)
    return int(text.replace("_", "")) if re.fullmatch(r"[-+]?[0-9][0-9_]*", text) else text


_PlanLoader.add_constructor("tag:yaml.org,2002:int", _plain_int)


def load_plan(path: Path) -> PlanFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodedError("plan_file_missing", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodedError("plan_file_unreadable", file=str(path), error=str(exc)) from None
    try:
        raw = yaml.load(text, Loader=_PlanLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodedError(
            "plan_not_yaml",
            file=str(path),
            line=mark.line + 1 if mark is not None else None,
            problem=getattr(exc, "problem", None) or str(exc).splitlines()[0],
        ) from None
    try:
        return PlanFile.model_validate(raw)
    except ValidationError as exc:
        raise _describe(path, raw, exc) from None


def _describe(path: Path, raw: Any, exc: ValidationError) -> CodedError:
    first = exc.errors(include_url=False)[0]
    loc = list(first["loc"])
    index = None
    name = None
    if len(loc) >= 2 and loc[0] == "jobs" and isinstance(loc[1], int):
        index = loc[1]
        with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
            name = raw["jobs"][index].get("name")
        loc = loc[2:]
    field = ".".join(str(p) for p in loc)
    where = {"file": str(path), "job": index, "job_name": name}
    if first["type"] == "extra_forbidden":
        known = list(Job.model_fields) if index is not None else ["jobs"]
        return CodedError("plan_unknown_key", **where, field="", key=field, known=known)
    problem, detail = field_problem(first)
    return CodedError("plan_field_invalid", **where, field=field, problem=problem, detail=detail)
