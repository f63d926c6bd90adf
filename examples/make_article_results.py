"""Write a realistic results file for the example code-review batch (what `costcalc actual` reads).

    python examples/make_article_results.py            # examples/article_results.jsonl

Models examples/article_batch.jsonl's requests on Opus 4.7 as a cold batch behaves: the
first requests run concurrently and all write the ~3,100-token rubric to the cache, later
ones mostly read it; a few requests error, are canceled or expire (and are not billed);
outputs vary. Seeded, so the file is the same every run. Usage fields are Anthropic's:
input_tokens is uncached input only; cache_creation splits writes by TTL.
"""

import argparse
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--prefix-tokens", type=int, default=3_100)
    parser.add_argument("--concurrent-writers", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "article_results.jsonl")
    args = parser.parse_args()
    rng = random.Random(42)
    lines = []
    for i in range(args.requests):
        custom_id = f"sample_{i}"
        # One request of every 20 each errors, is canceled, expires: none of them is billed.
        if i % 20 == 7:
            result = {
                "type": "errored",
                "error": {
                    "type": "error",
                    "error": {"type": "overloaded_error", "message": "Overloaded"},
                },
            }
        elif i % 20 == 13:
            result = {"type": "canceled"}
        elif i % 20 == 18:
            result = {"type": "expired"}
        else:
            # Cold start: the first requests run concurrently and miss the cache.
            writes = i < args.concurrent_writers
            usage = {
                "input_tokens": rng.randint(60, 95),
                "cache_creation_input_tokens": args.prefix_tokens if writes else 0,
                "cache_read_input_tokens": 0 if writes else args.prefix_tokens,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": args.prefix_tokens if writes else 0,
                    "ephemeral_1h_input_tokens": 0,
                },
                "output_tokens": rng.randint(350, 900),
                "service_tier": "batch",
                "inference_geo": "global",
            }
            result = {
                "type": "succeeded",
                "message": {
                    "id": f"msg_{i:05}",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-opus-4-7",
                    "content": [{"type": "text", "text": "..."}],
                    "stop_reason": "end_turn",
                    "usage": usage,
                },
            }
        lines.append(json.dumps({"custom_id": custom_id, "result": result}))
    rng.shuffle(lines)  # results come back in any order
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {args.requests} results")


if __name__ == "__main__":
    main()
