#ifndef GIT_COORD_CLIBGIT2_SHIM_H
#define GIT_COORD_CLIBGIT2_SHIM_H

#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option we use. */

/** Turns fsync of the git directory (objects, refs) on or off. */
static inline int git_coord_opts_enable_fsync(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}

/** Turns libgit2's strict object creation checks on or off. */
static inline int git_coord_opts_strict_object_creation(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}

/** Turns hash verification of objects read from the odb on or off. */
static inline int git_coord_opts_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/** Caps the bytes libgit2 keeps in its per-repository object cache. */
static inline int git_coord_opts_cache_max_size(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

/** Caches objects of one type up to `size` bytes in the per-repository object cache (blobs: 0,
 *  none, by default). */
static inline int git_coord_opts_cache_object_limit(git_object_t type, size_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

/** Turns libgit2's check that a repository belongs to the current user on or off. */
static inline int git_coord_opts_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

#endif
