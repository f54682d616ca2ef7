// The messages of the channel, thread or DM the visitor is in: embeds, files, buttons and menus that work.
import { $, el } from "./dom.js";
import { run } from "./api.js";
import { channelName, member, state } from "./state.js";
import { rich, safeUrl, timestamp } from "./text.js";

let openChannel = () => {};

// How a thread link takes the visitor there (set by the page).
export function onOpenChannel(open) {
  openChannel = open;
}

function visibleMessages() {
  const w = state.world;
  const me = member(state.you);
  const where = state.channel === "dm" ? me && me.dm_channel_id : state.channel;
  return w.messages.filter((m) => m.channel_id === where && (!m.only_for || m.only_for === state.you));
}

export function drawMessages() {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const before = list.scrollTop;
  const w = state.world;
  const thread = w.threads.find((t) => t.id === state.channel);
  let title;
  if (state.channel === "dm") title = `Direct messages with ${w.bot.name}`;
  else if (thread) title = `↳ ${thread.name}${thread.archived ? " (archived)" : ""}`;
  else title = `# ${channelName(state.channel)}`;
  $("channel-title").textContent = title;
  const messages = visibleMessages();
  list.replaceChildren(
    ...(messages.length ? messages.map(drawMessage) : [el("li", { class: "empty", text: "No messages here yet." })]),
  );
  list.scrollTop = atBottom ? list.scrollHeight : before;
}

function drawMessage(msg) {
  const head = el(
    "div",
    { class: "head" },
    el("span", { class: "author", text: msg.author.name }),
    msg.bot ? el("span", { class: "tag", text: "APP" }) : null,
    el("time", { class: "when", title: timestamp(msg.created_at, "F"), text: timestamp(msg.created_at, "f") }),
    msg.edited ? el("span", { class: "edited", text: "(edited)" }) : null,
  );
  const body = [];
  if (msg.used_by) body.push(el("div", { class: "used-by", text: `${msg.used_by.user} used ${msg.used_by.command}` }));
  body.push(head);
  if (msg.loading) body.push(el("div", { class: "thinking", text: `${msg.author.name} is thinking…` }));
  if (msg.content) body.push(rich(msg.content, "div", "content"));
  for (const embed of msg.embeds || []) body.push(drawEmbed(embed, msg));
  const inEmbeds = (msg.embeds || []).map((e) => e.image && e.image.url).filter(Boolean);
  for (const file of msg.attachments || []) {
    if (inEmbeds.includes(`attachment://${file.filename}`)) continue; // shown in its embed, as Discord does
    const link = el("a", { class: "attachment", href: file.url, target: "_blank", rel: "noopener", text: file.filename });
    body.push(/\.(png|jpe?g|gif|webp)$/i.test(file.filename) ? el("a", { href: file.url, target: "_blank", rel: "noopener" },
      el("img", { class: "embed-image", src: file.url, alt: file.filename })) : link);
  }
  const components = drawComponents(msg.components || [], msg);
  if (components) body.push(components);
  if (msg.thread_id) {
    const count = state.world.messages.filter((m) => m.channel_id === msg.thread_id && !m.only_for).length;
    body.push(
      el("button", {
        type: "button",
        class: "thread-link",
        onclick: () => openChannel(msg.thread_id),
        text: `Open thread: ${channelName(msg.thread_id)} (${count} ${count === 1 ? "message" : "messages"})`,
      }),
    );
  }
  if (msg.only_for) body.push(el("div", { class: "only-you", text: "Only you can see this" }));
  // A message that notified you is marked, as Discord marks one that mentions you.
  const pinged = msg.notified_everyone || (msg.notified || []).includes(state.you);
  const classes = `message${msg.only_for ? " ephemeral" : ""}${pinged ? " pinged" : ""}`;
  return el("li", { class: classes, "data-id": msg.id }, ...body);
}


function colour(value) {
  return typeof value === "number" ? `#${value.toString(16).padStart(6, "0")}` : "var(--embed-edge)";
}

// An embed may show a file of its own message: `attachment://name` is that file's address.
function fileUrl(url, msg) {
  if (!url || !url.startsWith("attachment://")) return safeUrl(url);
  const file = (msg.attachments || []).find((a) => `attachment://${a.filename}` === url);
  return file ? file.url : "";
}

