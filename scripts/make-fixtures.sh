#!/usr/bin/env bash
# Regenerates the committed fixture series under fixtures/ with `smp-heal synth` (deterministic for a seed).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for scenario in typical-healing slow-redness patchy stubble-regrowth dark-skin dense-fine-dots whole-head medium-skin; do
  rm -rf "fixtures/$scenario"
  ./target/release/smp-heal synth "fixtures/$scenario" --scenario "$scenario" --seed 1
done
# Typical healing photographed with a grey card under harsh lighting changes (calibration).
rm -rf fixtures/grey-card-casts
./target/release/smp-heal synth fixtures/grey-card-casts --scenario typical-healing --grey-card --harsh-light --seed 1
du -sh fixtures
