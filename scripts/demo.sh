#!/usr/bin/env bash
# Sets up and runs the main job. For now: a short tour of the fp4sim CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build src/Fp4Sim.Cli -c Release --nologo --verbosity quiet
fp4sim() { dotnet src/Fp4Sim.Cli/bin/Release/net10.0/fp4sim.dll "$@"; }

echo "== fp4sim formats"
fp4sim formats
echo; echo "== fp4sim decode --format e2m1"
fp4sim decode --format e2m1
echo; echo "== fp4sim cast --format e4m3 (rne, saturate): 1, 464 (tie to 448), 500, -0.001, nan, 0x3f800001"
printf '1\n464\n500\n-0.001\nnan\n0x3f800001\n' | fp4sim cast --format e4m3
echo; echo "== the same with --overflow ieee (500 becomes NaN 0x7f)"
printf '1\n464\n500\n-0.001\nnan\n0x3f800001\n' | fp4sim cast --format e4m3 --overflow ieee
echo; echo "== stochastic rounding of 0.3 into e2m1, seed 7 (0.3 lies between 0 and 0.5)"
printf '0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n' | fp4sim cast --format e2m1 --rounding sr --seed 7
echo; echo "== fp4sim bench cast --format e2m1 --count 4194304"
fp4sim bench cast --format e2m1 --count 4194304
