// The persistent outbox: statements are written to storage before any send and leave it only
// when the LRS has them (or rejects them for good). Survives reloads and browser restarts.
// xAPI-Communication.md §2.1.1/§2.1.2: statements carry client ids, so a re-send after a lost
// response is harmless (the LRS answers 204/200 or 409 for an id it already has).

// fetch keepalive bodies share a 64 KiB budget (Fetch standard, "keepalive"); stay below it.
const KEEPALIVE_BYTES = 60000;
// The budget is in bytes of the UTF-8 body, not characters: non-Latin text takes 2-3 bytes each.
const utf8 = new TextEncoder();

function readItems(storage, key) {
  const text = storage.getItem(key);
  if (!text) return [];
  try {
    const items = JSON.parse(text);
    return Array.isArray(items) ? items.filter((s) => s && typeof s.id === "string") : [];
  } catch {
    return [];
  }
}

/**
 * An outbox over a localStorage-like `storage` under `key`.
 * `send(statements, {keepalive})` resolves to `{status}` (0 = network error or timeout).
 * `onAuthProblem(status)` is told once when the LRS refuses the credentials (401/403).
 * `log(message, detail)` receives dropped statements and storage failures.
 * `setTimer(fn, ms)` schedules the retry after a back-off (none: the caller retries).
 */
export function createQueue({
  storage,
  key,
  send,
  now = Date.now,
  random = Math.random,
  maxBatch = 50,
  baseDelayMs = 1000,
  maxDelayMs = 60000,
  onAuthProblem = () => {},
  log = (message, detail) => console.warn(`[xapi] ${message}`, detail ?? ""),
  setTimer = null,
  clearTimer = globalThis.clearTimeout,
}) {
  let memory = [];
  let durable = true;
  let inFlight = null;
  let paused = false;
  let failures = 0;
  let retryAt = 0;
  let lastDelayMs = 0;
  let timer = null;

  // Storage is re-read before every change: another tab of the same course may have written.
  function load() {
    if (!durable) return memory;
    try {
      memory = readItems(storage, key);
    } catch (error) {
      log("outbox unreadable, using memory", error);
    }
    return memory;
  }

  function save(items) {
    memory = items;
    try {
      if (items.length) storage.setItem(key, JSON.stringify(items));
      else if (typeof storage.removeItem === "function") storage.removeItem(key);
      else storage.setItem(key, "[]");
      durable = true;
    } catch (error) {
      durable = false;
      log("outbox not saved (storage full or blocked); kept in memory", error);
    }
  }

  load();

  function remove(ids) {
    const gone = new Set(ids);
    save(load().filter((s) => !gone.has(s.id)));
  }

  /** Persist `statement` (skipped when its id is already queued). Returns the queue size. */
  function enqueue(statement) {
    if (!statement || typeof statement.id !== "string") throw new TypeError("statement needs an id");
    const items = load();
    if (!items.some((s) => s.id === statement.id)) save([...items, statement]);
    return memory.length;
  }

  /** The next batch: oldest first, one statement per id (duplicate ids in a batch are a 400). */
  function nextBatch(keepalive) {
    const seen = new Set();
    const batch = [];
    let bytes = 2;
    for (const s of load()) {
      if (seen.has(s.id)) continue;
      const size = utf8.encode(JSON.stringify(s)).length + 1;
      if (keepalive && batch.length && bytes + size > KEEPALIVE_BYTES) break;
      seen.add(s.id);
      batch.push(s);
      bytes += size;
      if (batch.length >= maxBatch) break;
    }
    return batch;
  }

  function backOff() {
    failures += 1;
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
    // "Equal jitter": half the exponential step is fixed, half random, so retries from many
    // learners after an LRS outage spread out but the delay still grows.
    lastDelayMs = Math.round(cap / 2 + random() * (cap / 2));
    retryAt = now() + lastDelayMs;
    if (setTimer) {
      timer = setTimer(() => {
        timer = null;
        flush();
      }, lastDelayMs);
    }
  }

  /** Send `batch`; returns "ok", "retry" or "stop". Rejected batches are split to find the culprit. */
  async function deliver(batch, keepalive) {
    const { status } = await send(batch, { keepalive });
    if (status >= 200 && status < 300) {
      remove(batch.map((s) => s.id));
      return "ok";
    }
    if (status === 401 || status === 403) {
      paused = true;
      onAuthProblem(status);
      return "stop";
    }
    const permanent = status === 400 || status === 409 || status === 413 || status === 422;
    if (!permanent) return "retry";
    if (batch.length > 1) {
      // One statement spoils a whole batch (§2.1.2 batches are atomic); halve until it is alone.
      const half = Math.ceil(batch.length / 2);
      const first = await deliver(batch.slice(0, half), keepalive);
      return first === "ok" ? deliver(batch.slice(half), keepalive) : first;
    }
    if (status === 409) {
      // §2.1.1: the LRS already has this id (stored by an earlier send whose answer was lost).
      log("LRS already has statement (409); removed from outbox", batch[0].id);
    } else {
      log(`LRS rejected statement (${status}); dropped`, batch[0]);
    }
    remove([batch[0].id]);
    return "ok";
  }

  async function run(keepalive) {
    for (;;) {
      const batch = nextBatch(keepalive);
      if (!batch.length) return;
      const outcome = await deliver(batch, keepalive);
      if (outcome === "stop") return;
      if (outcome === "retry") {
        backOff();
        return;
      }
      failures = 0;
      retryAt = 0;
    }
  }

  /**
   * Send everything queued, batch by batch. Only one flush runs at a time: a call made while one
   * is running gets that one's promise. Waits out a back-off unless `force` or `keepalive`
   * (pagehide is the last chance to send).
   */
  function flush({ keepalive = false, force = false } = {}) {
    if (inFlight) return inFlight;
    if (paused) return Promise.resolve();
    if (!force && !keepalive && now() < retryAt) return Promise.resolve();
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
    inFlight = run(keepalive).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    enqueue,
    flush,
    size: () => load().length,
    /** Resume sending after an auth problem was fixed (new credentials). */
    resume: () => { paused = false; },
    get paused() { return paused; },
    get busy() { return inFlight !== null; },
    get retryAt() { return retryAt; },
    get lastDelayMs() { return lastDelayMs; },
  };
}
