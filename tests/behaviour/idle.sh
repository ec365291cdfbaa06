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

# With every health flag set, vigil wakes for its probes and for nothing
# else: no switch at all between two probes (3 s apart: at about 3 s and
# 6 s); around one, the timer, the fork, the probe's exec, its output,
# its SIGCHLD and the health file's fsync make a handful (a loop polling
# in the meantime would make hundreds).
health_idle_case() {
	local name=$1 a b c t0
	t0=$(now_ms)
	if ! start_pid1 --health-cmd true --health-interval 3s --health-timeout 1s \
		--health-start-period 1s --health-start-interval 3s --health-retries 2 \
		--on-unhealthy restart --restart on-failure:1 --health-file "$T/h.json" -- sleep 8; then
		fail "$name" "vigil did not start"
		return
	fi
	sleep_ms $(( t0 + 2000 - $(now_ms) ))
	a=$(switches "$VPID")
	sleep_ms $(( t0 + 4000 - $(now_ms) ))
	b=$(switches "$VPID")
	sleep_ms $(( t0 + 5400 - $(now_ms) ))
	c=$(switches "$VPID")
	if [ -z "$a" ] || [ -z "$b" ] || [ -z "$c" ]; then
		fail "$name" "could not read vigil's context switches"
	else
		echo "# $name: $((b - a)) switches around the probe at 3 s, $((c - b)) between 4 s and 5.4 s"
		check "${name}_between_probes" "vigil woke $((c - b)) times between two probes" test "$((c - b))" -eq 0
		check "${name}_only_a_few_times_per_probe" "vigil woke $((b - a)) times for one probe" \
			test "$((b - a))" -ge 1 -a "$((b - a))" -le 40
	fi
	wait_exit 8
	check_rc "${name}_child_status" 0
}

if [ "$SUPERVISOR" = 1 ]; then
	health_idle_case idle_vigil_with_health_probes_wakes_only_for_them
fi

# voluntary PID: times PID went to sleep (each one a wake later). The
# preemptions a loaded machine adds (nonvoluntary) are not vigil's doing.
voluntary() { status_field "$1" voluntary_ctxt_switches; }

# lines FILE PATTERN: how many lines of FILE match PATTERN (0 when missing).
lines() { grep -c -- "$2" "$1" 2>/dev/null || true; }

# Two wakes per probe and no more: the timer that starts it and the
# SIGCHLD that ends it. Neither the wait for its exec nor the end of its
# output pipe may put vigil to sleep once more (that made about 4 per
# probe). The probes count themselves (lines of COUNTFILE matching
# PATTERN): vigil writes no file here, whose file system could make it
# sleep. Over N probes, at most 2N, plus a quarter for the odd sleep a
# loaded machine forces (a page fault) and the probes cut by the
# window's ends.
per_probe_case() {
	local name=$1 count=$2 pattern=$3 a b ca cb n t0
	shift 3
	t0=$(now_ms)
	if ! start_pid1 --health-interval 100ms "$@" -- sleep 5; then
		fail "$name" "vigil did not start"
		return
	fi
	sleep_ms $(( t0 + 1000 - $(now_ms) ))
	a=$(voluntary "$VPID") ca=$(lines "$count" "$pattern")
	sleep_ms $(( t0 + 4000 - $(now_ms) ))
	b=$(voluntary "$VPID") cb=$(lines "$count" "$pattern")
	if [ -z "$a" ] || [ -z "$b" ] || [ -z "$ca" ] || [ -z "$cb" ]; then
		fail "$name" "could not read vigil's context switches or the probes' count"
	else
		n=$((cb - ca))
		echo "# $name: $((b - a)) sleeps for $n probes"
		check "${name}_ran_probes" "only $n probes in 3 s at 100 ms" test "$n" -ge 8
		check "$name" "vigil slept $((b - a)) times for $n probes" \
			test "$((b - a))" -le $((2 * n + n / 4 + 4))
	fi
	wait_exit 10
	check_rc "${name}_child_status" 0
}

if [ "$SUPERVISOR" = 1 ]; then
	per_probe_case command_probe_wakes_vigil_twice "$T/probes" '' \
		--health-cmd "sh -c 'echo >>$T/probes'"
	"$HELPERS/httpd" "$T/port" "$T/code" "$T/hlog" -t 30 &
	BG_PIDS+=("$!")
	if wait_for 5 test -s "$T/port"; then
		per_probe_case http_probe_wakes_vigil_twice "$T/hlog" '^GET ' \
			--health-http "http://127.0.0.1:$(cat "$T/port")/"
	else
		fail http_probe_wakes_vigil_twice "the test's HTTP server did not start"
	fi
fi

summary
