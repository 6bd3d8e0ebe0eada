// End-to-end tests in Debian's Chromium (playwright-core, never a downloaded browser) against
// the real binary: a fresh SQLite database in a temporary directory, provisioned with the
// operator CLI, then `madoguchi serve` on a free port. Prints `N passed, N failed` last and
// writes the counts to test-results/e2e.json for run-tests.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';

const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = process.env.MADOGUCHI_BIN ?? join(ROOT, 'target/debug/madoguchi');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = resolve(import.meta.dirname, '../test-results');
const SHOTS = join(OUT, 'screenshots');
const TENANT = '06130090';
const TENANT_NAME = '日本電気健康保険組合';
const PHONE = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 900 };

rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });

// ---------------------------------------------------------------- tiny harness
// Every check on the page waits for its condition (the SPA renders after the answer it waits
// for, and effects run after the paint): nothing is read once and asserted, nothing sleeps a
// fixed time. Each test starts from a state it establishes itself (see "known starting points"
// below), so a failure leaves a screenshot and the page's text and fails no unrelated test.
const TIMEOUT = 10_000;
const results = [];
/** Whether the test before failed: its page is then never trusted as the next one's start. */
let previousFailed = false;
async function test(name, fn) {
  const started = Date.now();
  try {
    if (page.isClosed()) page = await newPage();
    await fn();
    results.push({ name, ok: true });
    previousFailed = false;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    previousFailed = true;
    console.log(`FAIL ${name}\n     ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n     ')}`);
    await page.screenshot({ path: join(SHOTS, `FAILED-${slug(name)}.png`), fullPage: true }).catch(() => {});
    const { url, text, main } = await pageText();
    writeFileSync(join(SHOTS, `FAILED-${slug(name)}.txt`), `${url}\n\n${text}\n`);
    const lines = (main ?? text).split('\n').map((l) => l.trim()).filter(Boolean);
    console.log(`     page ${url}; ${main === undefined ? 'its' : '<main>'} text (the whole page in screenshots/FAILED-${slug(name)}.txt):`);
    for (const line of lines.slice(0, 12)) console.log(`     | ${line.slice(0, 120)}`);
    if (lines.length > 12) console.log(`     | … ${lines.length - 12} more lines`);
  }
}
/** The address and the visible text of the page (and of its <main>), or why they could not be read. */
async function pageText() {
  if (!page || page.isClosed()) return { url: '(no page)', text: '(the page is closed)' };
  const url = page.url();
  const read = await Promise.race([
    page.evaluate(() => ({ text: document.body?.innerText ?? '(no body)', main: document.querySelector('main')?.innerText })),
    sleep(3000).then(() => ({ text: '(the page did not answer within 3 s)' })),
  ]).catch((e) => ({ text: `(could not read the page: ${String(e?.message ?? e).split('\n')[0]})` }));
  return { url, ...read };
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
/**
 * Polls `condition` (async) until it returns true, at most `timeout` ms. Anything else it returns
 * (or throws) is what it saw, named in the error: `what: not so after 10000 ms; last: ...`.
 */
async function waitFor(condition, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last = 'not checked';
  for (;;) {
    try {
      const r = await condition();
      if (r === true) return;
      last = r === false || r === undefined ? String(r) : r;
    } catch (e) {
      last = `error: ${String(e?.message ?? e).split('\n')[0]}`;
    }
    if (Date.now() >= deadline) throw new Error(`${what}: not so after ${timeout} ms; last: ${last}`);
    await sleep(50);
  }
}
/** Waits until `read()` (async) gives `expected`. */
async function expectEq(read, expected, what, timeout) {
  await waitFor(
    async () => {
      const got = await read();
      return got === expected || `got ${JSON.stringify(got)}`;
    },
    `${what}: expected ${JSON.stringify(expected)}`,
    timeout,
  );
}
/** Waits until `read()` (async) gives a text containing `part`. */
async function expectIncludes(read, part, what, timeout) {
  await waitFor(
    async () => {
      const got = String(await read());
      return got.includes(part) || `got ${JSON.stringify(got.slice(0, 300))}`;
    },
    `${what}: expected to contain ${JSON.stringify(part)}`,
    timeout,
  );
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function eq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
function includes(text, part, what) {
  if (!String(text).includes(part)) throw new Error(`${what}: expected to contain ${JSON.stringify(part)}, got ${JSON.stringify(text)}`);
}
function slug(s) {
  return s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || 'screen';
}

// ---------------------------------------------------------------- server
const dir = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-'));
const port = await freePort();
const BASE = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  MADOGUCHI_DATABASE_URL: `sqlite://${dir}/db.sqlite`,
  MADOGUCHI_BIND: `127.0.0.1:${port}`,
  MADOGUCHI_PUBLIC_URL: BASE,
  MADOGUCHI_MAIL: `file://${dir}/mail`,
  MADOGUCHI_LOG: 'warn',
  LANG: 'C.UTF-8',
};

function cli(...args) {
  return execFileSync(BIN, args, { env, cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => res(p));
    });
  });
}

const members = {
  M001: { family: '山田', given: '太郎', birth: '19790822', postal: '100-0001', address: '東京都千代田区千代田1-1' },
  M002: { family: '佐藤', given: '花子', birth: '19850101' },
  M003: { family: '鈴木', given: '一郎', birth: '19900515' },
  M004: { family: '髙橋', given: '美咲', birth: '19951224' },
  // Locked at the identity check by five wrong birth dates.
  M005: { family: '田中', given: '次郎', birth: '19600303' },
  // Signs in with the temporary ID in groups and types the birth date as an era date.
  M006: { family: '伊藤', given: '三郎', birth: '19790822' },
};
writeFileSync(
  join(dir, 'roster.csv'),
  'member_code,family_name,given_name,birth_date,postal_code,address\n' +
    Object.entries(members)
      .map(([code, m]) => `${code},${m.family},${m.given},${m.birth},${m.postal ?? ''},${m.address ?? ''}`)
      .join('\n') +
    '\n',
);
/** The kenpo's help desk, shown in the footer after sign-in and with a lock. */
const CONTACT = {
  name: '日本電気健康保険組合 適用グループ',
  phone: '03-1234-5678',
  hours: '平日 9:00～17:00',
  url: 'https://kenpo.example.jp/contact',
};
cli('migrate');
cli('tenant', 'add', '--insurer-number', TENANT, '--name', TENANT_NAME);
// Said by the contact tests when the binary has no `--contact-*` options yet (an older build).
let contactSetup = null;
try {
  cli(
    'tenant', 'set', '--insurer-number', TENANT,
    '--contact-name', CONTACT.name,
    '--contact-phone', CONTACT.phone,
    '--contact-hours', CONTACT.hours,
    '--contact-url', CONTACT.url,
  );
} catch (err) {
  contactSetup = `madoguchi tenant set --contact-* failed: ${String(err.stderr || err.message).trim().split('\n')[0]}`;
}
cli('members', 'import', '--tenant', TENANT, join(dir, 'roster.csv'));
cli('credentials', 'issue', '--tenant', TENANT, '--out', join(dir, 'postcards.csv'));
const postcards = readPostcards(join(dir, 'postcards.csv'));

function readPostcards(file) {
  const [header, ...rows] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = header.split(',');
  const at = (name) => cols.indexOf(name);
  const out = {};
  for (const row of rows) {
    const cells = row.split(',');
    out[cells[at('member_code')]] = { id: cells[at('temp_login_id')], password: cells[at('temp_password')] };
  }
  return out;
}

