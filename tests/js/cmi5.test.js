import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readCmi5Launch } from "../../templates/runtime/cmi5/launch.js";
import { fetchToken, LaunchError, readLaunchData, readPreferences }
  from "../../templates/runtime/cmi5/lms.js";
import { createCmi5Statements, withTemplate } from "../../templates/runtime/cmi5/statements.js";
import { reportCalls } from "../../templates/runtime/util/report.js";
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

test("LMS.LaunchData is required, its session id read when given; preferences may be missing",
  async () => {
  const w = createWorld({ languages: null });
  const { launch } = readCmi5Launch(w.launch());
  const auth = `Basic ${await fetchToken({ fetchUrl: launch.fetchUrl, session: null,
    fetch: w.fetch })}`;
  const data = await readLaunchData({ launch, auth, fetch: w.fetch, sessionIdKey: SESSION_KEY });
  assert.equal(data.sessionId, "session-1");
  assert.equal(data.launchMode, "Normal");
  assert.deepEqual(await readPreferences({ launch, auth, fetch: w.fetch }),
    { languages: [], audio: null });
  w.launchData[REGISTRATION].contextTemplate.extensions[SESSION_KEY] = "";
  await assert.rejects(readLaunchData({ launch, auth, fetch: w.fetch, sessionIdKey: SESSION_KEY }),
    /session id/);
  // The Open edX cmi5 XBlock gives no session id (docs/lms.md): the AU goes on without one.
  delete w.launchData[REGISTRATION].contextTemplate.extensions[SESSION_KEY];
  const bare = await readLaunchData({ launch, auth, fetch: w.fetch, sessionIdKey: SESSION_KEY });
  assert.equal(bare.sessionId, null);
  delete w.launchData[REGISTRATION].contextTemplate;
  await assert.rejects(readLaunchData({ launch, auth, fetch: w.fetch, sessionIdKey: SESSION_KEY }),
    /contextTemplate/);
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

test("an activity the template gives bare keeps its values and gains our definition", () => {
  const template = { contextActivities: { grouping: [{ objectType: "Activity", id: "https://c/f" },
    { id: "https://c/g", definition: { type: "https://lms/type" } }] } };
  const ours = { contextActivities: { grouping: [
    { objectType: "Activity", id: "https://c/f", definition: { type: "https://t/follow-up" } },
    { id: "https://c/g", definition: { type: "https://t/module" } },
    { id: "https://c", definition: { type: "https://t/course" } }] } };
  const merged = withTemplate(ours, template).contextActivities.grouping;
  assert.deepEqual(merged.map((a) => [a.id, a.definition?.type]), [
    ["https://c/f", "https://t/follow-up"], ["https://c/g", "https://lms/type"],
    ["https://c", "https://t/course"]]);
});

test("an activity the template names but does not type gains our type, keeps its name", () => {
  // The Open edX cmi5 XBlock: its parent is the launch's activityId, named, untyped (docs/lms.md).
  const template = { contextActivities: { parent: [{ id: "https://c",
    definition: { name: { "en-US": "Course" }, description: { "en-US": "About" } } }] } };
  const ours = { contextActivities: { parent: [{ objectType: "Activity", id: "https://c",
    definition: { type: "https://t/au", name: { "en-GB": "Ours" } } }] } };
  const [parent] = withTemplate(ours, template).contextActivities.parent;
  assert.deepEqual(parent.definition, { type: "https://t/au", name: { "en-US": "Course" },
    description: { "en-US": "About" } });
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
  // As the reporter does it: completed before passed in one report (cmi5 §9.3 allows either).
  const status = { score: 60, success: "passed", complete: true };
  for (const [verb, arg] of reportCalls(null, status, { completeFirst: lms.completeFirst })) {
    lms[verb](arg);
  }
  lms.pass();
  tracking.terminated({ leaving: true });
  tracking.pageViewed(DATA.pages[0]);
  await flush(tracking);
  await new Promise((resolve) => { setTimeout(resolve, 0); });
  assert.deepEqual(w.statements.map((s) => s.verb.display["en-US"]),
    ["initialized", "experienced", "progressed", "completed", "passed", "terminated"]);
  for (const s of w.statements) assert.deepEqual(validate(s), [], JSON.stringify(s));
  // Each statement alone by PUT, cookies only to the LMS's own origin (docs/lms.md).
  assert.deepEqual(new Set(w.sends.map((r) => `${r.method} ${r.credentials}`)),
    new Set(["PUT same-origin"]));
  assert.equal(w.sends.length, w.statements.length);
  const defined = w.statements.filter((s) => s.verb.display.en);
  assert.deepEqual(defined.map((s) => s.verb.display.en),
    ["initialized", "progressed", "completed", "passed", "terminated"]);
  const passed = w.statements[4];
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

test("completeFirst puts complete before pass or fail; the default keeps SCORM's order", () => {
  const status = { score: 90, success: "passed", complete: true };
  const verbs = (options) => reportCalls(null, status, options).map(([verb]) => verb);
  assert.deepEqual(verbs(), ["setScore", "pass", "complete"]);
  assert.deepEqual(verbs({ completeFirst: true }), ["setScore", "complete", "pass"]);
  const failed = { score: 10, success: "failed", complete: false };
  assert.deepEqual(reportCalls(null, failed, { completeFirst: true }).map(([v]) => v),
    ["setScore", "fail", "incomplete"]);
});

test("an LMS like the Open edX XBlock: no session id, one activityId for every AU", async () => {
  const w = createWorld();
  const au = (unit) => ({ ...DATA, course: { ...DATA.course, unit } });
  const run = async (search, data, session) => {
    const win = w.window(search, session);
    const opened = await w.open(win, data);
    return { ...opened, win };
  };
  // Every launch without a session id, with the same activityId and registration.
  const launch = () => {
    const search = w.launch();
    delete w.launchData[REGISTRATION].contextTemplate.extensions[SESSION_KEY];
    return search;
  };
  const first = await run(launch(), au("m1"));
  assert.equal(first.info.connected, true);
  first.tracking.started();
  first.lms.setScore({ raw: 90, min: 0, max: 100, scaled: 0.9 });
  first.lms.complete();
  first.lms.pass();
  await flush(first.tracking);
  // A reload of AU 1's window continues its session: no second initialized.
  const reloaded = await run(first.win.location.search, au("m1"), first.win.sessionStorage);
  reloaded.tracking.started();
  reloaded.tracking.terminated({ leaving: true });
  await flush(reloaded.tracking);
  // AU 2, another window: its own session and its own once-per-registration guards.
  const second = await run(launch(), au("m2"));
  second.tracking.started();
  second.lms.setScore({ raw: 80, min: 0, max: 100, scaled: 0.8 });
  second.lms.complete();
  second.lms.pass();
  second.tracking.terminated({ leaving: true });
  await flush(second.tracking);
  assert.deepEqual(w.statements.map((s) => s.verb.display.en),
    ["initialized", "completed", "passed", "terminated",
      "initialized", "completed", "passed", "terminated"]);
  for (const s of w.statements) {
    assert.equal(s.context.extensions[SESSION_KEY], undefined, "no session id made up");
    assert.equal(s.object.id, ACTIVITY);
    assert.deepEqual(validate(s), [], JSON.stringify(s));
  }
});

test("the tests' scores go as cmi5 allowed statements about the tests, never passed/failed",
  async () => {
    const data = { ...DATA, assessments: {
      "m1/pre-test": { kind: "pre-test", module: "m1", questions: [] },
      "m1/post-test": { kind: "post-test", module: "m1", questions: [] } } };
    const w = createWorld();
    const { tracking } = await w.open(w.window(w.launch()), data);
    tracking.started();
    const score = (earned) => ({ scaled: earned / 4, raw: earned, min: 0, max: 4 });
    tracking.assessmentScored({ assessmentKey: "m1/pre-test", kind: "pre-test", ...score(1),
      passed: null, durationMs: 2000 });
    tracking.assessmentScored({ assessmentKey: "m1/post-test", kind: "post-test", ...score(2),
      passed: false, durationMs: 3000 });
    tracking.assessmentScored({ assessmentKey: "m1/post-test", kind: "post-test", ...score(4),
      passed: true, durationMs: 3000 });
    tracking.terminated({ leaving: true });
    await flush(tracking);
    const course = DATA.course.id;
    const tests = w.statements.filter((s) => s.object.id.startsWith(`${course}/m1/`));
    assert.deepEqual(tests.map((s) => [s.verb.id.split("/").pop(), s.object.id.split("/").pop(),
      s.result.success]), [["completed", "pre-test", undefined],
      ["completed", "post-test", false], ["completed", "post-test", true]]);
    for (const s of tests) {
      assert.deepEqual(validate(s), [], JSON.stringify(s));
      const categories = s.context.contextActivities.category.map((a) => a.id);
      assert.ok(!categories.includes("https://w3id.org/xapi/cmi5/context/categories/cmi5"));
      assert.equal(s.context.extensions[SESSION_KEY], "session-1");
      assert.equal(s.verb.display.en, undefined, "the Open edX XBlock reads display.en");
    }
    assert.deepEqual(tests[1].result.score, { scaled: 0.5, raw: 2, min: 0, max: 4 });
    assert.deepEqual(tests[2].context.contextActivities.parent.map((a) => a.id), [ACTIVITY]);
    assert.deepEqual(tests[2].context.contextActivities.grouping.map((a) => a.id),
      ["https://courses.example.org/htp/m1", course]);
    assert.deepEqual(w.statements.map((s) => s.verb.id.split("/").pop()),
      ["initialized", "completed", "completed", "completed", "terminated"]);
  });

test("a launched AU cannot be reopened by a reload (its token is spent); a refused one can", async () => {
  const w = createWorld();
  const search = w.launch();
  const launched = await w.open(w.window(search), DATA);
  assert.equal(launched.info.connected, true);
  assert.equal(launched.lms.reopens, false);
  // The same launch again: the token is refused, the AU runs on browser storage.
  const refused = await w.open(w.window(search), DATA);
  assert.equal(refused.info.connected, false);
  assert.equal(refused.lms.reopens, true);
});

test("the AU's publisher id goes into grouping when the LMS's template lacks it, once", () => {
  const auId = "https://courses.example.org/htp/m2";
  const launch = { actor: ACTOR, registration: REGISTRATION,
    activityId: "https://courses.example.org/htp" };
  let ids = 0;
  const uuid = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`;
  const make = (contextTemplate) => createCmi5Statements({ launch, course: DATA.course,
    contextTemplate, uuid, now: () => 0, auId });
  // The Open edX cmi5 XBlock: the course id as every AU's activityId, a parent, no grouping.
  const xblock = make({ contextActivities: { parent: [{ id: launch.activityId,
    definition: { name: { "en-US": "Trafficking in court" } } }] } });
  const sent = [xblock.initialized(), xblock.completed({ durationMs: 1000 }),
    xblock.progressed(50), xblock.terminated({ durationMs: 2000 })];
  for (const s of sent) {
    assert.deepEqual(s.context.contextActivities.grouping, [{ objectType: "Activity", id: auId }]);
    assert.deepEqual(validate(s), [], JSON.stringify(s));
  }
  // An LMS that gives it (§10.2.1): kept as given, not repeated.
  const given = { objectType: "Activity", id: auId, definition: { name: { en: "Module 2" } } };
  const conformant = make({ contextActivities: { grouping: [given] } });
  assert.deepEqual(conformant.completed({ durationMs: 1 }).context.contextActivities.grouping,
    [given]);
});
