// Drawing an attempt: which questions it shows, in which order, and the order of their options.
// Pure; `rng` returns a number in [0, 1), `seeded(seed)` a repeatable one for an attempt's seed.

/** A random permutation of 0..n-1 (Fisher-Yates); `rng` returns a number in [0, 1). */
export function permutation(n, rng = Math.random) {
  const out = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The authored indexes an attempt shows: `draw` of them at random, shuffled if asked. */
export function pickOrder(n, { draw = null, shuffle = false } = {}, rng = Math.random) {
  const drawing = Number.isInteger(draw) && draw > 0 && draw < n;
  if (!drawing && !shuffle) return [...Array(n).keys()];
  const order = permutation(n, rng).slice(0, drawing ? draw : n);
  return shuffle ? order : order.sort((a, b) => a - b);
}

/** A seeded generator (mulberry32): an attempt's seed gives the same option order on resume. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
