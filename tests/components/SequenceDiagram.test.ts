import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SequenceDiagram from '../../src/views/SequenceDiagram.svelte';
import { cappedLongPolls, rateLimitedPolls, run } from '../sim/helpers';

// jsdom has no canvas: getContext would print "not implemented" and return null. The component
// must cope with null, so return it quietly.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** One client long-polling; message #1 at 1 s answers the first hold. */
const longPoll = run({ mode: 'long-polling', durationMs: 20_000, messages: { script: [1000] } });

const plot = () => screen.getByRole('group', { name: /^Sequence diagram/ });

describe('SequenceDiagram', () => {
  it('sequence diagram: names itself with a summary of the lanes and what is in view', () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000 });

    const name = plot().getAttribute('aria-label');
    expect(name).toContain('one client and the server');
    expect(name).toContain('2 requests, 1 response with messages, 0 empty responses');
  });

  it('sequence diagram: each mark in view is a focusable element named for what it shows', () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000 });

    expect(
      screen.getByRole('button', { name: 'Request 1 from client 1, sent 0.00 s, arrived 0.05 s' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Response with messages #1 to request 1 of client 1, sent 1.00 s, arrived 1.05 s',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Message #1 published/ })).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: /^Request 2 from client 1 held at the server since 1\.10 s/,
      }),
    ).toBeInTheDocument();
  });

  it('sequence diagram: nothing after the playhead is shown, and an arrow in flight says so', () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 1020 });

    expect(screen.queryByRole('button', { name: /^Message #1 delivered/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Request 2 / })).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^Response with messages #1 .*, in flight$/ }),
    ).toBeInTheDocument();
  });

  it('sequence diagram: a held request counts down as the playhead moves', async () => {
    const { rerender } = render(SequenceDiagram, { run: longPoll, playheadMs: 5000 });
    expect(screen.getByRole('button', { name: /held .* 26\.1 s left/ })).toBeInTheDocument();

    await rerender({ run: longPoll, playheadMs: 18_800 });
    expect(screen.getByRole('button', { name: /held .* 12\.3 s left/ })).toBeInTheDocument();
  });

  it('sequence diagram: focusing a mark shows its details', async () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000 });
    const request = screen.getByRole('button', { name: /^Request 1 from client 1, sent/ });

    request.focus();
    await fireEvent.focus(request);

    const details = document.getElementById(request.getAttribute('aria-describedby')!)!;
    expect(details).toHaveTextContent('Request 1 from client 1, sent 0.00 s, arrived 0.05 s');
    expect(details).toHaveTextContent('long poll');
    expect(details).toHaveTextContent('cursor 0');
    expect(details).toHaveTextContent('700 B of headers');
  });

  it('sequence diagram: clicking a mark moves the playhead to when it completed', async () => {
    const onseek = vi.fn();
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000, onseek });

    await fireEvent.click(screen.getByRole('button', { name: /^Response with messages #1/ }));

    expect(onseek).toHaveBeenCalledExactlyOnceWith(1050);
  });

  it('sequence diagram: clicking a mark also tells which trace event it shows', async () => {
    const onpick = vi.fn();
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000, onpick });

    await fireEvent.click(screen.getByRole('button', { name: /^Message #1 published/ }));

    expect(onpick).toHaveBeenCalledExactlyOnceWith(3);
    expect(longPoll.trace.event(3).kind).toBe('message.published');
  });

  it('sequence diagram: Enter on a focused mark seeks too (a button)', async () => {
    const onseek = vi.fn();
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000, onseek });
    const published = screen.getByRole('button', { name: /^Message #1 published/ });

    expect(published.tagName).toBe('BUTTON');
    await fireEvent.click(published);
    expect(onseek).toHaveBeenCalledWith(1000);
  });

  it('sequence diagram: zooming from the keyboard stops following; F and the button follow again', async () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000 });
    const button = screen.getByRole('button', { name: 'Follow playhead' });
    expect(button).toHaveAttribute('aria-pressed', 'true');

    await fireEvent.keyDown(plot(), { key: '-' });
    expect(button).toHaveAttribute('aria-pressed', 'false');

    await fireEvent.keyDown(plot(), { key: 'f' });
    expect(button).toHaveAttribute('aria-pressed', 'true');

    await fireEvent.keyDown(plot(), { key: 'ArrowLeft' });
    expect(button).toHaveAttribute('aria-pressed', 'false');
    await fireEvent.click(button);
    expect(button).toHaveAttribute('aria-pressed', 'true');
  });

  it('sequence diagram: starts not following when told so (bind:follow)', () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000, follow: false });

    expect(screen.getByRole('button', { name: 'Follow playhead' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
  });

  it('sequence diagram: panning far into the past shows the marks there only', async () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 8000 });
    expect(
      screen.getByRole('button', { name: /^Request 1 from client 1, sent/ }),
    ).toBeInTheDocument();

    // Zoom in four times around the playhead: the first request leaves the view.
    for (let k = 0; k < 4; k++) await fireEvent.keyDown(plot(), { key: '+' });
    expect(
      screen.queryByRole('button', { name: /^Request 1 from client 1, sent/ }),
    ).not.toBeInTheDocument();
  });

  it('sequence diagram: the zoom buttons do what + and − do, without a keyboard', async () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 8000 });
    const first = /^Request 1 from client 1, sent/;
    const zoomIn = screen.getByRole('button', { name: 'Zoom in: show less time' });
    for (let k = 0; k < 4; k++) await fireEvent.click(zoomIn);
    expect(screen.queryByRole('button', { name: first })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Follow playhead' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    const zoomOut = screen.getByRole('button', { name: 'Zoom out: show more time' });
    for (let k = 0; k < 4; k++) await fireEvent.click(zoomOut);
    expect(screen.getByRole('button', { name: first })).toBeInTheDocument();
  });

  it('sequence diagram: highlighted events are named so', () => {
    // Event 3 is the publication of message #1.
    expect(longPoll.trace.event(3).kind).toBe('message.published');
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000, highlight: [3] });

    expect(
      screen.getByRole('button', { name: /^Message #1 published .* \(highlighted\)$/ }),
    ).toBeInTheDocument();
  });

  it('sequence diagram: an intervention is a mark labelled with what changed', () => {
    const changed = run({
      mode: 'polling',
      durationMs: 10_000,
      messages: { script: [] },
      interventions: [{ atMs: 5000, set: { mode: 'long-polling' } }],
    });
    render(SequenceDiagram, { run: changed, playheadMs: 6000 });

    expect(
      screen.getByRole('button', { name: 'Intervention at 5.00 s: → long polling' }),
    ).toBeInTheDocument();
  });

  it('sequence diagram: with many marks in view, they are left to pointer and zoom', () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000, maxTargets: 2 });

    expect(screen.queryByRole('button', { name: /^Request/ })).not.toBeInTheDocument();
    expect(screen.getByText(/marks in view: point at one/)).toBeInTheDocument();
  });

  it('sequence diagram: more than 12 clients share a band, and a menu picks one to draw', async () => {
    const crowd = run({
      mode: 'polling',
      clients: 13,
      clientStartSpreadMs: 1000,
      durationMs: 6000,
    });
    render(SequenceDiagram, { run: crowd, playheadMs: 5000 });

    expect(plot().getAttribute('aria-label')).toContain(
      '13 clients summarised in one band, client 1 drawn in full',
    );
    const menu = screen.getByRole('combobox', { name: 'Show client' });
    expect(within(menu).getAllByRole('option')).toHaveLength(13);

    await fireEvent.change(menu, { target: { value: '4' } });
    expect(plot().getAttribute('aria-label')).toContain('client 5 drawn in full');
    expect(screen.getAllByRole('button', { name: /from client 5,/ }).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: /from client 1,/ })).not.toBeInTheDocument();
  });

  it('sequence diagram: up to 12 clients get a menu-less lane each', () => {
    const twelve = run({ mode: 'polling', clients: 12, durationMs: 3000 });
    render(SequenceDiagram, { run: twelve, playheadMs: 100 });

    expect(screen.queryByRole('combobox', { name: 'Show client' })).not.toBeInTheDocument();
    expect(plot().getAttribute('aria-label')).toContain('12 clients and the server');
  });

  it('sequence diagram: a proxy gets its lane', () => {
    const proxied = run({ mode: 'long-polling', durationMs: 3000, proxy: { idleTimeoutMs: 1000 } });
    render(SequenceDiagram, { run: proxied, playheadMs: 2000 });

    expect(plot().getAttribute('aria-label')).toContain('a proxy and the server');
    expect(screen.getByRole('button', { name: /^The proxy cut request 1/ })).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^Error response 504 from the proxy/ }),
    ).toBeInTheDocument();
  });

  it('sequence diagram: a refused poll is an error mark named "429 Too Many Requests" with the limit', () => {
    const limited = run(rateLimitedPolls);
    render(SequenceDiagram, { run: limited, playheadMs: 1200 });

    expect(
      screen.getByRole('button', {
        name:
          'Error response 429 Too Many Requests to request 2 of client 1, sent 0.55 s, ' +
          'arrived 0.60 s: client 1 is over the rate limit (60 requests a minute, burst 1)',
      }),
    ).toBeInTheDocument();
    // Counted as an error, not as a wasted round trip.
    expect(plot().getAttribute('aria-label')).toContain('2 empty responses, 1 error');
  });

  it('sequence diagram: a long poll refused for want of room is named "503 Service Unavailable"', () => {
    const capped = run(cappedLongPolls(2));
    render(SequenceDiagram, { run: capped, playheadMs: 500 });

    expect(
      screen.getByRole('button', {
        name: /^Error response 503 Service Unavailable to request 2 of client 2, .*: the server already holds its maximum of 1 request$/,
      }),
    ).toBeInTheDocument();
  });

  it('sequence diagram: the legend explains each encoding', () => {
    render(SequenceDiagram, { run: longPoll, playheadMs: 2000 });
    const legend = screen.getByText('Legend').closest('details')!;

    for (const text of [
      'Request',
      /Response with messages/,
      /Empty response: a wasted round trip/,
      /Error response/,
      /Lost in the network/,
      /Request held at the server/,
      /Hold timeout/,
      /Client timeout/,
      /Message published/,
      /Message delivered/,
      /Skipped poll/,
      /Backoff/,
      /Proxy cuts/,
      /Server down/,
      /Intervention/,
      /Opening a stream/,
      /Message pushed on a stream or socket/,
      /Heartbeat \(SSE comment\) or ping \(WebSocket\)/,
      /SSE stream or WebSocket open between client and server/,
      /Stream broken/,
    ]) {
      expect(within(legend).getByText(text)).toBeInTheDocument();
    }
  });

  it('sequence diagram: an SSE stream is a band, its opening and its messages are marks named so (seed=1)', () => {
    const sse = run({
      mode: 'sse',
      durationMs: 20_000,
      messages: { script: [2000] },
      sse: { heartbeatMs: 4000 },
    });
    render(SequenceDiagram, { run: sse, playheadMs: 5000 });

    expect(plot().getAttribute('aria-label')).toContain(
      '1 request, 0 responses with messages, 0 empty responses, 0 errors, 0 held requests, 1 stream or socket with 3 frames on them',
    );
    for (const name of [
      'SSE stream request (GET) 1 from client 1, sent 0.00 s, arrived 0.05 s',
      "200 OK: the server accepts request 1, opening client 1's SSE stream, sent 0.05 s, arrived 0.10 s",
      'SSE stream of client 1 (request 1), open since 0.10 s (4.9 s)',
      "Message #1 on client 1's SSE stream, sent 2.00 s, arrived 2.05 s",
      "Heartbeat (a comment line) on client 1's SSE stream, sent 4.05 s, arrived 4.10 s",
    ]) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
  });

  it('sequence diagram: a WebSocket cut by the proxy: the cut, the break on the lane and the backoff (seed=1)', () => {
    const ws = run({
      mode: 'websocket',
      durationMs: 10_000,
      messages: { script: [] },
      proxy: { idleTimeoutMs: 3000 },
    });
    render(SequenceDiagram, { run: ws, playheadMs: 3500 });

    expect(
      screen.getByRole('button', {
        name: 'The proxy cut the idle WebSocket of client 1 (request 1) at 3.05 s after 3 s without a byte',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: /^Client 1's WebSocket \(request 1\) broke at 3\.10 s: the proxy cut it; it backs off/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Client 1 backs off/ })).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: /^WebSocket of client 1 \(request 1\), open from 0\.10 s to 3\.10 s/,
      }),
    ).toBeInTheDocument();
  });
});
