// Shared parts of the interop scripts: environment, the check/emit output
// protocol read by realtime.runCheckScript, the WebSocket factory and Inbox.
import WebSocket from "ws";

export const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`missing ${name}`);
    process.exit(2);
  }
  return v;
};

export const STEP_MS = 5000;

let failures = 0;
export const emit = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
export const check = (name, ok, detail) => {
  if (!ok) failures++;
  emit({ check: name, ok: Boolean(ok), detail: detail ?? null });
};

// run runs main under a watchdog and reports the done line.
export const run = (main, timeoutMs = 90000) => {
  const watchdog = setTimeout(() => {
    check("script-timeout", false, `script did not finish in ${timeoutMs / 1000}s`);
    emit({ done: true, failures });
    process.exit(1);
  }, timeoutMs);
  main()
    .catch((err) => check("script-error", false, String(err?.stack ?? err)))
    .finally(() => {
      clearTimeout(watchdog);
      emit({ done: true, failures });
      process.exit(failures === 0 ? 0 : 1);
    });
};

// One task per inbound frame, as in browsers (spec §8.1 delivery gotcha).
export const factory = (url) => new WebSocket(url, { allowSynchronousEvents: false });

// Collects events of one kind and lets the script wait for a matching one.
export class Inbox {
  constructor(client, event) {
    this.items = [];
    this.waiters = [];
    client.on(event, (payload) => {
      this.items.push(payload);
      for (const w of [...this.waiters]) this.#try(w);
    });
  }
  #try(w) {
    const hit = this.items.slice(w.from).find(w.pred);
    if (hit !== undefined) {
      clearTimeout(w.timer);
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(hit);
    }
  }
  // wait resolves with the first item (received after mark) matching pred,
  // or null after STEP_MS.
  wait(pred, from = 0) {
    return new Promise((resolve) => {
      const w = { pred, from, resolve };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(null);
      }, STEP_MS);
      this.waiters.push(w);
      this.#try(w);
    });
  }
  mark() {
    return this.items.length;
  }
}

// inboxes returns an Inbox per event name of client.
export const inboxes = (client, events) => Object.fromEntries(events.map((ev) => [ev, new Inbox(client, ev)]));
