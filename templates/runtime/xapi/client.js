// The xAPI transport: POST a batch of statements to an LRS, report only the HTTP status.
// xAPI-Communication.md §2.1.2 (POST Statements) and §1.3 (the version header on every request).

/**
 * A client for `${endpoint}/statements`.
 * `auth` is the whole Authorization header value, issued per launch (cmi5 fetch URL or an LMS
 * launch parameter); packages never carry credentials (docs/xapi.md).
 * `send(statements, {keepalive})` resolves to `{status}`: the HTTP status, or 0 when the request
 * failed or timed out (then also `{error}`). It never rejects.
 */
export function createClient({
  endpoint,
  auth,
  fetch = globalThis.fetch,
  version = "1.0.3",
  timeoutMs = 15000,
  setTimer = globalThis.setTimeout,
  clearTimer = globalThis.clearTimeout,
}) {
  const url = `${String(endpoint).replace(/\/+$/, "")}/statements`;
  const headers = { "Content-Type": "application/json", "X-Experience-API-Version": version };
  if (auth) headers.Authorization = auth;

  async function send(statements, { keepalive = false } = {}) {
    const controller = new AbortController();
    const timer = setTimer(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(statements),
        // keepalive lets the request outlive the page (pagehide); its body is capped at 64 KiB.
        keepalive,
        signal: controller.signal,
        credentials: "omit",
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

  return { send, url };
}
