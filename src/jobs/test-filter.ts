/**
 * Append a model-chosen filter to the test command in the form its runner understands. The filter is
 * shell-quoted; it only ever runs inside the sandbox anyway.
 */
export function testCommandWithFilter(command: string, filter: string | undefined): string {
  if (!filter) return command;
  const q = shellQuote(filter);
  if (/\bpytest\b/.test(command)) return `${command} -k ${q}`;
  if (/\bgo\s+test\b/.test(command)) return `${command} -run ${q}`;
  if (/^\s*(npm|pnpm|yarn)(\s+run)?\s+test\b/.test(command) && !/\s--(\s|$)/.test(command)) return `${command} -- ${q}`;
  return `${command} ${q}`;
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
