/* zombielead: behaviour-test helper whose main thread exits while another
 * thread lives on, so /proc shows it as Z although it is alive. It ignores
 * SIGTERM: only the grace period's SIGKILL ends it. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t t;

	signal(SIGTERM, SIG_IGN);
	if (pthread_create(&t, NULL, idle, NULL) != 0) {
		perror("zombielead: pthread_create");
		return 1;
	}
	pthread_exit(NULL);
}
