#!/usr/bin/env bash
# The fast casts against the machine's streaming limit, for every <= 8-bit format of the catalogue:
# `fp4sim bench cast` (each rounding mode given, default rne and rtz) and `fp4sim bench decode`, on 1 thread and on
# all cores. Every cell is a ratio measured side by side in one run (fast path / stream baseline on the same arrays
# and threads), so figures from different runs or machines are never divided by each other.
#
# Usage: bash scripts/bench.sh [--write] [--count N] [--modes "rne rtz ..."]
#   stdout: the machine (CPU model, family/model/stepping, the vector flags that matter, .NET) and a markdown table.
#   --write also replaces the block between <!-- bench.sh:begin --> and <!-- bench.sh:end --> in docs/performance.md.
#   N: elements per run (default 2^24: 64 MiB of float32, beyond the caches). About 5 minutes on 2 cores.
# Then the same ratios for block quantization (`bench mxquant`, every MX/NVFP4 format) and the exact MXFP4 GEMM
# against the int8 dot-product peak and the fake-quant route (`bench mxgemm`, 1024³ and 4096³), and our float32 SGEMM
# against OpenBLAS's (`bench sgemm` and scripts/sgemm_openblas.py, 1024³ and 4096³; the OpenBLAS cells say "not
# measured" where /usr/bin/python3's numpy does not call OpenBLAS: bash scripts/setup.sh libopenblas0-pthread).
set -uo pipefail
cd "$(dirname "$0")/.."

write=0
count=$((1 << 24))
modes="rne rtz"
while [ $# -gt 0 ]; do
  case "$1" in
    --write) write=1 ;;
    --count) count="$2"; shift ;;
    --modes) modes="$2"; shift ;;
    *) echo "bench.sh: unknown argument '$1' (expected --write, --count N, --modes \"rne rtz ...\")" >&2; exit 2 ;;
  esac
  shift
done

dll=src/Fp4Sim.Cli/bin/Release/net10.0/fp4sim.dll
# Build when the CLI is missing or older than any source: a stale binary would time yesterday's code.
if [ ! -f "$dll" ] || [ -n "$(find src -name '*.cs' -not -path '*/obj/*' -newer "$dll" -print -quit)" ]; then
  echo "bench.sh: building the CLI" >&2
  dotnet build src/Fp4Sim.Cli -c Release --nologo --verbosity quiet >&2 || exit 3
fi
fp4sim() { dotnet "$dll" "$@"; }

has_flag() { grep -qw "$1" /proc/cpuinfo && echo yes || echo no; }
cpu_field() { lscpu | sed -n "s/^$1: *//p" | head -n 1; }
hypervisor=$(cpu_field 'Hypervisor vendor')
out=$(mktemp)
trap 'rm -f "$out" "$out.run" "$out.blas"' EXIT

{
  echo "- Machine: $(cpu_field 'Model name') (family $(cpu_field 'CPU family'), model $(cpu_field 'Model')," \
       "stepping $(cpu_field 'Stepping')), $(nproc) CPUs${hypervisor:+, a $hypervisor guest};" \
       "L3 $(cpu_field 'L3 cache'); .NET $(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1)."
  flags=""
  for f in avx2 avx512f avx512bw avx512vbmi avx512_vnni avx_vnni; do flags="$flags $f: $(has_flag "$f"),"; done
  echo "- CPU flags:${flags%,}."
} > "$out"
# The 1-minute load average around the runs: on a shared machine it says how much else was competing for the cores.
load_before=$(cut -d' ' -f1 /proc/loadavg)

# Every <= 8-bit format, in the catalogue's order (`fp4sim formats`: name, bits, ...).
formats=$(fp4sim formats | awk 'NR > 1 && $2 <= 8 { print $1, $2 }')
[ -n "$formats" ] || { echo "bench.sh: fp4sim formats listed nothing" >&2; exit 3; }

