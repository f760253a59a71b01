import { test } from "node:test";
import assert from "node:assert/strict";
import { createPageExit } from "../../templates/runtime/page-exit.js";

/** A window and document that dispatch events; `visibilityState` is set by the test. */
function fakeWindow() {
  const win = new EventTarget();
  win.document = new EventTarget();
  win.document.visibilityState = "visible";
  return win;
}

/** Page exit over a fake window, recording each phase's handler runs in order. */
function recorded() {
  const win = fakeWindow();
  const exit = createPageExit(win);
  const runs = [];
  for (const phase of ["hidden", "leave", "flush", "restored"]) exit.on(phase, () => runs.push(phase));
  return { win, exit, runs };
}

function hide(win) {
  win.document.visibilityState = "hidden";
  win.document.dispatchEvent(new Event("visibilitychange"));
}

function pageshow(win, persisted) {
  const event = new Event("pageshow");
  event.persisted = persisted;
  win.dispatchEvent(event);
}

test("hidden saves; pagehide leaves once then flushes", () => {
  const { win, runs } = recorded();
  hide(win);
  win.dispatchEvent(new Event("pagehide"));
  win.dispatchEvent(new Event("pagehide"));
  assert.deepEqual(runs, ["hidden", "leave", "flush", "flush"]);
});

test("Exit leaves once; hiding after it runs nothing", () => {
  const { win, exit, runs } = recorded();
  exit.leave();
  exit.leave();
  hide(win);
  assert.deepEqual(runs, ["leave"]);
  assert.equal(exit.left, true);
});

test("back from the back/forward cache after pagehide runs the restored phase", () => {
  const { win, runs } = recorded();
  win.dispatchEvent(new Event("pagehide"));
  pageshow(win, true);
  assert.deepEqual(runs, ["leave", "flush", "restored"]);
});

test("a first load or a restore of a session still open is not a restore of a finished one", () => {
  const { win, runs } = recorded();
  pageshow(win, false);
  pageshow(win, true); // never left: the session is still open
  win.dispatchEvent(new Event("pagehide"));
  pageshow(win, false);
  assert.deepEqual(runs, ["leave", "flush"]);
});

test("a handler that throws does not stop the others", () => {
  const win = fakeWindow();
  const exit = createPageExit(win);
  const runs = [];
  const warn = console.warn;
  console.warn = () => {};
  try {
    exit.on("restored", () => { throw new Error("boom"); });
    exit.on("restored", () => runs.push("second"));
    win.dispatchEvent(new Event("pagehide"));
    pageshow(win, true);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(runs, ["second"]);
  assert.throws(() => exit.on("gone", () => {}), /unknown phase gone/);
});
