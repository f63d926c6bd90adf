"""Write the example code-review batch request file: a rubric as a cached system block and one
"Review this code" request per code sample (the README's worked example).

    python examples/make_article_batch.py                       # examples/article_batch.jsonl
    python examples/make_article_batch.py --requests 800 --rubric-copies 130 --out big.jsonl

The rubric is examples/rubric.md repeated --rubric-copies times (each copy numbered), about
600 Opus 4.7 tokens a copy: 130 copies make the README example's ~80,000-token rubric. Requests
cycle through examples/samples/. A model id Anthropic never published, such as
claude-opus-4-7-20250415, can be passed with --model to see `costcalc check` catch it.
"""

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rubric-copies", type=int, default=5)
    parser.add_argument("--model", default="claude-opus-4-7")
    parser.add_argument("--out", type=Path, default=HERE / "article_batch.jsonl")
    args = parser.parse_args()

    part = (HERE / "rubric.md").read_text(encoding="utf-8")
    rubric = "\n".join(f"## Part {k + 1}\n\n{part}" for k in range(args.rubric_copies))
    samples = sorted((HERE / "samples").glob("*.py"))
    with args.out.open("w", encoding="utf-8") as f:
        for i in range(args.requests):
            code = samples[i % len(samples)].read_text(encoding="utf-8")
            request = {
                "custom_id": f"sample_{i}",
                "params": {
                    "model": args.model,
                    "max_tokens": 2048,
                    "system": [
                        {"type": "text", "text": rubric, "cache_control": {"type": "ephemeral"}}
                    ],
                    "messages": [
                        {"role": "user", "content": f"Review this code (sample {i}):\n{code}"}
                    ],
                },
            }
            f.write(json.dumps(request) + "\n")
    print(f"wrote {args.out}: {args.requests} requests")


if __name__ == "__main__":
    main()
