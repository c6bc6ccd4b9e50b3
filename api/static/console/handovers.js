// Operators' console, the queue side: conversations the bot handed over; claim, answer, release.
(function () {
  "use strict";
  var S = window.Staff, $ = S.$, el = S.el;
  var POLL_MS = 2000;
  var open = null;  // the hand-over shown in the conversation panel
  var timer = null;
  var queueAsked = S.newest(), transcriptAsked = S.newest();
  var CHANNELS = { socketio: "网页聊天", rest: "接口", wechat: "微信", "": "未知渠道" };
  var WHO = { resident: "居民", bot: "机器人", operator: "人工" };

  async function refresh() {
    var stale = queueAsked();
    var result = await S.api("GET", "/api/console/handovers");
    if (result.ok && !stale()) showQueue(result.data.items);
    if (open) await loadConversation();
  }

  function showQueue(items) {
    var list = $("queue");
    S.clear(list);
    var waiting = items.filter(function (h) { return h.status === "waiting"; }).length;
    $("queue-count").textContent = waiting + " 个等待接手";
    if (!items.length) list.appendChild(el("li", "muted", "暂无转人工的会话"));
    items.forEach(function (h) {
      var li = el("li");
      li.dataset.id = h.id;
      li.dataset.conversation = h.conversation_id;
      li.appendChild(el("span", "tag", CHANNELS[h.channel] || h.channel));
      li.appendChild(el("span", "text", h.first_message || "（无内容）"));
      li.appendChild(el("span", "muted fixed", S.when(h.created_at)));
      var button;
      if (h.status === "waiting") {
        button = el("button", "", "接手");
        button.setAttribute("aria-label", "接手会话：" + (h.first_message || h.id));
        button.addEventListener("click", function () { claim(h); });
      } else if (h.mine) {
        button = el("button", "secondary", "打开");
        button.addEventListener("click", function () { show(h); });
      } else {
        button = el("span", "tag", h.operator + " 接待中");
      }
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  async function claim(h) {
    var result = await S.api("POST", "/api/console/handovers/" + h.id + "/claim");
    if (!result.ok) {
      $("queue-count").textContent = S.errorText(result);
      refresh();
      return;
    }
    show(result.data);
    refresh();
  }

  function show(h) {
    open = h;
    $("conversation").hidden = false;
    $("conversation-title").textContent = "会话 " + h.conversation_id.slice(0, 12) + "（" + (CHANNELS[h.channel] || h.channel) + "）";
    $("conversation-message").textContent = "";
    loadConversation();
    $("reply-text").focus();
  }

  async function loadConversation() {
    var stale = transcriptAsked();
    var result = await S.api("GET", "/api/console/handovers/" + open.id + "/messages");
    if (stale()) return;
    if (!result.ok) { $("conversation-message").textContent = S.errorText(result); return; }
    var list = $("transcript");
    var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    S.clear(list);
    result.data.messages.forEach(function (m) {
      var li = el("li", m.who, m.text);
      li.setAttribute("aria-label", (WHO[m.who] || m.who) + "：" + m.text);
      list.appendChild(li);
    });
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  async function send(event) {
    event.preventDefault();
    var text = $("reply-text").value.trim();
    if (!text || !open) return;
    $("send-reply").disabled = true;
    var result = await S.api("POST", "/api/console/handovers/" + open.id + "/reply", { text: text });
    $("send-reply").disabled = false;
    $("conversation-message").className = result.ok ? "ok" : "error";
    $("conversation-message").textContent = result.ok ? "已发送" : S.errorText(result);
    if (result.ok) { $("reply-text").value = ""; loadConversation(); }
  }

  async function release() {
    if (!open) return;
    var result = await S.api("POST", "/api/console/handovers/" + open.id + "/release");
    if (!result.ok) { $("conversation-message").className = "error"; $("conversation-message").textContent = S.errorText(result); return; }
    open = null;
    $("conversation").hidden = true;
    refresh();
  }

  var wired = false;

  function start() {
    if (!wired) wire();
    refresh();
    clearInterval(timer);
    timer = setInterval(refresh, POLL_MS);
  }

  function wire() {
    wired = true;
    $("reply-form").addEventListener("submit", send);
    $("release").addEventListener("click", release);
    $("use-suggestion").addEventListener("click", function () {
      $("reply-text").value = window.ConsoleSuggestions.reply();
      $("reply-text").focus();
    });
  }

  window.ConsoleHandovers = { start: start };
})();
