#!/bin/bash
# Checks that the recipes in the working tree build the same files as the recipes of a git revision.
#
# usage: models/recipes/check_refactor.sh [REV] [WORK]        (REV default main, WORK default /tmp/recipes-check)
#
# Runs every recipe twice, once from REV (exported to WORK/rev-recipes) and once from this folder, with the
# same short, step-capped settings (1 thread, seed 0), from inside its recipes folder (so that a manifest's
# recorded command is the same) and writing to the same WORK/run/ paths, then moves each side's outputs to
# WORK/out-{rev,new}/ (logs in WORK/logs-{rev,new}/). Every file is compared byte for byte; a JSON file
# that differs is compared field by field, where the timing fields (seconds, wall_seconds, train_seconds) may differ and everything else must not.
# Needs python3-torch, python3-onnx, python3-numpy and public/demo/ (npm run demo-data). About 15 CPU minutes
# for both sides (longer in wall time on a busy machine); QUICK=1 runs the smallest settings (about half).
set -euo pipefail
REV=${1:-main}
WORK=${2:-/tmp/recipes-check}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DEMO=$ROOT/public/demo
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
if [ "${QUICK:-}" = 1 ]; then TT="--max-steps1 30 --max-steps2 30"; L1=4; L2=12; else TT="--max-steps1 150 --max-steps2 150"; L1=40; L2=30; fi
[ -f "$DEMO/patents.jsonl" ] || { echo "no $DEMO/patents.jsonl: run npm run demo-data" >&2; exit 2; }

rm -rf "$WORK" && mkdir -p "$WORK/rev-recipes" "$WORK/run"
git -C "$ROOT" archive "$REV" models/recipes | tar -x -C "$WORK/rev-recipes" --strip-components=2

build() {   # build SIDE RECIPES_DIR: outputs to WORK/out-SIDE, logs to WORK/logs-SIDE
  local side=$1 dir=$2 out=$WORK/out-$1 logs=$WORK/logs-$1 run=$WORK/run
  echo "== $side: $dir"
  mkdir -p "$out" "$logs"
  cd "$dir"
  $PY make_encoder.py --corpus "$DEMO/patents.jsonl" --out "$run/encoder" > "$logs/encoder.log" 2>&1
  $PY make_techtoken.py --corpus "$DEMO/patents.jsonl" --out "$run/techtoken" --minutes 100000 $TT \
    --threads 1 --seed 0 > "$logs/techtoken.log" 2>&1
  $PY eval_techtoken.py --model "$run/techtoken" --ground-truth "$DEMO/ground-truth.json" --write-manifest \
    > "$logs/eval.log" 2>&1
  $PY quantize.py "$run/techtoken" --variants int8 > "$logs/quantize.log" 2>&1
  $PY make_llama.py --demo "$DEMO" --out "$run/llama" --minutes 1000 --stage1-steps $L1 --stage2-steps $L2 \
    --threads 1 --seed 0 --save-stage1 "$run/stage1.pt" > "$logs/llama.log" 2>&1
  if [ ! -f "$WORK/stage1.pt" ]; then     # both sides load REV's stage-1 weights in the next run
    cp "$run/stage1.pt" "$WORK/stage1.pt" && cp "$run/stage1.pt.json" "$WORK/stage1.pt.json"
  fi
  mv "$run/stage1.pt.json" "$run/llama/"   # compared with the rest (the .pt pickle is not)
  rm "$run/stage1.pt"
  EVAL_STAGE1=1 $PY make_llama.py --demo "$DEMO" --out "$run/llama-loaded" --minutes 1000 --stage2-steps 6 \
    --threads 1 --seed 0 --load-stage1 "$WORK/stage1.pt" --no-quantize > "$logs/llama-loaded.log" 2>&1
  mv "$run"/* "$out/"
}
build rev "$WORK/rev-recipes"
build new "$HERE"

$PY - "$WORK/out-rev" "$WORK/out-new" <<'EOF'
import hashlib, json, os, sys
old, new = sys.argv[1], sys.argv[2]
TIMING = {"seconds", "wall_seconds", "train_seconds"}
def files(d):
    return sorted(os.path.relpath(os.path.join(r, n), d) for r, _, ns in os.walk(d) for n in ns)
def walk(a, b, path, diffs):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                diffs.append((path + "/" + k, "only on one side"))
            else:
                walk(a[k], b[k], path + "/" + k, diffs)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", diffs)
    elif a != b:
        diffs.append((path, f"{a!r} != {b!r}"))
fo, fn = files(old), files(new)
bad = 0
if fo != fn:
    print("file lists differ:", sorted(set(fo) ^ set(fn)))
    bad += 1
for f in sorted(set(fo) & set(fn)):
    a, b = open(os.path.join(old, f), "rb").read(), open(os.path.join(new, f), "rb").read()
    if a == b:
        print(f"same  {f}  sha256 {hashlib.sha256(a).hexdigest()[:16]}  {len(a)} bytes")
        continue
    if not f.endswith(".json"):
        print(f"DIFF  {f}")
        bad += 1
        continue
    diffs = []
    walk(json.loads(a), json.loads(b), "", diffs)
    other = [x for x in diffs if x[0].rsplit("/", 1)[-1].split("[")[0] not in TIMING]
    print(f"json  {f}: {len(diffs) - len(other)} timing fields differ, {len(other)} other fields differ")
    for x in other[:20]:
        print("      ", *x)
    bad += bool(other)
print("RESULT:", "same outputs (timings aside)" if not bad else f"{bad} files differ")
sys.exit(1 if bad else 0)
EOF
