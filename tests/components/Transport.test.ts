import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/sim';
import { Playback, type Background, type FrameSource } from '../../src/views/playback.svelte';
import Transport from '../../src/views/Transport.svelte';

const frames: FrameSource = { request: () => 1, cancel: () => {} };

/** Background work that runs only when the test says so. */
function heldBackground() {
  const queue: (() => void)[] = [];
  let clock = 0;
  const background: Background = {
    schedule: (cb) => queue.push(cb),
    cancel: () => {},
    nowMs: () => clock++,
  };
  return { background, runOne: () => queue.shift()?.() };
}

const crowd = scenario({
  clients: 50,
  durationMs: 600_000,
  clientStartSpreadMs: 2000,
  messages: { poisson: { ratePerMin: 6 } },
});

describe('Transport', () => {
  it('says the run is still being computed, and how far, until it is complete', () => {
    const bg = heldBackground();
    const playback = new Playback(crowd, frames, bg.background);
    render(Transport, { playback, onrestart: () => {}, onhelp: () => {} });
    expect(screen.getByRole('status').textContent?.trim()).toBe('');

    playback.seek(300_000);
    playback.setMode('long-polling');
    flushSync();
    const status = screen.getByRole('status');
    expect(status.textContent).toMatch(/Computing the rest of the run… 50 %/);

    bg.runOne();
    flushSync();
    const percent = Number(/(\d+) %/.exec(status.textContent ?? '')?.[1]);
    expect(percent).toBeGreaterThan(50);

    playback.finish();
    flushSync();
    expect(status.textContent?.trim()).toBe('');
  });
});
