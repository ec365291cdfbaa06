/* options: native command line, defaults, and the pieces shared by the
 * compatibility front-ends in compat.c. */
#include "options.h"

#include "config.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum front_end options_front_end(const char *argv0)
{
	static const struct {
		char name[12];
		unsigned char len;
		unsigned char fe;
	} names[] = {
		{ "tini", 4, FE_TINI }, { "tini-static", 11, FE_TINI },
		{ "docker-init", 11, FE_TINI }, { "dumb-init", 9, FE_DUMB_INIT },
	};
	size_t n = argv0 ? strlen(argv0) : 0;

	/* The basename compared from the end of the path, the last byte
	 * first: no search for the last '/' on every start. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len = names[i].len;
		const char *base;

		if (n < len || argv0[n - 1] != names[i].name[len - 1])
			continue;
		base = argv0 + (n - len);
		if ((n == len || base[-1] == '/') && memcmp(base, names[i].name, len) == 0)
			return (enum front_end)names[i].fe;
	}
	return FE_VIGIL;
}

void options_defaults(struct options *o, enum front_end fe)
{
	o->fe = fe;
	o->verbosity = LOG_WARN;
	o->sup.grace_ms = VIGIL_DEFAULT_GRACE_MS;
	o->sup.restart_delay_ms = VIGIL_DEFAULT_RESTART_DELAY_MS;
	o->sup.preflight = PREFLIGHT_WARN;
	o->sup.health.interval_ms = VIGIL_DEFAULT_HEALTH_INTERVAL_MS;
	o->sup.health.timeout_ms = VIGIL_DEFAULT_HEALTH_TIMEOUT_MS;
	o->sup.health.retries = VIGIL_DEFAULT_HEALTH_RETRIES;
	o->sup.wait_timeout_ms = VIGIL_DEFAULT_WAIT_TIMEOUT_MS;
}

static bool env_word_off(const char *v)
{
	return strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0;
}

bool options_env_true(const char *name)
{
	const char *v = getenv(name);

	/* Native rule: empty is off, the way `ENV NAME=` clears a variable
	 * in a Dockerfile that cannot unset it. */
	return v && *v && !env_word_off(v);
}

bool options_env_set(const char *name)
{
	const char *v = getenv(name);

	/* tini's rule: any set value is on, the empty one included (its
	 * documentation has images write `ENV TINI_SUBREAPER=`). "0",
	 * "false" and "no" still mean off: nobody writes them to say yes. */
	return v && !env_word_off(v);
}

int options_add_remap(struct options *o, const char *arg, char *err, size_t errlen)
{
	int code;

	if (parse_exit_code(arg, &code))
		return parse_fail(err, errlen, "invalid exit code '%s' (want 0-255)", arg);
	o->remap_exit[code] = true;
	return 0;
}

int options_add_rewrite(struct options *o, const char *arg, int *from_out, char *err, size_t errlen)
{
	int from, to;

	if (parse_rewrite(arg, &from, &to))
		return parse_fail(err, errlen, "invalid signal rewrite '%s' (want FROM:TO, e.g. TERM:QUIT)", arg);
	if (!sig_is_forwarded(from))
		return parse_fail(err, errlen, "signal rewrite '%s': signal %d is never forwarded", arg, from);
	o->rewrite[from] = to ? to : OPT_DROP;
	if (from_out)
		*from_out = from;
	return 0;
}

static bool env_has_prefix(const char *prefix)
{
	size_t n = strlen(prefix);

	for (char **e = environ; *e; e++)
		if (**e == *prefix && strncmp(*e, prefix, n) == 0)
			return true;
	return false;
}

static int parse_verbosity_env(struct options *o, const char *name, char *err, size_t errlen)
{
	const char *v = getenv(name);
	unsigned long n;

	if (!v || !*v)
		return 0;
	if (parse_uint_max(v, 10, &n))
		return parse_fail(err, errlen, "invalid %s '%s' (want a number)", name, v);
	o->verbosity = (int)n;
	return 0;
}

