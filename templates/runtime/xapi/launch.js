// The Tin Can launch: the LMS opens index.html with endpoint, auth, actor, registration and
// activity_id in the query string (standards.md 5.5; RusticiSoftware/launch lms_lrs.md).
// We only accept what the LMS gives: nothing here invents an actor or a credential.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
// Tin Can 0.95 launchers (still sent by some LMSs) wrap each actor field in an array.
const first = (value) => (Array.isArray(value) ? value[0] : value);
const nonEmpty = (value) => typeof value === "string" && value.trim() !== "";

/** `text` as an absolute http(s) URL object, or null. */
export function httpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * The LRS endpoint, normalised to end with "/" (xAPI-Communication §1.1: resources are appended),
 * or a problem. Browsers refuse fetch URLs with user:password, and a query or fragment would end
 * up in front of "statements".
 */
function readEndpoint(text) {
  const url = httpUrl(text);
  if (!url) return { problem: "endpoint is not an http(s) URL" };
  if (url.username || url.password) return { problem: "endpoint carries a user name or password" };
  if (url.search || url.hash) return { problem: "endpoint has a query or fragment" };
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return { endpoint: url.href };
}

/** The actor as an xAPI Agent with an account or an mbox (xAPI-Data §2.4.2.1), or a problem. */
export function readActor(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: "actor is not JSON" };
  }
  if (!isObject(raw)) return { problem: "actor is not an object" };
  if (raw.objectType !== undefined && raw.objectType !== "Agent") {
    return { problem: "actor is not an Agent" };
  }
  const agent = { objectType: "Agent" };
  const name = first(raw.name);
  if (nonEmpty(name)) agent.name = name;
  const account = first(raw.account);
  const mbox = first(raw.mbox);
  if (isObject(account)) {
    const homePage = account.homePage ?? account.accountServiceHomePage;
    const accountName = account.name ?? account.accountName;
    if (!httpUrl(homePage) || !nonEmpty(accountName)) {
      return { problem: "actor account needs a homePage URL and a name" };
    }
    agent.account = { homePage, name: accountName };
  } else if (typeof mbox === "string" && /^mailto:[^@\s]+@[^@\s]+$/.test(mbox)) {
    agent.mbox = mbox;
  } else {
    return { problem: "actor has neither an account nor a mailto: mbox" };
  }
  return { actor: agent };
}

/**
 * Read the launch parameters from `search` ("?endpoint=…&…").
 * Returns `{launch, problem}`: `launch` is `{endpoint, auth, actor, registration, activityId}`,
 * or null when this was no xAPI launch (no endpoint or actor: the course runs as web content) or
 * the parameters are unusable (`problem` says why).
 */
export function readLaunch(search) {
  const params = new URLSearchParams(String(search ?? ""));
  const endpointText = params.get("endpoint");
  const actorText = params.get("actor");
  if (!endpointText && !actorText) return { launch: null, problem: null };
  if (!endpointText) return { launch: null, problem: "endpoint is missing" };
  if (!actorText) return { launch: null, problem: "actor is missing" };
  const { endpoint, problem: endpointProblem } = readEndpoint(endpointText);
  if (endpointProblem) return { launch: null, problem: endpointProblem };
  const { actor, problem: actorProblem } = readActor(actorText);
  if (actorProblem) return { launch: null, problem: actorProblem };
  const registration = params.get("registration") || null;
  if (registration !== null && !UUID.test(registration)) {
    return { launch: null, problem: "registration is not a UUID" };
  }
  const activityId = params.get("activity_id") || null;
  if (activityId !== null && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(activityId)) {
    return { launch: null, problem: "activity_id is not an IRI" };
  }
  const auth = params.get("auth") || null;
  return { launch: { endpoint, auth, actor, registration, activityId }, problem: null };
}

/** The launch read from `search`, or null (see `readLaunch`). */
export function parseLaunch(search) {
  return readLaunch(search).launch;
}
