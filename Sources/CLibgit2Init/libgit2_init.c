/*
 * libgit2's mbedTLS stream loads the default CA bundle during git_libgit2_init
 * by calling mbedtls_x509_crt_parse_file (or _parse_path for a folder), and
 * offers no option to skip it: options can only be set after init. This file
 * defines those two mbedTLS functions in the executable, where the dynamic
 * linker finds them before libmbedx509's. While git_coord_libgit2_init runs,
 * they load nothing and report success (libgit2 then holds an empty chain, so
 * any TLS connection it made would fail verification: closed, not open). At
 * any other moment they forward to mbedTLS unchanged.
 *
 * Where libgit2 uses another TLS library, or where symbols are not interposed
 * (macOS's two-level namespace), nothing calls these and libgit2 behaves as
 * shipped.
 */
#define _GNU_SOURCE
#include "libgit2_init.h"

#include <dlfcn.h>
#include <git2.h>
#include <stdatomic.h>
#include <stddef.h>

static atomic_int initializing;
static atomic_int skipped;

typedef int (*parse_fn)(void *chain, const char *where);

static int forward(const char *name, void *chain, const char *where) {
    parse_fn real = (parse_fn)dlsym(RTLD_NEXT, name);
    return real ? real(chain, where) : -1;
}

int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    if (atomic_load(&initializing)) {
        atomic_fetch_add(&skipped, 1);
        return 0;
    }
    return forward("mbedtls_x509_crt_parse_file", chain, path);
}

int mbedtls_x509_crt_parse_path(void *chain, const char *path) {
    if (atomic_load(&initializing)) {
        atomic_fetch_add(&skipped, 1);
        return 0;
    }
    return forward("mbedtls_x509_crt_parse_path", chain, path);
}

int git_coord_libgit2_init(void) {
    atomic_store(&initializing, 1);
    int result = git_libgit2_init();
    atomic_store(&initializing, 0);
    return result;
}

int git_coord_skipped_ca_loads(void) {
    return atomic_load(&skipped);
}
