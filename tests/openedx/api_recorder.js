// Records every call a package makes on the SCORM API object of the page it runs under (the
// XBlock's `window.API` / `window.API_1484_11`), in `window.__scormCalls`, without changing
// what the calls do or answer. Installed with Playwright's `add_init_script`.
(() => {
  if (window.top !== window) return; // the XBlock's page only, not the package's own frame
  const calls = [];
  window.__scormCalls = calls;
  for (const name of ["API", "API_1484_11"]) {
    let api;
    Object.defineProperty(window, name, {
      configurable: true,
      get() {
        return api;
      },
      set(value) {
        api = value;
        for (const fn of Object.keys(value)) {
          const original = value[fn];
          if (typeof original !== "function") continue;
          value[fn] = function (...args) {
            const result = original.apply(this, args);
            calls.push({ fn, args: args.map(String), result: String(result), t: Date.now() });
            return result;
          };
        }
      },
    });
  }
})();
