// Cards for the structured payloads of the shared contract (docs/channels.md). Every value is set
// with textContent or as a checked attribute: nothing a message carries is ever parsed as HTML.

const BOOKING_STATUS = { booked: "已预约", confirmed: "已预约", cancelled: "已取消", canceled: "已取消",
  rescheduled: "已改约", done: "已办结", attended: "已办结", no_show: "未到场" };
const TICKET_STATUS = { new: "已受理", open: "已受理", accepted: "已受理", assigned: "已派单",
  in_progress: "处理中", processing: "处理中", resolved: "已办结", closed: "已办结", rejected: "已退回" };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}

function safeUrl(value) {
  try {
    const url = new URL(String(value || ""));
    return (url.protocol === "https:" || url.protocol === "http:") ? url.href : "";
  } catch (e) { return ""; }
}

function card(kind, title, rows) {
  const article = el("article", "card " + kind);
  article.setAttribute("aria-label", title);
  article.appendChild(el("h2", "", title));
  const list = el("dl");
  rows.forEach(([label, value]) => {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    list.appendChild(el("dt", "", label));
    const dd = el("dd");
    if (Array.isArray(value)) {
      const ul = el("ul");
      value.forEach((item) => ul.appendChild(el("li", "", item)));
      dd.appendChild(ul);
    } else if (value instanceof Node) {
      dd.appendChild(value);
    } else {
      dd.textContent = String(value);
    }
    list.appendChild(dd);
  });
  article.appendChild(list);
  return article;
}

function serviceCard(service) {
  const article = card("service", service.name || "服务", [
    ["需要材料", service.materials], ["办理地点", service.place], ["办公时间", service.hours],
    ["收费", service.fee], ["咨询电话", service.phone]]);
  const actions = el("div", "actions");
  const online = safeUrl(service.online_url);
  if (online) {
    const link = el("a", "", "网上办理");
    link.href = online;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.setAttribute("aria-label", "网上办理" + (service.name || "") + "（新窗口打开）");
    actions.appendChild(link);
  }
  const phone = String(service.phone || "").replace(/[^0-9+-]/g, "");
  if (phone) {
    const call = el("a", "secondary", "拨打电话");
    call.href = "tel:" + phone;
    call.setAttribute("aria-label", "拨打咨询电话 " + service.phone);
    actions.appendChild(call);
  }
  if (actions.childNodes.length) { article.appendChild(actions); }
  return article;
}

function bookingCard(booking) {
  const status = BOOKING_STATUS[booking.status] || booking.status;
  return card("booking", "预约确认" + (status ? "：" + status : ""), [
    ["预约号", booking.code], ["办理事项", booking.service_name], ["办理大厅", booking.hall],
    ["日期", booking.date], ["时段", booking.slot]]);
}

function ticketCard(ticket) {
  const status = TICKET_STATUS[ticket.status] || ticket.status;
  return card("ticket", "工单受理" + (status ? "：" + status : ""), [
    ["工单号", ticket.number], ["类别", ticket.category], ["承办部门", ticket.department],
    ["处理班组", ticket.team], ["网格", ticket.grid], ["办理时限", ticket.due]]);
}

// The element for a custom payload, or null for a payload this page does not know.
export function renderCard(custom) {
  if (!custom || typeof custom !== "object") { return null; }
  if (custom.type === "service_card" && custom.service) { return serviceCard(custom.service); }
  if (custom.type === "booking_confirmation" && custom.booking) { return bookingCard(custom.booking); }
  if (custom.type === "ticket_confirmation" && custom.ticket) { return ticketCard(custom.ticket); }
  return null;
}
