"""Maintenance: after editing pricing.yaml or the schema models, run

    python -m costcalc.prices.refresh

It validates the bundled file and rewrites costcalc/pricing.schema.json, the JSON snapshot that
start-up reads in place of the YAML, and last the digest that makes start-up trust the snapshot.
"""

from __future__ import annotations

import json
import sys

import yaml

from costcalc.files.outputs import write_text
from costcalc.prices.load import (
    DIGEST_PATH,
    SCHEMA_PATH,
    SNAPSHOT_PATH,
    DecimalLoader,
    bundled_pricing_path,
    load_pricing,
    snapshot_json,
)
from costcalc.prices.schema import digest, json_schema


def refresh() -> int:
    path = bundled_pricing_path()
    load_pricing(path, trust_digest=False)  # raises with a clear message when invalid
    content = path.read_bytes()
    # The one atomic writer, and the digest last: it is what makes start-up trust the snapshot.
    write_text(SCHEMA_PATH, json.dumps(json_schema(), indent=2) + "\n")
    raw = yaml.load(content.decode("utf-8"), Loader=DecimalLoader)
    write_text(SNAPSHOT_PATH, snapshot_json(raw, digest(content)))
    write_text(DIGEST_PATH, digest(content) + "\n")
    print(
        f"validated {path}; wrote {SCHEMA_PATH.name}, {DIGEST_PATH.name} and {SNAPSHOT_PATH.name}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if sys.argv[1:]:
        print("usage: python -m costcalc.prices.refresh", file=sys.stderr)
        sys.exit(2)
    sys.exit(refresh())
