import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLaunch, readActor, readLaunch } from "../../templates/runtime/xapi/launch.js";
import { attemptKey, createAdapter } from "../../templates/runtime/lms/xapi.js";

const ACCOUNT = {
  objectType: "Agent", account: { homePage: "https://lms.example.org", name: "u42" },
};
const REGISTRATION = "0b9f2a4e-6c1d-4f3a-9e2b-7d5c8a1f0e36";

/** A launch query string as an LMS builds it (every value URL-encoded). */
function query(params) {
  return "?" + new URLSearchParams(params).toString();
}

function fullParams(changes = {}) {
  return {
    endpoint: "https://lrs.example.org/xapi",
    auth: "Basic dXNlcjpwYXNz",
    actor: JSON.stringify(ACCOUNT),
    registration: REGISTRATION,
    activity_id: "https://courses.example.org/htp",
    ...changes,
  };
}

/** A Storage-like object over a Map. */
function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
  };
}

test("a full launch is read, the endpoint normalised to end with a slash", () => {
  assert.deepEqual(parseLaunch(query(fullParams())), {
    endpoint: "https://lrs.example.org/xapi/",
    auth: "Basic dXNlcjpwYXNz",
    actor: ACCOUNT,
    registration: REGISTRATION,
    activityId: "https://courses.example.org/htp",
  });
});

test("registration, activity_id and auth are optional", () => {
  const params = fullParams();
  delete params.registration;
  delete params.activity_id;
  delete params.auth;
  const launch = parseLaunch(query(params));
  assert.equal(launch.registration, null);
  assert.equal(launch.activityId, null);
  assert.equal(launch.auth, null);
  assert.equal(launch.endpoint, "https://lrs.example.org/xapi/");
});

test("no launch parameters at all is not an xAPI launch, and not a problem", () => {
  assert.deepEqual(readLaunch(""), { launch: null, problem: null });
  assert.deepEqual(readLaunch("?page=3"), { launch: null, problem: null });
  assert.equal(parseLaunch(undefined), null);
});

test("a launch missing the endpoint or the actor is refused with the reason", () => {
  const noEndpoint = fullParams();
  delete noEndpoint.endpoint;
  const noActor = fullParams();
  delete noActor.actor;
  assert.deepEqual(readLaunch(query(noEndpoint)), { launch: null, problem: "endpoint is missing" });
  assert.deepEqual(readLaunch(query(noActor)), { launch: null, problem: "actor is missing" });
});

test("endpoints that are not plain http(s) URLs are refused", () => {
  for (const endpoint of ["javascript:alert(1)", "ftp://lrs.example.org/", "lrs/xapi",
    "https://key:secret@lrs.example.org/xapi/", "https://lrs.example.org/xapi?x=1",
    "https://lrs.example.org/xapi#x"]) {
    const { launch, problem } = readLaunch(query(fullParams({ endpoint })));
    assert.equal(launch, null, endpoint);
    assert.match(problem, /^endpoint /, endpoint);
  }
  assert.equal(parseLaunch(query(fullParams({ endpoint: "http://127.0.0.1:8080/" }))).endpoint,
    "http://127.0.0.1:8080/");
});

test("an mbox actor is accepted as the LMS gives it", () => {
  const actor = { name: "Ann", mbox: "mailto:ann@example.org" };
  const launch = parseLaunch(query(fullParams({ actor: JSON.stringify(actor) })));
  assert.deepEqual(launch.actor,
    { objectType: "Agent", name: "Ann", mbox: "mailto:ann@example.org" });
});

test("Tin Can 0.95 array-wrapped actors are normalised to xAPI 1.0 Agents", () => {
  const legacy = {
    name: ["Ann"],
    account: [{ accountServiceHomePage: "https://cloud.example.org/", accountName: "X|ann" }],
    objectType: "Agent",
  };
  assert.deepEqual(readActor(JSON.stringify(legacy)).actor, {
    objectType: "Agent", name: "Ann",
    account: { homePage: "https://cloud.example.org/", name: "X|ann" },
  });
  assert.equal(readActor(JSON.stringify({ mbox: ["mailto:a@example.org"] })).actor.mbox,
    "mailto:a@example.org");
});

