#!/usr/bin/env sh
# The README's code-review batch from the shell: 10,000 samples, 80,000-token rubric, Opus 4.7.
set -e

# The headline: the shared rubric alone ($200.23 batched with caching).
costcalc estimate --model opus-4.7 --shared 80k --requests 10k

# The whole job (2,000 unique input and ~800 output tokens per review) as a spreadsheet row
# per scenario, and a budget gate: exit status 1 if batch+cache would cost more than $1,000.
costcalc estimate --model opus-4.7 --shared 80k --unique 2k --output 800 --requests 10k \
    --format csv --out code_review_plan.csv --budget 1000
echo "wrote code_review_plan.csv"
