// When the outbox flushes: at start (what the last launch left), when the browser comes back
// online, when the page is hidden and when it is being unloaded. Never on `unload`: it breaks
// the back/forward cache and is unreliable on mobile; `pagehide` and `visibilitychange` are not.

/**
 * Wire `queue` (xapi/queue.js) to the page lifecycle of `win`: with `pageExit` (page-exit.js,
 * as main.js passes it) its "hidden" and "flush" phases, so the session's last statements are
 * queued ("leave") before the keepalive flush; without it, listeners of its own.
 * Returns `{track(statement), stop()}`: `track` persists a statement and flushes soon after;
 * `stop` removes the listeners.
 */
export function startDelivery({ win = globalThis.window, queue, flushDelayMs = 250, pageExit }) {
  const doc = win.document;
  let pending = null;

  const flushNow = (options) => queue.flush(options).catch(() => {});

  // Coming back online: the back-off was waiting for exactly this, so do not wait it out.
  const onOnline = () => flushNow({ force: true });
  // Hidden may be the last moment the page runs (mobile tab switch, then the OS kills it).
  const onVisibility = () => {
    if (doc?.visibilityState === "hidden") flushNow({ keepalive: true });
  };
  const onPageHide = () => flushNow({ keepalive: true });

  let stopped = false;
  win.addEventListener("online", onOnline);
  if (pageExit) {
    pageExit.on("hidden", () => stopped || flushNow({ keepalive: true }));
    pageExit.on("flush", () => stopped || onPageHide());
  } else {
    win.addEventListener("pagehide", onPageHide);
    doc?.addEventListener("visibilitychange", onVisibility);
  }

  flushNow({ force: true });

  return {
    /** Persist `statement` now (before any send) and flush shortly, batching bursts. */
    track(statement) {
      queue.enqueue(statement);
      if (pending === null) {
        pending = win.setTimeout(() => {
          pending = null;
          flushNow();
        }, flushDelayMs);
      }
      return statement;
    },
    stop() {
      if (pending !== null) win.clearTimeout(pending);
      pending = null;
      stopped = true;
      win.removeEventListener("online", onOnline);
      win.removeEventListener("pagehide", onPageHide);
      doc?.removeEventListener("visibilitychange", onVisibility);
    },
  };
}
