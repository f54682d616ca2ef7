// Talking to the stand-in: every action is a POST that the stand-in performs through the tests' Driver.
import { $ } from "./dom.js";
import { state } from "./state.js";

let openModal = () => {};

// What to do when the bot answers with a form (set by the modal module).
export function onModal(open) {
  openModal = open;
}

export async function act(action, body) {
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

export function showError(error) {
  const box = $("error");
  box.textContent = error.message || String(error);
  box.hidden = false;
}

export function clearError() {
  $("error").hidden = true;
}

export function setStatus(text) {
  $("status").textContent = text;
}

// Runs an action from a control, showing it is busy meanwhile and any refusal afterwards.
export async function run(control, action, body) {
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
