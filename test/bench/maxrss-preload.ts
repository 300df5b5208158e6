// Loaded with `node --import` into a child under measurement: at exit it writes the process's peak
// RSS and CPU time to $BENCH_USAGE_FILE, so the bench reads them without racing /proc.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
  });
}
