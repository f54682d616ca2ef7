// The Rota playground page: draws the pretend server from the pictures the stand-in pushes over a
// WebSocket, and sends every action (command, click, select, form) to the stand-in's small JSON API,
// which performs it through the tests' Driver. Plain JavaScript, no build step.
"use strict";

const state = {
  world: null, // the latest picture
  you: localStorage.getItem("rota-playground-you") || "",
  channel: "", // a channel or thread id, or "dm" for your direct messages with the bot
  command: null, // the chosen command: {path (its own names), shown (in the member's language), leaf}
  shown: [], // option definitions with a field in the form
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
};

// -- talking to the stand-in ------------------------------------------------------------------------

function connect() {
  const ws = new WebSocket(`ws://${location.host}/ws`);
  ws.onmessage = (event) => {
    state.world = JSON.parse(event.data);
    draw();
  };
  ws.onclose = () => {
    setStatus("Disconnected from the playground; reconnecting…");
    setTimeout(connect, 1000);
  };
  ws.onopen = () => setStatus("");
}

async function act(action, body) {
  const response = await fetch(`/api/${action}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ member: state.you, ...body }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  if (answer.modal) openModal(answer.modal, answer.interaction);
  return answer;
}

function showError(error) {
  const box = $("error");
  box.textContent = error.message || String(error);
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
}

function setStatus(text) {
  $("status").textContent = text;
}

// Runs an action from a control, showing it is busy meanwhile and any refusal afterwards.
async function run(control, action, body) {
  clearError();
  if (control) control.disabled = true;
  setStatus("Waiting for Rota…");
  try {
    return await act(action, body);
  } catch (error) {
    showError(error);
    return null;
  } finally {
    if (control) control.disabled = false;
    setStatus("");
  }
}

// -- time -----------------------------------------------------------------------------------------

function fakeNow() {
  return Date.now() / 1000 + (state.world ? state.world.clock_offset : 0);
}

function locale() {
  const me = member(state.you);
  return (me && me.locale) || navigator.language || "en-US";
}

// Discord's <t:UNIX:STYLE> in the reader's own time zone and language.
function timestamp(seconds, style) {
  const date = new Date(seconds * 1000);
  const lang = locale();
  const formats = {
    t: { timeStyle: "short" },
    T: { timeStyle: "medium" },
    d: { dateStyle: "short" },
    D: { dateStyle: "long" },
    f: { dateStyle: "long", timeStyle: "short" },
    F: { dateStyle: "full", timeStyle: "short" },
  };
  if (style === "R") return relative(seconds - fakeNow(), lang);
  return new Intl.DateTimeFormat(lang, formats[style] || formats.f).format(date);
}

function relative(delta, lang) {
  const units = [
    ["year", 365 * 86400],
    ["month", 30 * 86400],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];
  const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(delta) >= size || unit === "second") return format.format(Math.round(delta / size), unit);
  }
  return "";
}

// -- reading the picture ----------------------------------------------------------------------------

function member(id) {
  return state.world ? state.world.members.find((m) => m.id === id) : undefined;
}

function channelName(id) {
  const w = state.world;
  const found = w.channels.find((c) => c.id === id) || w.threads.find((t) => t.id === id);
  return found ? found.name : "unknown-channel";
}

function visibleMessages() {
  const w = state.world;
  const me = member(state.you);
  const where = state.channel === "dm" ? me && me.dm_channel_id : state.channel;
  return w.messages.filter((m) => m.channel_id === where && (!m.only_for || m.only_for === state.you));
}

// -- markdown, the little Discord uses ---------------------------------------------------------------

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function markdown(text) {
  const w = state.world;
  const codes = [];
  let html = escapeHtml(text || "");
  html = html.replace(/```(?:\w*\n)?([\s\S]*?)```/g, (_, code) => {
    codes.push(`<pre><code>${code}</code></pre>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  html = html.replace(/`([^`]+)`/g, (_, code) => {
    codes.push(`<code>${code}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  // A backslash shows the next mark as it is (the bot escapes what members wrote).
  html = html.replace(/\\(&gt;|&lt;|&amp;|[*_~`|#\-\\[\]()])/g, (_, mark) => {
    codes.push(mark);
    return `\u0000${codes.length - 1}\u0000`;
  });
  html = html
    .replace(/&lt;t:(-?\d+)(?::([tTdDfFR]))?&gt;/g, (_, unix, style) => {
      const full = timestamp(Number(unix), "F");
      return `<time class="ts" title="${escapeHtml(full)}">${escapeHtml(timestamp(Number(unix), style || "f"))}</time>`;
    })
    .replace(/&lt;@!?(\d+)&gt;/g, (_, id) => `<span class="mention">@${escapeHtml(w.names[id] || "unknown-user")}</span>`)
    .replace(/&lt;@&amp;(\d+)&gt;/g, (_, id) => `<span class="mention">@${escapeHtml(w.roles[id] || "unknown-role")}</span>`)
    .replace(/&lt;#(\d+)&gt;/g, (_, id) => `<span class="mention">#${escapeHtml(channelName(id))}</span>`)
    // A link to a message on Discord goes to that message here instead.
    .replace(/\[([^\]]+)\]\(&lt;?https:\/\/discord\.com\/channels\/\d+\/(\d+)(?:\/(\d+))?(?:&gt;)?\)/g,
      (_, text, chan, msg) => `<a class="jump" data-channel="${chan}" data-message="${msg || ""}">${text}</a>`)
    .replace(/(?:&lt;)?https:\/\/discord\.com\/channels\/\d+\/(\d+)(?:\/(\d+))?(?:&gt;)?/g, (_, chan, msg) =>
      `<a class="jump" data-channel="${chan}" data-message="${msg || ""}">#${escapeHtml(channelName(chan))} ›</a>`)
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_]+)__/g, "<u>$1</u>")
    .replace(/(^|[^*\w])\*([^*\n]+)\*/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, "$1<em>$2</em>")
    .replace(/~~([^~]+)~~/g, "<s>$1</s>");
  html = html
    .split("\n")
    .map((line) => {
      if (line.startsWith("-# ")) return `<small class="subtext">${line.slice(3)}</small>`;
      const heading = line.match(/^(#{1,3}) (.*)$/);
      if (heading) return `<strong class="h${heading[1].length}">${heading[2]}</strong>`;
      if (line.startsWith("&gt; ")) return `<span class="quote">${line.slice(5)}</span>`;
      return line;
    })
    .join("<br>");
  return html.replace(/\u0000(\d+)\u0000/g, (_, i) => codes[Number(i)]);
}

function rich(text, tag = "div", cls = "") {
  const node = el(tag, { class: cls });
  node.innerHTML = markdown(text);
  return node;
}

// -- drawing ---------------------------------------------------------------------------------------

function draw() {
  const w = state.world;
  if (!w) return;
  if (!member(state.you)) state.you = w.members.length ? w.members[0].id : "";
  if (!state.channel) {
    const shifts = w.channels.find((c) => c.name === "shifts");
    state.channel = (shifts || w.channels[0]).id;
  }
  drawControls();
  drawViolations();
  drawSidebar();
  drawMessages();
  drawClock();
  if (document.activeElement === $("command")) suggest(); // new commands, or the member's new language
}

function drawControls() {
  const w = state.world;
  setOptions($("you"), w.members.map((m) => [m.id, m.organiser ? `${m.name} (organiser)` : m.name]), state.you);
  const me = member(state.you);
  setOptions($("locale"), w.locales.map((code) => [code, languageName(code)]), me ? me.locale : "");
}

// A Discord locale's language in itself ("fr" is "français"), as Discord's own menu shows it.
function languageName(code) {
  try {
    return new Intl.DisplayNames([code], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

// Options are rebuilt only when they change, so a menu someone has open stays open.
function setOptions(select, items, value) {
  const key = JSON.stringify(items);
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    select.replaceChildren(...items.map(([v, label]) => el("option", { value: v, text: label })));
  }
  select.value = value;
}

// The stand-in holds the bot to Discord's rules; anything it broke is shown, for whoever reviews a change.
function drawViolations() {
  const w = state.world;
  const box = $("violations");
  box.hidden = !w.violation_count;
  box.querySelector("summary").textContent = `Rota broke ${w.violation_count} of Discord's rules here (details)`;
  box.querySelector("ul").replaceChildren(...w.violations.map((v) => el("li", { text: v })));
}

function drawSidebar() {
  const w = state.world;
  $("server-name").textContent = w.server.name;
  const item = (id, label, cls = "") =>
    el(
      "li",
      { class: cls },
      el("button", {
        type: "button",
        class: id === state.channel ? "current" : "",
        "aria-current": id === state.channel ? "page" : undefined,
        onclick: () => switchChannel(id),
        text: label,
      }),
    );
  const rows = [];
  for (const chan of w.channels) {
    rows.push(item(chan.id, `# ${chan.name}`));
    for (const thread of w.threads.filter((t) => t.parent_id === chan.id)) {
      rows.push(item(thread.id, `↳ ${thread.name}`, "thread"));
    }
  }
  $("channels").replaceChildren(...rows);
  const me = member(state.you);
  const dmCount = me && me.dm_channel_id ? w.messages.filter((m) => m.channel_id === me.dm_channel_id).length : 0;
  $("dms").replaceChildren(item("dm", `@ ${w.bot.name} (${dmCount})`));
}

function switchChannel(id) {
  state.channel = id;
  document.body.classList.remove("menu-open");
  $("menu").setAttribute("aria-expanded", "false");
  draw();
  const list = $("messages");
  list.scrollTop = list.scrollHeight;
}

function drawClock() {
  const now = new Date(fakeNow() * 1000);
  $("now").textContent = new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(now);
}

function drawMessages() {
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
        onclick: () => switchChannel(msg.thread_id),
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

// Only web addresses become links (never a javascript: one that a message could carry).
function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
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

// -- the command box -------------------------------------------------------------------------------

// A command's or option's name and description as the member's Discord client shows them.
function shownName(node) {
  return (node.name_localizations || {})[locale()] || node.name;
}

function shownDescription(node) {
  return (node.description_localizations || {})[locale()] || node.description || "";
}

// Every command a member can type: "shift offer" and so on, from the commands the bot registered.
function commandPaths() {
  const out = [];
  const walk = (node, path, shown) => {
    const subs = (node.options || []).filter((o) => o.type === 1 || o.type === 2);
    if (!subs.length) out.push({ path, shown, leaf: node });
    for (const sub of subs) walk(sub, `${path} ${sub.name}`, `${shown} ${shownName(sub)}`);
  };
  for (const cmd of state.world ? state.world.commands : []) {
    if ((cmd.type || 1) === 1) walk(cmd, cmd.name, shownName(cmd));
  }
  return out.sort((a, b) => a.shown.localeCompare(b.shown));
}

function suggest() {
  const text = $("command").value.replace(/^\//, "").replace(/\s+/g, " ").trimStart();
  const list = $("suggestions");
  let items = [];
  if (state.command && text.startsWith(`${state.command.shown} `)) {
    // After the command: complete option names not yet in the form.
    const word = text.slice(state.command.shown.length + 1).split(" ").pop().toLowerCase();
    items = (state.command.leaf.options || [])
      .filter((o) => !state.shown.includes(o) && shownName(o).startsWith(word))
      .map((o) => ({ label: `${shownName(o)}:`, note: shownDescription(o), pick: () => addOption(o, true) }));
  } else {
    const needle = text.toLowerCase();
    items = commandPaths()
      .filter((c) => !needle || c.shown.includes(needle) || c.path.includes(needle))
      .slice(0, 12)
      .map((c) => ({ label: `/${c.shown}`, note: shownDescription(c.leaf), pick: () => chooseCommand(c) }));
  }
  list.replaceChildren(
    ...items.map((item, i) =>
      el(
        "li",
        { role: "option", id: `suggestion-${i}` },
        el("button", { type: "button", onclick: item.pick }, el("strong", { text: item.label }), el("span", { text: item.note || "" })),
      ),
    ),
  );
  list.hidden = !items.length || document.activeElement !== $("command");
}

function chooseCommand(cmd) {
  state.command = cmd;
  state.shown = [];
  $("options").replaceChildren();
  for (const option of cmd.leaf.options || []) {
    if (option.required) addOption(option, false);
  }
  $("command").value = `/${cmd.shown} `;
  $("command").focus();
  suggest();
}

function addOption(option, focus) {
  if (state.shown.includes(option)) return;
  state.shown.push(option);
  const field = optionField(option);
  $("options").append(field);
  // The typed start of the option's name is now a field: take it off the command line.
  if (state.command) $("command").value = `/${state.command.shown} `;
  if (focus) field.querySelector("input, select").focus();
  suggest();
}

function optionField(option) {
  const w = state.world;
  let input;
  const common = { name: option.name, "data-type": option.type, required: Boolean(option.required) };
  const pick = (values) => el("select", common, el("option", { value: "", text: "—" }), values.map(([v, l]) => el("option", { value: v, text: l })));
  if (option.choices && option.choices.length) input = pick(option.choices.map((c) => [String(c.value), shownName(c)]));
  else if (option.type === 5) input = pick([["true", "True"], ["false", "False"]]);
  else if (option.type === 6 || option.type === 9) input = pick(w.members.map((m) => [m.id, m.name]));
  else if (option.type === 7) {
    const types = option.channel_types;
    input = pick(w.channels.filter((c) => !types || types.includes(c.type)).map((c) => [c.id, `#${c.name}`]));
  } else if (option.type === 8) input = pick(Object.entries(w.roles).map(([id, name]) => [id, name]));
  else if (option.type === 11) input = el("input", { ...common, disabled: true, placeholder: "files can't be attached in the playground" });
  else {
    input = el("input", {
      ...common,
      // A number the bot completes is typed as text (its title, say), as in Discord's client.
      type: (option.type === 4 || option.type === 10) && !option.autocomplete ? "number" : "text",
      step: option.type === 10 ? "any" : undefined,
      min: option.min_value,
      max: option.max_value,
      minlength: option.min_length,
      maxlength: option.max_length,
      placeholder: shownDescription(option),
    });
    if (option.autocomplete) attachAutocomplete(input, option);
  }
  const remove = option.required
    ? null
    : el("button", {
        type: "button",
        class: "remove",
        "aria-label": `Remove ${option.name}`,
        text: "×",
        onclick: () => {
          state.shown = state.shown.filter((o) => o !== option);
          wrapper.remove();
        },
      });
  const wrapper = el(
    "label",
    { class: "option" },
    el("span", { class: "option-name", text: `${shownName(option)}${option.required ? "" : " (optional)"}` }),
    input,
    remove,
    el("ul", { class: "choices", hidden: true }),
  );
  return wrapper;
}

// The bot's own autocomplete: ask it as the member types, show what it offers, keep the chosen value.
function attachAutocomplete(input, option) {
  let timer = null;
  input.addEventListener("input", () => {
    delete input.dataset.value;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const answer = await run(null, "autocomplete", {
        channel: state.channel,
        name: state.command.path,
        option: option.name,
        value: input.value,
        options: formValues(),
      });
      const list = input.parentElement.querySelector(".choices");
      const choices = (answer && answer.choices) || [];
      list.replaceChildren(
        ...choices.map((c) =>
          el("li", {}, el("button", {
            type: "button",
            text: c.name,
            onclick: () => {
              input.value = c.name;
              input.dataset.value = String(c.value);
              list.hidden = true;
            },
          })),
        ),
      );
      list.hidden = !choices.length;
    }, 250);
  });
}

function formValues() {
  const values = {};
  for (const input of $("options").querySelectorAll("input, select")) {
    if (input.disabled) continue;
    const value = input.dataset.value !== undefined ? input.dataset.value : input.value;
    if (value !== "") values[input.name] = value;
  }
  return values;
}

async function sendCommand(event) {
  event.preventDefault();
  const typed = $("command").value.replace(/^\//, "").trim().replace(/\s+/g, " ");
  if (!state.command || (typed !== state.command.shown && !typed.startsWith(`${state.command.shown} `))) {
    const exact = commandPaths().find((c) => c.shown === typed || c.path === typed);
    if (!exact) {
      showError(new Error(typed ? `There is no command /${typed}; pick one from the list.` : "Type a command first."));
      return;
    }
    chooseCommand(exact);
    if ((exact.leaf.options || []).some((o) => o.required)) return; // fill in the required options first
  }
  const answer = await run($("send"), "command", { channel: state.channel, name: state.command.path, options: formValues() });
  if (answer) resetComposer();
}

// An empty command box (after sending, or when someone else, or another language, takes over).
function resetComposer() {
  state.command = null;
  state.shown = [];
  $("options").replaceChildren();
  $("command").value = "";
  clearError();
}

// -- modals ----------------------------------------------------------------------------------------

function openModal(modal, interaction) {
  $("modal-title").textContent = modal.title || "";
  const fields = [];
  const field = (comp, labelText) => {
    if (comp.type === 4) {
      const attrs = {
        name: comp.custom_id,
        required: comp.required !== false,
        minlength: comp.min_length,
        maxlength: comp.max_length,
        placeholder: comp.placeholder,
      };
      const input = comp.style === 2 ? el("textarea", attrs) : el("input", { ...attrs, type: "text" });
      input.value = comp.value || "";
      fields.push(el("label", { class: "modal-field" }, el("span", { text: labelText || comp.label }), input));
    } else if (comp.type === 3) {
      const select = el(
        "select",
        { name: comp.custom_id, multiple: (comp.max_values || 1) > 1, required: comp.required !== false },
        (comp.options || []).map((o) => el("option", { value: o.value, selected: Boolean(o.default), text: o.label })),
      );
      fields.push(el("label", { class: "modal-field" }, el("span", { text: labelText || comp.placeholder || "" }), select));
    }
  };
  for (const comp of modal.components || []) {
    if (comp.type === 1) (comp.components || []).forEach((c) => field(c));
    else if (comp.type === 18 && comp.component) field(comp.component, comp.label);
    else if (comp.type === 10) fields.push(rich(comp.content, "div", "content"));
  }
  $("modal-fields").replaceChildren(...fields);
  const form = $("modal");
  form.dataset.interaction = interaction;
  $("modal-backdrop").hidden = false;
  const first = form.querySelector("input, textarea, select");
  if (first) first.focus();
}

function closeModal() {
  $("modal-backdrop").hidden = true;
}

async function submitModal(event) {
  event.preventDefault();
  const form = $("modal");
  const values = {};
  for (const input of form.querySelectorAll("input, textarea, select")) {
    values[input.name] = input.multiple ? [...input.selectedOptions].map((o) => o.value) : input.value;
  }
  const interaction = form.dataset.interaction;
  closeModal();
  await run(null, "modal", { interaction, values });
}

// -- wiring ----------------------------------------------------------------------------------------

function start() {
  $("you").addEventListener("change", (event) => {
    state.you = event.target.value;
    localStorage.setItem("rota-playground-you", state.you);
    resetComposer();
    draw();
  });
  $("locale").addEventListener("change", (event) => {
    // Shown at once (names complete in the new language); the next picture confirms it.
    const me = member(state.you);
    if (me) me.locale = event.target.value;
    resetComposer();
    run(event.target, "locale", { locale: event.target.value });
  });
  for (const button of document.querySelectorAll(".clock button")) {
    button.addEventListener("click", () => run(button, "clock", { seconds: Number(button.dataset.seconds) }));
  }
  $("menu").addEventListener("click", () => {
    const open = document.body.classList.toggle("menu-open");
    $("menu").setAttribute("aria-expanded", String(open));
  });
  const command = $("command");
  command.addEventListener("input", () => {
    const typed = command.value.replace(/^\//, "");
    if (state.command && !typed.startsWith(state.command.shown)) {
      state.command = null;
      state.shown = [];
      $("options").replaceChildren();
    }
    suggest();
  });
  command.addEventListener("focus", suggest);
  // Hidden a moment after leaving the box (so a click on a completion lands), unless the box is back in focus.
  command.addEventListener("blur", () =>
    setTimeout(() => {
      if (document.activeElement !== command) $("suggestions").hidden = true;
    }, 200),
  );
  command.addEventListener("keydown", (event) => {
    const first = $("suggestions").querySelector("button");
    if (event.key === "Tab" && first && !$("suggestions").hidden) {
      event.preventDefault();
      first.click();
    }
  });
  $("messages").addEventListener("click", (event) => {
    const jump = event.target.closest("a.jump");
    if (!jump) return;
    event.preventDefault();
    const me = member(state.you);
    switchChannel(me && jump.dataset.channel === me.dm_channel_id ? "dm" : jump.dataset.channel);
    const target = document.querySelector(`.message[data-id="${jump.dataset.message}"]`);
    if (target) target.scrollIntoView({ block: "center" });
  });
  $("composer").addEventListener("submit", sendCommand);
  $("modal").addEventListener("submit", submitModal);
  $("modal-cancel").addEventListener("click", closeModal);
  $("modal").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeModal();
  });
  setInterval(() => {
    if (state.world) {
      drawClock();
    }
  }, 30000);
  connect();
}

start();
