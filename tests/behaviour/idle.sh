# idle: an idle vigil (PID 1, child asleep) is never woken: its context
# switch counters do not move between 0.5 s and 5.5 s after start. A vigil
# that polled with a timeout (tini wakes every second) would fail.
. "$(dirname "$0")/lib.sh"

# switches PID: voluntary + nonvoluntary context switches of PID.
switches() {
	local v n
	v=$(status_field "$1" voluntary_ctxt_switches) || return 1
	n=$(status_field "$1" nonvoluntary_ctxt_switches) || return 1
	echo $((v + n))
}

idle_case() {
	local name=$1 a b t0
	shift
	t0=$(now_ms)
	if ! start_pid1 "$@" -- sleep 6; then
		fail "$name" "vigil did not start"
		return
	fi
	sleep_ms $(( t0 + 500 - $(now_ms) ))
	a=$(switches "$VPID")
	sleep_ms $(( t0 + 5500 - $(now_ms) ))
	b=$(switches "$VPID")
	if [ -z "$a" ] || [ -z "$b" ]; then
		fail "$name" "could not read vigil's context switches"
	else
		echo "# $name: $((b - a)) context switches between t=0.5s and t=5.5s (total $b)"
		check "$name" "vigil woke $((b - a)) times while idle" test "$((b - a))" -eq 0
	fi
	wait_exit 5
	check_rc "${name}_child_status" 0
}

idle_case idle_vigil_is_never_woken
# Every supervisor timer has a purpose and a deadline; none is pending
# while the child just runs, so nothing may wake vigil either.
if [ "$SUPERVISOR" = 1 ]; then
	idle_case idle_supervisor_with_timers_set_is_never_woken \
		--grace 2s --term-delay 1s --restart on-failure:3 --restart-delay 100ms
	# The wait's deadline (3 s, inside the window) is disarmed once the
	# dependency holds; readiness and limits add no timer.
	idle_case idle_after_wait_for_and_notify_is_never_woken \
		--wait-for file:/ --wait-timeout 3s --notify-ready --success-on-stop --rlimit nofile=1000
fi

summary
