/* test_options: the native, tini and dumb-init front-ends all fill the same
 * struct options from argv and the environment. options_parse is called
 * many times in one process: each call must start from a clean getopt. */
#include "options.h"

#include "config.h"

#include "log.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static struct options o;
static char err[256];

static const char *env_names[] = {
	"VIGIL_GROUP", "VIGIL_SUBREAPER", "VIGIL_VERBOSITY",
	"TINI_SUBREAPER", "TINI_KILL_PROCESS_GROUP", "TINI_VERBOSITY",
	"DUMB_INIT_SETSID",
};

static void reset(void)
{
	for (size_t i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		unsetenv(env_names[i]);
	log_trace = false;
	log_format = LOG_TEXT;
	memset(err, 0, sizeof(err));
}

/* argv literals must be writable for getopt's permutation; '+' means it
 * never permutes, but keep them in arrays anyway. */
static int parse(int argc, char **argv)
{
	memset(&o, 0, sizeof(o));
	return options_parse(&o, argc, argv, err, sizeof(err));
}

static void assert_ok(int r)
{
	ck_assert_msg(r == OPT_OK, "options_parse = %d (%s)", r, err);
}

/* ---- native ---- */

START_TEST(native_init_flags_are_set)
{
	char *argv[] = { "vigil", "-g", "-s", "-w", "-p", "TERM", "-e", "3", "-e", "4",
			 "-r", "TERM:QUIT", "--", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.group);
	ck_assert(o.subreaper);
	ck_assert(o.warn_reap);
	ck_assert_int_eq(o.pdeath_sig, SIGTERM);
	ck_assert(o.remap_exit[3]);
	ck_assert(o.remap_exit[4]);
	ck_assert(!o.remap_exit[5]);
	ck_assert(!o.remap_exit[0]);
	ck_assert_int_eq(options_target(&o, SIGTERM), SIGQUIT);
	ck_assert_int_eq(options_target(&o, SIGINT), SIGINT);
	ck_assert(!o.setsid);
	ck_assert(!o.sup.enabled);
	ck_assert_int_eq(o.fe, FE_VIGIL);
	ck_assert_str_eq(o.argv[0], "cmd");
	ck_assert_ptr_null(o.argv[1]);
}
END_TEST

START_TEST(native_long_init_flags_are_set)
{
	char *argv[] = { "vigil", "--group", "--subreaper", "--pdeath", "SIGHUP",
			 "--remap-exit", "7", "--rewrite", "HUP:0", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.group);
	ck_assert(o.subreaper);
	ck_assert_int_eq(o.pdeath_sig, SIGHUP);
	ck_assert(o.remap_exit[7]);
	ck_assert_int_eq(options_target(&o, SIGHUP), 0);
}
END_TEST

START_TEST(native_defaults_without_flags)
{
	char *argv[] = { "vigil", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.group);
	ck_assert(!o.subreaper);
	ck_assert(!o.pause);
	ck_assert_int_eq(o.pdeath_sig, 0);
	ck_assert_int_eq(o.verbosity, LOG_WARN);
	for (int s = 0; s < VIGIL_NSIG; s++)
		ck_assert_int_eq(options_target(&o, s), s);
	for (int c = 0; c < 256; c++)
		ck_assert(!o.remap_exit[c]);
	ck_assert(!o.sup.enabled);
	ck_assert_uint_eq(o.sup.grace_ms, VIGIL_DEFAULT_GRACE_MS);
	ck_assert(!log_trace);
}
END_TEST

START_TEST(native_verbose_twice_enables_trace)
{
	char *argv[] = { "vigil", "-v", "-v", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_int_eq(o.verbosity, LOG_WARN + 2);
	ck_assert(log_trace);
}
END_TEST

START_TEST(native_verbose_once_is_info)
{
	char *argv[] = { "vigil", "-v", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_int_eq(o.verbosity, LOG_INFO);
}
END_TEST

START_TEST(native_quiet_resets_verbosity_to_errors)
{
	char *argv[] = { "vigil", "-v", "-v", "-q", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_int_eq(o.verbosity, LOG_ERR);
	ck_assert(!log_trace);
}
END_TEST

START_TEST(native_pause_alone_is_ok)
{
	char *argv[] = { "vigil", "--pause", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.pause);
	ck_assert_ptr_null(o.argv[0]);
}
END_TEST

START_TEST(native_pause_with_command_is_an_error)
{
	char *argv[] = { "vigil", "--pause", "sleep", "1", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "sleep"));
}
END_TEST

START_TEST(native_pause_with_supervisor_flag_is_an_error)
{
	char *argv[] = { "vigil", "--pause", "--grace", "1s", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "supervisor"));
}
END_TEST

START_TEST(native_supervisor_flags_enable_supervisor)
{
	char *argv[] = { "vigil", "--grace", "200ms", "--term-delay", "1s",
			 "--restart", "on-failure:3", "--restart-delay", "2s",
			 "--user", "nobody", "--preflight", "fail",
			 "--report", "-", "--termination-log", "/dev/termination-log",
			 "--state-file", "/run/st", "--cap-keep", "NET_BIND_SERVICE",
			 "--seccomp", "default", "--seccomp-deny", "ptrace",
			 "--trace", "--log-format", "json", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.sup.enabled);
	ck_assert_uint_eq(o.sup.grace_ms, 200);
	ck_assert_uint_eq(o.sup.term_delay_ms, 1000);
	ck_assert_int_eq(o.sup.restart, RESTART_ON_FAILURE);
	ck_assert_uint_eq(o.sup.restart_max, 3);
	ck_assert_uint_eq(o.sup.restart_delay_ms, 2000);
	ck_assert_str_eq(o.sup.user, "nobody");
	ck_assert_int_eq(o.sup.preflight, PREFLIGHT_FAIL);
	ck_assert(o.sup.preflight_set);
	ck_assert_str_eq(o.sup.report, "-");
	ck_assert_str_eq(o.sup.termination_log, "/dev/termination-log");
	ck_assert_str_eq(o.sup.state_file, "/run/st");
	ck_assert_str_eq(o.sup.cap_keep, "NET_BIND_SERVICE");
	ck_assert_str_eq(o.sup.seccomp, "default");
	ck_assert_str_eq(o.sup.seccomp_deny, "ptrace");
	ck_assert(log_trace);
	ck_assert_int_eq(log_format, LOG_JSON);
	ck_assert_str_eq(o.argv[0], "cmd");
}
END_TEST

#if HAVE_SUPERVISOR
START_TEST(native_health_flags_parse_and_enable_supervisor)
{
	char *argv[] = { "vigil", "--health-cmd", "pg_isready -q", "--health-interval", "5s",
			 "--health-timeout", "2s", "--health-start-period", "1m",
			 "--health-start-interval", "500ms", "--health-retries", "5",
			 "--on-unhealthy", "restart", "--health-file", "/run/h", "cmd", NULL };
	char *dflt[] = { "vigil", "--health-tcp", "db:5432", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.sup.enabled);
	ck_assert_str_eq(o.sup.health.cmd, "pg_isready -q");
	ck_assert_uint_eq(o.sup.health.interval_ms, 5000);
	ck_assert_uint_eq(o.sup.health.timeout_ms, 2000);
	ck_assert_uint_eq(o.sup.health.start_period_ms, 60000);
	ck_assert_uint_eq(o.sup.health.start_interval_ms, 500);
	ck_assert_uint_eq(o.sup.health.retries, 5);
	ck_assert_int_eq(o.sup.health.on_unhealthy, UNHEALTHY_RESTART);
	ck_assert_str_eq(o.sup.health.file, "/run/h");
	assert_ok(parse(ARGC(dflt), dflt));
	ck_assert_str_eq(o.sup.health.tcp, "db:5432");
	ck_assert_uint_eq(o.sup.health.interval_ms, 30000);
	ck_assert_uint_eq(o.sup.health.timeout_ms, 10000);
	ck_assert_uint_eq(o.sup.health.retries, 3);
	ck_assert_int_eq(o.sup.health.on_unhealthy, UNHEALTHY_LOG);
}
END_TEST

START_TEST(native_bad_health_values_are_refused)
{
	const char *bad[][2] = {
		{ "--health-interval", "0" }, { "--health-interval", "x" }, { "--health-timeout", "0s" },
		{ "--health-start-interval", "0" }, { "--health-start-period", "-1" },
		{ "--health-retries", "0" }, { "--health-retries", "3x" }, { "--on-unhealthy", "kill" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "vigil", (char *)bad[i][0], (char *)bad[i][1], "cmd", NULL };

		ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
		ck_assert_msg(strstr(err, bad[i][0]) != NULL, "%s %s: %s", bad[i][0], bad[i][1], err);
	}
}
END_TEST
#endif

START_TEST(native_supervise_alone_enables_supervisor)
{
	char *argv[] = { "vigil", "--supervise", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.sup.enabled);
	ck_assert_int_eq(o.sup.preflight, PREFLIGHT_WARN);
	ck_assert(!o.sup.preflight_set);
}
END_TEST

START_TEST(native_readiness_wait_and_limit_flags_are_collected)
{
	char *argv[] = { "vigil", "--notify-ready", "--wait-for", "tcp:db:5432", "--wait-for",
			 "file:/run/x", "--wait-timeout", "2m", "--success-on-stop",
			 "--rlimit", "nofile=1024:4096", "--core-dumps", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.sup.enabled);
	ck_assert(o.sup.notify_ready);
	ck_assert(o.sup.success_on_stop);
	ck_assert_uint_eq(o.sup.nwait, 2);
	ck_assert_str_eq(o.sup.wait_for[0], "tcp:db:5432");
	ck_assert_str_eq(o.sup.wait_for[1], "file:/run/x");
	ck_assert_uint_eq(o.sup.wait_timeout_ms, 120000);
	ck_assert_uint_eq(o.sup.nrlimit, 2);
	ck_assert_str_eq(o.sup.rlimit[0], "nofile=1024:4096");
	ck_assert_str_eq(o.sup.rlimit[1], "core=unlimited");
}
END_TEST

START_TEST(native_wait_timeout_defaults_to_a_minute)
{
	char *argv[] = { "vigil", "--wait-for", "file:/x", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_uint_eq(o.sup.wait_timeout_ms, VIGIL_DEFAULT_WAIT_TIMEOUT_MS);
	ck_assert(!o.sup.notify_ready);
	ck_assert(!o.sup.success_on_stop);
	ck_assert_uint_eq(o.sup.nrlimit, 0);
}
END_TEST

START_TEST(native_too_many_waits_or_limits_are_refused)
{
	char *argv[2 * (VIGIL_MAX_WAIT + 1) + 3];
	int n = 0;

	argv[n++] = "vigil";
	for (int i = 0; i <= VIGIL_MAX_WAIT; i++) {
		argv[n++] = "--wait-for";
		argv[n++] = "file:/x";
	}
	argv[n++] = "cmd";
	argv[n] = NULL;
	ck_assert_int_eq(parse(n, argv), -EINVAL);
	ck_assert_msg(strstr(err, "--wait-for") != NULL, "%s", err);
	n = 1;
	for (int i = 0; i <= VIGIL_MAX_RLIMITS; i++)
		argv[n++] = "--core-dumps";
	argv[n++] = "cmd";
	argv[n] = NULL;
	ck_assert_int_eq(parse(n, argv), -EINVAL);
	ck_assert_msg(strstr(err, "--rlimit") != NULL, "%s", err);
}
END_TEST

START_TEST(native_bad_wait_timeout_is_refused)
{
	char *argv[] = { "vigil", "--wait-timeout", "soon", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_msg(strstr(err, "--wait-timeout") != NULL, "%s", err);
}
END_TEST

START_TEST(native_trace_and_log_format_do_not_enable_supervisor)
{
	char *argv[] = { "vigil", "--trace", "--log-format", "text", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.sup.enabled);
	ck_assert(log_trace);
	ck_assert_int_eq(log_format, LOG_TEXT);
}
END_TEST

START_TEST(native_bad_values_name_the_flag)
{
	char *a1[] = { "vigil", "--grace", "soon", "cmd", NULL };
	char *a2[] = { "vigil", "--restart", "always", "cmd", NULL };
	char *a3[] = { "vigil", "--preflight", "maybe", "cmd", NULL };
	char *a4[] = { "vigil", "--log-format", "xml", "cmd", NULL };
	char *a5[] = { "vigil", "-p", "NOPE", "cmd", NULL };
	char *a6[] = { "vigil", "-e", "256", "cmd", NULL };
	char *a7[] = { "vigil", "-r", "TERM", "cmd", NULL };
	char *a8[] = { "vigil", "--user", "", "cmd", NULL };
	char *a9[] = { "vigil", "--seccomp", "strict", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--grace"));
	ck_assert_int_eq(parse(ARGC(a2), a2), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--restart"));
	ck_assert_int_eq(parse(ARGC(a3), a3), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--preflight"));
	ck_assert_int_eq(parse(ARGC(a4), a4), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--log-format"));
	ck_assert_int_eq(parse(ARGC(a5), a5), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "NOPE"));
	ck_assert_int_eq(parse(ARGC(a6), a6), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "256"));
	ck_assert_int_eq(parse(ARGC(a7), a7), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "TERM"));
	ck_assert_int_eq(parse(ARGC(a8), a8), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--user"));
	ck_assert_int_eq(parse(ARGC(a9), a9), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--seccomp"));
}
END_TEST

START_TEST(native_rewrite_of_unforwarded_signal_is_an_error)
{
	char *argv[] = { "vigil", "-r", "CHLD:TERM", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "never forwarded"));
}
END_TEST

START_TEST(pdeath_accepts_only_forwarded_signals)
{
	char *a1[] = { "vigil", "-p", "32", "cmd", NULL };
	char *a2[] = { "vigil", "-p", "STOP", "cmd", NULL };
	char *a3[] = { "tini", "-p", "SIGKILL", "--", "cmd", NULL };
	char *a4[] = { "vigil", "-p", "RTMIN+1", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not one vigil forwards"));
	ck_assert_int_eq(parse(ARGC(a2), a2), -EINVAL);
	ck_assert_int_eq(parse(ARGC(a3), a3), -EINVAL);
	assert_ok(parse(ARGC(a4), a4));
	ck_assert_int_eq(o.pdeath_sig, 35);
}
END_TEST

START_TEST(native_stops_at_first_non_option)
{
	char *argv[] = { "vigil", "echo", "-g", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_str_eq(o.argv[0], "echo");
	ck_assert_str_eq(o.argv[1], "-g");
	ck_assert(!o.group);
}
END_TEST

START_TEST(native_double_dash_ends_options)
{
	char *a1[] = { "vigil", "-g", "--", "echo", "hi", NULL };
	char *a2[] = { "vigil", "--", "-g", NULL };

	assert_ok(parse(ARGC(a1), a1));
	ck_assert(o.group);
	ck_assert_str_eq(o.argv[0], "echo");
	ck_assert_str_eq(o.argv[1], "hi");

	assert_ok(parse(ARGC(a2), a2));
	ck_assert(!o.group);
	ck_assert_str_eq(o.argv[0], "-g");
}
END_TEST

START_TEST(native_unknown_long_flag_is_named_in_error)
{
	char *argv[] = { "vigil", "--bogus", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_msg(strstr(err, "--bogus") != NULL, "err: %s", err);
}
END_TEST

START_TEST(native_unknown_short_flag_is_named_in_error)
{
	char *argv[] = { "vigil", "-x", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_msg(strstr(err, "-x") != NULL, "err: %s", err);
}
END_TEST

START_TEST(native_missing_flag_value_is_named_in_error)
{
	char *a1[] = { "vigil", "--grace", NULL };
	char *a2[] = { "vigil", "-p", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), -EINVAL);
	ck_assert_msg(strstr(err, "--grace") != NULL, "err: %s", err);
	ck_assert_int_eq(parse(ARGC(a2), a2), -EINVAL);
	ck_assert_msg(strstr(err, "-p") != NULL, "err: %s", err);
}
END_TEST

/* A failed parse must not leave getopt mid-word for the next call. */
START_TEST(parse_is_restartable_after_error)
{
	/* -x fails with "g" still pending in getopt's cursor. */
	char *bad[] = { "vigil", "-xg", "cmd", NULL };
	char *good[] = { "vigil", "-s", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(bad), bad), -EINVAL);
	assert_ok(parse(ARGC(good), good));
	ck_assert(o.subreaper);
	ck_assert(!o.group);
	ck_assert_str_eq(o.argv[0], "cmd");
}
END_TEST

START_TEST(native_missing_command_is_an_error)
{
	char *argv[] = { "vigil", "-g", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing command"));
}
END_TEST

START_TEST(native_help_and_version_exit)
{
	char *a1[] = { "vigil", "--help", NULL };
	char *a2[] = { "vigil", "-h", NULL };
	char *a3[] = { "vigil", "--version", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), OPT_EXIT);
	ck_assert(o.show_help);
	ck_assert_int_eq(parse(ARGC(a2), a2), OPT_EXIT);
	ck_assert(o.show_help);
	ck_assert_int_eq(parse(ARGC(a3), a3), OPT_EXIT);
	ck_assert(o.show_version);
	ck_assert(!o.show_help);
}
END_TEST

START_TEST(native_env_sets_group_subreaper_verbosity)
{
	char *argv[] = { "vigil", "cmd", NULL };

	setenv("VIGIL_GROUP", "1", 1);
	setenv("VIGIL_SUBREAPER", "1", 1);
	setenv("VIGIL_VERBOSITY", "3", 1);
	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.group);
	ck_assert(o.subreaper);
	ck_assert_int_eq(o.verbosity, 3);
	ck_assert(log_trace);
	reset();
	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.group);
	ck_assert(!o.subreaper);
	ck_assert_int_eq(o.verbosity, LOG_WARN);
}
END_TEST

START_TEST(native_env_false_values_are_false)
{
	char *argv[] = { "vigil", "cmd", NULL };
	const char *falsy[] = { "0", "false", "no", "" };

	for (size_t i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++) {
		setenv("VIGIL_GROUP", falsy[i], 1);
		assert_ok(parse(ARGC(argv), argv));
		ck_assert_msg(!o.group, "VIGIL_GROUP=\"%s\" is true", falsy[i]);
	}
}
END_TEST

START_TEST(native_bad_verbosity_env_is_an_error)
{
	char *argv[] = { "vigil", "cmd", NULL };

	setenv("VIGIL_VERBOSITY", "loud", 1);
	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "VIGIL_VERBOSITY"));
}
END_TEST

/* ---- front-end selection ---- */

START_TEST(front_end_chosen_by_argv0_basename)
{
	ck_assert_int_eq(options_front_end("/usr/bin/tini"), FE_TINI);
	ck_assert_int_eq(options_front_end("tini"), FE_TINI);
	ck_assert_int_eq(options_front_end("docker-init"), FE_TINI);
	ck_assert_int_eq(options_front_end("/sbin/docker-init"), FE_TINI);
	ck_assert_int_eq(options_front_end("tini-static"), FE_TINI);
	ck_assert_int_eq(options_front_end("dumb-init"), FE_DUMB_INIT);
	ck_assert_int_eq(options_front_end("/usr/local/bin/dumb-init"), FE_DUMB_INIT);
	ck_assert_int_eq(options_front_end("vigil"), FE_VIGIL);
	ck_assert_int_eq(options_front_end("/x/vigil"), FE_VIGIL);
	ck_assert_int_eq(options_front_end("/tini/vigil"), FE_VIGIL);
	ck_assert_int_eq(options_front_end("tinix"), FE_VIGIL);
	ck_assert_int_eq(options_front_end(NULL), FE_VIGIL);
}
END_TEST

START_TEST(parse_records_front_end)
{
	char *a1[] = { "/usr/bin/tini", "cmd", NULL };
	char *a2[] = { "dumb-init", "cmd", NULL };

	assert_ok(parse(ARGC(a1), a1));
	ck_assert_int_eq(o.fe, FE_TINI);
	assert_ok(parse(ARGC(a2), a2));
	ck_assert_int_eq(o.fe, FE_DUMB_INIT);
}
END_TEST

/* ---- tini ---- */

START_TEST(tini_flags_are_set)
{
	char *argv[] = { "tini", "-s", "-g", "-w", "-e", "5", "-p", "SIGHUP", "-v", "--",
			 "cmd", "-x", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.subreaper);
	ck_assert(o.group);
	ck_assert(o.warn_reap);
	ck_assert(o.remap_exit[5]);
	ck_assert(!o.remap_exit[4]);
	ck_assert_int_eq(o.pdeath_sig, SIGHUP);
	ck_assert_int_eq(o.verbosity, LOG_WARN + 1);
	ck_assert(!o.setsid);
	ck_assert_str_eq(o.argv[0], "cmd");
	ck_assert_str_eq(o.argv[1], "-x");
}
END_TEST

START_TEST(tini_defaults_without_flags)
{
	char *argv[] = { "tini", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.no_subreaper_warning);
	ck_assert(!o.subreaper);
	ck_assert(!o.group);
	ck_assert(!o.setsid);
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGTSTP);
}
END_TEST

START_TEST(tini_stops_at_first_non_option)
{
	char *argv[] = { "tini", "ls", "-l", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.show_license);
	ck_assert_str_eq(o.argv[0], "ls");
	ck_assert_str_eq(o.argv[1], "-l");
}
END_TEST

START_TEST(tini_license_help_version_exit)
{
	char *a1[] = { "tini", "-l", NULL };
	char *a2[] = { "tini", "-h", NULL };
	char *a3[] = { "tini", "--version", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), OPT_EXIT);
	ck_assert(o.show_license);
	ck_assert_int_eq(parse(ARGC(a2), a2), OPT_EXIT);
	ck_assert(o.show_help);
	ck_assert_int_eq(parse(ARGC(a3), a3), OPT_EXIT);
	ck_assert(o.show_version);
}
END_TEST

START_TEST(tini_env_sets_subreaper_group_verbosity)
{
	char *argv[] = { "tini", "cmd", NULL };

	setenv("TINI_SUBREAPER", "1", 1);
	setenv("TINI_KILL_PROCESS_GROUP", "1", 1);
	setenv("TINI_VERBOSITY", "2", 1);
	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.subreaper);
	ck_assert(o.group);
	ck_assert_int_eq(o.verbosity, 2);
}
END_TEST

/* tini's documentation has images write `ENV TINI_SUBREAPER=`: set but
 * empty must switch the feature on. */
START_TEST(tini_env_set_but_empty_is_on)
{
	char *argv[] = { "tini", "cmd", NULL };

	setenv("TINI_SUBREAPER", "", 1);
	setenv("TINI_KILL_PROCESS_GROUP", "", 1);
	assert_ok(parse(ARGC(argv), argv));
	ck_assert_msg(o.subreaper, "TINI_SUBREAPER= (empty) left the subreaper off");
	ck_assert_msg(o.group, "TINI_KILL_PROCESS_GROUP= (empty) left group signalling off");
}
END_TEST

START_TEST(tini_env_any_value_is_on)
{
	char *argv[] = { "tini", "cmd", NULL };
	const char *truthy[] = { "1", "yes", "true", "on", "x" };

	for (size_t i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++) {
		setenv("TINI_SUBREAPER", truthy[i], 1);
		setenv("TINI_KILL_PROCESS_GROUP", truthy[i], 1);
		assert_ok(parse(ARGC(argv), argv));
		ck_assert_msg(o.subreaper, "TINI_SUBREAPER=\"%s\" is off", truthy[i]);
		ck_assert_msg(o.group, "TINI_KILL_PROCESS_GROUP=\"%s\" is off", truthy[i]);
	}
}
END_TEST

START_TEST(tini_env_0_false_no_are_off)
{
	char *argv[] = { "tini", "cmd", NULL };
	const char *falsy[] = { "0", "false", "no" };

	for (size_t i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++) {
		setenv("TINI_SUBREAPER", falsy[i], 1);
		setenv("TINI_KILL_PROCESS_GROUP", falsy[i], 1);
		assert_ok(parse(ARGC(argv), argv));
		ck_assert_msg(!o.subreaper, "TINI_SUBREAPER=\"%s\" is on", falsy[i]);
		ck_assert_msg(!o.group, "TINI_KILL_PROCESS_GROUP=\"%s\" is on", falsy[i]);
	}
}
END_TEST

START_TEST(tini_ignores_native_env)
{
	char *argv[] = { "tini", "cmd", NULL };

	setenv("VIGIL_GROUP", "1", 1);
	setenv("VIGIL_SUBREAPER", "1", 1);
	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.group);
	ck_assert(!o.subreaper);
}
END_TEST

