/**
 * Remembers which row first used each username, to refuse later repeats, in about 18 bytes a
 * username however long it is: a 64-bit hash (two independent 32-bit hashes) and the row, 12 bytes
 * a slot, in open-addressing tables of typed arrays. A `Map<string, number>` held every username
 * string and grew the heap by about 84 MB a million rows.
 * Two different usernames share a 64-bit hash with odds of about 1 in 10^7 for a million rows.
 *
 * The table is split into 64 shards that grow on their own, by half, at three quarters full: one
 * growth copies 1/64 of the whole, never the whole (a single table doubling at a million rows held
 * 12 + 24 MB at once), and the shards start at staggered sizes so they do not all grow at the same
 * row: the total stays near 1.6 slots a username whatever the row count, where one table doubling
 * at half full swings between 2 and 4.
 */
export class UsernameRegistry {
  private readonly shards: Shard[] = [];

  constructor() {
    // Sizes spread evenly in log scale over one growth step, so shard growths are spread across rows.
    for (let i = 0; i < SHARDS; i++) this.shards.push(new Shard(Math.round(MIN_CAPACITY * GROWTH ** (i / SHARDS))));
  }

  /** Notes `row` as the first user of `username`; returns the earlier row when it was used before. */
  claim(username: string, row: number): number | undefined {
    // FNV-1a and a murmur-style mix over the UTF-16 code units: two independent 32-bit hashes.
    let fnv = 0x811c9dc5;
    let mix = 0x9747b28c ^ username.length;
    for (let i = 0; i < username.length; i++) {
      const code = username.charCodeAt(i);
      fnv = Math.imul(fnv ^ code, 0x01000193);
      mix = Math.imul(mix ^ code, 0x5bd1e995);
      mix ^= mix >>> 15;
    }
    mix = Math.imul(mix ^ (mix >>> 13), 0x5bd1e995);
    mix ^= mix >>> 15;
    // The shard comes from the low bits of one hash, the slot from the high bits of both.
    return this.shards[mix & (SHARDS - 1)]!.claim(fnv >>> 0, mix >>> 0, row);
  }

  /** Slots held across all shards (for tests and measurements). */
  get capacity(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.capacity;
    return total;
  }

  /** Usernames held. */
  get size(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.size;
    return total;
  }
}

const SHARDS = 64;
const MIN_CAPACITY = 16;
/** A shard grows when more than this share of its slots is taken (linear probing stays short below it). */
const MAX_LOAD = 0.75;
const GROWTH = 1.5;
const TWO_TO_32 = 2 ** 32;

/** One open-addressing table with linear probing; slot `i` is `slots[3i..3i+2]` = high hash, low hash, row. */
class Shard {
  size = 0;
  private slots: Uint32Array;
  /** `capacity / 2^32`: maps a 32-bit hash onto a slot. */
  private scale: number;

  constructor(public capacity: number) {
    this.slots = new Uint32Array(capacity * 3);
    this.scale = capacity / TWO_TO_32;
  }

  claim(high: number, low: number, row: number): number | undefined {
    const slot = this.find(high, low);
    const existing = this.slots[slot + 2]!;
    if (existing !== 0) return existing;
    this.slots[slot] = high;
    this.slots[slot + 1] = low;
    this.slots[slot + 2] = row;
    if (++this.size > this.capacity * MAX_LOAD) this.grow();
    return undefined;
  }

  /** The index in `slots` of the hash's slot, or of the empty slot where it would go (row 0 marks empty; rows start at 1). */
  private find(high: number, low: number): number {
    const { slots } = this;
    const end = this.capacity * 3;
    // Multiply-shift onto [0, capacity): exact below 2^21 slots a shard (100 million usernames); the guard covers rounding above.
    let slot = ((((high ^ low) >>> 0) * this.scale) >>> 0) * 3;
    if (slot >= end) slot = end - 3;
    while (slots[slot + 2] !== 0 && (slots[slot] !== high || slots[slot + 1] !== low)) {
      slot += 3;
      if (slot === end) slot = 0;
    }
    return slot;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.slots = new Uint32Array(this.capacity * 3);
    this.scale = this.capacity / TWO_TO_32;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 2] === 0) continue;
      const slot = this.find(old[i]!, old[i + 1]!);
      this.slots[slot] = old[i]!;
      this.slots[slot + 1] = old[i + 1]!;
      this.slots[slot + 2] = old[i + 2]!;
    }
    // A dropped table's memory is outside the JS heap and returns only when its (long-lived, so
    // old-generation) owner is collected, which a full GC may not do for tens of MB. Handing the memory
    // to a fresh, short-lived owner lets the next minor GC (every few ms while reading) return it.
    structuredClone(old, { transfer: [old.buffer as ArrayBuffer] });
  }
}
