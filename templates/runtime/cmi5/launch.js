// The cmi5 launch (cmi5 §8.1): the LMS opens the AU's page with endpoint, fetch, actor,
// registration and activityId in the query string, in any order, each URL-encoded. Pure: this
// module only reads the query string; lms.js does the requests.

import { httpUrl, readActor } from "../xapi/launch.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/**
 * Read a cmi5 launch from `search`. Returns `{launch, problem}`: `launch` is
 * `{endpoint, fetchUrl, actor, registration, activityId}`; null with no problem when the page was
 * not launched by a cmi5 LMS (no `fetch` parameter: it runs as web content), null with a problem
 * when a parameter is missing or unusable.
 */
export function readCmi5Launch(search) {
  const params = new URLSearchParams(String(search ?? ""));
  if (!params.has("fetch")) return { launch: null, problem: null };
  // §8.1.1 endpoint: the base of every xAPI request (resources are appended, so it ends in "/").
  const endpoint = httpUrl(params.get("endpoint") ?? "");
  if (!endpoint || endpoint.search || endpoint.hash) {
    return { launch: null, problem: "endpoint is not an http(s) URL without a query" };
  }
  if (!endpoint.pathname.endsWith("/")) endpoint.pathname += "/";
  // §8.1.2 fetch: POSTed once for the token (§8.2.1); it may carry a query of its own.
  const fetchUrl = httpUrl(params.get("fetch"));
  if (!fetchUrl) return { launch: null, problem: "fetch is not an http(s) URL" };
  // §8.1.3 actor, §9.2: an Agent with an account.
  const { actor, problem } = readActor(params.get("actor") ?? "");
  if (problem) return { launch: null, problem };
  if (!actor.account) return { launch: null, problem: "actor has no account (cmi5 §9.2)" };
  // §8.1.4 registration: a UUID.
  const registration = params.get("registration") ?? "";
  if (!UUID.test(registration)) return { launch: null, problem: "registration is not a UUID" };
  // §8.1.5 activityId: the object id of every cmi5 defined statement (§9.4).
  const activityId = params.get("activityId") ?? "";
  if (!IRI.test(activityId)) return { launch: null, problem: "activityId is not an IRI" };
  return {
    launch: { endpoint: endpoint.href, fetchUrl: fetchUrl.href, actor, registration, activityId },
    problem: null,
  };
}
