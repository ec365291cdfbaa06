# group: with -g (or VIGIL_GROUP=1) a signal sent to vigil reaches every
# process in the child's process group, a grandchild included; without it
# only the direct child gets it.
. "$(dirname "$0")/lib.sh"

SIGRECV=$HELPERS/sigrecv
[ -x "$SIGRECV" ] || { fail sigrecv_helper_present "$SIGRECV missing"; summary; }

group_case grandchild_gets_signal_with_g yes -g
group_case grandchild_gets_signal_with_long_group yes --group
VIGIL_GROUP=1 group_case grandchild_gets_signal_with_env_VIGIL_GROUP yes
group_case only_direct_child_gets_signal_without_g no
VIGIL_GROUP=0 group_case VIGIL_GROUP_0_means_no_group no

# The child leads its own process group with or without -g (-g only
# decides where signals go); only dumb-init -c keeps it in vigil's group.
run pid1 -g sh -c 'read -r l </proc/self/stat; set -- ${l##*) }; test "$3" = $$'
check_rc child_is_its_own_group_leader_with_g 0
run pid1 sh -c 'read -r l </proc/self/stat; set -- ${l##*) }; test "$3" = $$'
check_rc child_is_its_own_group_leader_without_g 0
ln -s "$VIGIL_REAL" "$T/dumb-init"
VBIN=$T/dumb-init run pid1 -c sh -c 'read -r l </proc/1/stat; set -- ${l##*) }; g1=$3
	read -r l </proc/self/stat; set -- ${l##*) }; test "$3" = "$g1" && test "$3" != $$'
check_rc dumb_init_c_child_stays_in_vigils_group 0

summary
