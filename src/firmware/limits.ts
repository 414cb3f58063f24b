/**
 * Bounds on unpacking. Firmware images are attacker-controlled: a few kilobytes of gzip can
 * expand to gigabytes, a cpio header can claim a 4 GiB member, and archives can nest without
 * end. Every decoder asks a shared budget before it allocates; exceeding a bound stops that
 * branch with a reported reason, never the whole scan.
 */
export interface UnpackLimits {
  /** Total bytes produced by all decoders of one image. */
  readonly maxTotalBytes: number;
  /** Files (of any type) materialised from one image. */
  readonly maxFiles: number;
  /** Nesting depth of containers (image → uImage → gzip → cpio is depth 3). */
  readonly maxDepth: number;
  /** Output bytes per input byte of one decompression step. */
  readonly maxRatio: number;
  /** Bytes of one member file or one decompressed stream. */
  readonly maxFileBytes: number;
}

export const DEFAULT_LIMITS: UnpackLimits = {
  maxTotalBytes: 1024 * 1024 * 1024,
  maxFiles: 200_000,
  maxDepth: 8,
  maxRatio: 250,
  maxFileBytes: 256 * 1024 * 1024,
};

/** A small floor so that tiny, highly compressible members (empty files, zero pages) are fine. */
const RATIO_FLOOR = 1024 * 1024;

/** Why a branch of the unpacking stopped or an entry was left out. */
export type UnpackWarningReason =
  | 'limit.total_bytes'
  | 'limit.files'
  | 'limit.depth'
  | 'limit.ratio'
  | 'limit.file_bytes'
  | 'path_traversal'
  | 'truncated'
  | 'corrupt'
  | 'unsupported'
  | 'unknown_format'
  | 'tool_missing'
  | 'tool_failed'
  | 'unreadable';

/** One reported reason why part of an image was not unpacked. */
export interface UnpackWarning {
  readonly reason: UnpackWarningReason;
  /** Where: a path in the tree, or `@0x…` for an offset in a container. */
  readonly where: string;
  readonly detail: string;
}

/** The shared, mutable accounting of one image's unpacking. */
export class UnpackBudget {
  totalBytes = 0;
  files = 0;
  readonly warnings: UnpackWarning[] = [];

  constructor(readonly limits: UnpackLimits) {}

  warn(reason: UnpackWarningReason, where: string, detail: string): void {
    // Bounded too: a hostile archive could otherwise produce a warning per member.
    if (this.warnings.length < 1000) this.warnings.push({ reason, where, detail });
  }

  /** The most bytes one decompression of `inputBytes` may produce right now. */
  outputAllowance(inputBytes: number): number {
    return Math.max(
      0,
      Math.min(
        this.limits.maxFileBytes,
        this.limits.maxTotalBytes - this.totalBytes,
        Math.max(RATIO_FLOOR, inputBytes * this.limits.maxRatio),
      ),
    );
  }

  /** Names the bound that an output of `inputBytes` hit once it reached the allowance. */
  boundHit(inputBytes: number): UnpackWarningReason {
    const allowance = this.outputAllowance(inputBytes);
    if (allowance === this.limits.maxTotalBytes - this.totalBytes) return 'limit.total_bytes';
    if (allowance === this.limits.maxFileBytes) return 'limit.file_bytes';
    return 'limit.ratio';
  }

  /** Takes `bytes` from the budget for one member; false (with a warning) when it does not fit. */
  takeFile(where: string, bytes: number): boolean {
    if (this.files >= this.limits.maxFiles) {
      this.warn('limit.files', where, `more than ${this.limits.maxFiles} files`);
      return false;
    }
    if (bytes > this.limits.maxFileBytes) {
      this.warn(
        'limit.file_bytes',
        where,
        `member of ${bytes} bytes > ${this.limits.maxFileBytes}`,
      );
      return false;
    }
    if (this.totalBytes + bytes > this.limits.maxTotalBytes) {
      this.warn(
        'limit.total_bytes',
        where,
        `total output would exceed ${this.limits.maxTotalBytes} bytes`,
      );
      return false;
    }
    this.files += 1;
    this.totalBytes += bytes;
    return true;
  }

  /** Takes bytes of a decompressed stream (not a file of the tree). */
  takeBytes(bytes: number): void {
    this.totalBytes += bytes;
  }
}
