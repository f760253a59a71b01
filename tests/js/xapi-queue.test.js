import { test } from "node:test";
import assert from "node:assert/strict";
import { createQueue } from "../../templates/runtime/xapi/queue.js";

const KEY = "coursepack:xapi-outbox:test";

/** A Storage-like object over a Map. */
function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

const st = (n) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, n });

/** A fake LRS: answers from `script(batch, call)`; records every batch it was sent. */
function fakeSend(script = () => 204) {
  const calls = [];
  const send = async (batch, options) => {
    calls.push({ ids: batch.map((s) => s.id), options });
    return { status: script(batch, calls.length) };
  };
  return { send, calls };
}

function queueWith(overrides = {}) {
  const storage = overrides.storage ?? memoryStorage();
  const lrs = overrides.lrs ?? fakeSend();
  const logs = [];
  const queue = createQueue({ storage, key: KEY, send: lrs.send, now: () => 1000, random: () => 0.5,
    log: (m, d) => logs.push([m, d]), ...overrides });
  return { queue, storage, lrs, logs };
}

test("enqueue persists before any send, and ignores an id already queued", () => {
  const { queue, storage, lrs } = queueWith();
  queue.enqueue(st(1));
  queue.enqueue(st(1));
  queue.enqueue(st(2));
  assert.equal(lrs.calls.length, 0);
  assert.deepEqual(JSON.parse(storage.getItem(KEY)).map((s) => s.n), [1, 2]);
  assert.equal(queue.size(), 2);
});

test("a reload (new queue on the same storage) sends what the last one left", async () => {
  const storage = memoryStorage();
  const first = queueWith({ storage, lrs: fakeSend(() => 0) });
  for (let i = 1; i <= 3; i++) first.queue.enqueue(st(i));
  await first.queue.flush();
  assert.equal(first.queue.size(), 3);
  const second = queueWith({ storage });
  assert.equal(second.queue.size(), 3);
  await second.queue.flush();
  assert.deepEqual(second.lrs.calls.map((c) => c.ids.length), [3]);
  assert.equal(second.queue.size(), 0);
  assert.equal(storage.getItem(KEY), null);
});

test("concurrent flush calls make one request", async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const calls = [];
  const send = async (batch) => { calls.push(batch.length); await gate; return { status: 200 }; };
  const { queue } = queueWith({ lrs: { send } });
  queue.enqueue(st(1));
  const a = queue.flush();
  const b = queue.flush({ keepalive: true });
  assert.equal(a, b);
  assert.equal(queue.busy, true);
  release();
  await Promise.all([a, b]);
  assert.deepEqual(calls, [1]);
  assert.equal(queue.size(), 0);
});

test("batches hold at most maxBatch statements and never a duplicate id", async () => {
  const storage = memoryStorage();
  storage.setItem(KEY, JSON.stringify([st(1), st(2), st(1), st(3), st(4), st(5)]));
  const { queue, lrs } = queueWith({ storage, maxBatch: 3 });
  await queue.flush();
  assert.deepEqual(lrs.calls.map((c) => c.ids.map((id) => Number(id.slice(-2)))), [[1, 2, 3], [4, 5]]);
  assert.equal(queue.size(), 0);
});

test("statements enqueued while a batch is in flight stay queued", async () => {
  let queue;
  const send = async () => { queue.enqueue(st(9)); return { status: 200 }; };
  ({ queue } = queueWith({ lrs: { send }, maxBatch: 1 }));
  queue.enqueue(st(1));
  await queue.flush();
  assert.equal(queue.size(), 0);
  queue.enqueue(st(10));
  assert.equal(queue.size(), 1);
});

test("409 on a single statement means the LRS already has it: removed, logged", async () => {
  const { queue, lrs, logs } = queueWith({ lrs: fakeSend(() => 409) });
  queue.enqueue(st(1));
  await queue.flush();
  assert.equal(queue.size(), 0);
  assert.equal(lrs.calls.length, 1);
  assert.match(logs[0][0], /409/);
});

test("400 on a batch is bisected: only the bad statement is dropped and logged", async () => {
  const bad = st(3).id;
  const lrs = fakeSend((batch) => (batch.some((s) => s.id === bad) ? 400 : 200));
  const { queue, logs } = queueWith({ lrs });
  for (let i = 1; i <= 5; i++) queue.enqueue(st(i));
  await queue.flush();
  assert.equal(queue.size(), 0);
  const delivered = lrs.calls.filter((c) => !c.ids.includes(bad)).flatMap((c) => c.ids);
  assert.deepEqual(delivered.sort(), [1, 2, 4, 5].map((n) => st(n).id));
  assert.equal(logs.length, 1);
  assert.equal(logs[0][1].id, bad);
});

