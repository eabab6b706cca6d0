import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as lessons from '../../src/lessons';
import Exercise from '../../src/views/lessons/Exercise.svelte';
import type { LessonSession } from '../../src/views/lessons/session.svelte';

const source = `---
title: Tune
summary: A tune exercise.
scenario: { mode: long-polling, durationMs: 120000, messages: { script: [5000] } }
---
## Hold longer

\`\`\`step
exercise:
  type: tune
  id: tune-hold
  question: Set the long-poll timeout so that the client sends at most 4 requests.
  fields: [longPollTimeoutMs, server.batch, sizes.messageBytes]
  targets:
    - { metric: requests, op: "<=", value: 4, label: at most 4 requests }
  reference: { longPollTimeoutMs: 45000 }
  wrong: [{ longPollTimeoutMs: 1000 }]
\`\`\`
`;

function setup(teacher = false) {
  const lesson = lessons.parseLesson('99-tune', source, {});
  const step = lesson.steps[0];
  const checkExercise = vi.fn(lessons.checkExercise);
  const session = {
    engine: { ...lessons, checkExercise },
    teacher,
    solved: vi.fn(),
    isSolved: () => false,
  } as unknown as LessonSession;
  render(Exercise, { session, step, exercise: step.exercise!, picked: null });
  return { checkExercise, step };
}

