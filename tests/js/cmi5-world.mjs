// A cmi5 LMS in memory for the runtime's tests: the fetch URL (one token per launch, error-code 1
// after), the State API document LMS.LaunchData, the agent profile cmi5LearnerPreferences and a
// statements resource, behind one `fetch`; windows with sessionStorage that survives a reload.
// Used by cmi5.test.js and cmi5-statements.mjs (whose statements tests/test_cmi5_runtime.py checks).
import { createAdapter } from "../../templates/runtime/lms/cmi5.js";

export const ENDPOINT = "https://lms.example.org/cmi5/";
export const ACTOR = { objectType: "Agent",
  account: { homePage: "https://lms.example.org", name: "learner-7" } };
export const REGISTRATION = "0b9f2a4e-6c1d-4f3a-9e2b-7d5c8a1f0e36";
export const ACTIVITY = "https://lms.example.org/au/41";
export const PUBLISHER_ID = "https://courses.example.org/htp/m1";
export const SESSION_KEY = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";

const store = () => {
  const items = new Map();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k) };
};

/** An LMS, a learner's browser (local storage) and a clock. */
export function createWorld({ launchMode = "Normal", masteryScore = null, returnURL = null,
  languages = "en-GB,fr-FR" } = {}) {
  const w = { statements: [], posts: [], gets: [], time: Date.UTC(2024, 4, 1, 9, 0, 0), ids: 0,
    local: store(), sessions: 0, redirects: [], tokens: new Map() };
  w.now = () => w.time;
  w.uuid = () => `00000000-0000-4000-8000-${String(++w.ids).padStart(12, "0")}`;
  const json = (status, body) => ({ status, ok: status < 300, json: async () => body,
    text: async () => JSON.stringify(body) });
  w.launchData = {};
  w.fetch = async (url, init = {}) => {
    const u = new URL(url);
    if (u.pathname === "/fetch") {
      w.posts.push({ method: init.method, url });
      const k = u.searchParams.get("k");
      if (init.method !== "POST" || w.tokens.get(k) !== "fresh") {
        return json(200, { "error-code": "1", "error-text": "already used" });
      }
      w.tokens.set(k, "used");
      return json(200, { "auth-token": `dG9rZW4tJHtr${k}` });
    }
    const auth = init.headers?.Authorization ?? "";
    if (!auth.startsWith("Basic dG9rZW4tJHtr")) return json(401, {});
    if (u.pathname.endsWith("/activities/state")) {
      w.gets.push(u.searchParams.get("stateId"));
      return json(200, w.launchData[u.searchParams.get("registration")]);
    }
    if (u.pathname.endsWith("/agents/profile")) {
      return languages === null ? json(404, {}) : json(200, { languagePreference: languages,
        audioPreference: "off" });
    }
    if (u.pathname.endsWith("/statements")) {
      w.statements.push(...JSON.parse(init.body));
      return json(200, []);
    }
    return json(404, {});
  };
  /** The LMS launches the AU: a new session (and token); returns the launch URL's query. */
  w.launch = ({ registration = REGISTRATION } = {}) => {
    w.sessions += 1;
    const k = String(w.sessions);
    w.tokens.set(k, "fresh");
    w.launchData[registration] = {
      contextTemplate: { extensions: { [SESSION_KEY]: `session-${k}` },
        contextActivities: { grouping: [{ objectType: "Activity", id: PUBLISHER_ID }] } },
      launchMode, moveOn: "CompletedAndPassed",
      ...(masteryScore === null ? {} : { masteryScore }), ...(returnURL ? { returnURL } : {}),
    };
    const q = new URLSearchParams({ endpoint: ENDPOINT, fetch: `https://lms.example.org/fetch?k=${k}`,
      actor: JSON.stringify(ACTOR), registration, activityId: ACTIVITY });
    return `?${q}`;
  };
  /** A browser window (tab) for `search`; `session` is its sessionStorage (kept over reloads). */
  w.window = (search, session = store()) => {
    const win = new EventTarget();
    win.document = new EventTarget();
    win.document.visibilityState = "visible";
    win.location = { search, assign: (to) => w.redirects.push(to) };
    win.setTimeout = () => 0;
    win.clearTimeout = () => {};
    win.sessionStorage = session;
    win.localStorage = w.local;
    return win;
  };
  /** Open the AU in `win`: the adapter started and its tracking, as main.js does it. */
  w.open = async (win, data) => {
    const lms = createAdapter({ win, now: w.now, courseId: data.course.id, fetch: w.fetch,
      storage: w.local });
    const info = await lms.start();
    const tracking = info.connected
      ? lms.createTracking({ data, info, win, now: w.now }) : null;
    return { lms, info, tracking };
  };
  return w;
}

/** Send what is queued (the runtime flushes 250 ms after a statement). */
export async function flush(tracking) {
  await tracking.queue.flush({ force: true });
  await tracking.queue.flush({ force: true });
}
