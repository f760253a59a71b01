// Objectives and scores: one cmi.objectives entry per module, with its score and status, as
// SCORM 1.2 and SCORM 2004 write them. The ids come from the build (builder/interactions.py).

const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
const round = (n, places) => String(Math.round(n * 10 ** places) / 10 ** places);

/** Scaled score (0..1) from `scaled` or from raw between min and max; null if neither. */
export function scaledOf({ raw, min = 0, max, scaled } = {}) {
  if (Number.isFinite(scaled)) return clamp(scaled, 0, 1);
  if (Number.isFinite(raw) && Number.isFinite(max) && max > min) {
    return clamp((raw - min) / (max - min), 0, 1);
  }
  return null;
}

/** Percentage (0-100) of a score, as SCORM 1.2 writes raw; null if there is none. */
export function percentOf(score) {
  const scaled = scaledOf(score);
  return scaled === null ? null : scaled * 100;
}

/** The index of the cmi.objectives entry with `id` (read through `get`), or the next free one. */
export function objectiveIndex(get, id) {
  const count = Number.parseInt(get("cmi.objectives._count"), 10) || 0;
  for (let i = 0; i < count; i += 1) {
    if (get(`cmi.objectives.${i}.id`) === id) return { index: i, found: true };
  }
  return { index: count, found: false };
}

/** [element, value] pairs for objective `n` in SCORM 1.2: score as a percentage, one status. */
export function objectiveValues12(n, found, objective) {
  const p = `cmi.objectives.${n}.`;
  const out = found ? [] : [[`${p}id`, objective.scormId]];
  const pct = percentOf(objective);
  if (pct !== null) {
    out.push([`${p}score.raw`, round(pct, 2)], [`${p}score.min`, "0"], [`${p}score.max`, "100"]);
  }
  const { success = null, completion = null } = objective;
  // One status field: passed/failed say more than completed/incomplete.
  if (success !== null) out.push([`${p}status`, success ? "passed" : "failed"]);
  else if (completion !== null) out.push([`${p}status`, completion ? "completed" : "incomplete"]);
  return out;
}

/** [element, value] pairs for objective `n` in SCORM 2004: scaled and raw score, two statuses. */
export function objectiveValues2004(n, found, objective) {
  const p = `cmi.objectives.${n}.`;
  const out = found ? [] : [[`${p}id`, objective.scormId]];
  const scaled = scaledOf(objective);
  if (scaled !== null) {
    const hasRaw = Number.isFinite(objective.raw) && Number.isFinite(objective.max);
    out.push(
      [`${p}score.scaled`, round(scaled, 4)],
      [`${p}score.raw`, round(hasRaw ? objective.raw : scaled * 100, 2)],
      [`${p}score.min`, round(hasRaw ? (objective.min ?? 0) : 0, 2)],
      [`${p}score.max`, round(hasRaw ? objective.max : 100, 2)],
    );
  }
  const { success = null, completion = null } = objective;
  if (success !== null) out.push([`${p}success_status`, success ? "passed" : "failed"]);
  if (completion !== null) {
    out.push([`${p}completion_status`, completion ? "completed" : "incomplete"]);
  }
  return out;
}