const server = spawn(BIN, ['serve'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
// However this run ends (a failure, Ctrl-C, a closed pipe), the server and its files go with it.
process.on('exit', () => {
  stopping = true;
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(1));
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
// A server that goes away mid-run (a crash, or a signal from outside) is named once, so the
// failures after it are not read as the SPA's.
let stopping = false;
server.on('exit', (code, signal) => {
  if (stopping) return;
  const why = `e2e: the server exited during the run (code ${code}, signal ${signal})`;
  serverLog += `\n${why}\n`;
  console.log(why);
});
await waitForHealth();

// The monthly window (the 25th, 21:00–24:00 JST, moved earlier on holidays) closes the API for
// real: say so once instead of failing every test.
const status = await (await fetch(`${BASE}/api/v1/maintenance`)).json();
if (status.active) {
  console.log(`e2e: the portal is in a maintenance window until ${status.current?.ends_at}; run the browser tests after it`);
  stopping = true;
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(OUT, 'e2e.json'), JSON.stringify({ passed: 0, failed: 1 }));
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
}

async function waitForHealth(base = BASE) {
  for (let i = 0; i < 150; i++) {
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${serverLog}`);
}

/**
 * A second server of the same deployment (the same database and secret) whose public URL names
 * a domain, `localhost`: browsers take no IP address as a passkey's site. Started once, by the
 * first test that needs it; its address as the browser opens it.
 */
let passkeyBase = null;
async function passkeyServer() {
  if (passkeyBase) return passkeyBase;
  const p = await freePort();
  const second = spawn(BIN, ['serve'], {
    env: { ...env, MADOGUCHI_BIND: `127.0.0.1:${p}`, MADOGUCHI_PUBLIC_URL: `http://localhost:${p}` },
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  second.stdout.on('data', (d) => (serverLog += d));
  second.stderr.on('data', (d) => (serverLog += d));
  process.on('exit', () => second.kill('SIGTERM'));
  await waitForHealth(`http://127.0.0.1:${p}`);
  passkeyBase = `http://localhost:${p}`;
  return passkeyBase;
}

// ---------------------------------------------------------------- browser
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport: PHONE, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
const consoleErrors = [];
let page = await newPage();

async function newPage(inContext = context) {
  const p = await inContext.newPage();
  p.on('pageerror', (e) => consoleErrors.push(String(e)));
  // Console errors other than the answers the screens expect (401 before sign-in, 4xx on bad input,
  // 503 during maintenance), e.g. a Content-Security-Policy refusal.
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  p.setDefaultTimeout(TIMEOUT);
  return p;
}

/**
 * A page whose clock the test can move, in a browser context of its own: Playwright's clock
 * belongs to the context, so a clock moved on the shared one would leave every later page in
 * the future (a lock ending after midnight would then read as today). Closing the page closes
 * its context.
 */
async function newPageWithOwnClock() {
  const own = await browser.newContext({ viewport: PHONE, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const p = await newPage(own);
  p.on('close', () => void own.close().catch(() => {}));
  await p.clock.install();
  return p;
}

/** Reads the text of `selector` (one element), waiting at most a second for it to exist. */
const textOf = (selector) => () => page.locator(selector).innerText({ timeout: 1000 });
const errorOf = (field) => textOf(`#f-${field}-error`);
const attrOf = (selector, name) => () => page.locator(selector).getAttribute(name, { timeout: 1000 });
const valueOf = (selector) => () => page.locator(selector).inputValue({ timeout: 1000 });
const checkedOf = (selector) => () => page.locator(selector).isChecked({ timeout: 1000 });
const countOf = (selector) => () => page.locator(selector).count();
const pathname = async () => new URL(page.url()).pathname;
const stepLabel = async () =>
  (await page.locator('[aria-current="step"] .step__label').innerText({ timeout: 1000 })).replace(/（.*）/, '').trim();

async function expectHeading(text) {
  try {
    await page.locator('h1', { hasText: text }).waitFor();
  } catch {
    const shown = await page.evaluate(() => document.querySelector('h1')?.textContent ?? '(no heading)').catch(() => '?');
    throw new Error(`heading ${JSON.stringify(text)} within ${TIMEOUT} ms: the page shows ${JSON.stringify(shown)} at ${page.url()}`);
  }
}
/** Waits until <html lang> is `lang` (it changes in the same paint as the text). */
async function expectLang(lang) {
  try {
    await page.waitForFunction((want) => document.documentElement.lang === want, lang, { timeout: 5000 });
  } catch {
    const got = await page.evaluate(() => document.documentElement.lang).catch(() => '?');
    throw new Error(`html lang: expected ${JSON.stringify(lang)}, still ${JSON.stringify(got)} after 5000 ms`);
  }
}
async function expectFocus(id, what) {
  try {
    await page.waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 5000 });
  } catch {
    const el = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200)).catch(() => '?');
    throw new Error(`${what}: expected focus on #${id}, focused after 5000 ms: ${el}`);
  }
}

/** axe (0 violations), no sideways scrolling at 320 px, screenshots at phone and desktop width. */
async function checkScreen(name) {
  // Measured once the screen is complete: no part of it still waiting for an answer.
  await waitFor(async () => (await countOf('main .loading')()) === 0 || 'still loading', `${name}: screen loaded`);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const violations = axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // Every visible text at least 16 px.
  const tiny = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .filter((el) => el.getClientRects().length > 0 && !el.closest('.visually-hidden'))
      .map((el) => [el.textContent.trim().slice(0, 20), parseFloat(getComputedStyle(el).fontSize)])
      .filter(([, size]) => size < 16)
      .map(([text, size]) => `${text} ${size}px`),
  );
  assert(tiny.length === 0, `${name}: text under 16 px: ${tiny.join(', ')}`);
  await page.screenshot({ path: join(SHOTS, `${name}-320.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  assert(violations.length === 0, `axe on ${name}: ${violations.join('; ')}`);
  assert(overflow <= 0, `${name} scrolls sideways at 320 px by ${overflow} px`);
}

/** `12時45分` (or `12月3日 12時45分` when not today in Japan), as the lock notice says it. */
function jstUntil(ms) {
  const parts = (d) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
  const at = parts(new Date(ms));
  const now = parts(new Date());
  const time = `${Number(at.hour)}時${at.minute.padStart(2, '0')}分`;
  return at.year === now.year && at.month === now.month && at.day === now.day ? time : `${at.month}月${at.day}日 ${time}`;
}
/** The lock notice names a time 30 minutes after `lockedAt` (a minute either way for the clock). */
async function expectLockedFor30Minutes(lockedAt) {
  const candidates = [29, 30, 31].map((m) => `${jstUntil(lockedAt + m * 60_000)}までロックされています。`);
  await waitFor(async () => {
    const text = await textOf('#lock-until')();
    return candidates.includes(text) || `got ${JSON.stringify(text)}, expected one of ${candidates.join(' ')}`;
  }, 'the time the lock ends');
}
const isDisabled = (selector) => () => page.locator(selector).isDisabled({ timeout: 1000 });

/** The code an authenticator app shows at `ms` for a base32 `secret` (RFC 6238: SHA-1, 6 digits, 30 s). */
async function totpAt(secret, ms) {
  const { createHmac } = await import('node:crypto');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

async function login(id, password) {
  await page.fill('#f-login_id', id);
  await page.fill('#f-password', password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
}

const card = postcards.M001;

/** Every message in the mail folder: recipient and the decoded text/plain part. */
function mails() {
  const folder = join(dir, 'mail');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => {
      const raw = readFileSync(join(folder, f), 'utf8');
      const to = raw.match(/^To: (.*)$/m)?.[1]?.trim() ?? '';
      const part = raw.split(/^--\S+$/m).find((p) => /Content-Type: text\/plain/i.test(p)) ?? raw;
      const [headers, ...body] = part.split(/\r?\n\r?\n/);
      const content = body.join('\n\n');
      const text = /base64/i.test(headers)
        ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8')
        : content;
      return { file: f, to, text };
    });
}

/** Waits for a message to `to` whose text matches `pattern`, not one of `seen`. */
async function waitForMail(to, pattern, seen = new Set()) {
  let found;
  await waitFor(
    async () => {
      found = mails().find((m) => m.to.includes(to) && pattern.test(m.text) && !seen.has(m.file));
      return !!found || `have: ${mails().map((m) => m.to + ' ' + m.text.slice(0, 60)).join(' | ') || 'none'}`;
    },
    `an e-mail to ${to} matching ${pattern}`,
    20_000,
  );
  return found;
}
/** The names of the messages in the mail folder now, to wait for a later one. */
const mailsSoFar = () => new Set(mails().map((m) => m.file));

/** Registers a member through the API alone, as another browser would. */
async function registerThroughApi(postcard, birth, userId) {
  const json = (token, body) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const login = await fetch(`${BASE}/api/v1/auth/login`, json('', { login_id: postcard.id, password: postcard.password }));
  let token = (await login.json()).access_token;
  assert(token, 'API login');
  const terms = await (await fetch(`${BASE}/api/v1/onboarding/terms`, { headers: { authorization: `Bearer ${token}` } })).json();
  const identity = await fetch(
    `${BASE}/api/v1/onboarding/identity`,
    json(token, { insurer_number: TENANT, birth_date: birth, agree_to_terms: true, terms_version: terms.version }),
  );
  token = (await identity.json()).access_token;
  assert(token, 'API identity');
  const body = { user_id: userId, password: 'Other9Pass7', password_confirmation: 'Other9Pass7', email: 'other@example.jp', notify_on_update: true };
  const done = await fetch(`${BASE}/api/v1/onboarding/credentials`, json(token, body));
  eq(done.status, 201, 'API registration');
}
const newUser = { id: 'yamada1979', password: 'k7Wq2mZp9', email: 'taro.yamada@example.jp' };
/** The ID of the ad-hoc maintenance window the maintenance tests add (and remove). */
let maintenanceWindow = null;

// ---------------------------------------------------------------- known starting points
// A test that needs a given screen says so first. When the page is already there (the story
// goes on from the test before, and that test passed) nothing happens; otherwise the state is
// made again from nothing: cookies cleared, the stored language choice removed and a new page
// load, so the language is Japanese whatever the test before left.

/** Nobody signed in, a fresh load of `path` (Japanese). */
async function signedOut(path = '/login') {
  await context.clearCookies();
  await page.goto(`${BASE}${path}`);
  const hadChoice = await page.evaluate(() => {
    const had = localStorage.getItem('madoguchi.lang') !== null;
    localStorage.removeItem('madoguchi.lang');
    return had;
  });
  if (hadChoice) await page.reload();
  if (path === '/login') await expectHeading('ログイン');
  await expectLang('ja');
}

/** True when the page shows `heading` at `path` in Japanese: read once, to choose, never to assert. */
async function isAt(path, heading) {
  if (previousFailed) return false;
  return page
    .evaluate(
      ([p, h]) =>
        location.pathname === p &&
        document.documentElement.lang === 'ja' &&
        document.querySelector('h1')?.textContent?.trim() === h &&
        !document.querySelector('main .loading'),
      [path, heading],
    )
    .catch(() => false);
}

/** Runs `make` unless `already` holds; names the starting point when making it fails. */
async function startAt(where, already, make) {
  if (await already()) return;
  try {
    await make();
  } catch (err) {
    throw new Error(`setup "${where}" failed (an earlier test may have failed): ${err?.message ?? err}`);
  }
}

/** The postcard member M001 signed in, on 本人確認 (before registering). */
async function atIdentity() {
  await startAt('M001 on 本人確認', () => isAt('/onboarding/identity', '本人確認'), async () => {
    await signedOut();
    await login(card.id, card.password);
    await expectHeading('本人確認');
  });
}

/** M001 past the identity check, on 個人情報入力. */
async function atRegister() {
  await startAt('M001 on 個人情報入力', () => isAt('/onboarding/register', '個人情報入力'), async () => {
    await atIdentity();
    await page.fill('#f-insurer_number', TENANT);
    await page.fill('#f-birth_date', members.M001.birth);
    await page.getByLabel('同意する', { exact: true }).check();
    await page.getByRole('button', { name: '確認' }).click();
    await expectHeading('個人情報入力');
  });
}

/** M001 on 入力確認 with the new user's details typed (no notification e-mails). */
async function atConfirm() {
  await startAt('M001 on 入力確認', () => isAt('/onboarding/confirm', '入力確認'), async () => {
    await atRegister();
    await page.fill('#f-user_id', newUser.id);
    await page.fill('#f-password', newUser.password);
    await page.fill('#f-password_confirmation', newUser.password);
    await page.fill('#f-email', newUser.email);
    await page.getByLabel('通知情報更新時のメール通知').uncheck();
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectHeading('入力確認');
  });
}

/** The registered member (newUser) signed in, on the menu, in Japanese. */
async function atMenu() {
  const onMenu = async () =>
    (await isAt('/menu', 'メニュー')) && (await textOf('#menu-user_id')().catch(() => '')) === newUser.id;
  await startAt(`${newUser.id} on メニュー`, onMenu, async () => {
    await signedOut();
    await login(newUser.id, newUser.password);
    await expectHeading('メニュー');
    await expectEq(textOf('#menu-user_id'), newUser.id, 'user ID on the menu');
  });
}

try {
  await test('the server answers SPA routes with index.html and keeps problem+json for unknown API paths', async () => {
    const index = await fetch(`${BASE}/onboarding/identity`);
    eq(index.status, 200, 'client route status');
    includes(index.headers.get('content-type'), 'text/html', 'client route type');
    eq(index.headers.get('cache-control'), 'no-cache', 'index.html cache');
    const html = await index.text();
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert(asset, 'index.html names a hashed script');
    const js = await fetch(`${BASE}${asset}`);
    eq(js.status, 200, 'asset status');
    includes(js.headers.get('cache-control'), 'immutable', 'asset cache');
    const api = await fetch(`${BASE}/api/v1/no-such-route`);
    eq(api.status, 404, 'unknown API status');
    includes(api.headers.get('content-type'), 'application/problem+json', 'unknown API type');
    eq((await api.json()).code, 'not_found', 'unknown API code');
    eq((await fetch(`${BASE}/assets/missing-file.js`)).status, 404, 'missing asset');
  });

  await test('login screen at 320 px: Japanese, both recovery links, the maintenance rule and next window', async () => {
    await signedOut('/');
    await expectHeading('ログイン');
    await expectEq(pathname, '/login', 'the root goes to login without a session');
    await expectLang('ja');
    await page.getByRole('link', { name: 'IDを忘れた方はこちら' }).waitFor();
    await page.getByRole('link', { name: 'パスワードを忘れた方はこちら' }).waitFor();
    await expectIncludes(textOf('main'), '毎月25日の21:00～24:00はメンテナンス作業のため利用できません', 'maintenance rule');
    await page.locator('text=次回のメンテナンス：').waitFor();
    // The same rule for every ID, before anything is typed: no count that would tell an ID exists.
    await expectEq(textOf('#login-lock-rule'), 'パスワードを5回続けて間違えると30分間ロックされます。', 'the lock rule near the form');
    await expectIncludes(attrOf('meta[name="description"]', 'content'), '会員ポータルにログインします', 'the page description');
    await expectIncludes(textOf('footer'), '注意事項・免責事項・セキュリティポリシー等', 'footer terms link');
    await expectFocus('page-title', 'focus on the heading');
    const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize));
    assert(fontSize >= 16, `body text is ${fontSize}px`);
    // Every target at least 44 px high; check boxes and radios count by their whole label.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, a, label.toggle, label.choice__option')]
        .filter((el) => el.offsetParent !== null && !el.classList.contains('skip-link') && !(el instanceof HTMLInputElement && ['checkbox', 'radio'].includes(el.type)))
        .map((el) => [el.id || el.textContent?.trim(), el.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44)
        .map(([n, r]) => `${n} ${Math.round(r.width)}x${Math.round(r.height)}`),
    );
    assert(small.length === 0, `targets under 44 px: ${small.join(', ')}`);
    await checkScreen('01-login');
  });

  await test('at 200 % text size the header stays compact and breaks no word', async () => {
    await signedOut();
    const cdp = await context.newCDPSession(page);
    try {
      // The reader's text size (the browser's default font size), as a phone's large-text setting.
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
      await waitFor(
        async () => (await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))) === 32 || 'not yet',
        'text at 200 %',
      );
      // Lines of a text node: 1 when no word is broken.
      const lines = (selector) =>
        page.evaluate((sel) => {
          const el = document.querySelector(sel);
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }, selector);
      await expectEq(() => lines('.brand__name'), 1, 'Madoguchi on one line');
      await expectEq(() => lines('.lang-switch'), 1, 'English on one line');
      const share = await page.evaluate(() => document.querySelector('.site-header').getBoundingClientRect().height / window.innerHeight);
      assert(share <= 0.2, `the header takes ${Math.round(share * 100)} % of the first screen`);
      await page.screenshot({ path: join(SHOTS, '01c-login-text-200-320.png') });
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await expectHeading('Sign in');
      await expectEq(() => lines('.lang-switch'), 1, '日本語 on one line');
      await page.getByRole('button', { name: '日本語に切り替える' }).click();
      await expectHeading('ログイン');
    } finally {
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16 } }).catch(() => {});
      await cdp.detach().catch(() => {});
    }
  });

  await test('login: empty fields are named beside the fields and in the summary, focus on the first', async () => {
    await startAt('the login screen', () => isAt('/login', 'ログイン'), () => signedOut());
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expectEq(errorOf('login_id'), '入力してください。', 'user ID error');
    await expectEq(errorOf('password'), '入力してください。', 'password error');
    await expectFocus('f-login_id', 'focus');
    await expectIncludes(attrOf('#f-login_id', 'aria-describedby'), 'f-login_id-error', 'aria-describedby');
    await expectEq(attrOf('#f-login_id', 'aria-invalid'), 'true', 'aria-invalid');
    await expectIncludes(textOf('.error-summary'), '入力内容を確認してください', 'summary title');
    await page.locator('.error-summary a[href="#f-password"]').click();
    await expectFocus('f-password', 'summary link focuses the field');
    await checkScreen('02-login-errors');
  });

  await test('login: a wrong password gets the server’s Japanese answer', async () => {
    await startAt('the login screen', () => isAt('/login', 'ログイン'), () => signedOut());
    await login(card.id, 'Wrong2Pass9');
    await page.locator('#error-summary-title', { hasText: 'ログインできません' }).waitFor();
    await expectIncludes(textOf('.error-summary'), 'ユーザIDまたはパスワードが違います', 'detail');
    await expectFocus('error-summary-title', 'focus on the summary');
  });

  await test('login works by keyboard alone', async () => {
    await signedOut();
    // Tab goes on from the focused heading: wait until the screen has put the focus there.
    await expectFocus('page-title', 'focus on the heading');
    await page.keyboard.press('Tab');
    await expectFocus('f-login_id', 'Tab from the heading reaches the user ID');
    await page.keyboard.type(postcards.M003.id);
    await page.keyboard.press('Tab');
    await expectFocus('f-password', 'then the password');
    await page.keyboard.type(postcards.M003.password);
    await page.keyboard.press('Enter');
    await expectHeading('本人確認');
    await expectFocus('page-title', 'identity: focus on the heading');
    await page.keyboard.press('Tab');
    await expectFocus('f-insurer_number', 'identity: first field');
    await page.keyboard.type('06130090');
    await page.keyboard.press('Tab');
    await expectFocus('f-birth_date', 'identity: the birth date');
    await page.keyboard.type(members.M003.birth);
    await page.keyboard.press('Tab');
    await expectEq(() => page.evaluate(() => document.activeElement?.className), 'terms-box', 'the terms box takes focus to scroll');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Tab');
    await expectFocus('f-agree_to_terms', 'then 同意する');
    await page.keyboard.press('Space');
    await expectEq(checkedOf('#f-agree_to_terms'), true, '同意する chosen by Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectHeading('個人情報入力');
    // Leave this member half-way: a new login starts over.
    await signedOut();
  });

  await test('five wrong passwords lock the account: when it opens, whom to ask, the form disabled until then', async () => {
    // A page with a clock the test can move: the form must open again by itself after 30 minutes.
    await page.close();
    page = await newPageWithOwnClock();
    await signedOut();
    const answered = () =>
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST');
    let lockedAt = Date.now();
    for (let i = 0; i < 5; i++) {
      // Each attempt is over when the server has answered and the screen shows it.
      lockedAt = Date.now();
      await Promise.all([answered(), login(postcards.M004.id, `Wrong${i}Pass9`)]);
      await page.locator('#error-summary-title, #lock-title').first().waitFor();
      await page.waitForFunction(
        () => !document.querySelector('button[type=submit]')?.disabled || !!document.querySelector('#lock-title'),
      );
    }
    // The fifth failure locks; a server that tells it only on the next try is asked once more.
    if ((await countOf('#lock-title')()) === 0) {
      lockedAt = Date.now();
      await Promise.all([answered(), login(postcards.M004.id, postcards.M004.password)]);
    }
    await expectEq(textOf('#lock-title'), 'アカウントがロックされています', 'the lock notice');
    await expectFocus('lock-title', 'focus on the lock notice');
    await expectLockedFor30Minutes(lockedAt);
    // Before sign-in the kenpo is unknown: its contact is on the postcard.
    await expectIncludes(textOf('.lock-notice'), '通知書（ハガキ）に記載の健康保険組合の問い合わせ先', 'whom to ask');
    await expectEq(isDisabled('#f-login_id'), true, 'user ID disabled');
    await expectEq(isDisabled('#f-password'), true, 'password disabled');
    await expectEq(isDisabled('button[type=submit]'), true, 'submit disabled');
    await checkScreen('04b-login-locked');
    await page.clock.fastForward('31:00');
    await page.locator('.notice', { hasText: 'ロックが解除されました' }).waitFor();
    await expectEq(countOf('#lock-title'), 0, 'lock notice gone');
    await expectEq(isDisabled('#f-login_id'), false, 'user ID enabled again');
    await expectEq(isDisabled('button[type=submit]'), false, 'submit enabled again');
    await page.close();
  });

  await test('identity: from the third wrong birth date the screen counts the tries left; the fifth locks', async () => {
    await signedOut();
    await login(postcards.M005.id, postcards.M005.password);
    await expectHeading('本人確認');
    await page.fill('#f-insurer_number', TENANT);
    await page.getByLabel('同意する', { exact: true }).check();
    const answered = () =>
      page.waitForResponse((r) => r.url().endsWith('/api/v1/onboarding/identity') && r.request().method() === 'POST');
    const wrong = ['19600304', '19600305', '19600306', '19600307', '19600308'];
    let lockedAt = Date.now();
    for (const [i, date] of wrong.entries()) {
      await page.fill('#f-birth_date', date);
      lockedAt = Date.now();
      await Promise.all([answered(), page.getByRole('button', { name: '確認' }).click()]);
      await page.locator('#error-summary-title, #lock-title').first().waitFor();
      const failures = i + 1;
      if (failures < 3) {
        await expectIncludes(textOf('#error-summary-title'), '本人確認ができません', `failure ${failures}`);
        // Read once the answer is shown: the count comes with the same answer, or not at all.
        eq(await countOf('#error-summary-note')(), 0, `no count after failure ${failures}`);
      } else if (failures < 5) {
        await expectEq(textOf('#error-summary-note'), `あと${5 - failures}回間違えると30分間ロックされます。`, `count after failure ${failures}`);
        if (failures === 3) await checkScreen('07b-identity-tries-left');
      }
    }
    // The fifth failure locks; a server that tells it only on the next try is asked once more.
    if ((await countOf('#lock-title')()) === 0) {
      lockedAt = Date.now();
      await Promise.all([answered(), page.getByRole('button', { name: '確認' }).click()]);
    }
    await expectEq(textOf('#lock-title'), 'アカウントがロックされています', 'the lock notice');
    await expectLockedFor30Minutes(lockedAt);
    await expectEq(isDisabled('#f-insurer_number'), true, 'insurer number disabled');
    await expectEq(isDisabled('#f-birth_date'), true, 'birth date disabled');
    await expectEq(isDisabled('#f-agree_to_terms'), true, 'terms choice disabled');
    await expectEq(isDisabled('button[type=submit]'), true, 'submit disabled');
    // The kenpo is known at the identity check: its contact comes with the lock.
    assert(contactSetup === null, contactSetup);
    await expectIncludes(textOf('.lock-notice'), CONTACT.name, 'the kenpo’s contact');
    await expectEq(attrOf('.lock-notice a[href^="tel:"]', 'href'), 'tel:0312345678', 'phone as a tel: link');
    await checkScreen('07c-identity-locked');
  });

  await test('a temporary ID pasted in groups signs in; an era birth date passes; the temporary ID is refused as the new one first', async () => {
    await signedOut();
    const id = postcards.M006.id;
    await login(`${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8)}`, postcards.M006.password);
    await expectHeading('本人確認');
    await page.fill('#f-insurer_number', TENANT);
    await page.fill('#f-birth_date', '昭和54年8月22日');
    await page.getByLabel('同意する', { exact: true }).check();
    await page.getByRole('button', { name: '確認' }).click();
    await expectHeading('個人情報入力');
    await page.fill('#f-user_id', id);
    await page.locator('#f-user_id').blur();
    await expectEq(errorOf('user_id'), '仮ユーザIDと同じIDは設定できません。', 'the temporary ID named before the length');
    await page.fill('#f-user_id', `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8)}`);
    await expectEq(errorOf('user_id'), '仮ユーザIDと同じIDは設定できません。', 'also in groups');
    await checkScreen('08b-register-temporary-id');
  });

  await test('forgot ID and forgot password screens check their fields', async () => {
    await signedOut();
    await page.getByRole('link', { name: 'IDを忘れた方はこちら' }).click();
    await expectHeading('ユーザIDを忘れた方');
    await page.getByRole('button', { name: '送信' }).click();
    await expectEq(errorOf('email'), '入力してください。', 'e-mail required');
    await expectEq(errorOf('birth_date'), '入力してください。', 'birth date required');
    await expectFocus('f-email', 'focus on the first error');
    await expectEq(attrOf('#f-birth_date', 'inputmode'), 'numeric', 'birth date inputmode');
    await expectIncludes(textOf('main .contact'), '通知書（ハガキ）に記載の健康保険組合の問い合わせ先', 'whom to ask without an e-mail');
    await checkScreen('03-forgot-id');
    await page.getByRole('link', { name: 'ログイン画面へ戻る' }).click();
    await expectHeading('ログイン');
    await page.getByRole('link', { name: 'パスワードを忘れた方はこちら' }).click();
    await expectHeading('パスワードを忘れた方');
    await page.fill('#f-user_id', 'ab');
    await page.fill('#f-email', 'taro@');
    await page.getByRole('button', { name: '送信' }).click();
    await expectIncludes(errorOf('user_id'), '8～13文字', 'user ID shape');
    await expectIncludes(errorOf('email'), 'メールアドレスの形式', 'e-mail shape');
    await checkScreen('04-forgot-password');
    await page.getByRole('link', { name: 'ログイン画面へ戻る' }).click();
    await expectHeading('ログイン');
  });

  await test('terms page from the footer', async () => {
    await startAt('the login screen', () => isAt('/login', 'ログイン'), () => signedOut());
    await page.locator('footer').getByRole('link', { name: '注意事項・免責事項・セキュリティポリシー等' }).click();
    await expectHeading('注意事項・免責事項・セキュリティポリシー等');
    await page.locator('#terms-doc-title').waitFor();
    await waitFor(async () => (await textOf('.terms-body')()).length > 20 || 'too short', 'terms text shown');
    await checkScreen('05-terms');
    await page.getByRole('link', { name: '前の画面へ戻る' }).click();
    await expectHeading('ログイン');
  });

  await test('postcard login leads to the identity check with the kenpo name, step 1 and the terms', async () => {
    await startAt('the login screen', () => isAt('/login', 'ログイン'), () => signedOut());
    await login(card.id, card.password);
    await expectHeading('本人確認');
    await expectEq(pathname, '/onboarding/identity', 'path');
    await expectEq(textOf('#tenant-name'), TENANT_NAME, 'kenpo name in the header');
    await expectEq(stepLabel, '本人確認', 'step 1');
    await expectEq(attrOf('#f-insurer_number', 'inputmode'), 'numeric', 'insurer number inputmode');
    await expectEq(attrOf('#f-birth_date', 'inputmode'), 'numeric', 'birth date inputmode');
    await expectIncludes(textOf('#f-birth_date-hint'), '入力例：19790822（昭和54年8月22日）', 'birth date example');
    await expectEq(attrOf('#f-birth_date', 'placeholder'), null, 'no placeholder that looks filled in');
    await page.locator('.terms-box h3').waitFor();
    await page.getByLabel('同意する', { exact: true }).waitFor();
    await page.getByLabel('同意しない').waitFor();
    await expectFocus('page-title', 'focus on the new heading');
    await checkScreen('06-identity');
  });

  await test('identity: every mistake is named in Japanese beside its field', async () => {
    await atIdentity();
    await page.fill('#f-insurer_number', 'AB-1234');
    await page.fill('#f-birth_date', '19790230');
    await page.getByLabel('同意しない').check();
    await page.getByRole('button', { name: '確認' }).click();
    await expectIncludes(errorOf('insurer_number'), '記号・番号ではありません', 'card symbol hint');
    await expectIncludes(errorOf('birth_date'), '存在しない日付です', 'impossible date');
    await expectIncludes(errorOf('agree_to_terms'), '「同意する」を選んでください', 'terms not agreed');
    await expectFocus('f-insurer_number', 'focus on the first error');
    await expectEq(countOf('.error-summary li'), 3, 'three summary links');
    await checkScreen('07-identity-errors');
    // Checked as typed: the message follows the value.
    await page.fill('#f-insurer_number', '06130091');
    await expectIncludes(errorOf('insurer_number'), '保険者番号が正しくありません', 'check digit');
    await page.fill('#f-insurer_number', '0613009');
    await expectIncludes(errorOf('insurer_number'), '8桁の数字', 'length');
    await page.fill('#f-birth_date', '20991231');
    await expectIncludes(errorOf('birth_date'), '未来の日付', 'future');
    // Other shapes are the server's to judge: the field takes them as typed.
    for (const shape of ['1979/8/22', '昭和54年8月22日', 'S54.8.22']) {
      await page.fill('#f-birth_date', shape);
      await expectEq(countOf('#f-birth_date-error'), 0, `${shape} accepted as typed`);
    }
  });

  await test('identity: a birth date that is not the roster’s gets the server’s answer', async () => {
    await atIdentity();
    await page.fill('#f-insurer_number', TENANT);
    await page.fill('#f-birth_date', '19800101');
    await page.getByLabel('同意する', { exact: true }).check();
    await page.getByRole('button', { name: '確認' }).click();
    await page.locator('#error-summary-title', { hasText: '本人確認ができません' }).waitFor();
    await expectHeading('本人確認');
  });

  await test('identity passes with full-width digits and leads to step 2', async () => {
    await atIdentity();
    await page.fill('#f-insurer_number', '０６１３００９０');
    await page.fill('#f-birth_date', '１９７９０８２２');
    await page.getByLabel('同意する', { exact: true }).check();
    await page.getByRole('button', { name: '確認' }).click();
    await expectHeading('個人情報入力');
    await expectEq(stepLabel, '情報入力', 'step 2');
  });

  await test('personal information: rules shown before typing and checked as typed', async () => {
    await atRegister();
    await expectIncludes(textOf('#f-user_id-hint'), '8～13文字（数字のみの場合は8～12桁）', 'user ID rule before typing');
    await expectIncludes(textOf('#f-password-hint'), '半角英字と数字を両方含む（記号も使えます）', 'password rule before typing');
    assert(!(await textOf('#f-password-hint')()).includes('記号を含む'), 'symbols are allowed, not required');
    await checkScreen('08-register');
    await page.fill('#f-user_id', 'abc');
    await page.locator('#f-user_id').blur();
    await expectIncludes(errorOf('user_id'), '8～13文字', 'short user ID');
    await page.fill('#f-user_id', 'abc_12345');
    await expectIncludes(errorOf('user_id'), '半角英数字', 'user ID characters');
    await page.fill('#f-password', 'abcdefgh');
    await page.locator('#f-password').blur();
    await expectIncludes(errorOf('password'), '英字と数字の両方', 'password letters only');
    await page.fill('#f-password_confirmation', 'abcdefgX');
    await page.locator('#f-password_confirmation').blur();
    await expectIncludes(errorOf('password_confirmation'), '一致しません', 'confirmation');
    await page.fill('#f-email', 'taro@');
    // Pressing the button right after typing: the e-mail's message appears as the field is left,
    // and must not move the button away from under the pointer.
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectIncludes(errorOf('email'), 'メールアドレスの形式', 'e-mail');
    await expectFocus('f-user_id', 'focus on the first error');
    await expectEq(countOf('.error-summary li'), 4, 'four summary links');
    await checkScreen('09-register-errors');
  });

  await test('personal information: the server’s checks appear beside the fields', async () => {
    await atRegister();
    await page.fill('#f-user_id', newUser.id);
    await page.fill('#f-password', card.password);
    await page.fill('#f-password_confirmation', card.password);
    await page.fill('#f-email', newUser.email);
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectIncludes(errorOf('password'), '仮パスワード', 'not the temporary password');
    await expectFocus('f-password', 'focus on the password');
    await page.fill('#f-password', 'password1');
    await page.fill('#f-password_confirmation', 'password1');
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectIncludes(errorOf('password'), 'よく使われ', 'common password refused');
    await checkScreen('10-register-server-errors');
  });

  await test('confirmation shows what was typed with the password masked, and 戻る keeps everything', async () => {
    await atRegister();
    await page.fill('#f-user_id', newUser.id);
    await page.fill('#f-password', newUser.password);
    await page.fill('#f-password_confirmation', newUser.password);
    await page.fill('#f-email', 'ｔａｒｏ．ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ');
    await page.getByLabel('通知情報更新時のメール通知').uncheck();
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectHeading('入力確認');
    await expectEq(stepLabel, '確認', 'step 3');
    await expectEq(textOf('#confirm-user_id'), newUser.id, 'user ID');
    await expectEq(textOf('#confirm-email'), newUser.email, 'e-mail as the server normalised it');
    await expectEq(textOf('#confirm-notify'), '受け取らない', 'notification flag');
    // Read once the screen shows the checked values above: waiting for an absence proves nothing.
    assert(!(await textOf('main')()).includes(newUser.password), 'password never shown');
    await checkScreen('11-confirm');
    await page.getByRole('button', { name: '戻る' }).click();
    await expectHeading('個人情報入力');
    await expectEq(valueOf('#f-user_id'), newUser.id, 'user ID kept');
    await expectEq(valueOf('#f-password'), newUser.password, 'password kept');
    await expectEq(valueOf('#f-password_confirmation'), newUser.password, 'confirmation kept');
    await expectEq(valueOf('#f-email'), 'ｔａｒｏ．ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ', 'e-mail kept as typed');
    await expectEq(checkedOf('#f-notify_on_update'), false, 'notification choice kept');
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectHeading('入力確認');
  });

  await test('実行 registers: the result screen, then メニューへ opens the menu', async () => {
    await atConfirm();
    await page.getByRole('button', { name: '実行' }).click();
    await expectHeading('登録完了');
    await expectEq(stepLabel, '完了', 'step 4');
    await expectIncludes(textOf('main'), 'パスワードを忘れた方はこちら', 'password-loss notice');
    await expectIncludes(textOf('#done-mail-sent'), `確認用メールを ${newUser.email} にお送りしました`, 'the address it went to');
    await expectIncludes(textOf('#done-mail-sent'), '24時間有効', 'how long its link works');
    await expectIncludes(textOf('main'), 'メールアドレスの確認が済むまで、パスワードの再発行はできません', 'recovery needs a verified address');
    await checkScreen('12-done');
    await page.getByRole('button', { name: 'メニューへ' }).click();
    await expectHeading('メニュー');
    await expectEq(textOf('#menu-user_id'), newUser.id, 'user ID on the menu');
    await expectEq(textOf('#tenant-name'), TENANT_NAME, 'kenpo name');
    await checkScreen('13-menu');
  });

  await test('the menu greets the member by the roster’s name and shows the name and address on file', async () => {
    await atMenu();
    await expectEq(textOf('#menu-welcome'), `${members.M001.family} ${members.M001.given} 様、ようこそ。`, 'greeting by name');
    await expectEq(textOf('#menu-name'), `${members.M001.family} ${members.M001.given}`, 'name on file');
    await expectEq(textOf('#menu-address'), `〒${members.M001.postal} ${members.M001.address}`, 'address on file');
    await expectIncludes(textOf('#changes-title'), '住所・氏名の変更', 'where to change them');
    await expectIncludes(textOf('main'), 'このポータルでできること', 'what is here now');
  });

  await test('the kenpo’s contact is in the footer after sign-in', async () => {
    assert(contactSetup === null, contactSetup);
    await atMenu();
    await expectIncludes(textOf('#site-contact'), CONTACT.name, 'contact name');
    await expectIncludes(textOf('#site-contact'), CONTACT.hours, 'contact hours');
    await expectEq(attrOf('#site-contact a[href^="tel:"]', 'href'), 'tel:0312345678', 'phone as a tel: link');
    await expectEq(textOf('#site-contact a[href^="tel:"]'), CONTACT.phone, 'phone as written');
    await expectEq(attrOf(`#site-contact a[href="${CONTACT.url}"]`, 'href'), CONTACT.url, 'web page as a link');
    await page.locator('#site-contact').scrollIntoViewIfNeeded();
    await checkScreen('13b-menu-contact');
  });

  await test('the token lives only in the HttpOnly cookie', async () => {
    await atMenu();
    // Only the language choice is kept in the browser: never a token or anything about the member.
    const storage = await page.evaluate(() => [
      Object.keys(localStorage).filter((k) => k !== 'madoguchi.lang'),
      ['ja', 'en', null].includes(localStorage.getItem('madoguchi.lang')),
      sessionStorage.length,
      document.cookie,
    ]);
    eq(JSON.stringify(storage), JSON.stringify([[], true, 0, '']), 'storage and script-visible cookies');
    const cookie = (await context.cookies()).find((c) => c.name === 'madoguchi_session');
    assert(cookie, 'session cookie set');
    eq(cookie.httpOnly, true, 'HttpOnly');
    eq(cookie.sameSite, 'Strict', 'SameSite');
  });

  await test('a reload keeps the member on the menu', async () => {
    await atMenu();
    await page.reload();
    await expectHeading('メニュー');
    await expectEq(textOf('#menu-user_id'), newUser.id, 'user ID after reload');
  });

  await test('English switch, and back to Japanese', async () => {
    await atMenu();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expectHeading('Menu');
    await expectLang('en');
    await expectIncludes(textOf('main'), 'Sign out', 'English button');
    await checkScreen('14-menu-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await expectHeading('メニュー');
    await expectLang('ja');
  });

  await test('the English choice survives a reload and a new tab', async () => {
    await atMenu();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expectHeading('Menu');
    await page.reload();
    await expectHeading('Menu');
    await expectLang('en');
    await expectIncludes(attrOf('meta[name="description"]', 'content'), 'See your registration', 'English description');
    const tab = await newPage();
    try {
      await tab.goto(`${BASE}/login`);
      await tab.locator('h1', { hasText: 'Sign in' }).waitFor();
    } finally {
      await tab.close();
    }
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await expectHeading('メニュー');
    await page.reload();
    await expectHeading('メニュー');
    await expectLang('ja');
  });

  await test('logout returns to login; the temporary ID is retired and the new user ID signs in', async () => {
    await atMenu();
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expectHeading('ログイン');
    await page.locator('.notice', { hasText: 'ログアウトしました。' }).waitFor();
    await login(card.id, card.password);
    await page.locator('#error-summary-title', { hasText: 'ログインできません' }).waitFor();
    await login(newUser.id.toUpperCase(), newUser.password);
    await expectHeading('メニュー');
  });

  await test('a signed-out visit to an onboarding address goes to login', async () => {
    await atMenu();
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expectHeading('ログイン');
    await page.goto(`${BASE}/onboarding/register`);
    await expectHeading('ログイン');
    await expectEq(pathname, '/login', 'path');
  });

  await test('a user ID taken between 入力内容確認 and 実行 is named beside the field, input kept', async () => {
    await signedOut();
    await login(postcards.M003.id, postcards.M003.password);
    // The flow lives in the session: a new sign-in starts at the identity check again.
    await expectHeading('本人確認');
    await page.fill('#f-insurer_number', TENANT);
    await page.fill('#f-birth_date', members.M003.birth);
    await page.getByLabel('同意する', { exact: true }).check();
    await page.getByRole('button', { name: '確認' }).click();
    await expectHeading('個人情報入力');
    const taken = { id: 'suzuki1990', password: 'Zq8vLm3xR', email: 'ichiro@example.jp' };
    await page.fill('#f-user_id', taken.id);
    await page.fill('#f-password', taken.password);
    await page.fill('#f-password_confirmation', taken.password);
    await page.fill('#f-email', taken.email);
    await page.getByRole('button', { name: '入力内容確認' }).click();
    await expectHeading('入力確認');
    await registerThroughApi(postcards.M002, members.M002.birth, taken.id);
    await page.getByRole('button', { name: '実行' }).click();
    await expectHeading('個人情報入力');
    await expectIncludes(errorOf('user_id'), 'すでに使われています', 'user ID taken');
    await expectFocus('f-user_id', 'focus on the user ID');
    await expectEq(valueOf('#f-password'), taken.password, 'password kept');
    await expectEq(valueOf('#f-email'), taken.email, 'e-mail kept');
    await checkScreen('16-register-user-id-taken');
  });

  await test('English: the screens and the client-side messages switch language', async () => {
    // The next step of the test before (its server answer is carried): no way to make it again.
    await expectHeading('個人情報入力');
    await expectLang('ja');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expectHeading('Your details');
    await expectLang('en');
    await expectIncludes(errorOf('user_id'), 'already taken', 'carried server message shown in English');
    await page.fill('#f-email', 'ichiro@');
    await page.locator('#f-email').blur();
    await expectIncludes(errorOf('email'), 'Enter an e-mail address like', 'English client message');
    await checkScreen('17-register-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await expectHeading('個人情報入力');
    await expectLang('ja');
  });

  await test('a session ended on another device sends the member to login with the reason', async () => {
    await signedOut();
    await login(newUser.id, newUser.password);
    await expectHeading('メニュー');
    // The household signs out on another phone: every token of the account is revoked.
    const other = await fetch(`${BASE}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login_id: newUser.id, password: newUser.password }),
    });
    const { access_token } = await other.json();
    const out = await fetch(`${BASE}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${access_token}` } });
    eq(out.status, 204, 'logout elsewhere');
    await page.reload();
    await expectHeading('ログイン');
    await page.locator('.notice', { hasText: 'ログインの有効期限が切れました' }).waitFor();
  });

  await test('the confirmation e-mail’s link confirms the address only when its button is pressed', async () => {
    const mail = await waitForMail(newUser.email, /verify-email\?token=/);
    const link = mail.text.match(/https?:\/\/\S+\/verify-email\?token=\S+/)?.[0];
    assert(link, 'a verification link in the e-mail');
    await context.clearCookies();
    await page.goto(link);
    await expectHeading('メールアドレスの確認');
    await expectEq(() => page.evaluate(() => window.location.search), '', 'token taken out of the address bar');
    await page.getByRole('button', { name: 'メールアドレスを確認する' }).waitFor();
    await checkScreen('18-verify-email');
    await page.getByRole('button', { name: 'メールアドレスを確認する' }).click();
    await page.locator('.notice', { hasText: 'メールアドレスを確認しました' }).waitFor();
    // The same link again: the address is already confirmed, and the page says so.
    await page.goto(link);
    await page.getByRole('button', { name: 'メールアドレスを確認する' }).click();
    await page.locator('.notice', { hasText: 'このメールアドレスは確認済みです' }).waitFor();
    // A link that was never ours cannot be used.
    await page.goto(`${BASE}/verify-email?token=bm90LWEtdG9rZW4`);
    await page.getByRole('button', { name: 'メールアドレスを確認する' }).click();
    await page.locator('main', { hasText: 'このリンクは使えません' }).waitFor();
  });

  await test('forgot user ID: the user ID arrives by e-mail', async () => {
    const seen = mailsSoFar();
    await signedOut();
    await page.getByRole('link', { name: 'IDを忘れた方はこちら' }).click();
    await expectHeading('ユーザIDを忘れた方');
    await page.fill('#f-email', newUser.email);
    await page.fill('#f-birth_date', '１９７９０８２２');
    await page.getByRole('button', { name: '送信' }).click();
    await expectHeading('メールを送信しました');
    await expectIncludes(textOf('main'), '健康保険組合にお問い合わせください', 'what to do without an e-mail');
    await checkScreen('19-forgot-id-sent');
    const mail = await waitForMail(newUser.email, new RegExp(newUser.id), seen);
    includes(mail.text, `ユーザID: ${newUser.id}`, 'the user ID in the e-mail');
  });

  await test('forgot password: a temporary password by e-mail, the forced password change, then the menu', async () => {
    const seen = mailsSoFar();
    await signedOut('/forgot-password');
    await expectHeading('パスワードを忘れた方');
    await page.fill('#f-user_id', newUser.id);
    await page.fill('#f-email', newUser.email);
    await page.getByRole('button', { name: '送信' }).click();
    await expectHeading('メールを送信しました');
    await checkScreen('20-forgot-password-sent');
    const mail = await waitForMail(newUser.email, /仮パスワード: /, seen);
    const temporary = mail.text.match(/仮パスワード: (\S+)/)?.[1];
    assert(temporary, 'a temporary password in the e-mail');
    await page.getByRole('link', { name: 'ログイン画面へ戻る' }).click();
    await expectHeading('ログイン');
    await login(newUser.id, temporary);
    await expectHeading('パスワードの変更');
    await expectIncludes(textOf('main'), '仮パスワードでログインしました', 'temporary-password intro');
    await expectEq(countOf('#f-current_password'), 0, 'no current password asked');
    await page.fill('#f-new_password', temporary);
    await page.fill('#f-new_password_confirmation', temporary);
    await page.getByRole('button', { name: '変更する' }).click();
    await expectIncludes(errorOf('new_password'), '仮パスワード', 'not the temporary password');
    await checkScreen('21-password-change');
    const chosen = 'N3wPass7word';
    await page.fill('#f-new_password', chosen);
    await page.fill('#f-new_password_confirmation', chosen);
    await page.getByRole('button', { name: '変更する' }).click();
    await page.locator('.notice', { hasText: 'パスワードを変更しました' }).waitFor();
    newUser.password = chosen;
    await page.getByRole('button', { name: 'メニューへ' }).click();
    await expectHeading('メニュー');
  });

  await test('password change from the menu asks for the current password', async () => {
    await atMenu();
    await page.getByRole('link', { name: 'パスワードの変更' }).click();
    await expectHeading('パスワードの変更');
    await page.fill('#f-current_password', 'Wrong1Pass2');
    await page.fill('#f-new_password', 'Another8Pass');
    await page.fill('#f-new_password_confirmation', 'Another8Pass');
    await page.getByRole('button', { name: '変更する' }).click();
    await expectEq(errorOf('current_password'), '現在のパスワードが違います。', 'wrong current password, in this screen’s words');
    await expectFocus('f-current_password', 'focus on the current password');
    await checkScreen('22-password-change-member');
    await page.fill('#f-current_password', newUser.password);
    await page.getByRole('button', { name: '変更する' }).click();
    await page.locator('.notice', { hasText: 'パスワードを変更しました' }).waitFor();
    newUser.password = 'Another8Pass';
    await page.getByRole('button', { name: 'メニューへ' }).click();
    await expectHeading('メニュー');
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expectHeading('ログイン');
    await login(newUser.id, newUser.password);
    await expectHeading('メニュー');
  });

  await test('menu: the notification flag is saved, and a new e-mail address takes over after its link', async () => {
    await atMenu();
    await expectEq(checkedOf('#f-notify_on_update'), false, 'flag as registered');
    await page.getByLabel('通知情報更新時のメール通知').check();
    await page.getByRole('button', { name: '通知の設定を保存する' }).click();
    await page.locator('.notice', { hasText: '通知の設定を保存しました。' }).waitFor();
    await page.reload();
    await expectHeading('メニュー');
    await expectEq(checkedOf('#f-notify_on_update'), true, 'flag stored');
    await checkScreen('23-menu-settings');

    const newEmail = 'taro.new@example.jp';
    await page.getByRole('link', { name: 'メールアドレスの変更' }).click();
    await expectHeading('メールアドレスの変更');
    await page.fill('#f-email', newEmail);
    await page.fill('#f-current_password', 'Wrong1Pass2');
    await page.getByRole('button', { name: '変更する' }).click();
    await expectEq(errorOf('current_password'), '現在のパスワードが違います。', 'wrong current password, in this screen’s words');
    await checkScreen('24-change-email');
    const seen = mailsSoFar();
    await page.fill('#f-current_password', newUser.password);
    await page.getByRole('button', { name: '変更する' }).click();
    await page.locator('.notice', { hasText: '確認用メールを送信しました' }).waitFor();
    await page.getByRole('button', { name: 'メニューへ' }).click();
    await expectHeading('メニュー');
    await expectIncludes(textOf('#menu-pending_email'), newEmail, 'pending address shown');
    await expectIncludes(textOf('#menu-email'), newUser.email, 'old address still in use');
    const first = await waitForMail(newEmail, /verify-email\?token=/, seen);
    seen.add(first.file);
    await page.getByRole('button', { name: '確認用メールを再送する' }).click();
    await page.locator('.notice', { hasText: '確認用メールを送信しました' }).waitFor();
    const latest = await waitForMail(newEmail, /verify-email\?token=/, seen);
    const link = latest.text.match(/https?:\/\/\S+\/verify-email\?token=\S+/)?.[0];
    assert(link, 'a verification link in the re-sent e-mail');
    await page.goto(link);
    await page.getByRole('button', { name: 'メールアドレスを確認する' }).click();
    await page.locator('.notice', { hasText: 'メールアドレスを確認しました' }).waitFor();
    await page.goto(`${BASE}/menu`);
    await expectHeading('メニュー');
    await expectIncludes(textOf('#menu-email'), newEmail, 'new address in use');
    await expectIncludes(textOf('#menu-email'), '確認済み', 'and verified');
    newUser.email = newEmail;
  });

  await test('a member whose account is locked meanwhile sees until when and whom to ask, then the menu again', async () => {
    // A page whose clock the test can move past the lock's end.
    await page.close();
    page = await newPageWithOwnClock();
    await atMenu();
    // Someone else types wrong passwords for this account on another device.
    let lockedAt = Date.now();
    for (let i = 0; i < 5; i++) {
      lockedAt = Date.now();
      const r = await fetch(`${BASE}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login_id: newUser.id, password: `Wrong${i}Pass7` }),
      });
      if (r.status === 423) break;
    }
    await page.reload();
    await expectHeading('アカウントがロックされています');
    await expectEq(pathname, '/locked', 'path');
    await expectLockedFor30Minutes(lockedAt);
    // A signed-in member's kenpo is known: its contact comes with the lock.
    assert(contactSetup === null, contactSetup);
    await expectIncludes(textOf('main .contact'), CONTACT.name, 'the kenpo’s contact');
    await checkScreen('25-locked');
    cli('account', 'unlock', '--tenant', TENANT, '--member', 'M001');
    await page.clock.fastForward('31:00');
    await expectHeading('メニュー');
    await expectEq(pathname, '/menu', 'back on the menu');
    await page.close();
  });

  await test('maintenance: a 503 from the API shows the maintenance page', async () => {
    await signedOut();
    const jst = (ms) => {
      const d = new Date(Date.now() + ms + 9 * 3600_000);
      return d.toISOString().slice(0, 16) + '+09:00';
    };
    maintenanceWindow = cli('maintenance', 'add', '--starts-at', jst(-60_000), '--ends-at', jst(30 * 60_000), '--reason', 'e2e')
      .trim()
      .split('\t')[0];
    await waitFor(
      async () => {
        const status = (await fetch(`${BASE}/api/v1/session`)).status;
        return status === 503 || `status ${status}`;
      },
      'the API closed (503) for the new window',
      8000,
    );
    const other = postcards.M002;
    await login(other.id, other.password);
    await expectHeading('メンテナンス中です');
    await expectEq(pathname, '/maintenance', 'path');
    await page.locator('text=終了予定：').waitFor();
    await expectIncludes(textOf('main .contact'), '通知書（ハガキ）に記載の健康保険組合の問い合わせ先', 'whom to ask');
    await checkScreen('15-maintenance');
    await page.goto(`${BASE}/menu`);
    await expectHeading('メンテナンス中です');
  });

  await test('maintenance: a bookmarked login shows the maintenance screen, and the login comes back after the window', async () => {
    assert(maintenanceWindow, 'the window of the test before');
    await context.clearCookies();
    // Opened from a bookmark: the screen asks before it shows the form.
    await page.goto(`${BASE}/login`);
    await expectHeading('メンテナンス中です');
    await expectEq(pathname, '/maintenance', 'path');
    await expectEq(countOf('#f-login_id'), 0, 'no login form');
    await page.locator('#maintenance-until').waitFor();
    cli('maintenance', 'remove', maintenanceWindow);
    // The server re-reads windows within 5 s; the screen checks every 30 s: within 40 s, back.
    await waitFor(async () => (await pathname()) === '/login' || `at ${await pathname()}`, 'back on the login screen', 45_000);
    await expectHeading('ログイン');
    await page.locator('#f-login_id').waitFor();
    // /maintenance itself, after the window, does not say it is closed.
    await page.goto(`${BASE}/maintenance`);
    await expectHeading('ログイン');
  });

  await test('two-step login: the app is set up from セキュリティ設定 with its QR code, then the code screen works by keyboard alone', async () => {
    await atMenu();
    await page.getByRole('link', { name: 'セキュリティ設定（二段階認証）' }).click();
    await expectHeading('セキュリティ設定');
    await page.fill('#f-current_password', newUser.password);
    await page.getByRole('button', { name: '設定を始める' }).click();
    await page.locator('img[alt="認証アプリに読み取らせるQRコード"]').waitFor();
    const secret = (await page.locator('main code').first().textContent()).trim();
    await checkScreen('30-security-enrol');
    await page.fill('#f-code', await totpAt(secret, Date.now()));
    await page.getByRole('button', { name: '設定する' }).click();
    await page.locator('.recovery-codes li').first().waitFor();
    eq(await page.locator('.recovery-codes li').count(), 10, 'ten recovery codes');
    await expectIncludes(textOf('main'), 'リカバリーコードの残り：10個', 'the app is on');
    await checkScreen('31-security-codes');
    await page.goto(`${BASE}/menu`);
    await expectHeading('メニュー');
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expectHeading('ログイン');
    await login(newUser.id, newUser.password);
    await expectHeading('二段階認証');
    await checkScreen('32-second-factor');
    // Keyboard alone: from the heading, Tab to the code field, type, Enter.
    for (let i = 0; i < 10; i++) {
      if ((await page.evaluate(() => document.activeElement?.id)) === 'f-code') break;
      await page.keyboard.press('Tab');
    }
    eq(await page.evaluate(() => document.activeElement?.id), 'f-code', 'the code field reached by Tab');
    eq(await page.getAttribute('#f-code', 'autocomplete'), 'one-time-code', 'one-time-code');
    // The next time step's code (within the ±1 step the server takes): the current one was used to confirm.
    await page.keyboard.type(await totpAt(secret, Date.now() + 30_000));
    await page.keyboard.press('Enter');
    await expectHeading('メニュー');
    // Back as before for the tests after this one.
    await page.getByRole('link', { name: 'セキュリティ設定（二段階認証）' }).click();
    await expectHeading('セキュリティ設定');
    await page.fill('#f-disable-current_password', newUser.password);
    await page.getByRole('button', { name: '認証アプリを解除する' }).click();
    await expectIncludes(textOf('main'), '設定を始める', 'the app is removed');
  });

  await test('passkeys: added from セキュリティ設定 at 320 px, then パスキーでログイン with nothing typed', async () => {
    const base = await passkeyServer();
    // Chromium's virtual authenticator: a platform passkey with a fingerprint that always matches.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    try {
      await context.clearCookies();
      await page.goto(`${base}/login`);
      await expectHeading('ログイン');
      await login(newUser.id, newUser.password);
      await expectHeading('メニュー');
      await page.getByRole('link', { name: 'セキュリティ設定（二段階認証）' }).click();
      await expectHeading('セキュリティ設定');
      await expectIncludes(textOf('main'), '登録したパスキーはありません。', 'no passkey yet');
      await page.fill('#f-passkey-current_password', newUser.password);
      await page.fill('#f-passkey-name', '私のスマートフォン');
      await page.getByRole('button', { name: 'パスキーを登録する' }).click();
      await expectIncludes(textOf('main'), 'パスキーを登録しました。', 'the passkey is added');
      await expectEq(countOf('#form-passkey .field__error'), 0, 'the emptied form shows no error');
      await expectEq(valueOf('#f-passkey-current_password'), '', 'the password is not kept');
      await expectIncludes(textOf('.passkeys'), '私のスマートフォン', 'listed by its name');
      await expectIncludes(textOf('.passkeys'), '未使用', 'not used yet');
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      eq(credentials.length, 1, 'one credential on the authenticator');
      eq(credentials[0].isResidentCredential, true, 'a discoverable credential');
      await checkScreen('33-security-passkey');
      await page.goto(`${base}/menu`);
      await expectHeading('メニュー');
      await page.getByRole('button', { name: 'ログアウト' }).click();
      await expectHeading('ログイン');
      await checkScreen('34-login-passkey');
      // Nothing typed: the browser finds the passkey for this site and the member's fingerprint.
      eq(await valueOf('#f-login_id')(), '', 'no user ID typed');
      await page.getByRole('button', { name: 'パスキーでログイン' }).click();
      await expectHeading('メニュー');
      await expectEq(textOf('#menu-user_id'), newUser.id, 'signed in as the passkey’s member');
      await page.getByRole('link', { name: 'セキュリティ設定（二段階認証）' }).click();
      await expectHeading('セキュリティ設定');
      await expectIncludes(textOf('.passkeys'), '最終利用：', 'the sign-in is shown as its last use');
      await expectIncludes(textOf('main table'), 'パスキー', 'the login history names the passkey');
      // Removed, for the tests after this one.
      await page.getByRole('button', { name: '「私のスマートフォン」を削除' }).click();
      await expectIncludes(textOf('main'), '登録したパスキーはありません。', 'the passkey is removed');
    } finally {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId }).catch(() => {});
      await cdp.detach().catch(() => {});
    }
  });

  // ------------------------------------------------------------ お知らせ (DESIGN §10)
  await test('お知らせ: the menu counts the unread notices, the list marks 未読 and 重要, a notice opens with a working link', async () => {
    await atMenu();
    const body = join(dir, 'notice.txt');
    writeFileSync(body, '年末年始は窓口を休業します。\r\n詳しくは https://kenpo.example.jp/holidays?year=2026 をご覧ください。\r\n<b>太字にはなりません</b>\r\n');
    const idOf = (out) => out.split('\n')[0].split('\t')[0];
    cli('notices', 'add', '--tenant', TENANT, '--title', '健診のご案内', '--body-file', body);
    const important = idOf(cli('notices', 'add', '--tenant', TENANT, '--title', '年末年始の休業について', '--body-file', body, '--important'));
    await page.goto(`${BASE}/menu`);
    await expectHeading('メニュー');
    await expectEq(textOf('#menu-notices'), 'お知らせ（未読 2 件）', 'the unread count on the menu');
    await page.getByRole('link', { name: 'お知らせ（未読 2 件）' }).click();
    await expectHeading('お知らせ');
    await expectEq(countOf('#notice-list li'), 2, 'two notices');
    await expectIncludes(textOf('#notice-list li:first-child'), '年末年始の休業について', 'newest first');
    await expectIncludes(textOf('#notice-list li:first-child'), '重要', 'the important mark');
    await expectEq(countOf('#notice-list .badge--unread'), 2, 'both unread');
    await expectIncludes(textOf('#notices-summary'), '未読は 2 件', 'the summary');
    await checkScreen('40-notices');
    // By keyboard: Tab to the first notice, Enter.
    for (let i = 0; i < 15; i++) {
      if ((await page.evaluate(() => document.activeElement?.closest('#notice-list li:first-child') !== null))) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await expectHeading('年末年始の休業について');
    await expectEq(async () => new URL(page.url()).searchParams.get('id'), important, 'the notice in the address');
    const link = page.locator('#notice-body a');
    await expectEq(attrOf('#notice-body a', 'href'), 'https://kenpo.example.jp/holidays?year=2026', 'the address became a link');
    eq(await link.getAttribute('rel'), 'noopener noreferrer', 'rel');
    eq(await link.getAttribute('target'), '_blank', 'target');
    await expectIncludes(textOf('#notice-body'), '<b>太字にはなりません</b>', 'markup stays text');
    eq(await countOf('#notice-body b')(), 0, 'no element from the body');
    await expectIncludes(textOf('main'), '重要', 'the important mark on the notice');
    await checkScreen('41-notice');
    // The link opens the address in a new tab (answered here: the test runs offline).
    await context.route('https://kenpo.example.jp/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>kenpo</title>' }));
    try {
      const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
      await tab.waitForLoadState();
      eq(tab.url(), 'https://kenpo.example.jp/holidays?year=2026', 'the opened address');
      await tab.close();
    } finally {
      await context.unroute('https://kenpo.example.jp/**');
    }
    await page.getByRole('link', { name: 'お知らせの一覧へ戻る' }).click();
    await expectHeading('お知らせ');
    await expectEq(countOf('#notice-list .badge--unread'), 1, 'one unread left');
    await expectEq(countOf('#notice-list li:first-child .badge--unread'), 0, 'the opened notice lost its mark');
    await page.getByRole('link', { name: 'メニューへ戻る' }).click();
    await expectHeading('メニュー');
    await expectEq(textOf('#menu-notices'), 'お知らせ（未読 1 件）', 'the menu counts one');
  });

  // ------------------------------------------------------------ 医療費のお知らせ (DESIGN §10)
  // The signed-in member is M001 (newUser): two people of the household, two years; one row of
  // M002 that must never show.
  const MEDICAL = [
    // member_code, patient_name, relationship, service_month, provider_name, category, days, total_cost, paid_amount, public_paid, reimbursed_amount
    ['M001', '山田 太郎', '本人', '202611', '千代田クリニック', '外来', 2, 12340, 3702, 0, 0],
    ['M001', '髙橋 﨑子', '家族', '202611', '神田薬局', '調剤', 1, 5600, 1680, 0, 0],
    ['M001', '髙橋 﨑子', '家族', '202610', '丸の内総合病院', '入院', 5, 850000, 255000, 120000, 167570],
    ['M001', '山田 太郎', '本人', '202603', '大手町歯科', '歯科', 3, 21000, 6300, 0, 0],
    ['M001', '山田 太郎', '本人', '202512', '千代田クリニック', '外来', 1, 8000, 2400, 0, 0],
    ['M001', '髙橋 﨑子', '家族', '202507', '訪問看護ステーションさくら', '訪問看護', 4, 40000, 4000, 0, 0],
    ['M002', '佐藤 花子', '本人', '202611', '他人の医院', '外来', 1, 99999, 29999, 0, 0],
  ].map(([member, patient, relationship, month, provider, category, days, total, paid, pub, reimbursed]) => ({
    member, patient, relationship, month, provider, category, days, total, paid, pub, reimbursed,
  }));
  const yen = (n) => `${n.toLocaleString('ja-JP')}円`;
  /** What the screen should show for M001's `year`: rows by month (oldest first, file order), per person, household. */
  function medicalOf(year) {
    const rows = MEDICAL.filter((r) => r.member === 'M001' && r.month.startsWith(String(year)));
    // 公費負担額 and 補填額 are columns only in a year that has some; a row's 0 is left empty.
    const withPublic = rows.some((r) => r.pub > 0);
    const withReimbursed = rows.some((r) => r.reimbursed > 0);
    const months = [...new Set(rows.map((r) => r.month))].sort();
    const optional = (s, blankZero) => [
      ...(withPublic ? [blankZero && !s.pub ? '' : yen(s.pub)] : []),
      ...(withReimbursed ? [blankZero && !s.reimbursed ? '' : yen(s.reimbursed)] : []),
    ];
    const line = (r) => [r.patient, r.provider, r.category, `${r.days}日`, yen(r.total), yen(r.paid), ...optional(r, true)].join('|');
    const people = {};
    const add = (p, r) => ({ total: p.total + r.total, paid: p.paid + r.paid, pub: p.pub + r.pub, reimbursed: p.reimbursed + r.reimbursed });
    const zero = { total: 0, paid: 0, pub: 0, reimbursed: 0 };
    for (const r of rows) {
      const who = `${r.patient}（${r.relationship}）`;
      people[who] = add(people[who] ?? zero, r);
    }
    const amounts = (s) => [yen(s.total), yen(s.paid), ...optional(s, false)].join('|');
    return {
      months: months.map((m) => ({ month: `${m.slice(0, 4)}-${m.slice(4)}`, heading: `${m.slice(0, 4)}年${Number(m.slice(4))}月`, rows: rows.filter((r) => r.month === m).map(line) })),
      people: Object.fromEntries(Object.entries(people).map(([name, s]) => [name, amounts(s)])),
      household: amounts(rows.reduce(add, zero)),
      withPublic,
      withReimbursed,
    };
  }
  /** The screen's table, read as the expectation is written. */
  const shownMedical = () =>
    page.evaluate(() => {
      const cells = (tr, selector) => [...tr.querySelectorAll(selector)].map((c) => c.textContent.trim()).join('|');
      return JSON.stringify({
        months: [...document.querySelectorAll('#medical-rows tbody')].map((b) => ({
          month: b.dataset.month,
          heading: b.querySelector('.expenses__month-row th')?.textContent.trim(),
          rows: [...b.querySelectorAll('tr.expenses__row')].map((tr) => cells(tr, 'td:not(.print-only-cell)')),
        })),
        people: Object.fromEntries([...document.querySelectorAll('#medical-by-patient tbody tr')].map((tr) => [tr.querySelector('th').textContent.trim(), cells(tr, 'td')])),
        household: cells(document.querySelector('#medical-household'), 'td'),
        withPublic: [...document.querySelectorAll('#medical-rows thead th')].some((th) => th.textContent.trim() === '公費負担額'),
        withReimbursed: [...document.querySelectorAll('#medical-rows thead th')].some((th) => th.textContent.trim() === '補填額'),
      });
    });
  const expectMedical = (year) => expectEq(shownMedical, JSON.stringify(medicalOf(year)), `the rows and totals of ${year}`);

  await test('医療費のお知らせ: the e-mail’s address asks a signed-out member to sign in, then opens', async () => {
    await signedOut('/menu/medical');
    await expectHeading('ログイン');
    await expectEq(pathname, '/login', 'sent to login');
    await login(newUser.id, newUser.password);
    await expectHeading('医療費のお知らせ');
    await expectEq(pathname, '/menu/medical', 'back where the e-mail pointed');
  });

  await test('医療費のお知らせ: from the menu, rows by month, per-person and household totals as imported, year by keyboard, both downloads, print layout', async () => {
    const file = join(dir, 'medical.csv');
    writeFileSync(
      file,
      'member_code,patient_name,relationship,service_month,provider_name,category,days,total_cost,paid_amount,public_paid,reimbursed_amount\n' +
        MEDICAL.map((r) => [r.member, r.patient, r.relationship, r.month, r.provider, r.category, r.days, r.total, r.paid, r.pub, r.reimbursed].join(',')).join('\n') +
        '\n',
    );
    cli('medical-expenses', 'import', '--tenant', TENANT, file);
    await atMenu();
    await page.goto(`${BASE}/menu`);
    await expectHeading('メニュー');
    await page.getByRole('link', { name: '医療費のお知らせ' }).click();
    await expectHeading('医療費のお知らせ');
    await expectEq(pathname, '/menu/medical', 'the address');
    // The latest year first; both years offered.
    await expectEq(valueOf('#f-year'), '2026', 'the latest year is shown');
    await expectEq(async () => (await page.locator('#f-year option').allInnerTexts()).join(','), '2026年,2025年', 'the years offered');
    eq(await page.getByLabel('表示する年').count(), 1, 'the year selector is labelled');
    await expectEq(textOf('#medical-insurer'), `${TENANT_NAME}（${TENANT}）`, 'the insurer name and number');
    await expectIncludes(textOf('#medical-insured'), members.M001.family, '被保険者等の氏名');
    await expectMedical(2026);
    const main2026 = await textOf('main')();
    for (const part of ['2026年11月', '2026年10月', '2026年3月', '髙橋 﨑子', '丸の内総合病院', '入院', '888,940円', '266,682円', '167,570円']) includes(main2026, part, 'the 2026 statement');
    for (const other of ['佐藤 花子', '他人の医院', '99,999円']) assert(!main2026.includes(other), `another member's row shows: ${other}`);
    eq(await page.locator('#medical-rows .print-only-cell').first().isVisible(), false, 'the month is not repeated on every card on screen');
    await checkScreen('42-medical');
    eq(await page.evaluate(() => document.documentElement.scrollWidth), 320, 'no sideways scrolling at 320 px');

    // Both files, under the server's names, with the session (the cookie) and without other members.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Excel（確定申告用）' }).click()]);
    eq(xlsx.suggestedFilename(), 'iryohi-2026.xlsx', 'the xlsx file name');
    const xlsxBytes = readFileSync(await xlsx.path());
    eq(xlsxBytes.subarray(0, 2).toString('latin1'), 'PK', 'the xlsx is a zip');
    await expectIncludes(textOf('main .notice'), 'iryohi-2026.xlsx', 'the download is announced');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    eq(csv.suggestedFilename(), 'iryohi-2026.csv', 'the CSV file name');
    const csvText = readFileSync(await csv.path(), 'utf8');
    for (const part of ['山田 太郎', '髙橋 﨑子', '丸の内総合病院', '850000', '255000', '167570', '12340', '3702', '888940', '266682']) includes(csvText, part, 'the CSV');
    for (const other of ['佐藤 花子', '他人の医院', '99999', '千代田クリニック,外来,1,8000']) assert(!csvText.includes(other), `the CSV has ${other}`);

    // Printed: no navigation or buttons, the NTA's six items, the table within A4 portrait (186 mm).
    await page.emulateMedia({ media: 'print' });
    try {
      await page.setViewportSize({ width: 703, height: 1000 });
      for (const selector of ['#download-xlsx', '#download-csv', '#medical-print', '#f-year', '.site-header', '.site-footer', 'main .links']) {
        await expectEq(async () => page.locator(selector).first().isVisible(), false, `${selector} hidden in print`);
      }
      const printed = await textOf('main')();
      for (const item of ['被保険者等の氏名', '療養を受けた年月', '療養を受けた者', '病院・診療所・薬局等の名称', '被保険者等が支払った医療費の額', '保険者等の名称']) {
        includes(printed, item, 'the printed page');
      }
      includes(printed, TENANT_NAME, 'the insurer in print');
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, table: document.querySelector('#medical-rows').scrollWidth }));
      assert(widths.page <= 703 && widths.table <= 703, `the print layout is wider than A4: ${JSON.stringify(widths)}`);
    } finally {
      await page.emulateMedia({ media: null });
      await page.setViewportSize(PHONE);
    }

    // Another year by keyboard alone: the selector takes the arrow key.
    await page.locator('#f-year').focus();
    await page.keyboard.press('ArrowDown');
    await expectEq(valueOf('#f-year'), '2025', 'the year chosen by keyboard');
    await expectEq(async () => new URL(page.url()).searchParams.get('year'), '2025', 'the year in the address');
    await expectMedical(2025);
    await expectIncludes(textOf('#medical-rows'), '訪問看護ステーションさくら', 'the 2025 rows');
    await expectEq(async () => page.evaluate(() => document.activeElement?.id), 'f-year', 'the focus stays on the selector');
    const main2025 = await textOf('main')();
    assert(!main2025.includes('丸の内総合病院'), 'no 2026 row in 2025');
    // A reload keeps the year.
    await page.reload();
    await expectHeading('医療費のお知らせ');
    await expectEq(valueOf('#f-year'), '2025', 'the year after a reload');
    await expectMedical(2025);

    // In English: the months and categories follow the language.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expectHeading('Medical expenses');
    await expectLang('en');
    await page.selectOption('#f-year', '2026');
    await expectIncludes(textOf('#medical-rows'), 'Nov 2026', 'the month in English');
    await expectIncludes(textOf('#medical-rows'), 'inpatient', 'the category in English');
    await expectIncludes(textOf('#medical-household'), '888,940 yen', 'the household total in English');
    await checkScreen('43-medical-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await expectHeading('医療費のお知らせ');
    await expectLang('ja');
    await page.getByRole('link', { name: 'メニューへ戻る' }).click();
    await expectHeading('メニュー');
  });

  await test('医療費のお知らせ: the empty state, and a download refused by the server', async () => {
    await atMenu();
    const empty = {
      year: 2026,
      available_years: [],
      insurer: { name: TENANT_NAME, insurer_number: TENANT },
      insured_name: '山田 太郎',
      rows: [],
      totals: { total_cost: 0, paid_amount: 0, public_paid: 0, reimbursed_amount: 0 },
      by_patient: [],
    };
    const statement = (url) => url.pathname === '/api/v1/me/medical-expenses';
    const exportFile = (url) => url.pathname === '/api/v1/me/medical-expenses/export';
    await page.route(statement, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(empty) }));
    try {
      await page.goto(`${BASE}/menu/medical`);
      await expectHeading('医療費のお知らせ');
      await expectEq(textOf('#medical-empty'), 'まだ医療費のお知らせはありません。', 'the empty state');
      eq(await countOf('#download-xlsx')(), 0, 'no download without data');
      await checkScreen('44-medical-empty');
    } finally {
      await page.unroute(statement);
    }
    // The data was removed between the screen and the download: the server's 404 is shown, nothing is saved.
    await page.route(exportFile, (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', code: 'no_medical_expenses', status: 404, title: '医療費のお知らせがありません', detail: 'この年の医療費のお知らせはありません。' }),
      }),
    );
    try {
      await page.goto(`${BASE}/menu/medical`);
      await expectHeading('医療費のお知らせ');
      let downloaded = false;
      const onDownload = () => (downloaded = true);
      page.on('download', onDownload);
      await page.getByRole('button', { name: 'CSV' }).click();
      await expectEq(textOf('#error-summary-title'), '医療費のお知らせがありません', 'the problem is shown');
      page.off('download', onDownload);
      assert(!downloaded, 'a problem was saved as a file');
    } finally {
      await page.unroute(exportFile);
    }
  });

  await test('no script errors on any screen', async () => {
    eq(consoleErrors.join('\n'), '', 'page errors');
  });
} finally {
  await browser.close().catch(() => {});
  stopping = true;
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  if (results.some((r) => !r.ok)) writeFileSync(join(OUT, 'server.log'), serverLog);
  rmSync(dir, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
writeFileSync(join(OUT, 'e2e.json'), JSON.stringify({ passed, failed }));
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
