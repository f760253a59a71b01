import { test } from "node:test";
import assert from "node:assert/strict";
import { startDelivery } from "../../templates/runtime/xapi/lifecycle.js";

/** A window with an EventTarget, a document with visibilityState and manual timers. */
function fakeWindow() {
  const win = new EventTarget();
  win.document = new EventTarget();
  win.document.visibilityState = "visible";
  win.timers = [];
  win.setTimeout = (fn) => win.timers.push(fn);
  win.clearTimeout = () => {};
  return win;
}

function fakeQueue() {
  const flushes = [];
  const queued = [];
  return { flushes, queued, enqueue: (s) => queued.push(s),
    flush: async (options = {}) => { flushes.push(options); } };
}

test("flushes at start for what the last launch left", () => {
  const queue = fakeQueue();
  startDelivery({ win: fakeWindow(), queue });
  assert.deepEqual(queue.flushes, [{ force: true }]);
});

test("online forces a flush; hidden and pagehide flush with keepalive", () => {
  const win = fakeWindow();
  const queue = fakeQueue();
  startDelivery({ win, queue });
  win.dispatchEvent(new Event("online"));
  win.document.dispatchEvent(new Event("visibilitychange"));
  win.document.visibilityState = "hidden";
  win.document.dispatchEvent(new Event("visibilitychange"));
  win.dispatchEvent(new Event("pagehide"));
  assert.deepEqual(queue.flushes.slice(1), [{ force: true }, { keepalive: true }, { keepalive: true }]);
});

test("track persists at once and flushes once per burst; stop removes the listeners", () => {
  const win = fakeWindow();
  const queue = fakeQueue();
  const delivery = startDelivery({ win, queue });
  delivery.track({ id: "a" });
  delivery.track({ id: "b" });
  assert.deepEqual(queue.queued.map((s) => s.id), ["a", "b"]);
  assert.equal(win.timers.length, 1);
  win.timers[0]();
  assert.equal(queue.flushes.length, 2);
  delivery.stop();
  win.dispatchEvent(new Event("online"));
  win.dispatchEvent(new Event("pagehide"));
  assert.equal(queue.flushes.length, 2);
});