enum {
	O_PAUSE = 256, O_VERSION, O_SUPERVISE, O_GRACE, O_TERM_DELAY, O_RESTART,
	O_RESTART_DELAY, O_STATE_FILE, O_USER, O_CAP_KEEP, O_SECCOMP,
	O_SECCOMP_DENY, O_PREFLIGHT, O_REPORT, O_TERMLOG, O_TRACE, O_LOG_FORMAT,
	O_HEALTH_CMD, O_HEALTH_TCP, O_HEALTH_HTTP, O_HEALTH_INTERVAL, O_HEALTH_TIMEOUT,
	O_HEALTH_START_PERIOD, O_HEALTH_START_INTERVAL, O_HEALTH_RETRIES, O_ON_UNHEALTHY,
	O_HEALTH_FILE,
	O_NOTIFY_READY, O_WAIT_FOR, O_WAIT_TIMEOUT, O_SUCCESS_ON_STOP, O_RLIMIT,
	O_CORE_DUMPS,
};

static const struct option native_long[] = {
	{ "group", no_argument, NULL, 'g' },
	{ "subreaper", no_argument, NULL, 's' },
	{ "pdeath", required_argument, NULL, 'p' },
	{ "remap-exit", required_argument, NULL, 'e' },
	{ "rewrite", required_argument, NULL, 'r' },
	{ "warn-reap", no_argument, NULL, 'w' },
	{ "pause", no_argument, NULL, O_PAUSE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, O_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ "supervise", no_argument, NULL, O_SUPERVISE },
	{ "grace", required_argument, NULL, O_GRACE },
	{ "term-delay", required_argument, NULL, O_TERM_DELAY },
	{ "restart", required_argument, NULL, O_RESTART },
	{ "restart-delay", required_argument, NULL, O_RESTART_DELAY },
	{ "state-file", required_argument, NULL, O_STATE_FILE },
	{ "user", required_argument, NULL, O_USER },
	{ "cap-keep", required_argument, NULL, O_CAP_KEEP },
	{ "seccomp", required_argument, NULL, O_SECCOMP },
	{ "seccomp-deny", required_argument, NULL, O_SECCOMP_DENY },
	{ "preflight", required_argument, NULL, O_PREFLIGHT },
	{ "report", required_argument, NULL, O_REPORT },
	{ "termination-log", required_argument, NULL, O_TERMLOG },
	{ "trace", no_argument, NULL, O_TRACE },
	{ "log-format", required_argument, NULL, O_LOG_FORMAT },
#if HAVE_SUPERVISOR
	/* Not even named in the core build: it must stay small, and an
	 * unknown flag is the same usage error (64) there. */
	{ "health-cmd", required_argument, NULL, O_HEALTH_CMD },
	{ "health-tcp", required_argument, NULL, O_HEALTH_TCP },
	{ "health-http", required_argument, NULL, O_HEALTH_HTTP },
	{ "health-interval", required_argument, NULL, O_HEALTH_INTERVAL },
	{ "health-timeout", required_argument, NULL, O_HEALTH_TIMEOUT },
	{ "health-start-period", required_argument, NULL, O_HEALTH_START_PERIOD },
	{ "health-start-interval", required_argument, NULL, O_HEALTH_START_INTERVAL },
	{ "health-retries", required_argument, NULL, O_HEALTH_RETRIES },
	{ "on-unhealthy", required_argument, NULL, O_ON_UNHEALTHY },
	{ "health-file", required_argument, NULL, O_HEALTH_FILE },
	{ "notify-ready", no_argument, NULL, O_NOTIFY_READY },
	{ "wait-for", required_argument, NULL, O_WAIT_FOR },
	{ "wait-timeout", required_argument, NULL, O_WAIT_TIMEOUT },
	{ "success-on-stop", no_argument, NULL, O_SUCCESS_ON_STOP },
	{ "rlimit", required_argument, NULL, O_RLIMIT },
	{ "core-dumps", no_argument, NULL, O_CORE_DUMPS },
#endif
	{ NULL, 0, NULL, 0 },
};

static int duration(const char *flag, const char *arg, uint64_t *ms, char *err, size_t errlen)
{
	if (parse_duration_ms(arg, ms))
		return parse_fail(err, errlen, "invalid %s '%s' (want e.g. 500ms, 5s, 1m)", flag, arg);
	return 0;
}

