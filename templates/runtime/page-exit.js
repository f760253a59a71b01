// The one place that listens for the page going away (docs/runtime.md, Lifecycle). Never
// `unload`: it breaks the back/forward cache and Chrome blocks it in LMS frames; `pagehide` and
// `visibilitychange` are reliable. Handlers run in phases, in the order they were added:
// - "hidden": the page went to the background (it may never run again on mobile): save, commit;
// - "leave": the learner leaves (pagehide, or Exit): finish the session, queue last statements;
// - "flush": after every "leave" handler, on pagehide only: send what is queued (keepalive);
// - "restored": the browser brought the page back from its back/forward cache after pagehide:
//   the session was finished, so what the learner does now reaches no LMS unless it restarts.

const PHASES = ["hidden", "leave", "flush", "restored"];

/** Page-exit handling over `win` (and its document); `leave()` is what Exit calls. */
export function createPageExit(win = globalThis.window) {
  const doc = win.document;
  const handlers = Object.fromEntries(PHASES.map((phase) => [phase, []]));
  let left = false;

  const run = (phase) => {
    for (const fn of handlers[phase]) {
      try {
        fn();
      } catch (err) {
        console.warn(`coursepack: a ${phase} handler failed`, err);
      }
    }
  };
  const leave = () => {
    if (left) return;
    left = true;
    run("leave");
  };

  doc?.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "hidden" && !left) run("hidden");
  });
  win.addEventListener("pagehide", () => {
    leave();
    run("flush");
  });
  win.addEventListener("pageshow", (event) => {
    if (event.persisted && left) run("restored");
  });

  return {
    /** Run `fn` in `phase` ("hidden", "leave", "flush" or "restored"). */
    on(phase, fn) {
      if (!handlers[phase]) throw new Error(`page-exit: unknown phase ${phase}`);
      handlers[phase].push(fn);
    },
    /** The learner chose to leave (Exit): run the "leave" handlers once. */
    leave,
    /** Whether the session has been left. */
    get left() {
      return left;
    },
  };
}
