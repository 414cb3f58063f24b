import { describe, expect, it } from 'vitest';
import { parsePurl } from '../sbom/purl.js';
import {
  ecosystemCovers,
  ecosystemOfPurl,
  normalisePackageName,
  parseEcosystem,
} from './ecosystem.js';

const ofPurl = (text: string) => ecosystemOfPurl(parsePurl(text).purl!);

describe('reading an OSV ecosystem name', () => {
  it.each([
    ['Debian:11', { base: 'Debian', release: '11', variant: undefined }],
    ['Ubuntu:22.04:LTS', { base: 'Ubuntu', release: '22.04', variant: undefined }],
    ['Ubuntu:Pro:18.04:LTS', { base: 'Ubuntu', release: '18.04', variant: 'Pro' }],
    ['Alpine:v3.18', { base: 'Alpine', release: '3.18', variant: undefined }],
    ['npm', { base: 'npm', release: undefined, variant: undefined }],
  ])('reads %s', (text, expected) => {
    expect(parseEcosystem(text)).toEqual(expected);
  });
});

describe('the OSV ecosystem of a purl', () => {
  it('maps a Debian purl with distro=debian-11 to Debian:11', () => {
    expect(ofPurl('pkg:deb/debian/openssl@1.1.1n-0+deb11u5?distro=debian-11')).toEqual({
      ecosystem: { base: 'Debian', release: '11', variant: undefined },
      name: 'openssl',
    });
  });
  it('maps Debian and Ubuntu codenames to releases', () => {
    expect(ofPurl('pkg:deb/debian/curl@1?distro=bookworm')?.ecosystem.release).toBe('12');
    expect(ofPurl('pkg:deb/ubuntu/busybox@1?distro=focal')?.ecosystem.release).toBe('20.04');
    expect(ofPurl('pkg:deb/ubuntu/busybox@1?distro=ubuntu-22.04')?.ecosystem.release).toBe('22.04');
  });
  it('maps an Ubuntu ESM stream to the Pro variant', () => {
    expect(ofPurl('pkg:deb/ubuntu/busybox@1?distro=esm-infra/bionic')?.ecosystem).toEqual({
      base: 'Ubuntu',
      release: '18.04',
      variant: 'Pro',
    });
  });
  it('maps Alpine purls to Alpine with the minor release', () => {
    expect(ofPurl('pkg:apk/alpine/busybox@1.36.1-r5?distro=3.18.4')?.ecosystem.release).toBe(
      '3.18',
    );
  });
  it('keeps npm scopes in the package name', () => {
    expect(ofPurl('pkg:npm/%40angular/core@1.0.0')?.name).toBe('@angular/core');
  });
  it('gives no ecosystem to a deb purl of another vendor or to generic purls', () => {
    expect(ofPurl('pkg:deb/raspbian/busybox@1')).toBeUndefined();
    expect(ofPurl('pkg:generic/dnsmasq@2.86')).toBeUndefined();
  });
});

describe('whether an advisory’s ecosystem covers a component', () => {
  const covers = (advisory: string, component: string) =>
    ecosystemCovers(parseEcosystem(advisory), parseEcosystem(component));

  it('never applies one distribution’s advisory to another’s package', () => {
    expect(covers('Debian:11', 'Ubuntu:22.04')).toBe(false);
    expect(covers('Ubuntu:22.04:LTS', 'Debian')).toBe(false);
    expect(covers('Alpine:v3.18', 'Debian:12')).toBe(false);
  });
  it('requires the same release when the component names one', () => {
    expect(covers('Debian:11', 'Debian:11')).toBe(true);
    expect(covers('Debian:12', 'Debian:11')).toBe(false);
    expect(covers('Ubuntu:Pro:20.04:LTS', 'Ubuntu:20.04')).toBe(false);
  });
  it('applies every release of the distribution when the component names none', () => {
    expect(covers('Ubuntu:20.04:LTS', 'Ubuntu')).toBe(true);
  });
});

describe('package names compared as their ecosystem compares them', () => {
  it('normalises PyPI names as PEP 503 does', () => {
    expect(normalisePackageName('PyPI', 'Django_REST.framework')).toBe('django-rest-framework');
  });
});
