/** The behaviour every ControlBus must have, seen from one process: local (embedded) and Redis pub/sub. */
import assert from 'node:assert/strict';
import os from 'node:os';
import type { ControlBus, ControlMessage } from '../../src/control/control-bus.js';
import { until } from '../helpers/until.js';

export function describeControlBusContract(
  name: string,
  open: () => Promise<{ bus: ControlBus; dispose(): Promise<void> }>,
): void {
  describe(`ControlBus contract: ${name}`, function () {
    let bus: ControlBus;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ bus, dispose } = await open());
    });
    afterEach(async () => dispose());

    it('delivers a published message to every subscriber of this process, once each', async () => {
      const first: ControlMessage[] = [];
      const second: ControlMessage[] = [];
      bus.subscribe((m) => first.push(m));
      bus.subscribe((m) => second.push(m));
      const message: ControlMessage = {
        kind: 'taxonomy-reload',
        from: bus.processId,
        at: '2026-11-01T10:00:00.000Z',
      };
      // Redis subscribes asynchronously: publish until the first copy arrives, then count.
      await until('the message arrived', async () => {
        if (first.length === 0) await bus.publish(message);
        return first.length > 0 && second.length > 0;
      });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(first.length, second.length);
      assert.deepEqual(first[0], message);
    });

    it('lists this process with what it reported, and nothing before it reported', async () => {
      assert.deepEqual(
        (await bus.processes()).filter((p) => p.id === bus.processId),
        [],
      );
      await bus.report({
        roles: ['api', 'worker'],
        versions: { taxonomy: 't1', dictionary: 'd1', pipeline: 'p1' },
      });
      await bus.report({
        roles: ['api', 'worker'],
        versions: { taxonomy: 't2', dictionary: 'd1', pipeline: 'p1' },
        lastReload: { at: '2026-11-01T10:00:00.000Z', ok: true },
      });
      const mine = (await bus.processes()).filter((p) => p.id === bus.processId);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.pid, process.pid);
      assert.equal(mine[0]!.host, os.hostname());
      assert.deepEqual(mine[0]!.roles, ['api', 'worker']);
      assert.equal(mine[0]!.versions?.taxonomy, 't2');
      assert.deepEqual(mine[0]!.lastReload, { at: '2026-11-01T10:00:00.000Z', ok: true });
      assert.ok(Date.parse(mine[0]!.seenAt) >= Date.parse(mine[0]!.startedAt));
    });
  });
}
