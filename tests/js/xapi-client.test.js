import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "../../templates/runtime/xapi/client.js";

/** A fake fetch recording requests and answering from `answer(url, init)`. */
function fakeFetch(answer = () => ({ status: 200, body: "[]" })) {
  const requests = [];
  const fetch = async (url, init) => {
    requests.push({ url, init });
    const { status, body = "" } = await answer(url, init);
    return { status, text: async () => body };
  };
  return { fetch, requests };
}

test("POSTs the batch to <endpoint>/statements with the xAPI version header and auth", async () => {
  const lrs = fakeFetch();
  const client = createClient({ endpoint: "https://lrs.example.org/xAPI/", auth: "Basic abc",
    fetch: lrs.fetch });
  const result = await client.send([{ id: "1" }], { keepalive: true });
  assert.deepEqual(result, { status: 200 });
  const { url, init } = lrs.requests[0];
  assert.equal(url, "https://lrs.example.org/xAPI/statements");
  assert.equal(init.method, "POST");
  assert.equal(init.keepalive, true);
  assert.deepEqual(JSON.parse(init.body), [{ id: "1" }]);
  assert.deepEqual(init.headers, { "Content-Type": "application/json",
    "X-Experience-API-Version": "1.0.3", Authorization: "Basic abc" });
});

test("no Authorization header without auth; keepalive defaults to false", async () => {
  const lrs = fakeFetch();
  await createClient({ endpoint: "https://lrs.example.org/xAPI", fetch: lrs.fetch }).send([]);
  assert.equal("Authorization" in lrs.requests[0].init.headers, false);
  assert.equal(lrs.requests[0].init.keepalive, false);
});

test("HTTP errors are returned as their status, network errors as status 0", async () => {
  const statuses = [409, 503];
  const lrs = fakeFetch(() => ({ status: statuses.shift() }));
  const client = createClient({ endpoint: "https://x.org", fetch: lrs.fetch });
  assert.equal((await client.send([])).status, 409);
  assert.equal((await client.send([])).status, 503);
  const down = createClient({ endpoint: "https://x.org",
    fetch: async () => { throw new TypeError("Failed to fetch"); } });
  assert.deepEqual(await down.send([]), { status: 0, error: "Failed to fetch" });
});

test("a request that hangs is aborted after timeoutMs and reported as status 0", async () => {
  const hang = (url, init) => new Promise((_, reject) => {
    init.signal.addEventListener("abort", () => reject(init.signal.reason));
  });
  const client = createClient({ endpoint: "https://x.org", fetch: fakeFetch(hang).fetch, timeoutMs: 30 });
  const started = Date.now();
  const result = await client.send([{ id: "1" }]);
  assert.equal(result.status, 0);
  assert.match(result.error, /timed out after 30 ms/);
  assert.ok(Date.now() - started < 2000);
});
