// Forms (Discord's modals): the bot's fields as a form; sending it submits the modal through the Driver.
import { $, el } from "./dom.js";
import { onModal, run } from "./api.js";
import { rich } from "./text.js";

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

export function wireModal() {
  onModal(openModal);
  $("modal").addEventListener("submit", submitModal);
  $("modal-cancel").addEventListener("click", closeModal);
  $("modal").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeModal();
  });
}
