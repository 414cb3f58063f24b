/** Bounds on what a MUD file may hold; the largest published profile (UNSW Chromecast) has 201 ACEs in about 100 KiB. */
export const MUD_LIMITS = {
  maxBytes: 1024 * 1024,
  maxAcls: 256,
  maxAcesPerAcl: 4096,
  maxAces: 16384,
} as const;
