/**
 * Hard ceiling on the nodes one compose file may expand to, aliases included: it is what stops an
 * alias bomb (the largest real file of the corpus expands to a few ten thousand nodes).
 */
export const MAX_NODES = 250_000;
