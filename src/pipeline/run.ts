import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import pLimit from 'p-limit';
import { pino } from 'pino';
import { ImportError, InputFileError, MappingError } from '../errors/index.js';
import { guardedLogger, shownUrl } from '../logger.js';
import { isStatusHeader } from '../map/header-key.js';
import { createRowMapper } from '../map/map-row.js';
import { loadMappingFile, parseMapping, type MappingFile } from '../map/mapping-file.js';
import { identifierColumns, isErrorColumn, type ResolvedMapping } from '../map/resolve-mapping.js';
import { createTemplateRowTest } from '../map/template-row.js';
import type { SourceRow } from '../read/source-row.js';
import { Journal, type AttemptKind } from '../report/journal.js';
import type { ReportEntry } from '../report/report-entry.js';
import { ReportWriter } from '../report/report-writer.js';
import { outputError } from '../report/file-sink.js';
import { SUCCESS_STATUSES } from '../report/row-status.js';
import { SummaryBuilder, type ImportSummary } from '../report/summary.js';
import { isCustomerList, QuentliClient, type ApiResponse } from '../send/api-client.js';
import { createDelivery, type Delivery } from '../send/delivery.js';
import { LookupError, Sender, SendStoppedError, type SendOutcome } from '../send/sender.js';
import { Throttle } from '../send/throttle.js';
import { createOnlyColumnsWarning, createUpsertDelivery } from '../send/upsert.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import { requireUsername } from '../validate/require-username.js';
import { contactKeyOf, InFileRepeats } from '../validate/in-file-repeats.js';
import { createRowValidator } from '../validate/validate-row.js';
import { EndOfRunWarnings, refusedAgain } from './end-of-run-warnings.js';
import { guardEventHandler } from './emit-events.js';
import { drainInFlight } from './drain-in-flight.js';
import { baseEntry, cutShortEntry, OutcomeEntries, refusedEntry, type SettledRow } from './report-entries.js';
import { EarlierRunRows, fingerprintOf } from './earlier-rows.js';
import { journalIdentityOf, openRunJournal } from './earlier-run.js';
import { hashFile, identityOf, rewriteWatch, sameFile, writtenInPlaceSince, type FileIdentity } from './file-hash.js';
import { openMappedTable } from './open-table.js';
import { refusedColumns } from './refused-columns.js';
import type { ImportEvent, ImportOptions, ImportProgress } from './options.js';
import { checkReportOption, checkRunPaths, keepEditedErrorsFile, runPaths, type RunPaths } from './paths.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import { resolveSettings, snapshotOptions } from './settings.js';

/** How long requests in flight may take to finish after an interruption before they are cut. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs one import: read → map → validate → send → report, streaming. Reading pauses while the
 * pool holds about twice its concurrency, so memory stays flat whatever the file size. Every data
 * row gets exactly one report line, in input order, whatever happens; the report is closed in
 * `finally`, also when the run is interrupted or the key is refused.
 * Resolves to the summary; rejects with an `ImportError` when the run cannot happen (exit code 2).
 */