test("401/403 pause the queue, keep the statements and tell the learner once", async () => {
  for (const status of [401, 403]) {
    const told = [];
    const { queue, lrs } = queueWith({ lrs: fakeSend(() => status), onAuthProblem: (s) => told.push(s) });
    queue.enqueue(st(1));
    await queue.flush();
    await queue.flush({ force: true });
    assert.equal(queue.paused, true);
    assert.deepEqual(told, [status]);
    assert.equal(lrs.calls.length, 1);
    assert.equal(queue.size(), 1);
    queue.resume();
    assert.equal(queue.paused, false);
  }
});

test("network errors and 5xx keep the statements and back off", async () => {
  for (const status of [0, 500, 503]) {
    const { queue, lrs } = queueWith({ lrs: fakeSend(() => status) });
    queue.enqueue(st(1));
    await queue.flush();
    assert.equal(queue.size(), 1);
    assert.equal(queue.retryAt, 1000 + queue.lastDelayMs);
    await queue.flush();
    assert.equal(lrs.calls.length, 1, "a flush during the back-off sends nothing");
    await queue.flush({ force: true });
    assert.equal(lrs.calls.length, 2);
  }
});

test("back-off grows exponentially up to the cap, with jitter, and resets on success", async () => {
  const timers = [];
  let status = 503;
  let rnd = 0;
  const randoms = [0, 1, 0, 1, 0.5, 0.5, 0.5, 0.5];
  const { queue } = queueWith({ lrs: fakeSend(() => status), random: () => randoms[rnd++],
    baseDelayMs: 100, maxDelayMs: 1000, setTimer: (fn, ms) => timers.push(ms), clearTimer: () => {} });
  queue.enqueue(st(1));
  for (let i = 0; i < 8; i++) await queue.flush({ force: true });
  // cap = min(1000, 100 * 2^k); delay = cap/2 + random * cap/2
  assert.deepEqual(timers, [50, 200, 200, 800, 750, 750, 750, 750]);
  const jittered = createQueue({ storage: memoryStorage(), key: KEY, send: async () => ({ status: 0 }),
    random: Math.random, baseDelayMs: 1000, log: () => {} });
  const delays = [];
  for (let i = 0; i < 20; i++) {
    jittered.enqueue(st(i));
    await jittered.flush({ force: true });
    delays.push(jittered.lastDelayMs);
  }
  assert.ok(new Set(delays.slice(-10)).size > 1, "delays at the cap still vary");
  status = 200;
  await queue.flush({ force: true });
  assert.equal(queue.retryAt, 0);
  assert.equal(queue.size(), 0);
});

test("a scheduled retry flushes by itself after the back-off", async () => {
  let fire;
  let status = 0;
  const { queue, lrs } = queueWith({ lrs: fakeSend(() => status),
    setTimer: (fn) => { fire = fn; return 1; }, clearTimer: () => {} });
  queue.enqueue(st(1));
  await queue.flush();
  status = 204;
  fire();
  await queue.flush({ force: true });
  assert.equal(queue.size(), 0);
  assert.equal(lrs.calls.length, 2);
});

test("keepalive flushes pass keepalive and keep each body under 64 KiB", async () => {
  const { queue, lrs } = queueWith({ maxBatch: 50 });
  const big = "x".repeat(20000);
  for (let i = 1; i <= 6; i++) queue.enqueue({ ...st(i), big });
  await queue.flush({ keepalive: true });
  assert.ok(lrs.calls.every((c) => c.options.keepalive === true));
  assert.ok(lrs.calls.every((c) => c.ids.length <= 2));
  assert.equal(queue.size(), 0);
});

test("a full or blocked storage keeps statements in memory and still sends them", async () => {
  const storage = memoryStorage();
  storage.setItem = () => { throw new Error("QuotaExceededError"); };
  const { queue, lrs, logs } = queueWith({ storage });
  queue.enqueue(st(1));
  assert.equal(queue.size(), 1);
  assert.match(logs[0][0], /kept in memory/);
  await queue.flush();
  assert.equal(lrs.calls.length, 1);
});

test("the keepalive budget counts UTF-8 bytes, so non-Latin statements still fit in 64 KiB", async () => {
  const bodies = [];
  const send = async (batch) => {
    bodies.push(Buffer.byteLength(JSON.stringify(batch), "utf8"));
    return { status: 204 };
  };
  const { queue } = queueWith({ lrs: { send }, maxBatch: 50 });
  // 9,000 characters of 3 bytes each: six fit in 60,000 characters but not in 64 KiB.
  for (let i = 1; i <= 6; i++) queue.enqueue({ ...st(i), title: "\u754c".repeat(9000) });
  await queue.flush({ keepalive: true });
  assert.ok(bodies.length > 1);
  assert.ok(bodies.every((n) => n <= 65536), `bodies of ${bodies} bytes`);
  assert.equal(queue.size(), 0);
});
