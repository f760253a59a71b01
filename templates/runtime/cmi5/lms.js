// What the AU asks of the cmi5 LMS before its first statement: the auth token from the fetch URL
// (cmi5 §8.2), the LMS.LaunchData state document (§10) and the learner's preferences (§11).

const VERSION = "1.0.3";
const LAUNCH_MODES = new Set(["Normal", "Browse", "Review"]);
const MOVE_ON = new Set(["Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed",
  "NotApplicable"]);
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** Why the AU cannot run as launched: `code` is the fetch URL's error-code, or 0. */
export class LaunchError extends Error {
  constructor(message, code = 0) {
    super(message);
    this.code = code;
  }
}

function tokenKey(fetchUrl) {
  return `coursepack:cmi5:token:${fetchUrl}`;
}

/**
 * The auth token for `fetchUrl`. §8.2.1: POST (GET is not allowed) at most once: the token is
 * kept in `session` (sessionStorage) so a reload of the page takes it from there and never asks
 * again (a second POST is refused with error-code 1, §8.2.3.1). Rejects with a LaunchError.
 */
export async function fetchToken({ fetchUrl, session, fetch = globalThis.fetch }) {
  const kept = readItem(session, tokenKey(fetchUrl));
  if (kept) return kept;
  let body;
  try {
    const response = await fetch(fetchUrl, { method: "POST", credentials: "omit",
      cache: "no-store" });
    body = await response.json();
  } catch (error) {
    throw new LaunchError(`fetch URL unreachable: ${error?.message ?? error}`);
  }
  // §8.2.3.2: error-code 1 (already used or expired), 2 (security), 3 (application).
  if (isObject(body) && body["error-code"] !== undefined) {
    throw new LaunchError(`fetch URL refused: ${body["error-text"] ?? ""}`,
      Number(body["error-code"]) || 3);
  }
  const token = isObject(body) ? body["auth-token"] : null;
  if (typeof token !== "string" || token === "") throw new LaunchError("fetch URL gave no token");
  try {
    session?.setItem(tokenKey(fetchUrl), token);
  } catch { /* Storage blocked: a reload will have to ask again (and be refused). */ }
  return token;
}

function readItem(storage, key) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** GET one xAPI document; null for 404, the parsed JSON otherwise; LaunchError on failure. */
async function getDocument(url, auth, fetch) {
  let response;
  try {
    response = await fetch(url, { method: "GET", credentials: "omit", cache: "no-store",
      headers: { Authorization: auth, "X-Experience-API-Version": VERSION } });
  } catch (error) {
    throw new LaunchError(`LMS unreachable: ${error?.message ?? error}`);
  }
  if (response.status === 404) return null;
  if (response.status === 401 || response.status === 403) {
    throw new LaunchError(`LMS refused the token (${response.status})`, 2);
  }
  if (!response.ok) throw new LaunchError(`LMS answered ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new LaunchError("LMS document is not JSON");
  }
}

function documentUrl(endpoint, resource, params) {
  const url = new URL(resource, endpoint);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * LMS.LaunchData (§10): the State API document for this AU, agent and registration. Checked for
 * what the AU relies on: contextTemplate with the session id (§10.2.1), launchMode (§10.2.2),
 * moveOn (§10.2.5); masteryScore 0..1 (§10.2.4) and returnURL (§10.2.6) when given.
 */
export async function readLaunchData({ launch, auth, fetch = globalThis.fetch, sessionIdKey }) {
  const url = documentUrl(launch.endpoint, "activities/state", {
    stateId: "LMS.LaunchData", activityId: launch.activityId,
    agent: JSON.stringify(launch.actor), registration: launch.registration });
  const data = await getDocument(url, auth, fetch);
  if (!isObject(data)) throw new LaunchError("LMS.LaunchData is missing");
  const template = data.contextTemplate;
  const sessionId = template?.extensions?.[sessionIdKey];
  if (!isObject(template) || typeof sessionId !== "string" || !sessionId) {
    throw new LaunchError("LMS.LaunchData has no contextTemplate with a session id");
  }
  if (!LAUNCH_MODES.has(data.launchMode)) throw new LaunchError("LMS.LaunchData: bad launchMode");
  const mastery = data.masteryScore;
  const masteryScore = Number.isFinite(mastery) && mastery >= 0 && mastery <= 1 ? mastery : null;
  return {
    contextTemplate: template,
    sessionId,
    launchMode: data.launchMode,
    moveOn: MOVE_ON.has(data.moveOn) ? data.moveOn : null,
    masteryScore,
    returnURL: typeof data.returnURL === "string" && data.returnURL ? data.returnURL : null,
    launchParameters: typeof data.launchParameters === "string" ? data.launchParameters : null,
  };
}

/**
 * cmi5LearnerPreferences (§11), read at start-up: the languages in order of preference. A missing
 * document, or one the LMS will not give (403 is not an error, §11), means no preference.
 */
export async function readPreferences({ launch, auth, fetch = globalThis.fetch }) {
  const url = documentUrl(launch.endpoint, "agents/profile", {
    profileId: "cmi5LearnerPreferences", agent: JSON.stringify(launch.actor) });
  let data;
  try {
    data = await getDocument(url, auth, fetch);
  } catch {
    return { languages: [], audio: null };
  }
  const text = isObject(data) && typeof data.languagePreference === "string"
    ? data.languagePreference : "";
  const languages = text.split(",").map((tag) => tag.trim()).filter(Boolean);
  const audio = data?.audioPreference === "on" || data?.audioPreference === "off"
    ? data.audioPreference : null;
  return { languages, audio };
}
