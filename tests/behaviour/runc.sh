# runc: the static vigil as the init of real OCI containers run by runc,
# as a runtime starts it from an image's ENTRYPOINT: PID 1, orphans reaped,
# `runc kill TERM` passed on (143, or 0 with -e 143), a child ignoring TERM
# killed after --grace, the report and termination log written to a bind
# mount, --user with and without CAP_SETUID/CAP_SETGID, an OOM kill under a
# 32 MiB memory limit, and all of it under a Docker-style seccomp profile.
# Foreground `runc run` forwards its Go runtime's SIGURG to PID 1: every
# command here ignores it (the default action), so vigil's passing it on is
# harmless.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oci_lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"
oci_setup

# A command that says it is ready, then waits to be signalled.
READY_SLEEP='touch /out/ready; exec sleep 60'
caps_setid='.process.capabilities |= with_entries(.value += ["CAP_SETUID", "CAP_SETGID"])'

# --- PID 1 ---------------------------------------------------------------
bundle pid1 '["/vigil", "--", "sh", "-c", "echo ppid=$PPID; echo exe=$(readlink /proc/1/exe); /sysprobe clone3; exit 0"]'
run_ctr pid1
check_rc vigil_runs_as_container_init 0
check vigil_is_pid1_and_parent_of_the_command "$(cat "$T/out" "$T/err")" \
	grep -qx 'ppid=1' "$T/out"
check pid1_is_the_vigil_binary "$(cat "$T/out")" grep -qx 'exe=/vigil' "$T/out"
check clone3_is_allowed_without_a_profile "$(cat "$T/out")" test "$(tail -n 1 "$T/out")" = EINVAL

bundle orphans '["/vigil", "--", "/orphans", "-n", "200", "-t", "10"]'
run_ctr orphans
check_rc orphans_reaped_in_runc 0
check orphans_none_left "$(cat "$T/out")" grep -q 'zombies 0 alive 0' "$T/out"

# --- signals from the runtime ------------------------------------------
# kill_case NAME WANT-RC [VIGIL ARGS...]: start vigil running KILL_CMD
# (default: READY_SLEEP) in a bundle edited by BUNDLE_FILTER (jq, with
# the jq options in BUNDLE_JQ), `runc kill TERM` it once ready, check.
kill_case() {
	local name=$1 want=$2 args
	shift 2
	args=$(json_args /vigil "$@" -- sh -c "${KILL_CMD:-$READY_SLEEP}")
	bundle "$name" "$args" "${BUNDLE_FILTER:-.}" "${BUNDLE_JQ[@]}"
	if ! start_ctr "$name" ready; then
		fail "$name" "container did not start: $(head -c 300 "$T/b/$name/stderr")"
		return 1
	fi
	kill_ctr "$name" TERM
	wait_exit 15
	if [ "$RC" = "$want" ]; then
		ok "$name"
	else
		fail "$name" "exit status $RC, want $want ($(head -c 300 "$T/b/$name/stderr" | tr '\n' '|'))"
	fi
}
BUNDLE_JQ=()

kill_case runc_kill_term_gives_143 143 \
	--report /out/report.json --termination-log /out/termination-log
O=$T/b/runc_kill_term_gives_143/out
check report_reaches_bind_mount "$(cat "$O/report.json" 2>/dev/null)" \
	test "$(jq -r .reason "$O/report.json" 2>/dev/null)" = signaled
check report_names_the_runtimes_term "$(cat "$O/report.json" 2>/dev/null)" \
	test "$(jq -r .received_signal "$O/report.json" 2>/dev/null)" = SIGTERM
check termination_log_reaches_bind_mount "$(cat "$O/termination-log" 2>/dev/null)" \
	grep -q '^vigil: sh killed by SIGTERM' "$O/termination-log"
check termination_log_ends_with_the_report "$(tail -n 1 "$O/termination-log" 2>/dev/null)" \
	test "$(report_field "$O/termination-log" .exit_code)" = 143

