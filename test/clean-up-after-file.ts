import { afterAll } from 'vitest';
import { cleanUpAfterFile } from './end-of-test.js';

// A setup file: its afterAll, registered before the test file's own, runs after them (vitest runs
// afterAll hooks in reverse order), once the file's servers have stopped.
afterAll(cleanUpAfterFile);
