import type { JournalRecord } from '../report/journal.js';
import type { CustomerInput } from '../validate/customer-schema.js';
import type { SendOutcome, Sender } from './sender.js';

/** How one valid row reaches the API, per mode. */
export interface Delivery {
  /** Sends one row. `previous` is what a journal of an interrupted run knew of it. */
  deliver(input: CustomerInput, row: number, previous: JournalRecord | undefined): Promise<SendOutcome>;
}

/** `--mode create`: create each row; a username the API already holds is `exists`. */
export function createDelivery(sender: Sender, onAttempt: (row: number) => void): Delivery {
  return {
    deliver(input, row, previous) {
      return sender.create(input, { mayExist: previous?.attempted === true, beforeSend: () => onAttempt(row) });
    },
  };
}
