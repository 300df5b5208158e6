import { ImportError, InputFileError } from '../errors/index.js';
import { fileReason } from '../errors/file-reason.js';
import type { ResolvedMapping } from '../map/resolve-mapping.js';
import { Journal, type EarlierContact, type EarlierRun, type JournalIdentity, type JournalRecord } from '../report/journal.js';
import type { IdDigests } from '../report/id-digests.js';
import { hashFile, sameFile, sha256, type FileIdentity } from './file-hash.js';
import type { ImportEvent } from './options.js';
import type { RunSettings } from './settings.js';

/** What a run is, as its journal records it: where the identity's parts come from. */
export interface JournalIdentitySource {
  file: string;
  /** The input as the reader opened it; undefined when it could not be looked at. */
  inputAtStart: FileIdentity | undefined;
  settings: Pick<RunSettings, 'mode' | 'shownApiUrl' | 'apiKey' | 'defaultCountry'>;
  /** The workbook sheet read; undefined for a CSV. */
  sheet: string | undefined;
  headerRow: number;
  mapping: Pick<ResolvedMapping, 'columns' | 'labelled'>;
}

/**
 * Who this run is, for its journal: the input's content, what is read from it, where it goes.
 * Throws an `InputFileError` when the input changed since the reader opened it (a nightly export
 * landing by rename during the key check): its hash would not be of the rows read; or when it is gone.
 */
export async function journalIdentityOf(source: JournalIdentitySource): Promise<JournalIdentity> {
  const { file, inputAtStart, settings, sheet, headerRow, mapping } = source;
  let input: Awaited<ReturnType<typeof hashFile>>;
  try {
    input = await hashFile(file);
  } catch (error) {
    // Removed or moved during the key check (an export replaced by delete and write): a file
    // problem a program can branch on, not a bare ENOENT.
    throw new InputFileError(file, `${fileReason(error)} (it was read when the run started, then removed, moved or locked): nothing was sent; run the same command again once the export is complete`, { cause: error });
  }
  if (!input.steady || (inputAtStart && !sameFile(input.identity, inputAtStart))) {
    throw new InputFileError(file, 'changed while the run was starting (replaced, or still being written): nothing was sent; run the same command again once the export is complete');
  }
  return {
    inputSha256: input.sha256,
    mode: settings.mode,
    ...(sheet !== undefined ? { sheet } : {}),
    apiUrl: settings.shownApiUrl,
    keySha256: sha256(settings.apiKey!).slice(0, 16),
    mappingSha256: sha256(JSON.stringify({ headerRow, columns: mapping.columns, labelled: mapping.labelled, defaultCountry: settings.defaultCountry })),
  };
}

/** What this run is, for deciding what an earlier run under the same report name means for it. */
export interface EarlierRunContext {
  journalPath: string;
  mode: RunSettings['mode'];
  /** Whether the file has a username column (mapped to `username`). */
  hasUsernameColumn: boolean;
  /** How the run says a warning. */
  emit: (event: ImportEvent) => void;
}

/** The journal a real run writes, and what it knows of the runs before it. */
export interface RunJournal {
  journal: Journal;
  /** Rows of the unfinished run this one resumes, by row number (empty for a fresh run). */
  previous: Map<number, JournalRecord>;
  /** Customers earlier runs under this report name created without a username, by their row's fingerprint. */
  earlierContacts: Map<string, EarlierContact>;
  /** Customers the journal's run confirmed in this organization (`EarlierRun.confirmedIds`); none after `--restart`. */
  confirmedIds: IdDigests;
}

/**
 * Opens the journal of a real run: resumes the unfinished run of the same input, or starts fresh,
 * after refusing (an `ImportError` with code `journal`) a fresh run that would create customers of
 * the earlier run a second time, and warning where it only might. Emits `resume` when it resumes.
 */
export function openRunJournal(identity: JournalIdentity, restart: boolean, context: EarlierRunContext): RunJournal {
  const { journalPath, emit } = context;
  const earlier = Journal.read(journalPath, identity, restart);
  checkEarlierRun(earlier, context);
  const opened = Journal.open(journalPath, identity, restart, earlier);
  // A fresh journal replaces the earlier one keeping what it knew of such customers, for the run after this one (Journal.open).
  if (opened.discarded) emit({ type: 'warning', message: `${journalPath}: ${opened.discarded}` });
  if (earlier.knownWithoutUsername) {
    const n = earlier.knownWithoutUsername;
    emit({
      type: 'warning',
      message: `${journalPath}: the unfinished run sent ${n} ${n === 1 ? 'row' : 'rows'} without a username; a row of this file with the same name, email and phone is not sent again (\`exists\`, or \`failed\` when its answer was lost), but one changed since (a corrected name, email or phone) is created a second time`,
    });
  }
  const { previous } = opened;
  if (previous.size > 0) {
    const confirmed = [...previous.values()].filter((record) => record.status).length;
    emit({ type: 'resume', journalPath, confirmedRows: confirmed, unconfirmedRows: previous.size - confirmed });
  }
  return { journal: opened.journal, previous, earlierContacts: earlier.contacts, confirmedIds: earlier.confirmedIds };
}

/**
 * Refuses a run that would create an earlier run's customers a second time (an `ImportError` with
 * code `journal`, saying how to go on), and warns of the customers without a username earlier runs
 * created that this one might create again. The journal is left as it is.
 */
