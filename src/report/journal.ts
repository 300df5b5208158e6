import { closeSync, existsSync, fdatasync, fdatasyncSync, fsyncSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ImportError } from '../errors/index.js';
import { shownUrl } from '../logger.js';
import { narrowIfFile, outputError } from './file-sink.js';
import { IdDigests } from './id-digests.js';

/** The outcomes a journal confirms: those a resumed run keeps without sending the row again. */
const CONFIRMED_STATUSES = ['created', 'exists', 'updated', 'unchanged'] as const;
type ConfirmedStatus = (typeof CONFIRMED_STATUSES)[number];
const isConfirmedStatus = (value: unknown): value is ConfirmedStatus => CONFIRMED_STATUSES.includes(value as ConfirmedStatus);

/** What a journal remembers of one row. */
export interface JournalRecord {
  status?: ConfirmedStatus;
  customerId?: string;
  /** A request that may create or change the customer was sent and its outcome never confirmed. */
  attempted?: boolean;
  /** When the first such request was sent (ms since the epoch); absent in journals of older versions. */
  attemptedAt?: number;
  /** Sent without a username: its customer cannot be found again. */
  withoutUsername?: boolean;
  /** Every such request was an update of a customer that was there (upsert's PATCH): none can have created it. */
  updateOnly?: boolean;
  /**
   * A row without a username whose latest try was answered with a server error (5xx, not a 504): the
   * service answered it, no answer was lost on the way. A later run may send it again (see `Sender.create`).
   */
  serverError?: boolean;
  /** A row without a username: a fingerprint of its name, email and phone (see `Journal.contacts`). */
  contact?: string;
  /** The confirmed row's note (its report's `error` column), for a resumed run's report to show it again. */
  note?: string;
}

/** A customer an earlier run under the same report name created without a username, by its row's name, email and phone. */
export interface EarlierContact {
  customerId?: string;
  /** Sent and its answer lost: it may have been created. */
  unknown: boolean;
  /** When such a row was first sent (our clock): a customer created since may be its, and is looked for. */
  at?: number;
  /** Every try of such a row was answered with a server error (see `JournalRecord.serverError`). */
  serverError?: boolean;
}

/** A fingerprint kept for the organization it was created in (see `EarlierRun.carry`). */
export interface CarriedContact extends EarlierContact {
  contact: string;
  /** The API URL and key (its hash) the customer was created with. */
  scope: string;
}

/** The organization a journal's customers were created in: its API URL and key. */
function scopeOf(identity: JournalIdentity): string {
  return `${identity.apiUrl}\u0000${identity.keySha256}`;
}

/** A carried customer's scope as `scopeOf` writes it now: its API URL spelled as `shownUrl` does (a journal of before 7fe011b spelled it as given). */
function canonicalScope(scope: string): string {
  const cut = scope.lastIndexOf('\u0000');
  return cut === -1 ? scope : `${shownUrl(scope.slice(0, cut))}${scope.slice(cut)}`;
}

/** What a request about to be sent for a row may do, for the journal. */
export interface AttemptKind {
  /** The row has no username: its customer cannot be found again. */
  withoutUsername?: boolean;
  /** An update of a customer that exists (a PATCH), which creates nothing. */
  update?: boolean;
  /** The row's name, email and phone, fingerprinted: a later run under the same report name knows the customer by it. */
  contact?: string;
}

/**
 * Identifies the run a journal belongs to. A row number means the same customer only for the same
 * rows (the input's content, the sheet read), read into the same payloads (mapping, header row,
 * default country), sent to the same place (API URL, key) in the same mode: a run differing in any
 * of these resumes nothing, or it would report rows as done that it never sent.
 */
export interface JournalIdentity {
  inputSha256: string;
  mode: string;
  /** The workbook sheet read; absent for a CSV. */
  sheet?: string;
  apiUrl: string;
  /** A fingerprint of the API key (the start of its SHA-256), never the key: another key is another organization. */
  keySha256: string;
  /** A fingerprint of how the columns become payloads: header row, mapping, default country. */
  mappingSha256: string;
}

