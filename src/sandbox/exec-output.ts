/**
 * Byte-level handling of a Docker exec's attached output. Hand-written rather than docker-modem's
 * `demuxStream` because that one has no byte cap, no arrival order across the two streams, and buffers
 * whole frames; here every byte is counted as it arrives and nothing past the cap is kept.
 */

export const STDOUT = 1;
export const STDERR = 2;

/**
 * Parser for Docker's multiplexed attach stream (Tty=false): frames of an 8-byte header
 * `[stream, 0, 0, 0, size(uint32 BE)]` followed by `size` payload bytes. Payload slices are emitted as they
 * arrive, so a huge frame is never buffered.
 */
export class DockerStreamDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private stream = 0;
  private readonly onPayload: (stream: number, payload: Buffer) => void;

  constructor(onPayload: (stream: number, payload: Buffer) => void) {
    this.onPayload = onPayload;
  }

  /** Throws on a malformed header (the caller then kills the container: the stream cannot be trusted). */
  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < 8) return;
        this.headerFill = 0;
        const type = this.header[0];
        if (type > 2 || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0) {
          throw new Error(`malformed Docker stream header ${this.header.toString("hex")}`);
        }
        this.stream = type;
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.onPayload(this.stream, chunk.subarray(offset, offset + take));
      this.remaining -= take;
      offset += take;
    }
  }
}

/**
 * Keeps at most `capBytes` of combined output: stdout and stderr separately and interleaved in arrival
 * order. `push` returns false once the cap is reached; later bytes are dropped.
 */
export class OutputCollector {
  private readonly stdoutChunks: Buffer[] = [];
  private readonly stderrChunks: Buffer[] = [];
  private readonly combinedChunks: Buffer[] = [];
  private kept = 0;
  private overflow = false;
  private readonly capBytes: number;

  constructor(capBytes: number) {
    this.capBytes = capBytes;
  }

  get truncated(): boolean {
    return this.overflow;
  }

  push(stream: number, payload: Buffer): boolean {
    if (this.overflow) return false;
    if (payload.length === 0) return true;
    const room = this.capBytes - this.kept;
    const keep = payload.length > room ? payload.subarray(0, room) : payload;
    if (keep.length > 0) {
      // Copy: the socket may reuse the underlying memory of the chunk.
      const copy = Buffer.from(keep);
      (stream === STDERR ? this.stderrChunks : this.stdoutChunks).push(copy);
      this.combinedChunks.push(copy);
      this.kept += copy.length;
    }
    if (payload.length > room) {
      this.overflow = true;
      return false;
    }
    return true;
  }

  result(): { stdout: Buffer; stderr: Buffer; output: Buffer } {
    return {
      stdout: Buffer.concat(this.stdoutChunks),
      stderr: Buffer.concat(this.stderrChunks),
      output: Buffer.concat(this.combinedChunks),
    };
  }
}

/** Parse the `oom_kill N` counter out of cgroup v1 `memory.oom_control` or v2 `memory.events` text. */
export function parseOomKillCount(text: string): number | undefined {
  let found: number | undefined;
  for (const match of text.matchAll(/^oom_kill (\d+)$/gm)) found = Math.max(found ?? 0, Number(match[1]));
  return found;
}