START_TEST(tini_rejects_native_long_flags)
{
	char *a1[] = { "tini", "--grace", "1s", "cmd", NULL };
	char *a2[] = { "tini", "--group", "cmd", NULL };
	char *a3[] = { "tini", "-r", "TERM:QUIT", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), -EINVAL);
	ck_assert_msg(strstr(err, "--grace") != NULL, "err: %s", err);
	ck_assert(!o.sup.enabled);
	ck_assert_int_eq(parse(ARGC(a2), a2), -EINVAL);
	ck_assert_msg(strstr(err, "--group") != NULL, "err: %s", err);
	ck_assert_int_eq(parse(ARGC(a3), a3), -EINVAL);
	ck_assert_msg(strstr(err, "-r") != NULL, "err: %s", err);
}
END_TEST

START_TEST(tini_bad_values_are_errors)
{
	char *a1[] = { "tini", "-e", "300", "cmd", NULL };
	char *a2[] = { "tini", "-p", "SIGNOPE", "cmd", NULL };
	char *a3[] = { "tini", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "300"));
	ck_assert_int_eq(parse(ARGC(a2), a2), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "SIGNOPE"));
	setenv("TINI_VERBOSITY", "x", 1);
	ck_assert_int_eq(parse(ARGC(a3), a3), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "TINI_VERBOSITY"));
}
END_TEST

