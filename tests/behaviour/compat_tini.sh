# compat_tini: vigil started as tini or docker-init takes tini's flags and
# environment: --version in the "tini version X - git.Y" form Docker
# parses (and the native name's output parses too), exit status and -e remap, -g / TINI_KILL_PROCESS_GROUP group
# forwarding, -s / TINI_SUBREAPER (set, even empty, is on; 0/false/no
# are off), -l license, -h help.
. "$(dirname "$0")/lib.sh"

ln -s "$VIGIL_REAL" "$T/tini"
ln -s "$VIGIL_REAL" "$T/docker-init"
ln -s "$VIGIL_REAL" "$T/tini-static"
TINI_RE='^tini version [0-9]+\.[0-9]+\.[0-9]+ - git\.'

run "$T/tini" --version
check_rc tini_version_exits_0 0
check tini_version_has_docker_format "stdout: $(cat "$T/out")" grep -Eq "$TINI_RE" "$T/out"
run "$T/docker-init" --version
check docker_init_version_has_docker_format "stdout: $(cat "$T/out")" grep -Eq "$TINI_RE" "$T/out"
run "$T/tini-static" --version
check tini_static_version_has_docker_format "stdout: $(cat "$T/out")" grep -Eq "$TINI_RE" "$T/out"
# Under its own name vigil says which build it is (release kind, and
# whether supervisor mode is in).
run "$VIGIL" --version
check vigil_version_names_its_build "stdout: $(cat "$T/out")" \
	grep -Eq '^vigil [0-9.]+ \([a-z-]+, (supervisor|core)\) - git\.vigil-[0-9_]+$' "$T/out"

# Docker's parseInitVersion, on the init's whole stdout (any file name):
# split on " - ", the second part trimmed must be "git.X" with no other
# dot; X is the commit `docker info` shows (nothing or N/A otherwise).
trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	echo "${s%"${s##*[![:space:]]}"}"
}
docker_init_commit() {
	local second commit
	case $1 in *" - "*) ;; *) return 1 ;; esac
	second=${1#*" - "}
	second=$(trim "${second%%" - "*}")
	case $second in git.*) ;; *) return 1 ;; esac
	commit=${second#git.}
	case $commit in '' | *.*) return 1 ;; esac
	echo "$commit"
}
# docker_accepts NAME BINARY: Docker reads a commit naming vigil from BINARY --version.
docker_accepts() {
	local out commit
	run "$2" --version
	out=$(cat "$T/out")
	if [ "$RC" != 0 ]; then
		fail "$1" "exit status $RC"
	elif ! commit=$(docker_init_commit "$out"); then
		fail "$1" "Docker would read no commit from: $out"
	elif [[ $commit != vigil* ]]; then
		fail "$1" "commit '$commit' does not say vigil"
	else
		ok "$1"
	fi
}
check docker_parser_model_reads_real_tini_output "the model above is wrong" \
	test "$(docker_init_commit "tini version 0.19.0 - git.de40ad0")" = de40ad0
docker_accepts docker_parses_version_as_tini "$T/tini"
docker_accepts docker_parses_version_as_docker_init "$T/docker-init"
docker_accepts docker_parses_version_as_tini_static "$T/tini-static"
docker_accepts docker_parses_version_under_native_name "$VIGIL"
ln -s "$VIGIL_REAL" "$T/init-of-any-name"
docker_accepts docker_parses_version_under_any_name "$T/init-of-any-name"
run "$VIGIL" --version
check native_version_still_starts_with_vigil "stdout: $(cat "$T/out")" grep -Eq '^vigil [0-9]+\.[0-9]+' "$T/out"

export VBIN=$T/tini
run pid1 -- sh -c 'exit 5'
check_rc tini_passes_exit_status 5
run pid1 -e 5 -- sh -c 'exit 5'
check_rc tini_e_remaps_to_0 0
run pid1 -e 5 -- sh -c 'exit 6'
check_rc tini_e_leaves_other_codes 6
run pid1 sh -c 'exit 4'
check_rc tini_without_double_dash_runs_command 4
run pid1 -- sh -c 'kill -TERM $$'
check_rc tini_signal_death_gives_128_plus_n 143
run pid1 -- tini-no-such-command
check_rc tini_missing_command_gives_127 127
run pid1 -Z -- true
check_rc tini_unknown_flag_gives_64 64
run pid1 -e 300 -- true
check_rc tini_bad_e_value_gives_64 64

group_case tini_g_signals_the_group yes -g
TINI_KILL_PROCESS_GROUP=1 group_case tini_env_kill_process_group_signals_the_group yes
# tini's documentation writes `ENV TINI_KILL_PROCESS_GROUP=`: set, even empty, is on.
TINI_KILL_PROCESS_GROUP= group_case tini_env_kill_process_group_empty_signals_the_group yes
TINI_KILL_PROCESS_GROUP=0 group_case tini_env_kill_process_group_0_signals_only_the_child no
group_case tini_without_g_signals_only_the_child no
unset VBIN

# Subreaper, not PID 1.
VBIN=$T/tini orphan_case tini_s_adopts_and_reaps_orphans adopted -s
VBIN=$T/tini TINI_SUBREAPER=1 orphan_case tini_env_subreaper_adopts_and_reaps_orphans adopted
VBIN=$T/tini TINI_SUBREAPER= orphan_case tini_env_subreaper_empty_adopts_and_reaps_orphans adopted
VBIN=$T/tini TINI_SUBREAPER=false orphan_case tini_env_subreaper_false_does_not_adopt not-adopted
run "$T/tini" -s -- true
check tini_s_does_not_warn "stderr: $(cat "$T/err")" test ! -s "$T/err"
run "$T/tini" -- true
check tini_without_s_warns_about_subreaper "stderr: $(cat "$T/err")" grep -q subreaper "$T/err"

run "$T/tini" -l
check_rc tini_l_exits_0 0
check tini_l_prints_license "stdout: $(head -c 100 "$T/out")" grep -qi license "$T/out"
run "$T/tini" -h
check_rc tini_h_exits_0 0
check tini_h_prints_usage "stdout: $(head -c 100 "$T/out")" grep -q '^Usage: tini' "$T/out"

# docker-init is tini: docker runs `docker-init -- CMD`.
VBIN=$T/docker-init run pid1 -- sh -c 'exit 6'
check_rc docker_init_runs_the_command 6
VBIN=$T/docker-init run pid1 -e 6 -- sh -c 'exit 6'
check_rc docker_init_e_remaps 0
VBIN=$T/docker-init run pid1 -- sh -c 'echo "$1 $2"' sh -l -v
check docker_init_passes_flags_after_double_dash "stdout: $(cat "$T/out")" test "$(cat "$T/out")" = "-l -v"

summary
