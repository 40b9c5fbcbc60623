// tests/browser/chromium.mjs — which Chromium the browser tests drive, and how it is
// started (lib.mjs for a test file, shared-chromium.mjs for a whole run).

export const CHROMIUM = process.env.SUIVI_CHROMIUM || '/usr/bin/chromium';

// DESIGN.md §8.  Playwright adds --headless itself (headless: true) and gives every
// launch a fresh --user-data-dir in the temp directory, removed on close.
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const LAUNCH_OPTIONS = { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60000 };
