#!/usr/bin/env bash
# run_fuzzer: one libFuzzer target for a bounded time, from the checked-in
# seed corpus. New inputs go to a corpus in the build folder (the checked-in
# one is only read); a crash leaves its input in WORK/artifacts/ and fails
# the test. Usage: run_fuzzer.sh FUZZER SEED_DIR WORK_DIR
# FUZZ_SECONDS sets the time (default 15).
set -u
fuzzer=$1 seeds=$2 work=$3
secs=${FUZZ_SECONDS:-15}
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
rm -f "$work"/artifacts/*
# Leaks count as findings here; UBSan stops at the first report.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus" "$seeds" 2>&1 | grep -Ev '^#[0-9]+.*(NEW|REDUCE|pulse)|^"|^######'
rc=${PIPESTATUS[0]}
for a in "$work"/artifacts/*; do
	[ -e "$a" ] || continue
	echo "finding: $a"
	od -c "$a" | head -n 20
	rc=1
done
echo "fuzz $(basename "$fuzzer"): $([ "$rc" -eq 0 ] && echo clean || echo FAILED) after ${secs}s"
exit "$rc"