describe('Exercise: tune', () => {
  it("tune: a student sees each field by its name and unit, in the playground's units, not its path", () => {
    setup();

    const hold = screen.getByRole('textbox', { name: 'Long-poll timeout (s)' });
    expect(hold).toHaveValue('30');
    expect(hold).toHaveAccessibleDescription('0.001–86,400 s');
    expect(screen.getByRole('textbox', { name: 'Message size (bytes)' })).toHaveValue('100');
    const batching = screen.getByRole('combobox', { name: 'Server batching' });
    expect(batching).toHaveDisplayValue('On: all new messages in one response');
    expect(screen.queryByText('longPollTimeoutMs')).toBeNull();
    expect(screen.queryByText('server.batch')).toBeNull();
  });

  it('tune: 45 in the box is a 45 s hold, run as longPollTimeoutMs: 45000', async () => {
    const { checkExercise, step } = setup();

    const hold = screen.getByRole('textbox', { name: 'Long-poll timeout (s)' });
    await fireEvent.input(hold, { target: { value: '45' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Server batching' }), {
      target: { value: 'false' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Run and check' }));

    expect(checkExercise).toHaveBeenCalledExactlyOnceWith(step, step.exercise, {
      longPollTimeoutMs: 45_000,
      server: { batch: false },
      sizes: { messageBytes: 100 },
    });
    expect(screen.getByText(/^All targets met/)).toBeInTheDocument();
  });

  it('tune: a value out of range is refused in place, naming the field and its range', async () => {
    const { checkExercise } = setup();

    const hold = screen.getByRole('textbox', { name: 'Long-poll timeout (s)' });
    await fireEvent.input(hold, { target: { value: '0' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Run and check' }));

    expect(checkExercise).not.toHaveBeenCalled();
    expect(hold).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.getByText('Long-poll timeout must be at least 0.001 s (allowed: 0.001–86,400 s)'),
    ).toBeVisible();
  });

  it('tune: teacher mode adds the scenario path as a hint and reads the reference in the same units', () => {
    setup(true);

    const hold = screen.getByRole('textbox', { name: 'Long-poll timeout (s)' });
    expect(hold).toHaveAccessibleDescription('0.001–86,400 s longPollTimeoutMs');
    const reference = screen.getByRole('complementary', { name: 'Reference answer' });
    expect(reference).toHaveTextContent('Long-poll timeout: 45 s');
    expect(reference).toHaveTextContent('{"longPollTimeoutMs":45000}');
  });
});

describe('Exercise: tune, a limit that may be left out', () => {
  const limitSource = `---
title: Limit
summary: A tune exercise on a rate limit.
scenario:
  durationMs: 60000
  pollIntervalMs: 1000
  messages: { script: [] }
  server: { rateLimit: { requestsPerMin: 30, burst: 1 }, maxHeldRequests: null }
---
## Lift the limit

\`\`\`step
exercise:
  type: tune
  id: tune-limit
  question: Let every request through.
  fields: [server.rateLimit.requestsPerMin, server.maxHeldRequests]
  targets:
    - { metric: server.rateLimited, op: "=", value: 0, label: no request refused }
  reference: { server: { rateLimit: null } }
  wrong: [{ server: { rateLimit: { requestsPerMin: 30 } } }]
\`\`\`
`;

  it('an empty box means no limit, and a setting that is absent shows as an empty box', async () => {
    const lesson = lessons.parseLesson('99-limit', limitSource, {});
    const step = lesson.steps[0];
    const checkExercise = vi.fn(lessons.checkExercise);
    const session = {
      engine: { ...lessons, checkExercise },
      teacher: false,
      solved: vi.fn(),
      isSolved: () => false,
    } as unknown as LessonSession;
    render(Exercise, { session, step, exercise: step.exercise!, picked: null });

    const rate = screen.getByRole('textbox', { name: 'Rate limit per client (per min)' });
    expect(rate).toHaveValue('30');
    expect(rate).toHaveAccessibleDescription(/or empty for no limit/);
    const cap = screen.getByRole('textbox', { name: 'Held-request cap (requests)' });
    expect(cap).toHaveValue('');

    await fireEvent.input(rate, { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Run and check' }));

    expect(rate).not.toHaveAttribute('aria-invalid', 'true');
    expect(checkExercise).toHaveBeenCalledOnce();
    expect(screen.getByText(/^All targets met/)).toBeInTheDocument();
  });
});

describe('Exercise: the explanation after a wrong answer', () => {
  const explained = `---
title: Explained
summary: Exercises with explanations.
scenario: { mode: polling, pollIntervalMs: 2000, durationMs: 60000, messages: { script: [] } }
---
## Count

\`\`\`step
exercise:
  type: predict
  id: count-requests
  question: How many requests in the minute?
  metric: requests
  reference: 30
  wrong: [60]
  explanation: "One request every 2 s for 60 s: {{requests@end}}."
\`\`\`

## Tune

\`\`\`step
exercise:
  type: tune
  id: tune-interval
  question: Make at most 10 requests.
  fields: [pollIntervalMs]
  targets:
    - { metric: requests, op: "<=", value: 10, label: at most 10 requests }
  reference: { pollIntervalMs: 6000 }
  wrong: [{ pollIntervalMs: 2000 }]
  explanation: Sixty seconds at one request every 6 s is 10 requests.
\`\`\`
`;

  function open(index: number) {
    const lesson = lessons.parseLesson('99-explained', explained, {});
    const step = lesson.steps[index];
    const session = {
      engine: lessons,
      teacher: false,
      solved: vi.fn(),
      isSolved: () => false,
    } as unknown as LessonSession;
    render(Exercise, { session, step, exercise: step.exercise!, picked: null });
  }

  it('predict: a wrong number shows the run figure and how it works', async () => {
    open(0);
    expect(screen.queryByText(/One request every 2 s/)).toBeNull();
    await fireEvent.input(screen.getByRole('textbox'), { target: { value: '60' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    // The number in the explanation is the run's, filled in from {{requests@end}}.
    expect(screen.getByText('One request every 2 s for 60 s: 30.')).toBeVisible();
    expect(screen.getByText('How it works:')).toBeVisible();
  });

  it('tune: the explanation, which names good settings, waits for a second miss', async () => {
    open(1);
    const run = () => fireEvent.click(screen.getByRole('button', { name: 'Run and check' }));
    await run();
    expect(screen.getByText(/Missed: at most 10 requests/)).toBeVisible();
    expect(screen.queryByText(/one request every 6 s/)).toBeNull();
    await run();
    expect(screen.getByText(/one request every 6 s/)).toBeVisible();
  });
});