function drawEmbed(embed, msg) {
  const parts = [];
  if (embed.author && embed.author.name) parts.push(el("div", { class: "embed-author", text: embed.author.name }));
  if (embed.title) {
    const title = rich(embed.title, "div", "embed-title");
    const href = safeUrl(embed.url);
    parts.push(href ? el("a", { href, target: "_blank", rel: "noopener" }, title) : title);
  }
  if (embed.description) parts.push(rich(embed.description, "div", "embed-description"));
  if (embed.fields && embed.fields.length) {
    parts.push(
      el(
        "div",
        { class: "embed-fields" },
        embed.fields.map((f) =>
          el(
            "div",
            { class: `embed-field${f.inline ? " inline" : ""}` },
            rich(f.name, "div", "embed-field-name"),
            rich(f.value, "div", "embed-field-value"),
          ),
        ),
      ),
    );
  }
  const image = embed.image && fileUrl(embed.image.url, msg);
  if (image) parts.push(el("img", { class: "embed-image", src: image, alt: "" }));
  const footer = [];
  if (embed.footer && embed.footer.text) footer.push(embed.footer.text);
  if (embed.timestamp) footer.push(timestamp(Date.parse(embed.timestamp) / 1000, "f"));
  if (footer.length) parts.push(el("div", { class: "embed-footer", text: footer.join(" • ") }));
  return el("div", { class: "embed", style: `border-left-color: ${colour(embed.color)}` }, ...parts);
}

function drawComponents(components, msg) {
  if (!components.length) return null;
  return el("div", { class: "components" }, components.map((c) => drawComponent(c, msg)));
}

function drawComponent(comp, msg) {
  switch (comp.type) {
    case 1: // action row
      return el("div", { class: "row" }, (comp.components || []).map((c) => drawComponent(c, msg)));
    case 2:
      return drawButton(comp, msg);
    case 3:
    case 5:
    case 6:
    case 7:
    case 8:
      return drawSelect(comp, msg);
    case 10: // text display
      return rich(comp.content, "div", "content");
    case 9: // section
      return el("div", { class: "section" }, (comp.components || []).map((c) => drawComponent(c, msg)),
        comp.accessory ? drawComponent(comp.accessory, msg) : null);
    case 14:
      return el("hr");
    case 17: // container
      return el("div", { class: "container", style: `border-left-color: ${colour(comp.accent_color)}` },
        (comp.components || []).map((c) => drawComponent(c, msg)));
    default:
      return null;
  }
}

function drawButton(button, msg) {
  const label = `${button.emoji && button.emoji.name ? `${button.emoji.name} ` : ""}${button.label || ""}`;
  if (button.style === 5) {
    return el("a", { class: "button link", href: safeUrl(button.url), target: "_blank", rel: "noopener", text: `${label} ↗` });
  }
  const styles = { 1: "primary", 2: "secondary", 3: "success", 4: "danger" };
  const node = el("button", {
    type: "button",
    class: `button ${styles[button.style] || "secondary"}`,
    disabled: Boolean(button.disabled),
    text: label,
  });
  node.addEventListener("click", () => run(node, "click", { message: msg.id, custom_id: button.custom_id }));
  return node;
}

function selectChoices(menu) {
  const w = state.world;
  if (menu.type === 3) return (menu.options || []).map((o) => ({ value: o.value, label: o.label, description: o.description }));
  if (menu.type === 5) return w.members.map((m) => ({ value: m.id, label: m.name }));
  if (menu.type === 8) return w.channels.map((c) => ({ value: c.id, label: `#${c.name}` }));
  if (menu.type === 6) return Object.entries(w.roles).map(([id, name]) => ({ value: id, label: name }));
  return w.members.map((m) => ({ value: m.id, label: m.name }));
}

function drawSelect(menu, msg) {
  const many = (menu.max_values || 1) > 1;
  const select = el(
    "select",
    { class: "select", multiple: many, disabled: Boolean(menu.disabled), "aria-label": menu.placeholder || "Choose" },
    many ? null : el("option", { value: "", text: menu.placeholder || "Make a selection", selected: true, disabled: true }),
    selectChoices(menu).map((o) => el("option", { value: o.value, text: o.description ? `${o.label} — ${o.description}` : o.label })),
  );
  const send = () => {
    const values = [...select.selectedOptions].map((o) => o.value).filter((v) => v !== "");
    run(select, "select", { message: msg.id, custom_id: menu.custom_id, values });
  };
  if (!many) {
    select.addEventListener("change", send);
    return select;
  }
  return el("div", { class: "multi" }, select, el("button", { type: "button", class: "button secondary", onclick: send, text: "Choose" }));
}