#if HAVE_SUPERVISOR
static int health_opt(struct health_options *h, int c, const char *arg, char *err, size_t errlen)
{
	unsigned long n;

	switch (c) {
	case O_HEALTH_CMD: h->cmd = arg; return 0;
	case O_HEALTH_TCP: h->tcp = arg; return 0;
	case O_HEALTH_HTTP: h->http = arg; return 0;
	case O_HEALTH_FILE: h->file = arg; return 0;
	case O_HEALTH_INTERVAL:
		if (duration("--health-interval", arg, &h->interval_ms, err, errlen))
			return -EINVAL;
		/* A zero interval would probe in a busy loop. */
		return h->interval_ms ? 0 : parse_fail(err, errlen, "invalid --health-interval '%s' (must be above 0)", arg);
	case O_HEALTH_START_INTERVAL:
		if (duration("--health-start-interval", arg, &h->start_interval_ms, err, errlen))
			return -EINVAL;
		return h->start_interval_ms ? 0 :
			parse_fail(err, errlen, "invalid --health-start-interval '%s' (must be above 0)", arg);
	case O_HEALTH_TIMEOUT:
		if (duration("--health-timeout", arg, &h->timeout_ms, err, errlen))
			return -EINVAL;
		return h->timeout_ms ? 0 : parse_fail(err, errlen, "invalid --health-timeout '%s' (must be above 0)", arg);
	case O_HEALTH_START_PERIOD:
		return duration("--health-start-period", arg, &h->start_period_ms, err, errlen);
	case O_HEALTH_RETRIES:
		if (parse_uint_max(arg, 1000000, &n) || n == 0)
			return parse_fail(err, errlen, "invalid --health-retries '%s' (want 1 or more)", arg);
		h->retries = (unsigned)n;
		return 0;
	case O_ON_UNHEALTHY:
		if (strcmp(arg, "log") == 0)
			h->on_unhealthy = UNHEALTHY_LOG;
		else if (strcmp(arg, "stop") == 0)
			h->on_unhealthy = UNHEALTHY_STOP;
		else if (strcmp(arg, "restart") == 0)
			h->on_unhealthy = UNHEALTHY_RESTART;
		else
			return parse_fail(err, errlen, "invalid --on-unhealthy '%s' (want log, stop or restart)", arg);
		return 0;
	default:
		return parse_fail(err, errlen, "internal: unhandled option %d", c);
	}
}
#endif

/* Supervisor flags: each one also switches supervisor mode on. */
static int native_sup_opt(struct options *o, int c, const char *arg, char *err, size_t errlen)
{
	struct sup_options *s = &o->sup;

	s->enabled = true;
	switch (c) {
	case O_SUPERVISE:
		return 0;
	case O_GRACE:
		return duration("--grace", arg, &s->grace_ms, err, errlen);
	case O_TERM_DELAY:
		return duration("--term-delay", arg, &s->term_delay_ms, err, errlen);
	case O_RESTART_DELAY:
		return duration("--restart-delay", arg, &s->restart_delay_ms, err, errlen);
	case O_RESTART:
		if (parse_restart(arg, &s->restart, &s->restart_max))
			return parse_fail(err, errlen, "invalid --restart '%s' (want no, on-failure or on-failure:MAX)", arg);
		return 0;
	case O_STATE_FILE: s->state_file = arg; return 0;
	case O_USER:
		if (!*arg)
			return parse_fail(err, errlen, "invalid --user '' (want USER[:GROUP])");
		s->user = arg;
		return 0;
	case O_CAP_KEEP: s->cap_keep = arg; return 0;
	case O_SECCOMP:
		if (strcmp(arg, "default") != 0)
			return parse_fail(err, errlen, "invalid --seccomp '%s' (want default)", arg);
		s->seccomp = arg;
		return 0;
	case O_SECCOMP_DENY: s->seccomp_deny = arg; return 0;
	case O_PREFLIGHT:
		s->preflight_set = true;
		if (strcmp(arg, "off") == 0)
			s->preflight = PREFLIGHT_OFF;
		else if (strcmp(arg, "warn") == 0)
			s->preflight = PREFLIGHT_WARN;
		else if (strcmp(arg, "fail") == 0)
			s->preflight = PREFLIGHT_FAIL;
		else
			return parse_fail(err, errlen, "invalid --preflight '%s' (want warn, fail or off)", arg);
		return 0;
	case O_REPORT: s->report = arg; return 0;
	case O_TERMLOG: s->termination_log = arg; return 0;
#if HAVE_SUPERVISOR
	case O_NOTIFY_READY: s->notify_ready = true; return 0;
	case O_SUCCESS_ON_STOP: s->success_on_stop = true; return 0;
	case O_WAIT_TIMEOUT:
		return duration("--wait-timeout", arg, &s->wait_timeout_ms, err, errlen);
	case O_WAIT_FOR:
		if (s->nwait == VIGIL_MAX_WAIT)
			return parse_fail(err, errlen, "too many --wait-for (at most %d)", VIGIL_MAX_WAIT);
		s->wait_for[s->nwait++] = arg;
		return 0;
	case O_CORE_DUMPS:
		arg = "core=unlimited";
		/* fall through */
	case O_RLIMIT:
		if (s->nrlimit == VIGIL_MAX_RLIMITS)
			return parse_fail(err, errlen, "too many --rlimit (at most %d)", VIGIL_MAX_RLIMITS);
		s->rlimit[s->nrlimit++] = arg;
		return 0;
#endif
	default:
#if HAVE_SUPERVISOR
		return health_opt(&s->health, c, arg, err, errlen);
#else
		return parse_fail(err, errlen, "internal: unhandled option %d", c);
#endif
	}
}

