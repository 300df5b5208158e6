/**
 * Remembers which row first used each key, to refuse later repeats: the usernames of a file, and the
 * contact keys (name, email and phone) of its rows without a username. Keys are compared without case
 * or accents.
 * About 16 bytes a key however long it is: a 64-bit hash (two independent 32-bit hashes) and the row,
 * 12 bytes a slot, in open-addressing tables of typed arrays. A `Map<string, number>` held every
 * username string and grew the heap by about 84 MB a million rows.
 * Two different keys share a 64-bit hash with odds of about 1 in 10^7 for a million rows.
 *
 * The table is split into 64 shards that grow on their own, by a quarter, at 85% full: one growth
 * copies 1/64 of the whole, never the whole (a single table doubling at a million rows held 12 + 24
 * MB at once), and the shards start at staggered sizes so they do not all grow at the same row:
 * the total stays near 1.3 slots a key whatever the row count, where one table doubling at
 * half full swings between 2 and 4. Each shard keeps its slots in hash order (ordered linear
 * probing), so a search stops at the first larger hash and stays short even that full.
 */
export class FirstRowRegistry {
  private readonly shards: Shard[] = [];
  /**
   * Whether the key the last `claim` took is written as keys are compared (ASCII without capitals):
   * its spelling is then that of any key equal to it. A field, not a second return value: no object a row.
   */
  plain = true;

  constructor() {
    // Sizes spread evenly in log scale over one growth step, so shard growths are spread across rows.
    for (let i = 0; i < SHARDS; i++) this.shards.push(new Shard(Math.round(MIN_CAPACITY * GROWTH ** (i / SHARDS))));
  }

  /**
   * Notes `row` as the first user of `key` (a username, a contact key); returns the earlier row when
   * it was used before. Keys are compared without case (as `toLowerCase` folds them) or accents
   * (`josé.luis` repeats `Jose.Luis`): an API whose logins compare so, as a database's
   * case-insensitive collation does, would take the second student for the first.
   */
  claim(key: string, row: number): number | undefined {
    // FNV-1a and a murmur-style mix over the UTF-16 code units: two independent 32-bit hashes.
    // ASCII letters are folded while hashing, in one pass; a key with other characters is lowered
    // and stripped of its accents first and hashed again (a new string for every row cost more than
    // the hashing, and a separate ASCII check before the hash, a second pass over the text, a third
    // of it).
    let text = key;
    let lowered = false;
    let plain = true;
    let fnv = 0x811c9dc5;
    let mix = 0x9747b28c ^ text.length;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code > 127 && !lowered) {
        text = foldedKey(key);
        lowered = true;
        plain = false;
        fnv = 0x811c9dc5;
        mix = 0x9747b28c ^ text.length;
        i = -1;
        continue;
      }
      if (code >= 65 && code <= 90) {
        code += 32; // A-Z to a-z
        plain = false;
      }
      fnv = Math.imul(fnv ^ code, 0x01000193);
      mix = Math.imul(mix ^ code, 0x5bd1e995);
      mix ^= mix >>> 15;
    }
    mix = Math.imul(mix ^ (mix >>> 13), 0x5bd1e995);
    mix ^= mix >>> 15;
    this.plain = plain;
    // The shard comes from the low bits of one hash, the slot from the high bits of both; (key, low) holds all 64 bits.
    return this.shards[mix & (SHARDS - 1)]!.claim((fnv ^ mix) >>> 0, mix >>> 0, row);
  }

  /** Slots held across all shards, spare ones at the ends included (for tests and measurements). */
  get capacity(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.slotCount;
    return total;
  }

  /** Keys held. */
  get size(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.size;
    return total;
  }
}

const COMBINING_MARKS = /\p{M}/gu;

/** A key as `FirstRowRegistry` compares it: without accents, in lower case (`josé.Luis` → `jose.luis`). */
export function foldedKey(key: string): string {
  return key.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}
