// Shared by /admin and /console: log-in, the API helper (CSRF header, 401 -> log-in), DOM helpers.
// Text from the server is always inserted with textContent, never as HTML.
(function () {
  "use strict";
  var state = { csrf: null, user: null, roles: [], onReady: null };

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function showLogin(message) {
    $("app").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("login-username").focus();
  }

  function showApp() {
    $("login").hidden = true;
    $("app").hidden = false;
    $("who").textContent = (state.user.display_name || state.user.username) + "（" +
      state.user.roles.map(function (r) { return ROLE_NAMES[r] || r; }).join("、") + "）";
  }

  var ROLE_NAMES = { operator: "话务员", maintainer: "目录维护员", reviewer: "审核员" };

  function accept(me) {
    var allowed = state.roles.some(function (r) { return me.user.roles.indexOf(r) >= 0; });
    if (!allowed) {
      showLogin("这个账号没有使用本页面的权限");
      return;
    }
    state.csrf = me.csrf_token;
    state.user = me.user;
    showApp();
    if (state.onReady) state.onReady(me.user);
  }

  async function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (method !== "GET") options.headers["X-CSRF-Token"] = state.csrf || "";
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    var response;
    try {
      response = await fetch(path, options);
    } catch (e) {
      return { ok: false, status: 0, data: { error: { code: "network", message: "网络连接失败，请稍后重试" } } };
    }
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (response.status === 401 && path !== "/api/auth/login") showLogin("登录已过期，请重新登录");
    return { ok: response.ok, status: response.status, data: data || {} };
  }

  function errorText(result) {
    return (result.data && result.data.error && result.data.error.message) || ("请求失败（" + result.status + "）");
  }

  async function login(event) {
    event.preventDefault();
    var button = $("login-submit");
    button.disabled = true;
    var result = await api("POST", "/api/auth/login", {
      username: $("login-username").value, password: $("login-password").value });
    button.disabled = false;
    $("login-password").value = "";
    if (!result.ok) { $("login-error").textContent = errorText(result); return; }
    accept(result.data);
  }

  async function logout() {
    await api("POST", "/api/auth/logout");
    state.csrf = null;
    state.user = null;
    showLogin("已退出登录");
  }

  async function boot(roles, onReady) {
    state.roles = roles;
    state.onReady = onReady;
    $("login-form").addEventListener("submit", login);
    $("logout").addEventListener("click", logout);
    var me = await api("GET", "/api/auth/me");
    if (me.ok) accept(me.data); else showLogin("");
  }

  function hasRole(role) { return !!state.user && state.user.roles.indexOf(role) >= 0; }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // For a panel that reloads: each call starts a request and returns `stale()`, which is true once a newer
  // request of the same panel has started. A slow earlier answer (the first page arriving after a search,
  // the entry clicked before the last one) is dropped instead of replacing the newer one.
  function newest() {
    var latest = 0;
    return function () {
      var mine = ++latest;
      return function stale() { return mine !== latest; };
    };
  }

  function when(iso) {
    if (!iso) return "";
    var d = typeof iso === "number" ? new Date(iso * 1000) : new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return d.toLocaleString("zh-CN", { hour12: false });
  }

  window.Staff = { $: $, el: el, clear: clear, api: api, boot: boot, errorText: errorText, hasRole: hasRole,
                   debounce: debounce, newest: newest, when: when };
})();
