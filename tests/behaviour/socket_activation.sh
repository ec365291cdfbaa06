# socket_activation: when LISTEN_PID names vigil, the fds 3.. it was given
# (systemd, podman) are meant for the child: the child gets LISTEN_PID set
# to its own pid, LISTEN_FDS / LISTEN_FDNAMES as they were, and the fds
# themselves. A LISTEN_PID naming another process is left alone.
. "$(dirname "$0")/lib.sh"

echo payload >"$T/fd3"
SHOW='echo "$LISTEN_PID $$ ${LISTEN_FDS-unset} ${LISTEN_FDNAMES-unset}"; cat <&3'

# As PID 1 (podman's case: LISTEN_PID=1).
LISTEN_PID=1 LISTEN_FDS=1 LISTEN_FDNAMES=web run pid1 -- sh -c "$SHOW" 3<"$T/fd3"
check_rc listen_child_runs 0
read -r lpid cpid fds names <"$T/out"
check listen_pid_names_the_child_as_pid1 "child saw LISTEN_PID=$lpid, its pid is $cpid" test "$lpid" = "$cpid"
check listen_fds_and_names_are_kept "child saw LISTEN_FDS=$fds LISTEN_FDNAMES=$names" test "$fds $names" = "1 web"
check listen_fd_3_is_passed "stdout: $(tr '\n' '|' <"$T/out")" grep -qx payload "$T/out"

# Not PID 1: LISTEN_PID is vigil's pid (the shell's, which execs vigil).
run sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" -q -- sh -c "$1"' "$VIGIL" "$SHOW" 3<"$T/fd3"
read -r lpid cpid fds names <"$T/out"
check listen_pid_names_the_child_not_pid1 "child saw LISTEN_PID=$lpid, its pid is $cpid" test "$lpid" = "$cpid"
check listen_fd_3_is_passed_not_pid1 "stdout: $(tr '\n' '|' <"$T/out")" grep -qx payload "$T/out"

# Meant for another process: untouched.
LISTEN_PID=7 LISTEN_FDS=1 run pid1 -- sh -c "$SHOW" 3<"$T/fd3"
read -r lpid cpid fds names <"$T/out"
check listen_pid_of_another_process_is_left_alone "child saw LISTEN_PID=$lpid" test "$lpid" = 7
LISTEN_PID=01x LISTEN_FDS=1 run pid1 -- sh -c "$SHOW" 3<"$T/fd3"
read -r lpid cpid fds names <"$T/out"
check listen_pid_not_a_number_is_left_alone "child saw LISTEN_PID=$lpid" test "$lpid" = 01x

if [ "$SUPERVISOR" = 1 ]; then
	# Every restarted child gets its own pid.
	LISTEN_PID=1 LISTEN_FDS=1 run pid1 --restart on-failure:1 --restart-delay 50ms -- \
		sh -c 'echo "$LISTEN_PID $$" >>"$0"; read -r x <&3 && exit 1' "$T/restarts" 3<"$T/fd3"
	check_rc listen_restarted_child_ran_twice 1
	check listen_pid_names_each_restarted_child "lines: $(tr '\n' '|' <"$T/restarts" 2>/dev/null)" \
		awk 'NF != 2 || $1 != $2 { bad = 1 } END { exit bad || NR != 2 }' "$T/restarts"
	# The privilege drop rewrites the environment (HOME, USER) after
	# LISTEN_PID was set: it must survive that.
	LISTEN_PID=1 LISTEN_FDS=1 run pid1 --user nobody --preflight off -- sh -c "$SHOW" 3<"$T/fd3"
	if [ "$RC" = 64 ] && grep -q libcap-ng "$T/err"; then
		echo "# skip listen_pid_survives_the_privilege_drop: no libcap-ng"
	else
		read -r lpid cpid fds names <"$T/out"
		check listen_pid_survives_the_privilege_drop "child saw LISTEN_PID=$lpid, its pid is $cpid" test "$lpid" = "$cpid"
	fi
fi

summary