const SHARDS = 64;
const MIN_CAPACITY = 16;
/** A shard grows when more than this share of its slots is taken. */
const MAX_LOAD = 0.85;
const GROWTH = 1.25;
/** Slots past a shard's capacity, where the last runs spill over instead of wrapping round to the start. */
const SPARE = 32;
const TWO_TO_32 = 2 ** 32;

/**
 * One open-addressing table in hash order: slot `i` is `slots[3i..3i+2]` = key (the slot's hash),
 * low hash, row, with row 0 marking an empty slot (rows start at 1). A hash's home slot is
 * `key * capacity / 2^32`, so home slots rise with the key; every entry sits at or after its home
 * with no empty slot in between, and entries are sorted by (key, low). The last slot stays empty
 * as the end mark of every run.
 */
class Shard {
  size = 0;
  private slots: Uint32Array;
  /** `capacity / 2^32`: maps a key onto its home slot. */
  private scale: number;

  constructor(private capacity: number) {
    this.slots = new Uint32Array((capacity + SPARE) * 3);
    this.scale = capacity / TWO_TO_32;
  }

  /** Slots held, spare ones included. */
  get slotCount(): number {
    return this.slots.length / 3;
  }

  claim(key: number, low: number, row: number): number | undefined {
    const { slots } = this;
    // Multiply-shift: exact below 2^21 slots a shard (120 million usernames), and always below capacity.
    let at = Math.min(this.capacity - 1, Math.floor(key * this.scale)) * 3;
    // Walk the run past every smaller hash: the first slot that is empty or holds a hash ≥ ours.
    while (slots[at + 2] !== 0 && (slots[at]! < key || (slots[at] === key && slots[at + 1]! < low))) at += 3;
    if (slots[at + 2] !== 0 && slots[at] === key && slots[at + 1] === low) return slots[at + 2];
    let empty = at;
    while (slots[empty + 2] !== 0) empty += 3;
    if (empty === slots.length - 3) {
      // The run would fill the end mark: grow first (rare; the spare slots take the usual spill-over).
      this.grow();
      return this.claim(key, low, row);
    }
    for (let i = empty + 2; i >= at + 3; i--) slots[i] = slots[i - 3]!; // make room, keeping the order (shorter than copyWithin's call)
    slots[at] = key;
    slots[at + 1] = low;
    slots[at + 2] = row;
    if (++this.size > this.capacity * MAX_LOAD) this.grow();
    return undefined;
  }

  /** Re-lays the entries, still in order, into a table a quarter larger: one pass, no searching. */
  private grow(): void {
    const old = this.slots;
    for (let factor = GROWTH; ; factor *= GROWTH) {
      const capacity = Math.ceil(this.capacity * factor);
      const scale = capacity / TWO_TO_32;
      const slots = new Uint32Array((capacity + SPARE) * 3);
      const endMark = slots.length - 3;
      let next = 0; // the first free slot after the entries placed so far
      for (let i = 0; i < old.length && next < endMark; i += 3) {
        if (old[i + 2] === 0) continue;
        const at = Math.max(next, Math.min(capacity - 1, Math.floor(old[i]! * scale)) * 3);
        slots[at] = old[i]!;
        slots[at + 1] = old[i + 1]!;
        slots[at + 2] = old[i + 2]!;
        next = at + 3;
      }
      if (next >= endMark) continue; // spilled onto the end mark: lay out again, larger
      this.capacity = capacity;
      this.scale = scale;
      this.slots = slots;
      break;
    }
    // A dropped table's memory is outside the JS heap and returns only when its (long-lived, so
    // old-generation) owner is collected, which a full GC may not do for tens of MB. Handing the memory
    // to a fresh, short-lived owner lets the next minor GC (every few ms while reading) return it.
    structuredClone(old, { transfer: [old.buffer as ArrayBuffer] });
  }
}
