import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultScenario, simulate } from '../../src/sim';
import EventLog from '../../src/views/EventLog.svelte';
import { cappedLongPolls, rateLimitedPolls, run } from '../sim/helpers';

const polling = simulate({ ...defaultScenario, mode: 'polling' });
const threeClients = run({
  clients: 3,
  clientStartSpreadMs: 1000,
  durationMs: 20_000,
  messages: { everyMs: 4000 },
});
const limited = run(rateLimitedPolls);
const capped = run(cappedLongPolls(2));

const rowTexts = () =>
  within(screen.getByRole('list'))
    .queryAllByRole('button')
    .map((b) => b.textContent ?? '');

describe('EventLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('event log: lists the events at or before the playhead, oldest first, in plain words', () => {
    render(EventLog, { run: polling, atMs: 2100, onseek: () => {} });

    expect(rowTexts()).toEqual([
      '0.000 s Client 1 sends request #1 (poll, cursor 0)',
      '0.050 s Server receives request #1 from client 1',
      '0.050 s Server answers request #1 with no new data — a wasted round trip',
      '0.100 s Client 1 receives the answer to request #1: no new data — a wasted round trip',
      '1.313 s Message #1 published',
      '2.000 s Client 1 sends request #2 (poll, cursor 0)',
      '2.050 s Server receives request #2 from client 1',
      '2.050 s Server answers request #2 with message #1',
      '2.100 s Client 1 receives the answer to request #2: message #1',
      '2.100 s Client 1 receives message #1 after 787 ms',
    ]);
    expect(screen.getByText('10 matching events up to 2.100 s.')).toBeInTheDocument();
  });

  it('event log: the newest row is marked current and follows the playhead', async () => {
    const { rerender } = render(EventLog, { run: polling, atMs: 2100, onseek: () => {} });
    expect(screen.getByRole('button', { current: true })).toHaveTextContent(
      'Client 1 receives message #1 after 787 ms',
    );

    await rerender({ run: polling, atMs: 4000 });

    expect(screen.getByRole('button', { current: true })).toHaveTextContent(
      'Client 1 sends request #3 (poll, cursor 1)',
    );
    expect(screen.getAllByRole('button', { current: true })).toHaveLength(1);
  });

  it('event log: clicking a row seeks to its time', async () => {
    const onseek = vi.fn();
    render(EventLog, { run: polling, atMs: 2100, onseek });

    await fireEvent.click(screen.getByRole('button', { name: /Message #1 published/ }));

    expect(onseek).toHaveBeenCalledExactlyOnceWith(1313);
  });

  it('event log: filtering by client hides the other clients but keeps shared events', async () => {
    render(EventLog, { run: threeClients, atMs: 10_000, onseek: () => {} });
    expect(rowTexts().some((t) => t.includes('Client 3 sends request'))).toBe(true);

    await fireEvent.change(screen.getByRole('combobox', { name: 'Client' }), {
      target: { value: '2' },
    });

    const texts = rowTexts();
    expect(texts.some((t) => /Client 2 sends request/.test(t))).toBe(true);
    expect(texts.filter((t) => /[Cc]lient [13]\b/.test(t))).toEqual([]);
    expect(texts.some((t) => t.includes('Message #1 published'))).toBe(true);
  });

  it('event log: unticking a kind of event hides it', async () => {
    render(EventLog, { run: polling, atMs: 10_000, onseek: () => {} });
    expect(rowTexts().some((t) => t.includes('sends request'))).toBe(true);

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Requests' }));

    expect(rowTexts().some((t) => t.includes('sends request'))).toBe(false);
    expect(rowTexts().some((t) => t.includes('Server answers'))).toBe(true);
  });

  it('event log: a poll over the rate limit reads as a 429 refusal, with the limit (60/min, burst 1, poll 0.5 s)', () => {
    render(EventLog, { run: limited, atMs: 600, onseek: () => {} });

    expect(rowTexts().slice(-3)).toEqual([
      '0.550 s Server receives request #2 from client 1',
      '0.550 s Server refuses request #2 with 429 Too Many Requests: client 1 is over the rate limit (60 requests a minute, burst 1)',
      '0.600 s Client 1 receives 429 Too Many Requests for request #2: client 1 is over the rate limit (60 requests a minute, burst 1)',
    ]);
  });

  it('event log: refusals are errors: "Errors and timeouts" shows or hides them, "Responses" does not', async () => {
    render(EventLog, { run: limited, atMs: 600, onseek: () => {} });

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Responses' }));
    expect(rowTexts().filter((t) => t.includes('429'))).toHaveLength(2);
    expect(rowTexts().filter((t) => t.includes('answer to request #1'))).toHaveLength(0);

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Errors and timeouts' }));
    expect(rowTexts().filter((t) => t.includes('429'))).toHaveLength(0);
  });

  it('event log: a long poll the server has no room for reads as a 503 refusal (cap 1, 2 clients)', () => {
    render(EventLog, { run: capped, atMs: 100, onseek: () => {} });

    expect(rowTexts()).toContain(
      '0.050 s Server refuses request #2 with 503 Service Unavailable: the server already holds its maximum of 1 request',
    );
  });

  it('event log: a single client needs no client filter', () => {
    render(EventLog, { run: polling, atMs: 10_000, onseek: () => {} });

    expect(screen.queryByRole('combobox', { name: 'Client' })).not.toBeInTheDocument();
  });

  it('event log: a long run draws only the last 200 rows before the playhead', () => {
    const big = run({ clients: 50, pollIntervalMs: 500, durationMs: 60_000 });
    expect(big.trace.length).toBeGreaterThan(20_000);

    render(EventLog, { run: big, atMs: 30_000, onseek: () => {} });

    expect(rowTexts()).toHaveLength(200);
    expect(
      screen.getByText(/^The last 200 of [\d,]+ matching events up to 30\.000 s/),
    ).toBeInTheDocument();
    const newest = big.trace.event(big.trace.indexAfter(30_000) - 1);
    expect(screen.getByRole('button', { current: true })).toHaveTextContent(
      `${(newest.t / 1000).toFixed(3)} s`,
    );
  });

  it('event log: the live region reads the newest event, at most once a second while playing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const { container, rerender } = render(EventLog, { run: polling, atMs: 0, onseek: () => {} });
    const live = container.querySelector('[aria-live="polite"]');
    expect(live).toHaveTextContent('');

    await rerender({ run: polling, atMs: 1313 });
    expect(live).toHaveTextContent('1.313 s: Message #1 published');

    await vi.advanceTimersByTimeAsync(100);
    await rerender({ run: polling, atMs: 2000 });
    await vi.advanceTimersByTimeAsync(100);
    await rerender({ run: polling, atMs: 2050 });
    expect(live).toHaveTextContent('1.313 s: Message #1 published');

    await vi.advanceTimersByTimeAsync(800);
    expect(live).toHaveTextContent('2.050 s: Server answers request #2 with message #1');
  });
});
