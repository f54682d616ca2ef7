// The Rota playground page: draws the pretend server from the pictures the stand-in pushes over a
// WebSocket; every action goes to the stand-in's small JSON API (api.js), which performs it through the
// tests' Driver. Plain JavaScript modules, no build step.
import { $, el } from "./dom.js";
import { run, setStatus } from "./api.js";
import { resetComposer, suggest, wireComposer } from "./composer.js";
import { drawMessages, onOpenChannel } from "./messages.js";
import { wireModal } from "./modal.js";
import { fakeNow, locale, member, state } from "./state.js";

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

function start() {
  onOpenChannel(switchChannel);
  wireComposer();
  wireModal();
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
  $("messages").addEventListener("click", (event) => {
    const jump = event.target.closest("a.jump");
    if (!jump) return;
    event.preventDefault();
    const me = member(state.you);
    switchChannel(me && jump.dataset.channel === me.dm_channel_id ? "dm" : jump.dataset.channel);
    const target = document.querySelector(`.message[data-id="${jump.dataset.message}"]`);
    if (target) target.scrollIntoView({ block: "center" });
  });
  setInterval(() => {
    if (state.world) {
      drawClock();
    }
  }, 30000);
  connect();
}

start();
