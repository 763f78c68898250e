/**
 * Hostile request lines against the web-mode static server, sent over raw TCP (an HTTP client would refuse or
 * normalise most of them). The server runs in a child process, as under `npm start`, so an exception that
 * would stop it really stops it. Every request must get a complete HTTP answer carrying the security headers,
 * and after every batch the server must still serve GET / with 200.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_CSP } from '../../scripts/lib/static-server';

const HOST = '127.0.0.1';
const SEED = Number(process.env.RTE_FUZZ_SEED ?? 20240516);
const RANDOM_LINES = 400;
const BATCH = 25;
const REQUEST_TIMEOUT_MS = 5_000;

/** The four request lines of issue 16 that stopped the server. */
const PROBES = ['GET /%ZZ HTTP/1.1', 'GET /% HTTP/1.1', 'GET /%E0%A4%A HTTP/1.1', 'GET http://[/ HTTP/1.1'];

/** Statuses the server may answer with; anything else (or no answer at all) fails. */
const ALLOWED = new Set([200, 400, 403, 404, 405, 431]);

let dir: string;
let child: ChildProcess;
let port = 0;
let childLog = '';

interface Answer {
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** the start of the answer, for failure messages */
  raw: string;
  error?: string;
}

/** Send one request line (plus Host and Connection: close) as latin1 bytes and read until the server closes. */
function send(line: string): Promise<Answer> {
  return new Promise((ok) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let done = false;
    const socket = connect({ host: HOST, port });
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const cut = raw.indexOf('\r\n\r\n');
      const head = cut < 0 ? raw : raw.slice(0, cut);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      ok({
        status: m ? Number(m[1]) : null,
        headers,
        body: cut < 0 ? '' : raw.slice(cut + 4),
        raw: raw.slice(0, 300),
        ...(error ? { error } : {}),
      });
    };
    const timer = setTimeout(() => {
      error = `no answer within ${REQUEST_TIMEOUT_MS} ms`;
      finish();
    }, REQUEST_TIMEOUT_MS);
    socket.on('connect', () =>
      socket.write(Buffer.from(`${line}\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`, 'latin1')),
    );
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => {
      error = (e as NodeJS.ErrnoException).code ?? e.message;
    });
    socket.on('close', finish);
  });
}

function describeFailure(line: string, a: Answer): string {
  return `request line ${JSON.stringify(line.slice(0, 200))} (seed ${SEED}): status ${a.status}, error ${a.error ?? 'none'}, answer ${JSON.stringify(a.raw)}; server log: ${childLog.slice(-2000)}`;
}

function expectAnswered(line: string, a: Answer): void {
  const why = describeFailure(line, a);
  expect(a.status, why).not.toBeNull();
  expect(ALLOWED.has(a.status ?? 0), why).toBe(true);
  expect(a.headers['content-security-policy'], why).toBe(SERVER_CSP);
  expect(a.headers['x-content-type-options'], why).toBe('nosniff');
  expect(a.headers['cross-origin-opener-policy'], why).toBe('same-origin');
  expect(a.headers['cross-origin-embedder-policy'], why).toBe('require-corp');
}

async function expectStillUp(after: string): Promise<void> {
  const a = await send('GET / HTTP/1.1');
  expect(a.status, `GET / after ${after}: ${describeFailure('GET / HTTP/1.1', a)}`).toBe(200);
  expect(a.body).toContain('<title>fuzz</title>');
  expect(child.exitCode, `the server process exited after ${after}`).toBeNull();
}

