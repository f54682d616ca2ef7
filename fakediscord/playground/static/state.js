// What the page knows: the latest picture of the pretend server, and what the visitor chose.

export const state = {
  world: null, // the latest picture
  you: localStorage.getItem("rota-playground-you") || "",
  channel: "", // a channel or thread id, or "dm" for your direct messages with the bot
  command: null, // the chosen command: {path (its own names), shown (in the member's language), leaf}
  shown: [], // option definitions with a field in the form
};

export function fakeNow() {
  return Date.now() / 1000 + (state.world ? state.world.clock_offset : 0);
}

export function locale() {
  const me = member(state.you);
  return (me && me.locale) || navigator.language || "en-US";
}

export function member(id) {
  return state.world ? state.world.members.find((m) => m.id === id) : undefined;
}

export function channelName(id) {
  const w = state.world;
  const found = w.channels.find((c) => c.id === id) || w.threads.find((t) => t.id === id);
  return found ? found.name : "unknown-channel";
}
