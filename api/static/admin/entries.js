// Maintainers' admin, the entries tab: browse and search, edit with validation, history with diffs, roll back.
(function () {
  "use strict";
  var S = window.Staff, $ = S.$, el = S.el;
  var LONG = { description: 1, conditions: 1, materials: 1, locations: 1, aliases: 1, source: 1 };
  var page = { offset: 0, limit: 30, total: 0 };
  var current = null;
  var listing = S.newest(), opening = S.newest();

  async function list() {
    var params = new URLSearchParams({ q: $("search-q").value, status: $("search-status").value,
                                       offset: page.offset, limit: page.limit });
    var stale = listing();
    var result = await S.api("GET", "/api/admin/services?" + params);
    if (stale()) return;
    if (!result.ok) { $("list-count").textContent = S.errorText(result); return; }
    page.total = result.data.total;
    var rows = $("entry-rows");
    S.clear(rows);
    result.data.items.forEach(function (item) {
      var tr = el("tr");
      tr.tabIndex = 0;
      tr.dataset.id = item.id;
      if (current && current.entry.id === item.id) tr.className = "selected";
      var name = el("td", "", item.name);
      if (item.status === "retired") name.appendChild(el("span", "tag warn", "已停用"));
      tr.appendChild(name);
      tr.appendChild(el("td", "", item.department));
      tr.appendChild(el("td", "", item.version));
      tr.addEventListener("click", function () { open(item.id); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter") open(item.id); });
      rows.appendChild(tr);
    });
    var end = Math.min(page.offset + page.limit, page.total);
    $("list-count").textContent = "共 " + page.total + " 条" + (page.total ? "，显示第 " + (page.offset + 1) + "–" + end + " 条" : "");
    $("prev").disabled = page.offset === 0;
    $("next").disabled = end >= page.total;
  }

  function message(text, isError) {
    var box = $("edit-message");
    S.clear(box);
    String(text).split("；").forEach(function (line) { box.appendChild(el("p", isError ? "error" : "ok", line)); });
  }

  async function open(id) {
    var stale = opening();
    var result = await S.api("GET", "/api/admin/services/" + encodeURIComponent(id));
    if (stale()) return;
    if (!result.ok) { message(S.errorText(result), true); return; }
    current = result.data;
    render();
    Array.prototype.forEach.call($("entry-rows").children, function (tr) {
      tr.className = tr.dataset.id === id ? "selected" : "";
    });
  }

  function render() {
    var entry = current.entry, canEdit = S.hasRole("maintainer");
    $("detail-empty").hidden = true;
    $("edit-form").hidden = false;
    $("history").hidden = false;
    $("edit-title").textContent = entry.name;
    $("edit-meta").textContent = entry.id + " · 第 " + entry.version + " 版 · " + S.when(entry.updated_at);
    $("edit-status").textContent = entry.status === "active" ? "启用中" : "已停用";
    $("toggle-status").textContent = entry.status === "active" ? "停用此条目" : "重新启用";
    var box = $("edit-fields");
    S.clear(box);
    Object.keys(current.fields).forEach(function (name) {
      var id = "field-" + name;
      var label = el("label", "", (current.labels[name] || name) + "（" + name + "）");
      label.htmlFor = id;
      var input = LONG[name] ? el("textarea") : el("input");
      if (LONG[name]) input.rows = name === "locations" || name === "description" ? 3 : 2;
      input.id = id;
      input.name = name;
      input.value = current.fields[name];
      input.readOnly = !canEdit || name === "id";
      box.appendChild(label);
      box.appendChild(input);
    });
    $("edit-reason").value = "";
    $("edit-reason").disabled = !canEdit;
    $("save").hidden = !canEdit;
    $("toggle-status").hidden = !canEdit;
    $("edit-message").textContent = canEdit ? "" : "审核员只能查看，不能修改。";
    renderHistory();
  }

  function renderHistory() {
    var list = $("history-list");
    S.clear(list);
    current.history.forEach(function (record) {
      var li = el("li");
      var head = el("div", "", "第 " + record.version + " 版 · " + S.when(record.created_at) + " · " + record.author +
                    " · " + record.reason);
      li.appendChild(head);
      if (record.created) li.appendChild(el("div", "muted", "新建条目"));
      Object.keys(record.changes).forEach(function (name) {
        var pair = record.changes[name], line = el("div", "diff");
        line.appendChild(el("strong", "", (current.labels[name] || name) + "："));
        line.appendChild(el("span", "old", JSON.stringify(pair[0])));
        line.appendChild(document.createTextNode(" → "));
        line.appendChild(el("span", "new", JSON.stringify(pair[1])));
        li.appendChild(line);
      });
      if (S.hasRole("maintainer") && record.version !== current.entry.version) {
        var button = el("button", "secondary", "回滚到第 " + record.version + " 版");
        button.type = "button";
        button.addEventListener("click", function () { rollback(record.version); });
        li.appendChild(button);
      }
      list.appendChild(li);
    });
  }

  function reason() {
    var text = $("edit-reason").value.trim();
    if (!text) { message("请填写修改原因（会记入历史）", true); $("edit-reason").focus(); }
    return text;
  }

  async function save(event) {
    event.preventDefault();
    var why = reason();
    if (!why) return;
    var fields = {};
    Array.prototype.forEach.call($("edit-fields").querySelectorAll("input, textarea"), function (input) {
      if (input.name !== "id" && input.value !== current.fields[input.name]) fields[input.name] = input.value;
    });
    if (!Object.keys(fields).length) { message("没有修改任何字段", true); return; }
    var result = await S.api("PATCH", "/api/admin/services/" + encodeURIComponent(current.entry.id),
                             { fields: fields, reason: why, base_version: current.entry.version });
    if (!result.ok) { message(S.errorText(result), true); return; }
    var done = result.data.message;
    await open(current.entry.id);
    message(done + "，居民搜索几秒内生效", false);
    list();
  }

  async function rollback(version) {
    var why = reason();
    if (!why) return;
    var result = await S.api("POST", "/api/admin/services/" + encodeURIComponent(current.entry.id) + "/rollback",
                             { version: version, reason: why });
    if (!result.ok) { message(S.errorText(result), true); return; }
    var done = result.data.message;
    await open(current.entry.id);
    message(done, false);
    list();
  }

  async function toggleStatus() {
    var why = reason();
    if (!why) return;
    var status = current.entry.status === "active" ? "retired" : "active";
    var result = await S.api("POST", "/api/admin/services/" + encodeURIComponent(current.entry.id) + "/status",
                             { status: status, reason: why });
    if (!result.ok) { message(S.errorText(result), true); return; }
    await open(current.entry.id);
    message(status === "retired" ? "已停用" : "已重新启用", false);
    list();
  }

  var wired = false;

  function init() {
    if (wired) { list(); return; }
    wired = true;
    $("search-form").addEventListener("submit", function (e) { e.preventDefault(); page.offset = 0; list(); });
    $("search-status").addEventListener("change", function () { page.offset = 0; list(); });
    $("prev").addEventListener("click", function () { page.offset = Math.max(0, page.offset - page.limit); list(); });
    $("next").addEventListener("click", function () { page.offset += page.limit; list(); });
    $("edit-form").addEventListener("submit", save);
    $("toggle-status").addEventListener("click", toggleStatus);
    list();
  }

  window.AdminEntries = { init: init, open: open, search: function (q) { $("search-q").value = q; page.offset = 0; list(); } };
})();
