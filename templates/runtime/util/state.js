// Learner state (suspend data): a compact text encoding whose largest possible length the build
// computes from the same course data (builder/state.py) and checks against each standard's limit
// (SCORM 1.2 cmi.suspend_data: 4096 characters). The format is the table in docs/runtime.md,
// "Learner state"; any change here must change builder/state.py the same way.
//
//   "2" <sections, base 36> "." <seen, hex>  then per assessment "~" <entry>
//   entry: <index> "." <attempts> "." <best> "." <s|p><seed> "." <order> [":" <responses>]
//
// `level` (course data `stateLevel`, chosen by the build) leaves parts out: 1 drops knowledge
// checks, 2 also drops every response (scores, attempt counts and draws are always kept).

const VERSION = "2";
const COUNT_CAP = 1295; // "zz": attempts beyond this are not told apart (only when unlimited).
const SEED_WIDTH = 4;
export const SEED_RANGE = 36 ** SEED_WIDTH;
const ESCAPES = { "\\": "\\\\", "~": "\\1", "|": "\\2" };
const UNESCAPES = { "\\": "\\", 1: "~", 2: "|" };
const ENTRY = new RegExp("^([0-9a-z]+)\\.([0-9a-z]+)\\.([0-9a-z]*)\\.([sp])([0-9a-z]{4})\\."
  + "([0-9a-z]+(?:,[0-9a-z]+)*)(?::(.*))?$", "s");

const b36 = (n) => n.toString(36);
const escapeText = (text) => text.replace(/[\\~|]/g, (c) => ESCAPES[c]);
const unescapeText = (text) => text.replace(/\\(.)/gs, (m, c) => UNESCAPES[c] ?? c);

/** Pages seen as a hex string, page i in bit (i % 4) of digit floor(i / 4). */
export function packSeen(flags) {
  let out = "";
  for (let i = 0; i < flags.length; i += 4) {
    let digit = 0;
    for (let bit = 0; bit < 4; bit += 1) if (flags[i + bit]) digit |= 1 << bit;
    out += digit.toString(16);
  }
  return out;
}

/** The `n` flags packed by `packSeen`; missing or malformed digits read as not seen. */
export function unpackSeen(text, n) {
  const flags = new Array(n).fill(false);
  for (let i = 0; i < n; i += 1) {
    const digit = parseInt(String(text ?? "").charAt(i >> 2), 16);
    flags[i] = Number.isInteger(digit) && (digit & (1 << (i % 4))) !== 0;
  }
  return flags;
}

/** At most `max` UTF-16 units of `text`, never ending in half of a surrogate pair. */
function cut(text, max) {
  const out = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out;
}

/** One response as text: ids of one character each, option indexes, or the escaped typed text. */
export function encodeResponse(q, response) {
  const r = (Array.isArray(response) ? response : []).map((v) => String(v ?? ""));
  const ids = new Set(q.choices ?? []);
  switch (q.type) {
    case "true-false":
      return r[0] === "true" ? "t" : r[0] === "false" ? "f" : "";
    case "single":
    case "likert":
    case "multiple": {
      const chosen = [...new Set(r.filter((id) => ids.has(id) && id.length === 1))];
      return (q.type === "multiple" ? chosen : chosen.slice(0, 1)).join("");
    }
    case "matching":
    case "sequencing": {
      const ok = (id) => ids.has(id) && id.length === 1;
      const slots = (q.correct ?? []).map((_, i) => (ok(r[i]) ? r[i] : "-"));
      return slots.every((s) => s === "-") ? "" : slots.join("");
    }
    case "scenario": {
      const picks = [];
      for (const pick of r.slice(0, (q.steps ?? []).length)) {
        if (!/^[0-8]$/.test(pick)) break;
        picks.push(pick);
      }
      return picks.join("");
    }
    default:
      return escapeText(cut(r[0] ?? "", q.maxLength ?? 0));
  }
}