START_TEST(tini_parse_is_restartable_after_error)
{
	char *bad[] = { "tini", "-xg", "cmd", NULL };
	char *good[] = { "tini", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(bad), bad), -EINVAL);
	assert_ok(parse(ARGC(good), good));
	ck_assert(!o.group);
	ck_assert_str_eq(o.argv[0], "cmd");
}
END_TEST

START_TEST(tini_missing_command_is_an_error)
{
	char *argv[] = { "tini", "-s", NULL };

	ck_assert_int_eq(parse(ARGC(argv), argv), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "tini"));
}
END_TEST

/* ---- dumb-init ---- */

START_TEST(dumb_init_default_is_setsid_group_and_stop_rewrites)
{
	char *argv[] = { "dumb-init", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.setsid);
	ck_assert(o.group);
	ck_assert(o.no_subreaper_warning);
	ck_assert(o.term_group_on_exit);
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGSTOP);
	ck_assert_int_eq(options_target(&o, SIGTTIN), SIGSTOP);
	ck_assert_int_eq(options_target(&o, SIGTTOU), SIGSTOP);
	ck_assert_int_eq(options_target(&o, SIGTERM), SIGTERM);
	ck_assert_int_eq(options_target(&o, SIGINT), SIGINT);
}
END_TEST

START_TEST(dumb_init_single_child_has_no_setsid_group_or_rewrite)
{
	char *a1[] = { "dumb-init", "-c", "cmd", NULL };
	char *a2[] = { "dumb-init", "--single-child", "cmd", NULL };

	assert_ok(parse(ARGC(a1), a1));
	ck_assert(!o.setsid);
	ck_assert(!o.group);
	ck_assert(o.no_subreaper_warning);
	ck_assert(!o.term_group_on_exit);
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGTSTP);
	ck_assert_int_eq(options_target(&o, SIGTTIN), SIGTTIN);
	ck_assert_int_eq(options_target(&o, SIGTTOU), SIGTTOU);
	assert_ok(parse(ARGC(a2), a2));
	ck_assert(!o.setsid);
}
END_TEST