kill_case remap_e_143_gives_0 0 -e 143

KILL_CMD='trap "" TERM; touch /out/ready; exec sleep 60' \
	kill_case grace_kills_a_child_ignoring_term 137 --grace 1s --report /out/report.json
O=$T/b/grace_kills_a_child_ignoring_term/out
check grace_kill_reported "$(cat "$O/report.json" 2>/dev/null)" \
	test "$(jq -r .reason "$O/report.json" 2>/dev/null)" = grace_kill

# --- privilege drop ----------------------------------------------------------
bundle user_drop '["/vigil", "--user", "app", "--", "sh", "-c", "echo $(id -u):$(id -g)"]' "$caps_setid"
run_ctr user_drop
check_rc user_drop_with_setuid_setgid_caps 0
check user_drop_runs_as_app "$(cat "$T/out" "$T/err")" grep -qx '1000:1000' "$T/out"

bundle user_nocaps '["/vigil", "--user", "app", "--", "sh", "-c", "echo ran as $(id -u)"]'
run_ctr user_nocaps
check_rc user_drop_without_caps_exits_77 77
check user_drop_without_caps_says_why "$(cat "$T/err")" grep -q '^vigil: drop privileges: .*Operation not permitted' "$T/err"
check user_drop_without_caps_runs_nothing "$(cat "$T/out")" test ! -s "$T/out"

# --- memory limit --------------------------------------------------------------
# 32 MiB for the container's cgroup (v1 memory controller or v2); swap
# included where the host accounts it, so the hog cannot page out instead.
# (v2: runc writes memory.swap.max = swap - limit = 0, or skips it when
# the kernel has no swap accounting.)
mem='.linux.resources.memory = { limit: 33554432 }'
if [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	mem='.linux.resources.memory = { limit: 33554432, swap: 33554432 }'
fi
bundle oom '["/vigil", "--report", "/out/report.json", "--", "/memhog", "256"]' "$mem"
run_ctr oom
check_rc oom_in_32mib_container_gives_137 137
O=$T/b/oom/out
check oom_kill_reported "$(cat "$O/report.json" 2>/dev/null) $(head -c 300 "$T/err")" \
	test "$(jq -r .reason "$O/report.json" 2>/dev/null)" = oom_kill

# --- Docker's default seccomp profile ------------------------------------------
seccomp_filter='.linux.seccomp = $profile[0]'
prof=(--slurpfile profile "$T/docker-seccomp.json")
bundle sc_pid1 '["/vigil", "--report", "/out/report.json", "--", "sh", "-c", "/sysprobe clone3; /orphans -n 100 -t 10"]' \
	"$seccomp_filter" "${prof[@]}"
run_ctr sc_pid1
check_rc profile_vigil_runs_and_reaps 0
check profile_is_applied_clone3_enosys "$(cat "$T/out" "$T/err")" grep -qx ENOSYS "$T/out"
check profile_orphans_none_left "$(cat "$T/out")" grep -q 'zombies 0 alive 0' "$T/out"
check profile_report_exited "$(cat "$T/b/sc_pid1/out/report.json" 2>/dev/null)" \
	test "$(jq -r .reason "$T/b/sc_pid1/out/report.json" 2>/dev/null)" = exited

bundle sc_user '["/vigil", "--user", "app", "--seccomp", "default", "--preflight", "fail", "--", "sh", "-c", "echo $(id -u)"]' \
	"$seccomp_filter | $caps_setid" "${prof[@]}"
run_ctr sc_user
check_rc profile_user_drop_and_vigil_filter_stack 0
check profile_user_drop_runs_as_app "$(cat "$T/out" "$T/err")" grep -qx 1000 "$T/out"

BUNDLE_JQ=("${prof[@]}")
BUNDLE_FILTER="$seccomp_filter | $caps_setid" kill_case profile_runc_kill_term_with_user_gives_143 143 \
	--user app --seccomp default --grace 2s
summary
