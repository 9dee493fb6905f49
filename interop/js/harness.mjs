// Shared parts of the Node interop scripts: the check-line protocol their Go
// drivers read (internal/interoptest), an event inbox with timed waits, and
// the SDK's WebSocket factory for Node.
//
// Output protocol, one JSON object per stdout line:
//   {"check":NAME,"ok":BOOL,"detail":...}  one per assertion
//   {"event":NAME}                          asks the driver for something; the
//                                           driver answers with a line on stdin
//   {"done":true,"failures":N}              last line
import WebSocket from "ws";
import { createInterface } from "node:readline";

export const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`missing ${name}`);
    process.exit(2);
  }
  return v;
};

let failures = 0;
export const emit = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
export const check = (name, ok, detail) => {
  if (!ok) failures++;
  emit({ check: name, ok: Boolean(ok), detail: detail ?? null });
};

// One task per inbound frame, as in browsers (spec §8.1 delivery gotcha).
export const factory = (url) => new WebSocket(url, { allowSynchronousEvents: false });

// Collects events of one kind and lets the script wait for a matching one.
export class Inbox {
  constructor(client, event, stepMs = 5000) {
    this.items = [];
    this.waiters = [];
    this.stepMs = stepMs;
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
  // or null after stepMs.
  wait(pred, from = 0) {
    return new Promise((resolve) => {
      const w = { pred, from, resolve };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(null);
      }, this.stepMs);
      this.waiters.push(w);
      this.#try(w);
    });
  }
  mark() {
    return this.items.length;
  }
}

// request emits {"event":name} and resolves with the driver's answer line.
export const request = (name) =>
  new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.once("line", (line) => {
      rl.close();
      resolve(line);
    });
    emit({ event: name });
  });

// run runs main under a watchdog, then reports the done line and exits.
export const run = (main, timeoutMs) => {
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