START_TEST(dumb_init_setsid_env_zero_is_single_child)
{
	char *argv[] = { "dumb-init", "cmd", NULL };

	setenv("DUMB_INIT_SETSID", "0", 1);
	assert_ok(parse(ARGC(argv), argv));
	ck_assert(!o.setsid);
	ck_assert(!o.group);
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGTSTP);
	setenv("DUMB_INIT_SETSID", "1", 1);
	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.setsid);
}
END_TEST

START_TEST(dumb_init_rewrite_by_number)
{
	char *argv[] = { "dumb-init", "-r", "15:3", "--rewrite", "1:0", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_int_eq(options_target(&o, 15), 3);
	ck_assert_int_eq(options_target(&o, 1), 0);
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGSTOP);
}
END_TEST

/* As in dumb-init (set_rewrite_to_sigstop_if_not_defined): a rewrite the
 * user gave explicitly wins over the setsid-mode SIGSTOP default, even an
 * identity one, so "-r TSTP:TSTP" keeps forwarding SIGTSTP. */
START_TEST(dumb_init_explicit_stop_signal_rewrite_wins)
{
	char *a1[] = { "dumb-init", "-r", "TSTP:TSTP", "cmd", NULL };
	char *a2[] = { "dumb-init", "-r", "TTIN:HUP", "cmd", NULL };

	assert_ok(parse(ARGC(a1), a1));
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGTSTP);
	ck_assert_int_eq(options_target(&o, SIGTTIN), SIGSTOP);
	assert_ok(parse(ARGC(a2), a2));
	ck_assert_int_eq(options_target(&o, SIGTTIN), SIGHUP);
	ck_assert_int_eq(options_target(&o, SIGTSTP), SIGSTOP);
}
END_TEST

