/** `Container p-web-1`, or `Volume x` / `Image x` / `Network x` for those steps, as Compose labels them. */
export function resourceLabel(resource: string): string {
  for (const kind of ['volume', 'image', 'network']) {
    if (resource.startsWith(`${kind} `)) return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${resource.slice(kind.length + 1)}`;
  }
  return `Container ${resource}`;
}
