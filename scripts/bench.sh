#!/usr/bin/env bash
# Whole-process timings: analyses a folder of 12 MP photos rendered by `smp-heal synth` with --jobs 1 and --jobs 2,
# side by side in one run, and reports wall time, the speed-up and peak memory (GNU time -v). Then peak memory with
# --jobs 2 on half and on twice as many photos.
#
#   scripts/bench.sh [PHOTOS]      # default 24; the memory comparison uses PHOTOS / 2 and 2 x PHOTOS
#
# Photos are rendered once into target/bench-data/phone-<N>/ (not committed) and reused: series of six, in turn a
# close-up of light, of dark and of slowly healing skin with 6 px dots and a whole head with 2.5 px dots, the sizes
# a phone's 12 MP photo holds (the generator's own dots scale with the frame, to 24 and 12 px at this size); a
# folder holds photos of every series in turn, so folders of any length hold the four kinds alike.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-24}"
cargo build --release --quiet
BIN=./target/release/smp-heal
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }

render() { # render N photos of 4000x3000: series of six, one per seed, the four kinds in turn
  local n="$1" dir="target/bench-data/phone-$1" stamp="round-robin over at least four series"
  if [ "$(find "$dir" -name '*.jpg' 2>/dev/null | wc -l)" -lt "$n" ] || [ "$(cat "$dir/RENDERED" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$dir"
    local sets=$(( (n + 5) / 6 )) scenarios=(typical-healing dark-skin slow-redness whole-head) dots=(6 6 6 2.5)
    [ "$sets" -ge 4 ] || sets=4
    for seed in $(seq 1 "$sets"); do
      local k=$(( (seed - 1) % 4 ))
      "$BIN" synth "$dir/set-$seed" --scenario "${scenarios[$k]}" --size 4000x3000 --seed "$seed" \
        --dot-diameter "${dots[$k]}" >/dev/null
    done
    # Keep n photos, taken from the series in turn, so that any n holds the four kinds alike (12 photos: three of
    # each; a folder of close-ups only would peak lower than one with whole heads, whatever its length).
    for seed in $(seq 1 "$sets"); do
      find "$dir/set-$seed" -name '*.jpg' | sort | awk -v s="$seed" '{ print NR, s, $0 }'
    done | sort -n -k1,1 -k2,2 | tail -n +"$((n + 1))" | cut -d' ' -f3- | xargs -r rm -f
    echo "$stamp" > "$dir/RENDERED"
  fi
  echo "$dir"
}

run() { # run DIR JOBS -> "seconds peak_kb"
  local out; out=$(mktemp -d)
  "$TIME" -f "%e %M" -o "$out/time" "$BIN" analyze "$1" --out "$out/report" --jobs "$2" --quiet --format json || true
  cat "$out/time"; rm -rf "$out"
}

DIR=$(render "$N")
echo "photos: $N x 4000x3000 in $DIR ($(nproc) cores)"
read -r T1 M1 < <(run "$DIR" 1)
read -r T2 M2 < <(run "$DIR" 2)
echo "--jobs 1: ${T1} s, peak ${M1} kB"
echo "--jobs 2: ${T2} s, peak ${M2} kB"
awk -v a="$T1" -v b="$T2" 'BEGIN { printf "speed-up --jobs 2 / --jobs 1: %.2fx\n", a / b }'
HALF=$((N / 2))
DIR0=$(render "$HALF")
read -r T0 M0 < <(run "$DIR0" 2)
echo "--jobs 2 on $HALF photos: ${T0} s, peak ${M0} kB"
DIR2=$(render "$((2 * N))")
read -r T3 M3 < <(run "$DIR2" 2)
echo "--jobs 2 on $((2 * N)) photos: ${T3} s, peak ${M3} kB"
awk -v a="$M2" -v b="$M3" -v n="$N" 'BEGIN { printf "peak memory, %d vs %d photos: %.2fx\n", n, 2 * n, b / a }'
awk -v a="$M0" -v b="$M3" -v h="$HALF" -v n="$N" 'BEGIN { printf "peak memory, %d vs %d photos: %.2fx\n", h, 2 * n, b / a }'
