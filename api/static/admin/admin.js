// Maintainers' admin: tabs, import with preview, the no-confident-match report, the audit log.
(function () {
  "use strict";
  var S = window.Staff, $ = S.$, el = S.el;
  var ACTIONS = { catalog_edit: "修改条目", catalog_rollback: "回滚条目", catalog_retire: "停用条目",
                  catalog_restore: "启用条目", catalog_import: "批量导入", login: "登录", logout: "退出",
                  login_failed: "登录失败", handover_claim: "接手转人工", handover_reply: "人工回复",
                  handover_release: "交还机器人", user_add: "新建账号", user_roles: "修改角色",
                  user_password: "重设密码", user_disable: "停用账号", user_enable: "启用账号" };
  var importToken = null;
  var unmatchedAsked = S.newest(), auditAsked = S.newest();

  function showTab(name) {
    document.querySelectorAll("[data-tab]").forEach(function (b) {
      b.setAttribute("aria-selected", String(b.dataset.tab === name));
    });
    document.querySelectorAll(".tab").forEach(function (t) { t.hidden = t.id !== "tab-" + name; });
    if (name === "unmatched") unmatched();
    if (name === "audit") audit();
  }

  async function preview(event) {
    event.preventDefault();
    var file = $("import-file").files[0];
    if (!file) { $("import-summary").textContent = "请先选择文件"; $("import-result").hidden = false; return; }
    var form = new FormData();
    form.append("file", file);
    var result = await S.api("POST", "/api/admin/import", form);
    $("import-result").hidden = false;
    S.clear($("import-problems"));
    S.clear($("import-changes"));
    $("import-message").textContent = "";
    if (!result.ok) { $("import-summary").textContent = S.errorText(result); $("import-apply").disabled = true; return; }
    var plan = result.data;
    importToken = plan.token;
    $("import-summary").textContent = "新增 " + plan.added.length + " 条，修改 " + plan.changed.length + " 条，未变 " +
      plan.unchanged + " 条；" + plan.errors.length + " 个错误，" + plan.warnings.length + " 个提醒。";
    plan.errors.forEach(function (p) { $("import-problems").appendChild(el("li", "", p)); });
    plan.warnings.forEach(function (p) { $("import-problems").appendChild(el("li", "muted", p)); });
    plan.added.forEach(function (e) { $("import-changes").appendChild(el("li", "", "＋ 新增 " + e.name + "（" + e.id + "）")); });
    plan.changed.forEach(function (e) {
      var li = el("li", "", "～ 修改 " + e.name + "（" + e.id + "）");
      Object.keys(e.changes).forEach(function (name) {
        li.appendChild(el("div", "muted", name + "：" + JSON.stringify(e.changes[name][0]) + " → " +
                          JSON.stringify(e.changes[name][1])));
      });
      $("import-changes").appendChild(li);
    });
    $("import-apply").disabled = !plan.ok || !S.hasRole("maintainer") || !(plan.added.length + plan.changed.length);
  }

  async function apply() {
    var reason = $("import-reason").value.trim();
    if (!reason) { $("import-message").textContent = "请填写导入原因"; return; }
    var result = await S.api("POST", "/api/admin/import/" + importToken, { reason: reason });
    $("import-message").textContent = result.ok ? result.data.message : S.errorText(result);
    $("import-message").className = result.ok ? "ok" : "error";
    if (result.ok) $("import-apply").disabled = true;
  }

  async function unmatched() {
    var stale = unmatchedAsked();
    var result = await S.api("GET", "/api/admin/unmatched?days=" + $("unmatched-days").value);
    if (stale()) return;
    var rows = $("unmatched-rows");
    S.clear(rows);
    if (!result.ok) { $("unmatched-summary").textContent = S.errorText(result); return; }
    $("unmatched-summary").textContent = "共 " + result.data.total + " 次搜索，其中 " + result.data.unmatched + " 次没有把握";
    result.data.items.forEach(function (item) {
      var tr = el("tr");
      tr.appendChild(el("td", "", item.query));
      tr.appendChild(el("td", "", item.count));
      var guess = el("td");
      if (item.best_guess) {
        var button = el("button", "secondary", item.best_guess);
        button.type = "button";
        button.setAttribute("aria-label", "打开条目 " + item.best_guess + " 添加别名");
        button.addEventListener("click", function () {
          showTab("entries");
          window.AdminEntries.open(item.best_guess);
        });
        guess.appendChild(button);
      }
      tr.appendChild(guess);
      tr.appendChild(el("td", "", item.best_score));
      tr.appendChild(el("td", "", S.when(item.last_at)));
      rows.appendChild(tr);
    });
  }

  async function audit() {
    var stale = auditAsked();
    var result = await S.api("GET", "/api/admin/audit?limit=200");
    if (stale()) return;
    var rows = $("audit-rows");
    S.clear(rows);
    if (!result.ok) return;
    result.data.items.forEach(function (item) {
      var tr = el("tr");
      tr.appendChild(el("td", "", S.when(item.at)));
      tr.appendChild(el("td", "", item.actor));
      tr.appendChild(el("td", "", ACTIONS[item.action] || item.action));
      tr.appendChild(el("td", "", item.target));
      tr.appendChild(el("td", "detail", JSON.stringify(item.detail)));
      rows.appendChild(tr);
    });
  }

  document.querySelectorAll("[data-tab]").forEach(function (b) {
    b.addEventListener("click", function () { showTab(b.dataset.tab); });
  });
  $("import-form").addEventListener("submit", preview);
  $("import-apply").addEventListener("click", apply);
  $("unmatched-days").addEventListener("change", unmatched);
  S.boot(["maintainer", "reviewer"], function () { window.AdminEntries.init(); });
})();