/** Why a journal of another run is not resumed, by the first part of the identity that differs. */
const DIFFERENCES: [keyof JournalIdentity, (was: JournalIdentity, now: JournalIdentity) => string][] = [
  ['inputSha256', () => 'the input file changed since the unfinished run that wrote this journal'],
  ['sheet', (was, now) => `the unfinished run that wrote this journal read ${sheetName(was)}, this one reads ${sheetName(now)}`],
  ['mode', (was, now) => `the unfinished run that wrote this journal was in ${was.mode} mode, this one is in ${now.mode} mode`],
  ['apiUrl', (was, now) => `the unfinished run that wrote this journal sent to ${was.apiUrl}, this one sends to ${now.apiUrl}`],
  ['keySha256', () => 'the unfinished run that wrote this journal used another API key'],
  ['mappingSha256', () => 'the unfinished run that wrote this journal mapped the columns differently (the mapping, the header row or --default-country)'],
];

const sheetName = (identity: JournalIdentity) => (identity.sheet === undefined ? 'no sheet' : `sheet ${JSON.stringify(identity.sheet)}`);

/** What opening a journal found. */
export interface OpenedJournal {
  journal: Journal;
  /** Rows of an earlier run of the same input, by row number. */
  previous: Map<number, JournalRecord>;
  /** Why an existing journal was not resumed, if it was not. */
  discarded?: string;
}

/** What an earlier run's journal means for this run. */
export interface EarlierRun {
  /** Its rows, when this run resumes it. */
  previous: Map<number, JournalRecord>;
  resume: boolean;
  /** Why an unfinished journal is not resumed, if it is not (`the input file changed since …`). */
  discarded?: string;
  /**
   * Rows without a username a discarded journal sent (confirmed, or sent without an answer) from the
   * same sheet, in the same mode, to the same API and organization as this run (or from a journal
   * that does not say which run wrote it), by row number in order: named in the refusal, since the
   * report of a run killed on the way (`kill -9`, a power cut) holds only the rows it had flushed.
   */
  sentWithoutUsername: number[];
  /** The first part of the identity that differs, when discarded for that. */
  differs?: keyof JournalIdentity;
  /**
   * Customers created without a username by an earlier run that reached its end, from the same
   * sheet, in the same mode, to the same API and organization: an import of the file again would
   * create each a second time. `unknown`: rows of it sent whose answer was lost (outcome unknown),
   * whose customers may be there too. `unfingerprinted`: how many of both the journal does not know
   * by their name, email and phone (written by a version before fingerprints, a row with a name
   * alone, a name column of given names only): a file holding them again creates them again.
   * `sameFile` when that run read these very bytes. `serverError`: how many of the `unknown` were
   * answered with a server error, which a later run may send again (see `Sender.create`).
   */
  finishedWithoutUsername?: { created: number; unknown: number; unfingerprinted: number; sameFile: boolean; serverError: number };
  /**
   * Whether the run that wrote the journal, which reached its end, read these very bytes: set for
   * any finished journal. A night that created no customer without a username (every row found)
   * has no `finishedWithoutUsername`, while `contacts` still knows those earlier runs created.
   */
  finishedSameFile?: boolean;
  /** Its last line was cut (a full disk, a crash mid-write). */
  endsCut: boolean;
  /**
   * Customers created without a username (or whose create's answer was lost) by the runs that wrote
   * to this journal, in create mode to the same API and organization, by the fingerprint of their
   * row's name, email and phone: a later file under the same report name that holds one of them
   * again (the original roster with its refused rows fixed, tonight's export) must not create it a
   * second time. Carried from journal to journal, so the knowledge outlives the file that created them.
   */
  contacts: Map<string, EarlierContact>;
  /**
   * Every fingerprint the earlier journal knew, of this organization and of others (a run to the
   * sandbox, or in upsert mode, under the same report name): the fresh journal keeps them all, so
   * a run in between does not make the next create run forget what it created.
   */
  carry: CarriedContact[];
  /**
   * Customers the run that wrote the journal matched by username (created, found or updated, or sent
   * with a username and never answered), from the same sheet to the same API and organization, in
   * either mode: a file without a username column would create each of them it holds again.
   */
  sentWithUsername: number;
  /**
   * Rows without a username an unfinished run of another version of the file sent, all of them
   * known by their fingerprint (`contacts`): a fresh run need not be refused for them (the office
   * stopped the import, fixed the refused rows in the file itself, and ran it again).
   */
  knownWithoutUsername?: number;
  /**
   * The customers the runs under this report name confirmed (created, found, updated or unchanged),
   * in the same organization (API URL and key), whatever the sheet or mode: the journal's own rows'
   * and those it carried over from the journal before it (`carryIds`). All were there before this
   * run, so a create answered with one of them created nothing (see `Sender.knowEarlier`).
   */
  confirmedIds: IdDigests;
  /**
   * Every customer id the earlier journal knew confirmed, by organization (`scopeOf`), each once: the
   * fresh journal keeps them all. Kept only the ids of its own rows, a run stopped part-way knew
   * none the night before confirmed, and the run resuming it reported those customers `created`.
   */
  carryIds: Map<string, string[]>;
}

