import { describe, expect, it } from 'vitest';
import { cvss3BaseScore } from './cvss.js';

describe('cvss3BaseScore', () => {
  // Scores as FIRST's CVSS v3.1 calculator gives them.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'Critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8, 'High'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'Critical'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5, 'Medium'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'Medium'],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', 3.7, 'Low'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'None'],
  ])('scores %s as %s (%s)', (vector, score, rating) => {
    expect(cvss3BaseScore(vector)).toEqual({ baseScore: score, rating });
  });

  it.each([
    'CVSS:2.0/AV:N',
    'CVSS:3.1/AV:N/AC:L',
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'medium',
    '',
  ])('gives no score for %j', (vector) => {
    expect(cvss3BaseScore(vector)).toBeUndefined();
  });
});
