// Test driver: the real runtime outbox (xapi/queue.js + xapi/client.js) in Node, against an LRS.
// Usage: node driver.mjs '<json options>'; prints one JSON line with what happened.
// Options: endpoint, auth, storage (file path; the "localStorage" that survives the process),
// count (statements to build and enqueue first), maxBatch, timeoutMs, baseDelayMs, maxDelayMs,
// deadlineMs (give up flushing after this), exitAfterSends (hard-exit right after the Nth
// response arrives, before the queue can remove anything: a tab closed with a full outbox),
// progress (print {"sent": n} after every response), sendDelayMs (a slow network).
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createClient } from "../../templates/runtime/xapi/client.js";
import { createQueue } from "../../templates/runtime/xapi/queue.js";
import { createStatements } from "../../templates/runtime/xapi/statements.js";

const KEY = "coursepack:xapi-outbox:https://example.org/courses/delivery-test";

/** A synchronous Storage over one JSON file, written atomically (temp file + rename). */
function fileStorage(path) {
  const read = () => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {});
  const write = (data) => {
    writeFileSync(`${path}.tmp`, JSON.stringify(data));
    renameSync(`${path}.tmp`, path);
  };
  return {
    getItem: (key) => read()[key] ?? null,
    setItem(key, value) {
      write({ ...read(), [key]: String(value) });
    },
    removeItem(key) {
      const { [key]: _, ...rest } = read();
      write(rest);
    },
  };
}

/** `count` statements of every kind the course sends, cycling through them. */
function buildStatements(count) {
  const course = { id: "https://example.org/courses/delivery-test", title: "Delivery test",
    version: "1.0.0", language: "en-US" };
  const b = createStatements({ course, registration: randomUUID(),
    actor: { account: { homePage: "https://lms.example.org", name: "driver" } } });
  const post = { key: "m1/post-test", kind: "post-test", module: "m1", title: "Post-test" };
  const interaction = { iri: `${course.id}/m1/post-test/q1`, type: "choice",
    description: "Which one?", choices: [{ id: "a", text: "A" }, { id: "b", text: "B" }],
    correct: { xapi: ["b"] } };
  const kinds = [
    () => b.initialized(),
    (i) => b.experienced({ key: `m1/page-${i}`, module: "m1", title: `Page ${i}` }),
    () => b.answered({ interaction, response: ["b"], correct: true, durationMs: 4000,
      assessment: post }),
    (i) => b.progressed((i % 100) / 100),
    () => b.passed(post, { scaled: 0.9, raw: 9, min: 0, max: 10 }, { durationMs: 60000 }),
    () => b.terminated({ durationMs: 120000 }),
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length](i));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(options) {
  const { endpoint, auth, storage: path, count = 0, maxBatch = 50, timeoutMs = 2000,
    baseDelayMs = 100, maxDelayMs = 2000, deadlineMs = 60000, exitAfterSends = 0,
    progress = false, sendDelayMs = 0 } = options;
  const client = createClient({ endpoint, auth, timeoutMs });
  const statuses = {};
  const logs = [];
  let sends = 0;
  let enqueued = [];
  const send = async (batch, opts) => {
    if (sendDelayMs) await sleep(sendDelayMs);
    const result = await client.send(batch, opts);
    sends += 1;
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    if (progress) process.stdout.write(`${JSON.stringify({ sent: sends, status: result.status })}\n`);
    if (exitAfterSends && sends >= exitAfterSends) {
      process.stdout.write(`${JSON.stringify({ exited: true, enqueued, sends, statuses })}\n`);
      process.exit(0);
    }
    return result;
  };
  let authProblem = null;
  const queue = createQueue({ storage: fileStorage(path), key: KEY, send, maxBatch, baseDelayMs,
    maxDelayMs, onAuthProblem: (s) => { authProblem = s; }, log: (m, d) => logs.push(m) });

  enqueued = buildStatements(count).map((s) => {
    queue.enqueue(s);
    return s.id;
  });
  const started = Date.now();
  const deadline = started + deadlineMs;
  while (queue.size() > 0 && !queue.paused && Date.now() < deadline) {
    await queue.flush();
    if (queue.size() > 0) await sleep(Math.max(5, queue.retryAt - Date.now()));
  }
  const elapsedMs = Date.now() - started;
  const report = { enqueued, remaining: queue.size(), sends, statuses, elapsedMs, authProblem, logs };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main(JSON.parse(process.argv[2]));
