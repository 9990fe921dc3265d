// Test support for screens: mount a component into the page (unmounted after each test by
// setup.ts) and type into its fields the way a person does.
import { mount, unmount, type Component } from "svelte";

const mounted: ReturnType<typeof mount>[] = [];

export function show<P extends Record<string, unknown>>(component: Component<P>, props?: P) {
  const app = mount(component, { target: document.body, props: props as P });
  mounted.push(app);
  return app;
}

export function unmountAll() {
  while (mounted.length) unmount(mounted.pop()!);
  document.body.innerHTML = "";
}

/** Types `value` into the field `sel` (input, select or textarea) and lets Svelte see it. */
export function type(sel: string, value: string) {
  const el = document.querySelector<HTMLInputElement>(sel);
  if (!el) throw new Error(`no ${sel} on the page`);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}
