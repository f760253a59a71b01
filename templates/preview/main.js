// The preview page: lists the packages, launches one as its target, keeps the panel current by
// polling the preview server, and relaunches the course when the sources are rebuilt.
import { installApi, loadRuntime } from "./host.js";
import {
  addCalls, addStatements, clearCalls, outboxSize, scormStatus, showCmi, showError, showStatus,
  sizeText, xapiStatus,
} from "./panel.js";

const POLL_MS = 500;
const frame = document.getElementById("course");
const view = {
  packages: [], current: null, api: null, calls: [], pending: [], statements: [],
  generation: null, faults: [], drawn: false,
};
window.__preview = view;

async function getJson(url, body) {
  const response = await fetch(url, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return response.json();
}

function drawPackages() {
  const list = document.getElementById("packages");
  list.replaceChildren(...view.packages.map((pkg) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = pkg.launchWith ? `Launch ${pkg.target}` : `${pkg.target}: no launcher yet`;
    button.title = pkg.launchWith ? pkg.title : `${pkg.title}: no launcher for ${pkg.standard} yet`;
    button.disabled = !pkg.launchWith;
    button.setAttribute("aria-current", String(pkg.target === view.current));
    button.addEventListener("click", () => launch(pkg.target, true));
    item.append(button);
    return item;
  }));
}

/** Draw the panel from the API's CMI tree or the statements (at most once a frame). */
function redraw() {
  if (view.drawn) return;
  view.drawn = true;
  requestAnimationFrame(() => {
    view.drawn = false;
    addCalls(view.pending.splice(0));
    const pkg = view.packages.find((p) => p.target === view.current);
    if (!pkg) return;
    if (view.api) {
      const tree = view.api.renderCMIToJSONObject();
      const cmi = tree.cmi ?? tree;
      showCmi(cmi);
      const commit = new Blob([JSON.stringify({ cmi })]).size;
      showStatus(pkg, scormStatus(cmi, pkg.launchWith.host),
        sizeText((cmi.suspend_data ?? "").length, pkg.suspend_limit, "characters"),
        sizeText(commit, pkg.commit_limit, "bytes"));
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

/** Unload the course (its pagehide handlers finish the attempt), then start `target`. */
async function launch(target, resume) {
  if (frame.getAttribute("src") && frame.getAttribute("src") !== "about:blank") {
    await new Promise((resolve) => {
      frame.addEventListener("load", resolve, { once: true });
      frame.src = "about:blank";
    });
  }
  await poll();
  const pkg = view.packages.find((p) => p.target === target);
  if (!pkg || !pkg.launchWith) return;
  view.current = target;
  window.location.hash = target;
  clearCalls();
  view.api = null;
  delete window.API;
  delete window.API_1484_11;
  const { host, url } = pkg.launchWith;
  if (host === "scorm12" || host === "scorm2004") {
    await loadRuntime(host);
    const { cmi } = resume ? await getJson(`/api/learner?target=${encodeURIComponent(target)}`)
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
  if (result?.rebuilt && !result.state.error && view.current) await launch(view.current, true);
  setTimeout(tick, POLL_MS);
}

document.getElementById("relaunch").addEventListener("click", () => {
  if (view.current) launch(view.current, true);
});
document.getElementById("reset").addEventListener("click", async () => {
  if (!view.current) return;
  const target = view.current;
  await new Promise((resolve) => {
    frame.addEventListener("load", resolve, { once: true });
    frame.src = "about:blank";
  });
  await getJson("/api/reset", { target });
  localStorage.clear();
  sessionStorage.clear();
  launch(target, false);
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
  if (view.packages.some((p) => p.target === wanted)) await launch(wanted, true);
  setTimeout(tick, POLL_MS);
})();
