"""The old home of every command, kept for the import paths that name it: each command now has
its own module (estimate, sweep, plan, tokens, check, actual, warmup, models, schema) and what
they share is in `commands.common`."""

from __future__ import annotations

from costcalc.commands.actual import actual_outcome, run_actual
from costcalc.commands.check import check_outcome, gate_notices, run_check
from costcalc.commands.common import apply_hit_rate_from
from costcalc.commands.estimate import run_estimate
from costcalc.commands.models import run_models
from costcalc.commands.plan import run_plan
from costcalc.commands.schema import SCHEMA_COMMANDS, run_schema
from costcalc.commands.sweep import SWEEP_FLAGS, run_sweep
from costcalc.commands.tokens import run_tokens
from costcalc.commands.warmup import run_warmup

__all__ = [
    "SCHEMA_COMMANDS",
    "SWEEP_FLAGS",
    "actual_outcome",
    "apply_hit_rate_from",
    "check_outcome",
    "gate_notices",
    "run_actual",
    "run_check",
    "run_estimate",
    "run_models",
    "run_plan",
    "run_schema",
    "run_sweep",
    "run_tokens",
    "run_warmup",
]
