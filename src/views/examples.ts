/** The example scenarios of `scenarios/`, bundled into the page so the picker works offline. */
const files = import.meta.glob<{ default: Record<string, unknown> }>('../../scenarios/*.json', {
  eager: true,
});

export interface Example {
  /** The file's name without `.json`, e.g. `chat-room`. */
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export const EXAMPLES: Example[] = Object.entries(files)
  .map(([path, mod]) => {
    const id = path
      .split('/')
      .pop()!
      .replace(/\.json$/, '');
    const input = mod.default;
    return { id, name: typeof input.name === 'string' ? input.name : id, input };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
