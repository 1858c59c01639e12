// Sizes of user data as the scenarios write them. No Cucumber calls here: the World (and tools
// that build a World outside a run) import it.

/** "12 bytes", "maxConnectData bytes" (the protocol entry's maximum) or "maxConnectData/2 bytes" (half, rounded down). */
export function sizeOf(text: string, maxConnectData: number): number {
  const n = /^(\d+|maxConnectData(\/2)?) bytes?$/.exec(text);
  if (!n) throw new Error(`cannot read "${text}" as "<n> bytes", "maxConnectData bytes" or "maxConnectData/2 bytes"`);
  if (!n[1].startsWith("maxConnectData")) return Number(n[1]);
  return n[2] ? Math.floor(maxConnectData / 2) : maxConnectData;
}