test("actors that are not Agents with an account or mbox are refused", () => {
  const cases = [
    "not json",
    "[1]",
    JSON.stringify({ objectType: "Group", account: ACCOUNT.account }),
    JSON.stringify({ name: "Ann" }),
    JSON.stringify({ mbox: "ann@example.org" }),
    JSON.stringify({ account: { homePage: "lms", name: "u42" } }),
    JSON.stringify({ account: { homePage: "https://lms.example.org", name: "" } }),
  ];
  for (const actor of cases) {
    const { launch, problem } = readLaunch(query(fullParams({ actor })));
    assert.equal(launch, null, actor);
    assert.match(problem, /^actor /, actor);
  }
});

test("a registration that is not a UUID or an activity_id that is not an IRI is refused", () => {
  assert.deepEqual(readLaunch(query(fullParams({ registration: "42" }))),
    { launch: null, problem: "registration is not a UUID" });
  assert.deepEqual(readLaunch(query(fullParams({ activity_id: "not an iri" }))),
    { launch: null, problem: "activity_id is not an IRI" });
});

test("the xAPI adapter exposes the launch and is connected only when launched", () => {
  const storage = memoryStorage();
  const win = { location: { search: query(fullParams()) } };
  const lms = createAdapter({ win, storage, courseId: "https://courses.example.org/htp" });
  assert.equal(lms.launch.endpoint, "https://lrs.example.org/xapi/");
  const info = lms.start();
  assert.equal(info.connected, true);
  assert.equal(info.learnerId, "u42");
  assert.equal(info.entry, "ab-initio");
  assert.equal(lms.start(), info);
  // A reload keeps the launch in the address: a new session resumes from browser storage.
  assert.equal(lms.reopens, true);

  const plain = createAdapter({ win: { location: { search: "" } }, storage: memoryStorage() });
  assert.equal(plain.launch, null);
  assert.equal(plain.start().connected, false);
  assert.deepEqual(plain.errors, []);
});

test("the xAPI adapter keeps each learner's attempt locally, keyed by registration", () => {
  const storage = memoryStorage();
  const courseId = "https://courses.example.org/htp";
  const win = { location: { search: query(fullParams()) } };
  const first = createAdapter({ win, storage, courseId });
  first.start();
  first.setBookmark("page-2");
  first.saveState("1{}");
  first.finish({ suspend: true });
  const key = `coursepack:${courseId}|${REGISTRATION}`;
  assert.deepEqual([...storage.items.keys()], [key]);

  const again = createAdapter({ win, storage, courseId }).start();
  assert.equal(again.entry, "resume");
  assert.equal(again.bookmark, "page-2");
  const registration = REGISTRATION.replace("0b", "1c");
  const otherWin = { location: { search: query(fullParams({ registration })) } };
  const other = createAdapter({ win: otherWin, storage, courseId }).start();
  assert.equal(other.entry, "ab-initio");
});

test("attempt keys fall back to the actor, and to the course without a launch", () => {
  const launch = { registration: null, actor: ACCOUNT };
  assert.equal(attemptKey("c", launch), "c|https://lms.example.org|u42");
  assert.equal(attemptKey("c", { registration: null, actor: { mbox: "mailto:a@b.c" } }),
    "c|mailto:a@b.c");
  assert.equal(attemptKey("c", null), "c");
});

test("a bad launch is logged in errors and the course runs as web content", () => {
  const win = { location: { search: query(fullParams({ endpoint: "ftp://x/" })) } };
  const lms = createAdapter({ win, storage: memoryStorage(), courseId: "c" });
  assert.equal(lms.launch, null);
  assert.equal(lms.start().connected, false);
  assert.deepEqual(lms.errors.map((e) => [e.call, e.message]),
    [["launch", "endpoint is not an http(s) URL"]]);
});
