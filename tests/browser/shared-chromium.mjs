// tests/browser/shared-chromium.mjs — one Chromium for every browser test file of a run.
//
//   node tests/browser/shared-chromium.mjs    prints the browser's WebSocket address on
//                                             its first line, then serves until its
//                                             stdin closes or it is sent SIGTERM
//
// tests/run starts it before the browser suite and hands the address to the test
// files as SUIVI_BROWSER_WS; lib.mjs's launchBrowser() then connects to it instead
// of starting a Chromium of its own (a start costs about 1.7 s of CPU, under the
// suite's load 3.4 s of wall time, and there are a dozen files).  Each file still
// gets its own browser contexts (cookies, storage), and closing its connection
// closes them.  Without SUIVI_BROWSER_WS (a file run alone) a file launches its own.
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS } from './chromium.mjs';

const server = await chromium.launchServer(LAUNCH_OPTIONS);
process.stdout.write(`${server.wsEndpoint()}\n`);

let closing = false;
async function stop() {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
