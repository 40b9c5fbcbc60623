// tests/file-times.mjs — a reporter for node --test (a second one, beside TAP):
// how long each test file took, from the moment the runner started it to the moment
// it ended, one line per file, "SECONDS FILE", slowest first.  tests/run prints the
// slowest of each suite, so that a file creeping towards its limit shows in every run.
import path from 'node:path';

export default async function* fileTimes(source) {
  const started = new Map(); // file → when it started (ms)
  const took = [];
  for await (const { type, data } of source) {
    // The runner's own events for a file carry the file as their name.
    if (!data || !data.file || data.name !== data.file) continue;
    if (type === 'test:dequeue') started.set(data.file, Date.now());
    else if (type === 'test:complete' && started.has(data.file)) took.push([Date.now() - started.get(data.file), data.file]);
  }
  took.sort((a, b) => b[0] - a[0]);
  for (const [ms, file] of took) yield `${(ms / 1000).toFixed(1)} ${path.relative(process.cwd(), file)}\n`;
}