static int native_opt(struct options *o, int c, const char *arg, char *err, size_t errlen)
{
	switch (c) {
	case 'g': o->group = true; return 0;
	case 's': o->subreaper = true; return 0;
	case 'w': o->warn_reap = true; return 0;
	case 'p': return options_set_pdeath(o, arg, err, errlen);
	case 'e': return options_add_remap(o, arg, err, errlen);
	case 'r': return options_add_rewrite(o, arg, NULL, err, errlen);
	case 'v': o->verbosity++; return 0;
	case 'q': o->verbosity = 0; return 0;
	case 'h': o->show_help = true; return 0;
	case O_VERSION: o->show_version = true; return 0;
	case O_PAUSE: o->pause = true; return 0;
	case O_TRACE: log_trace = true; return 0;
	case O_LOG_FORMAT:
		if (strcmp(arg, "json") == 0)
			log_format = LOG_JSON;
		else if (strcmp(arg, "text") == 0)
			log_format = LOG_TEXT;
		else
			return parse_fail(err, errlen, "invalid --log-format '%s' (want json or text)", arg);
		return 0;
	default:
		return native_sup_opt(o, c, arg, err, errlen);
	}
}

/* getopt prints its own message; we want one line in our own format. */
int options_unknown(int argc, char **argv, const char *help, char *err, size_t errlen)
{
	const char *bad = optind - 1 < argc ? argv[optind - 1] : "?";

	if (optopt && optopt < 256)
		return parse_fail(err, errlen, "unknown option or missing value: -%c (see %s)", optopt, help);
	return parse_fail(err, errlen, "unknown option or missing value: %s (see %s)", bad, help);
}

int options_set_pdeath(struct options *o, const char *arg, char *err, size_t errlen)
{
	int sig = sig_parse(arg, 0);

	if (sig < 0)
		return parse_fail(err, errlen, "invalid parent-death signal '%s'", arg);
	/* Any other one would act on vigil itself (SIGKILL, SIGSTOP, the
	 * default action of an unblocked 32) and orphan the child. */
	if (!sig_is_forwarded(sig))
		return parse_fail(err, errlen, "parent-death signal '%s': signal %d is not one vigil forwards", arg, sig);
	o->pdeath_sig = sig;
	return 0;
}

void options_finish(struct options *o, char **argv)
{
	o->argv = argv + optind;
	/* -vv (verbosity 3) is the documented way to get the trace. */
	if (o->verbosity > LOG_INFO)
		log_trace = true;
}

int options_parse_native(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	int c, r;

	/* One look over the environment first: three getenv calls that find
	 * nothing cost more than the rest of vigil's start-up. */
	if (env_has_prefix("VIGIL_")) {
		o->group = options_env_true("VIGIL_GROUP");
		o->subreaper = options_env_true("VIGIL_SUBREAPER");
		r = parse_verbosity_env(o, "VIGIL_VERBOSITY", err, errlen);
		if (r)
			return r;
	}
	opterr = 0;
	optind = 0;
	/* Only the command, or "--" and the command, as most ENTRYPOINTs
	 * are: getopt_long would cost more than the rest of the parse to
	 * find that out. ("-" alone is a command for getopt too.) */
	if (argc < 2 || argv[1][0] != '-' || strcmp(argv[1], "--") == 0) {
		optind = argc < 2 ? argc : argv[1][0] == '-' ? 2 : 1;
		options_finish(o, argv);
		return 0;
	}
	/* '+': stop at the first non-option so the command keeps its flags. */
	while ((c = getopt_long(argc, argv, "+gswp:e:r:vqh", native_long, NULL)) != -1) {
		if (c == '?' || c == ':')
			return options_unknown(argc, argv, "--help", err, errlen);
		r = native_opt(o, c, optarg, err, errlen);
		if (r)
			return r;
	}
	options_finish(o, argv);
	return 0;
}

