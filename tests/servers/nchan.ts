/**
 * A real Nchan (nginx's pub/sub module, from the OS's packages) for the tests that hold the
 * simulation against a real server, with a long-polling and an interval-polling client that speak
 * its protocol: a subscriber asks with the `Last-Modified` and `Etag` of the last message it got
 * (its cursor), and a new subscriber gets the oldest message the channel keeps. The same channels
 * are served to EventSource (/es) and WebSocket (/ws) subscribers, directly or through an nginx
 * proxy that cuts idle connections (/cut/es, /cut/ws); `pushClients.ts` has their clients.
 *
 * `scripts/ensure-nchan.sh` installs Debian's `nginx-light` and `libnginx-mod-nchan` when they are
 * missing; `NGINX_PATH` and `NCHAN_MODULE` point the tests at another nginx and module.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const MODULE = process.env.NCHAN_MODULE ?? '/usr/lib/nginx/modules/ngx_nchan_module.so';

/** What a subscriber got: a message (its body), a hold that ran out (408), or nothing new (304). */
export interface Outcome {
  /** When the response arrived, in ms from the start of the schedule. */
  t: number;
  status: number;
  body: string;
}

export interface Nchan {
  /** The server's root, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  base: string;
  /** Publishes `body` to `channel`. */
  publish(channel: string, body: string): Promise<void>;
  /** Long-polls `channel` from `t0`, sending no request at or after `untilMs`; the last one ends. */
  longPoll(channel: string, t0: number, untilMs: number): Promise<Outcome[]>;
  /** Polls `channel` every `everyMs` from `t0` (interval polling), sending none at or after `untilMs`. */
  poll(channel: string, t0: number, everyMs: number, untilMs: number): Promise<Outcome[]>;
  stop(): void;
}

function requireFile(file: string, variable: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new Error(
      `the real-server tests need nginx with the Nchan module, and ${file} is missing: run ` +
        `"bash scripts/ensure-nchan.sh" (Debian's nginx-light and libnginx-mod-nchan), or set ` +
        `${variable} to yours`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Starts nginx in the foreground (no daemon, no master process) on a free local port, with a
 * publisher at /pub and subscribers at /sub (long polling), /poll (interval polling), /es
 * (EventSource) and /ws (WebSocket); the channel is the `channel` query parameter, so each test
 * has its own.
 *
 * A new EventSource gets the oldest message the channel keeps, as a long-poller does, and one that
 * sends `Last-Event-ID` what came after that message. A new WebSocket gets only what is published
 * after it opens (`nchan_subscriber_first_message newest`): a socket that does not resume, as a
 * Socket.IO server without connection-state recovery. Under /cut/ the same subscribers sit behind
 * nginx as a reverse proxy whose `proxy_read_timeout` (`proxyIdleMs`) cuts a stream or a socket
 * that carried no byte for that long, as the simulation's `proxy.idleTimeoutMs` does. nginx
 * re-arms that timer only when it moves by more than 300 ms (NGX_TIMER_LAZY_DELAY), so a byte
 * less than 300 ms after the previous one may not restart the wait.
 */
export async function startNchan(options: {
  bufferLength: number;
  timeoutS: number;
  proxyIdleMs?: number;
}) {
  requireFile(NGINX, 'NGINX_PATH');
  requireFile(MODULE, 'NCHAN_MODULE');
  const dir = mkdtempSync(path.join(tmpdir(), 'nchan-'));
  mkdirSync(path.join(dir, 'logs'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `${name}_temp_path ${path.join(dir, name)};`)
    .join('\n  ');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `load_module ${MODULE};
daemon off;
master_process off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'logs', 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  ${temp}
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  server {
    listen 127.0.0.1:${port};
    location = /pub {
      nchan_publisher;
      nchan_channel_id $arg_channel;
      nchan_message_buffer_length ${options.bufferLength};
    }
    location = /sub {
      nchan_subscriber longpoll;
      nchan_channel_id $arg_channel;
      nchan_subscriber_timeout ${options.timeoutS}s;
    }
    location = /poll {
      nchan_subscriber intervalpoll;
      nchan_channel_id $arg_channel;
    }
    location = /es {
      nchan_subscriber eventsource;
      nchan_channel_id $arg_channel;
    }
    location = /ws {
      nchan_subscriber websocket;
      nchan_channel_id $arg_channel;
      nchan_subscriber_first_message newest;
    }
    location /cut/ {
      proxy_pass http://127.0.0.1:${port}/;
      proxy_http_version 1.1;
      proxy_buffering off;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout ${options.proxyIdleMs ?? 60_000}ms;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  // Ready when the publisher answers (a channel with nothing published is a 404).
  for (let tries = 0; ; tries++) {
    try {
      await fetch(`${base}/pub?channel=ready`);
      break;
    } catch {
      if (child.exitCode !== null || tries === 100) {
        stop();
        throw new Error(`nginx did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
      }
      await sleep(50);
    }
  }

  /** One subscriber request with the cursor of the last message, updated by the response. */
  const subscriber = (url: string) => {
    let lastModified: string | null = null;
    let etag: string | null = null;
    return async (t0: number): Promise<Outcome> => {
      const headers: Record<string, string> = {};
      if (lastModified && etag) {
        headers['If-Modified-Since'] = lastModified;
        headers['If-None-Match'] = etag;
      }
      const response = await fetch(url, { headers });
      const body = await response.text();
      if (response.status === 200) {
        lastModified = response.headers.get('last-modified');
        etag = response.headers.get('etag');
      }
      return { t: performance.now() - t0, status: response.status, body };
    };
  };

  const nchan: Nchan = {
    base,
    async publish(channel, body) {
      const response = await fetch(`${base}/pub?channel=${channel}`, { method: 'POST', body });
      if (!response.ok) throw new Error(`nchan: publishing failed with ${response.status}`);
      await response.text();
    },
    async longPoll(channel, t0, untilMs) {
      const ask = subscriber(`${base}/sub?channel=${channel}`);
      const outcomes: Outcome[] = [];
      while (performance.now() - t0 < untilMs) outcomes.push(await ask(t0));
      return outcomes;
    },
    async poll(channel, t0, everyMs, untilMs) {
      const ask = subscriber(`${base}/poll?channel=${channel}`);
      const outcomes: Outcome[] = [];
      for (let at = 0; at < untilMs; at += everyMs) {
        await sleep(t0 + at - performance.now());
        outcomes.push(await ask(t0));
      }
      return outcomes;
    },
    stop,
  };
  return nchan;
}

/** Runs `publications` (ms from `t0`, in order) against the clock. */
export async function publishOnSchedule(
  nchan: Nchan,
  channel: string,
  t0: number,
  publications: { atMs: number; body: string }[],
): Promise<void> {
  for (const { atMs, body } of publications) {
    await sleep(t0 + atMs - performance.now());
    await nchan.publish(channel, body);
  }
}
