import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import {
  applySet,
  scenario,
  type InterventionSet,
  type Scenario,
  type ScenarioInput,
} from '../../src/sim';
import Controls from '../../src/views/Controls.svelte';

function setup(input: ScenarioInput = {}, reply: string | null = null) {
  const onchange = vi.fn((_set: InterventionSet) => reply);
  const onscenario = vi.fn(() => null);
  const onfault = vi.fn();
  const config = scenario(input);
  const view = render(Controls, { config, onchange, onscenario, onfault });
  return { ...view, config, onchange, onscenario, onfault };
}

/** Types into a box and leaves it, as a person does: the change is applied on `change`. */
async function enter(label: string | RegExp, value: string) {
  const box = screen.getByRole('textbox', { name: label });
  await fireEvent.input(box, { target: { value } });
  await fireEvent.change(box);
  return box;
}

describe('Controls', () => {
  it('controls: the mode is a radio group named "Mode" showing the mode in force', () => {
    setup({ mode: 'polling' });
    const group = screen.getByRole('radiogroup', { name: 'Mode' });

    expect(within(group).getByRole('radio', { name: 'Polling' })).toBeChecked();
    expect(within(group).getByRole('radio', { name: 'Long polling' })).not.toBeChecked();
  });

  it('controls: the mode switch offers the four modes, in order', () => {
    setup({ mode: 'websocket' });
    const group = screen.getByRole('radiogroup', { name: 'Mode' });

    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => r.getAttribute('value')),
    ).toEqual(['polling', 'long-polling', 'sse', 'websocket']);
    expect(within(group).getByRole('radio', { name: 'Server-Sent Events' })).not.toBeChecked();
    expect(within(group).getByRole('radio', { name: 'WebSocket' })).toBeChecked();
  });

  it('controls: choosing "Server-Sent Events" applies just the mode', async () => {
    const { onchange } = setup();

    await fireEvent.click(screen.getByRole('radio', { name: 'Server-Sent Events' }));

    expect(onchange).toHaveBeenCalledExactlyOnceWith({ mode: 'sse' });
  });

  it('controls: the SSE settings show only while SSE is in force, and apply sse fields', async () => {
    const { onchange } = setup({ mode: 'sse' });

    expect(screen.getByRole('group', { name: 'Server-Sent Events settings' })).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'WebSocket settings' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Reconnect wait (s)' })).toHaveValue('3');
    expect(
      screen.getByRole('textbox', { name: 'Heartbeat every (s)' }),
    ).toHaveAccessibleDescription(/keeps proxies from cutting the stream; 0 for none; 0–86,400 s/);

    await enter('Reconnect wait (s)', '5');
    await enter('Heartbeat every (s)', '15');

    expect(onchange.mock.calls).toEqual([
      [{ sse: { retryMs: 5000 } }],
      [{ sse: { heartbeatMs: 15_000 } }],
    ]);
  });

  it('controls: the WebSocket settings show only while WebSocket is in force: ping interval and resume', async () => {
    const { onchange } = setup({ mode: 'websocket', websocket: { pingIntervalMs: 25_000 } });

    expect(
      screen.queryByRole('group', { name: 'Server-Sent Events settings' }),
    ).not.toBeInTheDocument();
    const group = screen.getByRole('group', { name: 'WebSocket settings' });
    expect(within(group).getByRole('textbox', { name: 'Ping every (s)' })).toHaveValue('25');
    const resume = within(group).getByRole('checkbox', { name: 'Resume after a reconnect' });
    expect(resume).not.toBeChecked();

    await fireEvent.click(resume);

    expect(onchange).toHaveBeenCalledExactlyOnceWith({ websocket: { resume: true } });
  });

  it('controls: polling modes show neither push group', () => {
    setup({ mode: 'long-polling' });

    expect(
      screen.queryByRole('group', { name: 'Server-Sent Events settings' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'WebSocket settings' })).not.toBeInTheDocument();
  });

  it('controls: choosing "Long polling" applies just the mode', async () => {
    const { onchange } = setup();

    await fireEvent.click(screen.getByRole('radio', { name: 'Long polling' }));

    expect(onchange).toHaveBeenCalledExactlyOnceWith({ mode: 'long-polling' });
  });

  it('controls: a refused mode change puts the radio back and says why', async () => {
    setup({}, 'this scenario would make too many events');

    await fireEvent.click(screen.getByRole('radio', { name: 'Long polling' }));

    expect(screen.getByRole('radio', { name: 'Polling' })).toBeChecked();
    expect(screen.getByText('this scenario would make too many events')).toBeInTheDocument();
  });

  it('controls: poll interval 0 is refused in place with the allowed range', async () => {
    const { onchange } = setup();

    const box = await enter('Poll interval (s)', '0');

    expect(onchange).not.toHaveBeenCalled();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription(
      /Poll interval must be at least 0\.001 s \(allowed: 0\.001–86,400 s\)/,
    );
    expect(
      screen.getByText('Poll interval must be at least 0.001 s (allowed: 0.001–86,400 s)'),
    ).toBeVisible();
  });

  it.each([
    { label: 'Poll interval (s)', value: '0.5', set: { pollIntervalMs: 500 } },
    { label: 'Poll interval (s)', value: ' 0.3 ', set: { pollIntervalMs: 300 } },
    { label: 'Long-poll timeout (s)', value: '55', set: { longPollTimeoutMs: 55_000 } },
    { label: 'Re-poll delay (ms)', value: '250', set: { repollDelayMs: 250 } },
    { label: 'Network latency (ms)', value: '120', set: { network: { latencyMs: 120 } } },
    { label: 'Jitter (ms)', value: '30', set: { network: { jitterMs: 30 } } },
    { label: 'Loss (%)', value: '5', set: { network: { lossRate: 0.05 } } },
    {
      label: 'Message rate (per min)',
      value: '12.5',
      set: { messages: { poisson: { ratePerMin: 12.5 } } },
    },
    { label: 'Buffer limit (messages)', value: '10', set: { server: { bufferLimit: 10 } } },
    {
      label: 'Buffer limit (messages)',
      value: '',
      set: { server: { bufferLimit: 10_000_000 } },
      input: { server: { bufferLimit: 10 } },
    },
    { label: 'Client timeout margin (s)', value: '2', set: { clientTimeoutMarginMs: 2000 } },
    {
      label: 'Publish every (s)',
      value: '2',
      set: { messages: { everyMs: 2000 } },
      input: { messages: { everyMs: 500 } },
    },
    {
      label: 'Burst spread (ms)',
      value: '40',
      set: { messages: { bursts: { everyMs: 4000, size: 3, spreadMs: 40 } } },
      input: { messages: { bursts: { everyMs: 4000, size: 3 } } },
    },
    {
      label: 'Proxy idle timeout (s)',
      value: '30',
      set: { proxy: { idleTimeoutMs: 30_000 } },
      input: { proxy: {} },
    },
  ] as { label: string; value: string; set: InterventionSet; input?: ScenarioInput }[])(
    'controls: "$value" in $label applies $set',
    async ({ label, value, set, input }) => {
      const { onchange, config } = setup(input);

      const box = await enter(label, value);

      expect(onchange).toHaveBeenCalledExactlyOnceWith(set);
      expect(box).not.toHaveAttribute('aria-invalid');
      // The change is one the simulation accepts as it stands.
      expect(() => scenario(applySet(config, set))).not.toThrow();
    },
  );

  it.each([
    {
      label: 'Poll interval (s)',
      value: 'abc',
      message: 'Poll interval must be a number (allowed: 0.001–86,400 s)',
    },
    {
      label: 'Poll interval (s)',
      value: '',
      message: 'Poll interval must be a number (allowed: 0.001–86,400 s)',
    },
    {
      label: 'Poll interval (s)',
      value: '0.0005',
      message: 'Poll interval must be at least 0.001 s (allowed: 0.001–86,400 s)',
    },
    {
      label: 'Poll interval (s)',
      value: '1.0005',
      message: 'Poll interval must be in steps of 0.001 s (allowed: 0.001–86,400 s)',
    },
    {
      label: 'Network latency (ms)',
      value: '60001',
      message: 'Network latency must be at most 60,000 ms (allowed: 0–60,000 ms)',
    },
    {
      label: 'Network latency (ms)',
      value: '-1',
      message: 'Network latency must be at least 0 ms (allowed: 0–60,000 ms)',
    },
    {
      label: 'Re-poll delay (ms)',
      value: '2.5',
      message: 'Re-poll delay must be a whole number (allowed: 0–86,400,000 ms)',
    },
    {
      label: 'Loss (%)',
      value: '100',
      message: 'Loss must be less than 100 % (allowed: 0 to under 100 %)',
    },
    {
      label: 'Buffer limit (messages)',
      value: '0',
      message:
        'Buffer limit must be at least 1 message (allowed: 1–10,000,000 messages, or empty for unlimited)',
    },
  ])('controls: "$value" in $label is refused: $message', async ({ label, value, message }) => {
    const { onchange } = setup();

    const box = await enter(label, value);

    expect(onchange).not.toHaveBeenCalled();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription(expect.stringContaining(message));
  });

  it('controls: typing alone applies nothing until the box is left', async () => {
    const { onchange } = setup();
    const box = screen.getByRole('textbox', { name: 'Poll interval (s)' });

    await fireEvent.input(box, { target: { value: '5' } });

    expect(onchange).not.toHaveBeenCalled();
  });

  it('controls: the same value again applies nothing', async () => {
    const { onchange } = setup({ pollIntervalMs: 2000 });

    await enter('Poll interval (s)', '2.000');

    expect(onchange).not.toHaveBeenCalled();
  });

  it('controls: Escape puts a refused box back and clears the message', async () => {
    setup();
    const box = await enter('Poll interval (s)', '0');

    await fireEvent.keyDown(box, { key: 'Escape' });

    expect(box).toHaveValue('2');
    expect(box).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText(/Poll interval must/)).not.toBeInTheDocument();
  });

  it('controls: a change the playground refuses shows its reason on the field', async () => {
    const { onchange } = setup({}, 'too many trace events for a browser');

    const box = await enter('Poll interval (s)', '0.001');

    expect(onchange).toHaveBeenCalledOnce();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription(/too many trace events for a browser/);
  });

  it('controls: boxes show the configuration in force, and follow it', async () => {
    const { rerender, config } = setup({ network: { lossRate: 0.07 } });
    expect(screen.getByRole('textbox', { name: 'Loss (%)' })).toHaveValue('7');
    expect(screen.getByRole('textbox', { name: 'Poll interval (s)' })).toHaveValue('2');

    await rerender({ config: applySet(config, { pollIntervalMs: 750, mode: 'long-polling' }) });

    expect(screen.getByRole('textbox', { name: 'Poll interval (s)' })).toHaveValue('0.75');
    expect(screen.getByRole('radio', { name: 'Long polling' })).toBeChecked();
  });

  it('controls: units and ranges shown next to a box come from the schema', () => {
    setup();

    expect(
      screen.getByRole('textbox', { name: 'Network latency (ms)' }),
    ).toHaveAccessibleDescription('0–60,000 ms');
    expect(
      screen.getByRole('textbox', { name: 'Long-poll timeout (s)' }),
    ).toHaveAccessibleDescription('0.001–86,400 s');
  });

  it.each([
    {
      option: 'In bursts',
      set: { messages: { bursts: { everyMs: 10_000, size: 5, spreadMs: 0 } } },
    },
    { option: 'Regularly', set: { messages: { everyMs: 10_000 } } },
    { option: 'None', set: { messages: { script: [] } } },
  ])('controls: workload "$option" applies $set', async ({ option, set }) => {
    const { onchange } = setup({ messages: { poisson: { ratePerMin: 6 } } });
    const select = screen.getByRole('combobox', { name: 'Workload' });

    await fireEvent.change(select, {
      target: { value: within(select).getByRole('option', { name: option }).getAttribute('value') },
    });

    expect(onchange).toHaveBeenCalledExactlyOnceWith(set);
  });

  it('controls: with no workload in force, "At random" starts at the schema\'s pace (6 a minute)', async () => {
    const { onchange } = setup({ messages: { script: [] } });
    const select = screen.getByRole('combobox', { name: 'Workload' });

    await fireEvent.change(select, { target: { value: 'poisson' } });

    expect(onchange).toHaveBeenCalledExactlyOnceWith({ messages: { poisson: { ratePerMin: 6 } } });
  });

  it("controls: boxes of absent settings: the largest buffer limit reads as unlimited, the proxy's timeout as the schema's 60 s", () => {
    setup({ server: { bufferLimit: 10_000_000 } });

    expect(screen.getByRole('textbox', { name: 'Buffer limit (messages)' })).toHaveValue('');
    expect(screen.getByRole('textbox', { name: 'Proxy idle timeout (s)' })).toHaveValue('60');
    expect(screen.getByRole('textbox', { name: 'Rate-limit burst (requests)' })).toHaveValue('5');
  });

  it('controls: a burst workload has its own boxes, and a change keeps the other burst fields', async () => {
    const { onchange } = setup({ messages: { bursts: { everyMs: 4000, size: 3, spreadMs: 100 } } });
    expect(screen.queryByRole('textbox', { name: /Message rate/ })).not.toBeInTheDocument();

    await enter('Burst size (messages)', '8');

    expect(onchange).toHaveBeenCalledExactlyOnceWith({
      messages: { bursts: { everyMs: 4000, size: 8, spreadMs: 100 } },
    });
  });

  it('controls: the proxy checkbox adds a proxy with a 60 s idle timeout, or removes it', async () => {
    const { onchange } = setup();
    expect(screen.getByRole('textbox', { name: 'Proxy idle timeout (s)' })).toBeDisabled();

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Proxy' }));
    expect(onchange).toHaveBeenLastCalledWith({ proxy: { idleTimeoutMs: 60_000 } });

    const withProxy = setup({ proxy: { idleTimeoutMs: 30_000 } });
    const boxes = screen.getAllByRole('checkbox', { name: 'Proxy' });
    await fireEvent.click(boxes[1]);
    expect(withProxy.onchange).toHaveBeenLastCalledWith({ proxy: null });
  });

  it('controls: batching and the buffer apply server fields', async () => {
    const { onchange } = setup();

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Server batching' }));
    await fireEvent.change(screen.getByRole('combobox', { name: 'Server buffer' }), {
      target: { value: 'none' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Poll timer' }), {
      target: { value: 'after-response' },
    });

    expect(onchange.mock.calls).toEqual([
      [{ server: { batch: false } }],
      [{ server: { buffer: 'none' } }],
      [{ pollTimer: 'after-response' }],
    ]);
  });

  it('controls: the poll timer and buffer lists show the values in force (after-response, none)', () => {
    setup({ pollTimer: 'after-response', server: { buffer: 'none' } });

    expect(screen.getByRole('combobox', { name: 'Poll timer' })).toHaveDisplayValue(
      'After each response',
    );
    expect(screen.getByRole('combobox', { name: 'Server buffer' })).toHaveDisplayValue('None');
  });

  it.each([
    {
      what: 'a rate limit, with the default burst',
      label: 'Rate limit per client (per min)',
      value: '30',
      set: { server: { rateLimit: { requestsPerMin: 30 } } },
      result: { rateLimit: { requestsPerMin: 30, burst: 5 } },
    },
    {
      what: 'a new rate, keeping the burst in force',
      label: 'Rate limit per client (per min)',
      value: '120',
      set: { server: { rateLimit: { requestsPerMin: 120 } } },
      result: { rateLimit: { requestsPerMin: 120, burst: 2 } },
      input: { server: { rateLimit: { requestsPerMin: 60, burst: 2 } } },
    },
    {
      what: 'no rate limit, from an empty box',
      label: 'Rate limit per client (per min)',
      value: '',
      set: { server: { rateLimit: null } },
      input: { server: { rateLimit: { requestsPerMin: 60, burst: 2 } } },
    },
    {
      what: 'a new burst, keeping the rate in force',
      label: 'Rate-limit burst (requests)',
      value: '10',
      set: { server: { rateLimit: { burst: 10 } } },
      result: { rateLimit: { requestsPerMin: 60, burst: 10 } },
      input: { server: { rateLimit: { requestsPerMin: 60, burst: 2 } } },
    },
    {
      what: 'a cap on held requests',
      label: 'Held-request cap (requests)',
      value: '500',
      set: { server: { maxHeldRequests: 500 } },
    },
    {
      what: 'no cap, from an empty box',
      label: 'Held-request cap (requests)',
      value: ' ',
      set: { server: { maxHeldRequests: null } },
      input: { server: { maxHeldRequests: 500 } },
    },
  ] as {
    what: string;
    label: string;
    value: string;
    set: InterventionSet;
    /** The server settings in force after the change, where they differ from `set`. */
    result?: Partial<Scenario['server']>;
    input?: ScenarioInput;
  }[])(
    'controls: server limits: "$value" in $label applies $what',
    async ({ label, value, set, result, input }) => {
      const { onchange, config } = setup(input);

      const box = await enter(label, value);

      expect(onchange).toHaveBeenCalledExactlyOnceWith(set);
      expect(box).not.toHaveAttribute('aria-invalid');
      const next = scenario(applySet(config, set));
      expect(next.server).toEqual({ ...config.server, ...(result ?? set.server) });
    },
  );

  it.each([
    {
      label: 'Rate limit per client (per min)',
      value: '0',
      message:
        'Rate limit per client must be at least 1 per min (allowed: 1–600,000 per min, or empty for no limit)',
    },
    {
      label: 'Rate limit per client (per min)',
      value: '2.5',
      message:
        'Rate limit per client must be a whole number (allowed: 1–600,000 per min, or empty for no limit)',
    },
    {
      label: 'Rate-limit burst (requests)',
      value: '',
      message: 'Rate-limit burst must be a number (allowed: 1–10,000 requests)',
    },
    {
      label: 'Rate-limit burst (requests)',
      value: '10001',
      message: 'Rate-limit burst must be at most 10,000 requests (allowed: 1–10,000 requests)',
    },
    {
      label: 'Held-request cap (requests)',
      value: 'lots',
      message:
        'Held-request cap must be a number (allowed: 1–1,000,000 requests, or empty for no cap)',
    },
  ])(
    'controls: server limits: "$value" in $label is refused: $message',
    async ({ label, value, message }) => {
      const { onchange } = setup({ server: { rateLimit: { requestsPerMin: 60 } } });

      const box = await enter(label, value);

      expect(onchange).not.toHaveBeenCalled();
      expect(box).toHaveAttribute('aria-invalid', 'true');
      expect(box).toHaveAccessibleDescription(expect.stringContaining(message));
      expect(screen.getByText(message)).toBeVisible();
    },
  );

  it('controls: server limits: empty boxes say there is no limit, and the burst waits for a rate', async () => {
    const { rerender, config } = setup();
    const rate = screen.getByRole('textbox', { name: 'Rate limit per client (per min)' });
    const burst = screen.getByRole('textbox', { name: 'Rate-limit burst (requests)' });
    const cap = screen.getByRole('textbox', { name: 'Held-request cap (requests)' });

    expect(rate).toHaveValue('');
    expect(rate).toHaveAccessibleDescription('1–600,000 per min, or empty for no limit');
    expect(cap).toHaveValue('');
    expect(cap).toHaveAccessibleDescription('1–1,000,000 requests, or empty for no cap');
    expect(burst).toBeDisabled();
    expect(burst).toHaveValue('5');

    await rerender({
      config: applySet(config, {
        server: { rateLimit: { requestsPerMin: 90, burst: 3 }, maxHeldRequests: 200 },
      }),
    });

    expect(rate).toHaveValue('90');
    expect(burst).toBeEnabled();
    expect(burst).toHaveValue('3');
    expect(cap).toHaveValue('200');
  });

  it('controls: the scenario group changes clients and restarts the server', async () => {
    const { onscenario, onfault, onchange } = setup();
    const group = screen.getByRole('group', { name: 'Scenario' });

    await enter('Clients', '5');
    await enter('Duration (s)', '120');
    await enter('Seed', '-3');
    await fireEvent.click(within(group).getByRole('button', { name: 'Restart server now' }));

    expect(onscenario.mock.calls).toEqual([[{ clients: 5 }], [{ durationMs: 120_000 }]]);
    expect(screen.getByText(/Seed must be at least 0/)).toBeInTheDocument();
    expect(onfault).toHaveBeenCalledOnce();
    expect(onchange).not.toHaveBeenCalled();
  });

  it('controls: disabled controls cannot be used', () => {
    render(Controls, { config: scenario({}), onchange: () => null, disabled: true });

    expect(screen.getByRole('radio', { name: 'Long polling' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Poll interval (s)' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Server batching' })).toBeDisabled();
    expect(screen.queryByRole('group', { name: 'Scenario' })).not.toBeInTheDocument();
  });
});
