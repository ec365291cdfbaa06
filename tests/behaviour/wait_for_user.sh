# wait_for_user: with --user or --cap-keep, --wait-for checks what the
# command will be able to reach: the checker takes the command's uid, gids
# and capabilities before it checks, and a drop that fails there is a
# failed round, never a check made as root.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

NETSERVE=$HELPERS/netserve

# serve NAME SOCKET: a Unix socket anyone may connect to, once it listens.
serve() {
	rm -f "$T/$1.ready"
	"$NETSERVE" -r "$T/$1.ready" -x 60 -u "$2" &
	BG_PIDS+=("$!")
	SERVER=$!
	wait_file 5 "$T/$1.ready" && chmod 666 "$2"
}

# nobody may pass through $T, into public/ but not into private/ (root's,
# 0700), gid0/ (group root, 0710) nor nobodys/ (nobody's, 0700: root
# without CAP_DAC_* cannot enter it).
chmod 711 "$T"
mkdir -m 700 "$T/private"
mkdir -m 755 "$T/public"
mkdir -m 710 "$T/gid0"
mkdir -m 700 "$T/nobodys"
touch "$T/private/x" "$T/public/x" "$T/gid0/x" "$T/nobodys/x"
chown 65534 "$T/nobodys"

# What root sees and the user does not is not ready.
run pid1 --user nobody --wait-for "file:$T/private/x" --wait-timeout 1s -- true
check_rc wait_for_file_hidden_from_the_user_times_out 68
check wait_for_file_hidden_names_permission "$(cat "$T/err")" \
	grep -q "^vigil: --wait-for file:$T/private/x: not ready after 1s: .*Permission denied" "$T/err"

serve private "$T/private/sock"
run pid1 --user nobody --wait-for "unix:$T/private/sock" --wait-timeout 1s -- true
check_rc wait_for_socket_hidden_from_the_user_times_out 68
check wait_for_socket_hidden_names_permission "$(cat "$T/err")" \
	grep -q "not ready after 1s: connect to $T/private/sock: Permission denied" "$T/err"
kill "$SERVER"

# What the user can reach holds.
serve public "$T/public/sock"
rm -f "$T/ran"
run pid1 --user nobody --wait-for "file:$T/public/x" --wait-for "unix:$T/public/sock" \
	--wait-timeout 5s -- sh -c "id -u >&2"
check_rc wait_for_what_the_user_reaches_runs_the_command 0
check wait_for_user_command_ran_as_nobody "$(cat "$T/err")" grep -qx 65534 "$T/err"
kill "$SERVER"

# The group counts: the same user with group root passes through gid0/.
run pid1 --user nobody:0 --wait-for "file:$T/gid0/x" --wait-timeout 5s -- true
check_rc wait_for_checks_with_the_users_group 0
run pid1 --user nobody --wait-for "file:$T/gid0/x" --wait-timeout 1s -- true
check_rc wait_for_other_group_times_out 68

# Kept capabilities count too, and --cap-keep alone drops root's others.
run pid1 --user nobody --cap-keep DAC_READ_SEARCH --wait-for "file:$T/private/x" --wait-timeout 5s -- true
check_rc wait_for_checks_with_the_kept_capabilities 0
run pid1 --cap-keep NET_BIND_SERVICE --wait-for "file:$T/nobodys/x" --wait-timeout 1s -- true
check_rc wait_for_cap_keep_alone_checks_without_root_capabilities 68
run pid1 --wait-for "file:$T/nobodys/x" --wait-timeout 5s -- true
check_rc wait_for_without_drop_checks_as_vigil 0

if command -v setpriv >/dev/null; then
	# A drop the checker cannot make ends vigil at once as the command's
	# start would (same line, 77, privilege_drop_failed), not after the
	# --wait-timeout; nothing is checked as root.
	run setpriv --bounding-set -setuid "$VIGIL" --user nobody -- true
	check_rc drop_without_setuid_refused_at_start 77
	why=$(sed -n 's/^vigil: //p' "$T/err")
	check drop_without_setuid_says_why "$(cat "$T/err")" grep -q "drop privileges: setresuid" "$T/err"
	rm -f "$T/ran"
	t0=$(now_ms)
	run setpriv --bounding-set -setuid "$VIGIL" --user nobody --report "$T/r.json" \
		--wait-for file:/ --wait-timeout 60s -- touch "$T/ran"
	dt=$(( $(now_ms) - t0 ))
	check_rc wait_for_failed_drop_refused_as_at_start 77
	check wait_for_failed_drop_does_not_wait_the_timeout "took ${dt} ms" test "$dt" -lt 20000
	check wait_for_failed_drop_not_run "the command ran" test ! -e "$T/ran"
	check wait_for_failed_drop_named_as_at_start "$(cat "$T/err") vs '$why'" \
		grep -qxF "vigil: $why" "$T/err"
	check wait_for_failed_drop_in_report "$(cat "$T/r.json")" \
		grep -qF "\"reason\":\"privilege_drop_failed\"" "$T/r.json"

	# Without CAP_KILL vigil can neither SIGKILL the dropped checker nor
	# have the kernel send it its parent-death signal: a stop during a
	# hanging check still ends vigil at once, and the checker ends at the
	# end of that check, before it tries the next one.
	"$NETSERVE" -r "$T/silent.ready" -x 60 -S -t 0 &
	BG_PIDS+=("$!")
	SILENT=$!
	wait_file 5 "$T/silent.ready"
	read -r PORT <"$T/silent.ready"
	"$NETSERVE" -r "$T/next.ready" -x 60 -H 503 -a "$T/next.log" -t 0 &
	BG_PIDS+=("$!")
	NEXT=$!
	wait_file 5 "$T/next.ready"
	read -r PORT2 <"$T/next.ready"
	: >"$T/next.log"
	setpriv --bounding-set -kill "$VIGIL" --user nobody --wait-for "http://127.0.0.1:$PORT/" \
		--wait-for "http://127.0.0.1:$PORT2/next" -- true >"$T/out" 2>"$T/err" </dev/null &
	UPID=$!
	VPID=$UPID
	BG_PIDS+=("$UPID")
	if wait_for 5 has_children "$VPID"; then
		CHECKER=$(children "$VPID")
		CHECKER=${CHECKER%% *}
		sleep 0.3
		kill -TERM "$VPID"
		wait_exit 1
		check_rc wait_for_no_cap_kill_term_during_check_exits_143 143
		check wait_for_no_cap_kill_checker_ends "checker $CHECKER still there" wait_for 10 gone "$CHECKER"
		check wait_for_no_cap_kill_checker_stops_before_the_next_check "$(cat "$T/next.log")" \
			test ! -s "$T/next.log"
	else
		fail wait_for_no_cap_kill_checker_started "no checker process under vigil"
	fi
	kill "$SILENT" "$NEXT"
fi
summary
