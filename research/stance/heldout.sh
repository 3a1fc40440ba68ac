#!/usr/bin/env bash
# The held-out figures of docs/stance.md: split FNC-1 train (and ARC train) into training and held-out
# parts (by body, and by claim), train the shipped configuration on each training part, and score the
# held-out parts once: whole bodies, and bodies cut to their 1 or 2 sentences closest to the headline.
#   research/stance/heldout.sh [OUT]     (default OUT: /tmp/stance-heldout; about 10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-/tmp/stance-heldout}"
DATA=../shared/data
PY=.venv/bin/python
$PY -m storyline.story.stance.splits $DATA/fnc-1/train_stances.csv $DATA/fnc-1/train_bodies.csv --out "$OUT/fnc"
$PY -m storyline.story.stance.splits $DATA/arc/arc_stances_train.csv $DATA/arc/arc_bodies.csv --out "$OUT/arc"
for kind in body claim; do
    $PY -m storyline.story.stance.train --short-copies \
        --data "$OUT/fnc/$kind/train_stances.csv" "$OUT/fnc/$kind/train_bodies.csv" --out "$OUT/$kind.npz"
    for set in fnc arc; do
        for cut in 0 1 2; do
            extra=(); [ "$cut" = 0 ] || extra=(--cut-bodies "$cut")
            echo "== $set $kind-split held-out, trained on $kind/train, bodies cut to: ${cut/0/whole}"
            .venv/bin/storyline eval stance "$OUT/$set/$kind/heldout_stances.csv" "$OUT/$set/$kind/heldout_bodies.csv" \
                --model "$OUT/$kind.npz" "${extra[@]}"
        done
    done
done
