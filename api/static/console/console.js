// Operators' console, the caller side: live suggestions (debounced), routing and one-click tickets.
(function () {
  "use strict";
  var S = window.Staff, $ = S.$, el = S.el;
  var DEBOUNCE_MS = 250;
  var suggesting = S.newest();
  var lastReply = "";

  function facts(card) {
    var parts = [];
    if (card.department) parts.push(card.department);
    if (card.materials.length) parts.push("材料：" + card.materials.slice(0, 4).join("、") + (card.materials.length > 4 ? " 等" : ""));
    if (card.place) parts.push("地点：" + card.place);
    if (card.hours) parts.push("时间：" + card.hours);
    if (card.fee) parts.push("收费：" + card.fee);
    if (card.online_url) parts.push("网办：" + card.online_url);
    if (card.phone) parts.push("电话：" + card.phone);
    return parts.join("；");
  }

  function showSuggestions(data) {
    lastReply = data.reply;
    $("reply").textContent = data.reply;
    var list = $("services");
    S.clear(list);
    data.services.forEach(function (card, index) {
      var li = el("li");
      var title = el("strong", "", card.name);
      li.appendChild(title);
      if (index === 0 && !data.confident) li.appendChild(el("span", "tag warn", "不确定"));
      li.appendChild(el("div", "facts", facts(card)));
      list.appendChild(li);
    });
    $("suggest-status").textContent = data.confident ? "" : "没有把握的匹配，请向来电人确认";
  }

  function showRoute(route) {
    var box = $("route");
    S.clear(box);
    $("route-status").textContent = "";
    var rows = [["部门", route.department], ["班组", route.team], ["网格", route.grid], ["类别", route.category],
                ["把握", Math.round((route.confidence || 0) * 100) + "%"], ["紧急", route.urgent ? "是，请优先处理" : "否"]];
    rows.forEach(function (pair) {
      box.appendChild(el("dt", "", pair[0]));
      box.appendChild(el("dd", pair[0] === "紧急" && route.urgent ? "error" : "", pair[1] || "—"));
    });
  }

  async function suggest() {
    var text = $("caller-text").value.trim();
    var stale = suggesting();
    if (!text) { $("suggest-status").textContent = ""; return; }
    $("suggest-status").textContent = "正在查找…";
    var results = await Promise.all([
      S.api("GET", "/api/console/suggest?q=" + encodeURIComponent(text)),
      S.api("POST", "/api/route", { text: text }),
    ]);
    if (stale()) return;  // the operator typed on: only the newest answer is shown
    if (results[0].ok) showSuggestions(results[0].data);
    else $("suggest-status").textContent = S.errorText(results[0]);
    if (results[1].ok) showRoute(results[1].data);
    else { S.clear($("route")); $("route-status").textContent = "分派建议暂不可用：" + S.errorText(results[1]); }
  }

  async function createTicket(event) {
    event.preventDefault();
    var text = $("caller-text").value.trim();
    var phone = $("ticket-phone").value.trim();
    var out = $("ticket-result");
    if (!text || !phone) { out.className = "error"; out.textContent = "请先输入来电内容和来电号码"; return; }
    var body = { text: text, phone: phone, channel: "hotline" };
    if ($("ticket-name").value.trim()) body.name = $("ticket-name").value.trim();
    if ($("ticket-address").value.trim()) body.address = $("ticket-address").value.trim();
    $("ticket-submit").disabled = true;
    var result = await S.api("POST", "/api/tickets", body);
    $("ticket-submit").disabled = false;
    out.className = result.ok ? "ok" : "error";
    out.textContent = result.ok ? "已建工单 " + result.data.number + "（" + (result.data.department || "") + "），请告知来电人工单号"
                                : S.errorText(result);
  }

  function copyReply() {
    if (navigator.clipboard && lastReply) navigator.clipboard.writeText(lastReply);
  }

  $("caller-text").addEventListener("input", S.debounce(suggest, DEBOUNCE_MS));
  $("ticket-form").addEventListener("submit", createTicket);
  $("copy-reply").addEventListener("click", copyReply);
  window.ConsoleSuggestions = { reply: function () { return lastReply; } };
  S.boot(["operator"], function () { window.ConsoleHandovers.start(); });
})();
