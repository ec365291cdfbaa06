# compat_dumb_init: vigil started as dumb-init runs the child in a new
# session and signals its whole group; -c / DUMB_INIT_SETSID=0 run a single
# child (no setsid, direct signals); -r rewrites; TSTP/TTIN/TTOU stop the
# child's group with SIGSTOP (the kernel would ignore them there) and CONT
# resumes it; --version / -V print "dumb-init v..."; usage errors exit 1
# and no subreaper warning is printed, as with dumb-init.
. "$(dirname "$0")/lib.sh"

ln -s "$VIGIL_REAL" "$T/dumb-init"
export VBIN=$T/dumb-init
SIGWAIT=$HELPERS/sigwait

# Fields of /proc/self/stat after the comm: $3 pgrp, $4 session.
IN_OWN_SESSION='read -r l </proc/self/stat; set -- ${l##*) }; test "$4" = $$ && test "$3" = $$'
NOT_OWN_SESSION='read -r l </proc/self/stat; set -- ${l##*) }; test "$4" != $$ && test "$3" != $$'

run pid1 -- sh -c "$IN_OWN_SESSION"
check_rc dumb_init_child_leads_its_own_session 0
run "$T/dumb-init" sh -c "$IN_OWN_SESSION"
check_rc dumb_init_child_leads_its_own_session_not_pid1 0
run pid1 -c -- sh -c "$NOT_OWN_SESSION"
check_rc dumb_init_c_does_not_setsid 0
run pid1 --single-child -- sh -c "$NOT_OWN_SESSION"
check_rc dumb_init_single_child_long_option 0
DUMB_INIT_SETSID=0 run pid1 -- sh -c "$NOT_OWN_SESSION"
check_rc dumb_init_env_setsid_0_does_not_setsid 0
DUMB_INIT_SETSID=1 run pid1 -- sh -c "$IN_OWN_SESSION"
check_rc dumb_init_env_setsid_1_keeps_setsid 0

run pid1 sh -c 'exit 3'
check_rc dumb_init_passes_exit_status 3

group_case dumb_init_signals_the_childs_group yes
group_case dumb_init_c_signals_only_the_child no -c
DUMB_INIT_SETSID=0 group_case dumb_init_env_setsid_0_signals_only_the_child no

# -r: the child (sigwait) exits with the number of the first signal it got.
rewrite_case() {
	local name=$1 want=$2
	shift 2
	rm -f "$T/ready"
	if start_pid1 "$@" -- "$SIGWAIT" -r "$T/ready" -t 8 && wait_file 5 "$T/ready"; then
		kill -TERM "$VPID"
		wait_exit 10
		check_rc "$name" "$want"
	else
		fail "$name" "vigil or sigwait did not start"
	fi
}
rewrite_case dumb_init_r_15_10_rewrites_term_to_usr1 10 -r 15:10
rewrite_case dumb_init_rewrite_by_name 12 --rewrite TERM:USR2
rewrite_case dumb_init_c_r_rewrites_too 10 -c -r 15:10
rewrite_case dumb_init_without_r_passes_term 15

run "$T/dumb-init" --version
check_rc dumb_init_version_exits_0 0
check dumb_init_version_format "stdout: $(cat "$T/out")" grep -q '^dumb-init v' "$T/out"
run "$T/dumb-init" -V
check dumb_init_V_format "stdout: $(cat "$T/out")" grep -q '^dumb-init v' "$T/out"
run "$T/dumb-init" -h
check_rc dumb_init_h_exits_0 0
check dumb_init_h_prints_usage "stdout: $(head -c 100 "$T/out")" grep -q '^Usage: dumb-init' "$T/out"
# Usage errors exit 1, as dumb-init does (scripts check it); still one line.
run "$T/dumb-init" -Z true
check_rc dumb_init_unknown_flag_gives_1 1
check dumb_init_usage_error_is_one_line "stderr: $(tr '\n' '|' <"$T/err")" test "$(wc -l <"$T/err")" -eq 1
run "$T/dumb-init"
check_rc dumb_init_missing_command_gives_1 1
run "$T/dumb-init" -r 15 true
check_rc dumb_init_bad_rewrite_gives_1 1
run "$T/dumb-init" --rewrite
check_rc dumb_init_missing_option_value_gives_1 1

# No subreaper warning (dumb-init prints none), not PID 1, in both modes.
run "$T/dumb-init" true
check_rc dumb_init_not_pid1_runs_the_child 0
check dumb_init_not_pid1_prints_no_subreaper_warning "stderr: $(tr '\n' '|' <"$T/err")" test ! -s "$T/err"
run "$T/dumb-init" -c true
check dumb_init_c_not_pid1_prints_no_subreaper_warning "stderr: $(tr '\n' '|' <"$T/err")" test ! -s "$T/err"

