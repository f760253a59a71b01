import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readCmi5Launch } from "../../templates/runtime/cmi5/launch.js";
import { fetchToken, LaunchError, readLaunchData, readPreferences }
  from "../../templates/runtime/cmi5/lms.js";
import { withTemplate } from "../../templates/runtime/cmi5/statements.js";
import { ACTIVITY, ACTOR, createWorld, ENDPOINT, flush, REGISTRATION, SESSION_KEY }
  from "./cmi5-world.mjs";

const validate = createRequire(import.meta.url)("xapi-validation").default;
const DATA = {
  course: { id: "https://courses.example.org/htp", title: "Trafficking in court", version: "1.2.0",
    language: "en-GB", masteryScore: 80, completion: "all-pages-and-post-test" },
  pages: [{ key: "m1/intro", module: "m1", kind: "page", title: "Introduction" }],
  assessments: {},
};

test("the launch parameters are read in any order; what cmi5 requires is checked", () => {
  const w = createWorld();
  const { launch, problem } = readCmi5Launch(w.launch());
  assert.equal(problem, null);
  assert.deepEqual(launch, { endpoint: ENDPOINT, fetchUrl: "https://lms.example.org/fetch?k=1",
    actor: ACTOR, registration: REGISTRATION, activityId: ACTIVITY });
  const reordered = new URLSearchParams([...new URLSearchParams(w.launch())].reverse());
  assert.equal(readCmi5Launch(`?${reordered}`).launch.fetchUrl, "https://lms.example.org/fetch?k=2");
  assert.deepEqual(readCmi5Launch("?endpoint=x"), { launch: null, problem: null });
  const mbox = new URLSearchParams(w.launch());
  mbox.set("actor", JSON.stringify({ mbox: "mailto:a@example.org" }));
  assert.match(readCmi5Launch(`?${mbox}`).problem, /account/);
  const noReg = new URLSearchParams(w.launch());
  noReg.set("registration", "42");
  assert.match(readCmi5Launch(`?${noReg}`).problem, /registration/);
});

test("the token is POSTed for once and kept for a reload; a second POST is error 1", async () => {
  const w = createWorld();
  const { launch } = readCmi5Launch(w.launch());
  const tab = w.window("").sessionStorage;
  const token = await fetchToken({ fetchUrl: launch.fetchUrl, session: tab, fetch: w.fetch });
  assert.equal(await fetchToken({ fetchUrl: launch.fetchUrl, session: tab, fetch: w.fetch }), token);
  assert.deepEqual(w.posts.map((p) => p.method), ["POST"]);
  const other = w.window("").sessionStorage;
  await assert.rejects(fetchToken({ fetchUrl: launch.fetchUrl, session: other, fetch: w.fetch }),
    (error) => error instanceof LaunchError && error.code === 1);
});

test("LMS.LaunchData is required with a session id; preferences may be missing", async () => {
  const w = createWorld({ languages: null });
  const { launch } = readCmi5Launch(w.launch());
  const auth = `Basic ${await fetchToken({ fetchUrl: launch.fetchUrl, session: null,
    fetch: w.fetch })}`;
  const data = await readLaunchData({ launch, auth, fetch: w.fetch, sessionIdKey: SESSION_KEY });
  assert.equal(data.sessionId, "session-1");
  assert.equal(data.launchMode, "Normal");
  assert.deepEqual(await readPreferences({ launch, auth, fetch: w.fetch }),
    { languages: [], audio: null });
  delete w.launchData[REGISTRATION].contextTemplate.extensions[SESSION_KEY];
  await assert.rejects(readLaunchData({ launch, auth, fetch: w.fetch, sessionIdKey: SESSION_KEY }),
    /session id/);
  await assert.rejects(readLaunchData({ launch, auth: "Basic no", fetch: w.fetch,
    sessionIdKey: SESSION_KEY }), (error) => error.code === 2);
});

test("the contextTemplate is laid over the AU's context, never overridden", () => {
  const template = { extensions: { [SESSION_KEY]: "s-1" },
    contextActivities: { grouping: [{ id: "https://p/au" }], category: { id: "https://lms/c" } } };
  const merged = withTemplate({ registration: "r", extensions: { [SESSION_KEY]: "ours", x: 1 },
    contextActivities: { grouping: [{ id: "https://c" }], category: [{ id: "https://cat" }] } },
  template);
  assert.equal(merged.extensions[SESSION_KEY], "s-1");
  assert.equal(merged.extensions.x, 1);
  assert.deepEqual(merged.contextActivities.grouping.map((a) => a.id), ["https://p/au", "https://c"]);
  assert.deepEqual(merged.contextActivities.category.map((a) => a.id), ["https://lms/c", "https://cat"]);
});

test("a whole session: valid xAPI, the LMS's mastery score, returnURL after terminated", async () => {
  const w = createWorld({ masteryScore: 0.5, returnURL: "https://lms.example.org/back" });
  const win = w.window(w.launch());
  const { lms, info, tracking } = await w.open(win, DATA);
  assert.equal(info.connected, true);
  assert.equal(info.masteryScore, 50);
  assert.deepEqual(info.languages, ["en-GB", "fr-FR"]);
  tracking.started();
  tracking.pageViewed(DATA.pages[0]);
  tracking.progressed(1);
  lms.setScore({ raw: 60, min: 0, max: 100, scaled: 0.6 });
  lms.pass();
  lms.complete();
  lms.pass();
  tracking.terminated({ leaving: true });
  tracking.pageViewed(DATA.pages[0]);
  await flush(tracking);
  await new Promise((resolve) => { setTimeout(resolve, 0); });
  assert.deepEqual(w.statements.map((s) => s.verb.display["en-US"]),
    ["initialized", "experienced", "progressed", "passed", "completed", "terminated"]);
  for (const s of w.statements) assert.deepEqual(validate(s), [], JSON.stringify(s));
  const passed = w.statements[3];
  assert.equal(passed.context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"],
    0.5);
  assert.deepEqual(w.redirects, ["https://lms.example.org/back"]);
});

test("a refused launch runs without tracking and tells why", async () => {
  const w = createWorld();
  const search = w.launch();
  await w.open(w.window(search), DATA);
  const { info, tracking, lms } = await w.open(w.window(search), DATA);
  assert.equal(info.connected, false);
  assert.equal(info.notice, "runtime.cmi5.refused");
  assert.equal(tracking, null);
  assert.equal(lms.errors[0].code, 1);
});

test("a score exactly at the LMS's masteryScore passes (no binary-fraction slip)", async () => {
  const w = createWorld({ masteryScore: 0.7 });
  const { lms, info, tracking } = await w.open(w.window(w.launch()), DATA);
  assert.equal(info.masteryScore, 70);
  tracking.started();
  lms.setScore({ raw: 70, min: 0, max: 100, scaled: 0.7 });
  lms.pass();
  await flush(tracking);
  assert.deepEqual(w.statements.map((s) => s.verb.display["en-US"]), ["initialized", "passed"]);
});
