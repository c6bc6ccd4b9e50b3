// What the page keeps in localStorage: the session id (Rasa's conversation), the conversation as
// shown, and messages typed while offline that still have to be sent.

const SESSION_KEY = "lifebot.session";
const HISTORY_KEY = "lifebot.history";
const OUTBOX_KEY = "lifebot.outbox";
const KEEP = 300;

function read(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
}

function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or disabled */ }
}

export function newId() {
  return (window.crypto && crypto.randomUUID) ? crypto.randomUUID().replace(/-/g, "")
    : String(Date.now()) + Math.random().toString(16).slice(2);
}

export const store = {
  session() {
    let id = localStorage.getItem(SESSION_KEY);
    if (!id) { id = newId(); localStorage.setItem(SESSION_KEY, id); }
    return id;
  },
  history() { return read(HISTORY_KEY, []); },
  saveHistory(items) { write(HISTORY_KEY, items.slice(-KEEP)); },
  outbox() { return read(OUTBOX_KEY, []); },
  saveOutbox(items) { write(OUTBOX_KEY, items); },
  reset() {
    [SESSION_KEY, HISTORY_KEY, OUTBOX_KEY].forEach((key) => localStorage.removeItem(key));
  },
};
