import { describe, expect, it } from 'vitest';
import { cpuMillicores, memoryMiB, parseQuantity } from './quantity.ts';

describe('Kubernetes quantities', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['.5', 0.5],
    ['1e3', 1000],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1k', 1000],
    ['1M', 1e6],
    [3, 3],
  ])('%s → %s', (text, value) => expect(parseQuantity(text)).toBe(value));

  it.each(['', 'abc', '1K', '12 Mi', 'Mi', null, undefined])('refuses %s', (text) =>
    expect(parseQuantity(text)).toBeNaN(),
  );

  it('reads CPU as millicores and memory as MiB, 0 when unset', () => {
    expect([cpuMillicores('250m'), cpuMillicores('100m'), cpuMillicores('2'), cpuMillicores(undefined)]).toStrictEqual([
      250, 100, 2000, 0,
    ]);
    expect([memoryMiB('640Mi'), memoryMiB('1Gi'), memoryMiB(String(2 ** 20)), memoryMiB(undefined)]).toStrictEqual([
      640, 1024, 1, 0,
    ]);
  });
});
