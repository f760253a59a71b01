// The preview page: lists the packages, launches one as its target, keeps the panel current by
// polling the preview server, and relaunches the course when the sources are rebuilt. A package
// is known by its key (`<target>` or `<target>-<part>`): a course and its follow-up unit share a
// target, never their learner state or launches.
import { installApi, loadRuntime } from "./host.js";
import {
  addCalls, addStatements, clearCalls, cmi5Status, outboxSize, scormStatus, showCmi, showError,
  showStatus, sizeText, xapiStatus,
} from "./panel.js";

const POLL_MS = 500;
const frame = document.getElementById("course");
const view = {
  packages: [], current: null, unit: 0, api: null, calls: [], pending: [], statements: [],
  generation: null, faults: [], drawn: false,
};
window.__preview = view;

async function getJson(url, body) {
  const response = await fetch(url, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return response.json();
}

const byKey = (key) => view.packages.find((p) => p.key === key);

/** The launch buttons of `pkg`: one, or one per unit (the AUs of a cmi5 `--units module`). */
function choices(pkg) {
  const name = pkg.part ? `${pkg.target} (${pkg.part})` : pkg.target;
  if (!pkg.launchWith) {
    return [{ text: `${name}: no launcher yet`,
      title: `${pkg.title}: no launcher for ${pkg.standard} yet`, unit: 0 }];
  }
  const units = pkg.launchWith.units ?? [];
  if (units.length < 2) return [{ text: `Launch ${name}`, title: pkg.title, unit: 0 }];
  return units.map((u, unit) => ({ text: `Launch ${name}: ${u.title}`,
    title: `${pkg.title}: ${u.title}`, unit }));
}

function drawPackages() {
  const list = document.getElementById("packages");
  const buttons = view.packages.flatMap((pkg) => choices(pkg).map(({ text, title, unit }) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.title = title;
    button.disabled = !pkg.launchWith;
    button.setAttribute("aria-current", String(pkg.key === view.current && unit === view.unit));
    button.addEventListener("click", () => launch(pkg.key, true, unit));
    item.append(button);
    return item;
  }));
  list.replaceChildren(...buttons);
}

/** Draw the panel from the API's CMI tree or the statements (at most once a frame). */
function redraw() {
  if (view.drawn) return;
  view.drawn = true;
  requestAnimationFrame(() => {
    view.drawn = false;
    addCalls(view.pending.splice(0));
    const pkg = byKey(view.current);
    if (!pkg) return;
    if (view.api) {
      const tree = view.api.renderCMIToJSONObject();
      const cmi = tree.cmi ?? tree;
      showCmi(cmi);
      const commit = new Blob([JSON.stringify({ cmi })]).size;
      showStatus(pkg, scormStatus(cmi, pkg.launchWith.host),
        sizeText((cmi.suspend_data ?? "").length, pkg.suspend_limit, "characters"),
        sizeText(commit, pkg.commit_limit, "bytes"));
    } else if (pkg.standard === "cmi5") {
      showCmi(null);
      showStatus(pkg, cmi5Status(view.statements), null, null);
    } else if (pkg.standard === "xapi") {
      showCmi(null);
      showStatus(pkg, xapiStatus(view.statements, pkg.course_iri), null, null,
        outboxSize(localStorage));
    } else {
      showCmi(null);
      const local = { completion: "kept in the browser", success: "–", score: "–" };
      showStatus(pkg, local, null, null);
    }
  });
}

function applyOffline() {
  const win = frame.contentWindow;
  const offline = view.faults.includes("offline");
  try {
    if (!win || win.location.href === "about:blank") return;
    if (win.navigator.onLine === !offline) return;
    Object.defineProperty(win.navigator, "onLine", { configurable: true, get: () => !offline });
    win.dispatchEvent(new Event(offline ? "offline" : "online"));
  } catch {
    // a frame of another origin: nothing to emulate
  }
}
frame.addEventListener("load", applyOffline);

/**
 * Unload the course (its pagehide handlers finish the attempt), then start the package `key`
 * (its unit number `unit`, when it offers several).
 */
async function launch(key, resume, unit = 0) {
  if (frame.getAttribute("src") && frame.getAttribute("src") !== "about:blank") {
    await new Promise((resolve) => {
      frame.addEventListener("load", resolve, { once: true });
      frame.src = "about:blank";
    });
  }
  await poll();
  const pkg = byKey(key);
  if (!pkg || !pkg.launchWith) return;
  view.current = key;
  const units = pkg.launchWith.units ?? [];
  view.unit = Math.min(unit, Math.max(units.length - 1, 0));
  window.location.hash = key;
  clearCalls();
  view.api = null;
  delete window.API;
  delete window.API_1484_11;
  const { host } = pkg.launchWith;
  const url = units.length ? units[view.unit].url : pkg.launchWith.url;
  if (host === "scorm12" || host === "scorm2004") {
    await loadRuntime(host);
    const { cmi } = resume ? await getJson(`/api/learner?package=${encodeURIComponent(key)}`)
      : { cmi: null };
    view.api = installApi(pkg, cmi, view.registration, (call) => {
      view.calls.push(call);
      view.pending.push(call);
      redraw();
    });
  }
  document.getElementById("choose").hidden = true;
  frame.hidden = false;
  frame.src = url;
  drawPackages();
  redraw();
}

async function poll() {
  let state;
  try {
    state = await getJson(`/api/state?since=${view.statements.length}`);
  } catch {
    return null; // the preview stopped, or is restarting
  }
  view.packages = state.packages;
  view.faults = state.faults;
  view.registration = state.registration;
  showError(state.error);
  for (const button of document.querySelectorAll(".fault")) {
    button.setAttribute("aria-pressed", String(state.faults.includes(button.dataset.fault)));
  }
  applyOffline();
  if (state.statements.length) {
    view.statements.push(...state.statements);
    addStatements(state.statements);
  }
  document.getElementById("where").textContent = `Statements go to ${state.lrs}.`;
  const rebuilt = view.generation !== null && state.generation !== view.generation;
  view.generation = state.generation;
  drawPackages();
  redraw();
  return { state, rebuilt };
}

async function tick() {
  const result = await poll();
  if (result?.rebuilt && !result.state.error && view.current) {
    await launch(view.current, true, view.unit);
  }
  setTimeout(tick, POLL_MS);
}

document.getElementById("relaunch").addEventListener("click", () => {
  if (view.current) launch(view.current, true, view.unit);
});
document.getElementById("reset").addEventListener("click", async () => {
  if (!view.current) return;
  const key = view.current;
  await new Promise((resolve) => {
    frame.addEventListener("load", resolve, { once: true });
    frame.src = "about:blank";
  });
  await getJson("/api/reset", { package: key });
  localStorage.clear();
  sessionStorage.clear();
  launch(key, false, view.unit);
});
for (const button of document.querySelectorAll(".fault")) {
  button.addEventListener("click", async () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    await getJson("/api/fault", { name: button.dataset.fault, on });
    await poll();
  });
}

(async () => {
  await poll();
  const wanted = decodeURIComponent(window.location.hash.slice(1));
  if (byKey(wanted)) await launch(wanted, true);
  setTimeout(tick, POLL_MS);
})();
