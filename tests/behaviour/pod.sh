# pod: a Kubernetes pod with shareProcessNamespace, as kubelet builds it,
# reproduced with runc from examples/pod.yaml: a sandbox container running
# `vigil --pause` owns the PID (and network, IPC, UTS) namespace; the two
# containers of the file join it with their own commands, capabilities
# and termination-log bind mount, under a Docker-style seccomp profile
# (RuntimeDefault). Their vigil is not PID 1 (the subreaper path): it reaps
# its command's orphans, holds kubelet's SIGTERM for --term-delay before the
# app drains, writes the termination log, and killing the sandbox ends the
# whole pod.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oci_lib.sh"
[ "$SUPERVISOR" = 1 ] || skip_all "supervisor mode not built"
POD_YAML=$(dirname "$0")/../../examples/pod.yaml
[ -f "$POD_YAML" ] || { fail pod_yaml_exists "$POD_YAML missing"; summary; }
oci_setup

# --- what examples/pod.yaml says ------------------------------------------
# yaml_list CONTAINER KEY: the block list under KEY of that container.
yaml_list() {
	awk -v want="$1" -v key="$2" '
		/^    - name: / { cur = $3; inlist = 0; next }
		/^  [a-z]/ && !/^  containers:/ { cur = "" }
		cur == want && $0 ~ "^      " key ":$" { inlist = 1; next }
		inlist && /^        - / { sub(/^        - /, ""); print; next }
		{ inlist = 0 }' "$POD_YAML"
}
# yaml_value CONTAINER KEY: a scalar or flow list ([A, B]) of that container.
yaml_value() {
	awk -v want="$1" -v key="$2" '
		/^    - name: / { cur = $3; next }
		/^  [a-z]/ && !/^  containers:/ { cur = "" }
		cur == want && $1 == key ":" { sub(/^[^:]*: */, ""); print; exit }' "$POD_YAML"
}

check pod_yaml_shares_the_pid_namespace "$(grep shareProcessNamespace "$POD_YAML")" \
	grep -q '^  shareProcessNamespace: true$' "$POD_YAML"
check pod_yaml_uses_runtime_default_seccomp "" \
	grep -q '^      type: RuntimeDefault$' "$POD_YAML"
for c in app sidecar; do
	cmd=$(yaml_list "$c" command)
	check "pod_yaml_${c}_runs_vigil_as_subreaper" "command: $(echo "$cmd" | tr "\n" " ")" \
		test "$(echo "$cmd" | head -n 2 | tr '\n' ' ')" = "/usr/local/bin/vigil -s "
	check "pod_yaml_${c}_message_path_is_the_termination_log" "" \
		test "$(yaml_value "$c" terminationMessagePath)" = /dev/termination-log
	check "pod_yaml_${c}_writes_the_termination_log" "" \
		grep -qx -- "--termination-log=$(yaml_value "$c" terminationMessagePath)" <(echo "$cmd")
	check "pod_yaml_${c}_read_only_root_no_escalation" "" \
		test "$(yaml_value "$c" readOnlyRootFilesystem) $(yaml_value "$c" allowPrivilegeEscalation) $(yaml_value "$c" drop)" = "true false [ALL]"
done
check pod_yaml_app_drains_with_term_delay_not_prestop "" \
	test -z "$(grep "^ *preStop:" "$POD_YAML")" -a -n "$(yaml_list app command | grep -- '^--term-delay=')"
DELAY_MS=$(secs_to_ms "$(yaml_list app command | sed -n 's/^--term-delay=\([0-9.]*\)s$/\1/p')")

