// Resident web chat over Rasa's socketio channel. Message text is always inserted as text, never HTML.
(function () {
  "use strict";
  var cfg = window.LIFEBOT || {};
  var rasaUrl = cfg.rasaUrl || (location.protocol + "//" + location.hostname + ":" + (cfg.rasaPort || 5005));
  var log = document.getElementById("log");
  var input = document.getElementById("input");
  var form = document.getElementById("composer");
  var statusEl = document.getElementById("status");
  var typing = document.getElementById("typing");
  var HISTORY_KEY = "lifebot.history";
  var SESSION_KEY = "lifebot.session";

  function newId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID().replace(/-/g, "") :
      String(Date.now()) + Math.random().toString(16).slice(2);
  }
  var sessionId = localStorage.getItem(SESSION_KEY) || newId();
  localStorage.setItem(SESSION_KEY, sessionId);
  var history = [];
  try { history = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { history = []; }

  function save() { localStorage.setItem(HISTORY_KEY, JSON.stringify(history.slice(-200))); }

  // Structured payloads (the shared json_message contract) shown as cards; text channels ignore them.
  var STATUS = { booked: "已预约", cancelled: "已取消" };
  var CARDS = {
    booking_confirmation: function (b) {
      return { title: "预约码 " + b.code + "（" + (STATUS[b.status] || b.status) + "）",
               lines: [b.service_name, b.hall, b.date + " " + b.slot] };
    }
  };

  function renderCard(item) {
    var card = document.createElement("div");
    card.className = "msg bot card " + item.card.type;
    var shown = CARDS[item.card.type](item.card.booking || item.card.service || item.card.ticket || {});
    var title = document.createElement("strong");
    title.textContent = shown.title;
    card.appendChild(title);
    shown.lines.forEach(function (line) {
      var row = document.createElement("div");
      row.textContent = line;
      card.appendChild(row);
    });
    log.appendChild(card);
    log.scrollTop = log.scrollHeight;
  }

  function render(item) {
    if (item.card) { return CARDS[item.card.type] ? renderCard(item) : undefined; }
    var div = document.createElement("div");
    div.className = "msg " + item.who;
    div.textContent = item.text;
    div.setAttribute("aria-label", (item.who === "user" ? "我说：" : "助手说：") + item.text);
    log.appendChild(div);
    if (item.buttons && item.buttons.length) {
      var row = document.createElement("div");
      row.className = "buttons";
      item.buttons.forEach(function (b) {
        var btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.title;
        btn.addEventListener("click", function () { send(b.payload, b.title); });
        row.appendChild(btn);
      });
      log.appendChild(row);
    }
    log.scrollTop = log.scrollHeight;
  }

  function add(item) { history.push(item); save(); render(item); }

  history.forEach(render);

  var socket = io(rasaUrl, { transports: ["websocket"], reconnection: true });
  var pending = [];

  socket.on("connect", function () {
    statusEl.textContent = "在线";
    socket.emit("session_request", { session_id: sessionId });
  });
  socket.on("session_confirm", function () {
    while (pending.length) { socket.emit("user_uttered", pending.shift()); }
  });
  socket.on("disconnect", function () { statusEl.textContent = "连接中断，正在重连…"; });
  socket.on("connect_error", function () { statusEl.textContent = "暂时连不上，正在重试…"; });
  socket.on("bot_uttered", function (msg) {
    typing.hidden = true;
    if (msg.type && CARDS[msg.type]) { add({ who: "bot", card: msg }); return; }
    var buttons = (msg.quick_replies || msg.buttons || []).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
    if (msg.text || buttons.length) { add({ who: "bot", text: msg.text || "", buttons: buttons }); }
  });

  function send(payload, shown) {
    var text = (shown || payload || "").trim();
    if (!text) { return; }
    add({ who: "user", text: text });
    var message = { message: payload, session_id: sessionId };
    typing.hidden = false;
    if (socket.connected) { socket.emit("user_uttered", message); } else { pending.push(message); }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });
  if (!history.length) {
    add({ who: "bot", text: "您好！我是江阴 24 小时便民服务助手。想办什么事，直接告诉我就行，比如“居住证怎么办”“孩子上户口去哪里”。" });
  }
})();