/** The response encoded by `encodeResponse` (an array of strings, [] when unanswered). */
export function decodeResponse(q, text) {
  if (text === "") return [];
  switch (q.type) {
    case "true-false":
      return [text === "t" ? "true" : "false"];
    case "matching":
    case "sequencing":
      return [...text].map((c) => (c === "-" ? "" : c));
    case "single":
    case "likert":
    case "multiple":
    case "scenario":
      return [...text];
    default:
      return [unescapeText(text)];
  }
}

function encodeEntry(index, record, assessment, level) {
  const { count = 0, best = null, attempt } = record;
  const scored = assessment.questions.some((q) => q.scored !== false);
  const clamp = (n, hi) => Math.min(hi, Math.max(0, n));
  const score = scored && Number.isFinite(best) ? b36(Math.round(clamp(best, 1) * 10000)) : "";
  const seed = b36(clamp(attempt.seed | 0, SEED_RANGE - 1)).padStart(SEED_WIDTH, "0");
  const cap = Math.min(assessment.attempts || COUNT_CAP, COUNT_CAP);
  const head = [b36(index), b36(Math.min(count, cap)), score,
    `${attempt.submitted ? "s" : "p"}${seed}`, attempt.order.map(b36).join(",")].join(".");
  if (level >= 2 || !attempt.responses) return head;
  const parts = attempt.order
    .map((i, pos) => encodeResponse(assessment.questions[i], attempt.responses[pos]));
  return `${head}:${parts.join("|")}`;
}

/**
 * Encode `{seen: boolean[], records: {key: {count, best, attempt}}}` for the course data's
 * `assessments`; `attempt` is `{seed, order, responses, submitted}`, `best` a ratio 0..1 or null.
 */
export function encodeState({ seen = [], records = {} }, assessments, level = 0) {
  const keys = Object.keys(assessments);
  let out = `${VERSION}${b36(seen.length)}.${packSeen(seen)}`;
  keys.forEach((key, index) => {
    const record = records[key];
    const assessment = assessments[key];
    if (!record?.attempt || (level >= 1 && assessment.kind === "check")) return;
    out += `~${encodeEntry(index, record, assessment, level)}`;
  });
  return out;
}

function decodeEntry(text, keys, assessments) {
  const m = ENTRY.exec(text);
  const key = m && keys[parseInt(m[1], 36)];
  if (!key) return null;
  const assessment = assessments[key];
  const order = m[6].split(",").map((d) => parseInt(d, 36));
  const count = assessment.questions.length;
  if (new Set(order).size !== order.length || order.some((i) => i >= count)) return null;
  let responses = null;
  if (m[7] !== undefined) {
    const parts = m[7].split("|");
    if (parts.length !== order.length) return null;
    responses = parts.map((p, pos) => decodeResponse(assessment.questions[order[pos]], p));
  }
  const attempt = { seed: parseInt(m[5], 36), order, responses, submitted: m[4] === "s" };
  const best = m[3] === "" ? null : Math.min(1, parseInt(m[3], 36) / 10000);
  return [key, { count: parseInt(m[2], 36), best, attempt }];
}

/**
 * Decode a state string for the course data's `assessments`: `{n, seen, records}`, or null for
 * anything empty or of another version. Entries that do not fit the course are left out.
 */
export function decodeState(text, assessments = {}) {
  if (typeof text !== "string" || !text.startsWith(VERSION)) return null;
  const [head, ...entries] = text.slice(VERSION.length).split("~");
  const m = /^([0-9a-z]+)\.([0-9a-f]*)$/.exec(head);
  if (!m) return null;
  const n = parseInt(m[1], 36);
  const keys = Object.keys(assessments);
  const records = {};
  for (const entry of entries) {
    const decoded = decodeEntry(entry, keys, assessments);
    if (decoded) records[decoded[0]] = decoded[1];
  }
  return { n, seen: unpackSeen(m[2], n), records };
}