START_TEST(dumb_init_version_and_help_exit)
{
	char *a1[] = { "dumb-init", "-V", NULL };
	char *a2[] = { "dumb-init", "--version", NULL };
	char *a3[] = { "dumb-init", "--help", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), OPT_EXIT);
	ck_assert(o.show_version);
	ck_assert_int_eq(parse(ARGC(a2), a2), OPT_EXIT);
	ck_assert(o.show_version);
	ck_assert_int_eq(parse(ARGC(a3), a3), OPT_EXIT);
	ck_assert(o.show_help);
}
END_TEST

START_TEST(dumb_init_verbose_traces)
{
	char *argv[] = { "dumb-init", "-v", "cmd", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert_int_eq(o.verbosity, LOG_DEBUG);
	ck_assert(log_trace);
}
END_TEST

START_TEST(dumb_init_rejects_unknown_and_bad_rewrite)
{
	char *a1[] = { "dumb-init", "-g", "cmd", NULL };
	char *a2[] = { "dumb-init", "-r", "15", "cmd", NULL };
	char *a3[] = { "dumb-init", "--grace", "1s", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(a1), a1), -EINVAL);
	ck_assert_msg(strstr(err, "-g") != NULL, "err: %s", err);
	ck_assert_int_eq(parse(ARGC(a2), a2), -EINVAL);
	ck_assert_msg(strstr(err, "15") != NULL, "err: %s", err);
	ck_assert_int_eq(parse(ARGC(a3), a3), -EINVAL);
	ck_assert_msg(strstr(err, "--grace") != NULL, "err: %s", err);
}
END_TEST

