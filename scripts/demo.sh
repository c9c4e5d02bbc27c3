#!/usr/bin/env bash
# The main job: fetch and verify USE-Lite and the SpamAssassin mails, then compare LLM-FP4's methods at 4/4/4
# (embedding/weight/activation bits) on the real model: FP32, MinMax INT, MinMax FP, the FPQ baseline (format +
# exponent-bias search) and FPQ (plus the pre-shifted exponent bias). Prints the table; the report (CSV, Markdown,
# SVG, every searched quantizer as JSON) goes to artifacts/llm-fp4/. Discussion: docs/llm-fp4.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build src/Fp4Sim.Cli -c Release --nologo --verbosity quiet
fp4sim() { dotnet src/Fp4Sim.Cli/bin/Release/net10.0/fp4sim.dll "$@"; }

echo "== the tokenizer: two sentences and their token ids"
printf 'How old are you?\nWhat is your age?\n' | fp4sim llmfp4 tokenize
echo
echo "== LLM-FP4 at 4/4/4 on USE-Lite (32 calibration mails, 1,000 train, 500 held-out; progress on stderr)"
fp4sim llmfp4 run --method all --bits 4/4/4 --out artifacts/llm-fp4
echo
echo "Report: artifacts/llm-fp4/results.md (plot: results.svg); every setting: fp4sim llmfp4 run --method all --bits all"
