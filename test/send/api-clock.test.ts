import { describe, expect, it } from 'vitest';
import { ApiClock, apiTime } from '../../src/send/api-clock.js';
import type { Customer } from '../../src/send/customer.js';

const NOW = 1_800_000_000_000;
const customer = (createdAt: unknown): Customer => ({ id: 'cus_1', name: 'Ana López', createdAt }) as unknown as Customer;
const iso = (ms: number) => new Date(ms).toISOString();

describe('apiTime', () => {
  it('reads ISO texts and Unix times in seconds or milliseconds, and nothing else', () => {
    expect(apiTime('2027-01-15T10:00:00Z')).toBe(Date.UTC(2027, 0, 15, 10));
    expect(apiTime(1_800_000_000)).toBe(NOW);
    expect(apiTime('1800000000000')).toBe(NOW);
    expect(apiTime('202412011230')).toBeNaN(); // a date without its separators
    expect(apiTime(undefined)).toBeNaN();
  });
});

describe("the API's clock", () => {
  it("is read from the customers this run created while no Date header came: the highest bound, until a Date header's", () => {
    const clock = new ApiClock();
    clock.noteCreated(customer(iso(NOW - 600_050)), NOW); // answered 50 ms after the write
    clock.noteCreated(customer(iso(NOW - 600_010)), NOW);
    clock.noteCreated(customer(iso(NOW - 603_000)), NOW); // an answer held up 3 s: a lower bound, not kept
    clock.noteCreated(customer('yesterday'), NOW); // a createdAt that could not be read
    expect(clock.aheadMs).toBe(-600_010);
    expect(clock.dateHeaderRead).toBe(false);
    clock.readDateHeader(NOW - 300_000, NOW);
    clock.noteCreated(customer(iso(NOW)), NOW);
    expect(clock.aheadMs).toBe(-299_500); // the header's second read at its middle
    expect(clock.dateHeaderRead).toBe(true);
  });

  it('tells a customer created since a try from one there before, on the clock a Date header sets, allowing 2 s', () => {
    const clock = new ApiClock();
    clock.readDateHeader(NOW - 600_000, NOW); // the API 10 minutes behind
    expect(clock.createdSince(customer(iso(NOW - 600_000 + 10)), NOW)).toBe(true);
    expect(clock.createdSince(customer(iso(NOW - 600_000 - 1_000)), NOW)).toBe(true); // within the allowance
    expect(clock.createdSince(customer(iso(NOW - 600_000 - 5_000)), NOW)).toBe(false);
    expect(clock.createdSince(customer(null), NOW)).toBeUndefined();
    expect(clock.knownCreatedBefore(customer(iso(NOW - 600_000 - 5_000)), NOW)).toBe(true);
  });

  it('without a Date header, judges a try sent after the newest customers were read by them, on the API\'s own clock', () => {
    const clock = new ApiClock();
    // The API runs 10 minutes behind and says so nowhere: its newest customer is from its "now".
    expect(clock.noteNewest([customer(iso(NOW - 600_000)), customer(iso(NOW - 700_000))], NOW)).toBe(true);
    const ours = customer(iso(NOW - 600_000 + 5_000)); // created by a try sent 3 s after the look
    expect(clock.createdSinceTry(ours, NOW + 3_000)).toBe(true);
    expect(clock.knownCreatedBefore(ours, NOW + 3_000)).toBe(false);
    const before = customer(iso(NOW - 650_000));
    expect(clock.createdSinceTry(before, NOW + 3_000)).toBe(false);
    expect(clock.knownCreatedBefore(before, NOW + 3_000)).toBe(true);
    // A try sent before the look (a run it resumes) is judged on our clock, which tells nothing of "before".
    expect(clock.createdSinceTry(before, NOW - 60_000)).toBe(false);
    expect(clock.knownCreatedBefore(before, NOW - 60_000)).toBe(false);
  });

  it('keeps no newest customers that are not newest first, or undated', () => {
    const clock = new ApiClock();
    expect(clock.noteNewest([customer(iso(NOW - 700_000)), customer(iso(NOW - 600_000))], NOW)).toBe(false);
    expect(clock.noteNewest([customer('soon')], NOW)).toBe(false);
    expect(clock.knownCreatedBefore(customer(iso(NOW - 3_600_000)), NOW + 1_000)).toBe(false);
    expect(clock.noteNewest([], NOW)).toBe(true); // an organization with no customer: any is created since
    expect(clock.createdSinceTry(customer(iso(NOW - 3_600_000)), NOW + 1_000)).toBe(true);
  });

  it('says a customer was created long before a try only by a Date header, and a createdAt with its zone', () => {
    const clock = new ApiClock();
    const old = customer(iso(NOW - 3_600_000));
    expect(clock.createdLongBefore(old, NOW)).toBe(false);
    clock.readDateHeader(NOW, NOW);
    expect(clock.createdLongBefore(old, NOW)).toBe(true);
    expect(clock.createdLongBefore(customer('2027-01-15T10:00:00'), Date.UTC(2027, 0, 16))).toBe(false); // no zone
    expect(clock.createdLongBefore(customer(iso(NOW - 60_000)), NOW)).toBe(false);
    expect(clock.createdLongBefore(old, undefined)).toBe(false);
  });
});