export function checkEarlierRun(earlier: EarlierRun, context: EarlierRunContext): void {
  const { journalPath, emit } = context;
  // Rows without a username cannot be found again: a fresh run over an edited export would
  // create every such customer the unfinished run created. The journal is left as it is.
  if (earlier.sentWithoutUsername.length > 0) {
    const rows = earlier.sentWithoutUsername;
    const n = rows.length;
    const named = rows.length > 50 ? `${rows.slice(0, 50).join(', ')} and ${rows.length - 50} more (the journal's lines with "noUsername" name them all)` : rows.join(', ');
    const sentRows = `sent ${n} ${n === 1 ? 'row' : 'rows'} without a username${earlier.differs === undefined ? '' : ' to this API'}, which a fresh run would create again (${n === 1 ? 'row' : 'rows'} ${named} of the file that run read)`;
    // A journal without its first line cannot be resumed: what that run created is for the office to check.
    const next =
      earlier.differs === undefined
        ? 'Check in Quentli which customers those rows created, remove those rows from the file, then add --restart to import it'
        : `Finish that run with ${earlier.differs === 'inputSha256' ? 'the file that run read' : 'the mapping, header row and --default-country that run used'} (the same command then resumes it), or add --restart to import every row anyway`;
    throw new ImportError('journal', `${journalPath}: ${earlier.discarded!}, and ${earlier.differs === undefined ? 'the run that wrote it' : 'that run'} ${sentRows}. ${next}`);
  }
  // A file that lost its username column (an export made with another template, the column
  // renamed past recognition) holds the customers that run matched by username, and nothing
  // would match them now: every one of them would be created a second time.
  if (earlier.sentWithUsername > 0 && context.mode === 'create' && !context.hasUsernameColumn) {
    const n = earlier.sentWithUsername;
    throw new ImportError(
      'journal',
      `${journalPath}: the import that wrote this journal sent ${n} ${n === 1 ? 'row' : 'rows'} with a username to this API, and this file has no username column: each of ${n === 1 ? 'that customer' : 'those customers'} it holds would be created a second time, since customers are matched by username. Give the file its username column (or map it with --mapping), import a file of new customers only under another --report, or add --restart to import every row anyway`,
    );
  }
  // The same bytes again would create every such customer twice. Another file under the same
  // report name may hold new customers only (a fixed --report, a weekly `nuevos.csv`): said, not refused.
  if (earlier.finishedWithoutUsername) {
    const { created, unknown, unfingerprinted, sameFile, serverError } = earlier.finishedWithoutUsername;
    const sent = [
      ...(created > 0 ? [`${created} ${created === 1 ? 'customer was' : 'customers were'} created without a username`] : []),
      ...(unknown > 0 ? [`${unknown} ${unknown === 1 ? 'row' : 'rows'} without a username may have created ${unknown === 1 ? 'its customer' : 'their customers'} (outcome unknown)`] : []),
    ];
    const what = `${sent.join(' and ')}, which Quentli cannot match`;
    // The same bytes again: refused unless the journal knows every such row by its
    // fingerprint, when each is found (`exists`, or looked for) and nothing is created twice.
    if (sameFile && unfingerprinted > 0) {
      throw new ImportError(
        'journal',
        `${journalPath}: this file was imported to this API to the end, and ${what}: importing it again would create each of them a second time. Import only the new rows (in a file of their own), or add --restart to import every row anyway`,
      );
    }
    // Only what the journal knows by its fingerprint is kept from being sent again: not the
    // rows of a journal written before fingerprints, nor those with a name alone.
    const known =
      unfingerprinted === 0
        ? KNOWN_BY_FINGERPRINT
        : unfingerprinted === created + unknown
          ? 'the journal does not know them by their name, email and phone (written by an earlier version, or rows with a name alone): any of them this file holds again is created a second time'
          : `${unfingerprinted} of them the journal does not know by their name, email and phone (written by an earlier version, or rows with a name alone), and any of those this file holds again is created a second time; a row with the same name, email and phone as one of the others is not sent again (\`exists\`)`;
    // A try answered 5xx was most likely not written: such a row is sent again when nothing is found (`Sender.create`).
    const resent =
      serverError === 0
        ? ''
        : `, except that ${serverError === 1 ? 'the row' : `each of the ${serverError} rows`} whose try was answered with a server error is sent again when Quentli holds no customer created since with its name, its email or its phone`;
    emit({
      type: 'warning',
      message: sameFile
        ? `${journalPath}: this file was imported to this API to the end, and ${sent.join(' and ')}; the journal knows each by its name, email and phone: those rows are reported \`exists\` (or looked for, where an answer was lost), not created again${resent}`
        : `${journalPath}: an earlier file under this report name was imported to this API to the end, and ${what}: ${known}`,
    });
  } else if (earlier.finishedSameFile === false && earlier.contacts.size > 0 && !context.hasUsernameColumn) {
    // The last run created none (a quiet night: every row found), but earlier ones did, and
    // the journal still knows them: a row of tonight's file corrected since is created twice.
    const known = [...earlier.contacts.values()];
    const created = known.filter((contact) => !contact.unknown).length;
    const unknown = known.length - created;
    const what = [
      ...(created > 0 ? [`created ${created} ${created === 1 ? 'customer' : 'customers'} without a username`] : []),
      ...(unknown > 0 ? [`sent ${unknown} ${unknown === 1 ? 'row' : 'rows'} without a username whose outcome is unknown`] : []),
    ];
    emit({
      type: 'warning',
      message: `${journalPath}: earlier imports under this report name to this API ${what.join(' and ')}, which Quentli cannot match: ${KNOWN_BY_FINGERPRINT}`,
    });
  }
}

/** What the journal's fingerprints do for a file of rows without a username, as two warnings say it. */
const KNOWN_BY_FINGERPRINT = 'a row of this file with the same name, email and phone as one of them is not sent again (`exists`), but one changed since (a corrected name, email or phone) is created a second time';
