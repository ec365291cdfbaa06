# user_drop: --user drops to the target ids with no capabilities and
# no_new_privs, --cap-keep keeps named ones as ambient, and every failure
# stops vigil before the command runs.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"
[ "$(id -u)" = 0 ] || skip_all "needs root"

STATUS='grep -E "^(Uid|Gid|Groups|CapEff|CapPrm|CapInh|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status; echo "HOME=$HOME"'
line() { grep -q "^$1:[[:space:]]*$2[[:space:]]*\$" "$T/out"; }
expect() { check "$1" "$(tr '\n' '|' <"$T/out")" line "$2" "$3"; }

run pid1 --user nobody -- sh -c "$STATUS"
check_rc nobody_runs 0
expect nobody_uid Uid '65534[[:space:]]65534[[:space:]]65534[[:space:]]65534'
expect nobody_gid Gid "$(id -g nobody)[[:space:]]$(id -g nobody)[[:space:]]$(id -g nobody)[[:space:]]$(id -g nobody)"
expect nobody_no_effective_caps CapEff 0000000000000000
expect nobody_no_permitted_caps CapPrm 0000000000000000
expect nobody_empty_bounding_set CapBnd 0000000000000000
expect nobody_no_ambient CapAmb 0000000000000000
expect nobody_no_new_privs NoNewPrivs 1
check nobody_home_from_passwd "$(cat "$T/out")" grep -q '^HOME=/nonexistent$' "$T/out"

run pid1 --user nobody --cap-keep NET_BIND_SERVICE -- sh -c "$STATUS"
check_rc cap_keep_runs 0
expect cap_keep_effective CapEff 0000000000000400
expect cap_keep_ambient CapAmb 0000000000000400
expect cap_keep_bounding_cleared CapBnd 0000000000000000

run pid1 --user 1234:1234 -- sh -c "$STATUS"
check_rc numeric_without_entry_runs 0
expect numeric_uid Uid '1234[[:space:]]1234[[:space:]]1234[[:space:]]1234'
expect numeric_groups Groups 1234
# No passwd entry: HOME=/ and no USER, rather than vigil's own (root's).
run pid1 --user 1234:1234 -- sh -c 'echo "HOME=$HOME USER=${USER-unset} LOGNAME=${LOGNAME-unset}"'
check numeric_env_not_roots "$(cat "$T/out")" grep -qx 'HOME=/ USER=unset LOGNAME=unset' "$T/out"

# Supplementary groups come from /etc/group, not from root's.
run pid1 --user root:nogroup -- sh -c "$STATUS"
expect explicit_group_replaces_gid Gid "$(getent group nogroup | cut -d: -f3)[[:space:]].*"

for bad in nosuchuser nobody:nosuchgroup; do
	rm -f "$T/ran"
	run pid1 --user "$bad" -- touch "$T/ran"
	check_rc "unknown_${bad%%:*}_refused" 77
	check "unknown_${bad%%:*}_not_run" "command ran" test ! -e "$T/ran"
	check "unknown_${bad%%:*}_one_line" "$(cat "$T/err")" test "$(grep -c '^vigil: ' "$T/err")" -eq 1
done
run pid1 --user 'a:b:c' -- true
check_rc malformed_spec_is_usage_error 64
run pid1 --user nobody --cap-keep NOT_A_CAP -- true
check_rc bad_cap_is_usage_error 64

# A start refused before fork says why in the report too, with the line
# printed on stderr, not internal_error with no error.
report_says() { grep -q "\"reason\":\"$1\"" "$T/r.json" && grep -qF "\"error\":\"$2" "$T/r.json"; }
run pid1 --user nosuchuser --report "$T/r.json" -- true
check unknown_user_reported_as_drop_failure "$(cat "$T/r.json")" report_says privilege_drop_failed '--user nosuchuser: user \"nosuchuser\" not found'
run pid1 --user nobody:nosuchgroup --report "$T/r.json" -- true
check unknown_group_reported_as_drop_failure "$(cat "$T/r.json")" report_says privilege_drop_failed '--user nobody:nosuchgroup: group'
run pid1 --cap-keep BOGUS --report "$T/r.json" -- true
check bad_cap_reported_as_usage_error "$(cat "$T/r.json")" report_says usage_error "invalid --cap-keep 'BOGUS'"
run pid1 --user 'a:b:c' --report "$T/r.json" -- true
check malformed_spec_reported_as_usage_error "$(cat "$T/r.json")" report_says usage_error '--user a:b:c: invalid user spec'

