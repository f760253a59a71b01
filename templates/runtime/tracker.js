// Pure learner-progress logic: pages seen, the score over the post-tests, pass/fail and the
// course's completion rule. No DOM and no LMS here; main.js reports what `status()` returns.
//
// State (what main.js saves as suspend data) is kept small for SCORM 1.2's 4096 characters:
// {n: page count, s: pages seen as hex, 4 pages a digit, a: {key: "order:responses"}}.

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

/** "2,0:b|a+c": the order shown, then each response (URI-encoded parts joined by "+"). */
export function encodeAttempt({ order, responses }) {
  const parts = responses.map((r) => r.map(encodeURIComponent).join("+"));
  return `${order.join(",")}:${parts.join("|")}`;
}

/** The attempt encoded by `encodeAttempt`, or null if malformed. */
export function decodeAttempt(text) {
  const match = /^(\d+(?:,\d+)*):(.*)$/s.exec(String(text ?? ""));
  if (!match) return null;
  const order = match[1].split(",").map(Number);
  try {
    const responses = match[2].split("|")
      .map((r) => (r === "" ? [] : r.split("+").map(decodeURIComponent)));
    return responses.length === order.length ? { order, responses } : null;
  } catch {
    return null; // a malformed %-escape
  }
}

/** Total weight of an assessment's scored questions; a drawn one counts `draw` of them. */
export function possibleOf(assessment) {
  const scored = assessment.questions.filter((q) => q.scored !== false);
  const total = scored.reduce((sum, q) => sum + q.weight, 0);
  const n = assessment.questions.length;
  return assessment.draw && assessment.draw < n ? (total * assessment.draw) / n : total;
}

/** Percent (0-100, 2 decimals) of all post-test weight earned, or null before any submission. */
export function courseScore(postTests, results) {
  let earned = 0;
  let possible = 0;
  let any = false;
  for (const [key, assessment] of postTests) {
    const result = results.get(key);
    any ||= Boolean(result);
    earned += result ? result.earned : 0;
    possible += result ? result.possible : possibleOf(assessment);
  }
  if (!any) return null;
  return possible > 0 ? Math.round((earned / possible) * 10000) / 100 : 0;
}

/** "passed"/"failed" once every post-test is submitted, else "unknown". */
export function successOf(score, mastery, allSubmitted) {
  if (!allSubmitted || score === null) return "unknown";
  return score >= mastery ? "passed" : "failed";
}

/**
 * The completion rule of course.yaml. Without post-tests in the package (one module of a split
 * course may have none) "post-test" and "all-pages-and-post-test" fall back to all pages.
 */
export function isComplete(rule, { pagesDone, passed, hasPostTests }) {
  if (!hasPostTests || rule === "all-pages") return pagesDone;
  if (rule === "post-test") return passed;
  return pagesDone && passed;
}

/** Tracker over the course data's `pages` and `assessments`; `score` is quiz.scoreAttempt. */
export function createTracker({ pages, assessments, completion, score }) {
  let seen = new Array(pages.length).fill(false);
  const attempts = new Map();
  const postTests = Object.entries(assessments).filter(([, a]) => a.kind === "post-test");
  const kept = (key) => assessments[key] && assessments[key].kind !== "check";

  return {
    /** Take over a snapshot; seen pages only if the course still has as many pages. */
    restore(state) {
      if (!state || typeof state !== "object") return;
      if (state.n === pages.length) seen = unpackSeen(state.s, pages.length);
      for (const [key, text] of Object.entries(state.a ?? {})) {
        const attempt = decodeAttempt(text);
        const count = assessments[key]?.questions.length ?? 0;
        if (kept(key) && attempt && attempt.order.every((i) => i < count)) {
          attempts.set(key, attempt);
        }
      }
    },
    /** Mark a page seen; true if it was not seen before. */
    view(key) {
      const i = pages.findIndex((p) => p.key === key);
      if (i < 0 || seen[i]) return false;
      seen[i] = true;
      return true;
    },
    seen(key) {
      return seen[pages.findIndex((p) => p.key === key)] === true;
    },
    /** Record a submitted assessment (knowledge checks are not kept). */
    submit(key, attempt) {
      if (kept(key)) attempts.set(key, attempt);
    },
    attempt(key) {
      return attempts.get(key) ?? null;
    },
    snapshot() {
      const a = {};
      for (const [key, attempt] of attempts) a[key] = encodeAttempt(attempt);
      return { n: pages.length, s: packSeen(seen), a };
    },
    /** Progress, score (percent or null), success and completion against `mastery` (0-100). */
    status(mastery) {
      const results = new Map();
      for (const [key, assessment] of postTests) {
        const attempt = attempts.get(key);
        if (attempt) results.set(key, score(assessment, attempt));
      }
      const percent = courseScore(postTests, results);
      const success = successOf(percent, mastery, results.size === postTests.length);
      const pagesDone = pages.every((p, i) => p.kind !== "page" || seen[i]);
      const count = seen.filter(Boolean).length;
      return {
        seen: count,
        total: pages.length,
        progress: pages.length ? count / pages.length : 1,
        score: percent,
        success,
        complete: isComplete(completion, {
          pagesDone, passed: success === "passed", hasPostTests: postTests.length > 0,
        }),
      };
    },
  };
}
