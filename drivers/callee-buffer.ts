// The callee buffer every driver hands to WSAJoinLeaf: the capacity the application declares,
// filled so "nothing written yet" shows, followed by guard bytes that show a write past `len`.

export const GUARD_BYTES = 16;
export const GUARD_FILL = 0xa5;
export const UNWRITTEN_FILL = 0xcc;

/** Fills `memory` (capacity + GUARD_BYTES long) as a fresh callee buffer. */
export function prepareCalleeMemory(memory: Buffer, capacity: number): Buffer {
  memory.fill(UNWRITTEN_FILL, 0, capacity);
  memory.fill(GUARD_FILL, capacity);
  return memory;
}

export function guardIntact(memory: Buffer, capacity: number): boolean {
  for (let i = capacity; i < memory.length; i++) if (memory[i] !== GUARD_FILL) return false;
  return true;
}
