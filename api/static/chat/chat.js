// Resident web chat over Rasa's socketio channel (docs/channels.md). Message text is always set
// with textContent, never parsed as HTML. A message typed while the connection is down waits in an
// outbox (kept across a reload) and is sent after reconnecting; a sent message leaves the outbox
// only when Rasa acknowledges it, which Rasa does once it has handled it. While the connection is
// down, or when a sent message is not acknowledged within ANSWER_MAX_MS, the resident sees BUSY
// ("系统繁忙，请稍后再试", docs/reliability.md) instead of silence.
import { renderCard } from "./cards.js";
import { chosenIndex } from "./choice.js";
import { newId, store } from "./store.js";

const cfg = window.LIFEBOT || {};
const rasaUrl = cfg.rasaUrl || (location.protocol + "//" + location.hostname + ":" + (cfg.rasaPort || 5005));
const WELCOME = "您好！我是江阴 24 小时便民服务助手。想办什么事，直接告诉我就行，比如“居住证怎么办”“孩子上户口去哪里”。";
const SUGGESTIONS = ["居住证怎么办", "孩子上户口去哪里", "护照怎么办", "转人工"];
const TYPING_MAX_MS = 20000;
const ANSWER_MAX_MS = cfg.answerMs || 30000;
const BUSY = cfg.busy || "系统繁忙，请稍后再试";

const log = document.getElementById("log");
const input = document.getElementById("input");
const form = document.getElementById("composer");
const statusEl = document.getElementById("status");
const typing = document.getElementById("typing");
const suggestions = document.getElementById("suggestions");

const sessionId = store.session();
let history = store.history();
let outbox = store.outbox().map((m) => ({ ...m, inFlight: false }));
let ready = false;
let typingTimer = null;
let busyShown = false;
const answerTimers = new Map();
const bubbles = new Map();
const buttonGroups = new Map();

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

function scrollDown() { log.scrollTop = log.scrollHeight; }

function setTyping(on) {
  clearTimeout(typingTimer);
  typing.hidden = !on;
  // An operator may own the conversation and the bot stays silent: the dots do not stay forever.
  if (on) { typingTimer = setTimeout(() => { typing.hidden = true; }, TYPING_MAX_MS); }
}

// BUSY as a notice in the conversation, once per outage; not kept in the history.
function showBusy() {
  setTyping(false);
  if (busyShown) { return; }
  busyShown = true;
  const row = el("div", "row bot notice");
  row.setAttribute("role", "alert");
  row.appendChild(el("div", "msg bot busy", BUSY));
  log.appendChild(row);
  scrollDown();
}

function clearAnswerTimer(id) {
  clearTimeout(answerTimers.get(id));
  answerTimers.delete(id);
}

function markPending(item) {
  const bubble = bubbles.get(item.id);
  if (!bubble) { return; }
  let note = bubble.querySelector(".pending");
  if (item.pending && !note) {
    note = el("span", "pending", "等待发送，连接恢复后自动发出");
    bubble.appendChild(note);
  } else if (!item.pending && note) {
    note.remove();
  }
}

function renderButtons(item) {
  const group = el("div", "buttons");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "可选回答");
  item.buttons.forEach((button) => {
    const node = el("button", "", button.title);
    node.type = "button";
    node.disabled = Boolean(item.chosen);
    node.addEventListener("click", () => {
      item.chosen = true;
      group.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      store.saveHistory(history);
      send(button.payload, button.title);
      input.focus();
    });
    group.appendChild(node);
  });
  buttonGroups.set(item.id, group);
  return group;
}

// The button a typed answer names ("第二个", "1"): among the buttons of the bot's latest message,
// if the resident has not answered them yet; otherwise null.
function namedButton(text) {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const item = history[i];
    if (item.who === "user") { return null; }
    if (item.buttons && item.buttons.length) {
      if (item.chosen) { return null; }
      const index = chosenIndex(text, item.buttons.map((b) => b.title));
      const group = buttonGroups.get(item.id);
      return index >= 0 && group ? group.querySelectorAll("button")[index] : null;
    }
  }
  return null;
}

