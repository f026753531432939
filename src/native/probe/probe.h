/* tsc-probe: a tiny static program that tests run as a container. */
#ifndef PROBE_H
#define PROBE_H

int probe_report(void);
/* Each command gets its own arguments (argv[0] is the command) and returns an exit status,
 * or -1 to go on with the next command. */
int probe_sleep(int argc, char **argv);
int probe_exit(int argc, char **argv);
int probe_echo(int argc, char **argv);
int probe_listen(int argc, char **argv);
int probe_alloc(int argc, char **argv);
int probe_forks(int argc, char **argv);
int probe_write(int argc, char **argv);
int probe_ignore_term(int argc, char **argv);

#endif
