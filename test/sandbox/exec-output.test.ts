import { DockerStreamDemuxer, OutputCollector, STDERR, STDOUT, parseOomKillCount } from "../../src/sandbox/exec-output.js";

function frame(stream: number, payload: string | Buffer): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe("DockerStreamDemuxer", () => {
  const collect = (chunks: Buffer[]): [number, string][] => {
    const seen: [number, string][] = [];
    const demuxer = new DockerStreamDemuxer((stream, payload) => seen.push([stream, payload.toString("latin1")]));
    for (const chunk of chunks) demuxer.write(chunk);
    // Merge consecutive pieces of the same stream for comparison.
    return seen.reduce<[number, string][]>((acc, [s, p]) => {
      if (acc.length && acc[acc.length - 1][0] === s) acc[acc.length - 1][1] += p;
      else acc.push([s, p]);
      return acc;
    }, []);
  };
  const stream = Buffer.concat([frame(STDOUT, "hello "), frame(STDERR, "oops"), frame(STDOUT, "world")]);

  it("splits frames in one chunk", () => {
    expect(collect([stream])).toEqual([[1, "hello "], [2, "oops"], [1, "world"]]);
  });

  it("handles every possible chunking (headers and payloads split anywhere)", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(collect([stream.subarray(0, cut), stream.subarray(cut)])).toEqual([[1, "hello "], [2, "oops"], [1, "world"]]);
    }
    expect(collect([...stream].map((byte) => Buffer.from([byte])))).toEqual([[1, "hello "], [2, "oops"], [1, "world"]]);
  });

  it("keeps binary payloads intact", () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const out: Buffer[] = [];
    const demuxer = new DockerStreamDemuxer((_s, p) => out.push(Buffer.from(p)));
    demuxer.write(frame(STDOUT, bytes));
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
  });

  it("rejects a malformed header", () => {
    const demuxer = new DockerStreamDemuxer(() => undefined);
    expect(() => demuxer.write(Buffer.from("HTTP/1.1 200 OK\r\n"))).toThrow(/malformed/);
  });
});

describe("OutputCollector", () => {
  it("keeps stdout, stderr and the interleaving", () => {
    const c = new OutputCollector(100);
    c.push(STDOUT, Buffer.from("a"));
    c.push(STDERR, Buffer.from("b"));
    c.push(STDOUT, Buffer.from("c"));
    expect(c.result()).toEqual({ stdout: Buffer.from("ac"), stderr: Buffer.from("b"), output: Buffer.from("abc") });
    expect(c.truncated).toBe(false);
  });

  it("stops exactly at the cap and reports truncation only past it", () => {
    const c = new OutputCollector(5);
    expect(c.push(STDOUT, Buffer.from("12345"))).toBe(true);
    expect(c.truncated).toBe(false);
    expect(c.push(STDERR, Buffer.from("6"))).toBe(false);
    expect(c.truncated).toBe(true);
    expect(c.push(STDOUT, Buffer.from("7"))).toBe(false);
    expect(c.result().output.toString()).toBe("12345");
  });

  it("cuts a chunk that crosses the cap", () => {
    const c = new OutputCollector(4);
    expect(c.push(STDOUT, Buffer.from("ab"))).toBe(true);
    expect(c.push(STDERR, Buffer.from("cdef"))).toBe(false);
    expect(c.result()).toEqual({ stdout: Buffer.from("ab"), stderr: Buffer.from("cd"), output: Buffer.from("abcd") });
  });
});

describe("parseOomKillCount", () => {
  it.each([
    ["oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", 3],
    ["low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n", 2],
    ["oom_kill_disable 0\nunder_oom 0\n", undefined],
    ["", undefined],
  ])("%j", (text, expected) => expect(parseOomKillCount(text)).toBe(expected));
});
