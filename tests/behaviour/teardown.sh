# teardown: supervisor mode stops the whole tree when the main child ends,
# SIGTERM first and SIGKILL after --grace, and only then exits.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

# A daemonised grandchild (own session) that ignores SIGTERM, whose pid is
# written to $T/gc; the main child exits 0 at once.
DAEMON="setsid sh -c 'trap \"\" TERM; echo \$\$ > $T/gc.tmp; mv $T/gc.tmp $T/gc; exec sleep 100' & sleep 0.3; exit 0"

# As PID 1.
t0=$(now_ms)
run pid1 --grace 300ms --report "$T/r1.json" -- sh -c "$DAEMON"
dt=$(( $(now_ms) - t0 ))
check_rc pid1_exit_status_is_main_childs 0
check pid1_waits_for_grace "took ${dt} ms" test "$dt" -ge 550
check pid1_does_not_wait_forever "took ${dt} ms" test "$dt" -lt 5000
check pid1_report_counts_leftover "$(cat "$T/r1.json")" grep -q '"leftovers_signaled":1,"leftovers_killed":1' "$T/r1.json"
check pid1_report_reason_exited "$(cat "$T/r1.json")" grep -q '"reason":"exited"' "$T/r1.json"

# As a subreaper, not PID 1: the grandchild left the child's group and
# session, yet it is found and killed, and is gone when vigil exits.
rm -f "$T/gc"
run "$VIGIL" -s --grace 300ms --report "$T/r2.json" -- sh -c "$DAEMON"
check_rc subreaper_exit_status 0
gc=$(cat "$T/gc" 2>/dev/null)
check subreaper_grandchild_recorded "no pid file" test -n "$gc"
check subreaper_grandchild_killed "pid $gc still alive" gone "${gc:-0}"
check subreaper_report_killed "$(cat "$T/r2.json")" grep -q '"leftovers_killed":1' "$T/r2.json"

# A leftover that obeys SIGTERM: no SIGKILL and no waiting for the grace.
t0=$(now_ms)
run pid1 --grace 5s --report "$T/r3.json" -- sh -c 'sleep 100 & sleep 0.2; exit 4'
dt=$(( $(now_ms) - t0 ))
check_rc obedient_leftover_status 4
check obedient_leftover_no_grace_wait "took ${dt} ms" test "$dt" -lt 3000
check obedient_leftover_not_killed "$(cat "$T/r3.json")" grep -q '"leftovers_signaled":1,"leftovers_killed":0' "$T/r3.json"

# The main child ignores SIGTERM: after the grace it is SIGKILLed (137).
start_pid1 --grace 300ms --report "$T/r4.json" -- sh -c 'trap "" TERM; exec sleep 100'
sleep 0.3
t0=$(now_ms)
kill -TERM "$VPID"
wait_exit 5
dt=$(( $(now_ms) - t0 ))
check_rc grace_kill_status 137
check grace_kill_after_grace "took ${dt} ms" test "$dt" -ge 250
check grace_kill_reason "$(cat "$T/r4.json")" grep -q '"reason":"grace_kill"' "$T/r4.json"
check grace_kill_received_signal "$(cat "$T/r4.json")" grep -q '"received_signal":"SIGTERM"' "$T/r4.json"

# Without supervisor flags vigil stays the plain core: no teardown wait.
t0=$(now_ms)
run pid1 -- sh -c 'sh -c "trap \"\" TERM; exec sleep 100" & exit 0'
dt=$(( $(now_ms) - t0 ))
check_rc core_mode_exits_with_child 0
check core_mode_exits_at_once "took ${dt} ms" test "$dt" -lt 2000
# Supervising implies subreaper: without -s, not PID 1, the orphan is
# still found and stopped before vigil exits.
run "$VIGIL" -q --grace 300ms -- sh -c "sleep 77 & echo \$! > $T/orph; exit 0"
orph=$(cat "$T/orph" 2>/dev/null)
check supervise_implies_subreaper "orphan ${orph:-?} survived vigil" gone "${orph:-0}"

# A leftover whose main thread exited reads as Z in /proc but lives on:
# it must still get the grace period's SIGKILL, and vigil must not hang.
RUN_TIMEOUT=10
t0=$(now_ms)
run pid1 --grace 300ms --report "$T/r5.json" -- sh -c "$HELPERS/zombielead & sleep 0.3; exit 0"
dt=$(( $(now_ms) - t0 ))
check_rc zombie_state_leftover_status 0
check zombie_state_leftover_killed "took ${dt} ms" test "$dt" -lt 5000
summary