const SYNC_EVERY_MS = 200;
/** How much of the carried fingerprints is written at a time: a megabyte, some 8,000 lines. */
const CARRY_CHUNK_CHARS = 1 << 20;
/** Carried customer ids a journal line holds: some 28 kB. */
const IDS_A_LINE = 1000;

/**
 * The crash-safe memory of a run: one JSON line per fact, written with a synchronous append so a
 * `kill -9` loses nothing already written, and synced to disk every 200 ms so a power cut loses at
 * most about that much. The sync runs off the event loop (a busy disk takes milliseconds to sync,
 * and answers arriving meanwhile would wait); appends go on while it runs. A create is journaled as attempted before it is sent, so a resumed
 * run knows to look its username up instead of creating it twice.
 */
export class Journal {
  private lastSync = Date.now();
  /** The sync in progress, if any. */
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /**
   * Opens the journal at `path` for the run `identity`. An unfinished journal of the same run (every
   * part of the identity equal) is resumed, unless `restart`; any other is replaced, and `discarded`
   * says why when it was unfinished.
   */
  static open(path: string, identity: JournalIdentity, restart: boolean, earlier: EarlierRun = Journal.read(path, identity, restart)): OpenedJournal {
    const { previous, discarded, resume, endsCut } = earlier;
    if (!resume) return { journal: Journal.replace(path, identity, earlier.carry, earlier.carryIds), previous, ...(discarded ? { discarded: `${discarded}: starting a fresh run` } : {}) };
    const fd = openJournalFile(path, path, 'a');
    const journal = new Journal(path, fd);
    try {
      // A line cut by a full disk or a crash ends the file: the next record starts on a line of its own.
      if (endsCut) journal.write('\n');
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return { journal, previous, ...(discarded ? { discarded: `${discarded}: starting a fresh run` } : {}) };
  }

  /**
   * A fresh journal: its first line and every fingerprint carried over from the earlier one (see
   * `EarlierRun.carry`), written whole beside it and renamed over it once on disk. Truncated in
   * place, the earlier journal was gone until the carried lines were all written again: a `kill
   * -9`, a power cut or a full disk in between lost the fingerprints of the customers created
   * without a username, and the next run created them a second time. A path that is not a regular
   * file (a device, a symlink) is written in place, as it must not be replaced.
   */
  private static replace(path: string, identity: JournalIdentity, carry: CarriedContact[], carryIds: Map<string, string[]>): Journal {
    const atomic = isRegularOrAbsent(path);
    const target = atomic ? `${path}.new` : path;
    const fd = openJournalFile(path, target, 'w');
    const journal = new Journal(path, fd);
    try {
      journal.append({ journal: 1, ...identity, startedAt: new Date().toISOString() });
      journal.carryAll(carry);
      journal.carryIds(carryIds);
      if (atomic) {
        fdatasyncSync(fd); // on disk before it takes the earlier journal's place
        renameSync(target, path);
        syncFolder(path);
      }
    } catch (error) {
      closeSync(fd);
      if (atomic) removeQuietly(target); // the earlier journal is left as it was
      throw outputError(path, error);
    }
    return journal;
  }

  /**
   * What an unfinished journal of the same run holds, without opening it for writing: for a run
   * stopped before it could open its own (interrupted during the key check), whose report still
   * shows what the earlier run did.
   */
  static read(path: string, identity: JournalIdentity, restart: boolean): EarlierRun {
    const none = {
      previous: new Map<number, JournalRecord>(),
      resume: false,
      endsCut: false,
      sentWithoutUsername: [],
      sentWithUsername: 0,
      contacts: new Map<string, EarlierContact>(),
      carry: [] as CarriedContact[],
      confirmedIds: IdDigests.of([]),
      carryIds: new Map<string, string[]>(),
    };
    if (!existsSync(path) || restart) return none;
    const loaded = readJournal(path);
    const was = loaded.identity;
    const sent = (record: JournalRecord) => record.status !== undefined || record.attempted === true;
    const sameOrganization = was !== undefined && was.apiUrl === identity.apiUrl && was.keySha256 === identity.keySha256;
    // The same sheet's rows sent to the same organization, in any mode.
    const sameTarget = sameOrganization && was.sheet === identity.sheet;
    // Customers confirmed in the journal's organization, with those it carried (of any organization).
    const ids = loaded.ids;
    const confirmed = was === undefined ? [] : ids.get(scopeOf(was)) ?? [];
    if (was !== undefined) ids.set(scopeOf(was), confirmed);
    for (const record of loaded.records.values()) {
      if (was !== undefined && record.status !== undefined && record.customerId !== undefined) confirmed.push(record.customerId);
      // Rows sent with a username (no `noUsername` on their tries, no fingerprint of a customer created
      // without one): a file that lost its username column holds the same customers, unmatchable.
      if (sameTarget && record.withoutUsername !== true && record.contact === undefined && sent(record)) none.sentWithUsername++;
    }
    for (const [scope, held] of ids) ids.set(scope, eachOnce(held));
    none.carryIds = ids;
    none.confirmedIds = IdDigests.of(ids.get(scopeOf(identity)) ?? []);
    // Rows of the same sheet sent to the same organization in the same mode: those without a username would be created again.
    const sameRows = sameTarget && was.mode === identity.mode;
    // Customers that journal knows by name, email and phone, by the organization they were created
    // in: used when it is this run's (in create mode, whatever the sheet), kept for the next run in any case.
    if (was !== undefined) {
      const all = new Map<string, CarriedContact>();
      const scope = scopeOf(was); // a carried line without one is the previous version's, of its own journal's scope
      for (const carried of loaded.contacts) {
        const of = carried.scope ?? scope;
        all.set(`${of}\u0000${carried.contact}`, { ...carried, scope: of });
      }
      if (was.mode === 'create') {
        for (const record of loaded.records.values()) {
          if (record.contact === undefined) continue;
          const key = `${scope}\u0000${record.contact}`;
          if (record.status === 'created' || record.status === 'exists') all.set(key, { contact: record.contact, scope, ...(record.customerId ? { customerId: record.customerId } : {}), unknown: false });
          // Sent and its answer lost: known as such unless already so (the earliest send is the wider
          // look-up). Over a carried customer too: a row the journal knew is sent only once Quentli
          // no longer holds that one (see `Sender.stillHeld`), and the create that followed may have
          // landed; kept as the gone customer, the next run found it gone and created it once more.
          // A server error only while every try was answered so: a lost one may have written it.
          else if (record.attempted && record.withoutUsername) {
            const carried = all.get(key);
            if (carried?.unknown !== true) {
              all.set(key, { contact: record.contact, scope, unknown: true, ...(record.attemptedAt !== undefined ? { at: record.attemptedAt } : {}), ...(record.serverError ? { serverError: true } : {}) });
            } else if (carried.serverError && !record.serverError) {
              all.set(key, { ...carried, serverError: false });
            }
          }
        }
      }
      none.carry = [...all.values()];
      if (identity.mode === 'create') {
        const ours = scopeOf(identity);
        for (const { contact, scope: of, ...known } of none.carry) if (of === ours) none.contacts.set(contact, known);
      }
    }
    // A run that reached its end has nothing to resume: the next one checks Quentli afresh, which
    // finds no customer it created without a username.
    const sentWithoutUsername = (counted: (record: JournalRecord) => boolean, anyRun = false): number[] => {
      const rows: number[] = [];
      if (sameRows || anyRun) for (const [row, record] of loaded.records) if (record.withoutUsername && counted(record)) rows.push(row);
      return rows.sort((a, b) => a - b);
    };
    // Sent and never confirmed nor known unwritten: the answer was lost ("outcome unknown"), and the customer may be there.
    const answerLost = (record: JournalRecord) => record.status === undefined && record.attempted === true;
    if (loaded.complete) {
      const created = sentWithoutUsername((record) => record.status === 'created').length;
      const unknown = sentWithoutUsername(answerLost).length;
      const unfingerprinted = sentWithoutUsername((record) => record.contact === undefined && (record.status === 'created' || answerLost(record))).length;
      const serverError = sentWithoutUsername((record) => answerLost(record) && record.serverError === true).length;
      const sameFile = was !== undefined && was.inputSha256 === identity.inputSha256;
      return created + unknown > 0
        ? { ...none, finishedWithoutUsername: { created, unknown, unfingerprinted, sameFile, serverError }, finishedSameFile: sameFile }
        : { ...none, finishedSameFile: sameFile };
    }
    // A journal whose first line is lost (cut by a power failure as it was written, damaged by
    // hand) may still be this run's: the rows it sent without a username are not created again unasked.
    if (was === undefined) return { ...none, discarded: 'the journal does not say which run wrote it', sentWithoutUsername: sentWithoutUsername(sent, true) };
    const difference = DIFFERENCES.find(([part]) => was[part] !== identity[part]);
    if (difference) {
      const rows = sentWithoutUsername(sent);
      // Only the file's content differs (same mapping, so the same fingerprints), and the journal
      // knows every such row by its fingerprint: the fresh run finds them there instead of creating them again.
      const onlyInput = DIFFERENCES.every(([part]) => part === 'inputSha256' || was[part] === identity[part]);
      if (rows.length > 0 && onlyInput && rows.every((row) => loaded.records.get(row)!.contact !== undefined)) {
        return { ...none, discarded: difference[1](was, identity), sentWithoutUsername: [], differs: difference[0], knownWithoutUsername: rows.length };
      }
      return { ...none, discarded: difference[1](was, identity), sentWithoutUsername: rows, differs: difference[0] };
    }
    return { ...none, previous: loaded.records, resume: true, endsCut: loaded.endsCut };
  }

  /** Notes that the run reached its end: every row was reported, nothing is left to resume. */
  complete(): void {
    this.append({ complete: true });
  }

  /** Notes that a request which may write is about to be sent for `row`, a create without a username flagged. */
  attempted(row: number, kind: AttemptKind = {}): void {
    this.append({ row, attempt: true, at: Date.now(), ...(kind.withoutUsername ? { noUsername: true } : {}), ...(kind.update ? { update: true } : {}), ...(kind.contact ? { contact: kind.contact } : {}) });
  }

  /**
   * Writes the fingerprints carried over from the earlier journal, a megabyte at a time: a line a
   * write took a million rows' worth of system calls. Written before the file replaces the earlier
   * one (`replace`), so a write cut short loses nothing.
   */
  private carryAll(carry: readonly CarriedContact[]): void {
    this.writeLines(carry, (earlier) => ({
      contact: earlier.contact,
      scope: earlier.scope,
      ...(earlier.customerId ? { id: earlier.customerId } : {}),
      ...(earlier.unknown ? { unknown: true } : {}),
      ...(earlier.at !== undefined ? { at: earlier.at } : {}),
      ...(earlier.serverError ? { serverError: true } : {}),
    }));
  }

  /** Writes the customer ids carried over from the earlier journal (see `EarlierRun.carryIds`), IDS_A_LINE a line. */
  private carryIds(carryIds: Map<string, string[]>): void {
    for (const [scope, ids] of carryIds) this.writeLines(slicesOf(ids, IDS_A_LINE), (slice) => ({ scope, ids: slice }));
  }

  /** Writes a JSON line for each item, CARRY_CHUNK_CHARS at a time (see `carryAll`). */
  private writeLines<T>(items: Iterable<T>, record: (item: T) => object): void {
    let text = '';
    for (const item of items) {
      text += `${JSON.stringify(record(item))}\n`;
      if (text.length >= CARRY_CHUNK_CHARS) {
        this.write(text);
        text = '';
      }
    }
    if (text !== '') this.write(text);
  }

  /**
   * Notes that every try sent for `row` so far wrote nothing: each was answered without writing (a
   * 429, a refusal) or never reached the server. Without it, a row with no username stopped while
   * it waited to retry was failed for good on resume as "outcome unknown".
   */
  nothingWritten(row: number): void {
    this.append({ row, unwritten: true });
  }

  /** Notes that the try just sent for `row`, a create without a username, was answered with this server error (see `JournalRecord.serverError`). */
  serverError(row: number, status: number): void {
    this.append({ row, serverError: status });
  }

  /**
   * Notes a confirmed outcome (with the row's fingerprint, for a row without a username known from an
   * earlier run, and its note: a resumed run's report shows it as the run that confirmed it did).
   */
  confirmed(row: number, status: NonNullable<JournalRecord['status']>, customerId: string | undefined, contact?: string, note?: string): void {
    this.append({ row, status, ...(customerId ? { id: customerId } : {}), ...(contact ? { contact } : {}), ...(note ? { note } : {}) });
  }

  /** Syncs and closes the file, after the sync in progress: the file stays open until it is done. */
  async close(): Promise<void> {
    await this.syncing;
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      throw outputError(this.path, error);
    } finally {
      closeSync(this.fd); // a sync that fails (a full disk, EIO) must not leak the descriptor
    }
  }