/* A usage error stops the parse before a later --log-format json was
 * seen; the one error line still owes the collector its JSON. */
static void scan_log_format(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--log-format=json") == 0 ||
		    (strcmp(argv[i], "--log-format") == 0 && i + 1 < argc &&
		     strcmp(argv[i + 1], "json") == 0))
			log_format = LOG_JSON;
	}
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	enum front_end fe = options_front_end(argc > 0 ? argv[0] : NULL);
	int r;

	options_defaults(o, fe);
	err[0] = '\0';
	if (fe == FE_TINI)
		r = options_parse_tini(o, argc, argv, err, errlen);
	else if (fe == FE_DUMB_INIT)
		r = options_parse_dumb_init(o, argc, argv, err, errlen);
	else
		r = options_parse_native(o, argc, argv, err, errlen);
	if (r < 0 && fe == FE_VIGIL)
		scan_log_format(argc, argv);
	if (r)
		return r;
	if (o->show_help || o->show_version || o->show_license)
		return OPT_EXIT;
	if (o->pause && o->argv[0])
		return parse_fail(err, errlen, "--pause takes no command (got '%s')", o->argv[0]);
	if (o->pause && o->sup.enabled)
		return parse_fail(err, errlen, "--pause cannot be combined with supervisor flags");
	if (!o->pause && !o->argv[0])
		return parse_fail(err, errlen, "missing command (usage: %s [OPTIONS] [--] COMMAND [ARG...])",
			    fe == FE_TINI ? "tini" : fe == FE_DUMB_INIT ? "dumb-init" : "vigil");
	return OPT_OK;
}

/* Docker runs its init (whatever its file name) with --version, splits the
 * whole output on " - " and takes "git.X" from the second part as the
 * commit `docker info` shows, but only when X has no dot (and no newline
 * or " - " follows). A release tag with dots turned into underscores
 * ("vigil-0_1_0", as curl and OpenSSL name theirs) says what it is and
 * parses; older Docker falls back to the text after "tini version ". */
void options_version(enum front_end fe)
{
	if (fe == FE_DUMB_INIT)
		printf("dumb-init v1.2.5 (vigil %s)\n", VIGIL_VERSION);
	else if (fe == FE_TINI)
		printf("tini version 0.19.0 - git.%s\n", VIGIL_DOCKER_TAG);
	else
		printf("vigil %s (%s, %s) - git.%s\n", VIGIL_VERSION, VIGIL_BUILD,
		       HAVE_SUPERVISOR ? "supervisor" : "core", VIGIL_DOCKER_TAG);
}

