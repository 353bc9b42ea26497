import { constants, inflateSync } from "node:zlib";

/**
 * Sizes of `GIT binary patch` blocks. Git encodes them as zlib data in its own base85 alphabet; a
 * `literal N` block states the file's size, but a `delta N` block only states the delta's size, and a
 * small delta can copy the same base range many times over. So the delta is inflated (bounded) and the
 * target size read from its header. Hand-written: no npm library decodes git's base85 variant.
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
const DECODE = new Map([...ALPHABET].map((char, index) => [char, index]));

/** Decode the data lines of one block (each: a length character, then base85 groups of 5). */
export function decodeGitBase85Lines(lines: string[]): Buffer {
  const out: Buffer[] = [];
  for (const line of lines) {
    const lengthChar = line.charCodeAt(0);
    let length: number;
    if (lengthChar >= 65 && lengthChar <= 90) length = lengthChar - 65 + 1;
    else if (lengthChar >= 97 && lengthChar <= 122) length = lengthChar - 97 + 27;
    else throw new Error("bad binary patch line length");
    const data = line.slice(1);
    if (data.length % 5 !== 0 || data.length / 5 !== Math.ceil(length / 4)) throw new Error("bad binary patch line");
    const bytes = Buffer.alloc(data.length / 5 * 4);
    for (let group = 0; group < data.length / 5; group++) {
      let value = 0;
      for (let i = 0; i < 5; i++) {
        const digit = DECODE.get(data[group * 5 + i]);
        if (digit === undefined) throw new Error("bad base85 character");
        value = value * 85 + digit;
      }
      if (value > 0xffffffff) throw new Error("base85 group overflow");
      bytes.writeUInt32BE(value, group * 4);
    }
    out.push(bytes.subarray(0, length));
  }
  return Buffer.concat(out);
}

function readVarint(buffer: Buffer, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    if (position >= buffer.length) throw new Error("truncated delta header");
    const byte = buffer[position++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
    if (shift > 63) throw new Error("delta size varint too long");
  }
  return [value, position];
}

/**
 * The size of the file a binary block produces. A literal states it (git apply checks the inflated data
 * against it). For a delta, only the start of the stream is inflated (bounded: a well-compressed delta can
 * be huge) to read the target size from its header. Throws on corrupt data.
 */
export function binaryBlockResultSize(kind: "literal" | "delta", statedSize: number, lines: string[]): number {
  if (kind === "literal") return statedSize;
  const compressed = decodeGitBase85Lines(lines);
  const head = inflateSync(compressed.subarray(0, 64), { finishFlush: constants.Z_SYNC_FLUSH });
  const [, afterSource] = readVarint(head, 0);
  const [targetSize] = readVarint(head, afterSource);
  return targetSize;
}