# The user database as an attacker or a big directory may shape it, put
# in place with bind mounts in a mount namespace of the test's own.
# with_files PASSWD GROUP VIGIL-ARGS...: run vigil with those files.
with_files() {
	local p=$1 g=$2
	shift 2
	run unshare --mount sh -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"' \
		sh "$p" "$g" "$VIGIL" "$@"
}
# A FIFO at /etc/passwd or /etc/group must not hang vigil.
mkfifo "$T/fifo"
rm -f "$T/r.json"
RUN_TIMEOUT=10 with_files "$T/fifo" /etc/group --user nobody --report "$T/r.json" -- touch "$T/ran"
check_rc fifo_passwd_refused 77
check fifo_passwd_not_run "command ran" test ! -e "$T/ran"
check fifo_passwd_says_why "$(cat "$T/err")" grep -q '^vigil: --user nobody: cannot read /etc/passwd: not a regular file$' "$T/err"
check fifo_passwd_reported "$(cat "$T/r.json" 2>/dev/null)" grep -q '"reason":"privilege_drop_failed"' "$T/r.json"
RUN_TIMEOUT=10 with_files /etc/passwd "$T/fifo" --user nobody -- touch "$T/ran"
check_rc fifo_group_refused 77
check fifo_group_not_run "command ran" test ! -e "$T/ran"
# A 100-character name, a 1000-byte home, 3000 groups: what the kernel
# and shadow-utils allow, vigil takes.
LONG=$(printf 'u%.0s' $(seq 100))
LHOME=/$(printf 'h%.0s' $(seq 999))
{ cat /etc/passwd; echo "$LONG:x:4000:4000::$LHOME:/bin/sh"; } >"$T/passwd"
{ cat /etc/group; for i in $(seq 3000); do echo "big$i:x:$((20000 + i)):$LONG"; done; } >"$T/group"
with_files "$T/passwd" "$T/group" --user "$LONG" -- sh -c 'echo "$HOME"; grep ^Groups: /proc/self/status | wc -w'
check_rc long_name_runs 0
check long_name_home "$(head -c 200 "$T/out")" grep -qx "$LHOME" "$T/out"
check many_groups_all_set "$(tail -n 1 "$T/out")" test "$(tail -n 1 "$T/out")" = 3002

# Without CAP_SETPCAP (the runc spec default set, rootless) the bounding set
# cannot be cleared: vigil says so on stderr and in the report.
if command -v setpriv >/dev/null; then
	run setpriv --bounding-set -setpcap "$VIGIL" --user nobody --report "$T/r.json" -- sh -c "$STATUS"
	check_rc no_setpcap_runs 0
	check no_setpcap_bounding_kept "$(tr '\n' '|' <"$T/out")" grep -Eq '^CapBnd:[[:space:]]*0*[1-9a-f]' "$T/out"
	check no_setpcap_warns "$(cat "$T/err")" grep -q 'cannot clear the capability bounding set without CAP_SETPCAP' "$T/err"
	check no_setpcap_reported "$(cat "$T/r.json")" grep -q '"bounding_set_cleared":false' "$T/r.json"
	run pid1 --user nobody --report "$T/r.json" -- true
	check bounding_cleared_reported "$(cat "$T/r.json")" grep -q '"bounding_set_cleared":true' "$T/r.json"
	check bounding_cleared_no_warning "$(cat "$T/err")" test ! -s "$T/err"
	# Root without CAP_KILL cannot signal the dropped child: say so at start.
	run setpriv --bounding-set -kill "$VIGIL" --user nobody -- true
	check_rc no_cap_kill_still_runs 0
	check no_cap_kill_warns "$(cat "$T/err")" grep -q 'lacks CAP_KILL' "$T/err"
	run setpriv --bounding-set -kill "$VIGIL" --user root -- true
	check no_cap_kill_same_uid_no_warning "$(cat "$T/err")" test ! -s "$T/err"
fi

# Hardened start: already the target user, no capabilities at all. vigil
# must not try setgroups (it would fail) and must still run the command.
if command -v setpriv >/dev/null; then
	run setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all \
		"$VIGIL" -q --user 65534:65534 -- sh -c "$STATUS"
	check_rc hardened_same_user_runs 0
	expect hardened_uid Uid '65534[[:space:]]65534[[:space:]]65534[[:space:]]65534'
	# Not root and not the target: refused, never runs as the wrong user.
	rm -f "$T/ran"
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$VIGIL" -q --user 1234 -- touch "$T/ran"
	check_rc hardened_other_user_refused 77
	check hardened_other_user_not_run "command ran" test ! -e "$T/ran"
fi
# A terminal on stdin is handed to the user, and the child runs in its own
# session, so the terminal is not its controlling one (no TIOCSTI into
# vigil's terminal) but it can still use the inherited descriptors.
if command -v script >/dev/null; then
	timeout 10 script -qec "$VIGIL -q --user nobody -- sh -c 'stat -L -c %U /proc/self/fd/0; echo sid=\$(ps -o sid= -p \$\$ | tr -d \" \") pid=\$\$; echo hello >&0 && echo wrote'" /dev/null </dev/null >"$T/tty" 2>&1
	tr -d '\r' <"$T/tty" >"$T/out"
	check tty_owned_by_target "$(cat "$T/out")" grep -q '^nobody$' "$T/out"
	check tty_child_own_session "$(cat "$T/out")" grep -Eq '^sid=([0-9]+) pid=\1$' "$T/out"
	check tty_usable_by_child "$(cat "$T/out")" grep -q '^wrote$' "$T/out"
	# Even with stdin redirected, the dropped child must not reach vigil's
	# controlling terminal through /dev/tty (the TIOCSTI route).
	timeout 10 script -qec "$VIGIL -q --user nobody -- sh -c 'if sh -c \"exec 3</dev/tty\" 2>/dev/null; then echo has-ctty; else echo no-ctty; fi' </dev/null" /dev/null </dev/null 2>&1 | tr -d '\r' >"$T/out"
	check tty_not_reachable_with_stdin_redirected "$(cat "$T/out")" grep -q '^no-ctty$' "$T/out"
fi
summary