  /**
   * Writes text whole, or throws an `ImportError` (`output`): a full disk may take part of a line
   * without an error, and a row sent after a cut "attempted" line would be sent again on resume.
   */
  private write(text: string): void {
    try {
      const bytes = Buffer.from(text);
      const written = writeSync(this.fd, bytes);
      if (written !== bytes.length) throw new Error(`the disk took ${written} of ${bytes.length} bytes: full, or over a size limit`);
    } catch (error) {
      throw outputError(this.path, error);
    }
  }

  /** Appends one line; throws an `ImportError` (`output`) when it cannot: a run must not go on unrecorded. */
  private append(record: object): void {
    this.write(`${JSON.stringify(record)}\n`);
    const now = Date.now();
    if (this.syncing === undefined && now - this.lastSync >= SYNC_EVERY_MS) {
      this.lastSync = now;
      // A failed sync is not lost: the final synchronous one in close() fails the same way, loudly.
      this.syncing = new Promise((resolve) => fdatasync(this.fd, () => resolve()));
      void this.syncing.then(() => (this.syncing = undefined));
    }
  }
}

/** `items` in slices of `size`, the last one shorter. */
function* slicesOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** A carried line as read: `scope` absent in a journal of the version before (that journal's own). */
type ReadContact = EarlierContact & { contact: string; scope?: string };

function readJournal(path: string): { identity?: JournalIdentity; records: Map<number, JournalRecord>; contacts: ReadContact[]; ids: Map<string, string[]>; complete: boolean; endsCut: boolean } {
  const records = new Map<number, JournalRecord>();
  const contacts: ReadContact[] = [];
  /** Customer ids carried over from earlier journals, by organization. */
  const ids = new Map<string, string[]>();
  const notes = new Map<string, string>();
  let identity: JournalIdentity | undefined;
  let complete = false;
  const lines = journalLines(path);
  for (const line of lines) {
    if (!line) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // a line cut by a crash mid-write
    }
    if (entry.journal === 1) {
      identity = {
        inputSha256: String(entry.inputSha256),
        mode: String(entry.mode),
        ...(typeof entry.sheet === 'string' ? { sheet: entry.sheet } : {}),
        // Shown masked since this version: a journal of 94c0c1d holds the URL with its credentials, and must still match it (and never quote them).
        // Spelled as `URL` does since 7fe011b: one written before with `https://API.quentli.com/v1` is this API's still.
        apiUrl: shownUrl(String(entry.apiUrl)),
        keySha256: String(entry.keySha256),
        mappingSha256: String(entry.mappingSha256),
      };
      continue;
    }
    if (entry.complete === true) complete = true;
    // A status this version does not write (a journal edited by hand, or damaged) would reach the
    // report as its status word: the line is read as unreadable, as one cut by a crash is.
    if (entry.status !== undefined && !isConfirmedStatus(entry.status)) continue;
    if (typeof entry.row !== 'number') {
      // Customers confirmed by earlier runs, carried over.
      if (Array.isArray(entry.ids) && typeof entry.scope === 'string') {
        const scope = canonicalScope(entry.scope);
        const held = ids.get(scope) ?? [];
        ids.set(scope, held);
        for (const id of entry.ids) if (typeof id === 'string') held.push(id);
        continue;
      }
      // A customer carried over from an earlier run's journal.
      if (typeof entry.contact === 'string') {
        contacts.push({
          contact: entry.contact,
          ...(typeof entry.scope === 'string' ? { scope: canonicalScope(entry.scope) } : {}),
          ...(typeof entry.id === 'string' ? { customerId: entry.id } : {}),
          unknown: entry.unknown === true,
          ...(typeof entry.at === 'number' ? { at: entry.at } : {}),
          ...(entry.serverError === true ? { serverError: true } : {}),
        });
      }
      continue;
    }
    // Every record in one shape, never a property deleted: a million of them in dictionary mode took
    // hundreds of MB on a resume.
    let record = records.get(entry.row);
    if (record === undefined) {
      record = { status: undefined, customerId: undefined, attempted: false, attemptedAt: undefined, withoutUsername: undefined, updateOnly: undefined, serverError: undefined, contact: undefined, note: undefined };
      records.set(entry.row, record);
    }
    if (typeof entry.contact === 'string') record.contact = entry.contact;
    if (entry.attempt === true) {
      // Answered 5xx only when each try's own line says so: an earlier try that none followed was lost.
      if (entry.noUsername === true) record.serverError = record.attempted && record.serverError !== true ? false : undefined;
      record.attempted = true;
      if (entry.noUsername === true) record.withoutUsername = true;
      // The first try of all: a customer created after it may be ours, one created before is not.
      if (typeof entry.at === 'number' && record.attemptedAt === undefined) record.attemptedAt = entry.at;
      record.updateOnly = entry.update === true && record.updateOnly !== false;
    }
    if (typeof entry.serverError === 'number' && record.attempted && record.status === undefined && record.serverError === undefined) record.serverError = true;
    if (entry.unwritten === true && record.status === undefined) {
      record.attempted = false;
      record.attemptedAt = undefined;
      record.updateOnly = undefined;
      record.serverError = undefined;
    }
    if (entry.status !== undefined) {
      record.status = entry.status;
      if (typeof entry.id === 'string') record.customerId = entry.id;
      record.note = typeof entry.note === 'string' ? sameNote(notes, entry.note) : undefined;
      record.attempted = false;
      record.attemptedAt = undefined;
      record.updateOnly = undefined;
      record.serverError = undefined;
    }
  }
  return { ...(identity ? { identity } : {}), records, contacts, ids, complete, endsCut: lines.endsCut };
}

