# oom: a child killed by the OOM killer inside vigil's memory cgroup is
# reported as oom_kill, not as a plain SIGKILL.
. "$(dirname "$0")/lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"

CG=
if [ -w /sys/fs/cgroup/memory ]; then
	CG=/sys/fs/cgroup/memory/vigil-oom-$$
	mkdir "$CG" || skip_all "cannot create a v1 memory cgroup"
	echo $((64 << 20)) >"$CG/memory.limit_in_bytes" || skip_all "cannot set memory.limit_in_bytes"
	[ -e "$CG/memory.memsw.limit_in_bytes" ] && echo $((64 << 20)) >"$CG/memory.memsw.limit_in_bytes"
elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	CG=/sys/fs/cgroup/vigil-oom-$$
	mkdir "$CG" || skip_all "cannot create a v2 cgroup"
	echo $((64 << 20)) >"$CG/memory.max"
	echo 0 >"$CG/memory.swap.max" 2>/dev/null
else
	skip_all "no writable memory cgroup"
fi
trap 'cleanup; sleep 0.2; rmdir "$CG" 2>/dev/null' EXIT

# Moves itself into the test cgroup, then becomes the command.
IN_CG=(sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG")

RUN_TIMEOUT=30
run "${IN_CG[@]}" unshare --pid --fork --mount-proc "$VIGIL" --report "$T/r.json" -- "$HELPERS/memhog" 1024
check_rc oom_status_is_sigkill 137
check oom_reason "$(cat "$T/r.json")" grep -q '"reason":"oom_kill"' "$T/r.json"
check oom_counted "$(cat "$T/r.json")" grep -Eq '"oom_kills":[1-9]' "$T/r.json"

# The same SIGKILL without the OOM killer is "signaled".
run "${IN_CG[@]}" unshare --pid --fork --mount-proc "$VIGIL" --report "$T/r.json" -- sh -c 'kill -KILL $$'
check_rc plain_kill_status 137
check plain_kill_is_not_oom "$(cat "$T/r.json")" grep -q '"reason":"signaled"' "$T/r.json"
summary
