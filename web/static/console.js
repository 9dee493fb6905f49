// The rkat console. It has no API of its own: sessions and turns go through
// JSON-RPC 2.0 on the /rpc WebSocket, channels and chat through the
// realtime REST API and the /v1 WebSocket protocol, the chart reads
// /metrics and agent status comes from /agents. Every call carries the
// secret key the user logged in with.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const wsOrigin = () => (location.protocol === "https:" ? "wss://" : "ws://") + location.host;
  // Session ids are UUIDv7: their first digits are a timestamp shared by
  // sessions made close together, so the short form is the random tail.
  const shortID = (id) => "…" + (id || "").slice(-8);
  const clock = (unix) => new Date(unix * 1000).toLocaleTimeString();

  const state = {
    key: "",
    rpc: null,
    methods: [],
    rt: null,
    sessions: [],
    selected: null, // session id shown in the detail view
    streamId: null,
    seen: new Set(), // event ids already shown
    adopting: false, // a session/create from the console is running
    live: null, // the streaming assistant bubble of the running turn
    liveUser: null, // the prompt bubble of the running turn
    channel: null,
    channels: [],
    agents: [],
    presence: new Map(), // peerId -> metadata, of the open channel
    chatTurns: new Map(), // agent turn id -> bubble
    samples: [],
    lastTotals: null,
    timers: [],
  };

  class AuthError extends Error {}

  // ---- REST -------------------------------------------------------------

  async function api(path, init = {}) {
    const res = await fetch(path, {
      ...init,
      headers: { Authorization: "Bearer " + state.key, "Content-Type": "application/json" },
    });
    if (res.status === 401) throw new AuthError("the server refused the key");
    const text = await res.text();
    if (!res.ok) {
      let msg = text;
      try { msg = JSON.parse(text).error.message; } catch (_) { /* plain text */ }
      throw new Error(`${path}: ${res.status} ${msg}`);
    }
    return path === "/metrics" ? text : JSON.parse(text);
  }

  // ---- JSON-RPC over WebSocket -------------------------------------------

  class RPC {
    constructor(onNotify, onState) {
      this.onNotify = onNotify;
      this.onState = onState;
      this.pending = new Map();
      this.next = 1;
    }
    connect() {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(wsOrigin() + "/rpc?key=" + encodeURIComponent(state.key));
        this.ws = ws;
        ws.onopen = () => { this.onState("ok"); resolve(); };
        ws.onerror = () => reject(new Error("cannot open /rpc"));
        ws.onclose = (ev) => {
          for (const p of this.pending.values()) p.reject(new Error("connection closed"));
          this.pending.clear();
          this.onState(ev.code === 1001 ? "going_away" : "closed");
        };
        ws.onmessage = (ev) => this.receive(JSON.parse(ev.data));
      });
    }
    receive(msg) {
      if (msg.method && msg.id !== undefined) { // a server request: the console registers no tools
        this.ws.send(JSON.stringify({ jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "the console serves no methods" } }));
      } else if (msg.method) {
        this.onNotify(msg.method, msg.params);
      } else {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
        else p.resolve(msg.result);
      }
    }
    call(method, params = {}) {
      return new Promise((resolve, reject) => {
        if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
          reject(new Error("not connected"));
          return;
        }
        const id = this.next++;
        this.pending.set(id, { resolve, reject });
        this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      });
    }
    close() { if (this.ws) this.ws.close(1000); }
  }

  // ---- realtime (/v1) ----------------------------------------------------

  class Realtime {
    constructor(handlers) {
      this.h = handlers;
      this.pending = new Map();
      this.next = 1;
    }
    async connect() {
      const me = "console-" + Math.random().toString(36).slice(2, 8);
      const { token } = await api("/v1/tokens", {
        method: "POST",
        body: JSON.stringify({
          sub: me, channels: ["**"], ttlSeconds: 3600,
          permissions: ["subscribe", "publish", "presence", "send"],
          peerMetadata: { kind: "human", name: "console" },
        }),
      });
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(wsOrigin() + "/v1?token=" + encodeURIComponent(token));
        this.ws = ws;
        ws.onerror = () => reject(new Error("cannot open /v1"));
        ws.onclose = (ev) => { clearInterval(this.ping); this.h.closed(ev.code); };
        ws.onmessage = (ev) => {
          const f = JSON.parse(ev.data);
          switch (f.type) {
            case "welcome": this.peerId = f.peerId; resolve(); break;
            case "ack": this.settle(f.requestId, null); break;
            case "error": this.settle(f.requestId, new Error(f.message || f.code)); break;
            case "message": this.h.message(f); break;
            case "presence": this.h.presence(f); break;
            default: break; // pong, direct, going_away (then a close)
          }
        };
        this.ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 20000);
      });
    }
    settle(id, err) {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (err) p.reject(err); else p.resolve();
    }
    request(frame) {
      return new Promise((resolve, reject) => {
        if (!this.ws || this.ws.readyState !== WebSocket.OPEN) { reject(new Error("not connected")); return; }
        const requestId = "c" + this.next++;
        this.pending.set(requestId, { resolve, reject });
        this.ws.send(JSON.stringify({ ...frame, requestId }));
      });
    }
    subscribe(channel) { return this.request({ type: "subscribe", channel, includeSenderMetadata: true }); }
    unsubscribe(channel) { return this.request({ type: "unsubscribe", channel }); }
    publish(channel, data) { return this.request({ type: "publish", channel, data }); }
    close() { if (this.ws) this.ws.close(1000); }
  }

  // ---- log in ------------------------------------------------------------

  function keyFromURL() {
    const m = location.hash.match(/key=([^&]+)/);
    if (m) {
      sessionStorage.setItem("rkat.key", decodeURIComponent(m[1]));
      history.replaceState(null, "", location.pathname); // keep the key out of the address bar
    }
    return sessionStorage.getItem("rkat.key") || "";
  }

  function showLogin(message) {
    $("app").hidden = true;
    $("logout").hidden = true;
    $("chart-box").hidden = true;
    $("login").hidden = false;
    $("login-error").hidden = !message;
    $("login-error").textContent = message || "";
    setStatus("bad", "not connected");
  }

  async function login(key) {
    state.key = key;
    try {
      await api("/v1/channels");
    } catch (e) {
      sessionStorage.removeItem("rkat.key");
      showLogin(e instanceof AuthError ? "The server refused this key." : "Cannot reach the server: " + e.message);
      return;
    }
    sessionStorage.setItem("rkat.key", key);
    $("login").hidden = true;
    $("app").hidden = false;
    $("logout").hidden = false;
    $("chart-box").hidden = false;
    await connectRPC();
    connectRealtime();
    refreshChannels();
    pollMetrics();
    state.timers.push(setInterval(refreshSessions, 3000), setInterval(refreshChannels, 2000), setInterval(pollMetrics, 1000));
  }

  function logout() {
    state.timers.forEach(clearInterval);
    state.timers = [];
    if (state.rpc) state.rpc.close();
    if (state.rt) state.rt.close();
    sessionStorage.removeItem("rkat.key");
    location.reload();
  }

  function setStatus(kind, text) {
    $("status").className = "status " + kind;
    $("status-text").textContent = text;
  }

  // ---- sessions ----------------------------------------------------------

  async function connectRPC() {
    state.rpc = new RPC(onNotification, (s) => {
      if (s === "ok") setStatus("ok", "connected");
      else {
        setStatus("bad", s === "going_away" ? "server going away, reconnecting" : "disconnected, reconnecting");
        setTimeout(reconnectRPC, 1500);
      }
    });
    try {
      await state.rpc.connect();
      const init = await state.rpc.call("initialize", {});
      state.methods = init.methods || [];
      await fillProviders();
      await refreshSessions();
      if (state.selected) openSession(state.selected);
    } catch (e) {
      setStatus("bad", "cannot connect: " + e.message);
    }
  }

  function reconnectRPC() {
    if (!$("app").hidden) connectRPC();
  }

  async function fillProviders() {
    const cat = await state.rpc.call("models/catalog", {});
    const sel = $("create-provider");
    sel.textContent = "";
    // scripted is always served (offline, deterministic) but not catalogued.
    sel.append(new Option("scripted (offline, no key)", "scripted"));
    sel.append(new Option("default (first provider with a key)", ""));
    for (const p of cat.providers || []) {
      if (p.provider !== "scripted") sel.append(new Option(p.provider, p.provider));
    }
    sel.value = "scripted";
  }

  // parseLabels reads "k=v, k2=v2".
  function parseLabels(text) {
    const labels = {};
    for (const part of text.split(",")) {
      const [k, v] = part.split("=").map((s) => s && s.trim());
      if (k) labels[k] = v || "";
    }
    return labels;
  }

  const labelFilter = () => parseLabels($("label-filter").value);

  async function refreshSessions() {
    if (!state.rpc) return;
    const labels = labelFilter();
    const params = { limit: 200 };
    if (Object.keys(labels).length) params.labels = labels;
    try {
      const res = await state.rpc.call("session/list", params);
      state.sessions = res.sessions || [];
      renderSessions();
    } catch (_) { /* reconnecting */ }
  }

  function renderSessions() {
    const list = $("session-list");
    list.textContent = "";
    for (const s of state.sessions) {
      const li = el("li");
      li.dataset.session = s.session_id;
      if (s.session_id === state.selected) li.classList.add("selected");
      const title = el("div", "title mono", shortID(s.session_id));
      if (s.is_active) title.prepend(el("span", "live"));
      li.append(title, el("div", "sub", `${s.message_count} messages · ${clock(s.updated_at)}`));
      if (s.labels) {
        const chips = el("div");
        for (const [k, v] of Object.entries(s.labels)) chips.append(el("span", "chip", `${k}=${v}`));
        li.append(chips);
      }
      li.onclick = () => openSession(s.session_id);
      list.append(li);
    }
    $("sessions-empty").hidden = state.sessions.length > 0;
    $("sessions-empty").textContent = Object.keys(labelFilter()).length
      ? "No session has these labels." : "No sessions yet. Start one with New.";
  }

  function showView(which) {
    $("detail-empty").hidden = which !== "empty";
    $("create-form").hidden = which !== "create";
    $("session-view").hidden = which !== "session";
  }

  // selectSession resets the detail view for id.
  function selectSession(id) {
    state.selected = id;
    state.seen = new Set();
    state.live = null;
    state.liveUser = null;
    $("events").textContent = "";
    $("history").textContent = "";
    $("sv-title").textContent = "Session " + shortID(id);
    $("sv-title").title = id;
    showView("session");
    renderSessions();
  }

  async function openSession(id, keepEvents) {
    if (!keepEvents) selectSession(id);
    const rpc = state.rpc;
    if (state.streamId) {
      rpc.call("session/stream_close", { stream_id: state.streamId }).catch(() => {});
      state.streamId = null;
    }
    if (state.methods.includes("session/stream_open")) {
      try {
        const res = await rpc.call("session/stream_open", { session_id: id });
        state.streamId = res.stream_id;
        $("stream-hint").textContent = "· watching every turn";
      } catch (e) {
        $("stream-hint").textContent = "· " + e.message;
      }
    } else {
      $("stream-hint").textContent = "· turns started here only (no session/stream_open)";
    }
    await refreshDetail();
  }

  async function refreshDetail() {
    const id = state.selected;
    if (!id) return;
    try {
      const info = await state.rpc.call("session/read", { session_id: id });
      const offset = Math.max(0, info.message_count - 100);
      const hist = await state.rpc.call("session/history", { session_id: id, offset, limit: 100 });
      if (state.selected !== id) return;
      renderInfo(info);
      renderHistory(hist.messages || [], offset);
    } catch (e) {
      $("sv-meta").textContent = e.message;
    }
  }

  function renderInfo(info) {
    const labels = info.labels ? Object.entries(info.labels).map(([k, v]) => `${k}=${v}`).join(", ") : "no labels";
    $("sv-meta").textContent = `provider ${info.provider} · model ${info.model} · ${info.message_count} messages · ${labels}`;
    // A read answered before a run_started event arrived is stale.
    setRunning(info.is_active || state.liveUser !== null || state.live !== null);
  }

  function setRunning(on) {
    $("sv-state").textContent = on ? "turn running" : "idle";
    $("sv-state").className = "badge" + (on ? " running" : "");
  }

  function textOf(content) {
    if (typeof content === "string") return content;
    if (Array.isArray(content)) return content.map((b) => b.text || (b.type ? `[${b.type}]` : "")).join("");
    return content ? JSON.stringify(content) : "";
  }

  function renderHistory(rows, offset) {
    const box = $("history");
    box.textContent = "";
    if (offset > 0) box.append(el("div", "chat-note", `${offset} earlier messages not shown`));
    for (const r of rows) {
      switch (r.role) {
        case "user": addMsg("user", "user", textOf(r.content)); break;
        case "block_assistant": {
          const parts = (r.blocks || []).map((b) => {
            if (b.block_type === "text") return (b.data && b.data.text) || "";
            if (b.block_type === "tool_use") return `→ tool ${b.data && b.data.name}`;
            return `[${b.block_type}]`;
          });
          addMsg("assistant", "assistant", parts.filter(Boolean).join("\n"));
          break;
        }
        case "tool_results":
          addMsg("tool", "tool results", (r.results || []).map((x) => textOf(x.content)).join("\n"));
          break;
        default:
          addMsg("system", r.role.replace("_", " "), r.body || textOf(r.content));
      }
    }
    // A running turn is not committed yet: keep its bubbles below.
    for (const m of [state.liveUser, state.live]) if (m) box.append(m);
    box.scrollTop = box.scrollHeight;
  }

  function addMsg(cls, who, text) {
    const m = el("div", "msg " + cls);
    m.append(el("div", "who", who), el("div", "text", text));
    $("history").append(m);
    $("history").scrollTop = $("history").scrollHeight;
    return m;
  }

  // onNotification receives session/event (turns this connection started)
  // and session/stream_event (the open stream); both carry an envelope.
  function onNotification(method, params) {
    if (method === "session/event") {
      const adopt = state.adopting && params.session_id !== state.selected;
      if (adopt) selectSession(params.session_id);
      onEvent(params.session_id, params.event);
      if (adopt) { // show the new session in the list and its details at once
        refreshSessions();
        refreshDetail();
      }
    } else if (method === "session/stream_event") {
      onEvent(params.session_id, params.event);
    } else if (method === "session/stream_end" && params.stream_id === state.streamId) {
      state.streamId = null;
      $("stream-hint").textContent = "· stream ended (" + params.outcome + ")";
    }
  }

  function onEvent(sessionID, ev) {
    if (sessionID !== state.selected || !ev || state.seen.has(ev.event_id)) return;
    state.seen.add(ev.event_id);
    const p = ev.payload || {};
    const li = el("li");
    li.append(el("span", "seq", String(ev.seq)), el("span", "type", p.type), el("span", "what", summary(p)));
    if (p.type === "run_failed") li.classList.add("failed");
    if (p.type === "run_completed") li.classList.add("done");
    $("events").append(li);
    $("events").scrollTop = $("events").scrollHeight;
    switch (p.type) {
      case "run_started": {
        setRunning(true);
        state.live = null;
        const prompt = textOf(p.prompt);
        state.liveUser = prompt ? addMsg("user", "user", prompt) : null;
        break;
      }
      case "text_delta":
        if (!state.live) state.live = addMsg("assistant streaming", "assistant (streaming)", "");
        state.live.querySelector(".text").textContent += p.delta || "";
        $("history").scrollTop = $("history").scrollHeight;
        break;
      case "run_completed":
      case "run_failed":
        setRunning(false);
        if (state.live) { // final until the history refresh replaces it
          state.live.classList.remove("streaming");
          state.live.querySelector(".who").textContent = "assistant";
        }
        state.live = null;
        state.liveUser = null;
        setTimeout(() => { refreshDetail(); refreshSessions(); }, 100);
        break;
      default:
        break;
    }
  }

  function summary(p) {
    switch (p.type) {
      case "text_delta": return JSON.stringify(p.delta);
      case "run_started": return p.prompt ? JSON.stringify(textOf(p.prompt)) : "";
      case "run_completed": return p.usage ? `${p.usage.input_tokens} in / ${p.usage.output_tokens} out tokens` : "";
      case "run_failed": return p.error || p.message || "";
      case "tool_call_requested": return `${p.name || ""} ${p.args ? JSON.stringify(p.args) : ""}`;
      default: {
        const rest = { ...p };
        delete rest.type;
        const s = JSON.stringify(rest);
        return s === "{}" ? "" : s;
      }
    }
  }

  async function startTurn(ev) {
    ev.preventDefault();
    const prompt = $("turn-prompt").value.trim();
    if (!prompt || !state.selected) return;
    $("turn-prompt").value = "";
    try { // the prompt shows up with the run_started event
      await state.rpc.call("turn/start", { session_id: state.selected, prompt });
    } catch (e) {
      addMsg("system", "error", e.message);
    }
  }

  async function createSession(ev) {
    ev.preventDefault();
    const prompt = $("create-prompt").value.trim();
    if (!prompt) return;
    const params = { prompt };
    if ($("create-provider").value) params.provider = $("create-provider").value;
    const labels = parseLabels($("create-labels").value);
    if (Object.keys(labels).length) params.labels = labels;
    state.adopting = true;
    state.selected = null;
    $("create-form").querySelector("button[type=submit]").disabled = true;
    try {
      const res = await state.rpc.call("session/create", params);
      $("create-prompt").value = "";
      if (state.selected !== res.session_id) selectSession(res.session_id);
      await openSession(res.session_id, true);
      refreshSessions();
    } catch (e) {
      showView("create");
      alert("Could not create the session: " + e.message);
    } finally {
      state.adopting = false;
      $("create-form").querySelector("button[type=submit]").disabled = false;
    }
  }

  // ---- channels and chat -------------------------------------------------

  function connectRealtime() {
    state.rt = new Realtime({
      message: onChannelMessage,
      presence: onPresence,
      closed: () => {
        chatNote("disconnected from the realtime server; reconnecting");
        setTimeout(() => { if (!$("app").hidden) connectRealtime(); }, 1500);
      },
    });
    state.rt.connect().then(() => {
      if (state.channel) {
        const ch = state.channel;
        state.channel = null;
        openChat(ch);
      }
    }).catch((e) => {
      chatNote("realtime unavailable: " + e.message);
      // A failed WebSocket retries from its close handler; a token request
      // that failed on the network retries here; a refused one (no signing
      // key, say) will not heal by itself.
      if (!/ 4\d\d /.test(e.message) && !e.message.startsWith("cannot open")) setTimeout(() => { if (!$("app").hidden) connectRealtime(); }, 3000);
    });
  }

  async function refreshChannels() {
    try {
      const [ch, ag] = await Promise.all([api("/v1/channels"), api("/agents")]);
      state.channels = ch.channels || [];
      state.agents = ag.agents || [];
      renderChannels();
    } catch (e) {
      if (e instanceof AuthError) showLogin("The server no longer accepts this key.");
    }
  }

  const isAgent = (meta) => meta && meta.kind === "agent";
  const peerName = (id, meta) => (meta && meta.name) || id;

  function peerChip(id, meta) {
    const c = el("span", "peer" + (isAgent(meta) ? " agent" : "") + (state.rt && id === state.rt.peerId ? " me" : ""));
    c.textContent = (isAgent(meta) ? "agent · " : "") + peerName(id, meta) + (state.rt && id === state.rt.peerId ? " (you)" : "");
    c.title = id;
    return c;
  }

  function renderChannels() {
    const list = $("channel-list");
    list.textContent = "";
    const names = new Set(state.channels.map((c) => c.channel));
    for (const a of state.agents) names.add(a.channel);
    for (const name of [...names].sort()) {
      const info = state.channels.find((c) => c.channel === name) || { peers: [] };
      const li = el("li");
      li.dataset.channel = name;
      if (name === state.channel) li.classList.add("selected");
      const title = el("div", "title", "# " + name);
      for (const a of state.agents.filter((x) => x.channel === name)) {
        const s = el("span", "agent-state " + a.state, `${a.name}: ${a.state}`);
        if (a.last_error) s.title = a.last_error;
        title.append(s);
      }
      const peers = el("div", "peers");
      for (const p of info.peers) peers.append(peerChip(p.peerId, p.metadata));
      li.append(title, el("div", "sub", `${info.peers.length} online`), peers);
      li.onclick = () => openChat(name);
      list.append(li);
    }
    $("channels-empty").hidden = names.size > 0;
  }

  async function openChat(channel) {
    if (channel === state.channel || !state.rt) return;
    if (state.channel) state.rt.unsubscribe(state.channel).catch(() => {});
    state.channel = channel;
    state.presence = new Map();
    state.chatTurns = new Map();
    $("chat").hidden = false;
    $("chat-channel").textContent = "#" + channel;
    $("chat-log").textContent = "";
    renderChannels();
    try {
      await state.rt.subscribe(channel);
      state.presence.set(state.rt.peerId, { kind: "human", name: "console" });
      renderPresence();
      refreshChannels();
      chatNote("joined #" + channel + ". Messages go to everyone in it; agents answer as they stream.");
    } catch (e) {
      chatNote("cannot join: " + e.message);
    }
    $("chat-input").focus();
  }

  function onPresence(f) {
    if (f.channel !== state.channel) return;
    for (const p of f.joined) state.presence.set(p.peerId, p.metadata);
    for (const p of f.left) state.presence.delete(p.peerId);
    renderPresence();
  }

  function renderPresence() {
    const box = $("chat-presence");
    box.textContent = "";
    for (const [id, meta] of state.presence) box.append(peerChip(id, meta));
  }

  function bubble(cls, who, text) {
    const b = el("div", "bubble " + cls);
    b.append(el("div", "who", who), el("div", "text", text));
    $("chat-log").append(b);
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
    return b;
  }

  function chatNote(text) { $("chat-log").append(el("div", "chat-note", text)); }

  function onChannelMessage(f) {
    if (f.channel !== state.channel) return;
    const meta = f.fromMetadata || state.presence.get(f.from);
    const who = peerName(f.from, meta);
    const cls = isAgent(meta) ? "agent" : "other";
    const d = f.data;
    if (typeof d === "string") { bubble(cls, who, d); return; }
    if (!d || typeof d !== "object") { bubble(cls, who, JSON.stringify(d)); return; }
    switch (d.type) {
      case "chat.delta": {
        let b = state.chatTurns.get(d.turn);
        if (!b) {
          b = bubble(cls + " streaming", who, "");
          state.chatTurns.set(d.turn, b);
        }
        b.querySelector(".text").textContent += d.delta || "";
        break;
      }
      case "chat": {
        const b = d.turn && state.chatTurns.get(d.turn);
        if (b) {
          b.classList.remove("streaming");
          b.querySelector(".text").textContent = d.text;
        } else {
          bubble(cls, who, d.text);
        }
        break;
      }
      case "chat.error": {
        const b = d.turn && state.chatTurns.get(d.turn);
        if (b) b.remove();
        bubble("error", who, d.error);
        break;
      }
      case "chat.tool":
        chatNote(`${who} ${d.status === "done" ? "finished" : "started"} tool ${d.name}`);
        break;
      default:
        bubble(cls, who, JSON.stringify(d));
    }
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  }

  async function sendChat(ev) {
    ev.preventDefault();
    const text = $("chat-input").value.trim();
    if (!text || !state.channel) return;
    $("chat-input").value = "";
    bubble("mine", "you", text);
    try {
      await state.rt.publish(state.channel, { type: "chat", text });
    } catch (e) {
      bubble("error", "not sent", e.message);
    }
  }

  // ---- metrics chart -----------------------------------------------------

  function parseMetrics(text) {
    const sums = {};
    for (const line of text.split("\n")) {
      if (!line || line[0] === "#") continue;
      const name = line.split(/[{ ]/)[0];
      const value = parseFloat(line.slice(line.lastIndexOf(" ") + 1));
      if (!Number.isNaN(value)) sums[name] = (sums[name] || 0) + value;
    }
    return sums;
  }

  async function pollMetrics() {
    let m;
    try {
      m = parseMetrics(await api("/metrics"));
    } catch (_) {
      return;
    }
    const v = (n) => m[n] || 0;
    const conns = v("rkat_realtime_connections") + v("rkat_serve_rpc_connections");
    const total = v("rkat_realtime_messages_in_total") + v("rkat_realtime_messages_out_total") +
      v("rkat_serve_rpc_messages_in_total") + v("rkat_serve_rpc_messages_out_total");
    const now = performance.now();
    let rate = 0;
    if (state.lastTotals) rate = Math.max(0, (total - state.lastTotals.total) / ((now - state.lastTotals.at) / 1000));
    state.lastTotals = { total, at: now };
    state.samples.push({ conns, rate });
    if (state.samples.length > 60) state.samples.shift();
    $("now-conns").textContent = String(conns);
    $("now-rate").textContent = rate.toFixed(rate < 10 ? 1 : 0);
    drawChart();
  }

  function drawChart() {
    const c = $("chart");
    const g = c.getContext("2d");
    g.clearRect(0, 0, c.width, c.height);
    const line = (key, color) => {
      const max = Math.max(1, ...state.samples.map((s) => s[key]));
      g.strokeStyle = color;
      g.lineWidth = 1.5;
      g.beginPath();
      state.samples.forEach((s, i) => {
        const x = c.width - (state.samples.length - 1 - i) * (c.width / 59);
        const y = c.height - 3 - (s[key] / max) * (c.height - 8);
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
    };
    line("conns", "#79c0ff");
    line("rate", "#ffa657");
  }

  // ---- wiring ------------------------------------------------------------

  $("login-form").onsubmit = (ev) => { ev.preventDefault(); login($("login-key").value.trim()); };
  $("logout").onclick = logout;
  $("new-session").onclick = () => { showView("create"); $("create-prompt").focus(); };
  $("create-cancel").onclick = () => showView(state.selected ? "session" : "empty");
  $("create-form").onsubmit = createSession;
  $("turn-form").onsubmit = startTurn;
  $("chat-form").onsubmit = sendChat;
  let filterTimer;
  $("label-filter").oninput = () => { clearTimeout(filterTimer); filterTimer = setTimeout(refreshSessions, 250); };

  // A URL with another #key= opened in this tab logs in again with it.
  window.addEventListener("hashchange", () => {
    if (/key=/.test(location.hash)) {
      keyFromURL();
      location.reload();
    }
  });
  const key = keyFromURL();
  if (key) login(key); else showLogin("");
})();
