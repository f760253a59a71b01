// The cmi5 statement rules of one AU session and registration (cmi5 §9.3, §7.1.3, §10.2.2): which
// statement may be sent now. The session's record lives in sessionStorage under its session id,
// so a reload of the page continues the session (no second initialized); what a registration
// already said (completed, passed) lives in the attempt record (xapi/attempt.js, localStorage).

import { readRecord as read } from "../util/storage.js";

/**
 * The rules over `session` (sessionStorage) for LMS session `sessionId`, `attempt` (the
 * registration's record) and `launchMode`. `now` gives the time in ms.
 */
export function createCmi5Session({ session, sessionId, attempt, launchMode, now }) {
  const key = `coursepack:cmi5:session:${sessionId}`;
  const record = { initialized: false, terminated: false, judged: null, startedAt: null,
    ...read(session, key) };
  const save = () => {
    try {
      session?.setItem(key, JSON.stringify(record));
    } catch { /* Storage blocked: the rules still hold for this page. */ }
  };
  // §10.2.2: Browse and Review record no satisfaction data; the issue (and this AU) goes further
  // and sends only initialized and terminated in them.
  const normal = launchMode === "Normal";
  const open = () => record.initialized && !record.terminated;

  return {
    get launchMode() {
      return launchMode;
    },
    /** Whether the session's initialized was sent (by this page or before a reload). */
    get initialized() {
      return record.initialized;
    },
    get terminated() {
      return record.terminated;
    },
    /** Milliseconds since initialized (§9.5.4.1: the terminated statement's duration). */
    elapsedMs: () => (record.startedAt === null ? 0 : Math.max(0, now() - record.startedAt)),
    /** §9.3.2 / §7.1.1: initialized first, once per session. */
    mayInitialize: () => !record.initialized,
    /** §7.1.3: cmi5 allowed statements only between initialized and terminated (Normal only). */
    mayAllow: () => normal && open(),
    /** §9.3.3: at most one completed per registration. */
    mayComplete: () => normal && open() && !attempt.has("cmi5:completed"),
    /**
     * §9.3: at most one of passed/failed per session; at most one passed per registration; no
     * failed after passed.
     */
    mayJudge: () => normal && open() && record.judged === null && !attempt.has("cmi5:passed"),
    /** §7.1.2 / §9.3.8: terminated last, once, and only after initialized. */
    mayTerminate: () => open(),
    /** Note that `verb` was sent. */
    sent(verb) {
      if (verb === "initialized") {
        record.initialized = true;
        record.startedAt = now();
      } else if (verb === "terminated") {
        record.terminated = true;
      } else if (verb === "passed" || verb === "failed") {
        record.judged = verb;
        if (verb === "passed") attempt.claim("cmi5:passed");
      } else if (verb === "completed") {
        attempt.claim("cmi5:completed");
      }
      save();
    },
  };
}