/** mulberry32: a small seeded generator, so a failure can be replayed with RTE_FUZZ_SEED. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomLine(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const methods = [
    'GET',
    'GET',
    'GET',
    'GET',
    'HEAD',
    'HEAD',
    'POST',
    'PUT',
    'DELETE',
    'OPTIONS',
    'PATCH',
    'TRACE',
    'CONNECT',
    'PROPFIND',
    'get',
    'GETT',
    'G\u00e9T',
    '',
  ];
  const pieces = [
    '/',
    '/',
    '',
    '*',
    'http://[/',
    'http://127.0.0.1',
    'http://[::1]:5178',
    'http://a:b@h:99999',
    'https://',
    '//',
    '/..',
    '/../..',
    '/%2e%2e',
    '/%2E%2E%2F',
    '/..%2F',
    '%5C..%5C',
    '\\..\\',
    '/%',
    '/%Z',
    '/%ZZ',
    '/%E0%A4%A',
    '/%C0%AF',
    '/%ED%A0%80',
    '/%F4%90%80%80',
    '/%00',
    '/%FF',
    '%%',
    '/index.html',
    '/assets/a.js',
    '/assets',
    '?q=%ZZ',
    '#%',
    ';x=1',
    '/\u00e9',
    '/\u00ff\u00fe',
  ];
  const randomChars = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      // any byte but CR and LF (which would end the request line, not fuzz it)
      let c = Math.floor(r() * 256);
      if (c === 10 || c === 13) c = 0x25; // '%'
      s += String.fromCharCode(c);
    }
    return s;
  };
  // half the lines are well-formed enough to pass Node's parser and reach the handler's own checks
  const clean = r() < 0.5;
  const word = () => {
    let w = '';
    for (let n = 1 + Math.floor(r() * 8); n > 0; n--) w += 'abcxyz019.-_~%'[Math.floor(r() * 14)];
    return w;
  };
  let target = clean ? '/' : '';
  const parts = 1 + Math.floor(r() * 6);
  for (let i = 0; i < parts; i++) {
    if (clean) target += r() < 0.5 ? pick(pieces) : `/${word()}`;
    else target += r() < 0.7 ? pick(pieces) : randomChars(1 + Math.floor(r() * 8));
  }
  const size = r();
  if (size < 0.03)
    target += 'a'.repeat(20_000); // past the header size limit
  else if (size < 0.08) target += '/%41'.repeat(500);
  const version = pick([
    'HTTP/1.1',
    'HTTP/1.1',
    'HTTP/1.1',
    'HTTP/1.0',
    'HTTP/2.0',
    'HTTP/1.x',
    'HTTP/0.9',
    '',
  ]);
  if (clean)
    return `${pick(['GET', 'GET', 'GET', 'HEAD', 'POST', 'OPTIONS'])} ${target.replace(/ /g, '')} HTTP/1.1`;
  return [pick(methods), target, version].filter((x) => x !== '').join(' ');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rte-serve-fuzz-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>fuzz</title>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'export {}');
  const script = fileURLToPath(new URL('./fixtures/serve-static-child.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (c) => {
    childLog += String(c);
  });
  port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${childLog}`)), 30_000);
    let out = '';
    child.stdout?.on('data', (c) => {
      out += String(c);
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`the server exited (${code}) before listening: ${childLog}`)),
    );
  });
}, 60_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('the web-mode static server under hostile requests', () => {
  it('answers the malformed URLs of issue 16 with 400 and a short plain-text body, and stays up', async () => {
    await expectStillUp('start');
    for (const line of PROBES) {
      const a = await send(line);
      expectAnswered(line, a);
      expect(a.status, describeFailure(line, a)).toBe(400);
      expect(a.headers['content-type']).toMatch(/^text\/plain/);
      expect(a.body.length).toBeGreaterThan(0);
      expect(a.body.length).toBeLessThan(200);
      await expectStillUp(line);
    }
  });

  it('keeps the security headers on 403, 404 and 405 answers', async () => {
    const cases: [string, number][] = [
      ['GET /..%2Findex.html HTTP/1.1', 403],
      ['GET /missing.js HTTP/1.1', 404],
      ['POST / HTTP/1.1', 405],
      ['DELETE /index.html HTTP/1.1', 405],
      ['CONNECT 127.0.0.1:1 HTTP/1.1', 405],
      ['HEAD / HTTP/1.1', 200],
    ];
    for (const [line, status] of cases) {
      const a = await send(line);
      expectAnswered(line, a);
      expect(a.status, describeFailure(line, a)).toBe(status);
    }
    await expectStillUp('the error cases');
  });

  it(`answers ${RANDOM_LINES} random request lines (seed ${SEED}) and stays up`, async () => {
    const r = rng(SEED);
    const started = Date.now();
    const seen = new Map<number, number>();
    for (let done = 0; done < RANDOM_LINES; done += BATCH) {
      const lines = Array.from({ length: BATCH }, () => randomLine(r));
      const answers = await Promise.all(lines.map(send));
      lines.forEach((line, i) => {
        const a = answers[i] as Answer;
        expectAnswered(line, a);
        seen.set(a.status ?? 0, (seen.get(a.status ?? 0) ?? 0) + 1);
      });
      await expectStillUp(`batch ${done / BATCH + 1}`);
      expect(Date.now() - started, 'the fuzz run took too long').toBeLessThan(60_000);
    }
    // the lines reach every layer: the parser (400, 431), the method check (405), the URL check (400), files
    const statuses = [...seen.keys()].sort();
    for (const status of [200, 400, 404, 405]) expect(statuses, JSON.stringify([...seen])).toContain(status);
  }, 90_000);
});
