import { test } from "node:test";
import assert from "node:assert/strict";
import { findApi } from "../../templates/runtime/lms/discover.js";

/** A window-like object: its own `parent` unless one is given, like a top-level window. */
function frame(props = {}, parent = null) {
  const win = { ...props };
  win.parent = parent ?? win;
  win.top = parent ? parent.top : win;
  return win;
}

/** A chain `depth` frames deep below `root`; returns the innermost frame. */
function chain(root, depth) {
  let win = root;
  for (let i = 0; i < depth; i += 1) win = frame({}, win);
  return win;
}

function crossOrigin(parent) {
  const win = {};
  for (const key of ["API", "API_1484_11", "opener"]) {
    Object.defineProperty(win, key, {
      get() {
        throw new Error("SecurityError: Blocked a frame from accessing a cross-origin frame");
      },
    });
  }
  win.parent = parent;
  win.top = parent.top;
  return win;
}

test("finds the API in the window itself", () => {
  const api = { LMSInitialize() {} };
  assert.equal(findApi(frame({ API: api }), "API"), api);
});

test("looks up the parent chain and tells the two API names apart", () => {
  const api12 = { v: 12 };
  const api2004 = { v: 2004 };
  const lms = frame({ API: api12 });
  const middle = frame({ API_1484_11: api2004 }, lms);
  const leaf = chain(middle, 3);
  assert.equal(findApi(leaf, "API"), api12);
  assert.equal(findApi(leaf, "API_1484_11"), api2004);
});

test("returns null when nothing has the API", () => {
  assert.equal(findApi(chain(frame(), 4), "API"), null);
  assert.equal(findApi(null, "API"), null);
  assert.equal(findApi(frame({ API: null }), "API"), null);
  assert.equal(findApi(frame({ API: "not an object" }), "API"), null);
});

test("steps past a frame that throws on access", () => {
  const api = {};
  const lms = frame({ API: api });
  const leaf = frame({}, crossOrigin(lms));
  assert.equal(findApi(leaf, "API"), api);
});

test("a parent that cannot be read ends the walk without throwing", () => {
  const leaf = {};
  Object.defineProperty(leaf, "parent", {
    get() {
      throw new Error("SecurityError");
    },
  });
  Object.defineProperty(leaf, "top", {
    get() {
      throw new Error("SecurityError");
    },
  });
  assert.equal(findApi(leaf, "API"), null);
});

test("stops after `limit` steps up", () => {
  const api = {};
  const lms = frame({ API: api });
  assert.equal(findApi(chain(lms, 500), "API"), api);
  assert.equal(findApi(chain(lms, 501), "API"), null);
  assert.equal(findApi(chain(lms, 501), "API", 501), api);
  assert.equal(findApi(chain(lms, 3), "API", 2), null);
});

test("a parent cycle ends at the limit", () => {
  const a = {};
  const b = { parent: a };
  a.parent = b;
  a.top = a;
  assert.equal(findApi(a, "API", 50), null);
});

test("falls back to the opener of the top window and its parents", () => {
  const api = {};
  const lms = frame({ API_1484_11: api });
  const popupOpener = frame({}, lms);
  const top = frame({ opener: popupOpener });
  const leaf = chain(top, 2);
  assert.equal(findApi(leaf, "API_1484_11"), api);
});

test("falls back to the window's own opener when top has none", () => {
  const api = {};
  const opener = chain(frame({ API: api }), 2);
  const top = frame();
  const leaf = frame({ opener }, top);
  assert.equal(findApi(leaf, "API"), api);
});

test("an opener that throws is skipped", () => {
  const api = {};
  const top = frame();
  Object.defineProperty(top, "opener", {
    get() {
      throw new Error("SecurityError");
    },
  });
  const leaf = frame({ opener: frame({ API: api }) }, top);
  assert.equal(findApi(leaf, "API"), api);
});
