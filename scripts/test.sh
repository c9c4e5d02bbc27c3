#!/usr/bin/env bash
# Sets up and runs every test project, then prints one summary line: "N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
# fonts-dejavu-core: the charts draw their text with a system font (the SkiaSharp build here reads font files directly).
bash scripts/setup.sh iverilog verilator yosys fonts-dejavu-core || exit 2
# The oracle tests sweep all 2^32 float32 patterns (about 3 minutes on 2 cores); FP4SIM_FULL_SWEEP=0 samples ~10 M.
export FP4SIM_FULL_SWEEP="${FP4SIM_FULL_SWEEP:-1}"
log=$(mktemp)
dotnet build Fp4Sim.sln -c Release --nologo --verbosity quiet || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
status=0
# House rules (.editorconfig): layout, import order, style; a violation counts as one failed check.
format_failed=0
if ! dotnet format Fp4Sim.sln --verify-no-changes --severity warn --no-restore > "$log.format" 2>&1; then
  echo "format: the tree does not follow .editorconfig (run: dotnet format Fp4Sim.sln --severity warn):"
  grep -E 'error|warning' "$log.format" | sed 's/ \[.*//' | head -n 20
  format_failed=1; status=1
fi
rm -f "$log.format"
# Lines of C# stay within 150 characters (the formatter does not wrap; counted in bytes, so stricter for non-ASCII).
long_lines=$(git ls-files -co --exclude-standard '*.cs' | LC_ALL=C xargs -r grep -n '.\{151,\}' | cut -d: -f1,2)
if [ -n "$long_lines" ]; then
  echo "format: C# lines over 150 characters:"; echo "$long_lines" | head -n 20
  format_failed=1; status=1
fi
# One test project at a time: the yosys synthesis test has a time budget that parallel CPU-heavy projects would eat.
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" -c Release --no-build --nologo 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
# The vector and GEMM parity tests once more under each narrower instruction-set cap (FP4SIM_ISA): on an AVX-512
# machine this is what runs the AVX2 kernels and the scalar fallbacks (about 30 s each on 2 cores).
for isa in avx2 scalar; do
  echo "FP4SIM_ISA=$isa: vector and GEMM parity tests"
  FP4SIM_ISA=$isa dotnet test tests/Fp4Sim.Numerics.Tests/Fp4Sim.Numerics.Tests.csproj -c Release --no-build --nologo \
    --filter "FullyQualifiedName~Vectorized|FullyQualifiedName~Gemm" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
# Sum the per-project result lines ("Passed!  - Failed: 0, Passed: 301, Skipped: 0, ...").
read -r passed failed skipped < <(grep -E 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
failed=$((failed + format_failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# The only skipped tests are the GPU ones ([GpuFact]); say why, as their skip reason does (the console logger hides it).
if [ "$skipped" -gt 0 ]; then
  reason=$(dotnet src/Fp4Sim.Cli/bin/Release/net10.0/fp4sim.dll gpu info 2>&1 >/dev/null | head -n 1)
  echo "skipped: ${skipped} GPU tests (${reason#fp4sim: gpu: })"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