/** The ids sorted, each once (a Set of a million ids held some 60 MB more). */
function eachOnce(ids: string[]): string[] {
  ids.sort();
  let kept = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) ids[kept++] = ids[i]!;
  ids.length = kept;
  return ids;
}

/**
 * One string for each note text: every line's JSON.parse makes its own copy, and most rows of a
 * nightly run share a few notes (`Quentli holds another phoneNumber…`, `changed: phoneNumber`):
 * kept a copy a row, 200,000 of them held about 35 MB more on a resume.
 */
function sameNote(notes: Map<string, string>, note: string): string {
  const kept = notes.get(note);
  if (kept !== undefined) return kept;
  notes.set(note, note);
  return note;
}

/**
 * The journal's lines, read a megabyte at a time: a million rows' journal is over 100 MB, and read
 * whole, then split, a resume held it several times over (about 800 MB). `endsCut` is known once
 * every line was taken: the last one was not ended (a full disk, a crash mid-write).
 */
function journalLines(path: string): Iterable<string> & { endsCut: boolean } {
  const result = {
    endsCut: false,
    *[Symbol.iterator](): Generator<string> {
      const fd = openSync(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(1 << 20);
        const decoder = new StringDecoder('utf8');
        let carry = '';
        let last = 0x0a;
        for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
          last = buffer[read - 1]!;
          const lines = (carry + decoder.write(buffer.subarray(0, read))).split('\n');
          carry = lines.pop()!;
          yield* lines;
        }
        carry += decoder.end();
        if (carry) yield carry;
        result.endsCut = last !== 0x0a;
      } finally {
        closeSync(fd);
      }
    },
  };
  return result;
}

/**
 * Opens the journal `path` (or `target`, the file that replaces it) owner-only; a journal that
 * existed wider is narrowed, as the mode applies on create only. Throws an `ImportError` (`journal`).
 */
function openJournalFile(path: string, target: string, flags: 'a' | 'w'): number {
  try {
    const fd = openSync(target, flags, 0o600);
    narrowIfFile(fd);
    return fd;
  } catch (error) {
    throw new ImportError('journal', `${path}: cannot write the journal (${(error as NodeJS.ErrnoException).code})`, { cause: error });
  }
}

/** A regular file, or nothing yet: a journal that may be replaced by a rename. */
function isRegularOrAbsent(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return true;
  }
}

/** Makes a rename in `path`'s folder durable (a power cut right after it could undo it); best effort. */
function syncFolder(path: string): void {
  try {
    const fd = openSync(dirname(path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot sync a folder: the journal's own syncs still apply
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
