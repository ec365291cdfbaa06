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
# Not PID 1, parents that die on SIGTERM hand their children to vigil
# while the pass runs: those children must still get SIGTERM before any
# SIGKILL. Each child records the SIGTERM and exits; one left out would
# only die by the SIGKILL after the grace, unrecorded. Racy by nature,
# so a few rounds.
cat >"$T/tree.sh" <<'EOF'
# tree.sh DIR: 5 parents (die on SIGTERM) of 4 children each (record it).
d=$1
child="trap 'echo > $d/got.\$\$; exit 0' TERM; echo > $d/ready.\$\$; sleep 100 & wait"
for i in 1 2 3 4 5; do
	sh -c 'for j in 1 2 3 4; do sh -c "$1" & done; wait' sh "$child" &
done
k=0
while [ "$(ls "$d" | grep -c '^ready')" -lt 20 ] && [ $k -lt 200 ]; do
	sleep 0.05
	k=$((k + 1))
done
exit 0
EOF
count_in() { ls "$1" | grep -c "^$2"; }
# reparent_rounds PREFIX ROUNDS VIGIL-WORD...: the tree above under vigil
# (not PID 1: "$VIGIL"; as PID 1: pid1), ROUNDS times; cases
# PREFIXreparented_children_get_sigterm and ..._counted_once.
reparent_rounds() {
	local prefix=$1 rounds=$2 round D sig failed=0
	shift 2
	for round in $(seq "$rounds"); do
		D=$T/${prefix}tree$round
		mkdir -p "$D"
		run "$@" -q --grace 3s --report "$T/${prefix}rt.json" -- sh "$T/tree.sh" "$D"
		if [ "$(count_in "$D" ready)" -ne 20 ] || [ "$(count_in "$D" got)" -ne 20 ]; then
			fail "${prefix}reparented_children_get_sigterm" \
				"round $round: $(count_in "$D" got) of $(count_in "$D" ready) children got SIGTERM before SIGKILL"
			failed=1
			break
		fi
		# 5 parents, 20 children, 20 sleeps: each counted once, so never
		# more than 45. A parent whose children all died of their TERM
		# may exit by itself before its own TERM reaches it: a zombie
		# then, not counted.
		sig=$(grep -o '"leftovers_signaled":[0-9]*' "$T/${prefix}rt.json" | cut -d: -f2)
		if ! grep -q '"leftovers_killed":0' "$T/${prefix}rt.json" || [ -z "$sig" ] ||
		   [ "$sig" -gt 45 ] || [ "$sig" -lt 40 ]; then
			fail "${prefix}reparented_children_counted_once" \
				"round $round: $(grep -o '"leftovers_[a-z]*":[0-9a-z]*' "$T/${prefix}rt.json" | tr '\n' ' ')"
			failed=1
			break
		fi
	done
	[ "$failed" = 0 ] && ok "${prefix}reparented_children_get_sigterm" &&
		ok "${prefix}reparented_children_counted_once"
}
reparent_rounds "" 4 "$VIGIL"
# The same as PID 1, where one kill(-1) sends the SIGTERM and pids in
# order of creation tell what came after it.
reparent_rounds pid1_ 3 pid1

# A stopped leftover keeps its SIGTERM pending until it is continued: it
# gets SIGCONT after the SIGTERM, acts on it (its trap records it and
# exits) and needs no SIGKILL, well before the grace ends.
STOPPED="sh -c 'trap \"echo > $T/stopped.got; exit 0\" TERM; echo \$\$ > $T/stopped.pid; while :; do sleep 0.05; done' &
k=0; while [ ! -s $T/stopped.pid ] && [ \$k -lt 200 ]; do sleep 0.05; k=\$((k+1)); done
kill -STOP \$(cat $T/stopped.pid); sleep 0.2; exit 0"
for where in pid1 subreaper; do
	rm -f "$T/stopped.got" "$T/stopped.pid"
	t0=$(now_ms)
	if [ $where = pid1 ]; then
		run pid1 -q --grace 10s --report "$T/rs.json" -- sh -c "$STOPPED"
	else
		run "$VIGIL" -q --grace 10s --report "$T/rs.json" -- sh -c "$STOPPED"
	fi
	dt=$(( $(now_ms) - t0 ))
	check ${where}_stopped_leftover_acts_on_sigterm "no record of the SIGTERM; took ${dt} ms" test -e "$T/stopped.got"
	check ${where}_stopped_leftover_not_killed "took ${dt} ms: $(grep -o '"leftovers_[a-z]*":[0-9a-z]*' "$T/rs.json" | tr '\n' ' ')" \
		grep -q '"leftovers_killed":0' "$T/rs.json"