failed=0
width=""
# Sets $result to one cell, "<ratio> (<fast G/s>)", from the verb's last line `fast F reference R stream S ratio X`.
# (Not a $(...) function: the failure flag and the vector width must outlive the call.)
cell() {
  if ! fp4sim bench "$@" --count "$count" > "$out.run" 2>/dev/null; then
    failed=1; result="FAIL"; echo "bench.sh: fp4sim bench $* failed" >&2; return
  fi
  [ -n "$width" ] || width=$(grep -o 'no arithmetic; [A-Za-z0-9]*' "$out.run" | head -n 1 | cut -d' ' -f3)
  result=$(tail -n 1 "$out.run" | awk '{ printf "%s (%.2f)", $8, $2 / 1e9 }')
}

header="| format | bits |"
rule="|---|---|"
for m in $modes; do header="$header encode $m, 1 thread | encode $m, all |"; rule="$rule---|---|"; done
header="$header decode, 1 thread | decode, all |"
rule="$rule---|---|"
rows=""
while read -r f bits; do
  echo "bench.sh: $f" >&2
  row="| $f | $bits |"
  for m in $modes; do
    for t in 1 0; do cell cast --format "$f" --rounding "$m" --threads "$t"; row="$row $result |"; done
  done
  for t in 1 0; do cell decode --format "$f" --threads "$t"; row="$row $result |"; done
  rows="$rows$row"$'\n'
done <<< "$formats"

