import { emptyMirror } from '@mirrorball/model';
import { describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { checkMirror, parseMirrorPatch } from './input.ts';
import { matchNames } from './match.ts';
import { lineDiff, mirrorEditDocument, mirrorToYaml, parseMirrorYaml } from './yaml.ts';

const m = { ...emptyMirror(3), name: 'm', httpURL: 'http://h/', score: -5, latitude: Math.fround(58.4167), allowRedirects: 2, comment: 'two\nlines' };

describe('mirror YAML', () => {
  it('round-trips the edit document, comment included', () => {
    const p = parseMirrorYaml(mirrorEditDocument(m));
    expect(p).toMatchObject({ name: 'm', httpURL: 'http://h/', score: -5, latitude: 58.4167, allowRedirects: 2, comment: 'two\nlines', enabled: false });
    expect(mirrorToYaml(m)).toContain('Latitude: 58.4167\n');
    expect(mirrorToYaml(m)).toContain('AllowRedirects: false\n');
  });

  it('reads yaml.v2 scalars into string fields and quotes what needs quoting', () => {
    expect(parseMirrorYaml('CountryCodes: 12\nSponsorName: ~\n')).toEqual({ countryCodes: '12', sponsorName: '' });
    expect(mirrorToYaml({ ...m, sponsorName: 'true', customData: '{"a": 1}' })).toMatch(/SponsorName: "true"\nSponsorURL: ""\n[^]*CustomData: '\{"a": 1\}'\n/);
  });

  it('refuses broken YAML, unknown keys and wrong types with the key named', () => {
    expect(() => parseMirrorYaml('Name: [a\n')).toThrow(/invalid YAML at line/);
    expect(() => parseMirrorYaml('Nmae: x\n')).toThrow(InputError);
    expect(() => parseMirrorYaml('Score: high\n')).toThrow(/Score must be an integer/);
    expect(() => parseMirrorYaml('- a\n- b\n')).toThrow(/mapping/);
  });

  it('diffs changed lines only', () => {
    expect(lineDiff('A: 1\nB: 2\n', 'A: 1\nB: 3\n')).toBe('- B: 2\n+ B: 3\n');
    expect(lineDiff('A: 1\n', 'A: 1\n')).toBe('');
  });
});

describe('mirror input', () => {
  it('accepts the contract URL forms (ports too) and refuses the rest', () => {
    const ok = (patch: object) => checkMirror({ ...emptyMirror(0), name: 'x', httpURL: 'http://h/', ...patch });
    for (const httpURL of ['http://h:8080/p/', 'https://h/', 'h/p/', '[::1]:81/x/']) expect(() => ok({ httpURL })).not.toThrow();
    for (const rsyncURL of ['rsync://u:p@h:8730/m/', 'rsyncs://h/m/', '']) expect(() => ok({ rsyncURL })).not.toThrow();
    expect(() => ok({ ftpURL: 'ftp://u@h:21/p/' })).not.toThrow();
    expect(() => ok({ httpURL: 'ftp://h/' })).toThrow(/HttpURL/);
    expect(() => ok({ httpURL: 'HTTP://h/' })).toThrow(/lower-case/);
    expect(() => ok({ rsyncURL: 'h/m/' })).toThrow(/RsyncURL/);
    expect(() => ok({ ftpURL: 'sftp://h/' })).toThrow(/FtpURL/);
    expect(() => ok({ countryCodes: 'fr,de' })).not.toThrow();
    expect(() => ok({ continentCode: 'EU NA' })).toThrow(/single/);
  });

  it('maps AllowRedirects between YAML and Redis forms', () => {
    expect([null, true, false, 0, 1, 2].map((v) => parseMirrorPatch({ AllowRedirects: v }).allowRedirects)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('matches names as MatchMirror does: case-insensitive substrings, no exact preference', () => {
    const names: [number, string][] = [[1, 'gb-mirror'], [2, 'gb'], [3, 'us']];
    expect(matchNames(names, 'GB')).toEqual([{ ID: 1, Name: 'gb-mirror' }, { ID: 2, Name: 'gb' }]);
    expect(matchNames(names, 'zz')).toEqual([]);
  });
});
