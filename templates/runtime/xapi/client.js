// The xAPI transport: POST a batch of statements to an LRS, or PUT them one by one, and report
// only the HTTP status. xAPI-Communication.md §2.1.1 (PUT Statements), §2.1.2 (POST Statements)
// and §1.3 (the version header on every request).

/**
 * A client for `${endpoint}/statements`.
 * `auth` is the whole Authorization header value, issued per launch (cmi5 fetch URL or an LMS
 * launch parameter); packages never carry credentials (docs/xapi.md).
 * `put`: send each statement alone with `PUT statements?statementId=<its id>` (§2.1.1, which
 * every LRS offers and which is idempotent because the ids are the client's), in order, stopping
 * at the first that is not accepted; the cmi5 adapter asks for it (docs/cmi5.md, "Sending").
 * `send(statements, {keepalive})` resolves to `{status}`: the HTTP status (with `put`, the first
 * one not 2xx, else the last), or 0 when the request failed or timed out (then also `{error}`).
 * It never rejects.
 */
export function createClient({
  endpoint,
  auth,
  fetch = globalThis.fetch,
  version = "1.0.3",
  timeoutMs = 15000,
  setTimer = globalThis.setTimeout,
  clearTimer = globalThis.clearTimeout,
  put = false,
}) {
  const url = `${String(endpoint).replace(/\/+$/, "")}/statements`;
  const headers = { "Content-Type": "application/json", "X-Experience-API-Version": version };
  if (auth) headers.Authorization = auth;

  async function request(method, target, body, keepalive) {
    const controller = new AbortController();
    const timer = setTimer(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs);
    try {
      const response = await fetch(target, {
        method,
        headers,
        body: JSON.stringify(body),
        // keepalive lets the request outlive the page (pagehide); its body is capped at 64 KiB.
        keepalive,
        signal: controller.signal,
        // Cookies only to the page's own origin (the fetch default): none for a cross-origin
        // LRS; an LMS on the page's origin that knows the learner by its session cookie (the
        // Open edX cmi5 XBlock, docs/lms.md) gets it.
        credentials: "same-origin",
      });
      // Read the body so the connection can be reused; its content does not matter here.
      await response.text().catch(() => "");
      return { status: response.status };
    } catch (error) {
      return { status: 0, error: String(error?.message ?? error) };
    } finally {
      clearTimer(timer);
    }
  }

  async function send(statements, { keepalive = false } = {}) {
    if (!put) return request("POST", url, statements, keepalive);
    let answer = { status: 204 };
    for (const statement of statements) {
      const target = `${url}?statementId=${encodeURIComponent(statement.id)}`;
      answer = await request("PUT", target, statement, keepalive);
      if (answer.status < 200 || answer.status >= 300) return answer;
    }
    return answer;
  }

  return { send, url };
}
