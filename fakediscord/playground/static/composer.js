// The command box: completes command and option names from the commands the bot registered, in the
// member's language, asks the bot's own autocomplete, and sends the command.
import { $, el } from "./dom.js";
import { clearError, run, showError } from "./api.js";
import { locale, state } from "./state.js";

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

export function suggest() {
  if (!state.command && !$("command").value.startsWith("/")) {
    $("suggestions").hidden = true; // commands complete once "/" is typed, as in Discord
    return;
  }
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
  const raw = $("command").value;
  if (!state.command && !raw.startsWith("/")) {
    // Not a command: a message from the member, as anyone may write in a channel or thread.
    if (raw.trim() && (await run($("send"), "say", { channel: state.channel, content: raw }))) resetComposer();
    return;
  }
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
export function resetComposer() {
  state.command = null;
  state.shown = [];
  $("options").replaceChildren();
  $("command").value = "";
  clearError();
}

export function wireComposer() {
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
  $("composer").addEventListener("submit", sendCommand);
}
