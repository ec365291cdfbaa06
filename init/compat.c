/* compat: tini / docker-init and dumb-init front-ends. They only translate
 * those programs' flags and environment into struct options. One deliberate
 * difference: both stop at the first non-option, so `tini ls -l` runs
 * `ls -l` instead of treating -l as tini's own flag. */
#include "options.h"

#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int options_parse_tini(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v = getenv("TINI_VERBOSITY");
	int c;

	/* As tini: `nohup tini -- cmd` keeps SIGHUP ignored in cmd. */
	o->inherit_signals = true;
	o->subreaper = options_env_set("TINI_SUBREAPER");
	o->group = options_env_set("TINI_KILL_PROCESS_GROUP");
	if (v && *v) {
		unsigned long n;

		if (parse_uint_max(v, 10, &n)) {
			snprintf(err, errlen, "invalid TINI_VERBOSITY '%s'", v);
			return -EINVAL;
		}
		o->verbosity = (int)n;
	}
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hsp:vwgle:", longopts, NULL)) != -1) {
		int r = 0;

		switch (c) {
		case 'h': o->show_help = true; break;
		case 'V': o->show_version = true; break;
		case 'l': o->show_license = true; break;
		case 's': o->subreaper = true; break;
		case 'v': o->verbosity++; break;
		case 'w': o->warn_reap = true; break;
		case 'g': o->group = true; break;
		case 'p': r = options_set_pdeath(o, optarg, err, errlen); break;
		case 'e': r = options_add_remap(o, optarg, err, errlen); break;
		default: return options_unknown(argc, argv, "-h", err, errlen);
		}
		if (r)
			return r;
	}
	options_finish(o, argv);
	return 0;
}

int options_parse_dumb_init(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "single-child", no_argument, NULL, 'c' },
		{ "rewrite", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("DUMB_INIT_SETSID");
	bool single = env && strcmp(env, "0") == 0;
	bool user_set[VIGIL_NSIG] = { false };
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hvVcr:", longopts, NULL)) != -1) {
		int r = 0;

		switch (c) {
		case 'h': o->show_help = true; break;
		case 'V': o->show_version = true; break;
		case 'c': single = true; break;
		case 'v': o->verbosity = LOG_DEBUG; break;
		case 'r': {
			int from;

			r = options_add_rewrite(o, optarg, &from, err, errlen);
			if (!r)
				user_set[from] = true;
			break;
		}
		default: return options_unknown(argc, argv, "-h", err, errlen);
		}
		if (r)
			return r;
	}
	options_finish(o, argv);
	/* dumb-init never warns: under another init the line would land in
	 * the child's terminal and in the logs of every such image. */
	o->no_subreaper_warning = true;
	if (!single) {
		o->setsid = true;
		o->group = true;
		o->term_group_on_exit = true;
		/* The child's group is orphaned in its own session, where the
		 * kernel ignores the stop signals from the terminal; dumb-init
		 * turns them into SIGSTOP unless the user rewrote them (even to
		 * themselves, as dumb-init's "if not defined" check does). */
		static const int stops[] = { SIGTSTP, SIGTTIN, SIGTTOU };

		for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
			if (!user_set[stops[i]])
				o->rewrite[stops[i]] = SIGSTOP;
	}
	/* Single-child mode keeps the child in our process group, as dumb-init. */
	o->same_pgrp = single;
	return 0;
}