START_TEST(dumb_init_parse_is_restartable_after_error)
{
	char *bad[] = { "dumb-init", "-xc", "cmd", NULL };
	char *good[] = { "dumb-init", "cmd", NULL };

	ck_assert_int_eq(parse(ARGC(bad), bad), -EINVAL);
	assert_ok(parse(ARGC(good), good));
	ck_assert(o.setsid);
	ck_assert_str_eq(o.argv[0], "cmd");
}
END_TEST

START_TEST(dumb_init_stops_at_first_non_option)
{
	char *argv[] = { "dumb-init", "sh", "-c", "true", NULL };

	assert_ok(parse(ARGC(argv), argv));
	ck_assert(o.setsid);
	ck_assert_str_eq(o.argv[0], "sh");
	ck_assert_str_eq(o.argv[1], "-c");
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *n = tcase_create("native");
	TCase *f = tcase_create("front_end");
	TCase *t = tcase_create("tini");
	TCase *d = tcase_create("dumb_init");

	tcase_add_checked_fixture(n, reset, reset);
	tcase_add_test(n, native_init_flags_are_set);
	tcase_add_test(n, native_long_init_flags_are_set);
	tcase_add_test(n, native_defaults_without_flags);
	tcase_add_test(n, native_verbose_twice_enables_trace);
	tcase_add_test(n, native_verbose_once_is_info);
	tcase_add_test(n, native_quiet_resets_verbosity_to_errors);
	tcase_add_test(n, native_pause_alone_is_ok);
	tcase_add_test(n, native_pause_with_command_is_an_error);
	tcase_add_test(n, native_pause_with_supervisor_flag_is_an_error);
	tcase_add_test(n, native_supervisor_flags_enable_supervisor);
#if HAVE_SUPERVISOR
	tcase_add_test(n, native_health_flags_parse_and_enable_supervisor);
	tcase_add_test(n, native_bad_health_values_are_refused);
#endif
	tcase_add_test(n, native_supervise_alone_enables_supervisor);
	tcase_add_test(n, native_trace_and_log_format_do_not_enable_supervisor);
	tcase_add_test(n, native_readiness_wait_and_limit_flags_are_collected);
	tcase_add_test(n, native_wait_timeout_defaults_to_a_minute);
	tcase_add_test(n, native_too_many_waits_or_limits_are_refused);
	tcase_add_test(n, native_bad_wait_timeout_is_refused);
	tcase_add_test(n, native_bad_values_name_the_flag);
	tcase_add_test(n, native_rewrite_of_unforwarded_signal_is_an_error);
	tcase_add_test(n, pdeath_accepts_only_forwarded_signals);
	tcase_add_test(n, native_stops_at_first_non_option);
	tcase_add_test(n, native_double_dash_ends_options);
	tcase_add_test(n, native_unknown_long_flag_is_named_in_error);
	tcase_add_test(n, native_unknown_short_flag_is_named_in_error);
	tcase_add_test(n, native_missing_flag_value_is_named_in_error);
	tcase_add_test(n, parse_is_restartable_after_error);
	tcase_add_test(n, native_missing_command_is_an_error);
	tcase_add_test(n, native_help_and_version_exit);
	tcase_add_test(n, native_env_sets_group_subreaper_verbosity);
	tcase_add_test(n, native_env_false_values_are_false);
	tcase_add_test(n, native_bad_verbosity_env_is_an_error);
	suite_add_tcase(s, n);

	tcase_add_checked_fixture(f, reset, reset);
	tcase_add_test(f, front_end_chosen_by_argv0_basename);
	tcase_add_test(f, parse_records_front_end);
	suite_add_tcase(s, f);

	tcase_add_checked_fixture(t, reset, reset);
	tcase_add_test(t, tini_flags_are_set);
	tcase_add_test(t, tini_defaults_without_flags);
	tcase_add_test(t, tini_stops_at_first_non_option);
	tcase_add_test(t, tini_license_help_version_exit);
	tcase_add_test(t, tini_env_sets_subreaper_group_verbosity);
	tcase_add_test(t, tini_env_set_but_empty_is_on);
	tcase_add_test(t, tini_env_any_value_is_on);
	tcase_add_test(t, tini_env_0_false_no_are_off);
	tcase_add_test(t, tini_ignores_native_env);
	tcase_add_test(t, tini_rejects_native_long_flags);
	tcase_add_test(t, tini_bad_values_are_errors);
	tcase_add_test(t, tini_parse_is_restartable_after_error);
	tcase_add_test(t, tini_missing_command_is_an_error);
	suite_add_tcase(s, t);

	tcase_add_checked_fixture(d, reset, reset);
	tcase_add_test(d, dumb_init_default_is_setsid_group_and_stop_rewrites);
	tcase_add_test(d, dumb_init_single_child_has_no_setsid_group_or_rewrite);
	tcase_add_test(d, dumb_init_setsid_env_zero_is_single_child);
	tcase_add_test(d, dumb_init_rewrite_by_number);
	tcase_add_test(d, dumb_init_explicit_stop_signal_rewrite_wins);
	tcase_add_test(d, dumb_init_version_and_help_exit);
	tcase_add_test(d, dumb_init_verbose_traces);
	tcase_add_test(d, dumb_init_rejects_unknown_and_bad_rewrite);
	tcase_add_test(d, dumb_init_parse_is_restartable_after_error);
	tcase_add_test(d, dumb_init_stops_at_first_non_option);
	suite_add_tcase(s, d);
	return s;
}

int main(void)
{
	/* Run every test in this one process, one after the other, so the
	 * getopt restart and the global resets are exercised for real. */
	return run_suite(options_suite(), CK_NOFORK);
}