# A last row with each column's median ratio: the table's one-line summary, insensitive to a few disturbed runs.
pipes=$(head -n 1 <<< "$rows" | tr -cd '|' | wc -c) # awk -F'|': cells are fields 4 .. pipes
median_row="| median | |"
for ((c = 4; c <= pipes; c++)); do
  median=$(awk -F'|' -v c="$c" '{ split($c, a, " "); if (a[1] ~ /^[0-9.]+$/) print a[1] }' <<< "$rows" | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
                                else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  median_row="$median_row $median |"
done

{
  echo "- Each cell: fast path / stream baseline, measured side by side in one run, then the fast path in G elements/s;"
  echo "  $count elements per run, best of 10 rounds each timing fast and stream in turn; stream loops: $width"
  echo "  (the faster of cached and non-temporal stores)."
  echo "- Encode moves 4 B in + 1 B out per element, decode 1 B in + 4 B out; \"all\" is all $(nproc) cores."
  echo "- Load average (1 min) before the runs: $load_before, after: $(cut -d' ' -f1 /proc/loadavg); measured $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo
  echo "$header"
  echo "$rule"
  printf "%s" "$rows"
  echo "$median_row"
  echo # ends the table before the block's end marker
} >> "$out"

# Block quantization: every MX/NVFP4 format through `fp4sim bench mxquant` (vector path / the same stream baseline).
echo "bench.sh: block formats" >&2
{
  echo "Block quantization (\`fp4sim bench mxquant\`, OCP scale rule, rne elements; NVFP4 includes its tensor-amax pass,"
  echo "so it reads the tensor twice against the stream's once); each cell as above:"
  echo
  echo "| block format | 1 thread | all |"
  echo "|---|---|---|"
} >> "$out"
for f in $(fp4sim bench mxquant --format '?' 2>&1 | sed -n "s/.*(expected \(.*\))/\1/p" | tr -d ','); do
  row="| $f |"
  for t in 1 0; do cell mxquant --format "$f" --threads "$t"; row="$row $result |"; done
  echo "$row" >> "$out"
done
echo >> "$out"

# The exact MXFP4 GEMM against the int8 dot-product peak and the fake-quant route, on all cores.
echo "bench.sh: mxgemm" >&2
{
  echo "Exact MXFP4 GEMM (\`fp4sim bench mxgemm\`, fp32 accumulation, all cores): its M·N·K per second over the int8"
  echo "dot-product peak measured in the same run, and its speed over dequantize + float32 SGEMM:"
  echo
  echo "| shape | exact GFLOP/s | fakequant GFLOP/s | int8 peak GMAC/s | exact/peak | exact/fakequant |"
  echo "|---|---|---|---|---|---|"
} >> "$out"
for n in 1024 4096; do
  if fp4sim bench mxgemm --m "$n" --n "$n" --k "$n" > "$out.run" 2>/dev/null; then
    tail -n 1 "$out.run" | awk -v n="$n" '{ printf "| %s³ | %s | %s | %s | %s | %.2f |\n", n, $2, $4, $6, $8, $2 / $4 }' >> "$out"
  else
    failed=1; echo "| ${n}³ | FAIL | | | | |" >> "$out"; echo "bench.sh: fp4sim bench mxgemm ${n}³ failed" >&2
  fi
done
echo >> "$out"

# Our float32 SGEMM against OpenBLAS's sgemm (numpy's matmul on /usr/bin/python3: Debian's numpy calls whatever BLAS
# the libblas.so.3 alternative names), the same shape and threads. OpenBLAS is optional: a missing one is a cell
# saying so, never a failure of this script.
echo "bench.sh: sgemm vs OpenBLAS" >&2
threads=$(nproc)
sgemm_rows=""
library=""
for n in 1024 4096; do
  if ! fp4sim bench sgemm --m "$n" --n "$n" --k "$n" --threads "$threads" > "$out.run" 2>/dev/null; then
    failed=1; sgemm_rows="$sgemm_rows| ${n}³ | FAIL | | |"$'\n'; echo "bench.sh: fp4sim bench sgemm ${n}³ failed" >&2; continue
  fi
  ours=$(tail -n 1 "$out.run" | awk '$1 == "sgemm" { print $2 }')
  if [ ! -x /usr/bin/python3 ]; then
    blas="not measured: no /usr/bin/python3 (apt-get install python3-numpy)"
  elif /usr/bin/python3 scripts/sgemm_openblas.py "$n" "$n" "$n" "$threads" 5 > "$out.blas" 2>&1; then
    blas=$(tail -n 1 "$out.blas" | awk '$1 == "openblas" && $2 > 0 { print $2 }')
    [ -n "$blas" ] || blas="not measured: scripts/sgemm_openblas.py printed no rate"
    library=$(head -n 1 "$out.blas" | sed 's/ *(.*//') # its build line, without the library's path
  else
    blas="not measured: $(tail -n 1 "$out.blas" | sed 's/^sgemm_openblas.py: //; s/|/\\|/g')"
  fi
  case "$blas" in
    not\ measured*) sgemm_rows="$sgemm_rows| ${n}³ | $ours | $blas | |"$'\n' ;;
    *) sgemm_rows="$sgemm_rows$(awk -v n="$n" -v a="$ours" -v b="$blas" 'BEGIN { printf "| %s³ | %s | %s | %.2f |", n, a, b, a / b }')"$'\n' ;;
  esac
done
{
  echo "Float32 SGEMM (\`fp4sim bench sgemm\`: our packed AVX2/FMA kernel) against OpenBLAS's sgemm (numpy's matmul,"
  echo "\`scripts/sgemm_openblas.py\`${library:+: $library}), the same shape, $threads threads each, best of 5:"
  echo
  echo "| shape | ours GFLOP/s | OpenBLAS GFLOP/s | ours/OpenBLAS |"
  echo "|---|---|---|---|"
  printf "%s" "$sgemm_rows"
  echo
} >> "$out"

cat "$out"
if [ "$write" -eq 1 ]; then
  doc=docs/performance.md
  grep -q '<!-- bench.sh:begin -->' "$doc" && grep -q '<!-- bench.sh:end -->' "$doc" \
    || { echo "bench.sh: $doc has no <!-- bench.sh:begin --> ... <!-- bench.sh:end --> block" >&2; exit 3; }
  awk -v table="$out" '
    /<!-- bench.sh:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- bench.sh:end -->/ { skip = 0 }
    !skip { print }' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "bench.sh: wrote the table into $doc" >&2
fi
exit "$failed"
