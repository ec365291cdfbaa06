# reaping: vigil as PID 1 reaps every orphan re-parented to it (thousands
# of double-forked processes leave no zombie behind), and a child that
# exits before vigil waits for it still ends vigil promptly.
. "$(dirname "$0")/lib.sh"

ORPHANS=$HELPERS/orphans
[ -x "$ORPHANS" ] || { fail orphans_helper_present "$ORPHANS missing"; summary; }

# orphans counts every process in the namespace but itself and PID 1 and
# waits up to -t seconds for them to be gone; it exits 1 if any is left.
run pid1 "$ORPHANS" -n 5000 -t 5
check_rc orphans_are_reaped_as_pid1 0
check orphans_report_zero_zombies "$(cat "$T/out")" grep -q '^orphans 5000 zombies 0 alive 0$' "$T/out"
echo "# $(cat "$T/out")"

# Orphans that are still running when re-parented and exit later.
run pid1 "$ORPHANS" -n 2000 -d 30 -t 5
check_rc late_orphans_are_reaped_as_pid1 0
echo "# $(cat "$T/out")"

# The main child waits under a shell: orphans of a grandchild, too.
run pid1 sh -c "\"$ORPHANS\" -n 500 -t 5; exit \$?"
check_rc orphans_of_a_grandchild_are_reaped 0

# Reaping orphans must not end vigil: only the main child does.
run pid1 sh -c "\"$ORPHANS\" -n 200 -t 5 >/dev/null; sleep 0.2; exit 7"
check_rc orphans_exiting_do_not_end_vigil 7

# -w warns once per reaped orphan, never for the main child.
run pid1 -w sh -c "\"$ORPHANS\" -n 3 -t 5 >/dev/null"
n=$(grep -c 'reaped zombie process' "$T/err")
check warn_reap_reports_each_orphan "want 3 warnings, got $n: $(tr '\n' '|' <"$T/err")" test "$n" -eq 3

# A child that is gone before vigil reaches its loop: the pending
# SIGCHLD must still be seen. Twenty runs, each bounded by 2 s.
t0=$(now_ms)
bad=
for i in $(seq 20); do
	RUN_TIMEOUT=2 run pid1 true
	[ "$RC" = 0 ] || bad="$bad run$i:$RC"
done
t1=$(now_ms)
check fast_exiting_child_gives_exit_0 "statuses:$bad" test -z "$bad"
check fast_exiting_child_ends_vigil_promptly "20 runs took $((t1 - t0)) ms" test $((t1 - t0)) -lt 5000
echo "# 20 runs of 'vigil true' as PID 1: $((t1 - t0)) ms"

RUN_TIMEOUT=2 run pid1 sh -c 'exit 9'
check_rc fast_exiting_child_status_kept 9

summary