# The images: one script for both containers (named by $0). It leaves an
# orphan behind, says it is ready, and serves until SIGTERM, which it
# logs before exiting 0: the drain.
cat >"$ROOTFS/usr/local/bin/app" <<'EOF'
#!/bin/sh
name=${0##*/}
echo "uid $(id -u)" >>"/out/$name.log"
sh -c "sleep 300 </dev/null >/dev/null 2>&1 & echo \$! >/out/$name.orphan"
trap 'echo term >>"/out/$name.log"; exit 0' TERM
touch "/out/$name.ready"
while :; do
	sleep 300 &
	wait $!
done
EOF
chmod 0755 "$ROOTFS/usr/local/bin/app"
ln -s app "$ROOTFS/usr/local/bin/sidecar"

# --- the sandbox ---------------------------------------------------------------
seccomp='.linux.seccomp = $profile[0]'
prof=(--slurpfile profile "$T/docker-seccomp.json")
declare -A RUNC_PID HOST_PID
bundle pause '["/vigil", "--pause"]' "$seccomp" "${prof[@]}"
start_ctr pause
RUNC_PID[pause]=$UPID
if ! wait_for 10 ctr_running pause; then
	fail pause_container_runs "$(head -c 300 "$T/b/pause/stderr")"
	summary
fi
SB=$(ctr_pid pause)
ok pause_container_runs

# --- the containers, joining the sandbox's namespaces ------------------------
# What kubelet asks of the runtime for each container of this pod.
app_filter='
	.process.args = $cmd
	| .process.noNewPrivileges = true
	| .process.capabilities = { bounding: $caps, effective: $caps, permitted: $caps }
	| del(.hostname)
	| .linux.namespaces = [
		{ type: "pid", path: "/proc/\($sb)/ns/pid" },
		{ type: "network", path: "/proc/\($sb)/ns/net" },
		{ type: "ipc", path: "/proc/\($sb)/ns/ipc" },
		{ type: "uts", path: "/proc/\($sb)/ns/uts" },
		{ type: "mount" } ]
	| .mounts += [{ destination: $tmpath, type: "bind", source: $termlog, options: ["rbind", "rw"] }]
	| .linux.seccomp = $profile[0]'
for c in app sidecar; do
	caps=$(yaml_value "$c" add | tr -d '[] ' | tr ',' '\n' | sed 's/^/CAP_/' | jq -R . | jq -cs .)
	# kubelet's termination log: a regular host file, bind-mounted.
	: >"$T/$c.termlog"
	chmod 0666 "$T/$c.termlog"
	mapfile -t argv < <(yaml_list "$c" command)
	bundle "$c" '[]' "$app_filter" "${prof[@]}" --argjson cmd "$(json_args "${argv[@]}")" \
		--argjson caps "$caps" --arg sb "$SB" --arg termlog "$T/$c.termlog" \
		--arg tmpath "$(yaml_value "$c" terminationMessagePath)"
	if start_ctr "$c" "$c.ready"; then
		ok "${c}_container_joins_the_pod"
	else
		fail "${c}_container_joins_the_pod" "$(head -c 300 "$T/b/$c/stderr")"
		summary
	fi
	RUNC_PID[$c]=$UPID
	HOST_PID[$c]=$(ctr_pid "$c")
done

ns_of() { readlink "/proc/$1/ns/pid"; }
# ns_pid HOSTPID: the pid as seen inside its own (innermost) namespace.
ns_pid() { local p; p=$(status_field "$1" NSpid) && echo "${p##*[[:space:]]}"; }

check containers_share_the_sandbox_pid_namespace \
	"$(ns_of "$SB") $(ns_of "${HOST_PID[app]}") $(ns_of "${HOST_PID[sidecar]}")" \
	test "$(ns_of "$SB")" = "$(ns_of "${HOST_PID[app]}")" -a "$(ns_of "$SB")" = "$(ns_of "${HOST_PID[sidecar]}")"
check pause_is_pid1_of_the_pod "NSpid $(ns_pid "$SB")" test "$(ns_pid "$SB")" = 1
check app_vigil_is_not_pid1 "NSpid $(ns_pid "${HOST_PID[app]}")" test "$(ns_pid "${HOST_PID[app]}")" != 1
check app_runs_as_the_dropped_user "$(cat "$T/b/app/out/app.log")" grep -qx 'uid 10001' "$T/b/app/out/app.log"

# orphan_host_pid C: host pid of C's orphan among the children of C's vigil.
orphan_host_pid() {
	local want p
	want=$(cat "$T/b/$1/out/$1.orphan" 2>/dev/null) || return 1
	for p in $(children "${HOST_PID[$1]}"); do
		[ "$(ns_pid "$p")" = "$want" ] && echo "$p" && return 0
	done
	return 1
}
for c in app sidecar; do
	if o=$(wait_for 3 orphan_host_pid "$c" >/dev/null && orphan_host_pid "$c"); then
		ok "${c}_orphan_adopted_by_its_vigil_not_the_pause"
		kill -KILL "$o"
		check "${c}_orphan_reaped_by_its_vigil" "state $(proc_state "$o")" wait_for 3 reaped "$o"
	else
		fail "${c}_orphan_adopted_by_its_vigil_not_the_pause" \
			"orphan $(cat "$T/b/$c/out/$c.orphan" 2>/dev/null) not among children of ${HOST_PID[$c]} ($(children "${HOST_PID[$c]}"))"
	fi
done

# --- kubelet stops the app: SIGTERM held for --term-delay, then the drain ----
t0=$(now_ms)
kill_ctr app TERM
sleep 1
check app_term_held_during_term_delay "$(cat "$T/b/app/out/app.log")" \
	test -z "$(grep -x term "$T/b/app/out/app.log")"
check app_still_serving_during_term_delay "" ctr_running app
UPID=${RUNC_PID[app]}
wait_exit $(( DELAY_MS / 1000 + 15 ))
elapsed=$(( $(now_ms) - t0 ))
check_rc app_drains_and_exits_0 0
check app_got_term_after_the_delay "$(cat "$T/b/app/out/app.log")" grep -qx term "$T/b/app/out/app.log"
check term_delay_honoured "${elapsed} ms, delay ${DELAY_MS} ms" test "$elapsed" -ge $(( DELAY_MS - 500 ))

TL=$T/app.termlog
check termination_log_within_4096_bytes "$(stat -c %s "$TL") bytes" test "$(stat -c %s "$TL")" -gt 0 -a "$(stat -c %s "$TL")" -le 4096
check termination_log_summary_line "$(head -n 1 "$TL")" \
	grep -q '^vigil: /usr/local/bin/app exited with code 0 after .* (reason exited, exit code 0)$' <(head -n 1 "$TL")
json_ok() { tail -n +2 "$1" | jq -e . >/dev/null 2>&1; }
check termination_log_json_parses "$(tail -n +2 "$TL")" json_ok "$TL"
check termination_log_names_kubelets_term "$(tail -n 1 "$TL")" \
	test "$(report_field "$TL" .received_signal)" = SIGTERM
check pod_lives_on_without_the_app "" ctr_running pause

# --- the sandbox is killed: the kernel ends every process of the pod --------
pod_ns=$(ns_of "$SB")
in_pod() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$pod_ns" ] && return 0
	done
	return 1
}
kill_ctr pause TERM
UPID=${RUNC_PID[pause]}
wait_exit 10
check_rc pause_exits_0_on_term 0
UPID=${RUNC_PID[sidecar]}
wait_exit 10
check_rc sidecar_ends_with_the_pod 137
if wait_for 5 eval '! in_pod'; then
	ok no_process_left_in_the_pod
else
	fail no_process_left_in_the_pod "still there: $(for p in /proc/[0-9]*; do [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$pod_ns" ] && echo "${p#/proc/}"; done | tr '\n' ' ')"
fi
summary
