// Shared by the interop pages: the query, named checks whose outcomes land
// in results, and run, which publishes results as window.__result for
// drive.mjs once main has finished.
export const q = new URLSearchParams(location.search);
export const results = {};
const logEl = document.getElementById("log");

export const withTimeout = (p, ms, what) => Promise.race([
  p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timeout: ${what}`)), ms)),
]);

export async function check(name, fn) {
  try {
    await fn();
    results[name] = "ok";
  } catch (err) {
    results[name] = `fail: ${err.message}`;
  }
  logEl.textContent += `${name} ${results[name]}\n`;
}

export function run(main) {
  main()
    .catch((err) => { results.fatal = String(err && err.stack || err); })
    .finally(() => { window.__result = results; });
}
