import { describe, expect, it, vi } from 'vitest';
import { QuestionBridge, TYPED_CANCELLED } from './question-bridge.js';

describe('QuestionBridge', () => {
  it('holds one open question until it is answered, and tells subscribers', async () => {
    const bridge = new QuestionBridge();
    const listener = vi.fn();
    bridge.subscribe(listener);
    const io = bridge.runIO(new AbortController().signal);
    const answer = io.confirm('Apply 2 migrations?');
    expect(bridge.snapshot()?.question).toEqual({ kind: 'yes-no', summary: 'Apply 2 migrations?' });
    await expect(io.confirm('second')).rejects.toThrow('second question');
    bridge.snapshot()!.answer(true);
    await expect(answer).resolves.toBe(true);
    expect(bridge.snapshot()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('a typed confirmation is true only for the exact text', async () => {
    const bridge = new QuestionBridge();
    const io = bridge.runIO(new AbortController().signal);
    const wrong = io.confirmTyped('glowworm', 'Type it');
    bridge.snapshot()!.answer('glowworm ');
    await expect(wrong).resolves.toBe(false);
    const right = io.confirmTyped('glowworm', 'Type it');
    bridge.snapshot()!.answer('glowworm');
    await expect(right).resolves.toBe(true);
  });

  it('a cancelled typed confirmation says so, rather than that the name did not match', async () => {
    const bridge = new QuestionBridge();
    const stop = new AbortController();
    const io = bridge.runIO(stop.signal);
    const escaped = io.confirmTyped('glowworm', 'Type it');
    bridge.snapshot()!.answer(false);
    await expect(escaped).rejects.toMatchObject({ kind: 'aborted', message: TYPED_CANCELLED });
    const stopped = io.confirmTyped('glowworm', 'Type it');
    stop.abort();
    await expect(stopped).rejects.toMatchObject({ kind: 'aborted', message: TYPED_CANCELLED });
  });

  it('the plan answers true, false or "rehearse", and nothing else', async () => {
    const bridge = new QuestionBridge();
    const io = bridge.upgradeIO(new AbortController().signal);
    const answers = [];
    for (const given of [true, false, 'rehearse', 'anything else'] as const) {
      const open = io.confirm({} as never);
      bridge.snapshot()!.answer(given);
      answers.push(await open);
    }
    expect(answers).toEqual([true, false, 'rehearse', false]);
  });

  it('stopping the run answers no, and a late answer changes nothing', async () => {
    const bridge = new QuestionBridge();
    const stop = new AbortController();
    const open = bridge.upgradeIO(stop.signal).confirm({} as never);
    const question = bridge.snapshot()!;
    stop.abort();
    await expect(open).resolves.toBe(false);
    question.answer(true);
    expect(bridge.snapshot()).toBeNull();
    await expect(bridge.runIO(stop.signal).confirm('after the stop')).resolves.toBe(false);
  });
});
