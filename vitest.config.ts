import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Removes the temporary folders and ends the child processes a test file's tests could not (test/end-of-test.ts).
    setupFiles: ['test/clean-up-after-file.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
