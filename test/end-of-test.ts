import { onTestFinished, TestRunner } from 'vitest';

/** Clean-ups waiting for the end of the test file: those registered outside a test or by a concurrent one. */
const atEndOfFile: Array<() => unknown> = [];

/**
 * Runs `cleanUp` when the test that calls this ends (a beforeEach's call counts as the test's). Made
 * outside a test (a file's or a suite's body, a beforeAll), or by a test of a concurrent suite, whose
 * own end vitest cannot tell from the others' (the global onTestFinished would take the one that
 * started last), it runs when the test file has run instead (test/clean-up-after-file.ts).
 */
export function whenTestEnds(cleanUp: () => unknown): void {
  const test = TestRunner.getCurrentTest();
  if (test === undefined || test.concurrent) atEndOfFile.push(cleanUp);
  else onTestFinished(async () => {
    await cleanUp();
  });
}

/**
 * Runs the clean-ups left for the end of the test file, the last registered first (a run before its
 * folder), each of them even when one fails; the first failure is thrown at the end.
 */
export async function cleanUpAfterFile(): Promise<void> {
  let failure: { error: unknown } | undefined;
  while (atEndOfFile.length > 0) {
    try {
      await atEndOfFile.pop()!();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