done

# leftovers_killed counts each process once: the main child killed after
# the grace is 1 (it is also in /proc when the tree gets SIGKILL), and
# TERM-ignoring leftovers are not counted again on every SIGKILL pass
# (seen with many of them: the reaping passes run while some still die).
start_pid1 --grace 300ms --report "$T/r6.json" -- sh -c 'trap "" TERM; exec sleep 100'
sleep 0.3
kill -TERM "$VPID"
wait_exit 5
check_rc main_killed_after_grace_status 137
check main_killed_counted_once "$(cat "$T/r6.json")" grep -q '"leftovers_killed":1,' "$T/r6.json"
# Leftovers holding much memory take a while to die after SIGKILL.
mkdir -p "$T/mh"
run pid1 -q --grace 300ms --report "$T/r7.json" -- sh -c "
	for i in 1 2 3 4 5 6 7 8; do
		sh -c 'trap \"\" TERM; exec \"$HELPERS/memhog\" 256 \"$T/mh/\$\$\"' &
	done
	k=0
	while [ \$(ls '$T/mh' | wc -l) -lt 8 ] && [ \$k -lt 200 ]; do sleep 0.05; k=\$((k+1)); done
	exit 0"
check many_leftovers_killed_once "$(grep -o '"leftovers_[a-z]*":[0-9a-z]*' "$T/r7.json" | tr '\n' ' ')" \
	grep -q '"leftovers_signaled":8,"leftovers_killed":8,' "$T/r7.json"

# No usable /proc as PID 1 (a chroot without it): kill(-1) still reaches
# the leftovers, so the grace must be armed and a TERM-ignoring leftover
# killed after it; how many there were is unknown (null), not 0.
cat >"$T/ign.sh" <<'EOF'
sh -c 'trap "" TERM; exec sleep 100' &
sleep 0.3
exit 0
EOF
cat >"$T/chroot.sh" <<'EOF'
# chroot.sh ROOT T VIGIL ARGS...: run VIGIL in a chroot that has /usr,
# /etc, /dev and T but no /proc.
r=$1 t=$2
shift 2
mount -t tmpfs none "$r" && mkdir -p "$r/usr" "$r/etc" "$r/dev" "$r$t" && mount --rbind /dev "$r/dev" &&
	mount --rbind /usr "$r/usr" && mount --rbind /etc "$r/etc" && mount --bind "$t" "$r$t" || exit 99
for l in bin lib lib32 lib64 sbin; do
	[ -L "/$l" ] && ln -s "usr/$l" "$r/$l"
done
exec chroot "$r" "$@"
EOF
mkdir -p "$T/root"
cp "$VIGIL_REAL" "$T/vigil-copy"
# A sanitizer runtime needs /proc itself (it fails at exit without it).
if ldd "$VIGIL_REAL" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then
	echo "# skip no_proc_pid1_*: sanitizer build, its runtime needs /proc"
else
	RUN_TIMEOUT=10
	t0=$(now_ms)
	run unshare --pid --fork --mount --kill-child sh "$T/chroot.sh" "$T/root" "$T" \
		"$T/vigil-copy" --grace 300ms --report "$T/r8.json" -- sh "$T/ign.sh"
	dt=$(( $(now_ms) - t0 ))
	check_rc no_proc_pid1_status 0
	check no_proc_pid1_grace_kills_leftover "took ${dt} ms (a leftover outlived --grace)" test "$dt" -lt 5000
	check no_proc_pid1_count_unknown "$(cat "$T/r8.json" 2>/dev/null)" grep -q '"leftovers_signaled":null,"leftovers_killed":null' "$T/r8.json"
fi

# A /proc of another PID namespace (the host's, not remounted) must not be
# read as ours: kill(-1) does the job, and the count is unknown.
t0=$(now_ms)
run unshare --pid --fork --mount --kill-child "$VIGIL" --grace 300ms --report "$T/r9.json" -- sh "$T/ign.sh"
dt=$(( $(now_ms) - t0 ))
check_rc foreign_proc_pid1_status 0
check foreign_proc_pid1_grace_kills_leftover "took ${dt} ms" test "$dt" -lt 5000
check foreign_proc_said "$(cat "$T/err")" grep -q 'another PID namespace' "$T/err"
check foreign_proc_count_unknown "$(cat "$T/r9.json" 2>/dev/null)" grep -q '"leftovers_signaled":null,"leftovers_killed":null' "$T/r9.json"
summary
