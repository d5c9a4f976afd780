import { describe, expect, it } from 'vitest';
import { matchStoredNoticeIds } from '../../shared/domain/save-changes.ts';
import type { Notice } from '../../shared/domain/model.ts';

const notice = (id: string, offset: string): Notice => ({ id, when: 'before', offset, channels: ['email'], subject: 'Frist', message: 'Husk fristen.' });
const sent = (offset: string, id?: string): Omit<Notice, 'id'> & { id?: string } => {
  const { id: _id, ...rest } = notice('x', offset);
  return id ? { ...rest, id } : rest;
};

describe('matching notices sent without ids to the stored ones', () => {
  it('gives a notice the id of the stored notice it equals', () => {
    expect(matchStoredNoticeIds([sent('P3D')], [notice('a', 'P7D'), notice('b', 'P3D')]).map((n) => n.id)).toEqual(['b']);
  });

  it('leaves a notice that equals none without an id (it is new)', () => {
    expect(matchStoredNoticeIds([sent('P4D')], [notice('a', 'P3D')])[0]!.id).toBeUndefined();
  });

  it('never gives one stored id twice: equal notices take one each, then none is left', () => {
    const stored = [notice('a', 'P3D'), notice('b', 'P3D')];
    expect(matchStoredNoticeIds([sent('P3D'), sent('P3D'), sent('P3D')], stored).map((n) => n.id)).toEqual(['a', 'b', undefined]);
  });

  it('keeps ids that are sent, and does not hand them to an equal notice without one', () => {
    const stored = [notice('a', 'P3D'), notice('b', 'P3D')];
    expect(matchStoredNoticeIds([sent('P3D'), sent('P3D', 'a')], stored).map((n) => n.id)).toEqual(['b', 'a']);
  });

  it('counts an absent member and an undefined one the same, and the order of members not at all', () => {
    const { message, subject, ...rest } = sent('P3D');
    expect(matchStoredNoticeIds([{ message, sendAt: undefined, ...rest, subject }], [notice('a', 'P3D')])[0]!.id).toBe('a');
  });
});
