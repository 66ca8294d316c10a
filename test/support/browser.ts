/**
 * A real browser for end-to-end tests: Debian's chromium (`apt-get install chromium`, done by
 * .ci/run), driven by playwright-core. Playwright's own browser downloads are not used.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, type Page, chromium } from "playwright-core";

export const CHROMIUM = process.env.MODELBOX_DEV_CHROMIUM ?? "/usr/bin/chromium";

/** Headless, sandbox-free (root in CI), and quiet: no calls home on a closed network. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh profile each time (its own --user-data-dir), so no state leaks between runs. */
export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "mbdev-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: DESKTOP,
  });
}

const artifacts = resolve(import.meta.dirname, "../../test-artifacts/dashboard");

/** Keeps a screenshot as a test artifact (test-artifacts/dashboard/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
