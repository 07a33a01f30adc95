/**
 * Exit codes, the one table (also in the README):
 *   0 ok · 1 failure · 2 usage error · 3 not found or ambiguous · 130 cancelled
 * A module of its own, importing nothing, so that the help bundle (src/cli/help.ts) has them without the errors' store imports.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, cancelled: 130 } as const;