# When the main child exits in setsid mode, what is left in its group gets
# SIGTERM (dumb-init does this); vigil, not PID 1 here so the namespace's
# end does not hide it, exits with the child's status at once. A recorder
# in the child's group (a background job) tells which signal it got.
SIGRECV=$HELPERS/sigrecv
LEAVE_A_JOB="\"$SIGRECV\" -o \"$T/job\" -r \"$T/job.ready\" -x TERM -E 0 & for i in \$(seq 200); do [ -e \"$T/job.ready\" ] && break; sleep 0.05; done; exit 3"
job_pid() { cat "$T/job.ready" 2>/dev/null; }
leftover_case() {
	local name=$1 expect=$2 job
	shift 2
	rm -f "$T"/job*
	run "$@" sh -c "$LEAVE_A_JOB"
	check_rc "${name}_exits_with_the_childs_status" 3
	job=$(job_pid)
	if [ -z "$job" ]; then
		fail "$name" "the background job did not start"
		return
	fi
	BG_PIDS+=("$job")
	if [ "$expect" = term ]; then
		if wait_for 5 got "$T/job" 15; then ok "$name"; else fail "$name" "the job left in the group got no SIGTERM (got: $(tr '\n' '|' <"$T/job" 2>/dev/null))"; fi
	else
		sleep 0.3
		if got "$T/job" 15; then fail "$name" "the job got SIGTERM"; else ok "$name"; fi
		kill -KILL "$job" 2>/dev/null
	fi
}
leftover_case dumb_init_terms_the_group_left_by_the_child term "$T/dumb-init"
leftover_case dumb_init_c_leaves_the_group_alone none "$T/dumb-init" -c
DUMB_INIT_SETSID=0 leftover_case dumb_init_env_setsid_0_leaves_the_group_alone none "$T/dumb-init"
leftover_case dumb_init_r_rewrites_the_term_sent_to_the_group none "$T/dumb-init" -r TERM:0
# It does not wait for them: a job that ignores TERM does not hold vigil.
cat >"$T/ignorer.sh" <<EOS
sh -c 'trap "" TERM; echo \$\$ >"$T/ign.tmp"; mv "$T/ign.tmp" "$T/ign"; exec sleep 30' </dev/null >/dev/null 2>&1 &
for i in \$(seq 200); do [ -e "$T/ign" ] && break; sleep 0.05; done
exit 4
EOS
run "$T/dumb-init" sh "$T/ignorer.sh"
check_rc dumb_init_does_not_wait_for_the_group 4
[ -s "$T/ign" ] && kill -KILL "$(cat "$T/ign")" 2>/dev/null

# stopped PID / running PID
stopped() { [ "$(proc_state "$1")" = T ]; }
running() { local s; s=$(proc_state "$1") && [ "$s" != T ] && [ "$s" != Z ]; }

# Job control: the child and a grandchild in its group.
if start_pid1 -- sh -c "sleep 30 & echo > \"$T/jc.ready\"; exec sleep 31" && wait_file 5 "$T/jc.ready"; then
	child=$(children "$VPID")
	child=${child%% *}
	wait_for 3 has_children "$child"
	grand=$(children "$child")
	grand=${grand%% *}
	for s in TSTP TTIN TTOU; do
		kill -s "$s" "$VPID"
		if wait_for 3 stopped "$child" && wait_for 3 stopped "$grand"; then
			ok "dumb_init_${s,,}_stops_the_childs_group"
		else
			fail "dumb_init_${s,,}_stops_the_childs_group" "states: child $(proc_state "$child"), grandchild $(proc_state "$grand")"
		fi
		kill -s CONT "$VPID"
		if wait_for 3 running "$child" && wait_for 3 running "$grand"; then
			ok "dumb_init_cont_after_${s,,}_resumes_the_group"
		else
			fail "dumb_init_cont_after_${s,,}_resumes_the_group" "states: child $(proc_state "$child"), grandchild $(proc_state "$grand")"
		fi
	done
	check vigil_is_not_stopped_itself "vigil state $(proc_state "$VPID")" running "$VPID"
	kill -TERM "$VPID"
	wait_exit 5
	check_rc dumb_init_term_after_job_control_gives_143 143
else
	fail dumb_init_job_control_started "vigil or child did not start"
fi

# A user rewrite of TSTP wins over the SIGSTOP translation.
rm -f "$T/ready"
if start_pid1 -r TSTP:USR1 -- "$SIGWAIT" -r "$T/ready" -t 8 && wait_file 5 "$T/ready"; then
	kill -TSTP "$VPID"
	wait_exit 10
	check_rc dumb_init_user_rewrite_of_tstp_wins 10
else
	fail dumb_init_user_rewrite_of_tstp_wins "vigil or sigwait did not start"
fi

# Even a rewrite to itself (as dumb-init's "if not defined" check): TSTP stays TSTP.
rm -f "$T/ready"
if start_pid1 -r TSTP:TSTP -- "$SIGWAIT" -r "$T/ready" -t 8 && wait_file 5 "$T/ready"; then
	kill -TSTP "$VPID"
	wait_exit 10
	check_rc dumb_init_user_rewrite_of_tstp_to_itself_keeps_tstp "$(kill -l TSTP)"
else
	fail dumb_init_user_rewrite_of_tstp_to_itself_keeps_tstp "vigil or sigwait did not start"
fi

summary
