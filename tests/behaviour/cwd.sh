# cwd: once the child runs, vigil moves to "/" so it pins no mount (a PID 1
# in a bind-mounted directory keeps it busy), while the child, a restarted
# child too, runs in the directory vigil was started in, and files named
# relative to it (--report, --state-file) still land there.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/work" "$T/mnt"
cwd_is() { [ "$(readlink "/proc/$1/cwd" 2>/dev/null)" = "$2" ]; }
first_child_cwd_is() { local c; c=$(children "$1"); [ -n "$c" ] && cwd_is "${c%% *}" "$2"; }

# Not PID 1.
cd "$T/work" || exit 1
start_plain -q -- sleep 30
cd / || exit 1
if wait_for 5 has_children "$VPID"; then
	check vigil_leaves_its_working_directory_for_root "vigil's cwd: $(readlink "/proc/$VPID/cwd")" \
		wait_for 3 cwd_is "$VPID" /
	check child_runs_in_the_directory_vigil_was_started_in "child's cwd is not $T/work" \
		first_child_cwd_is "$VPID" "$T/work"
else
	fail vigil_leaves_its_working_directory_for_root "vigil did not start its child"
fi
kill -KILL "$VPID" 2>/dev/null
wait "$VPID" 2>/dev/null

cd "$T/work" || exit 1
start_plain -q --pause
cd / || exit 1
check pause_leaves_its_working_directory_for_root "vigil's cwd: $(readlink "/proc/$VPID/cwd")" \
	wait_for 3 cwd_is "$VPID" /
kill -KILL "$VPID" 2>/dev/null
wait "$VPID" 2>/dev/null

# As PID 1 started inside a mount whose files the child no longer uses:
# the mount can be unmounted (vigil keeps it busy otherwise).
unshare --pid --fork --mount-proc --kill-child sh -c \
	"mount -t tmpfs vigil-test '$T/mnt' && cd '$T/mnt' && exec '$VIGIL' -- sh -c 'cd /; echo > \"$T/mnt.ready\"; exec sleep 30'" \
	>"$T/out" 2>"$T/err" </dev/null &
UPID=$!
BG_PIDS+=("$UPID")
if wait_file 5 "$T/mnt.ready" && VPID=$(vigil_of_unshare "$UPID"); then
	wait_for 3 cwd_is "$VPID" /
	if nsenter -t "$VPID" -m umount "$T/mnt" 2>"$T/umount.err"; then
		ok pid1_does_not_keep_its_start_mount_busy
	else
		fail pid1_does_not_keep_its_start_mount_busy "umount: $(cat "$T/umount.err")"
	fi
else
	fail pid1_does_not_keep_its_start_mount_busy "vigil or its child did not start: $(cat "$T/err")"
fi
kill -KILL "$UPID" 2>/dev/null
wait "$UPID" 2>/dev/null

if [ "$SUPERVISOR" = 1 ]; then
	# A restarted child starts where the first one did, relative command
	# path included; relative --report and --state-file are still there.
	printf '#!/bin/sh\npwd >>"%s"\nexit 1\n' "$T/cwds" >"$T/work/fail.sh"
	chmod +x "$T/work/fail.sh"
	rm -f "$T/cwds"
	cd "$T/work" || exit 1
	run pid1 --restart on-failure:2 --restart-delay 50ms --report report.json --state-file state -- ./fail.sh
	cd / || exit 1
	check_rc restarted_child_fails_with_its_code 1
	check restarted_child_runs_in_the_start_directory "cwds: $(tr '\n' '|' <"$T/cwds" 2>/dev/null)" \
		test "$(sort -u "$T/cwds" 2>/dev/null)" = "$T/work" -a "$(wc -l <"$T/cwds" 2>/dev/null)" -eq 3
	check relative_report_lands_in_the_start_directory "ls: $(ls "$T/work" /report.json 2>&1 | tr '\n' ' ')" \
		grep -q '"reason":"restart_limit"' "$T/work/report.json"
	check relative_state_file_lands_in_the_start_directory "ls: $(ls "$T/work" 2>&1 | tr '\n' ' ')" \
		test -s "$T/work/state"
fi

summary