static const char native_usage[] =
"Usage: vigil [OPTIONS] [--] COMMAND [ARG...]\n"
"       vigil --pause\n"
"A PID 1 for containers: runs COMMAND, forwards signals, reaps zombies,\n"
"exits with COMMAND's status (128+N when killed by signal N).\n"
"\n"
"Init options:\n"
"  -g, --group            forward signals to the child's process group\n"
"  -s, --subreaper        be a child subreaper when not PID 1\n"
"  -p, --pdeath SIGNAL    signal vigil gets when its parent dies\n"
"  -e, --remap-exit CODE  exit 0 instead of CODE, 128+N too (repeatable)\n"
"  -r, --rewrite FROM:TO  rewrite a forwarded signal, TO=0 drops it (repeatable)\n"
"  -w, --warn-reap        warn when reaping processes other than the child\n"
"      --pause            no command: reap zombies, exit 0 on TERM or INT\n"
"  -v, --verbose          more output (repeatable; -vv traces signals and reaps)\n"
"  -q, --quiet            errors only\n"
"      --version          print version\n"
"  -h, --help             this text\n"
"\n"
"Supervisor options (any of them enables supervisor mode):\n"
"      --supervise              supervisor mode with defaults\n"
"      --grace DURATION         SIGTERM to SIGKILL delay at teardown (default 5s)\n"
"      --term-delay DURATION    hold a received SIGTERM before forwarding it\n"
"      --restart no|on-failure[:MAX]   restart policy (default no)\n"
"      --restart-delay DURATION first restart delay, doubled each time (default 1s)\n"
"      --state-file PATH        remember runs: refuse to run again after a restart\n"
"      --user USER[:GROUP]      drop to this user and group before exec\n"
"      --cap-keep CAP[,CAP...]  keep these capabilities (ambient)\n"
"      --seccomp default        deny dangerous syscalls with EPERM\n"
"      --seccomp-deny SYS[,...] deny more syscalls\n"
"      --preflight warn|fail|off   check $TMPDIR or /tmp before exec (default warn)\n"
"      --report PATH|-|fd:N     write the JSON exit report\n"
"      --termination-log PATH   write a summary line and the report (Kubernetes)\n"
"      --trace                  log every signal and reap with timestamps\n"
"      --log-format text|json   format of --trace lines\n"
#if HAVE_SUPERVISOR
"\n"
"Health probes (supervisor mode; one of cmd, tcp, http):\n"
"      --health-cmd 'CMD ARGS'  run CMD (no shell): exit 0 is healthy\n"
"      --health-tcp HOST:PORT   a TCP connect succeeds\n"
"      --health-http URL        http://HOST[:PORT][/PATH] answers 2xx or 3xx\n"
"      --health-interval D      between probes (default 30s)\n"
"      --health-timeout D       a probe still running is killed (default 10s)\n"
"      --health-start-period D  failures in it do not count\n"
"      --health-start-interval D  probe interval in the start period\n"
"      --health-retries N       consecutive failures to be unhealthy (default 3)\n"
"      --on-unhealthy log|stop|restart   what unhealthy does (default log)\n"
"      --health-file PATH       health state as JSON, rewritten after each probe\n"
"Subcommand: vigil health PATH   exit 0 when PATH says healthy, 1 otherwise\n"
"            (vigil -- health ... runs a command named health)\n"
"\n"
"Readiness, dependencies, limits (supervisor mode):\n"
"      --notify-ready           READY=1, STOPPING=1 to $NOTIFY_SOCKET (sd_notify)\n"
"      --wait-for SPEC          wait for tcp:H:P, unix:P, file:P, http://H[:P][/P]\n"
"      --wait-timeout DURATION  give up waiting (default 60s, 0 never)\n"
"      --success-on-stop        exit 0 when the child obeyed a TERM or INT stop\n"
"      --rlimit NAME=SOFT[:HARD] resource limit for the child (repeatable)\n"
"      --core-dumps             --rlimit core=unlimited\n"
#endif
"\n"
"Environment: VIGIL_SUBREAPER, VIGIL_GROUP, VIGIL_VERBOSITY.\n"
"Exit codes: child's status, 126 not executable, 127 not found, 64 usage,\n"
"125 internal error, 77 privilege drop failed, 78 preflight failed,\n"
"75 restart refused"
#if HAVE_SUPERVISOR
", 68 --wait-for timed out, 69 unhealthy (--on-unhealthy stop or restart),\n"
"77 also an --rlimit raise refused"
#endif
".\n";

static const char tini_usage[] =
"Usage: tini [OPTIONS] PROGRAM -- [ARGS] | --version\n"
"(vigil in tini compatibility mode)\n"
"  -h  Show this help message and exit.\n"
"  -s  Register as a process subreaper (requires Linux >= 3.4).\n"
"  -p SIGNAL  Trigger SIGNAL when parent dies, e.g. \"-p SIGKILL\".\n"
"  -v  Generate more verbose output. Repeat up to 3 times.\n"
"  -w  Print a warning when processes are getting reaped.\n"
"  -g  Send signals to the child's process group.\n"
"  -e EXIT_CODE  Remap EXIT_CODE (from 0 to 255) to 0.\n"
"  -l  Show license and exit.\n"
"Environment: TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY.\n";

static const char dumb_usage[] =
"Usage: dumb-init [option] command [[arg] ...]\n"
"(vigil in dumb-init compatibility mode)\n"
"  -c, --single-child   Run in single-child mode (no setsid, signal the child only).\n"
"  -r, --rewrite s:r    Rewrite received signal s to new signal r before proxying.\n"
"                       Signals may be numbers or names; r=0 ignores s.\n"
"  -v, --verbose        Print debugging information to stderr.\n"
"  -h, --help           Print this help message and exit.\n"
"  -V, --version        Print the current version and exit.\n"
"Environment: DUMB_INIT_SETSID=0 is the same as --single-child.\n";

void options_usage(enum front_end fe, int to_stderr)
{
	const char *text = fe == FE_TINI ? tini_usage : fe == FE_DUMB_INIT ? dumb_usage : native_usage;

	fputs(text, to_stderr ? stderr : stdout);
}
