// Text as Discord shows it: its timestamps in the reader's zone and language, and the little markdown it uses.
import { el } from "./dom.js";
import { channelName, fakeNow, locale, state } from "./state.js";

// Discord's <t:UNIX:STYLE> in the reader's own time zone and language.
export function timestamp(seconds, style) {
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

export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function markdown(text) {
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

export function rich(text, tag = "div", cls = "") {
  const node = el(tag, { class: cls });
  node.innerHTML = markdown(text);
  return node;
}

// Only web addresses become links (never a javascript: one that a message could carry).
export function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
}
