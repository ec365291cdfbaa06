/* main: wires the pieces together and owns every exit code. After the
 * child has started vigil never bails out on its own: it only leaves when
 * the child (and, supervising, its tree) is gone. */
#include "config.h"

#include "failure.h"
#include "log.h"
#include "options.h"
#include "pdeath.h"
#include "signals.h"
#include "vigil.h"
#if HAVE_SUPERVISOR
#include "health.h"
#include "supervise.h"
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

static const char license[] =
"vigil is released under the MIT license.\n"
"Copyright (c) 2026 the vigil authors. Permission is hereby granted, free of\n"
"charge, to any person obtaining a copy of this software, to deal in it\n"
"without restriction, provided the copyright notice is kept. The software is\n"
"provided \"as is\", without warranty of any kind.\n";

static int take_over_signals(void)
{
	sigset_t set;
	int fd, r;

	sig_reset_dispositions();
	sig_takeover_set(&set);
	r = sig_block_takeover(&set);
	if (r < 0) {
		log_errno(-r, "block signals");
		return -1;
	}
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		log_errno(errno, "create signalfd");
	return fd;
}

static int setup_process(const struct options *o, pid_t parent_at_start)
{
	int is_sub = 0;

	if (o->pdeath_sig) {
		int r = pdeath_arm(o->pdeath_sig, parent_at_start);

		if (r < 0) {
			log_errno(-r, "set parent-death signal %d", o->pdeath_sig);
			return -1;
		}
		if (r > 0)
			info_msg("parent %d died before the parent-death signal was set: acting on signal %d now",
				 (int)parent_at_start, o->pdeath_sig);
	}
	/* Supervising implies it: teardown must find orphans of the tree. */
	if ((o->subreaper || o->sup.enabled) && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		log_errno(errno, "become child subreaper");
		return -1;
	}
	if (getpid() != 1) {
		if (prctl(PR_GET_CHILD_SUBREAPER, &is_sub) < 0)
			is_sub = 0;
		if (!is_sub && !o->no_subreaper_warning)
			warn_msg("not running as PID 1 and not a child subreaper: orphaned "
				 "zombies will not be reaped (use -s or run as PID 1; -q hides this)");
	}
	return 0;
}

static int handle_exit_options(const struct options *o)
{
	if (o->show_help)
		options_usage(o->fe, 0);
	else if (o->show_version)
		options_version(o->fe);
	else if (o->show_license)
		fputs(license, stdout);
	if (fflush(stdout) != 0) {
		log_errno(errno, "write to stdout");
		return EXIT_INTERNAL;
	}
	return 0;
}

static int run_core(struct vigil *v)
{
	struct spawn_error e;
	int r;

	if (!v->opt->pause) {
		r = child_start(v, NULL, NULL, &e);
		if (r)
			return r;
	} else {
		child_leave_cwd(v);
	}
	r = loop_run(v);
	return r ? r : v->exit_code;
}

/* dumb-init exits 1 on a usage error and scripts written for it check that. */
static int usage_exit_code(const struct options *o)
{
	return o->fe == FE_DUMB_INIT ? 1 : failure_info(FAIL_USAGE)->exit_code;
}

int main(int argc, char **argv)
{
	static struct options o;
	/* Static, and in .bss: zeroing its path buffer on the stack was a
	 * sixth of the instructions vigil runs from exec to the child's exit. */
	static struct vigil v;
	/* First thing: the -p race window opens when we start, not at prctl. */
	pid_t parent = getppid();
	char err[512];
	int r;

	v.opt = &o;
	v.sfd = -1;
	/* A subcommand only as the very first word of the native front-end:
	 * `vigil -- health` (or any option first) runs a command named health. */
	if (argc > 1 && strcmp(argv[1], "health") == 0 && options_front_end(argv[0]) == FE_VIGIL) {
#if HAVE_SUPERVISOR
		return health_main(argc - 1, argv + 1);
#else
		err_msg("vigil health needs the supervisor build (vigil -- health runs a command named health)");
		return EXIT_USAGE;
#endif
	}
	r = options_parse(&o, argc, argv, err, sizeof(err));
	if (r < 0) {
		err_msg("%s", err);
		return usage_exit_code(&o);
	}
	if (r == OPT_EXIT)
		return handle_exit_options(&o);
	log_verbosity = o.verbosity;
	/* Only timestamps need the clock, and its first read in a static
	 * binary (finding the vDSO) costs as much as parsing the options. */
	if (log_trace || log_format == LOG_JSON || o.sup.enabled)
		log_clock_start();
#if !HAVE_SUPERVISOR
	if (o.sup.enabled) {
		err_msg("supervisor flags need vigil built with supervisor mode (this is the core-only build)");
		return usage_exit_code(&o);
	}
#endif
	v.sfd = take_over_signals();
	if (v.sfd < 0 || setup_process(&o, parent) < 0)
		return EXIT_INTERNAL;
	jobctl_init();
#if HAVE_SUPERVISOR
	if (o.sup.enabled)
		r = supervise_run(&v);
	else
#endif
		r = run_core(&v);
	jobctl_restore(&v);
	/* Nothing is left in stdio to flush here (help and version returned
	 * above; every log line is one write of its own) and vigil registers
	 * no exit handlers: leave without running exit's. */
	_exit(r);
}