export async function importCustomers(given: ImportOptions): Promise<ImportSummary> {
  const startedAt = Date.now();
  // Copied before the first await: the caller may change its object for the next run meanwhile.
  const options = snapshotOptions(given);
  const settings = resolveSettings(options);
  // A destination of its own: pino's default opens a stream on stdout and hooks the host's `exit`.
  const log = options.logger ? guardedLogger(options.logger) : pino({ level: 'silent' }, { write: () => {} });
  // Listened to through a signal of its own: a program that shares one signal among a dozen
  // imports would otherwise get a MaxListenersExceededWarning on it.
  const signal = options.signal && AbortSignal.any([options.signal]);
  const { onEvent } = options;
  /** The caller's handler, kept from breaking the run (a throw there is logged once and ignored). */
  const emit = guardEventHandler(onEvent, log);

  const mappingFile = await loadMapping(options.mapping);
  const readOptions = { ...(options.sheet !== undefined ? { sheet: options.sheet } : {}), ...(options.headerRow !== undefined ? { headerRow: options.headerRow } : {}) };
  // The file as the reader opens it: a nightly export landing by rename during the key check would
  // otherwise be hashed for the journal, while the rows came from the file it replaced.
  const inputAtStart: FileIdentity | undefined = await stat(options.file).then(identityOf, () => undefined);
  const { table, mapping } = await openMappedTable(options.file, readOptions, mappingFile, (message) => emit({ type: 'warning', message }));
  if (settings.mode === 'upsert' && mapping.headerOf.username === undefined) {
    await table.close();
    throw new MappingError('--mode upsert matches customers by username, and no column holds one (a header such as "Usuario" or "username")');
  }
  for (const warning of mapping.warnings) emit({ type: 'warning', message: warning });
  const createOnly = settings.mode === 'upsert' ? createOnlyColumnsWarning(mapping.headerOf) : undefined;
  if (createOnly) emit({ type: 'warning', message: createOnly });
  if (table.format === 'csv' && options.sheet !== undefined) emit({ type: 'warning', message: '--sheet applies to workbooks; this file is CSV, read as a whole' });
  /** The rows counted for the warnings said once at the end (a column without a header, archived customers, ...). */
  const endWarnings = new EndOfRunWarnings();
  const onUnheadedValue = (column: number, row: number) => endWarnings.addUnheadedValue(column, row);
  const onPlaceholderValue = (column: number, row: number) => endWarnings.addPlaceholderValue(column, row);
  const mapRow = createRowMapper(mapping, { defaultCountry: settings.defaultCountry, onUnheadedValue, onPlaceholderValue, textFile: table.format === 'csv' });
  const validateRow = createRowValidator(mapping);
  const paths = dryRunBesideImport(runPaths(options.file, options.reportPath, undefined, table.format), options, settings.dryRun, table.format, emit);
  let lock: RunLock;
  /** Set once the run can stop: what else to do when another run took the lock over. */
  let onLockLost = () => {};
  /** The lock was taken over: the report, errors file and journal are the other run's now. */
  let lockLost: ImportError | undefined;
  const lockTakenOver = () => {
    lockLost = new ImportError(
      'in_use',
      `another import took over ${paths.lockPath} while this run was suspended (its heartbeat stopped for 2 minutes): this run stops without writing ${paths.reportPath}, which is the other run's now`,
    );
    onLockLost();
  };
  try {
    checkReportOption(options.reportPath, 'the option reportPath');
    checkRunPaths(paths, options.file);
    lock = await acquireRunLock(paths.lockPath, paths.reportPath, lockTakenOver);
  } catch (error) {
    await table.close();
    throw error;
  }
  try {
    let client: QuentliClient | undefined;
    let sender: Sender | undefined;
    let delivery: Delivery | undefined;
    let journal: Journal | undefined;
    /** Whether the input was written again in place since the run started; known once it is hashed for the journal. */
    let rewritten: (() => Promise<boolean>) | undefined;
    /** Set once the run stopped because the input was written again in place. */
    let rewriteStopped = false;
    /** The SHA-256 of the input read, once hashed for the journal (not in a dry run). */
    let inputSha256: string | undefined;
    /** The rows an earlier run under this report name confirmed, created or sent: what it resumes, and what the journal knows. */
    const earlierRows = new EarlierRunRows({
      phonesByLabel: mapping.labelled?.some((group) => group.prefer === 'mobile') === true,
      warnings: endWarnings,
      confirmFound: (row, customerId, contact, note) => {
        // Called only once rows are read, after stopOnFailure is defined.
        try {
          if (!lockLost) journal?.confirmed(row, 'exists', customerId, contact, note);
        } catch (error) {
          stopOnFailure(error);
        }
      },
    });
    /** Rows whose request has left (journaled as attempted) and whose outcome is not in yet. */
    const sentRows = new Set<number>();
    const noteAttempt = (row: number, kind?: AttemptKind) => {
      if (lockLost) throw lockLost; // nothing goes out that this run could not record
      const contact = kind?.withoutUsername ? earlierRows.contactOf(row) : undefined;
      journal?.attempted(row, contact ? { ...kind, contact } : kind); // a line it could not write: the row is not sent
      sentRows.add(row);
    };
    /** A row whose tries so far wrote nothing (a 429, a refusal, a connection refused): a stop leaves it unsent, a resume sends it. */
    const noteNothingWritten = (row: number) => {
      if (lockLost) return;
      journal?.nothingWritten(row);
      sentRows.delete(row);
    };
    /** A row without a username whose try was answered 5xx: a later run may send it again (see `Sender.create`). */
    const noteServerError = (row: number, status: number) => {
      if (lockLost) return;
      journal?.serverError(row, status);
    };
    const pool = pLimit(settings.concurrency);
    /** The rows that repeat an earlier row's username, or its name, email and phone (rows without a username, in a create run). */
    const repeats = new InFileRepeats({ checkContacts: settings.mode === 'create' && !mapping.partialName, usernameHeader: mapping.headerOf.username, nameHeader: mapping.headerOf.name });
    // An upsert dry run with a key reads (the listing) to tell created/updated/unchanged; it never writes.
    const dryRunLookups = settings.dryRun && settings.mode === 'upsert' && settings.apiKey !== undefined;
    if (settings.dryRun && settings.mode === 'upsert' && !dryRunLookups) {
      emit({ type: 'warning', message: 'no API key: this upsert dry run checks the file only (rows are "valid"); with QUENTLI_API_KEY set it also reports what would be created, updated or left unchanged' });
    }
    if (!settings.dryRun || dryRunLookups) {
      client = new QuentliClient({
        baseUrl: settings.apiUrl,
        apiKey: settings.apiKey!,
        timeoutMs: settings.timeoutMs,
        connections: settings.concurrency + 2,
        proxy: settings.proxy,
      });
      if (settings.proxy) log.info({ proxy: settings.proxy.shown }, `connecting to the API through the proxy ${settings.proxy.shown}`);
      const throttle = new Throttle({
        maxConcurrency: settings.concurrency,
        onConcurrencyChange: (concurrency) => {
          pool.concurrency = concurrency;
          log.debug({ concurrency }, 'concurrency changed');
        },
      });
      sender = new Sender(client, throttle, settings.retry, (reason) => log.debug({ reason }, `request failed: ${reason}`));
      // Ctrl-C or SIGTERM during the key check or the upsert listing (minutes against a slow API,
      // past a service manager's stop timeout): the request in flight is cut, and the run goes on
      // to report every row `not_attempted`, exit 130.
      const earlySender = sender;
      const earlyClient = client;
      /** Who this run is, for its journal: the input's content, what is read from it, where it goes. */
      const journalIdentity = () => journalIdentityOf({ file: options.file, inputAtStart, settings, sheet: table.details.sheet, headerRow: table.headerRow, mapping });
      const stopEarly = () => {
        earlySender.stop();
        void earlyClient.destroy();
      };
      signal?.addEventListener('abort', stopEarly, { once: true });
      if (signal?.aborted) stopEarly();
      try {
        await checkApi(sender, settings.shownApiUrl);
        // A dry run keeps no journal: what it would do must not pass for done on the next real run.
        if (!settings.dryRun) {
          const identity = await journalIdentity();
          inputSha256 = identity.inputSha256;
          if (inputAtStart) rewritten = rewriteWatch(options.file, inputAtStart, identity.inputSha256);
          if (lockLost) throw lockLost; // the journal is the other run's now
          const opened = openRunJournal(identity, options.restart === true, {
            journalPath: paths.journalPath,
            mode: settings.mode,
            hasUsernameColumn: mapping.headerOf.username !== undefined,
            emit,
          });
          journal = opened.journal;
          earlierRows.previous = opened.previous;
          earlierRows.earlierContacts = opened.earlierContacts;
          // A customer a row without a username of the resumed run was confirmed with is given to no other row.
          for (const record of opened.previous.values()) if (record.withoutUsername && record.customerId !== undefined) sender.claim(record.customerId);
          sender.knowEarlier(opened.confirmedIds);
        }
        if (settings.mode === 'upsert') {
          const listed = client.requestCount;
          const upsert = await createUpsertDelivery(sender, {
            defaultCountry: settings.defaultCountry,
            dryRun: settings.dryRun,
            onAttempt: noteAttempt,
            logger: log,
          });
          log.info(
            { customers: upsert.loaded, pages: upsert.pages, requests: client.requestCount - listed },
            `upsert: loaded ${upsert.loaded} existing customers in ${upsert.pages} ${upsert.pages === 1 ? 'page' : 'pages'}`,
          );
          delivery = upsert;
        }
      } catch (error) {
        await journal?.close();
        journal = undefined;
        await client.close();
        if (!(signal?.aborted && error instanceof SendStoppedError)) {
          await table.close();
          throw error;
        }
        // Interrupted before the journal was opened (during the key check): the report this run
        // writes still shows what an unfinished earlier run confirmed, not every row not_attempted.
        if (!settings.dryRun && earlierRows.previous.size === 0 && !lockLost) {
          const previous = earlierRows.previous;
          earlierRows.previous = await journalIdentity().then(
            (identity) => Journal.read(paths.journalPath, identity, options.restart === true).previous,
            () => previous, // the file changed meanwhile: nothing of the earlier run applies
          );
        }
      } finally {
        signal?.removeEventListener('abort', stopEarly);
      }
      // A row the repeat check does not cover (a name alone, given names only) may have rows alike: two customers.
      delivery ??= createDelivery(sender, noteAttempt, noteNothingWritten, (input) => !repeats.isContactChecked(input), noteServerError);
    }

    if (lockLost) {
      await journal?.close();
      await client?.close();
      await table.close();
      throw lockLost; // the report is the other run's now: not even opened
    }
    const editedErrors = await keepEditedErrorsFile(paths, lock.leftAt).catch((error: Error) => {
      emit({ type: 'warning', message: `${paths.errorsPath} was saved after the run that wrote it, and could not be kept aside (${error.message}): it is written over; save a copy of it first if rows were fixed in it` });
      return undefined;
    });
    if (editedErrors) {
      emit({ type: 'warning', message: `${paths.errorsPath} was saved after the run that wrote it (rows fixed in it?): kept as ${editedErrors} instead of written over; import that file to send its rows` });
    }
    const report = new ReportWriter({
      reportPath: paths.reportPath,
      errorsPath: paths.errorsPath,
      sourceHeaders: table.headers,
      errorColumn: mapping.columns.find((column) => column.target.kind === 'ignore' && isErrorColumn(column.header))?.index ?? -1,
      // The input's `;` (a Spanish-language Excel's), else `,`: a .csv split by tabs or bars opened in
      // Excel as one column, and the importer reads any of them back.
      delimiter: table.details.delimiter === ';' ? ';' : ',',
    });
    const summary = new SummaryBuilder();
    let rowsRead = 0;
    // Where the rows taken stand in the file, for progress and ETA: the reader says where each batch
    // ends; the share of the batch taken so far places the row within it.
    let batchStartByte = 0;
    let batchEndByte = 0;
    let batchTaken = 0;
    let batchSize = 1;
    const progress = (): ImportProgress => ({
      read: {
        bytesRead: Math.round(batchStartByte + ((batchEndByte - batchStartByte) * batchTaken) / batchSize),
        totalBytes: table.progress().totalBytes,
      },
      rowsRead,
      rowsDone: summary.total,
      succeeded: countOf(summary, SUCCESS_STATUSES),
      refused: summary.counts.invalid + summary.counts.duplicate,
      failed: summary.counts.failed,
      inFlight: pool.activeCount,
      requests: client?.requestCount ?? 0,
      startedAt,
    });
    if (settings.mode === 'create' && mapping.headerOf.username === undefined) {
      emit({
        type: 'warning',
        message: noUsernameWarning(identifierColumns(mapping), unknownContactsReason(mapping)),
      });
    }
    emit({ type: 'start', format: table.format, details: table.details, headerRow: table.headerRow, mapping, reportPath: paths.reportPath, errorsPath: paths.errorsPath, progress });
    const readAs = Object.values(table.details).map((detail) => (detail.length === 1 ? JSON.stringify(detail) : detail));
    log.info(
      { file: options.file, format: table.format, ...table.details, mode: settings.mode, dryRun: settings.dryRun },
      `reading ${basename(options.file)} (${[table.format, ...readAs].join(', ')}), header on ${table.headerRows === 2 ? `rows ${table.headerRow} and ${table.headerRow + 1}` : `row ${table.headerRow}`}`,
    );

    let wake: (() => void) | undefined;
    const wakeReader = () => {
      wake?.();
      wake = undefined;
    };
    let stopReason: string | undefined;
    let fatal: unknown;
    let result: ImportSummary | undefined;
    let stopRequested = () => {};
    /** Settles when the run is asked to stop: the requests in flight then get a grace period, not forever. */
    const stopping = new Promise<void>((resolve) => (stopRequested = resolve));
    /**
     * Stops the run: no more rows are sent, the reader stops waiting for the pool, rows waiting for
     * their turn (a backoff, a Retry-After pause) give up now, and requests in flight may finish.
     */
    const stopRun = (reason: string, cause?: ImportError) => {
      stopReason ??= reason;
      wakeReader();
      stopRequested();
      sender?.stop(cause);
    };
    /** A failure the run cannot go on past (the journal or the report cannot be written): nothing more is sent. */
    const stopOnFailure = (error: unknown) => {
      fatal ??= error;
      stopRun(error instanceof Error ? error.message : String(error), error instanceof ImportError ? error : undefined);
    };
    const onAbort = () => {
      emit({ type: 'stopping', reason: 'interrupted: finishing the requests in flight, then writing the report' });
      stopRun('interrupted');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    onLockLost = () => {
      fatal ??= lockLost;
      stopRun(lockLost!.message, lockLost);
    };
    if (lockLost) onLockLost(); // lost during the key check or the listing

    const highWater = settings.concurrency * 2;
    const inFlight = new Set<Promise<void>>();
    const usernameHeader = mapping.headerOf.username;
    const { withoutUsername, withoutContact, templateRows } = endWarnings;
    const outcomeEntries = new OutcomeEntries(settings.mode, settings.defaultCountry, endWarnings);
    /** A template's empty lines, numbered or holding a formula's 0: skipped like blank rows, and said once. */
    const isTemplateRow = createTemplateRowTest(mapping);
    const withRefusedColumns = refusedColumns(mapping.headerOf, (mapping.nameParts ?? []).map((index) => table.headers[index]!));
    let sequence = 0;

    /** A status column kept as metadata (`Estatus`): its `Baja` rows imported are said once at the end. */
    const statusColumn = mapping.columns.find((column) => column.target.kind === 'metadata' && isStatusHeader(column.header));
    // Only rows this run writes (or, in a dry run, would): a nightly rerun that finds them all
    // `exists` said every night that they "were imported".
    const writingStatuses: ReadonlySet<string> = new Set(['created', 'updated', 'valid']);

    const finish = (seq: number, entry: ReportEntry): Promise<void> | undefined => {
      summary.add(entry);
      if (statusColumn !== undefined && writingStatuses.has(entry.status)) endWarnings.addStatus(entry.row, entry.values[statusColumn.index]);
      // The handler gets a copy of its own: the report writer holds the entry until the rows before
      // it are in, and a host that changed it (a field added, the object reused) changed the report.
      if (onEvent) emit({ type: 'row', entry: { ...entry, values: entry.values.slice() } });
      return lockLost ? undefined : report.add(seq, entry);
    };

    const send = async (seq: number, source: SourceRow, input: CustomerInput): Promise<void> => {
      let outcome: SendOutcome | 'not_attempted';
      if (stopReason !== undefined) outcome = 'not_attempted';
      else {
        try {
          outcome = await earlierRows.deliver(source.row, input, sender!, delivery!);
        } catch (error) {
          if (error instanceof ImportError) {
            fatal ??= error;
            stopRun(error.message, error);
            // Stopped before its request left (its journal line could not be written): never sent.
            outcome = sentRows.has(source.row) ? { status: 'failed', error: `not confirmed: ${error.message}` } : 'not_attempted';
          } else if (error instanceof SendStoppedError) {
            outcome = sentRows.has(source.row) ? { status: 'failed', error: 'interrupted before its answer came: run the same command again to resume' } : 'not_attempted';
          } else if (error instanceof LookupError) {
            outcome = { status: 'failed', error: error.message };
          } else {
            log.error({ err: error, row: source.row }, 'unexpected error while sending');
            outcome = { status: 'failed', error: `unexpected error: ${(error as Error).message}` };
          }
        }
      }
      // The API names its own fields in a refusal: the columns they came from are what the office can fix.
      if (outcome !== 'not_attempted' && outcome.status === 'failed' && outcome.error !== undefined) {
        outcome = { ...outcome, error: withRefusedColumns(outcome.error) };
      }
      sentRows.delete(source.row);
      // Found by its look-up, the customer is known by the row's fingerprint from now on.
      const foundContact = earlierRows.outcomeIn(source.row, outcome !== 'not_attempted' && outcome.status === 'exists');
      const entry = outcomeEntries.entryOf(source, input, outcome);
      // The journal or the report cannot be written (a full disk): nothing more may be sent
      // unrecorded. Each is tried on its own, so the row still reaches the report if only the
      // journal failed; and a task that rejected would end the process before the report is closed.
      try {
        if (outcome !== 'not_attempted' && outcome.status !== 'failed' && !lockLost) journal?.confirmed(source.row, outcome.status, outcome.customerId, foundContact, entry.error);
      } catch (error) {
        stopOnFailure(error);
      }
      try {
        await finish(seq, entry);
      } catch (error) {
        stopOnFailure(error);
      }
    };

    /** A row's report entry when it needs no request (refused, dry run, confirmed before), else its payload. */
    const settle = (source: SourceRow): SettledRow => {
      const checked = validateRow(mapRow(source));
      const validated = settings.mode === 'upsert' ? requireUsername(checked, mapping.headerOf.username) : checked;
      const draft = validated.ok ? validated.input : validated.draft;
      const repeat = repeats.check(draft, source.row);
      /** A row without a username: its name, email and phone, fingerprinted for the journal. */
      let contact: string | undefined;
      if (draft.username !== undefined) {
        // Created without a username by an earlier import under this report name, the username
        // filled in since: its username finds nothing in Quentli, and a create made it twice.
        // Fingerprinted only when the journal knows such customers: a row costs nothing otherwise.
        if (journal !== undefined && earlierRows.earlierContacts.size > 0 && repeats.isContactChecked(draft)) contact = fingerprintOf(contactKeyOf(draft));
      } else if (journal !== undefined && repeats.contactKey !== undefined) {
        contact = fingerprintOf(repeats.contactKey);
      }
      if (!validated.ok) {
        // Every problem at once: fixed in the errors file and imported alone, a row whose username
        // repeats an earlier row's would otherwise find that customer and be reported `exists`.
        return { entry: refusedEntry(source, draft, 'invalid', repeat ? [...validated.issues, repeat] : validated.issues) };
      }
      const input = validated.input;
      if (repeat) return { entry: refusedEntry(source, input, 'duplicate', [repeat]) };
      // Counted after the repeat check: a duplicate is never sent, so it is created by no run.
      if (input.username === undefined && settings.mode === 'create') {
        if (usernameHeader !== undefined) withoutUsername.add(source.row);
        if (!repeats.isContactChecked(input)) withoutContact.add(source.row);
      }
      if (settings.dryRun && delivery === undefined) return { entry: baseEntry(source, input, stopReason === undefined ? 'valid' : 'not_attempted') };
      const settledEarlier = earlierRows.entryOf(source, input, contact, delivery !== undefined);
      if (settledEarlier !== undefined) return { entry: settledEarlier };
      return { input };
    };

    /** Set once every row of the file, as far as it went when its end was read, has been taken. */
    let readToEnd = false;
    try {
      for await (const batch of table.batches) {
        // An export written again in place while its rows are read (truncated, then rewritten, as a
        // shell's `> export.csv` does): the bytes read since join a line of one version to a line
        // of the other, and that row was created as a customer, one student's name under another's
        // username. Looked at before a batch's rows are sent: bytes read before a look that finds
        // the file as it started (or only appended to) were the file's. A dry run sends nothing.
        if (stopReason === undefined && rewritten !== undefined && (await rewritten())) {
          rewriteStopped = true;
          stopOnFailure(
            new InputFileError(
              options.file,
              'changed while it was read (written again in place: an export started over it?): the rows read since were not sent, as one may join a line of each version; run the same command again once the export is complete',
            ),
          );
        }
        batchStartByte = batchEndByte;
        batchEndByte = table.progress().bytesRead;
        batchSize = batch.length;
        for (let i = 0; i < batch.length; i++) {
          const source = batch[i]!;
          batchTaken = i + 1;
          if (isTemplateRow(source)) {
            templateRows.add(source.row);
            continue;
          }
          rowsRead++;
          const seq = sequence++;
          let settled = settle(source);
          if (source.unendedLine && (await writtenInPlaceSince(options.file, inputAtStart))) settled = cutShortEntry(source, settled);
          if ('input' in settled) {
            while (pool.activeCount + pool.pendingCount >= highWater && stopReason === undefined) {
              await new Promise<void>((resolve) => (wake = resolve));
            }
            if (stopReason === undefined) {
              const input = settled.input;
              const task: Promise<void> = pool(() => send(seq, source, input)).finally(() => {
                inFlight.delete(task);
                wakeReader();
              });
              inFlight.add(task);
              continue;
            }
            settled = { entry: baseEntry(source, settled.input, 'not_attempted') };
          }
          const writing = finish(seq, settled.entry);
          if (writing) await writing; // a batch of report lines is being written
        }
      }
      readToEnd = true;
      const templateWarning = endWarnings.templateRowsWarning();
      if (templateWarning !== undefined) emit({ type: 'warning', message: templateWarning });
    } catch (error) {
      stopOnFailure(error);
    } finally {
      // Still listening while the last rows finish: an interruption then must not wait for all of them.
      if (inFlight.size > 0 && !(await drainInFlight(inFlight, stopping, STOP_GRACE_MS))) {
        // The grace ran out: the requests still in flight are cut, and their rows reported.
        sender?.stop();
        await client?.destroy();
        await Promise.all(inFlight);
      }
      signal?.removeEventListener('abort', onAbort);
      for (const message of endWarnings.unheadedWarnings()) emit({ type: 'warning', message });
      for (const message of endWarnings.placeholderWarnings(mapping.columns.map((column) => column.header))) emit({ type: 'warning', message });
      const inputAtEnd = await stat(options.file).then(identityOf, () => undefined);
      // What the path holds now that the run did not read, which had exited 0 with a warning in the
      // log alone. An export still being written, with a pause in its writing as the run reached
      // its end: the rows written after are in no report line and were never sent. Tonight's export
      // renamed over last night's as it was read: that one was imported whole, tonight's not at
      // all; unless it is the same content (a sync tool placing the same export again). Not after
      // a file written again in place: the run stopped for it, with its own error.
      const readWhole = readToEnd && !rewriteStopped;
      const samePathFile = inputAtStart && inputAtEnd && inputAtEnd.dev === inputAtStart.dev && inputAtEnd.ino === inputAtStart.ino;
      const unreadBytes = readWhole && samePathFile ? inputAtEnd.size - table.progress().totalBytes : 0;
      let unreadInput: ImportSummary['unreadInput'] = unreadBytes > 0 ? 'appended' : undefined;
      // Written again in place after its last rows were looked at (tonight's export started over it
      // while the last rows were sent): those rows were the file's, the new content is unread.
      const rewrittenAfterRead = readWhole && samePathFile && !sameFile(inputAtStart, inputAtEnd) && rewritten !== undefined && (await rewritten().catch(() => false));
      if (rewrittenAfterRead) unreadInput = 'replaced';
      if (readWhole && inputAtStart && inputAtEnd && !samePathFile) {
        // A dry run did not hash the file it read: any other file counts as another export.
        const sameContent = inputSha256 !== undefined && (await hashFile(options.file).then((hashed) => hashed.sha256 === inputSha256, () => false));
        if (!sameContent) unreadInput = 'replaced';
      }
      if (rewrittenAfterRead) {
        emit({
          type: 'warning',
          message: `${options.file} was written again in place after its rows were read (an export started over it?): this run imported the file as it was, whole, and did not read the new content; run the same command again to import it`,
        });
      } else if (unreadInput === 'appended') {
        emit({
          type: 'warning',
          message: `${options.file} grew after its end was read (an export still being written?): the ${unreadBytes.toLocaleString('en-US')} bytes written since were not read, so their rows are in no report line and were not sent; run the same command again once the export is complete`,
        });
      } else if (unreadInput === 'replaced') {
        emit({
          type: 'warning',
          message: `${options.file} was replaced by another file while it was read (an export renamed over it?): this run imported the file it had open, whole, and did not read the new one; run the same command again to import it`,
        });
      } else if (inputAtStart && !rewriteStopped && !(inputAtEnd && sameFile(inputAtStart, inputAtEnd))) {
        // Not said again after the run stopped for it, in other words, just before its error.
        emit({ type: 'warning', message: `${options.file} changed while it was read (replaced, or still being written): the report covers the rows as read; run the same command again once the export is complete` });
      }
      for (const message of endWarnings.outcomeWarnings(usernameHeader, unknownContactsReason(mapping) === undefined)) emit({ type: 'warning', message });
      const leftStatus = statusColumn && endWarnings.leftStatusWarning(statusColumn.header, settings.dryRun);
      if (leftStatus) emit({ type: 'warning', message: leftStatus });
      // Said once: each look-up then read a listing of every customer, a slower night against a large organization.
      if (sender?.ignoresUsernameFilter) {
        emit({ type: 'warning', message: `the API answered a look-up by username (filter=username[equals]) with customers of other usernames: it ignores that filter, so usernames were looked for in a listing of every customer (${settings.shownApiUrl})` });
      }
      // Built before the report closes: a JSON report ends with the summary.
      const finishedAt = Date.now();
      const built = summary.build({
        file: options.file,
        mode: settings.mode,
        dryRun: settings.dryRun,
        interrupted: stopReason !== undefined,
        requests: client?.requestCount ?? 0,
        requestFailures: sender ? { ...sender.requestFailures } : { rateLimited: 0, serverError: 0, noAnswer: 0 },
        elapsedMs: finishedAt - startedAt,
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(finishedAt).toISOString(),
        reportPath: paths.reportPath,
        errorsPath: paths.errorsPath,
        ...(journal ? { journalPath: journal.path } : {}),
        ...(unreadInput ? { unreadInput } : {}),
      });
      // A run stopped part-way tells its caller what it did before, as the report on disk does.
      if (fatal instanceof ImportError) fatal.summary = built;
      else if (!fatal) result = built;
      try {
        if (!lockLost) await report.close(result);
      } catch (error) {
        // The report could not be finished (a full disk): the journal and the client are still
        // closed, and the caller gets one ImportError with what the run did, never a raw fs error.
        const failure = outputError(paths.reportPath, error);
        failure.summary ??= built;
        result = undefined;
        fatal ??= failure;
      }
      try {
        // Every row is reported: a journal that cannot say so only makes the next run resume (and
        // send nothing), no reason to fail a finished import.
        if (result && !result.interrupted && !lockLost) journal?.complete();
      } catch (error) {
        const reason = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? ((error as Error).cause as Error | undefined)?.message;
        emit({ type: 'warning', message: `cannot write ${journal!.path} (${reason}): the import is complete, but its journal could not say so (the next run finds every row done)` });
      }
      try {
        await journal?.close();
      } catch (error) {
        // Not known to be on disk: the caller hears of it, with what the run did.
        const failure = outputError(journal!.path, error);
        failure.summary ??= built;
        result = undefined;
        fatal ??= failure;
      } finally {
        await client?.close();
      }
    }
    if (fatal || !result) throw fatal;

    log.debug({ counts: result.counts, requests: result.requests, elapsedMs: result.elapsedMs }, 'import finished');
    emit({ type: 'end', summary: result });
    return result;
  } finally {
    lock.release();
  }
}

async function loadMapping(mapping: ImportOptions['mapping']): Promise<MappingFile | undefined> {
  if (mapping === undefined) return undefined;
  if (typeof mapping === 'string') return loadMappingFile(mapping);
  return parseMapping(mapping, 'invalid mapping');
}

/**
 * A dry run at the default report path after a real import there (its journal beside it) writes
 * `<input name>.dry-run.csv` instead, said in a warning: written over, the import's report lost its
 * statuses and the customers' ids without a word. A report path given is used as given.
 */
function dryRunBesideImport(paths: RunPaths, options: ImportOptions, dryRun: boolean, format: 'csv' | 'xlsx', emit: (event: ImportEvent) => void): RunPaths {
  if (!dryRun || options.reportPath !== undefined || !existsSync(paths.journalPath)) return paths;
  const beside = runPaths(options.file, `${basename(options.file, extname(options.file))}.dry-run.csv`, undefined, format);
  emit({ type: 'warning', message: `${paths.reportPath} holds the results of an import (its journal is beside it): this dry run writes ${beside.reportPath} instead, so they are kept` });
  return beside;
}

/** One cheap call before the first row: a refused key or a wrong URL stops the run before anything is sent. */
async function checkApi(sender: Sender, apiUrl: string): Promise<void> {
  let response: ApiResponse;
  try {
    response = await sender.checkAccess();
  } catch (error) {
    if (error instanceof LookupError) {
      const reason = error.message.replace(/^GET \/customers(?: gave up after retries)?: /, '');
      const what = error.answered ? `the API at ${apiUrl} is reachable but did not answer the key check` : `cannot reach the API at ${apiUrl}`;
      throw new ImportError(error.lastStatus === 429 ? 'rate_limited' : 'api_unreachable', `${what}: ${reason}`, { cause: error });
    }
    throw error;
  }
  // Any other refusal (even a 400 for the query) proves the address and the key; a 404 means the URL is wrong.
  const { status } = response;
  if (status === 404) throw new ImportError('api_unreachable', `${apiUrl} answered 404 to GET /customers: check --api-url (it should end in /v1)`);
  // A redirect is not followed (the key would go on to wherever it points, http:// or another host
  // included); taken for a refusal that proves the key, it passed the check and every row failed
  // with "HTTP 301".
  if (status >= 300 && status < 400) {
    const where = response.location === undefined ? '' : ` to ${shownUrl(response.location)}`;
    throw new ImportError('api_unreachable', `${apiUrl} answered GET /customers with a redirect (HTTP ${status}${where}), which is not followed so that the key goes nowhere else: check --api-url`);
  }
  // A success must be the documented list: a web page or a proxy answering 200 to everything would
  // otherwise pass, and every create it "answers" would be reported created.
  if (status >= 200 && status < 300 && !isCustomerList(response)) {
    const what = response.body === undefined ? 'an empty body' : typeof response.body === 'string' ? 'text, not JSON' : 'JSON that is not a list of customers';
    throw new ImportError('api_unreachable', `${apiUrl} answered GET /customers with ${what}: it is not the Quentli API, check --api-url (it should end in /v1)`);
  }
}

/**
 * Why the journal cannot know this file's rows without a username by their name, email and phone
 * (the fingerprint a later run under the same report name finds them by), or undefined when it can.
 */
function unknownContactsReason(mapping: ResolvedMapping): string | undefined {
  if (mapping.partialName) return 'the name column holds given names only';
  const isContact = (field: string | undefined) => field === 'email' || field === 'phoneNumber';
  const filled =
    mapping.columns.some(({ target }) => (target.kind === 'field' && isContact(target.field)) || (target.kind === 'metadata' && isContact(target.fills))) ||
    (mapping.labelled ?? []).some((labelled) => labelled.fields.some(isContact));
  return filled ? undefined : 'no column holds an email or phone';
}

/** Said of a create run without a username column; names the column that could be one. */
function noUsernameWarning(identifiers: string[], unknownContacts: string | undefined): string {
  const warning =
    unknownContacts === undefined
      ? 'no column holds a username: customers are matched by username, so importing this file again creates them again, except under this report name, whose journal knows each by its name, email and phone (a row whose name, email or phone is corrected later is not known by it, and is created a second time)'
      : `no column holds a username, and the journal cannot know the rows by name, email and phone (${unknownContacts}): customers are matched by username, so ${refusedAgain('them')}`;
  if (identifiers.length === 0) return warning;
  const [first] = identifiers as [string];
  return `${warning}; ${JSON.stringify(first)} looks like each customer's own number: to match customers by it (it becomes their Quentli username), map it with a mapping file (--mapping) such as ${JSON.stringify({ columns: { [first]: 'username' } })}`;
}

function countOf(summary: SummaryBuilder, statuses: ReadonlySet<string>): number {
  let total = 0;
  for (const [status, count] of Object.entries(summary.counts)) if (statuses.has(status)) total += count;
  return total;
}

export type { ImportEvent, ImportOptions, ImportProgress };
