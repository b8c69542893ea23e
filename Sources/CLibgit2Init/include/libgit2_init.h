#ifndef GIT_COORD_LIBGIT2_INIT_H
#define GIT_COORD_LIBGIT2_INIT_H

/**
 * Initializes libgit2 without loading the system's CA certificate bundle.
 *
 * libgit2 built with mbedTLS (Debian's libgit2 1.5) parses the whole bundle
 * (/etc/ssl/certs/ca-certificates.crt, about 140 certificates) inside
 * git_libgit2_init: 4.5 ms of every process start on the machine we measure,
 * a quarter of a `git coord board claim`. git-coord never makes a network
 * connection through libgit2 (fetch and push go through the user's git), so it
 * has no use for those certificates. Returns what git_libgit2_init returns.
 */
int git_coord_libgit2_init(void);

/** How many CA bundle loads git_coord_libgit2_init skipped in this process (for tests). */
int git_coord_skipped_ca_loads(void);

#endif
