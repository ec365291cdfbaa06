/* check_main: how every unit-test binary runs its suite, so meson sees a
 * non-zero exit exactly when Check counted a failure. */
#ifndef VIGIL_CHECK_MAIN_H
#define VIGIL_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define KEEP_FORK_STATUS (-1)

/* fork_status: CK_FORK, CK_NOFORK, or KEEP_FORK_STATUS (CK_FORK env). */
static inline int run_suite(Suite *s, int fork_status)
{
	SRunner *sr = srunner_create(s);
	int failed;

	if (fork_status != KEEP_FORK_STATUS)
		srunner_set_fork_status(sr, (enum fork_status)fork_status);
	srunner_run_all(sr, CK_VERBOSE);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
