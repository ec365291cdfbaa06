# rlimits: --rlimit NAME=SOFT[:HARD] and --core-dumps set the child's
# resource limits (seen in its /proc/PID/limits); a bad spec is a usage
# error and a hard limit vigil may not raise is refused (77) before
# anything runs.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

RAN="echo ran >\"$T/ran\""
not_run() { [ ! -e "$T/ran" ]; }

# limit FILE NAME: "SOFT HARD" of the line "Max NAME" in a limits file.
limit() {
	local line
	line=$(grep "^Max $2 " "$1") || return 1
	line=${line#"Max $2"}
	set -- $line
	echo "$1 $2"
}
has_limit() { [ "$(limit "$1" "$2")" = "$3" ]; }

# The child's own /proc/PID/limits, read from outside while it runs.
# (cpu time is unlimited everywhere this suite runs, so asking for it
# raises nothing.)
start_pid1 --rlimit nofile=100:200 --rlimit cpu=unlimited:unlimited --core-dumps -- sleep 100
# The child has exec'd (a forked vigil has not applied the limits yet).
child_execd() {
	local c
	c=$(children "$VPID")
	c=${c%% *}
	[ -n "$c" ] && ! is_vigil "$c"
}
if wait_for 5 child_execd; then
	CHILD=$(children "$VPID")
	CHILD=${CHILD%% *}
	cp "/proc/$CHILD/limits" "$T/limits"
	check rlimit_nofile_soft_and_hard "$(limit "$T/limits" "open files")" has_limit "$T/limits" "open files" "100 200"
	check rlimit_unlimited_accepted "$(limit "$T/limits" "cpu time")" has_limit "$T/limits" "cpu time" "unlimited unlimited"
	if [ "$(ulimit -Hc)" = unlimited ]; then
		check core_dumps_sets_core_unlimited "$(limit "$T/limits" "core file size")" \
			has_limit "$T/limits" "core file size" "unlimited unlimited"
	fi
	check rlimit_not_applied_to_vigil "vigil: $(limit "/proc/$VPID/limits" "open files")" \
		test "$(limit "/proc/$VPID/limits" "open files")" != "100 200"
else
	fail rlimit_child_started "no child under vigil"
fi
kill -TERM "$VPID"
wait_exit 5

# SOFT alone sets both, as Docker's --ulimit; names in any case.
run pid1 --rlimit NOFILE=150 -- cat /proc/self/limits
check_rc rlimit_soft_alone_runs 0
check rlimit_soft_alone_sets_both "$(limit "$T/out" "open files")" has_limit "$T/out" "open files" "150 150"

# Restarted children get the same limits.
rm -f "$T/runs"
run pid1 --rlimit fsize=4096:8192 --restart on-failure:1 --restart-delay 50ms -- \
	sh -c "grep '^Max file size' /proc/self/limits >>\"$T/runs\"; exit 1"
check_rc rlimit_restart_status 1
check rlimit_kept_across_restarts "$(cat "$T/runs" 2>/dev/null)" \
	test "$(grep -c '4096 *8192' "$T/runs")" -eq 2

# Bad specs: usage error, nothing runs.
for spec in nofle=1 nofile nofile= nofile=-1 nofile=1x nofile=200:100 nofile=1:2:3 "=5" \
	nofile=18446744073709551615 core=unlimited:5; do
	rm -f "$T/ran"
	run pid1 --rlimit "$spec" -- sh -c "$RAN"
	check_rc "rlimit_bad_spec_${spec//[^a-z0-9]/_}_is_usage_error" 64
	check "rlimit_bad_spec_${spec//[^a-z0-9]/_}_not_run" "the command ran" not_run
done
check rlimit_bad_spec_line "$(cat "$T/err")" grep -q "invalid --rlimit 'core=unlimited:5' (soft above hard" "$T/err"

# A raise above vigil's own hard limit without CAP_SYS_RESOURCE.
capeff=$(status_field $$ CapEff)
if (( (16#$capeff >> 24) & 1 )); then
	echo "# skip: this shell has CAP_SYS_RESOURCE, every raise is allowed"
else
	hard=$(ulimit -Hn)
	rm -f "$T/ran" "$T/r.json"
	run pid1 --report "$T/r.json" --rlimit "nofile=100:$((hard + 1))" -- sh -c "$RAN"
	check_rc rlimit_refused_raise_exits_77 77
	check rlimit_refused_raise_not_run "the command ran" not_run
	check rlimit_refused_raise_line "$(cat "$T/err")" \
		grep -q "^vigil: --rlimit nofile=100:$((hard + 1)): hard limit $((hard + 1)) is above vigil's own ($hard) and raising it needs CAP_SYS_RESOURCE" "$T/err"
	check rlimit_refused_raise_reason "$(cat "$T/r.json" 2>/dev/null)" grep -q '"reason":"rlimit_refused"' "$T/r.json"
	# Lowering is always allowed.
	run pid1 --rlimit "nofile=10:$((hard - 1))" -- true
	check_rc rlimit_lowering_is_allowed 0
fi
summary