function render(item) {
  const row = el("div", "row " + item.who);
  if (item.custom) {
    const card = renderCard(item.custom);
    if (!card) { return; }
    row.appendChild(card);
  } else {
    const bubble = el("div", "msg " + item.who);
    bubble.appendChild(el("span", "sr-only", item.who === "user" ? "我说：" : "助手说："));
    bubble.appendChild(document.createTextNode(item.text));
    row.appendChild(bubble);
    bubbles.set(item.id, bubble);
  }
  log.appendChild(row);
  if (item.buttons && item.buttons.length) { log.appendChild(renderButtons(item)); }
  markPending(item);
  scrollDown();
}

function add(item) {
  item.id = item.id || newId();
  history.push(item);
  store.saveHistory(history);
  render(item);
  return item;
}

function setPending(id, pending) {
  const item = history.find((h) => h.id === id);
  if (item && Boolean(item.pending) !== pending) {
    item.pending = pending;
    store.saveHistory(history);
    markPending(item);
  }
}

const socket = io(rasaUrl, { transports: ["websocket"], reconnection: true,
  reconnectionDelay: 500, reconnectionDelayMax: 4000 });

function flush() {
  outbox.filter((m) => !m.inFlight).forEach((m) => {
    if (!ready || !socket.connected) { return; }
    m.inFlight = true;
    setPending(m.id, false);
    setTyping(true);
    answerTimers.set(m.id, setTimeout(showBusy, ANSWER_MAX_MS));
    socket.emit("user_uttered", { message: m.message, session_id: sessionId }, () => {
      clearAnswerTimer(m.id);
      outbox = outbox.filter((o) => o.id !== m.id);
      store.saveOutbox(outbox);
    });
  });
  store.saveOutbox(outbox);
}

socket.on("connect", () => {
  statusEl.textContent = "正在连接…";
  socket.emit("session_request", { session_id: sessionId });
});
socket.on("session_confirm", () => {
  ready = true;
  busyShown = false;
  statusEl.textContent = "在线";
  flush();
});
socket.on("disconnect", () => {
  ready = false;
  statusEl.textContent = "连接中断，正在重连…";
  showBusy();
  // Messages not yet acknowledged go out again after reconnecting; nothing is left in the client's
  // own buffer, so nothing is sent twice by it.
  socket.sendBuffer = [];
  outbox.forEach((m) => { m.inFlight = false; clearAnswerTimer(m.id); setPending(m.id, true); });
  store.saveOutbox(outbox);
});
socket.on("connect_error", () => {
  statusEl.textContent = "暂时连不上，正在重试…";
  showBusy();
});
socket.on("bot_uttered", (msg) => {
  setTyping(false);
  busyShown = false;
  if (msg.custom) {
    if (renderCard(msg.custom)) { add({ who: "bot", custom: msg.custom }); }
    return;
  }
  const buttons = (msg.quick_replies || msg.buttons || []).map((b) => ({ title: b.title, payload: b.payload }));
  if (msg.text || buttons.length) { add({ who: "bot", text: msg.text || "", buttons }); }
});

function send(payload, shown) {
  const text = (shown || payload || "").trim();
  if (!text) { return; }
  const item = add({ who: "user", text, pending: !ready });
  outbox.push({ id: item.id, message: payload });
  store.saveOutbox(outbox);
  flush();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) { return; }
  input.value = "";
  const button = namedButton(text);
  if (button) { button.click(); } else { send(text); }
});

document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  input.focus();
});

document.getElementById("restart").addEventListener("click", () => {
  store.reset();
  location.reload();
});

SUGGESTIONS.forEach((text) => {
  const button = el("button", "", text);
  button.type = "button";
  button.addEventListener("click", () => { send(text); input.focus(); });
  suggestions.appendChild(button);
});

history.forEach(render);
if (!history.length) { add({ who: "bot", text: WELCOME }); }
